"""URLs of ``manage.py bench_scale``: the project's own, plus the floor.

The floor is the cheapest page a signed-in user can get: the full middleware stack and one
indexed query (the user's own row by primary key). Page times are read against it. This
module is only the benchmark's ``ROOT_URLCONF`` (set while it runs), never the site's.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.html import escape

from .models import User
from .permissions import requires


@requires("signed_in")
def floor(request: HttpRequest) -> HttpResponse:
    name = User.objects.filter(pk=request.user.pk).values_list("username", flat=True).first()  # access-ok: own row
    return HttpResponse(f"<!doctype html><title>floor</title><p>{escape(name)}</p>")


urlpatterns = [
    path("__bench__/floor/", floor, name="bench_floor"),
    path("", include("tandem.urls")),
]
