"""Pages of awards: list with status, detail, tranches, payments, spend reports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core.pagination import CappedPaginator
from tandem.core.views.utils import run_posted_step, save_or_show_errors
from tandem.funding.permissions import requires

from .. import access, selectors, services
from ..forms import MoneyField, PaymentForm, ReceiptForm, ReportScheduleForm, TrancheForm


@requires("funding.view")
@require_GET
def funding_awards(request):
    state = request.GET.get("state", "")
    if state not in (selectors.ON_TRACK, selectors.OVERDUE, selectors.CLOSED):
        state = ""
    return render(
        request,
        "funding/award_list.html",
        {
            # A page at a time (500 rows with their status were most of the page's time at national scale).
            "page_obj": CappedPaginator(
                selectors.awards_for(request.user, state=state), settings.TANDEM_PAGE_SIZE
            ).get_page(request.GET.get("page")),
            "state": state,
        },
    )


def _award(request, uuid):
    return core_access.get_visible_or_404(selectors.awards_for(request.user), uuid=uuid)


@requires("funding.view")
@require_GET
def funding_award_detail(request, uuid):
    user = request.user
    award = _award(request, uuid)
    managed = access.can_manage_call(user, award.call)
    return render(
        request,
        "funding/award_detail.html",
        {
            "award": award,
            "managed": managed,
            "own": award.application.submitted_by_id == user.pk
            or access.acts_for(user, award.application.organisation_id),
            "tranches": selectors.tranches_of(user, award),
            "payments": selectors.payments_of(user, award),
            "paid": selectors.award_paid(user, award),
            "reports": selectors.reports_of(user, award),
            "receipts": selectors.receipts_of(user, award),
            "lines": selectors.budget_lines(award.application),
            "tranche_form": TrancheForm(prefix="tranche"),
            "payment_form": PaymentForm(prefix="payment"),
            "schedule_form": ReportScheduleForm(prefix="report"),
        },
    )


def _manager_post(request, uuid, form_class, save, success, prefix):
    user = request.user
    award = _award(request, uuid)
    access.require_manage_call(user, award.call)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            save(user, award, form.cleaned_data)
            messages.success(request, success)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(
            request,
            _("Check the form: %(errors)s") % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
    return redirect("funding_award_detail", uuid=award.uuid)


@requires("funding.manage")
@require_POST
def funding_tranche_add(request, uuid):
    return _manager_post(
        request,
        uuid,
        TrancheForm,
        lambda u, a, d: services.tranche_add(actor=u, award=a, **d),
        _("Tranche added."),
        "tranche",
    )


@requires("funding.manage")
@require_POST
def funding_payment_add(request, uuid):
    return _manager_post(
        request,
        uuid,
        PaymentForm,
        lambda u, a, d: services.payment_record(actor=u, award=a, **d),
        _("Payment recorded."),
        "payment",
    )


@requires("funding.manage")
@require_POST
def funding_report_schedule(request, uuid):
    return _manager_post(
        request,
        uuid,
        ReportScheduleForm,
        lambda u, a, d: services.report_schedule(actor=u, award=a, **d),
        _("Report scheduled."),
        "report",
    )


@requires("funding.apply")
@require_http_methods(["GET", "POST"])
def funding_report_submit(request, uuid):
    user = request.user
    report = core_access.get_visible_or_404(access.visible_reports(user), uuid=uuid)
    award = report.award
    access.require_applicant(user, award.application)
    lines = list(selectors.budget_lines(award.application))
    form = ReceiptForm(request.POST or None, request.FILES or None)
    for line in lines:
        form.fields[f"line_{line.pk}"] = MoneyField(
            label=_("Spent on %(category)s") % {"category": line.category}, initial="0"
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        receipts = [data["receipt"]] if data.get("receipt") else []
        if save_or_show_errors(
            request,
            form,
            lambda: services.report_submit(
                actor=user,
                report=report,
                narrative=data["narrative"],
                lines={line.pk: data[f"line_{line.pk}"] for line in lines},
                receipts=receipts,
            ),
            _("Spend report submitted."),
        ):
            return redirect("funding_award_detail", uuid=award.uuid)
    return render(
        request, "funding/form.html", {"form": form, "title": _("Spend report"), "multipart": True, "lines": lines}
    )


@requires("funding.manage")
@require_http_methods(["GET", "POST"])
def funding_award_close(request, uuid):
    """Close an award: a confirmation first (no more tranches, payments or spend reports after it)."""
    user = request.user
    award = _award(request, uuid)
    access.require_manage_call(user, award.call)
    if request.method != "POST":
        return render(
            request,
            "funding/confirm.html",
            {
                "title": _("Close the award: %(title)s") % {"title": award.application.title},
                "explanation": _(
                    "A closed award takes no more tranches, payments or spend reports; it cannot be reopened."
                ),
                "button": _("Close the award"),
                "version": award.version,
                "cancel_url": reverse("funding_award_detail", args=[award.uuid]),
            },
        )
    run_posted_step(
        request,
        lambda version: services.award_close(actor=user, award=award, expected_version=version),
        success=_("Award closed."),
        conflict=_("Someone else changed this award meanwhile. Look again and retry."),
    )
    return redirect("funding_award_detail", uuid=award.uuid)
