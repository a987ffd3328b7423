"""The catalogue: courses and their sessions (list, detail, publish, edit)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.capacity.permissions import requires
from tandem.core import access as core_access
from tandem.core.models import GovernmentLevel
from tandem.core.views.utils import save_or_show_errors
from tandem.core.views.versioned import versioned_form

from .. import access, selectors, services
from ..forms import CourseEditForm, CourseForm, SessionArchiveForm, SessionCancelForm, SessionEditForm, SessionForm
from ..models import Competency, CourseDelivery, PlaceStatus
from ._common import get_course, get_session


@requires("capacity.view")
@require_GET
def course_list(request):
    user = request.user
    get = request.GET
    filters = {
        "term": get.get("q", "").strip()[:100],
        "competency": get.get("competency", ""),
        "level": get.get("level", ""),
        "delivery": get.get("delivery", ""),
        "sector": get.get("sector", ""),
        "language": get.get("language", "").strip()[:8],
    }
    qs = selectors.filter_courses(user, **filters)
    page = Paginator(qs, settings.TANDEM_PAGE_SIZE).get_page(get.get("page"))
    from tandem.core.models import Sector

    context = {
        "page_obj": page,
        "filters": filters,
        "competencies": Competency.choices,
        "levels": GovernmentLevel.choices,
        "deliveries": CourseDelivery.choices,
        "sectors": Sector.choices,
        "can_publish": access.organiser_paths(user) != [],
        "can_nominate": core_access.has_any_rank(user, core_access.COORDINATOR_RANK),
        "upcoming": selectors.filter_sessions(user, upcoming=True)[:10],
    }
    return render(request, "capacity/course_list.html", context)


def _course_initial(course):
    return {
        "title": course.title,
        "summary": course.summary,
        "objectives": "\n".join(o.text for o in course.learning_objectives.all()),
        "visibility": course.visibility,
        "level": course.level,
        "delivery": course.delivery,
        "languages": course.languages,
        "duration_hours": course.duration_hours,
        "competencies": [c.competency for c in course.course_competencies.all()],
        "sectors": [a.sector for a in course.audience_sectors.all()],
        "framework_items": list(selectors.framework_items_of(course)),
    }


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def course_create(request):
    user = request.user
    jurisdictions = access.publishable_jurisdictions(user)
    if not jurisdictions.exists():
        raise core_access.PermissionDenied
    form = CourseForm(request.POST or None, jurisdictions=jurisdictions, items=services.choosable_items(user))
    created = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save():
            created["course"] = services.course_create(actor=user, **data)

        if save_or_show_errors(request, form, save, _("Course published.")):
            return redirect("course_detail", uuid=created["course"].uuid)
    return render(
        request,
        "capacity/form.html",
        {"form": form, "title": _("Publish a course"), "cancel_url": reverse("course_list")},
    )


@requires("capacity.view")
@require_GET
def course_detail(request, uuid):
    user = request.user
    course = get_course(request, uuid)
    sessions = selectors.filter_sessions(user, course=course)
    from .. import materials

    return render(
        request,
        "capacity/course_detail.html",
        {
            "course": course,
            "objectives": course.learning_objectives.all(),
            "competencies": course.course_competencies.all(),
            "audience": course.audience_sectors.all(),
            "sessions": sessions,
            "framework_items": selectors.framework_items_of(course),
            "materials": materials.course_materials(user, course),
            "can_publish": access.can_publish(user, course.jurisdiction),
            "can_add_session": access.organiser_paths(user) != [],
        },
    )


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def course_edit(request, uuid):
    user = request.user
    course = get_course(request, uuid)
    access.require_publish(user, course.jurisdiction)
    edit = versioned_form(
        request,
        CourseEditForm,
        record=course,
        initial=_course_initial(course),
        form_kwargs={"items": services.choosable_items(user)},
        save=lambda data, version: services.course_update(actor=user, course=course, expected_version=version, **data),
    )
    if edit.saved:
        return redirect("course_detail", uuid=course.uuid)
    return render(
        request,
        "capacity/form.html",
        edit.context(
            title=_("Edit %(title)s") % {"title": course.title}, cancel_url=reverse("course_detail", args=[course.uuid])
        ),
    )


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def session_create(request, uuid):
    user = request.user
    course = get_course(request, uuid)
    hosts = access.publishable_jurisdictions(user)
    if not hosts.exists():
        raise core_access.PermissionDenied
    trainers = core_access.visible_people(user).order_by("full_name", "id")
    form = SessionForm(request.POST or None, hosts=hosts, trainers=trainers, initial={"time_zone": "UTC"})
    created = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save():
            created["session"] = services.session_create(actor=user, course=course, **data)

        if save_or_show_errors(request, form, save, _("Session published.")):
            return redirect("session_detail", uuid=created["session"].uuid)
    return render(
        request,
        "capacity/form.html",
        {
            "form": form,
            "title": _("A session of %(title)s") % {"title": course.title},
            "cancel_url": reverse("course_detail", args=[course.uuid]),
        },
    )


@requires("capacity.view")
@require_GET
def session_detail(request, uuid):
    user = request.user
    session = get_session(request, uuid)
    session = selectors.with_place_counts(access.visible_sessions(user).filter(pk=session.pk)).get()
    organiser = access.can_organise(user, session)
    participants = list(selectors.session_participants(user, session))
    mine = next((p for p in participants if access.is_participant(user, p)), None)
    days = services.session_days(session)
    return render(
        request,
        "capacity/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "trainers": session.session_trainers.all(),
            "participants": participants,
            "organiser": organiser,
            "mine": mine,
            "open_statuses": [
                PlaceStatus.NOMINATED,
                PlaceStatus.REQUESTED,
                PlaceStatus.ACCEPTED,
                PlaceStatus.WAITLISTED,
            ],
            "can_nominate": core_access.has_any_rank(user, core_access.COORDINATOR_RANK),
            "has_person": access.own_person(user) is not None,
            "days": days,
            "total_days": len(days),
        },
    )


def _session_initial(session):
    return {
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "time_zone": session.time_zone,
        "registration_deadline": session.registration_deadline,
        "places": session.places,
        "venue": session.venue,
        "online_link": session.online_link,
        "required_share": session.required_share,
        "trainers": list(session.session_trainers.all()),
        "external_trainers": session.external_trainers,
    }


def _organised_session(request, uuid):
    session = get_session(request, uuid)
    access.require_organise(request.user, session)
    return session


def _session_step(request, session, form_class, *, save, title, done_url, **extra):
    """One versioned step on a session (edit, cancel, archive): the form, then back to ``done_url``."""
    edit = versioned_form(request, form_class, record=session, save=save, **extra.pop("form", {}))
    if edit.saved:
        return redirect(done_url)
    context = edit.context(title=title, cancel_url=reverse("session_detail", args=[session.uuid]), **extra)
    return render(request, "capacity/form.html", context)


def _on(session) -> dict[str, str]:
    return {"date": f"{session.starts_at:%Y-%m-%d}"}


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def session_edit(request, uuid):
    user = request.user
    session = _organised_session(request, uuid)
    trainers = core_access.visible_people(user).order_by("full_name", "id")
    return _session_step(
        request,
        session,
        SessionEditForm,
        save=lambda data, version: services.session_update(
            actor=user, session=session, expected_version=version, **data
        ),
        title=_("Edit the session of %(date)s") % _on(session),
        done_url=reverse("session_detail", args=[session.uuid]),
        form={"initial": _session_initial(session), "form_kwargs": {"trainers": trainers}},
    )


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def session_cancel(request, uuid):
    user = request.user
    session = _organised_session(request, uuid)
    return _session_step(
        request,
        session,
        SessionCancelForm,
        save=lambda data, version: services.session_cancel(
            actor=user, session=session, expected_version=version, reason=data["reason"]
        ),
        title=_("Cancel the session of %(date)s") % _on(session),
        done_url=reverse("session_detail", args=[session.uuid]),
        form={"success": _("Session cancelled.")},
        explanation=_(
            "A cancelled session takes no more registrations and cannot be reopened. "
            "Its participants see the reason on the session's page."
        ),
        button=_("Cancel the session"),
        danger=True,
    )


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def session_archive(request, uuid):
    user = request.user
    session = _organised_session(request, uuid)
    return _session_step(
        request,
        session,
        SessionArchiveForm,
        save=lambda data, version: services.session_archive(actor=user, session=session, expected_version=version),
        title=_("Archive the session of %(date)s") % _on(session),
        done_url=reverse("course_detail", args=[session.course.uuid]),
        form={"success": _("Session archived.")},
        explanation=_("An archived session leaves the lists; its places, attendance and certificates stay."),
        button=_("Archive"),
        danger=True,
    )
