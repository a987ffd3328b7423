"""The dashboard's numbers are cached per reader (user, roles, place, day): a second view asks the
database for far less, nobody is ever shown another reader's numbers, and a write shows at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.dashboards import cache, selectors
from tandem.dashboards.tests.test_dashboards import busy  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 300
    cache.forget_all()
    yield
    cache.forget_all()


def _shown(html: str) -> dict[tuple[str, str], str]:
    return {(k, b): n for k, b, n in re.findall(r'data-figure="([^"]+)" data-bucket="([^"]+)">([^<]+)<', html)}


def _expected(user) -> dict[tuple[str, str], str]:
    return {
        (key, bucket): str(n)
        for key, figure in selectors.figures().items()
        if not figure.amount
        for bucket, n in figure.counts(user).items()
    }


def test_a_second_view_is_served_from_the_reader_s_cache(busy, client, cached, django_assert_max_num_queries):  # noqa: F811
    client.force_login(busy.national)
    first = client.get(reverse("dashboard")).content.decode()
    assert "Figures as of" in first and "at least every 5 minutes" in first
    with django_assert_max_num_queries(4):  # session, user, grants, my reports
        again = client.get(reverse("dashboard")).content.decode()
    assert _shown(again) == _shown(first)


@pytest.mark.parametrize("persona", ["regional", "local", "member", "cso", "outsider", "viewer"])
def test_nobody_is_shown_another_reader_s_numbers(busy, client, cached, persona):  # noqa: F811
    client.force_login(busy.national)
    client.get(reverse("dashboard"))  # the national coordinator's numbers are cached
    user = busy.personas[persona]
    client.force_login(user)
    client.get(reverse("dashboard"))
    html = client.get(reverse("dashboard")).content.decode()  # from their own cache entry
    if persona in ("regional", "local", "outsider"):  # nor the national coordinator's units below
        assert "National Capital Region" not in html and "Central Visayas</a>" not in html
    shown = _shown(html)
    expected = _expected(user)
    assert shown and all(expected[k] == v for k, v in shown.items() if k in expected), persona


def test_a_write_or_a_role_change_shows_at_once(busy, client, cached):  # noqa: F811
    from tandem.bodies import services as bodies_services
    from tandem.core import services as core_services
    from tandem.core.models import Role

    client.force_login(busy.national)
    before = _shown(client.get(reverse("dashboard")).content.decode())[("overdue_actions", "8-30")]
    bodies_services.action_item_create(
        actor=busy.admin, body=busy.body, title="Also late", due_date=timezone.localdate() - dt.timedelta(days=9)
    )
    after = _shown(client.get(reverse("dashboard")).content.decode())[("overdue_actions", "8-30")]
    assert int(after) == int(before) + 1
    client.force_login(busy.local)
    local_before = client.get(reverse("dashboard")).content.decode()
    assert "National Capital Region" not in local_before
    with pytest.MonkeyPatch.context() as patch:  # a role granted without any signal: a new key all the same
        patch.setattr(cache, "forget_all", lambda: None)
        core_services.role_grant(actor=None, user=busy.local, role=Role.NATIONAL_COORDINATOR, jurisdiction=busy.ph)
    shown = _shown(client.get(reverse("dashboard")).content.decode())
    assert all(_expected(busy.local)[k] == v for k, v in shown.items() if k in _expected(busy.local))
