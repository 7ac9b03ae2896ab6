"""Stored events are never rewritten: an old shape is upcast when it is read."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from eventsourcing.persistence import StoredEvent

from domain.enterprise import Enterprise, key_id, name_key
from domain.ledger import Ledger
from domain.values import Region
from tests.builders import JIANGSU, by_province


def test_a_registration_stored_in_version_1_reads_with_no_industry(ledger: Ledger) -> None:
    region = Region.of(JIANGSU)
    enterprise = Enterprise.register(
        enterprise_id=key_id(name_key(region, "老字号有限公司")),
        name="老字号有限公司",
        region=region,
        uscc=None,
        industry="钢铁",
        provenance=by_province(date(2017, 8, 23)),
    )
    (event,) = enterprise.collect_events()
    stored = ledger.mapper.to_stored_event(event)
    state = json.loads(stored.state)
    assert state.pop("class_version") == 2
    del state["industry"]  # the version-1 shape had neither
    version_1 = replace(stored, state=json.dumps(state, ensure_ascii=False).encode())
    assert isinstance(version_1, StoredEvent)
    ledger.recorder.insert_events([version_1])

    read = ledger.get_enterprise(enterprise.id)

    assert read.industry is None
    assert read.name == "老字号有限公司"
    assert read.registered_on == date(2017, 8, 23)
