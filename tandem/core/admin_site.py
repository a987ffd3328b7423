"""The Django admin site behind Tandem's own sign-in and second factor.

* Its sign-in page sends to Tandem's (``login``), so the lock-out (django-axes)
  and the second factor apply to the admin exactly as to every page.
* ``has_permission`` also requires the second factor in this session: a staff
  session that has not verified it sees the admin's sign-in redirect, never a page.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


class TandemAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        from tandem.core import mfa

        return super().has_permission(request) and mfa.is_verified(request)

    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if request.user.is_authenticated:
            # Signed in but not staff: Tandem's sign-in page would send them straight back here.
            raise PermissionDenied
        query = QueryDict(mutable=True)
        target = request.GET.get(REDIRECT_FIELD_NAME) or resolve_url("admin:index")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = resolve_url("admin:index")
        query[REDIRECT_FIELD_NAME] = target
        return HttpResponseRedirect(f"{resolve_url('login')}?{query.urlencode(safe='/')}")


class TandemAdminConfig(AdminConfig):
    default_site = "tandem.core.admin_site.TandemAdminSite"
