"""Events no door of the ledger would record, written straight through the library's recorder
(past the commands and their checks): what the projector must quarantine, not stop on (issue 16,
ADR 0105)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent

from domain.enterprise import Enterprise
from domain.ledger import Ledger
from domain.values import Provenance, Region

#: The name written with a NUL inside it (PostgreSQL's text refuses NUL; SQLite keeps it).
NUL_NAME = "示例坏\x00名企业有限公司"


def _insert(ledger: Ledger, stored: StoredEvent) -> int:
    ids = ledger.recorder.insert_events([stored])
    assert ids, "the recorder returned no notification id"
    return int(ids[-1])


def record_nul_named_enterprise(ledger: Ledger) -> int:
    """An Enterprise.Registered whose name holds a NUL byte; its position."""
    clean = "示例坏名企业有限公司"
    enterprise = Enterprise.register(
        enterprise_id=uuid4(),
        name=clean,
        region=Region.of("320000"),
        uscc=None,
        industry=None,
        synthetic=True,
        provenance=Provenance(actor="province:320000", effective_on=date(2022, 9, 20)),
    )
    (event,) = enterprise.collect_events()
    stored = ledger.mapper.to_stored_event(event)
    state = stored.state.replace(clean.encode(), "示例坏\\u0000名企业有限公司".encode())
    assert state != stored.state
    return _insert(ledger, StoredEvent(stored.originator_id, 1, stored.topic, state))


def record_undecodable(ledger: Ledger) -> int:
    """An event whose stored state is not JSON; its position."""
    stored = StoredEvent(uuid4(), 1, "domain.enterprise:Enterprise.Registered", b"{not json")
    return _insert(ledger, stored)


def record_orphan_listing_event(ledger: Ledger, position: int) -> int:
    """The listing event stored at `position` again, for a listing that has no other event (a
    read-model handler then fails on it); its position."""
    (notification,) = ledger.recorder.select_notifications(start=position, limit=1)
    assert notification.topic.startswith("domain.listing:"), notification.topic
    version = notification.originator_version
    return _insert(ledger, StoredEvent(uuid4(), version, notification.topic, notification.state))


def record_nul_rename(ledger: Ledger, enterprise_id: UUID) -> int:
    """An Enterprise.Renamed of a listed unit's enterprise to a name holding a NUL byte."""
    clean = "示例坏名改后有限公司"
    enterprise = ledger.get_enterprise(enterprise_id)
    enterprise.rename(
        name=clean, provenance=Provenance(actor="province:320000", effective_on=date(2024, 1, 2))
    )
    (event,) = enterprise.collect_events()
    stored = ledger.mapper.to_stored_event(event)
    state = stored.state.replace(clean.encode(), "示例坏\\u0000名改后有限公司".encode())
    assert state != stored.state
    return _insert(
        ledger, StoredEvent(stored.originator_id, stored.originator_version, stored.topic, state)
    )
