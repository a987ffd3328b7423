"""axe-core finds no serious or critical accessibility violation on the assessment pages (with results,
the radar and the heat table), in English and in French."""

from __future__ import annotations

import pytest

from tandem.tests.test_browser import sign_in
from tandem.tests.test_browser_accessibility import _violations, axe_page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_assessment_pages_have_no_serious_accessibility_violations(transactional_db, world, live_server, axe_page):  # noqa: F811
    from .factories import answer_all, cebu_assessment, visayas_mapping

    a = cebu_assessment(world)
    answer_all(world.respondent, world.member, lambda i: 2)
    mapping = visayas_mapping(world)
    pages = {
        "local": [
            "/assessment/",
            f"/assessment/{a.uuid}/",
            f"/assessment/{a.uuid}/respondents/new/",
            f"/assessment/respondents/{world.respondent.uuid}/",
            "/assessment/frameworks/tandem-nlc/1.0/",
        ],
        "member": [f"/assessment/{a.uuid}/answer/", f"/assessment/{a.uuid}/evidence/"],
        "national": ["/assessment/compare/", f"/assessment/mapping/{mapping.uuid}/"],
    }
    found = {}
    for username, paths in pages.items():
        sign_in(axe_page, live_server, username)
        for language in ("en", "fr"):
            axe_page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            for path in paths:
                response = axe_page.goto(f"{live_server.url}{path}")
                assert response.status == 200, path
                violations = _violations(axe_page)
                if violations:
                    found[f"{username} {language} {path}"] = violations
    assert found == {}, found


def test_assessment_pages_fit_a_phone(transactional_db, world, live_server, page):
    from .factories import answer_all, cebu_assessment

    a = cebu_assessment(world)
    answer_all(world.respondent, world.member, lambda i: 2)
    page.set_viewport_size({"width": 390, "height": 844})
    wide = {}
    for username, path in (
        ("local", f"/assessment/{a.uuid}/"),
        ("member", f"/assessment/{a.uuid}/answer/"),
        ("national", "/assessment/compare/"),
    ):
        sign_in(page, live_server, username)
        assert page.goto(f"{live_server.url}{path}").status == 200
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    assert wide == {}, f"pages wider than the phone: {wide}"
