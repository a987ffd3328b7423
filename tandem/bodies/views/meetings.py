"""Pages of meetings: list, export, create, detail, edit, attendance, invitations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.bodies.permissions import requires
from tandem.core import exports, pagination
from tandem.core import selectors as core_selectors
from tandem.core.views.listing import (
    read_filters,
    render_list,
    within_choices,
)
from tandem.core.views.utils import add_service_errors, save_or_show_errors
from tandem.core.views.versioned import versioned_form

from .. import access, selectors, services
from ..forms import (
    DecisionForm,
    MeetingEditForm,
    MeetingForm,
    MembershipChoiceForm,
    meeting_initial,
)
from ..models import MeetingStatus
from ._common import (
    PAGE,
    _body_filter,
    _meeting,
)


def _filtered_meetings(request):
    user = request.user
    filters = read_filters(request)
    only_body, body_param = _body_filter(request)
    status = request.GET.get("status", "")
    if status not in MeetingStatus.values:
        status = ""
    when = request.GET.get("when", "")
    qs = access.visible_meetings(user)
    if filters.term:
        qs = qs.filter(Q(title__icontains=filters.term) | Q(body__name__icontains=filters.term))
    if status:
        qs = qs.filter(status=status)
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(starts_at__gte=now).order_by("starts_at", "id")
    elif when == "past":
        qs = qs.filter(starts_at__lt=now).order_by("-starts_at", "-id")
    else:
        when = ""
        qs = qs.order_by("-starts_at", "-id")
    if filters.within is not None:
        qs = qs.filter(body__jurisdiction__path__startswith=filters.within.path)
    if only_body is not None:
        qs = qs.filter(body=only_body)
    extra = {**body_param, **{k: v for k, v in (("status", status), ("when", when)) if v}}
    query = "&".join(x for x in (filters.query, urlencode(extra)) if x)
    return qs, filters, status, when, query, only_body


@requires("bodies.view")
@require_GET
def meeting_list(request):
    user = request.user
    qs, filters, status, when, query, only_body = _filtered_meetings(request)
    qs = selectors.with_present_count(qs)
    page = pagination.page(request, qs, PAGE)
    context = {
        "page_obj": page,
        "filters": filters,
        "status": status,
        "when": when,
        "only_body": only_body,
        "statuses": MeetingStatus.choices,
        "export_query": query,
        "within_choices": within_choices(user, filters.within),
    }
    return render_list(request, "bodies/meeting_list.html", "bodies/partials/meeting_results.html", context)


@requires("bodies.view")
@require_GET
def meeting_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    qs, *_rest = _filtered_meetings(request)
    statuses = dict(MeetingStatus.choices)
    rows = selectors.with_present_count(qs).values_list(
        "uuid", "body__name", "title", "starts_at", "ends_at", "time_zone", "place", "online_link", "status", "present"
    )

    def generate():
        for uuid, body, title, starts, ends, tz, place, link, status, present in rows.iterator():
            yield [
                str(uuid),
                body,
                title,
                starts,
                ends,
                tz,
                place,
                link,
                str(statuses.get(status, status)),
                present,
            ]

    header = [
        _("UUID"),
        _("Body"),
        _("Title"),
        _("Starts (UTC)"),
        _("Ends (UTC)"),
        _("Time zone"),
        _("Place"),
        _("Online link"),
        _("Status"),
        _("Members present"),
    ]
    return exports.export_response(fmt, "meetings", header, generate(), request=request)


def _meeting_values(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "version"}


@requires("bodies.manage")
@require_http_methods(["GET", "POST"])
def meeting_create(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid, include_archived=False)
    access.require_manage(user, body)
    form = MeetingForm(request.POST or None, initial={"time_zone": selectors.default_time_zone(body)})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=user, body=body, **_meeting_values(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting was scheduled and the members invited."))
            return redirect("meeting_detail", uuid=meeting.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "title": _("Schedule a meeting of %(name)s") % {"name": body.name},
            "cancel_url": reverse("body_detail", args=[body.uuid]),
        },
    )


@requires("bodies.internals")
@require_GET
def meeting_detail(request, uuid):
    user = request.user
    meeting = _meeting(request, uuid)
    body = meeting.body
    minutes = list(access.visible_minutes(user).filter(meeting=meeting).order_by("-number"))
    context = {
        "meeting": meeting,
        "body": body,
        "crumbs": core_selectors.breadcrumb(user, body.jurisdiction),
        "agenda": list(meeting.agenda_items.all()),
        "attendances": list(selectors.meeting_attendances(meeting)),
        "minutes": minutes[0] if minutes else None,
        "minutes_history": minutes[1:],
        "decisions": list(access.visible_decisions(user).filter(meeting=meeting).order_by("number")),
        "items": list(access.visible_action_items(user).filter(meeting=meeting).order_by("due_date", "id")),
        "can_manage": access.can_manage_body(user, body),
        "decision_form": DecisionForm(),
        "today": timezone.localdate(),
        "local_start": timezone.localtime(meeting.starts_at, selectors.zone(meeting.time_zone)),
    }
    return render(request, "bodies/meeting_detail.html", context)


MEETING_FIELDS = ["title", "starts_at", "ends_at", "time_zone", "place", "online_link", "status"]


@requires("bodies.internals")
@require_http_methods(["GET", "POST"])
def meeting_edit(request, uuid):
    user = request.user
    meeting = _meeting(request, uuid)
    access.require_manage(user, meeting.body)
    edit = versioned_form(
        request,
        MeetingEditForm,
        record=meeting,
        initial=meeting_initial(meeting),
        save=lambda data, version: services.meeting_update(
            actor=user, meeting=meeting, expected_version=version, **data
        ),
    )
    if edit.saved:
        return redirect("meeting_detail", uuid=meeting.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            **edit.context(),
            "title": _("Edit %(name)s") % {"name": meeting.title},
            "cancel_url": reverse("meeting_detail", args=[meeting.uuid]),
        },
    )


def _tick_members(request, uuid, *, field, memberships, ticked, label, save, saved, title):
    """Shared page of attendance and invitations: tick members of the meeting, save through ``save``."""
    meeting = _meeting(request, uuid)
    access.require_manage(request.user, meeting.body)
    rows = list(memberships(meeting))
    initial = [str(a.membership_id) for a in selectors.meeting_attendances(meeting) if getattr(a, ticked)]
    form = MembershipChoiceForm(
        request.POST if request.method == "POST" else None,
        initial={field: initial},
        memberships=rows,
        field=field,
        label=label,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(
            request,
            form,
            lambda: save(actor=request.user, meeting=meeting, ids=[int(x) for x in form.cleaned_data[field]]),
            saved,
        )
    ):
        return redirect("meeting_detail", uuid=meeting.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "title": title % {"name": meeting.title},
            "cancel_url": reverse("meeting_detail", args=[meeting.uuid]),
        },
    )


@requires("bodies.internals")
@require_http_methods(["GET", "POST"])
def meeting_attendance(request, uuid):
    return _tick_members(
        request,
        uuid,
        field="present",
        memberships=selectors.members_on_day,
        ticked="attended",
        label=_("Members present"),
        save=lambda *, actor, meeting, ids: services.meeting_record_attendance(
            actor=actor, meeting=meeting, attended_membership_ids=ids
        ),
        saved=_("Attendance saved."),
        title=_("Who came to %(name)s"),
    )


@requires("bodies.internals")
@require_http_methods(["GET", "POST"])
def meeting_invitations(request, uuid):
    return _tick_members(
        request,
        uuid,
        field="invited",
        memberships=lambda meeting: selectors.body_members(meeting.body),
        ticked="invited",
        label=_("Members invited"),
        save=lambda *, actor, meeting, ids: services.meeting_set_invitations(
            actor=actor, meeting=meeting, invited_membership_ids=ids
        ),
        saved=_("Invitations saved."),
        title=_("Who is invited to %(name)s"),
    )
