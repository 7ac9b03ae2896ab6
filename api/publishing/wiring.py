"""Publishing in the server process: the kept heads, the subscriptions and the publisher's loop,
opened when the application starts and stopped when it stops (ADR 0031)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from api.http.database import api_engine
from api.http.readside import ReadSide
from api.publishing.publisher import Publisher, PublisherLoop, log
from api.publishing.subscriptions import SubscriptionStore
from api.settings import Settings
from domain.ledger import Ledger
from readside.engine.database import Views
from seal.heads import Clock, KeptHeads, system_clock
from seal.sealing import Seal
from seal.signing import load_private_key


def open_publishing(app: FastAPI, engine: Engine, clock: Clock | None) -> None:
    """Put `heads`, `subscriptions` and `publisher` on `app.state`; start the loop if set to."""
    state = app.state
    state.heads = KeptHeads.open(state.seal, clock or system_clock)
    state.subscriptions = SubscriptionStore(engine)
    state.subscriptions.create_tables()
    state.publisher = None
    state.publisher_loop = None
    if state.read_side is None:
        return  # memory://: no read models, so no feed to deliver
    state.publisher = Publisher(
        seal=state.seal,
        heads=state.heads,
        views=state.read_side.views,
        store=state.subscriptions,
        settings=state.settings,
        signing_key=state.signing_key,
        gate=state.write_gate,
        clock=clock or system_clock,
        catch_up=_read_side_level(state),
    )
    interval = state.settings.publish_interval_seconds
    if interval > 0:
        state.publisher_loop = PublisherLoop(state.publisher, interval)
        state.publisher_loop.start()


def _read_side_level(state: Any) -> Callable[[], object]:
    """Before a round delivers the feed: the read models level with the ledger. With the
    projector in the background (ADR 0130) the round waits for it (bounded) rather than projecting
    beside it; without, it catches up itself."""
    read_side: ReadSide = state.read_side
    if read_side.follower is None:
        return read_side.catch_up
    ledger: Ledger = state.ledger
    return lambda: read_side.wait_for(ledger.position)


def close_publishing(app: FastAPI) -> None:
    loop: PublisherLoop | None = getattr(app.state, "publisher_loop", None)
    if loop is not None:
        loop.stop()


@contextmanager
def worker_publishing(settings: Settings, seal: Seal, views: Views) -> Iterator[Callable[[], None]]:
    """For `greenledger project --follow`: a callable that runs a publisher round when one is
    due (every `GREENLEDGER_PUBLISH_INTERVAL_SECONDS`; never when it is 0). The worker projects
    the read models itself, so the round does not."""
    interval = settings.publish_interval_seconds
    if interval <= 0:
        yield lambda: None
        return
    engine = api_engine(settings.storage, pool_size=1)
    key_path = settings.signing_key_path
    publisher = Publisher(
        seal=seal,
        heads=KeptHeads.open(seal),
        views=views,
        store=SubscriptionStore(engine),
        settings=settings,
        signing_key=load_private_key(key_path) if key_path is not None else None,
    )
    publisher.store.create_tables()
    last = [-interval]

    def round_if_due() -> None:
        now = time.monotonic()
        if now - last[0] < interval:
            return
        last[0] = now
        try:
            publisher.run_round()
        except Exception:  # a bad round must not stop the worker: logged, tried again later
            log.exception("the publisher's round failed")

    try:
        yield round_if_due
    finally:
        engine.dispose()
