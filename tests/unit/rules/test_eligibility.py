"""Eligibility on a date, as the ledger knew it at an instant (late facts, retractions)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.errors import EnterpriseNotFoundError, InvalidInputError
from domain.ledger import Ledger
from domain.replay import replay
from domain.values import EventRef
from tests.builders import by_ministry, by_province, open_batch
from tests.unit.rules.rule_ledger import enterprise, known_after


def test_a_late_incident_bars_as_known_now_but_not_as_known_at_the_nomination(
    ledger: Ledger,
) -> None:
    applicant = enterprise(ledger, "江苏某印染有限公司")
    open_batch(ledger)
    nomination = ledger.nominate_listing(
        enterprise_id=applicant,
        category="green_factory",
        level="national",
        batch_year=2022,
        provenance=by_province(date(2023, 10, 20)),
    )
    known_at_nomination = known_after(ledger, nomination.position)
    ledger.record_incident(  # occurred before the nomination, recorded after it
        applicant,
        kind="environment",
        grade="minor",
        occurred_on=date(2023, 1, 10),
        source="credit_china",
        provenance=by_province(date(2023, 11, 5)),
    )

    as_known_then = ledger.eligibility(applicant, date(2023, 10, 20), known_at_nomination)
    as_known_now = ledger.eligibility(applicant, date(2023, 10, 20))
    audit = replay(ledger)

    assert as_known_then.eligible
    assert as_known_then.known_at == known_at_nomination
    assert not as_known_now.eligible
    (bar,) = as_known_now.bars
    assert bar.rule_id == "NEG-2"
    assert bar.barred_until == date(2026, 1, 9)
    assert bar.because == (EventRef(applicant, 3),)  # after Registered and Nominated
    assert audit.decisions_checked == 1
    assert audit.mismatches == ()


def test_a_retracted_incident_no_longer_bars_but_did_as_known_before(ledger: Ledger) -> None:
    applicant = enterprise(ledger, "江苏某食品有限公司")
    receipt = ledger.record_incident(
        applicant,
        kind="quality",
        grade="serious",
        occurred_on=date(2023, 3, 1),
        source="gsxt",
        provenance=by_province(date(2023, 3, 2)),
    )
    assert receipt.id is not None
    before_retraction = known_after(ledger, receipt.position)

    ledger.retract_incident(
        applicant, receipt.id, reason="记录主体有误", provenance=by_ministry(date(2023, 4, 1))
    )

    assert ledger.eligibility(applicant, date(2023, 10, 20)).eligible
    assert not ledger.eligibility(applicant, date(2023, 10, 20), before_retraction).eligible


def test_an_enterprise_unknown_at_the_instant_asked_about_is_not_found(ledger: Ledger) -> None:
    registered = ledger.register_enterprise(
        name="江苏某新材料有限公司", region="320000", provenance=by_province(date(2023, 1, 1))
    )
    assert registered.id is not None
    long_ago = datetime.fromisoformat("2020-01-01T00:00:00+08:00")

    with pytest.raises(EnterpriseNotFoundError):
        ledger.eligibility(registered.id, date(2023, 10, 20), long_ago)


def test_an_instant_without_a_time_zone_is_refused_naming_the_field(ledger: Ledger) -> None:
    applicant = enterprise(ledger, "江苏某光伏有限公司")

    with pytest.raises(InvalidInputError) as refused:
        ledger.eligibility(applicant, date(2023, 10, 20), datetime(2023, 10, 21, 9, 0))

    assert refused.value.field == "known_at"
