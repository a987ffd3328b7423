"""After a session: attendance per day, feedback, certificates and their public verification."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.capacity.permissions import public, requires
from tandem.core import access as core_access
from tandem.core import ratelimit
from tandem.core.security import client_ip
from tandem.core.views.utils import save_or_show_errors

from .. import access, pdf, selectors, services
from ..forms import AttendanceForm, FeedbackForm, VerifyForm
from ..models import PlaceStatus
from ._common import get_session


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def session_attendance(request, uuid):
    user = request.user
    session = get_session(request, uuid)
    access.require_organise(user, session)
    participants = list(selectors.session_participants(user, session).filter(status=PlaceStatus.ACCEPTED))
    days = services.session_days(session)
    day = request.GET.get("day") or (days[0].isoformat() if days else "")
    form = AttendanceForm(request.POST or None, participants=participants, initial={"day": day})
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["present"])
        present = [p for p in participants if str(p.uuid) in chosen]

        def save():
            services.attendance_record(actor=user, session=session, day=form.cleaned_data["day"], present=present)

        if save_or_show_errors(request, form, save, _("Attendance saved.")):
            return redirect("session_detail", uuid=session.uuid)
    grid = selectors.attendance_grid(session, participants)
    rows = [(p, [d in grid[p.pk] for d in days]) for p in participants]
    return render(request, "capacity/attendance.html", {"form": form, "session": session, "rows": rows, "days": days})


@requires("capacity.view")
@require_http_methods(["GET", "POST"])
def feedback_give(request, uuid):
    user = request.user
    session = get_session(request, uuid)
    mine = selectors.my_participations(user).filter(session=session, status=PlaceStatus.ACCEPTED).first()
    if mine is None:
        raise PermissionDenied
    objectives = list(session.course.learning_objectives.all())
    form = FeedbackForm(request.POST or None, objectives=objectives)
    if request.method == "POST" and form.is_valid():

        def save():
            services.feedback_submit(
                actor=user, participation=mine, ratings=form.ratings(), comment=form.cleaned_data["comment"]
            )

        if save_or_show_errors(request, form, save, _("Thank you for your feedback.")):
            return redirect("session_detail", uuid=session.uuid)
    return render(
        request,
        "capacity/form.html",
        {
            "form": form,
            "title": _("Your feedback on %(session)s") % {"session": session},
            "cancel_url": reverse("session_detail", args=[session.uuid]),
        },
    )


@requires("capacity.publish")
@require_GET
def feedback_summary(request, uuid):
    user = request.user
    session = get_session(request, uuid)
    access.require_organise(user, session)
    summary = selectors.feedback_summary(user, session)
    return render(
        request,
        "capacity/feedback_summary.html",
        {"session": session, "summary": summary, "minimum": selectors.MIN_ANSWERS},
    )


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def certificates_issue(request, uuid):
    user = request.user
    session = get_session(request, uuid)
    access.require_organise(user, session)
    if request.method != "POST":
        return render(
            request,
            "capacity/confirm.html",
            {
                "title": _("Issue the certificates of %(session)s") % {"session": session},
                "explanation": _(
                    "Each accepted participant who attended at least %(share)d%% of the days receives a certificate "
                    "with a verification code. Those who already have one keep it."
                )
                % {"share": session.required_share},
                "button": _("Issue certificates"),
                "cancel_url": reverse("session_detail", args=[session.uuid]),
            },
        )
    try:
        issued = services.certificates_issue(actor=user, session=session)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)d certificates issued.") % {"n": len(issued)})
    return redirect("session_detail", uuid=session.uuid)


@requires("capacity.view")
@require_GET
def certificate_pdf(request, uuid):
    user = request.user
    certificate = core_access.get_visible_or_404(access.visible_certificates(user), uuid=uuid)
    return pdf.certificate_download(request, user, certificate)


def verify_rate() -> str:
    """Code checks per client address: enough for a person checking a pile of certificates,
    too few to guess codes (override with the CERTIFICATE_VERIFY_RATE_LIMIT setting)."""
    default = "100000/minute" if getattr(settings, "TANDEM_ENV", "") == "test" else "20/minute"
    return str(getattr(settings, "CERTIFICATE_VERIFY_RATE_LIMIT", default))


@public
@require_GET
def certificate_verify(request):
    """Anyone holding a certificate checks its code: only the name, the course and the date are shown.
    Each check counts against a limit per client address (429 with Retry-After beyond it)."""
    form = VerifyForm(request.GET or None)
    result = None
    checked = False
    wait = None
    if form.is_bound and form.is_valid():
        wait = ratelimit.check("capacity-verify", client_ip(request) or "unknown", verify_rate())
        if wait is None:
            checked = True
            result = selectors.certificate_by_code(form.cleaned_data["code"])
        else:
            form.add_error(
                None,
                _("Too many checks from your address. Try again in %(seconds)d seconds.") % {"seconds": wait},
            )
    response = render(request, "capacity/verify.html", {"form": form, "result": result, "checked": checked})
    if wait is not None:
        response.status_code = 429
        response["Retry-After"] = str(wait)
    elif checked and result is None:
        response.status_code = 404
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
