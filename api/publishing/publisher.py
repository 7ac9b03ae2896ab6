"""The publisher: what the ledger publishes outward, kept going (ADR 0031).

Each round it brings the read models and the seal level with the log, signs and keeps a tree head
when the schedule says so (`GREENLEDGER_HEAD_INTERVAL_SECONDS`) and events were sealed since the
last, and makes every webhook attempt that is due. It runs in `greenledger serve` and in the
projector worker `greenledger project --follow`, every `GREENLEDGER_PUBLISH_INTERVAL_SECONDS`;
both may run at once against one database (heads are kept in order under the seal's lock, each
delivery attempt is leased to one publisher). Time comes from a clock the tests can set, so a
receiver "down for 30 s" takes no 30 s.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.publishing.documents import feed_entry_document
from api.publishing.subscriptions import Delivery, Subscription, SubscriptionStore
from api.publishing.webhooks import Outcome, post, refusal_of_url
from api.settings import Settings
from readside.engine.database import Views
from readside.feed.queries import read_feed
from seal.heads import Clock, KeptHeads, system_clock
from seal.sealing import Seal

log = logging.getLogger("greenledger.publisher")

#: Feed entries at most in one delivery.
DELIVERY_BATCH = 100


@dataclass
class Round:
    """What one round did."""

    head_signed: bool = False
    attempts: int = 0
    delivered: int = 0
    failed: list[str] = field(default_factory=list)


@dataclass
class Publisher:
    """Seal, heads and webhooks of one ledger, for one process."""

    seal: Seal
    heads: KeptHeads
    views: Views
    store: SubscriptionStore
    settings: Settings
    signing_key: Ed25519PrivateKey | None = None
    gate: AbstractContextManager[object] = field(default_factory=nullcontext)
    clock: Clock = system_clock
    catch_up: Callable[[], object] | None = None

    def run_round(self) -> Round:
        """One round: catch up, sign a head if due, attempt every due delivery."""
        done = Round()
        if self.catch_up is not None:
            self.catch_up()
        # The seal writes its nodes to the ledger's database: a page at a time under the gate,
        # so that commands go on between pages (ADR 0154).
        self.seal.catch_up(gate=self.gate)
        done.head_signed = self.sign_if_due()
        for subscription in self.store.active():
            self._deliver(subscription, done)
        return done

    def sign_if_due(self) -> bool:
        if self.signing_key is None:
            return False
        now = self.clock()
        latest = self.heads.latest()
        interval = timedelta(seconds=self.settings.head_interval_seconds)
        if latest is not None and now - _instant(latest.head.timestamp) < interval:
            return False
        with self.gate:
            kept = self.heads.sign(self.signing_key)
        return kept is not None and (latest is None or kept.number != latest.number)

    def retry_wait(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt: doubling, up to the maximum."""
        first = self.settings.webhook_retry_seconds
        wait = min(first * 2 ** min(attempts - 1, 40), self.settings.webhook_retry_max_seconds)
        return timedelta(seconds=wait)

    def _deliver(self, subscription: Subscription, done: Round) -> None:
        delivery = self.store.pending(subscription.id) or self._open(subscription)
        if delivery is None:
            return
        now = self.clock()
        if delivery.next_attempt_at > now:
            return
        lease = self.settings.webhook_timeout_seconds + 30
        if not self.store.claim(delivery, now, lease):
            return
        outcome = self._attempt(subscription, delivery, now)
        done.attempts += 1
        if outcome.delivered:
            done.delivered += 1
        else:
            done.failed.append(f"{delivery.id}: {outcome.error}")
        self.store.record(
            delivery,
            at=now,
            status_code=outcome.status_code,
            error=outcome.error,
            delivered=outcome.delivered,
            retry_at=now + self.retry_wait(delivery.attempts + 1),
        )

    def _attempt(self, subscription: Subscription, delivery: Delivery, now: datetime) -> Outcome:
        refused = refusal_of_url(subscription.url, self.settings.webhook_host_names)
        if refused is not None:  # the allowed hosts changed since it subscribed
            return Outcome(None, refused)
        return post(
            subscription.url,
            delivery.body,
            delivery_id=str(delivery.id),
            secret=subscription.secret,
            timestamp=int(now.timestamp()),
            timeout=self.settings.webhook_timeout_seconds,
        )

    def _open(self, subscription: Subscription) -> Delivery | None:
        """The next delivery of the feed after the cursor (None: nothing it wants since)."""
        if self.store.settle_delivered(subscription):
            subscription = self.store.get(subscription.id)
        page = read_feed(self.views, after=subscription.cursor, limit=DELIVERY_BATCH)
        chosen = [entry for entry in page.entries if subscription.filters.select(entry)]
        if not chosen:
            self.store.advance(subscription, page.next)
            return None
        documents = [feed_entry_document(entry) for entry in chosen]
        return self.store.open(subscription, page.next, documents, self.clock())


def _instant(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


class PublisherLoop:
    """Runs a publisher's rounds in a thread, every `interval` seconds, until stopped."""

    def __init__(self, publisher: Publisher, interval: float) -> None:
        self.publisher = publisher
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="greenledger-publisher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.publisher.run_round()
            except Exception:  # a bad round must not end the loop: log it, try again later
                log.exception("the publisher's round failed")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)
