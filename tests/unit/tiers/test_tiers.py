"""The three lists on the write side (ADR 0140–0142): the prefectures under their regions, a
province's own rounds, its own filing date (黑龙江, at its boundary), and stars."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import RuleRefusalError
from domain.ledger import Ledger
from domain.tiers.cities import City, check_tier
from domain.tiers.commands import RenameRequest
from domain.tiers.errors import TierInputError, TierRefusedError
from domain.tiers.regional import own_bar_years, parameter
from domain.values import Level, Reference, Region
from tests.builders import by_province
from tests.unit.rules.rule_ledger import SELF_EVALUATION, enterprise, events_of

HEILONGJIANG = "230000"
JIANGSU = "320000"
NOTICE = Reference(doc_no="示例省工信厅〔2024〕1号")


def test_the_prefectures_are_the_333_of_gb_t_2260_under_the_regions_that_report_for_them() -> None:
    cities = City.all()
    assert len(cities) == 333
    assert all(Region.of(c.region_code) for c in cities)
    assert len(City.of_region(JIANGSU)) == 13
    # 计划单列市: each is the one city of its own reporting region, not of its province's.
    for planning in ("210200", "370200", "330200", "350200", "440300"):
        assert [c.code for c in City.of_region(planning)] == [planning]
    assert "330200" not in {c.code for c in City.of_region("330000")}
    assert len(City.of_region("330000")) == 10
    # No prefecture-level division: the municipalities and the Corps.
    for none in ("110000", "120000", "310000", "500000", "660000"):
        assert City.of_region(none) == ()


@pytest.mark.parametrize(
    ("level", "region", "city", "field_zh"),
    [
        (Level.MUNICIPAL, JIANGSU, None, "市级名单须填写城市代码（六位）"),
        (Level.MUNICIPAL, JIANGSU, "330100", "杭州市（330100）不属于江苏省"),
        (Level.MUNICIPAL, "330000", "330200", "宁波市（330200）不属于浙江省"),
        (Level.MUNICIPAL, "310000", "310100", "“310100”不是地级行政区划代码（GB/T 2260）"),
        (Level.PROVINCIAL, JIANGSU, "320500", "只有市级名单填写城市，省级名单不填"),
    ],
)
def test_a_city_outside_its_region_or_on_another_level_is_refused_naming_the_field(
    level: Level, region: str, city: str | None, field_zh: str
) -> None:
    with pytest.raises(TierInputError) as refused:
        check_tier(level, Region.of(region), city)
    assert refused.value.field == "city"
    assert refused.value.reason_zh == field_zh


def test_a_city_inside_its_region_is_taken() -> None:
    assert check_tier(Level.MUNICIPAL, Region.of(JIANGSU), "320500") == "320500"
    assert check_tier(Level.MUNICIPAL, Region.of("330200"), "330200") == "330200"


def _provincial_listing(ledger: Ledger, region: str, name: str, level: str = "provincial") -> UUID:
    city = "230100" if level == "municipal" else None
    company = enterprise(ledger, name, region=region)
    ledger.open_batch(
        level=level, batch_year=2023, region=region, city=city,
        provenance=by_province(date(2023, 5, 1), region),
    )  # fmt: skip
    receipt = ledger.nominate_listing(
        enterprise_id=company,
        category="green_factory",
        level=level,
        batch_year=2023,
        self_evaluation=SELF_EVALUATION,
        city=city,
        provenance=by_province(date(2023, 6, 1), region),
    )
    assert receipt.id is not None
    ledger.publish_batch(
        level=level,
        batch_year=2023,
        region=region,
        city=city,
        announcement=NOTICE,
        listed=[receipt.id],
        provenance=by_province(date(2023, 12, 1), region),
    )
    return receipt.id


def test_heilongjiang_units_on_its_own_lists_file_by_30_march(memory_ledger: Ledger) -> None:
    """黑龙江's 实施细则 (unverified date): the 2024 table of a unit on its provincial list is
    overdue on 31 March 2025, not on the 30th; a unit of its national list keeps 15 April."""
    ledger = memory_ledger
    provincial = _provincial_listing(ledger, HEILONGJIANG, "黑龙江示例甲厂有限公司")
    with pytest.raises(RuleRefusalError):
        ledger.record_filing_overdue(
            provincial, report_year=2024, provenance=by_province(date(2025, 3, 30), HEILONGJIANG)
        )
    ledger.record_filing_overdue(
        provincial, report_year=2024, provenance=by_province(date(2025, 3, 31), HEILONGJIANG)
    )
    overdue = events_of(ledger, provincial)[-1]
    assert overdue.deadline == date(2025, 3, 30)
    (finding,) = overdue.rule_findings
    assert "黑龙江省绿色工厂梯度培育及管理实施细则" in finding.detail
    assert "未核实" in finding.detail


def test_a_municipal_list_of_heilongjiang_keeps_the_same_date_and_jiangsu_keeps_15_april(
    memory_ledger: Ledger,
) -> None:
    ledger = memory_ledger
    municipal = _provincial_listing(ledger, HEILONGJIANG, "黑龙江示例乙厂有限公司", "municipal")
    ledger.record_filing_overdue(
        municipal, report_year=2024, provenance=by_province(date(2025, 3, 31), HEILONGJIANG)
    )
    jiangsu = _provincial_listing(ledger, JIANGSU, "江苏示例丙厂有限公司")
    with pytest.raises(RuleRefusalError):
        ledger.record_filing_overdue(
            jiangsu, report_year=2024, provenance=by_province(date(2025, 4, 15), JIANGSU)
        )
    ledger.record_filing_overdue(
        jiangsu, report_year=2024, provenance=by_province(date(2025, 4, 16), JIANGSU)
    )


def test_the_regional_parameters_say_what_is_unverified() -> None:
    deadline = parameter(HEILONGJIANG, "filing_deadline")
    assert deadline is not None
    assert not deadline.verified
    assert deadline.value == "03-30"
    assert own_bar_years(Level.PROVINCIAL, Region.of("370000")) is not None
    assert own_bar_years(Level.NATIONAL, Region.of("370000")) is None
    stars = parameter("130000", "stars")
    assert stars is not None
    assert stars.verified


def test_stars_rate_provincial_listings_and_keep_their_history(memory_ledger: Ledger) -> None:
    ledger = memory_ledger
    listing_id = _provincial_listing(ledger, JIANGSU, "江苏示例丁厂有限公司")
    for stars, day in ((4, date(2024, 3, 1)), (5, date(2024, 9, 26)), (3, date(2025, 3, 1))):
        ledger.rate_stars(listing_id, stars=stars, announcement=NOTICE, provenance=by_province(day))
    listing = ledger.get_listing(listing_id)
    assert listing.stars_on(date(2024, 2, 29)) is None
    assert listing.stars_on(date(2024, 3, 1)) == 4
    assert listing.stars_on(date(2024, 9, 25)) == 4
    assert listing.stars_on(date(2024, 9, 26)) == 5
    assert listing.stars_on(date(2025, 2, 28)) == 5
    assert listing.stars_on(date(2025, 3, 1)) == 3
    for refused in (2, 6):
        with pytest.raises(TierInputError):
            ledger.rate_stars(
                listing_id, stars=refused, announcement=NOTICE,
                provenance=by_province(date(2025, 4, 1)),
            )  # fmt: skip


def test_a_national_listing_has_no_stars(memory_ledger: Ledger) -> None:
    ledger = memory_ledger
    company = enterprise(ledger, "江苏示例戊厂有限公司")
    ledger.open_batch(level="national", batch_year=2023, provenance=by_province(date(2023, 5, 1)))
    receipt = ledger.nominate_listing(
        enterprise_id=company,
        category="green_factory",
        level="national",
        batch_year=2023,
        self_evaluation=SELF_EVALUATION,
        provenance=by_province(date(2023, 10, 1)),
    )
    assert receipt.id is not None
    with pytest.raises(TierRefusedError):
        ledger.rate_stars(
            receipt.id, stars=4, announcement=NOTICE, provenance=by_province(date(2024, 3, 1))
        )


def test_a_publication_renames_on_the_province_s_own_list(memory_ledger: Ledger) -> None:
    ledger = memory_ledger
    listing_id = _provincial_listing(ledger, JIANGSU, "江苏示例己厂有限公司")
    ledger.open_batch(
        level="provincial", batch_year=2024, region=JIANGSU,
        provenance=by_province(date(2024, 5, 1)),
    )  # fmt: skip
    ledger.publish_batch(
        level="provincial",
        batch_year=2024,
        region=JIANGSU,
        announcement=NOTICE,
        renamed=[RenameRequest(listing_id, "江苏示例己厂集团有限公司")],
        provenance=by_province(date(2024, 12, 1)),
    )
    company = ledger.get_enterprise(ledger.get_listing(listing_id).enterprise_id)
    assert company.name == "江苏示例己厂集团有限公司"
    found = ledger.find_enterprise(region=JIANGSU, name="江苏示例己厂集团有限公司")
    assert found is not None
    assert found.id == company.id


def test_closing_a_filing_year_covers_the_provinces_own_rounds(memory_ledger: Ledger) -> None:
    ledger = memory_ledger
    provincial = _provincial_listing(ledger, HEILONGJIANG, "黑龙江示例庚厂有限公司")
    municipal = _provincial_listing(ledger, HEILONGJIANG, "黑龙江示例辛厂有限公司", "municipal")
    receipt = ledger.close_filing_year(2024, by_province(date(2025, 4, 16), HEILONGJIANG))
    assert set(receipt.ids) == {provincial, municipal}
    overdue = events_of(ledger, municipal)[-1]
    assert overdue.deadline == date(2025, 3, 30)
