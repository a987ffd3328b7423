"""Pages of the coordination bodies: bodies, members, seats, meetings, minutes, decisions, action items."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core import access as core_access
from tandem.core import exports
from tandem.core import selectors as core_selectors
from tandem.core.pdf import PdfDocument
from tandem.core.security import client_ip
from tandem.core.views.listing import (
    ArchiveTexts,
    archive_page,
    conflict_differences,
    read_filters,
    render_list,
    within_choices,
)
from tandem.core.views.utils import add_service_errors, save_or_show_errors

from . import access, ics, selectors, services
from .forms import (
    ActionItemEditForm,
    ActionItemForm,
    ActionStatusForm,
    BodyEditForm,
    BodyForm,
    DecisionForm,
    MeetingEditForm,
    MeetingForm,
    MembershipChoiceForm,
    MembershipEndForm,
    MembershipForm,
    MinutesForm,
    SeatAssignForm,
    SeatForm,
    meeting_initial,
)
from .models import ActionStatus, BodyKind, MeetingStatus, MinutesStatus

PAGE = settings.TANDEM_PAGE_SIZE
OPEN_STATUSES = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]


def _country_organisations(user: Any, body) -> Any:
    """Organisations the body's manager may pick: active ones in the body's country."""
    return access.member_candidates(user, body).order_by("name", "id")


def _country_people(user: Any) -> Any:
    return core_access.visible_people(user).order_by("full_name", "id")


# --- Bodies --------------------------------------------------------------------------------


def _filtered_bodies(request):
    user = request.user
    filters = read_filters(request)
    kind = request.GET.get("kind", "")
    if kind not in BodyKind.values:
        kind = ""
    qs = access.visible_bodies(user, include_archived=filters.archived)
    if filters.archived:
        qs = qs.filter(archived_at__isnull=False)
    if filters.term:
        qs = qs.filter(Q(name__icontains=filters.term) | Q(mandate__icontains=filters.term))
    if kind:
        qs = qs.filter(kind=kind)
    if filters.within is not None:
        qs = qs.filter(jurisdiction__path__startswith=filters.within.path)
    qs = qs.annotate(
        current_members=Count("memberships", filter=access.current_membership_q("memberships__"), distinct=True)
    )
    return qs.order_by("name", "id"), filters, kind


@require_GET
def body_list(request):
    user = request.user
    qs, filters, kind = _filtered_bodies(request)
    qs = access.with_internals_flag(user, qs)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    query = filters.query + (("&" if filters.query else "") + urlencode({"kind": kind}) if kind else "")
    context = {
        "page_obj": page,
        "filters": filters,
        "kind": kind,
        "kinds": BodyKind.choices,
        "export_query": query,
        "within_choices": within_choices(user, filters.within),
        "can_create": core_access.has_any_rank(user, core_access.COORDINATOR_RANK),
    }
    return render_list(request, "bodies/body_list.html", "bodies/partials/body_results.html", context)


@require_GET
def body_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    qs, _filters, _kind = _filtered_bodies(request)
    kinds = dict(BodyKind.choices)
    rows = qs.values_list(
        "uuid", "name", "kind", "jurisdiction__name", "current_members", "mandate_reviewed_on", "archived_at"
    )

    def generate():
        for uuid, name, kind, place, members, reviewed, archived in rows.iterator():
            yield [
                str(uuid),
                name,
                str(kinds.get(kind, kind)),
                place,
                members,
                reviewed.isoformat() if reviewed else "",
                archived.date().isoformat() if archived else "",
            ]

    header = [
        _("UUID"),
        _("Name"),
        _("Type"),
        _("Jurisdiction"),
        _("Current members"),
        _("Mandate last reviewed"),
        _("Archived"),
    ]
    return exports.export_response(fmt, "bodies", header, generate())


@require_http_methods(["GET", "POST"])
def body_create(request):
    user = request.user
    core_access.require_any_rank(user, core_access.COORDINATOR_RANK)
    jurisdictions = core_access.managed_jurisdictions(user)
    initial = {}
    within = core_selectors.resolve_within(user, request.GET.get("within"))
    if within is not None and core_access.can_manage(user, within):
        initial["jurisdiction"] = within
    form = BodyForm(request.POST or None, initial=initial, jurisdictions=jurisdictions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            body = services.body_create(actor=user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": body.name})
            return redirect("body_detail", uuid=body.uuid)
    return render(
        request,
        "bodies/form.html",
        {"form": form, "title": _("Add a coordination body"), "cancel_url": reverse("body_list")},
    )


@require_GET
def body_detail(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid)
    internals = access.can_see_internals(user, body)
    members = list(selectors.body_members(body))
    contacts = selectors.representative_contacts(user, members) if internals else {}
    for m in members:
        m.contact = contacts.get(m.person_id)
    context = {
        "body": body,
        "crumbs": core_selectors.breadcrumb(user, body.jurisdiction),
        "objectives": list(body.objectives.all()),
        "seats": selectors.body_seats(body),
        "members": members,
        "past_members": list(selectors.body_members(body, current=False)[:50]),
        "inclusivity": selectors.body_inclusivity(body),
        "internals": internals,
        "can_manage": access.can_manage_body(user, body),
    }
    if internals:
        context.update(
            health=selectors.body_health(body),
            upcoming=list(selectors.upcoming_meetings(user, body)),
            recent=list(selectors.recent_meetings(user, body)),
            open_items=list(
                access.visible_action_items(user)
                .filter(body=body, status__in=OPEN_STATUSES)
                .order_by("due_date", "id")[:20]
            ),
            today=timezone.localdate(),
        )
        if not body.is_archived:
            context["feed_url"] = request.build_absolute_uri(
                reverse("body_calendar_feed", args=[body.uuid, body.calendar_token])
            )
    return render(request, "bodies/body_detail.html", context)


BODY_FIELDS = ["name", "kind", "mandate", "mandate_reviewed_on"]


@require_http_methods(["GET", "POST"])
def body_edit(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid)
    access.require_manage(user, body)
    conflict, differences = None, []
    if request.method == "POST":
        form = BodyEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.body_update(actor=user, body=body, expected_version=version, **data)
            except services.ConflictError as exc:
                conflict = exc
                differences = conflict_differences(form, exc.current, BODY_FIELDS)
                form = BodyEditForm(data={**request.POST.dict(), "version": exc.current.version})
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("body_detail", uuid=body.uuid)
    else:
        initial = {name: getattr(body, name) for name in BODY_FIELDS}
        initial["objectives"] = "\n".join(o.text for o in body.objectives.all())
        form = BodyEditForm(initial={**initial, "version": body.version})
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "conflict": conflict,
            "differences": differences,
            "crumbs": core_selectors.breadcrumb(user, body.jurisdiction),
            "title": _("Edit %(name)s") % {"name": body.name},
            "cancel_url": reverse("body_detail", args=[body.uuid]),
        },
    )


@require_http_methods(["GET", "POST"])
def body_archive(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid)
    access.require_manage(user, body)

    def archive(archived):
        try:
            services.body_archive(actor=user, body=body, archived=archived)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))

    texts = ArchiveTexts(
        archive_title=_("Archive %(name)s"),
        restore_title=_("Restore %(name)s"),
        archive_explanation=_(
            "An archived body disappears from lists; its members, meetings and minutes are kept. "
            "You can restore it later."
        ),
        restore_explanation=_("The body will appear in lists again."),
    )
    return archive_page(
        request,
        body,
        name=body.name,
        url_name="body_archive",
        detail_url_name="body_detail",
        archive=archive,
        texts=texts,
    )


@require_GET
def body_inclusivity_overview(request):
    user = request.user
    core_access.require_any_rank(user, core_access.COORDINATOR_RANK)
    filters = read_filters(request)
    sector = request.GET.get("sector", "")
    overview = selectors.inclusivity_overview(user, filters.within, sector)
    context = {
        "overview": overview,
        "filters": filters,
        "within_choices": within_choices(user, filters.within),
        "sectors": selectors.Sector.choices,
    }
    return render(request, "bodies/inclusivity_overview.html", context)


# --- Members and seats -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def membership_create(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid, include_archived=False)
    access.require_manage(user, body)
    kwargs = {"organisations": _country_organisations(user, body), "people": _country_people(user)}
    form = MembershipForm(request.POST or None, initial={"start_date": timezone.localdate()}, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(actor=user, body=body, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s joined the body.") % {"name": membership.organisation.name})
            return redirect("body_detail", uuid=body.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "title": _("Add a member to %(name)s") % {"name": body.name},
            "cancel_url": reverse("body_detail", args=[body.uuid]),
        },
    )


@require_http_methods(["GET", "POST"])
def membership_end(request, uuid):
    user = request.user
    membership = core_access.get_visible_or_404(access.visible_memberships(user), uuid=uuid)
    access.require_manage(user, membership.body)
    conflict = None
    form = MembershipEndForm(
        request.POST or None, initial={"end_date": timezone.localdate(), "version": membership.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                actor=user,
                membership=membership,
                end_date=form.cleaned_data["end_date"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ConflictError as exc:
            conflict = exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The membership of %(name)s was ended.") % {"name": membership.organisation.name}
            )
            return redirect("body_detail", uuid=membership.body.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "conflict": conflict,
            "title": _("End the membership of %(org)s in %(body)s")
            % {"org": membership.organisation.name, "body": membership.body.name},
            "explanation": _("The membership is kept in the body's history with this end date."),
            "cancel_url": reverse("body_detail", args=[membership.body.uuid]),
        },
    )


@require_http_methods(["GET", "POST"])
def seat_create(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid, include_archived=False)
    access.require_manage(user, body)
    form = SeatForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(
            request,
            form,
            lambda: services.seat_create(actor=user, body=body, **form.cleaned_data),
            _("The seat was added."),
        )
    ):
        return redirect("body_detail", uuid=body.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "title": _("Add a seat to %(name)s") % {"name": body.name},
            "cancel_url": reverse("body_detail", args=[body.uuid]),
        },
    )


@require_http_methods(["GET", "POST"])
def seat_assign(request, uuid):
    user = request.user
    seat = core_access.get_visible_or_404(access.visible_seats(user), uuid=uuid)
    access.require_manage(user, seat.body)
    form = SeatAssignForm(
        request.POST or None,
        initial={"start_date": timezone.localdate()},
        organisations=_country_organisations(user, seat.body),
        people=_country_people(user),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(
            request,
            form,
            lambda: services.seat_assign(actor=user, seat=seat, **form.cleaned_data),
            _("The seat holder was recorded."),
        )
    ):
        return redirect("body_detail", uuid=seat.body.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "title": _("Who holds the seat %(title)s") % {"title": seat.title},
            "explanation": _("The previous holder's term ends the day before the new holder starts."),
            "cancel_url": reverse("body_detail", args=[seat.body.uuid]),
        },
    )


# --- Calendar ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def body_calendar_rotate(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid, include_archived=False)
    access.require_manage(user, body)
    if request.method == "POST":
        services.calendar_token_rotate(actor=user, body=body)
        messages.success(request, _("The calendar link was replaced. The old link no longer works."))
        return redirect("body_detail", uuid=body.uuid)
    return render(
        request,
        "bodies/confirm.html",
        {
            "title": _("Replace the calendar link of %(name)s") % {"name": body.name},
            "explanation": _(
                "Anyone with the current link can read the body's meeting calendar. Replacing it stops the old "
                "link at once; members will need the new one."
            ),
            "button": _("Replace the link"),
            "cancel_url": reverse("body_detail", args=[body.uuid]),
        },
    )


@login_not_required
@require_GET
def body_calendar_feed(request, uuid, token):
    """The body's meetings as an iCalendar feed: no session, only the private token (compared in constant time)."""
    body = selectors.body_by_calendar_token(uuid, token)
    if body is None:
        raise Http404
    meetings = selectors.feed_meetings(body)
    response = HttpResponse(ics.calendar(meetings, name=body.name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def meeting_ics(request, uuid):
    meeting = _meeting(request, uuid)
    url = request.build_absolute_uri(reverse("meeting_detail", args=[meeting.uuid]))
    response = HttpResponse(
        ics.calendar([meeting], urls={meeting.pk: url}), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.starts_at:%Y%m%d}.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Meetings ------------------------------------------------------------------------------


def _meeting(request, uuid):
    return core_access.get_visible_or_404(
        access.visible_meetings(request.user).prefetch_related("agenda_items"), uuid=uuid
    )


def _body_filter(request) -> tuple[Any, dict[str, str]]:
    """The optional ``body`` filter (a visible body's UUID; anything else is ignored)."""
    raw = request.GET.get("body", "")
    if not raw:
        return None, {}
    try:
        body = access.visible_bodies(request.user, include_archived=True).get(uuid=raw)
    except Exception:  # unknown, foreign or malformed: ignored like other filters
        return None, {}
    return body, {"body": str(body.uuid)}


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


@require_GET
def meeting_list(request):
    user = request.user
    qs, filters, status, when, query, only_body = _filtered_meetings(request)
    qs = qs.annotate(present=Count("attendances", filter=Q(attendances__attended=True)))
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
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


@require_GET
def meeting_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    qs, *_rest = _filtered_meetings(request)
    statuses = dict(MeetingStatus.choices)
    rows = qs.annotate(present=Count("attendances", filter=Q(attendances__attended=True))).values_list(
        "uuid", "body__name", "title", "starts_at", "ends_at", "time_zone", "place", "online_link", "status", "present"
    )

    def generate():
        for uuid, body, title, starts, ends, tz, place, link, status, present in rows.iterator():
            yield [
                str(uuid),
                body,
                title,
                starts.isoformat(),
                ends.isoformat() if ends else "",
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
    return exports.export_response(fmt, "meetings", header, generate())


def _meeting_values(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "version"}


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


@require_http_methods(["GET", "POST"])
def meeting_edit(request, uuid):
    user = request.user
    meeting = _meeting(request, uuid)
    access.require_manage(user, meeting.body)
    conflict, differences = None, []
    if request.method == "POST":
        form = MeetingEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.meeting_update(actor=user, meeting=meeting, expected_version=version, **data)
            except services.ConflictError as exc:
                conflict = exc
                differences = conflict_differences(form, exc.current, MEETING_FIELDS)
                form = MeetingEditForm(data={**request.POST.dict(), "version": exc.current.version})
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("meeting_detail", uuid=meeting.uuid)
    else:
        form = MeetingEditForm(initial=meeting_initial(meeting))
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "conflict": conflict,
            "differences": differences,
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


# --- Minutes and decisions -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def minutes_edit(request, uuid):
    user = request.user
    meeting = _meeting(request, uuid)
    access.require_manage(user, meeting.body)
    current = services.current_minutes(meeting)
    if current is not None and current.status == MinutesStatus.APPROVED:
        messages.info(request, _("Approved minutes are frozen: start an amendment to change them."))
        return redirect("meeting_detail", uuid=meeting.uuid)
    conflict = None
    differences = []
    if request.method == "POST":
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                services.minutes_save(
                    actor=user,
                    meeting=meeting,
                    minutes=current if form.cleaned_data.get("version") else None,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data.get("version"),
                )
            except services.ConflictError as exc:
                conflict = exc
                differences = [(_("Minutes"), form.cleaned_data["text"][:2000], exc.current.text[:2000])]
                form = MinutesForm(data={"text": form.cleaned_data["text"], "version": exc.current.version})
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The draft minutes were saved."))
                return redirect("meeting_detail", uuid=meeting.uuid)
    else:
        form = MinutesForm(
            initial={"text": current.text if current else "", "version": current.version if current else None}
        )
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "conflict": conflict,
            "differences": differences,
            "title": _("Minutes of %(name)s") % {"name": meeting.title},
            "cancel_url": reverse("meeting_detail", args=[meeting.uuid]),
        },
    )


@require_http_methods(["GET", "POST"])
def minutes_approve(request, uuid):
    user = request.user
    meeting = _meeting(request, uuid)
    access.require_manage(user, meeting.body)
    current = services.current_minutes(meeting)
    if current is None or current.status != MinutesStatus.DRAFT:
        messages.error(request, _("There is no draft to approve."))
        return redirect("meeting_detail", uuid=meeting.uuid)
    if request.method == "POST":
        try:
            services.minutes_approve(
                actor=user, minutes=current, expected_version=int(request.POST.get("version") or 0)
            )
        except services.ConflictError:
            messages.error(request, _("The draft changed since you opened this page: read it again before approving."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The minutes were approved and are now frozen."))
        return redirect("meeting_detail", uuid=meeting.uuid)
    return render(
        request,
        "bodies/confirm.html",
        {
            "title": _("Approve the minutes of %(name)s") % {"name": meeting.title},
            "explanation": _("Approved minutes are frozen. Later changes need an amendment (a new version)."),
            "preview": current.text,
            "version": current.version,
            "button": _("Approve"),
            "cancel_url": reverse("meeting_detail", args=[meeting.uuid]),
        },
    )


@require_http_methods(["GET", "POST"])
def minutes_amend(request, uuid):
    user = request.user
    meeting = _meeting(request, uuid)
    access.require_manage(user, meeting.body)
    if request.method == "POST":
        try:
            services.minutes_amend(actor=user, meeting=meeting)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("meeting_detail", uuid=meeting.uuid)
        messages.success(request, _("A new draft version was started from the approved minutes."))
        return redirect("minutes_edit", uuid=meeting.uuid)
    return render(
        request,
        "bodies/confirm.html",
        {
            "title": _("Amend the minutes of %(name)s") % {"name": meeting.title},
            "explanation": _("The approved version stays as it is; the amendment is a new draft version."),
            "button": _("Start an amendment"),
            "cancel_url": reverse("meeting_detail", args=[meeting.uuid]),
        },
    )


@require_GET
def minutes_pdf(request, uuid):
    user = request.user
    meeting = _meeting(request, uuid)
    minutes = access.visible_minutes(user).filter(meeting=meeting).order_by("-number").first()
    if minutes is None:
        raise Http404
    services.minutes_read(actor=user, minutes=minutes, ip_address=client_ip(request))
    statuses = dict(MinutesStatus.choices)
    doc = PdfDocument(
        title=_("Minutes: %(name)s") % {"name": meeting.title},
        subtitle=f"{meeting.body.name} · {meeting.body.jurisdiction.name}",
    )
    local = timezone.localtime(meeting.starts_at, selectors.zone(meeting.time_zone))
    doc.field(_("Date"), f"{local:%Y-%m-%d %H:%M} ({meeting.time_zone})")
    if meeting.place:
        doc.field(_("Place"), meeting.place)
    doc.field(_("Version"), minutes.number)
    doc.field(_("Status"), statuses.get(minutes.status, minutes.status))
    if minutes.approved_at:
        doc.field(_("Approved"), f"{timezone.localtime(minutes.approved_at):%Y-%m-%d}")
    present = [a for a in selectors.meeting_attendances(meeting) if a.attended]
    if present:
        doc.heading(_("Present"))
        doc.paragraph(", ".join(a.membership.organisation.name for a in present))
    agenda = list(meeting.agenda_items.all())
    if agenda:
        doc.heading(_("Agenda"))
        for i, item in enumerate(agenda, 1):
            doc.paragraph(f"{i}. {item.text}")
    doc.heading(_("Minutes"))
    doc.paragraph(minutes.text or "—")
    decisions = list(access.visible_decisions(user).filter(meeting=meeting).order_by("number"))
    if decisions:
        doc.heading(_("Decisions"))
        doc.table([_("No."), _("Decision")], [[d.number, d.text] for d in decisions], widths=(15, 159))
    items = list(access.visible_action_items(user).filter(meeting=meeting).order_by("due_date", "id"))
    if items:
        labels = dict(ActionStatus.choices)
        doc.heading(_("Action items"))
        doc.table(
            [_("Action"), _("Owner"), _("Due"), _("Status")],
            [
                [
                    i.title,
                    " / ".join(str(x) for x in (i.owner_organisation, i.owner_person) if x) or "—",
                    i.due_date.isoformat() if i.due_date else "—",
                    labels.get(i.status, i.status),
                ]
                for i in items
            ],
            widths=(74, 50, 25, 25),
        )
    return doc.response(f"minutes-{local:%Y%m%d}-v{minutes.number}.pdf")


@require_http_methods(["POST"])
def decision_create(request, uuid):
    user = request.user
    meeting = _meeting(request, uuid)
    access.require_manage(user, meeting.body)
    form = DecisionForm(request.POST)
    if form.is_valid():
        decision = services.decision_create(actor=user, meeting=meeting, text=form.cleaned_data["text"])
        messages.success(request, _("Decision %(n)d was recorded.") % {"n": decision.number})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("meeting_detail", uuid=meeting.uuid)


# --- Action items --------------------------------------------------------------------------


def _filtered_items(request, base=None):
    user = request.user
    filters = read_filters(request)
    only_body, body_param = _body_filter(request)
    status = request.GET.get("status", "")
    if status not in [*ActionStatus.values, "open_all"]:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    qs = base if base is not None else access.visible_action_items(user)
    if filters.term:
        qs = qs.filter(Q(title__icontains=filters.term) | Q(body__name__icontains=filters.term))
    if status == "open_all":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
    if filters.within is not None:
        qs = qs.filter(body__jurisdiction__path__startswith=filters.within.path)
    if only_body is not None:
        qs = qs.filter(body=only_body)
    extra = {**body_param, **{k: v for k, v in (("status", status), ("overdue", "1" if overdue else "")) if v}}
    query = "&".join(x for x in (filters.query, urlencode(extra)) if x)
    closed_last = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField())
    ordered = qs.order_by(closed_last, F("due_date").asc(nulls_last=True), "id")
    return ordered, filters, status, overdue, query, only_body


def _item_context(request, qs, filters, status, overdue, query, only_body):
    return {
        "only_body": only_body,
        "page_obj": Paginator(qs, PAGE).get_page(request.GET.get("page")),
        "filters": filters,
        "status": status,
        "overdue": overdue,
        "statuses": ActionStatus.choices,
        "export_query": query,
        "within_choices": within_choices(request.user, filters.within),
        "today": timezone.localdate(),
    }


@require_GET
def action_item_list(request):
    qs, *rest = _filtered_items(request)
    context = _item_context(request, qs, *rest)
    context.update(list_url="action_item_list", title=_("Action items"), export=True)
    return render_list(request, "bodies/action_item_list.html", "bodies/partials/action_item_results.html", context)


@require_GET
def action_item_mine(request):
    user = request.user
    qs, *rest = _filtered_items(request, base=access.my_action_items(user))
    context = _item_context(request, qs, *rest)
    context.update(list_url="action_item_mine", title=_("My action items"), export=False)
    return render_list(request, "bodies/action_item_list.html", "bodies/partials/action_item_results.html", context)


@require_GET
def action_item_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    qs, *_rest = _filtered_items(request)
    labels = dict(ActionStatus.choices)
    rows = qs.values_list(
        "uuid",
        "body__name",
        "meeting__title",
        "decision__number",
        "title",
        "owner_organisation__name",
        "owner_person__full_name",
        "due_date",
        "status",
        "completed_on",
    )

    def generate():
        for row in rows.iterator():
            values = list(row)
            values[0] = str(values[0])
            values[7] = values[7].isoformat() if values[7] else ""
            values[8] = str(labels.get(values[8], values[8]))
            values[9] = values[9].isoformat() if values[9] else ""
            yield values

    header = [
        str(h)
        for h in (
            gettext_lazy("UUID"),
            gettext_lazy("Body"),
            gettext_lazy("Meeting"),
            gettext_lazy("Decision"),
            gettext_lazy("Title"),
            gettext_lazy("Owner organisation"),
            gettext_lazy("Owner person"),
            gettext_lazy("Due date"),
            gettext_lazy("Status"),
            gettext_lazy("Completed on"),
        )
    ]
    return exports.export_response(fmt, "action-items", header, generate())


def _item_form_kwargs(user, body, meeting=None):
    kwargs = {
        "organisations": _country_organisations(user, body),
        "people": _country_people(user),
    }
    if meeting is not None:
        kwargs["decisions"] = access.visible_decisions(user).filter(meeting=meeting).order_by("number")
    return kwargs


@require_http_methods(["GET", "POST"])
def action_item_create(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid, include_archived=False)
    access.require_manage(user, body)
    meeting = None
    raw_meeting = request.GET.get("meeting") or request.POST.get("meeting")
    if raw_meeting:
        meeting = core_access.get_visible_or_404(access.visible_meetings(user).filter(body=body), uuid=raw_meeting)
    form = ActionItemForm(request.POST or None, **_item_form_kwargs(user, body, meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_create(actor=user, body=body, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action item was added."))
            if meeting is not None:
                return redirect("meeting_detail", uuid=meeting.uuid)
            return redirect("body_detail", uuid=body.uuid)
    cancel = reverse("meeting_detail", args=[meeting.uuid]) if meeting else reverse("body_detail", args=[body.uuid])
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "hidden": {"meeting": meeting.uuid} if meeting else {},
            "title": _("Add an action item to %(name)s") % {"name": body.name},
            "cancel_url": cancel,
        },
    )


ITEM_FIELDS = ["title", "owner_organisation", "owner_person", "due_date", "status", "completed_on"]


@require_http_methods(["GET", "POST"])
def action_item_edit(request, uuid):
    user = request.user
    item = core_access.get_visible_or_404(access.visible_action_items(user), uuid=uuid)
    manager = access.can_manage_body(user, item.body)
    if not manager and not services.can_update_action_item(user, item):
        raise PermissionDenied
    form_class = ActionItemEditForm if manager else ActionStatusForm
    kwargs = _item_form_kwargs(user, item.body) if manager else {}
    fields = ITEM_FIELDS if manager else ["status", "completed_on"]
    conflict, differences = None, []
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            data.pop("decision", None)
            try:
                services.action_item_update(actor=user, item=item, expected_version=version, **data)
            except services.ConflictError as exc:
                conflict = exc
                differences = conflict_differences(form, exc.current, fields)
                form = form_class(data={**request.POST.dict(), "version": exc.current.version}, **kwargs)
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect(request.POST.get("next_page") == "mine" and "action_item_mine" or "action_item_list")
    else:
        initial = {name: getattr(item, name) for name in fields}
        form = form_class(initial={**initial, "version": item.version}, **kwargs)
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "conflict": conflict,
            "differences": differences,
            "hidden": {"next_page": request.GET.get("from", request.POST.get("next_page", ""))},
            "title": _("Edit %(name)s") % {"name": item.title},
            "cancel_url": reverse("action_item_list"),
        },
    )
