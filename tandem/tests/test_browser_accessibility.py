"""axe-core (npm, run in Chromium) finds no serious or critical accessibility violation on the main
pages, for a local coordinator, in English and in French (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.tests.test_browser import MAIN_PAGES, sign_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    *MAIN_PAGES,
    "/organisations/new/",
    "/invitations/new/",
    "/account/security/",
]  # and the forms a new coordinator fills in first


@pytest.fixture
def axe_page(browser):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (make test runs npm ci)")
    # axe is injected as a script: the test context alone lets it past the page's CSP.
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def test_main_pages_have_no_serious_accessibility_violations(transactional_db, world, live_server, axe_page):
    from tandem.bodies.tests.factories import cebu_body

    cebu_body(world)
    sign_in(axe_page, live_server, "local")
    found = {}
    for language in ("en", "fr"):
        axe_page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in PAGES:
            response = axe_page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            violations = _violations(axe_page)
            if violations:
                found[f"{language} {path}"] = violations
    assert found == {}, found
