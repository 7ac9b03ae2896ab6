"""The road to the national list under 13号 (ADR 0150): REC-2 from the day 13号 took effect,
recommendations closing on 31 July (REC-3), 15 days of publicity (PUB-1) with objections inside
the window, and a nominee falling out between the publicity and the list, with its reason."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import InvalidInputError, RuleRefusalError
from domain.ledger import Ledger
from domain.replay import replay
from domain.rules.rulebook import RECOMMENDATIONS
from domain.values import EventRef, Level, ListingStatus, Reference
from tests.builders import (
    ANNOUNCEMENT,
    JIANGSU,
    by_ministry,
    by_province,
    on_provincial_list,
    open_batch,
    stored_event_count,
)
from tests.unit.rules.rule_ledger import (
    SELF_EVALUATION,
    enterprise,
    events_of,
    findings_of,
    last_event,
    park,
)
from tests.unit.rules.rule_ledger import nominate as nominate_at

NOTICE = Reference(doc_no="示例公示〔2024〕1号", title="拟入选国家级绿色工厂名单公示")
LIST_NOTICE = Reference(doc_no="示例公告〔2025〕1号", title="2024年度绿色制造名单")


def provincial_factory(ledger: Ledger, name: str, listed_on: date = date(2024, 4, 1)) -> UUID:
    """An enterprise whose factory is on its province's list from `listed_on`."""
    enterprise_id = enterprise(ledger, name)
    ledger.open_batch(
        level="provincial",
        batch_year=2024,
        region=JIANGSU,
        provenance=by_province(date(2024, 1, 10)),
    )
    provincial = nominate_at(
        ledger, enterprise_id, level="provincial", year=2024, day=date(2024, 2, 1)
    )
    ledger.publish_batch(
        level="provincial",
        batch_year=2024,
        announcement=Reference(doc_no="苏工信节能〔2024〕9号"),
        listed=[provincial],
        region=JIANGSU,
        provenance=by_province(listed_on),
    )
    return enterprise_id


def national(ledger: Ledger, enterprise_id: UUID, day: date = date(2024, 6, 1)) -> UUID:
    return nominate_at(ledger, enterprise_id, year=2024, day=day, self_evaluation=SELF_EVALUATION)


# -- REC-2: from the day 13号 took effect ---------------------------------------------------------


def test_rec_2_refuses_a_national_factory_off_its_provincial_list_from_the_day_13_hao_took_effect(
    ledger: Ledger,
) -> None:
    open_batch(ledger, 2023, date(2023, 8, 1))
    applicant = enterprise(ledger, "江苏乙纺织有限公司")
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        nominate_at(
            ledger,
            applicant,
            year=2023,
            day=date(2024, 1, 19),
            self_evaluation=SELF_EVALUATION,
        )

    assert (refused.value.rule_id, refused.value.rulebook) == ("REC-2", "2024")
    assert refused.value.citation.startswith("工信部节〔2024〕13号")
    assert "未核实" in refused.value.citation  # 13号 as a whole: the article is not verified
    assert "未列入省级绿色工厂名单" in refused.value.findings[0].detail
    assert stored_event_count(ledger) == events


def test_rec_2_is_not_evaluated_the_day_before_13_hao_took_effect(ledger: Ledger) -> None:
    open_batch(ledger, 2023, date(2023, 8, 1))

    before = nominate_at(
        ledger,
        enterprise(ledger, "江苏甲纺织有限公司"),
        year=2023,
        day=date(2024, 1, 18),
        self_evaluation=SELF_EVALUATION,
    )

    assert "REC-2" not in findings_of(last_event(ledger, before))
    assert last_event(ledger, before).rulebook == "2022"


