"""Events: list, create, detail, edit, agenda sessions, calendar."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core.views.utils import save_or_show_errors
from tandem.core.views.versioned import versioned_form
from tandem.events.permissions import requires

from .. import access, ics, selectors, services
from ..forms import EventEditForm, EventForm, SessionForm, event_data
from ..models import Kind
from ._common import get_event, get_managed_event


@requires("events.view")
@require_GET
def event_list(request):
    user = request.user
    filters = {k: request.GET.get(k, "")[:100] for k in selectors.LIST_FILTERS}
    page = Paginator(selectors.filter_events(user, filters), settings.TANDEM_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/event_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "kinds": Kind.choices,
            "can_create": access.organiser_paths(user) != [],
        },
    )


def _form_kwargs(user):
    return {
        "places": selectors.place_choices(user),
        "organisations": core_access.visible_organisations(user).order_by("name", "id"),
    }


@requires("events.organise")
@require_http_methods(["GET", "POST"])
def event_create(request):
    user = request.user
    jurisdictions = access.organiser_jurisdictions(user)
    if not jurisdictions.exists():
        raise core_access.PermissionDenied
    form = EventForm(
        request.POST or None, jurisdictions=jurisdictions, initial={"time_zone": "UTC"}, **_form_kwargs(user)
    )
    created = {}
    if request.method == "POST" and form.is_valid():

        def save():
            created["event"] = services.event_create(
                actor=user, jurisdiction=form.cleaned_data["jurisdiction"], data=form.event_data()
            )

        if save_or_show_errors(request, form, save, _("Event created.")):
            return redirect("event_detail", uuid=created["event"].uuid)
    return render(
        request, "events/form.html", {"form": form, "title": _("A new event"), "cancel_url": reverse("event_list")}
    )


@requires("events.view")
@require_GET
def event_detail(request, uuid):
    user = request.user
    event = get_event(request, uuid)
    manager = access.can_manage(user, event)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "manager": manager,
            "organisations": selectors.event_organisations(event),
            "sessions": selectors.sessions(event),
            "counts": selectors.participant_counts(event),
            "participants": selectors.participants(user, event),
            "breakouts": selectors.breakouts(user, event),
            "report": selectors.report_of(user, event),
            "session_form": SessionForm(time_zone=event.time_zone) if manager else None,
        },
    )


def _initial(event):
    orgs = selectors.event_organisations(event)
    return {
        "title": event.title,
        "kind": event.kind,
        "starts_at": event.starts_at.astimezone(_zone(event)).replace(tzinfo=None),
        "ends_at": event.ends_at.astimezone(_zone(event)).replace(tzinfo=None),
        "time_zone": event.time_zone,
        "place": event.place,
        "online": event.online,
        "venue": event.venue,
        "host": event.host,
        "language": event.language,
        "languages": event.languages,
        "objectives": event.objectives,
        "visibility": event.visibility,
        "organisers": orgs["organiser"],
        "partners": orgs["partner"],
        "funders": orgs["funder"],
    }


def _zone(event):
    import zoneinfo

    return zoneinfo.ZoneInfo(event.time_zone)


@requires("events.organise")
@require_http_methods(["GET", "POST"])
def event_edit(request, uuid):
    user = request.user
    event = get_managed_event(request, uuid)
    edit = versioned_form(
        request,
        EventEditForm,
        record=event,
        initial=_initial(event),
        save=lambda data, version: services.event_update(
            actor=user, event=event, expected_version=version, data=event_data(data)
        ),
        form_kwargs=_form_kwargs(user),
    )
    if edit.saved:
        return redirect("event_detail", uuid=event.uuid)
    return render(
        request,
        "events/form.html",
        edit.context(
            title=_("Edit %(title)s") % {"title": event.title}, cancel_url=reverse("event_detail", args=[event.uuid])
        ),
    )


@requires("events.organise")
@require_POST
def session_add(request, uuid):
    user = request.user
    event = get_managed_event(request, uuid)
    form = SessionForm(request.POST, time_zone=event.time_zone)
    if form.is_valid() and save_or_show_errors(
        request,
        form,
        lambda: services.session_add(actor=user, event=event, **form.cleaned_data),
        _("Session added."),
    ):
        return redirect(reverse("event_detail", args=[event.uuid]) + "#agenda")
    return render(
        request,
        "events/form.html",
        {
            "form": form,
            "title": _("A session of %(title)s") % {"title": event.title},
            "cancel_url": reverse("event_detail", args=[event.uuid]),
        },
        status=200,
    )


@requires("events.view")
@require_GET
def event_ics(request, uuid):
    event = get_event(request, uuid)
    url = request.build_absolute_uri(reverse("event_detail", args=[event.uuid]))
    response = HttpResponse(
        ics.calendar(event, list(selectors.sessions(event)), url=url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.starts_at:%Y%m%d}.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
