"""Replay: every recorded decision re-derived from the facts known when it was taken."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError

from domain.ledger import Ledger, RemovalRequest
from domain.replay import DECISION_EVENTS, replay
from domain.values import RemovalReason
from tests.builders import (
    ANNOUNCEMENT,
    by_ministry,
    by_province,
    listed_factory,
    on_provincial_list,
    open_batch,
    publish,
)
from tests.unit.rules.rule_ledger import (
    SELF_EVALUATION,
    alter_stored_state,
    enterprise,
    evaluation,
    evaluator,
    known_after,
    nominate,
    park,
)


def _decisions_in_log(ledger: Ledger) -> int:
    notifications = ledger.recorder.select_notifications(start=None, limit=1_000_000)
    return sum(
        1 for n in notifications if isinstance(ledger.mapper.to_domain_event(n), DECISION_EVENTS)
    )


def _a_year_of_dynamic_management(ledger: Ledger) -> dict[str, UUID]:
    """Every kind of decision: nominations, a publication, removals, flags, filings, reviews,
    assessments, proposals, a blacklisting, overdue filings, a renomination."""
    open_batch(ledger)
    assessor = evaluator(ledger, 1, group="中国质量认证中心")
    steel = enterprise(ledger, "江苏绿源钢铁有限公司", industry="钢铁")
    electric = enterprise(ledger, "江苏某电器有限公司", industry="电子")
    park_body = enterprise(ledger, "江苏某经济开发区管委会")
    textile = enterprise(ledger, "江苏某纺织有限公司")
    ids = {
        "steel": nominate(
            ledger,
            steel,
            self_evaluation=SELF_EVALUATION,
            third_party_evaluation=evaluation(assessor),
        ),
        "electric": nominate(ledger, electric),
        "chain": nominate(ledger, electric, category="green_supply_chain"),
        "park": nominate(ledger, park_body, category="green_park", **park()),
        "textile": nominate(ledger, textile),
    }
    publish(
        ledger,
        [ids["steel"], ids["electric"], ids["chain"], ids["park"]],
        rejected=[ids["textile"]],
    )
    ledger.record_incident(  # flags both of the enterprise's listings (235号: no threshold)
        electric,
        kind="quality",
        grade="minor",
        occurred_on=date(2023, 5, 1),
        source="credit_china",
        provenance=by_province(date(2023, 5, 3)),
    )
    ledger.record_incident(  # a negative-list finding, not a ground for removal: it may stay
        park_body,
        kind="inspection_problem",
        occurred_on=date(2023, 6, 1),
        source="inspection",
        provenance=by_province(date(2023, 6, 2)),
    )
    ledger.propose_adjustment(
        ids["park"], action="retain", provenance=by_province(date(2023, 7, 1))
    )
    ledger.submit_filing(
        ids["steel"], report_year=2023, indicators={}, provenance=by_province(date(2024, 4, 1))
    )
    ledger.review_filing(
        ids["steel"],
        report_year=2023,
        outcome="non_compliant",
        findings=["单位产品能耗超标"],
        provenance=by_province(date(2024, 4, 20)),
    )
    assessment = ledger.order_assessment(
        ids["steel"], reason="能耗超标", provenance=by_province(date(2024, 5, 1))
    )
    assert assessment.id is not None
    ledger.conclude_assessment(
        ids["steel"],
        assessment.id,
        outcome="does_not_meet",
        provenance=by_province(date(2024, 6, 1)),
    )
    ledger.propose_adjustment(
        ids["steel"], action="remove", provenance=by_province(date(2024, 6, 15))
    )
    ledger.remove_listing(
        ids["steel"], reasons=["indicators"], provenance=by_ministry(date(2024, 7, 1))
    )
    ledger.record_incident(  # 13号: a major accident removes the enterprise's listings at once
        electric,
        kind="safety",
        grade="major",
        occurred_on=date(2024, 7, 1),
        source="province_report",
        provenance=by_province(date(2024, 7, 2)),
    )
    ledger.blacklist_assessor(
        assessor, reason="评价报告弄虚作假", provenance=by_ministry(date(2024, 7, 2))
    )
    ledger.close_filing_year(2023, by_ministry(date(2024, 7, 3)))
    open_batch(ledger, 2024, date(2024, 7, 4))
    ids["textile_provincial"] = on_provincial_list(ledger, textile, date(2024, 7, 5))  # REC-2
    ids["textile_again"] = nominate(ledger, textile, year=2024, day=date(2024, 7, 10))
    ledger.publish_batch(
        level="national",
        batch_year=2024,
        announcement=ANNOUNCEMENT,
        listed=[ids["textile_again"]],
        removed=[RemovalRequest(ids["park"], (RemovalReason.REFUSED_FILING,))],
        provenance=by_ministry(date(2025, 1, 22)),
    )
    return ids


def test_every_decision_of_a_year_replays_as_recorded(ledger: Ledger) -> None:
    _a_year_of_dynamic_management(ledger)

    report = replay(ledger, page_size=7)

    assert report.mismatches == ()
    assert report.consistent
    # 5 nominations, 4 listed, 1 rejected, 3 flagged by incidents, 2 proposals, 1 review,
    # 1 conclusion, 1 removal, 2 removed by an incident, 1 blacklisting, 1 overdue,
    # 1 provincial nomination and its listing (REC-2), 1 renomination, 1 listed and 1 removed by
    # the 2024 publication
    assert report.decisions_checked == _decisions_in_log(ledger) == 27
    assert report.events_read == len(
        ledger.recorder.select_notifications(start=None, limit=1_000_000)
    )
    assert report.last_position == ledger.position


def test_replay_known_at_an_instant_checks_only_the_decisions_recorded_by_then(
    ledger: Ledger,
) -> None:
    unit = listed_factory(ledger)
    after_publication = known_after(ledger, ledger.position)
    ledger.remove_listing(
        unit.listing_id, reasons=["negative_list"], provenance=by_ministry(date(2023, 6, 1))
    )

    then = replay(ledger, after_publication)
    now = replay(ledger)

    assert then.decisions_checked == 2  # the nomination and the listing
    assert then.last_position == ledger.position - 1
    assert then.known_at == after_publication
    assert now.decisions_checked == 3


def _deny_the_first_finding(document: dict[str, Any]) -> None:
    document["rule_findings"][0]["_data_"]["applies"] = False


def _claim_the_2024_rulebook(document: dict[str, Any]) -> None:
    document["rulebook"] = "2024"


@pytest.mark.parametrize("alteration", [_deny_the_first_finding, _claim_the_2024_rulebook])
def test_a_decision_altered_in_the_store_is_reported_by_replay(
    sql_database_url: str, alteration: Any
) -> None:
    ledger = Ledger.open(sql_database_url)
    try:
        unit = listed_factory(ledger)
        flag = ledger.record_incident(  # 235号: reported, to be removed by the ministry
            unit.enterprise_id,
            kind="safety",
            grade="grave",
            occurred_on=date(2023, 5, 1),
            source="credit_china",
            provenance=by_province(date(2023, 5, 3)),
        )
        assert flag.position is not None
        assert replay(ledger).consistent

        alter_stored_state(sql_database_url, flag.position, alteration)
        report = replay(ledger)
    finally:
        ledger.close()

    (mismatch,) = report.mismatches
    assert mismatch.position == flag.position
    assert mismatch.originator_id == unit.listing_id
    assert mismatch.version == 3
    assert mismatch.topic == "domain.listing:Listing.Flagged"
    assert mismatch.rederived_rulebook == "2022"
    assert [(f.rule_id, f.applies) for f in mismatch.rederived] == [("DYN-3", True)]
    assert (mismatch.recorded, mismatch.recorded_rulebook) != (
        mismatch.rederived,
        mismatch.rederived_rulebook,
    )
    assert report.decisions_checked == 3


def test_replay_reads_across_a_gap_in_the_postgres_log(postgres_url: str) -> None:
    ledger = Ledger.open(postgres_url)
    try:
        unit = listed_factory(ledger)
        (stored,) = ledger.recorder.select_events(unit.listing_id, limit=1)
        with pytest.raises(IntegrityError):
            ledger.recorder.insert_events([stored])  # consumes a notification id
        ledger.remove_listing(
            unit.listing_id, reasons=["negative_list"], provenance=by_ministry(date(2023, 6, 1))
        )
        ids = [n.id for n in ledger.recorder.select_notifications(start=None, limit=1000)]
        report = replay(ledger, page_size=2)
    finally:
        ledger.close()

    assert ids != list(range(1, len(ids) + 1))
    assert report.consistent
    assert report.decisions_checked == 3


def test_replay_refuses_an_instant_without_a_time_zone(memory_ledger: Ledger) -> None:
    from domain.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as refused:
        replay(memory_ledger, datetime(2024, 1, 1, 12, 0))

    assert refused.value.field == "known_at"
