"""The assessor confirms, in Chromium, an evaluation a province cited (issue 16, finding 6; ADR
0110): its page lists the citation, the form confirms it, and the page then counts it in the
workload and no longer lists it — under the pages' Content-Security-Policy, with no violation.
"""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from api.http.auth import Role
from domain.ledger import Ledger
from tests.e2e.web.site import Site


def test_the_assessor_confirms_a_cited_evaluation_in_a_browser(
    site: Site, browser: Browser
) -> None:
    assessor_id = site.world.assessor_id
    with Ledger.open(site.api.database_url) as ledger:
        pending = sorted(ledger.get_assessor(assessor_id).cited)
    assert pending, "the page world cites the assessor's evaluations"
    evaluation_id = pending[0]
    issued = site.api.tokens.create(Role.ASSESSOR, assessor_id=assessor_id, name="browser")
    context = browser.new_context(base_url=site.api.base_url)
    violations: list[str] = []
    page = context.new_page()
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        page.goto("/sign-in?next=/assessor")
        page.fill("input[name=token]", issued.token)
        page.click("form.sign-in button[type=submit]")
        expect(page.locator(f"#cited-{evaluation_id}")).to_be_visible()
        page.click("#form-confirmation summary")
        page.select_option("#confirmation-evaluation_id", str(evaluation_id))
        page.fill("#confirmation-effective_on", "2025-06-03")
        page.click("#form-confirmation button[type=submit]")
        page.wait_for_load_state()

        expect(page.locator("#done")).to_be_visible()
        expect(page.locator(f"#cited-{evaluation_id}")).to_have_count(0)
    finally:
        context.close()

    assert violations == []
    with Ledger.open(site.api.database_url) as ledger:
        assessor = ledger.get_assessor(assessor_id)
    assert evaluation_id not in assessor.cited
    assert len(assessor.cited) == len(pending) - 1