def test_under_13_hao_a_factory_on_its_provincial_list_rests_on_that_listing(
    ledger: Ledger,
) -> None:
    enterprise_id = enterprise(ledger, "江苏丙纺织有限公司")
    provincial = on_provincial_list(ledger, enterprise_id, date(2024, 1, 19))
    open_batch(ledger, 2023, date(2023, 8, 1))

    listing_id = nominate_at(
        ledger, enterprise_id, year=2023, day=date(2024, 1, 19), self_evaluation=SELF_EVALUATION
    )

    finding = findings_of(last_event(ledger, listing_id))["REC-2"]
    assert not finding.applies
    assert finding.because == (EventRef(provincial, 2),)
    assert type(events_of(ledger, provincial)[1]).__name__ == "Listed"  # its version 2
    assert ledger.get_listing(provincial).level is Level.PROVINCIAL


def test_under_13_hao_a_provincial_listing_of_another_category_does_not_count(
    ledger: Ledger,
) -> None:
    enterprise_id = enterprise(ledger, "江苏丁印染有限公司")
    on_provincial_list(ledger, enterprise_id, date(2024, 2, 1), category="green_supply_chain")
    open_batch(ledger, 2024, date(2024, 3, 1))
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        national(ledger, enterprise_id)

    assert refused.value.rule_id == "REC-2"
    assert stored_event_count(ledger) == events


def test_under_13_hao_a_factory_nominated_again_needs_its_provincial_listing(
    ledger: Ledger,
) -> None:
    enterprise_id = enterprise(ledger, "江苏戊印染有限公司")
    open_batch(ledger, 2022, date(2022, 9, 16))
    listing_id = nominate_at(ledger, enterprise_id, day=date(2022, 10, 20))
    ledger.publish_batch(
        level="national",
        batch_year=2022,
        announcement=ANNOUNCEMENT,
        listed=[listing_id],
        provenance=by_ministry(date(2023, 3, 23)),
    )
    ledger.remove_listing(
        listing_id, reasons=["withdrawn"], provenance=by_ministry(date(2023, 6, 1))
    )
    open_batch(ledger, 2024, date(2024, 3, 1))

    with pytest.raises(RuleRefusalError) as refused:
        national(ledger, enterprise_id)
    on_provincial_list(ledger, enterprise_id, date(2024, 5, 1))
    again = national(ledger, enterprise_id)

    assert refused.value.rule_id == "REC-2"
    assert again == listing_id
    assert not findings_of(last_event(ledger, again))["REC-2"].applies


def test_under_13_hao_a_park_does_not_need_a_provincial_listing(ledger: Ledger) -> None:
    open_batch(ledger, 2024, date(2024, 3, 1))
    listing_id = nominate_at(
        ledger,
        enterprise(ledger, "江苏某经济开发区"),
        category="green_park",
        year=2024,
        day=date(2024, 6, 1),
        **park(),
    )

    assert "REC-2" not in findings_of(last_event(ledger, listing_id))


def test_under_390_hao_a_national_park_needs_its_provincial_park_listing(ledger: Ledger) -> None:
    off_the_list = enterprise(ledger, "江苏某高新技术产业开发区")
    on_the_list = enterprise(ledger, "江苏某化工园区")
    on_provincial_list(ledger, off_the_list, date(2025, 10, 5))  # a factory, not a park
    provincial = on_provincial_list(
        ledger, on_the_list, date(2025, 10, 5), category="green_park", **park()
    )
    open_batch(ledger, 2025, date(2025, 10, 1))

    with pytest.raises(RuleRefusalError) as refused:
        nominate_at(
            ledger, off_the_list, category="green_park", year=2025, day=date(2025, 10, 20), **park()
        )
    resting = nominate_at(
        ledger, on_the_list, category="green_park", year=2025, day=date(2025, 10, 20), **park()
    )

    assert (refused.value.rule_id, refused.value.rulebook) == ("REC-2", "2025")
    assert refused.value.citation.startswith("工信厅节函〔2025〕390号")
    assert "未列入省级绿色工业园区名单" in refused.value.findings[0].detail
    finding = findings_of(last_event(ledger, resting))["REC-2"]
    assert finding.because == (EventRef(provincial, 2),)  # its Listed event


# -- REC-3: recommendations close on 31 July ------------------------------------------------------


