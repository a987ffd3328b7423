"""The notification centre: the list (filter by unread and kind), open, mark read, settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access

from . import selectors, services
from .kinds import KINDS
from .models import Frequency
from .permissions import requires

PAGE = 25


@requires("signed_in")
@require_GET
def notification_list(request):
    filters = selectors.Filters.clean(unread=request.GET.get("unread"), kind=request.GET.get("kind"))
    qs, unread = selectors.centre(request.user, filters)
    query = urlencode({k: v for k, v in (("unread", "1" if filters.unread else ""), ("kind", filters.kind)) if v})
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": Paginator(qs, PAGE).get_page(request.GET.get("page")),
            "filters": filters,
            "kinds": [(k.code, k.label) for k in KINDS.values()],
            "query": query,
            "unread": unread,
        },
    )


@requires("signed_in")
@require_GET
def notification_badge(request):
    """The header's unread count, fetched by htmx after the page loads (so no page pays its query;
    without JavaScript the header shows a plain link to the centre)."""
    count = selectors.unread_count(request.user)
    return render(request, "notifications/badge_count.html", {"notifications_unread": count})


@requires("signed_in")
@require_GET
def notification_open(request, uuid):
    """Open the record a notification is about (and mark it read)."""
    notification = core_access.get_visible_or_404(selectors.notifications(request.user), uuid=uuid)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = notification.url
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "/"
    return HttpResponseRedirect(target)


@requires("signed_in")
@require_POST
def notification_mark_read(request, uuid):
    notification = core_access.get_visible_or_404(selectors.notifications(request.user), uuid=uuid)
    read = request.POST.get("read", "1") == "1"
    services.notification_mark_read(actor=request.user, notification=notification, read=read)
    return redirect(_back(request))


@requires("signed_in")
@require_POST
def notification_read_all(request):
    filters = selectors.Filters.clean(kind=request.POST.get("kind"))
    count = services.notifications_mark_all_read(
        actor=request.user, queryset=selectors.notifications(request.user, filters)
    )
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/notifications/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return "/notifications/"


@requires("signed_in")
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """Per kind: in Tandem and by e-mail, immediately, in a daily digest or never."""
    current = {p.kind: p for p in selectors.preferences(request.user)}
    errors = []
    if request.method == "POST":
        for code in KINDS:
            in_app = request.POST.get(f"{code}:in_app", Frequency.IMMEDIATELY)
            email = request.POST.get(f"{code}:email", Frequency.IMMEDIATELY)
            if in_app not in Frequency.values or email not in Frequency.values:
                errors.append(code)
                continue
            pref = current.get(code)
            if pref is None and in_app == email == Frequency.IMMEDIATELY:
                continue
            if pref is not None and pref.in_app == in_app and pref.email == email:
                continue
            services.preference_set(actor=request.user, kind=code, in_app=in_app, email=email)
        if not errors:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notification_preferences")
    rows = [
        {
            "code": k.code,
            "label": k.label,
            "group": k.group,
            "in_app": current[k.code].in_app if k.code in current else Frequency.IMMEDIATELY,
            "email": current[k.code].email if k.code in current else Frequency.IMMEDIATELY,
        }
        for k in KINDS.values()
    ]
    status = 400 if errors else 200
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "frequencies": Frequency.choices, "errors": errors},
        status=status,
    )
