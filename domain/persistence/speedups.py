"""How the ledger reads and writes the library's store, with the speed-ups it takes over the
library's defaults: each override of the library's parts, why, and what it gains.

Measured on the demo history (83,000 events written by the ledger's own commands in one `bulk()`
on SQLite; Python 3.11, eventsourcing 9.5.6), switching each speed-up off alone and counting the
process's CPU time (the machine was shared; wall time was noise), two runs each: 12.3 and 12.8 s
with all of them.

- `bulk()` and `BulkWrite`: a writer recording much at once (the demo, the benchmark's history)
  saves a chunk of commands in one atomic `save()` instead of one transaction a command; every
  command is still checked as ever.
- `FastApplication.save` overrides the library's `save()`: it collects the events without
  `ProcessingEvent.collect_events`, which tests every object against two runtime-checkable
  Protocols (about 17 µs each on Python 3.11), then calls the library's private `_record`,
  `_take_snapshots` and `_notify` exactly as the library's `save()` does, and puts the saved
  aggregates in the cache so that they are current there (copies: the writer may go on with
  its objects). Off: 13.6 and 13.7 s (+9 %).
- `_current_in_cache`: inside a bulk, an aggregate the bulk has read or saved is taken from the
  cache without asking the store for newer events (the bulk is the one writer; a rival's write
  still fails the bulk's save). Off: 18.8 and 21.8 s (+60 %). With the save above, the
  benchmark history's ingest went from 3,635 to 6,493 events/s on SQLite when they came in.
- `fold`, the projector function of every `repository.get`: the library's asserts each event
  against a runtime-checkable Protocol (about 60 µs an event on Python 3.11, more than decoding
  it); ours are our own classes. Off: 12.7 and 14.3 s (+8 %); it counts most where aggregates
  with long histories are rebuilt (replay, `known_at` reads).
- Of the same kind, beside the aggregates: `ImmutableValuesState.__deepcopy__`
  (`domain/facts.py`) copies an aggregate's top-level containers only, where the library
  deep-copies each aggregate it hands out of its cache. Off: 43.3 and 52.2 s (×3.8).

`recorders.py` is a workaround (large saves on PostgreSQL), not a speed-up.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.persistence import IntegrityError, Notification, Recording, StoredEvent

from domain.errors import (
    ConcurrentWriteError,
    ImportOvertakenError,
    InvalidInputError,
    NotFoundError,
)
from domain.texts import check_event_texts

TAggregate = TypeVar("TAggregate", bound=Aggregate)


class FastApplication(Application[UUID]):
    """The library's application with the ledger's ways to load and save its aggregates."""

    # -- loading -------------------------------------------------------------------------------

    def _get(
        self, kind: type[TAggregate], aggregate_id: UUID, missing: type[NotFoundError]
    ) -> TAggregate:
        found = self._maybe_get(kind, aggregate_id)
        if found is None:
            raise missing(aggregate_id)
        return found

    def _maybe_get(self, kind: type[TAggregate], aggregate_id: UUID) -> TAggregate | None:
        aggregate = self._load(aggregate_id)
        return aggregate if isinstance(aggregate, kind) else None

    def _load(self, aggregate_id: UUID) -> Aggregate | None:
        """A copy of the aggregate as it stands, including what a bulk write has not saved yet."""
        bulk = self._bulk()
        if bulk is not None:
            if aggregate_id in bulk.pending:
                return copy.deepcopy(bulk.pending[aggregate_id])
            cached = self._current_in_cache(bulk, aggregate_id)
            if cached is not None:
                return cached
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id, projector_func=fold)
        except AggregateNotFoundError:
            return None
        if bulk is not None:
            bulk.current.add(aggregate_id)
        return aggregate

    def _current_in_cache(self, bulk: BulkWrite, aggregate_id: UUID) -> Aggregate | None:
        """A copy of the cached aggregate when this bulk has read or written it since: no need to
        ask the store for newer events (the bulk is the one writer; a rival's write fails its
        save). None when the bulk has not, or the cache has let it go."""
        cache = self.repository.cache
        if cache is None or aggregate_id not in bulk.current:
            return None
        try:
            return cast(Aggregate, copy.deepcopy(cache.get(aggregate_id)))
        except KeyError:
            bulk.current.discard(aggregate_id)
            return None

    def _bulk(self) -> BulkWrite | None:
        """The `bulk()` block of this ledger the caller is in, if any."""
        bulk = _BULK.get()
        return bulk if bulk is not None and bulk.ledger is self else None

    def _known(
        self,
        kind: type[TAggregate],
        aggregate_id: UUID,
        known_at: datetime | None,
        missing: type[NotFoundError],
    ) -> TAggregate:
        """The aggregate as of its last event recorded at or before `known_at`."""
        if known_at is None:
            return self._get(kind, aggregate_id, missing)
        versions = [
            stored.originator_version
            for stored in self.recorder.select_events(aggregate_id)
            if self.recorded_at(stored) <= known_at
        ]
        if not versions:
            raise missing(aggregate_id)
        aggregate: Aggregate = self.repository.get(
            aggregate_id, version=max(versions), projector_func=fold
        )
        if not isinstance(aggregate, kind):
            raise missing(aggregate_id)
        return aggregate

    def recorded_at(self, stored: StoredEvent | Notification) -> datetime:
        """When the ledger recorded a stored event (the library's event `timestamp`)."""
        event = self.mapper.to_domain_event(stored)
        if not isinstance(event, CanMutateAggregate):
            raise TypeError(f"{stored.topic} is not an aggregate event")  # a programming error
        timestamp: datetime = event.timestamp
        return timestamp

    # -- saving ------------------------------------------------------------------------------

    def _save(self, *aggregates: Aggregate) -> int | None:
        """Save in one transaction; the position of the last event, None when nothing was new.

        Inside `bulk()`, the aggregates wait with the others of the chunk (position None).
        """
        if not any(a.pending_events for a in aggregates):
            return None
        bulk = self._bulk()
        if bulk is not None:
            bulk.add(aggregates)
            return None
        return self._write(*aggregates)

    def _write(self, *aggregates_or_events: Any, handed_over: bool = False) -> int | None:
        try:
            recordings = self.save(*aggregates_or_events, handed_over=handed_over)
        except IntegrityError as error:
            raise ConcurrentWriteError(type(error).__name__) from error
        return recordings[-1].notification.id if recordings else None

    def save(self, *objs: Any, handed_over: bool = False, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's `save()`, collecting the events without its runtime Protocol checks.

        `ProcessingEvent.collect_events` tests every object against two runtime-checkable
        Protocols (about 17 µs each on Python 3.11: an eighth of a bulk load's time). Ours are
        aggregates or their events, told apart by their classes; the rest is the library's.
        `handed_over`: the caller keeps no reference to the aggregates (a bulk's chunk), so the
        cache may hold them as they are instead of copies.
        """
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for obj in objs:
            if obj is None:
                continue
            if isinstance(obj, Aggregate):
                processing_event.events.extend(obj.collect_events())
                processing_event.aggregates[obj.id] = obj
            else:
                processing_event.events.append(obj)
        processing_event.saved_kwargs.update(kwargs)
        check_event_texts(processing_event.events)
        recordings = self._record(processing_event)
        cache = self.repository.cache
        if cache is not None and self.repository.fastforward:
            # Saved, so current: the next read of each fast-forwards over nothing (and a bulk
            # reads them from here without asking the store at all). A copy: the writer may go
            # on with its object (an import, from one chunk to the next), and the cache must
            # hold what was stored, not events a later save may fail to store, which another
            # reader would be handed meanwhile (ADR 0156).
            for aggregate_id, aggregate in processing_event.aggregates.items():
                cache.put(aggregate_id, aggregate if handed_over else copy.deepcopy(aggregate))
        self._take_snapshots(processing_event)
        self._notify(recordings)
        return recordings

    @contextmanager
    def bulk(self, commands_per_save: int = 500) -> Iterator[BulkWrite]:
        """Commands issued inside are checked as ever, but saved together, a chunk at a time.

        For one writer recording much at once (the demo history, the benchmark generator): each
        chunk of `commands_per_save` commands is one atomic `save()`. A command that fails leaves
        nothing in its chunk; leaving the block normally saves the last chunk, leaving it by an
        exception discards the chunk not yet saved. Commands inside answer `position=None`; the
        handle's `position` is the last saved.
        """
        bulk = BulkWrite(self, commands_per_save)
        token = _BULK.set(bulk)
        try:
            yield bulk
            bulk.flush()
        finally:
            _BULK.reset(token)


def fold(aggregate: Any, events: Iterable[Any]) -> Any:
    """Apply stored events in order: the library's own fold, without its per-event check.

    The library asserts each event against a runtime-checkable Protocol, which on Python 3.11
    costs about 60 µs an event — more than decoding it. Our events are our own classes.
    """
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class BulkWrite:
    """Aggregates changed by the commands of a `bulk()` block, not yet saved."""

    def __init__(self, ledger: FastApplication, commands_per_save: int) -> None:
        if commands_per_save < 1:
            raise InvalidInputError("commands_per_save", f"{commands_per_save} is below 1")
        self.ledger = ledger
        self.commands_per_save = commands_per_save
        self.pending: dict[UUID, Aggregate] = {}
        #: Aggregates whose cached state is their latest: read or saved by this bulk.
        self.current: set[UUID] = set()
        self.events: list[Any] = []
        self.commands = 0
        self.saves = 0
        self.position: int | None = None

    def add(self, aggregates: Sequence[Aggregate]) -> None:
        """One command's aggregates: its events join the chunk in the order it made them.

        Saved aggregate by aggregate, a chunk would interleave its commands' events in the log;
        the log must read command after command (replay re-derives decisions command by command).
        """
        for aggregate in aggregates:
            self.events.extend(aggregate.collect_events())
            self.pending[aggregate.id] = aggregate
        self.commands += 1
        if self.commands >= self.commands_per_save:
            self.flush()

    def flush(self) -> None:
        """Save the chunk's events, in command order, in one atomic save."""
        if self.events:
            # The aggregates, their events collected, go along to refresh the ledger's cache.
            # Handed over: the bulk's commands hold copies of these (`_load`), and it drops them.
            try:
                written = self.ledger._write(*self.events, *self.pending.values(), handed_over=True)
            except ConcurrentWriteError as error:
                # not "nothing was written": this bulk's earlier chunks (or, when it is run
                # again, an earlier run's) stay saved
                raise ImportOvertakenError from error
            self.current.update(self.pending)
            self.position = written or self.position
            self.saves += 1
        self.pending = {}
        self.events = []
        self.commands = 0


_BULK: ContextVar[BulkWrite | None] = ContextVar("greenledger_bulk_write", default=None)
