"""The command forms over HTTP, as a browser posts them: every form refuses bad input with a Chinese
message beside the field and writes nothing; a good post redirects to the unit at the command's
position and the page shows the new state; a form posted from another site is refused.

A ledger of its own (the forms write), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest

from api.http.auth import Role
from domain.ledger import Ledger
from tests.conftest import SQL_BACKENDS, empty_postgres
from tests.e2e.http.live import live_api
from tests.e2e.http.world import (
    JIANGSU,
    expect,
    nominate,
    on_provincial_list,
    open_batch,
    register_enterprise,
)
from tests.e2e.web.site import Site, build_world, text_of

pytestmark = pytest.mark.e2e

CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Extra:
    assessed: UUID  # a flagged unit with an open on-site assessment
    rectifying: UUID  # a unit whose enterprise has an energy rectification outstanding
    nominated: UUID  # a nomination awaiting the ministry's publication
    removed: UUID  # a unit the ministry removed
    zhejiang: UUID  # a Zhejiang unit on the list, with no assessment


@pytest.fixture(scope="module", params=SQL_BACKENDS)
def forms_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Site, Extra]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('forms') / 'ledger.db'}"
    else:
        url = str(request.getfixturevalue("postgres_database"))
        empty_postgres(url)
    with live_api(url) as api:
        world = build_world(api)
        ministry, jiangsu = api.ministry(), api.province(JIANGSU)
        assessment = jiangsu.post(
            f"/v1/listings/{world.flagged}/assessments",
            {"reason": "年度填报不达标", "effective_on": "2024-05-01"},
        )
        expect(assessment, 201)
        enterprise = expect(jiangsu.get(f"/v1/listings/{world.flagged}"), 200)["enterprise_id"]
        expect(
            jiangsu.post(
                f"/v1/enterprises/{enterprise}/incidents",
                {
                    "kind": "energy_rectification_overdue",
                    "occurred_on": "2024-05-02",
                    "source": "inspection",
                    "reference": {"title": "节能监察整改通知"},
                    "effective_on": "2024-05-03",
                },
            ),
            201,
        )
        open_batch(ministry, 2025, "2025-05-01")
        awaiting = register_enterprise(jiangsu, "江苏示例待公布有限公司")
        on_provincial_list(jiangsu, awaiting, "2025-05-20")  # REC-2
        nominated = nominate(jiangsu, awaiting, world.assessor_id, year=2025, day="2025-06-01")
        api.settled()
        yield (
            Site(api, world),
            Extra(world.flagged, world.flagged, nominated, world.removed, world.zhejiang),
        )


def position(site: Site) -> int:
    with Ledger.open(site.api.database_url) as ledger:
        return ledger.position


def post_form(
    client: httpx.Client, site: Site, path: str, fields: dict[str, Any]
) -> httpx.Response:
    return client.post(
        path,
        data=fields,
        headers={"Origin": site.api.base_url},
        follow_redirects=False,
    )


def field_error(html: str, form: str, field: str) -> str:
    found = re.search(rf'id="error-{re.escape(form)}-{re.escape(field)}">([^<]*)<', html)
    return found.group(1) if found else ""


BAD_INPUT: list[tuple[str, Role, str, dict[str, Any], str]] = [
    # (form, role, unit, fields posted, field refused)
    ("filing", Role.PROVINCE, "assessed", {"report_year": "明年",
     "indicators.energy_per_unit_product": "500"}, "report_year"),
    ("filing", Role.PROVINCE, "assessed", {"report_year": "2024",
     "indicators.energy_per_unit_product": "约五百"}, "indicators.energy_per_unit_product"),
    ("review", Role.PROVINCE, "assessed", {"report_year": "2023"}, "outcome"),
    ("conclusion", Role.PROVINCE, "assessed", {"outcome": "maybe"}, "outcome"),
    ("proposal", Role.PROVINCE, "assessed", {"reasons": "能耗超标"}, "action"),
    ("incident", Role.PROVINCE, "assessed", {"kind": "safety", "occurred_on": "2024-13-40",
     "source": "credit_china", "reference.title": "处罚"}, "occurred_on"),
    ("rectification", Role.PROVINCE, "rectifying", {"incident_id": "x"}, "incident_id"),
    ("incident-end", Role.PROVINCE, "rectifying", {"ended_on": "昨天"}, "ended_on"),
    ("credit-code", Role.PROVINCE, "assessed", {"uscc": "91350200776049653B"}, "uscc"),
    ("rename", Role.PROVINCE, "assessed", {"name": "   "}, "name"),
    ("removal", Role.MINISTRY, "assessed", {"announcement.doc_no": "工信厅节函〔2025〕1号"},
     "reasons"),
    ("publication", Role.MINISTRY, "nominated", {"outcome": "listed",
     "announcement.date": "2025-12-01"}, "announcement.doc_no"),
    ("filing", Role.PROVINCE, "assessed", {"report_year": "2024",
     "indicators.energy_per_unit_product": "500", "effective_on": "2024/06/01"}, "effective_on"),
    ("assessment", Role.PROVINCE, "zhejiang", {"reason": "  "}, "reason"),
    ("rescission", Role.MINISTRY, "removed", {"reason": ""}, "reason"),
    # Issue 16: the storable-text rule (ADR 0100) and facts no later than today (ADR 0102).
    ("rename", Role.PROVINCE, "assessed", {"name": "江苏上骐\u200b集团有限公司"}, "name"),
    ("rename", Role.PROVINCE, "assessed", {"name": "\u200b\u200b"}, "name"),
    ("assessment", Role.PROVINCE, "zhejiang", {"reason": "年度\x00填报"}, "reason"),
    ("incident", Role.PROVINCE, "assessed", {"kind": "safety", "occurred_on": "2099-01-01",
     "source": "credit_china", "reference.title": "处罚"}, "occurred_on"),
]  # fmt: skip


@pytest.mark.parametrize(("form", "role", "unit", "fields", "refused"), BAD_INPUT)
def test_every_form_refuses_bad_input_in_chinese_and_writes_nothing(
    forms_site: tuple[Site, Extra],
    form: str,
    role: Role,
    unit: str,
    fields: dict[str, Any],
    refused: str,
) -> None:
    site, extra = forms_site
    listing = getattr(extra, unit)
    region = None
    if role is Role.PROVINCE:
        region = "330000" if unit == "zhejiang" else JIANGSU
    before = position(site)
    with site.browser(role, region=region) as browser:
        page = browser.get(f"/units/{listing}")
        assert f'id="form-{form}"' in page.text, f"{form} is not offered"
        answer = post_form(browser, site, f"/units/{listing}/commands/{form}", fields)

    assert answer.status_code == 422, answer.text[:500]
    message = field_error(answer.text, form, refused)
    assert CJK.search(message), f"{form}.{refused}: {message!r}"
    assert "Field required" not in answer.text
    assert position(site) == before


def test_the_assessors_forms_refuse_bad_input_in_chinese(forms_site: tuple[Site, Extra]) -> None:
    site, _ = forms_site
    before = position(site)
    with site.browser(Role.ASSESSOR, assessor_id=site.world.assessor_id) as assessor:
        evaluation = post_form(
            assessor, site, "/assessor/commands/evaluation",
            {"listing_id": "不是编号", "conclusion": "pass", "report.title": "评价报告"},
        )  # fmt: skip
        work = post_form(
            assessor, site, "/assessor/commands/work-report",
            {"report_year": "2024", "evaluations": "2", "passed": "5", "report.title": "报告"},
        )  # fmt: skip

    assert evaluation.status_code == 422
    assert CJK.search(field_error(evaluation.text, "evaluation", "listing_id"))
    assert work.status_code == 422
    assert field_error(work.text, "work-report", "passed") == "通过数 5 超过评价数 2"
    assert position(site) == before


def test_a_refusal_by_the_record_is_shown_above_the_form(forms_site: tuple[Site, Extra]) -> None:
    site, extra = forms_site
    before = position(site)
    with site.browser(Role.PROVINCE, region=JIANGSU) as province:
        answer = post_form(
            province, site, f"/units/{extra.assessed}/commands/filing",
            {"report_year": "2019", "indicators.energy_per_unit_product": "500"},
        )  # fmt: skip

    assert answer.status_code == 422
    assert "早于该单位名单覆盖的第一个年度" in field_error(answer.text, "filing", "report_year")
    assert position(site) == before


def test_a_good_post_redirects_to_the_unit_at_its_position_showing_the_new_state(
    forms_site: tuple[Site, Extra],
) -> None:
    site, extra = forms_site
    with site.browser(Role.PROVINCE, region=JIANGSU) as province:
        page = province.get(f"/units/{extra.assessed}")
        key = re.search(
            r'id="form-proposal".*?name="idempotency_key" value="([^"]+)"', page.text, re.S
        )
        assert key is not None
        fields = {
            "action": "retain",
            "reasons": "现场整改到位",
            "idempotency_key": key.group(1),
            "effective_on": "2025-06-20",
        }
        answer = post_form(province, site, f"/units/{extra.assessed}/commands/proposal", fields)
        again = post_form(province, site, f"/units/{extra.assessed}/commands/proposal", fields)
        assert answer.status_code == 303
        location = answer.headers["location"]
        assert re.fullmatch(
            rf"/units/{extra.assessed}\?min_position=\d+&done=proposal#commands", location
        )
        assert again.headers["location"] == location  # the second click wrote nothing
        shown = province.get(location)

    assert shown.status_code == 200
    assert "已记录：提出调整意见" in text_of(shown.text)
    assert re.search(r'id="status">在名单<', shown.text)


def test_a_form_posted_from_another_site_is_refused(forms_site: tuple[Site, Extra]) -> None:
    site, extra = forms_site
    before = position(site)
    with site.browser(Role.PROVINCE, region=JIANGSU) as province:
        foreign = province.post(
            f"/units/{extra.assessed}/commands/rename",
            data={"name": "江苏被改名有限公司"},
            headers={"Origin": "https://attacker.example"},
        )
        bare = province.post(
            f"/units/{extra.assessed}/commands/rename", data={"name": "江苏被改名有限公司"}
        )

    assert foreign.status_code == 403
    assert bare.status_code == 403
    assert position(site) == before


def test_a_province_gets_no_forms_for_another_region(forms_site: tuple[Site, Extra]) -> None:
    site, _ = forms_site
    with site.browser(Role.PROVINCE, region="330000") as zhejiang:
        page = zhejiang.get(f"/units/{site.world.flagged}")
        answer = post_form(
            zhejiang, site, f"/units/{site.world.flagged}/commands/rename", {"name": "改名"}
        )

    assert 'id="commands"' not in page.text
    assert answer.status_code == 403


# -- the province's other pages ------------------------------------------------------------------


def test_the_queue_page_links_each_unit_to_its_form(forms_site: tuple[Site, Extra]) -> None:
    site, extra = forms_site
    with site.browser(Role.PROVINCE, region=JIANGSU) as province:
        page = province.get("/queue", params={"report_year": "2023"})
        other = province.get("/queue", params={"region": "330000"})
        download = province.get("/queue.xlsx", params={"report_year": "2023"})

    assert page.status_code == 200
    reviewed = page.text.split('id="reviewed"')[1].split("</section>")[0]
    assert "江苏蓝天纺织有限公司" in reviewed
    awaiting = page.text.split('id="awaiting"')[1].split("</section>")[0]
    assert f'href="/units/{extra.nominated}#form-publication"' in awaiting
    assert other.status_code == 403
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")


def test_the_public_pages_show_the_catalogue_and_the_pass_rates(
    forms_site: tuple[Site, Extra],
) -> None:
    site, _ = forms_site
    with site.browser() as anyone:
        indicators = anyone.get("/indicators")
        rates = anyone.get("/assessors/pass-rates", params={"batch_year": "2022"})
        bad = anyone.get("/assessors/pass-rates", params={"batch_year": "去年"})

    assert indicators.status_code == 200
    assert "单位产品综合能耗" in indicators.text
    assert "kgce/t" in indicators.text
    assert rates.status_code == 200
    assert "第三方评价机构1" in text_of(rates.text)
    assert bad.status_code == 422


def test_the_assessors_page_offers_its_two_forms(forms_site: tuple[Site, Extra]) -> None:
    site, _ = forms_site
    with site.browser(Role.ASSESSOR, assessor_id=site.world.assessor_id) as assessor:
        page = assessor.get("/assessor")
    with site.browser(Role.PROVINCE, region=JIANGSU) as province:
        refused = province.get("/assessor")

    assert page.status_code == 200
    assert 'id="form-evaluation"' in page.text
    assert 'id="form-work-report"' in page.text
    assert refused.status_code == 403


def test_the_assessor_confirms_a_cited_evaluation_on_its_page(
    forms_site: tuple[Site, Extra],
) -> None:
    """Issue 18 left the confirmation form undone; issue 16 (finding 6) needs it: the page lists
    the evaluations provinces cited, the form confirms one, and only then does it count."""
    site, _ = forms_site
    assessor_id = site.world.assessor_id
    with Ledger.open(site.api.database_url) as ledger:
        pending = ledger.get_assessor(assessor_id).cited
        counted = len(ledger.get_assessor(assessor_id).evaluations)
    evaluation_id = sorted(pending)[0]
    with site.browser(Role.ASSESSOR, assessor_id=assessor_id) as assessor:
        page = assessor.get("/assessor")
        refused = post_form(assessor, site, "/assessor/commands/confirmation", {})
        done = post_form(
            assessor,
            site,
            "/assessor/commands/confirmation",
            {"evaluation_id": str(evaluation_id), "effective_on": "2025-06-02"},
        )
        after = assessor.get(done.headers["location"])

    assert 'id="form-confirmation"' in page.text
    assert f'id="cited-{evaluation_id}"' in page.text
    assert f'<option value="{evaluation_id}"' in page.text
    assert "待确认的评价" in text_of(page.text)
    assert refused.status_code == 422
    assert CJK.search(field_error(refused.text, "confirmation", "evaluation_id"))
    assert done.status_code == 303
    assert f'id="cited-{evaluation_id}"' not in after.text
    assert 'id="done"' in after.text
    with Ledger.open(site.api.database_url) as ledger:
        assessor_now = ledger.get_assessor(assessor_id)
        assert evaluation_id not in assessor_now.cited
        assert len(assessor_now.evaluations) == counted + 1


def test_a_page_asked_for_a_position_not_reached_answers_503(
    forms_site: tuple[Site, Extra],
) -> None:
    site, extra = forms_site
    with site.browser(Role.PROVINCE, region=JIANGSU) as province:
        ahead = province.get(f"/units/{extra.assessed}", params={"min_position": "999999999"})
        bad = province.get(f"/units/{extra.assessed}", params={"min_position": "上一个"})

    assert ahead.status_code == 503
    assert ahead.headers["retry-after"] == "1"
    assert "读模型尚未更新到台账位置 999999999" in text_of(ahead.text)
    assert bad.status_code == 422