def test_recommendations_close_on_31_july(ledger: Ledger) -> None:
    open_batch(ledger, 2024, date(2024, 3, 1))
    assert ledger.get_batch(Level.NATIONAL, 2024).deadlines[RECOMMENDATIONS] == date(2024, 7, 31)
    in_time = provincial_factory(ledger, "江苏丁纺织有限公司")
    on_the_day = national(ledger, in_time, date(2024, 7, 31))
    late = provincial_factory(ledger, "江苏戊纺织有限公司")
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        national(ledger, late, date(2024, 8, 1))

    assert not findings_of(last_event(ledger, on_the_day))["REC-3"].applies
    assert refused.value.rule_id == "REC-3"
    assert "工信部节〔2024〕13号" in refused.value.citation
    assert "未核实" in refused.value.citation  # the article is not verified
    assert stored_event_count(ledger) == events


def test_a_round_opened_after_31_july_has_no_such_deadline(ledger: Ledger) -> None:
    open_batch(ledger, 2025, date(2025, 10, 15))  # 390号 opened the 2025 round in the autumn

    assert RECOMMENDATIONS not in ledger.get_batch(Level.NATIONAL, 2025).deadlines


def test_a_provincial_round_has_no_31_july(ledger: Ledger) -> None:
    ledger.open_batch(
        level="provincial",
        batch_year=2024,
        region=JIANGSU,
        provenance=by_province(date(2024, 1, 10)),
    )
    listing_id = nominate_at(
        ledger,
        enterprise(ledger, "江苏己纺织有限公司"),
        level="provincial",
        year=2024,
        day=date(2024, 9, 1),
    )

    assert "REC-3" not in findings_of(last_event(ledger, listing_id))


# -- PUB-1: 15 days of publicity ------------------------------------------------------------------


def publicised_round(ledger: Ledger, count: int = 3) -> list[UUID]:
    open_batch(ledger, 2024, date(2024, 3, 1))
    nominees = [
        national(ledger, provincial_factory(ledger, f"江苏公示{n}号纺织有限公司"))
        for n in range(count)
    ]
    ledger.publicise_batch(
        batch_year=2024,
        announcement=NOTICE,
        nominees=nominees,
        provenance=by_ministry(date(2024, 12, 1)),
    )
    return nominees


def test_a_publicity_lasts_15_days_from_its_first(ledger: Ledger) -> None:
    publicised_round(ledger)

    publicity = ledger.get_batch(Level.NATIONAL, 2024).publicity

    assert publicity is not None
    assert (publicity.starts_on, publicity.ends_on) == (date(2024, 12, 1), date(2024, 12, 15))


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        (date(2024, 11, 30), False),  # the day before the first
        (date(2024, 12, 1), True),  # the first day
        (date(2024, 12, 15), True),  # the 15th day
        (date(2024, 12, 16), False),  # the day after
    ],
)
def test_an_objection_is_received_only_during_the_publicity(
    ledger: Ledger, day: date, accepted: bool
) -> None:
    nominee = publicised_round(ledger, 1)[0]
    events = stored_event_count(ledger)

    def object_on() -> None:
        ledger.record_objection(
            batch_year=2024,
            listing_id=nominee,
            objection="反映能耗数据不实",
            provenance=by_ministry(day),
        )

    if accepted:
        object_on()
        (objection,) = ledger.get_batch(Level.NATIONAL, 2024).objections
        assert objection.received_on == day
    else:
        with pytest.raises(RuleRefusalError) as refused:
            object_on()
        assert refused.value.rule_id == "PUB-1"
        assert stored_event_count(ledger) == events


def test_an_objection_against_a_unit_not_publicised_is_refused(ledger: Ledger) -> None:
    publicised_round(ledger, 1)
    other = national(ledger, provincial_factory(ledger, "江苏未公示纺织有限公司"))

    with pytest.raises(RuleRefusalError) as refused:
        ledger.record_objection(
            batch_year=2024,
            listing_id=other,
            objection="异议",
            provenance=by_ministry(date(2024, 12, 5)),
        )

    assert refused.value.rule_id == "PUB-1"


