"""Stored events are never rewritten: an old shape is upcast when it is read."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from uuid import uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from domain.assessor import Assessor, assessor_id_for
from domain.batch import Batch
from domain.enterprise import Enterprise, key_id, name_key
from domain.ledger import Ledger
from domain.values import Level, Region, Uscc
from tests.builders import JIANGSU, VALID_USCC, by_ministry, by_province


def store_in_older_shape(ledger: Ledger, aggregate: Aggregate, version: int, *dropped: str) -> None:
    """Store the aggregate's first event as an older class version wrote it: without `dropped`."""
    (event,) = aggregate.collect_events()
    stored = ledger.mapper.to_stored_event(event)
    state = json.loads(stored.state)
    state.pop("class_version")
    if version > 1:
        state["class_version"] = version
    for name in dropped:
        del state[name]
    older = replace(stored, state=json.dumps(state, ensure_ascii=False).encode())
    assert isinstance(older, StoredEvent)
    ledger.recorder.insert_events([older])


def old_registration(name: str = "老字号有限公司") -> Enterprise:
    region = Region.of(JIANGSU)
    return Enterprise.register(
        enterprise_id=key_id(name_key(region, name)),
        name=name,
        region=region,
        uscc=None,
        industry="钢铁",
        synthetic=True,
        provenance=by_province(date(2017, 8, 23)),
    )


def test_a_registration_stored_in_version_1_reads_with_no_industry_and_as_real(
    ledger: Ledger,
) -> None:
    enterprise = old_registration()
    store_in_older_shape(ledger, enterprise, 1, "industry", "synthetic")

    read = ledger.get_enterprise(enterprise.id)

    assert read.industry is None
    assert read.synthetic is False
    assert read.name == "老字号有限公司"
    assert read.registered_on == date(2017, 8, 23)


def test_a_registration_stored_in_version_2_reads_as_a_real_enterprise(ledger: Ledger) -> None:
    enterprise = old_registration()
    store_in_older_shape(ledger, enterprise, 2, "synthetic")

    read = ledger.get_enterprise(enterprise.id)

    assert read.synthetic is False
    assert read.industry == "钢铁"
    assert read.aliases == ()


def test_an_assessor_stored_in_version_2_reads_as_a_real_evaluator(ledger: Ledger) -> None:
    uscc = Uscc("91350200776049653A")
    assessor = Assessor.register(
        assessor_id=assessor_id_for(uscc),
        name="老牌认证中心有限公司",
        uscc=uscc,
        group=None,
        senior_staff=6,
        intermediate_staff=10,
        synthetic=True,
        provenance=by_ministry(date(2019, 5, 6)),
    )
    store_in_older_shape(ledger, assessor, 2, "synthetic")

    read = ledger.get_assessor(assessor.id)

    assert read.synthetic is False
    assert read.name == "老牌认证中心有限公司"


def _stored_in_version_1(ledger: Ledger, event: object, added: str) -> StoredEvent:
    """The stored form of `event` as version 1 wrote it: without the field version 2 added."""
    stored = ledger.mapper.to_stored_event(event)  # type: ignore[arg-type]
    state = json.loads(stored.state)
    assert state.pop("class_version") == 2
    del state[added]
    return replace(stored, state=json.dumps(state, ensure_ascii=False).encode())


def test_an_assessor_registered_in_version_1_reads_with_no_legal_representative(
    ledger: Ledger,
) -> None:
    uscc = Uscc(VALID_USCC[2])
    assessor = Assessor.register(
        assessor_id=assessor_id_for(uscc),
        name="中环联合（北京）认证中心有限公司",
        uscc=uscc,
        group="中环集团",
        senior_staff=6,
        intermediate_staff=8,
        legal_representative="张三",
        provenance=by_ministry(date(2020, 1, 5)),
    )
    store_in_older_shape(ledger, assessor, 1, "legal_representative", "synthetic")

    read = ledger.get_assessor(assessor.id)

    assert read.legal_representative is None
    assert read.synthetic is False
    assert (read.name, read.group) == ("中环联合（北京）认证中心有限公司", "中环集团")


def test_an_evaluation_counted_in_version_1_reads_with_no_legal_representative(
    ledger: Ledger,
) -> None:
    batch = Batch.open(
        level=Level.NATIONAL,
        batch_year=2022,
        rulebook="2022",
        deadlines={},
        quotas={},
        provenance=by_ministry(date(2022, 9, 16)),
    )
    listing_id = uuid5(batch.id, "evaluated")
    batch.count_evaluation(
        listing_id=listing_id,
        assessor_id=batch.id,
        evaluator_group="中环集团",
        legal_representative="张三",
        provenance=by_ministry(date(2022, 10, 20)),
    )
    opened, counted = batch.collect_events()
    ledger.recorder.insert_events(
        [
            ledger.mapper.to_stored_event(opened),
            _stored_in_version_1(ledger, counted, "legal_representative"),
        ]
    )

    entry = ledger.get_batch(Level.NATIONAL, 2022).evaluations[listing_id]

    assert entry.legal_representative is None
    assert (entry.evaluator_group, entry.assessor_id) == ("中环集团", batch.id)
