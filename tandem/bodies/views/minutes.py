"""Pages of minutes and decisions: edit, approve, amend, PDF, record a decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.bodies.permissions import requires
from tandem.core.pdf import PdfDocument
from tandem.core.security import client_ip
from tandem.core.versioning import VersionConflict
from tandem.core.views.versioned import versioned_form

from .. import access, selectors, services
from ..forms import (
    DecisionForm,
    MinutesForm,
)
from ..models import ActionStatus, MinutesStatus
from ._common import (
    _meeting,
)


@requires("bodies.internals")
@require_http_methods(["GET", "POST"])
def minutes_edit(request, uuid):
    user = request.user
    meeting = _meeting(request, uuid)
    access.require_manage(user, meeting.body)
    current = services.current_minutes(meeting)
    if current is not None and current.status == MinutesStatus.APPROVED:
        messages.info(request, _("Approved minutes are frozen: start an amendment to change them."))
        return redirect("meeting_detail", uuid=meeting.uuid)
    edit = versioned_form(
        request,
        MinutesForm,
        record=current,
        initial={"text": current.text if current else ""},
        save=lambda data, version: services.minutes_save(
            actor=user,
            meeting=meeting,
            minutes=current if version else None,
            text=data["text"],
            expected_version=version,
        ),
        success=_("The draft minutes were saved."),
    )
    if edit.saved:
        return redirect("meeting_detail", uuid=meeting.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            **edit.context(),
            "title": _("Minutes of %(name)s") % {"name": meeting.title},
            "cancel_url": reverse("meeting_detail", args=[meeting.uuid]),
        },
    )


@requires("bodies.internals")
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
        except VersionConflict:
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


@requires("bodies.internals")
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


@requires("bodies.internals")
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
        # A body's internals are for its members and the coordinators above it: limited disclosure.
        marking="TLP:AMBER",
        context=f"{meeting.body.jurisdiction.name} · {meeting.body.name}",
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


@requires("bodies.internals")
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