def test_the_list_is_published_after_the_15th_day_not_on_it(ledger: Ledger) -> None:
    nominees = publicised_round(ledger, 1)

    with pytest.raises(RuleRefusalError) as refused:
        ledger.publish_batch(
            level="national",
            batch_year=2024,
            announcement=LIST_NOTICE,
            listed=nominees,
            provenance=by_ministry(date(2024, 12, 15)),
        )
    ledger.publish_batch(
        level="national",
        batch_year=2024,
        announcement=LIST_NOTICE,
        listed=nominees,
        provenance=by_ministry(date(2024, 12, 16)),
    )

    assert refused.value.rule_id == "PUB-1"
    listed = last_event(ledger, nominees[0])
    finding = findings_of(listed)["PUB-1"]
    assert not finding.applies
    assert finding.because[0].originator_id == ledger.get_batch(Level.NATIONAL, 2024).id


def test_a_unit_not_publicised_is_not_listed_once_the_round_has_a_publicity(
    ledger: Ledger,
) -> None:
    publicised_round(ledger, 1)
    other = national(ledger, provincial_factory(ledger, "江苏漏公示纺织有限公司"))

    with pytest.raises(RuleRefusalError) as refused:
        ledger.publish_batch(
            level="national",
            batch_year=2024,
            announcement=LIST_NOTICE,
            listed=[other],
            provenance=by_ministry(date(2025, 1, 22)),
        )

    assert refused.value.rule_id == "PUB-1"


def test_a_nominee_falls_out_between_the_publicity_and_the_list_and_the_ledger_says_why(
    ledger: Ledger,
) -> None:
    kept, also_kept, fallen = publicised_round(ledger, 3)
    objected = ledger.record_objection(
        batch_year=2024,
        listing_id=fallen,
        objection="反映申报产值与统计数据不符",
        objector="实名举报人",
        provenance=by_ministry(date(2024, 12, 9)),
    )

    def publish(reasons: dict[UUID, str] | None) -> None:
        ledger.publish_batch(
            level="national",
            batch_year=2024,
            announcement=LIST_NOTICE,
            listed=[kept, also_kept],
            rejected=[fallen],
            rejection_reasons=reasons,
            provenance=by_ministry(date(2025, 1, 22)),
        )

    events = stored_event_count(ledger)

    with pytest.raises(InvalidInputError) as no_reason:
        publish(None)
    assert no_reason.value.field == "rejection_reasons"
    assert stored_event_count(ledger) == events
    publish({fallen: "异议经核实成立"})

    batch = ledger.get_batch(Level.NATIONAL, 2024)
    assert batch.publicity is not None
    assert (len(batch.publicity.nominees), len(batch.publications[-1].listed)) == (3, 2)
    assert ledger.get_listing(fallen).status is ListingStatus.REJECTED
    why = findings_of(last_event(ledger, fallen))["PUB-1"]
    assert why.applies
    assert "异议经核实成立" in why.detail
    assert "反映申报产值与统计数据不符" in why.detail
    objection_version = max(o.version for o in batch.objections)
    assert EventRef(batch.id, objection_version) in why.because
    assert objected.position is not None
    assert replay(ledger).mismatches == ()


def test_a_publicity_names_pending_nominations_of_the_round(ledger: Ledger) -> None:
    open_batch(ledger, 2024, date(2024, 3, 1))

    with pytest.raises(InvalidInputError) as refused:
        ledger.publicise_batch(
            batch_year=2024,
            announcement=NOTICE,
            nominees=[],
            provenance=by_ministry(date(2024, 12, 1)),
        )

    assert refused.value.field == "nominees"


def test_before_13_hao_there_is_no_publicity_to_open(ledger: Ledger) -> None:
    open_batch(ledger, 2022)
    nominee = nominate_at(ledger, enterprise(ledger, "江苏庚纺织有限公司"), day=date(2022, 10, 20))

    with pytest.raises(InvalidInputError):
        ledger.publicise_batch(
            batch_year=2022,
            announcement=NOTICE,
            nominees=[nominee],
            provenance=by_ministry(date(2023, 1, 5)),
        )
    assert ANNOUNCEMENT.doc_no  # the 2022 round's list is published without one
