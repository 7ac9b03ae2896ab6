"""Cross-site requests and the security headers (issue 16): sign-in, sign-out and every form a
browser posts from another site's page are refused with 403 in Chinese first and change nothing;
bearer-token API calls are untouched; every answer forbids framing and sniffing, loads only from
this server and keeps its Referer to itself.

On the page tests' small world (tests/e2e/web/site.py), SQLite and PostgreSQL.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser

from api.http.auth import Role
from domain.ledger import Ledger
from tests.e2e.http.world import JIANGSU, register_enterprise
from tests.e2e.web.site import Site

pytestmark = pytest.mark.e2e

ATTACKER = "https://attacker.example"
#: What a browser sends with a form another site's page posts (one or the other, or both).
FOREIGN_HEADERS: list[dict[str, str]] = [
    {"Origin": ATTACKER},
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "null"},
    {"Referer": f"{ATTACKER}/phish.html"},
    {"Sec-Fetch-Site": "same-site", "Origin": "https://ledger-mirror.example"},
]


def position(site: Site) -> int:
    with Ledger.open(site.api.database_url) as ledger:
        return ledger.position


def assert_refused_in_chinese(answer: httpx.Response) -> None:
    assert answer.status_code == 403, answer.text
    assert answer.text.index("拒绝跨站请求") < answer.text.index("Cross-site request refused")
    assert "set-cookie" not in answer.headers


@pytest.mark.parametrize("foreign", FOREIGN_HEADERS)
def test_a_sign_in_posted_from_another_site_is_refused(site: Site, foreign: dict[str, str]) -> None:
    """Login CSRF: another site's page signs the visitor in with the attacker's own token."""
    issued = site.api.tokens.create(Role.PROVINCE, region=JIANGSU, name="attacker's")
    with httpx.Client(base_url=site.api.base_url, timeout=60) as browser:
        answer = browser.post(
            "/sign-in",
            data={"token": issued.token, "next": "/"},
            headers={**foreign, "Accept": "text/html"},
            follow_redirects=False,
        )
        assert not browser.cookies

    assert_refused_in_chinese(answer)
    assert answer.headers["content-type"].startswith("text/html")


def test_a_sign_out_posted_from_another_site_is_refused_and_keeps_the_session(site: Site) -> None:
    with site.browser(Role.PROVINCE, region=JIANGSU) as province:
        answer = province.post("/sign-out", headers={"Origin": ATTACKER}, follow_redirects=False)
        still = province.get("/province")

    assert_refused_in_chinese(answer)
    assert still.status_code == 200


def test_forms_posted_from_this_site_still_work(site: Site) -> None:
    issued = site.api.tokens.create(Role.MINISTRY, name="desk")
    base = site.api.base_url
    with httpx.Client(base_url=base, timeout=60) as browser:
        signed_in = browser.post(
            "/sign-in",
            data={"token": issued.token, "next": "/province"},
            headers={"Origin": base, "Sec-Fetch-Site": "same-origin"},
            follow_redirects=False,
        )
        page = browser.get("/province")
        signed_out = browser.post(
            "/sign-out", headers={"Referer": f"{base}/province"}, follow_redirects=False
        )

    assert signed_in.status_code == 303
    assert page.status_code == 200
    assert signed_out.status_code == 303
    assert "greenledger_token=" in signed_out.headers["set-cookie"]


def test_the_other_cookie_forms_posted_from_another_site_write_nothing(site: Site) -> None:
    before = position(site)
    with site.browser(Role.AUDITOR) as auditor:
        audit = auditor.post("/audit/reports", data={}, headers={"Sec-Fetch-Site": "cross-site"})
    with site.browser(Role.PROVINCE, region=JIANGSU) as province:
        upload = province.post(
            "/filings/upload",
            files={"file": ("filings.xlsx", b"PK\x03\x04", "application/octet-stream")},
            headers={"Origin": ATTACKER},
        )
        command = province.post(
            f"/units/{site.world.flagged}/commands/rename",
            data={"name": "江苏被改名有限公司"},
            headers={"Sec-Fetch-Site": "cross-site", "Accept": "application/json"},
        )

    for answer in (audit, upload):
        assert_refused_in_chinese(answer)
    assert command.status_code == 403
    assert command.headers["content-type"] == "application/problem+json"
    assert command.json()["zh"]["title"] == "拒绝跨站请求"
    assert position(site) == before


def test_bearer_token_calls_are_not_affected(site: Site) -> None:
    """A client of the API carries its authority in a header no other site's page can set: an
    `Origin` it happens to send changes nothing."""
    jiangsu = site.api.province(JIANGSU)
    jiangsu.client.headers.update({"Origin": ATTACKER, "Sec-Fetch-Site": "cross-site"})
    try:
        enterprise = register_enterprise(jiangsu, "江苏跨站无关有限公司")
    finally:
        del jiangsu.client.headers["Origin"]
        del jiangsu.client.headers["Sec-Fetch-Site"]
    assert enterprise is not None


SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


@pytest.mark.parametrize(
    "path",
    ["/", "/sign-in", "/static/style.css", "/v1/list", "/v1/listings/x", "/health", "/nowhere",
     "/over-time", "/docs", "/redoc", "/openapi.json"],
)  # fmt: skip
def test_every_answer_carries_the_security_headers(site: Site, path: str) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        answer = ministry.get(path)

    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, (path, name)
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert len(answer.headers.get_list("content-security-policy")) == 1


def test_the_pages_need_no_inline_style_or_script(site: Site) -> None:
    """The pages' policy allows no inline script or style: the pages use none."""
    with site.browser(Role.MINISTRY) as ministry:
        pages = [ministry.get(path) for path in ("/", "/over-time", "/province", "/changes")]

    for page in pages:
        assert page.status_code == 200
        assert "'unsafe-inline'" not in page.headers["content-security-policy"]
        assert " style=" not in page.text
        assert "<script" not in page.text


def test_the_pages_break_no_rule_of_their_policy_in_a_browser(site: Site, browser: Browser) -> None:
    """In Chromium, signed in through the form: the list, a unit, the charts, the province's page
    and the API documentation load with no Content-Security-Policy violation reported."""
    issued = site.api.tokens.create(Role.MINISTRY, name="browser")
    context = browser.new_context(base_url=site.api.base_url)
    violations: list[str] = []
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        page.goto("/sign-in")
        page.fill("input[name=token]", issued.token)
        page.click("form.sign-in button[type=submit]")
        page.wait_for_load_state()
        assert "greenledger_token" in {c["name"] for c in context.cookies()}
        for path in ("/", f"/units/{site.world.flagged}", "/over-time", "/province", "/docs"):
            answer = page.goto(path)
            assert answer is not None
            assert answer.status == 200, path
            page.wait_for_load_state("networkidle")
    finally:
        context.close()

    assert violations == []
