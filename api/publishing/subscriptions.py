"""Webhook subscriptions and their deliveries, kept in the ledger's database (ADR 0031).

A subscription is a durable cursor over the feed: a delivery carries the feed's entries after the
cursor (those the filters select), is written before its first attempt — its id, body and schedule
survive a restart — and moves the cursor on only once the receiver has answered 2xx. Deliveries of
one subscription go one at a time, in feed order; a failed attempt is retried with the same id and
body after a doubling wait, for ever: at least once, never lost. The attempts are the delivery log.

Like the API's other tables (`api.http.database`) every statement is one statement in autocommit:
two publishers (the server and a projector worker) share the work safely — a delivery's id is
derived from its subscription and its positions, so both open the same one, and an attempt is
made by whoever claims its lease first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4, uuid5

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    and_,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from domain.facts import LEDGER_NAMESPACE
from readside.feed.queries import FeedEntry

metadata = MetaData()

subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("url", Text, nullable=False),
    Column("secret", String(128), nullable=False),
    Column("filters", JSON, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("created_by", String(64), nullable=False),
    # The feed position delivered up to: the next delivery carries the entries after it.
    Column("cursor", BigInteger, nullable=False),
    Column("active", Boolean, nullable=False),
)

deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("subscription_id", Uuid, nullable=False),
    Column("after_position", BigInteger, nullable=False),
    Column("to_position", BigInteger, nullable=False),
    Column("entries", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("next_attempt_ms", BigInteger, nullable=False),
    Column("lease_ms", BigInteger),
    Column("delivered_ms", BigInteger),
    Index("ix_webhook_deliveries_subscription", "subscription_id", "after_position"),
)

attempts = Table(
    "webhook_attempts",
    metadata,
    Column("delivery_id", Uuid, primary_key=True),
    Column("attempt", Integer, primary_key=True, autoincrement=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
)

PENDING = "pending"
DELIVERED = "delivered"


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def instant(ms: int | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


@dataclass(frozen=True)
class Filters:
    """Which entries a subscription wants (None: any)."""

    category: str | None = None
    level: str | None = None
    region: str | None = None

    def to_document(self) -> dict[str, str | None]:
        return {"category": self.category, "level": self.level, "region": self.region}

    def select(self, entry: FeedEntry) -> bool:
        if self.region is not None and entry.region != self.region:
            return False
        places = [(entry.category, entry.level)] if entry.listing_id is not None else []
        places += [(unit.category, unit.level) for unit in entry.units]
        return any(
            (self.category is None or category == self.category)
            and (self.level is None or level == self.level)
            for category, level in places
        )


@dataclass(frozen=True)
class Subscription:
    id: UUID
    url: str
    secret: str
    filters: Filters
    created_at: datetime
    created_by: str
    cursor: int
    active: bool


@dataclass(frozen=True)
class Attempt:
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None


@dataclass(frozen=True)
class Delivery:
    id: UUID
    subscription_id: UUID
    after_position: int
    to_position: int
    entries: int
    body: bytes
    state: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None


def delivery_id_for(subscription_id: UUID, after: int, to: int) -> UUID:
    """The same delivery whoever opens it: its subscription and the positions it covers."""
    return uuid5(LEDGER_NAMESPACE, f"webhook-delivery/{subscription_id}/{after}/{to}")


def _subscription(row: Any) -> Subscription:
    return Subscription(
        id=row.id,
        url=row.url,
        secret=row.secret,
        filters=Filters(**row.filters),
        created_at=instant(row.created_ms) or datetime.now(UTC),
        created_by=row.created_by,
        cursor=int(row.cursor),
        active=bool(row.active),
    )


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        subscription_id=row.subscription_id,
        after_position=int(row.after_position),
        to_position=int(row.to_position),
        entries=int(row.entries),
        body=row.body.encode(),
        state=row.state,
        attempts=int(row.attempts),
        created_at=instant(row.created_ms) or datetime.now(UTC),
        next_attempt_at=instant(row.next_attempt_ms) or datetime.now(UTC),
        delivered_at=instant(row.delivered_ms),
    )


class SubscriptionStore:
    """The subscriptions, deliveries and attempts tables."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_tables(self) -> None:
        metadata.create_all(self.engine, checkfirst=True)

    # -- subscriptions -----------------------------------------------------------------------------

    def create(
        self, *, url: str, secret: str, filters: Filters, cursor: int, by: str, at: datetime
    ) -> Subscription:
        subscription_id = uuid4()
        with self.engine.connect() as connection:
            connection.execute(
                insert(subscriptions).values(
                    id=subscription_id,
                    url=url,
                    secret=secret,
                    filters=filters.to_document(),
                    created_ms=millis(at),
                    created_by=by,
                    cursor=cursor,
                    active=True,
                )
            )
        return self.get(subscription_id)

    def get(self, subscription_id: UUID) -> Subscription:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(subscriptions).where(subscriptions.c.id == subscription_id)
            ).one()
        return _subscription(row)

    def find(self, subscription_id: UUID) -> Subscription | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(subscriptions).where(subscriptions.c.id == subscription_id)
            ).first()
        return _subscription(row) if row is not None else None

    def active(self) -> list[Subscription]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(subscriptions)
                .where(subscriptions.c.active.is_(True))
                .order_by(subscriptions.c.created_ms, subscriptions.c.id)
            ).all()
        return [_subscription(row) for row in rows]

    def all(self) -> list[Subscription]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(subscriptions).order_by(subscriptions.c.created_ms, subscriptions.c.id)
            ).all()
        return [_subscription(row) for row in rows]

    def advance(self, subscription: Subscription, to: int) -> None:
        """Move the cursor on from where the caller read it (another publisher may have)."""
        with self.engine.connect() as connection:
            connection.execute(
                update(subscriptions)
                .where(subscriptions.c.id == subscription.id, subscriptions.c.cursor < to)
                .values(cursor=to)
            )

    # -- deliveries --------------------------------------------------------------------------------

    def pending(self, subscription_id: UUID) -> Delivery | None:
        """The subscription's delivery not yet acknowledged (at most one: they go in order)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(deliveries)
                .where(
                    deliveries.c.subscription_id == subscription_id, deliveries.c.state == PENDING
                )
                .order_by(deliveries.c.after_position)
                .limit(1)
            ).first()
        return _delivery(row) if row is not None else None

    def open(
        self, subscription: Subscription, to: int, entries: Iterable[dict[str, Any]], at: datetime
    ) -> Delivery:
        """The delivery of `entries` (the feed after the cursor, up to `to`), written before its
        first attempt; the one already written if another publisher was first."""
        delivery_id = delivery_id_for(subscription.id, subscription.cursor, to)
        listed = list(entries)
        body = json.dumps(
            {
                "delivery_id": str(delivery_id),
                "subscription_id": str(subscription.id),
                "after": subscription.cursor,
                "next": to,
                "entries": listed,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        with self.engine.connect() as connection:
            # Opened by another publisher first: the same id, the same body.
            with suppress(IntegrityError):
                connection.execute(
                    insert(deliveries).values(
                        id=delivery_id,
                        subscription_id=subscription.id,
                        after_position=subscription.cursor,
                        to_position=to,
                        entries=len(listed),
                        body=body,
                        state=PENDING,
                        attempts=0,
                        created_ms=millis(at),
                        next_attempt_ms=millis(at),
                    )
                )
            row = connection.execute(select(deliveries).where(deliveries.c.id == delivery_id)).one()
        return _delivery(row)

    def claim(self, delivery: Delivery, at: datetime, lease_seconds: float) -> bool:
        """Take the delivery's next attempt, unless another publisher holds it or it is not due."""
        now = millis(at)
        with self.engine.connect() as connection:
            claimed = connection.execute(
                update(deliveries)
                .where(
                    deliveries.c.id == delivery.id,
                    deliveries.c.state == PENDING,
                    deliveries.c.next_attempt_ms <= now,
                    or_(deliveries.c.lease_ms.is_(None), deliveries.c.lease_ms < now),
                )
                .values(lease_ms=now + int(lease_seconds * 1000))
            )
        return claimed.rowcount == 1

    def record(
        self,
        delivery: Delivery,
        *,
        at: datetime,
        status_code: int | None,
        error: str | None,
        delivered: bool,
        retry_at: datetime,
    ) -> None:
        """Log the attempt; on success mark the delivery and move the cursor past it."""
        number = delivery.attempts + 1
        with self.engine.connect() as connection:
            try:
                connection.execute(
                    insert(attempts).values(
                        delivery_id=delivery.id,
                        attempt=number,
                        at_ms=millis(at),
                        status_code=status_code,
                        error=error,
                    )
                )
            except IntegrityError:
                return  # another publisher recorded this attempt
            values: dict[str, Any] = {"attempts": number, "lease_ms": None}
            if delivered:
                values |= {"state": DELIVERED, "delivered_ms": millis(at)}
            else:
                values["next_attempt_ms"] = millis(retry_at)
            connection.execute(
                update(deliveries).where(deliveries.c.id == delivery.id).values(**values)
            )
            if delivered:
                connection.execute(
                    update(subscriptions)
                    .where(
                        subscriptions.c.id == delivery.subscription_id,
                        subscriptions.c.cursor < delivery.to_position,
                    )
                    .values(cursor=delivery.to_position)
                )

    def settle_delivered(self, subscription: Subscription) -> bool:
        """After a crash between marking a delivery and moving the cursor: move it now."""
        with self.engine.connect() as connection:
            done = connection.execute(
                select(deliveries.c.to_position).where(
                    and_(
                        deliveries.c.subscription_id == subscription.id,
                        deliveries.c.after_position == subscription.cursor,
                        deliveries.c.state == DELIVERED,
                    )
                )
            ).first()
        if done is None:
            return False
        self.advance(subscription, int(done.to_position))
        return True

    def log(self, subscription_id: UUID, limit: int = 100) -> list[tuple[Delivery, list[Attempt]]]:
        """The subscription's latest deliveries, newest first, each with its attempts."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(deliveries)
                .where(deliveries.c.subscription_id == subscription_id)
                .order_by(deliveries.c.after_position.desc())
                .limit(limit)
            ).all()
            found = [_delivery(row) for row in rows]
            tried = connection.execute(
                select(attempts)
                .where(attempts.c.delivery_id.in_([delivery.id for delivery in found]))
                .order_by(attempts.c.delivery_id, attempts.c.attempt)
            ).all()
        by_delivery: dict[UUID, list[Attempt]] = {}
        for row in tried:
            by_delivery.setdefault(row.delivery_id, []).append(
                Attempt(
                    row.attempt, instant(row.at_ms) or datetime.now(UTC), row.status_code, row.error
                )
            )
        return [(delivery, by_delivery.get(delivery.id, [])) for delivery in found]
