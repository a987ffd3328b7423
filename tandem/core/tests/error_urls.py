"""Test-only URLconf: the site's routes plus views that fail on purpose.

Used with ``@override_settings(ROOT_URLCONF="tandem.core.tests.error_urls")``. It
re-exports the site's ``handler500`` so the tests exercise the real error view.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from tandem.urls import handler500
from tandem.urls import urlpatterns as site_urlpatterns

__all__ = ["SECRET_DETAIL", "handler500", "urlpatterns"]

# Text of the exception: it must reach the log, never the page.
SECRET_DETAIL = "kaboom-internal-detail-7f3a9c"


class BoomError(RuntimeError):
    pass


def boom(request):
    raise BoomError(SECRET_DETAIL)


urlpatterns = [
    path("test-only/boom/", boom, name="test_boom"),
    path("test-only/public-boom/", login_not_required(boom), name="test_public_boom"),
    path("api/test-only/boom/", login_not_required(boom), name="test_api_boom"),
    *site_urlpatterns,
]
