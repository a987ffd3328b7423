"""Training needs: the list by competency and jurisdiction, recording one, answering one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.capacity.permissions import requires
from tandem.core import access as core_access
from tandem.core.views.utils import save_or_show_errors
from tandem.core.views.versioned import versioned_form

from .. import access, raising, selectors, services
from ..forms import NeedAnswerForm, NeedExchangeForm, NeedForm
from ..models import Competency


@requires("capacity.nominate")
@require_GET
def need_list(request):
    user = request.user
    competency = request.GET.get("competency", "")
    qs = selectors.filter_needs(user, competency=competency, open_only=request.GET.get("open") == "1")
    return render(
        request,
        "capacity/need_list.html",
        {
            "needs": qs[:200],
            "by_competency": selectors.counts_by_competency(qs),
            "labels": dict(Competency.choices),
            "competencies": Competency.choices,
            "competency": competency,
        },
    )


@requires("capacity.nominate")
@require_http_methods(["GET", "POST"])
def need_create(request):
    user = request.user
    form = NeedForm(request.POST or None, jurisdictions=core_access.managed_jurisdictions(user))
    created = {}
    if request.method == "POST" and form.is_valid():

        def save():
            created["need"] = services.need_create(actor=user, **form.cleaned_data)

        if save_or_show_errors(request, form, save, _("Training need recorded and raised to the level above.")):
            return redirect("need_detail", uuid=created["need"].uuid)
    return render(
        request,
        "capacity/form.html",
        {"form": form, "title": _("Record a training need"), "cancel_url": reverse("need_list")},
    )


@requires("capacity.nominate")
@require_http_methods(["GET", "POST"])
def need_detail(request, uuid):
    user = request.user
    need = core_access.get_visible_or_404(access.visible_needs(user), uuid=uuid)
    can_answer = access.can_answer_need(user, need)
    edit = None
    if can_answer:
        edit = versioned_form(
            request,
            NeedAnswerForm,
            record=need,
            initial={"answer": need.answer},
            save=lambda data, version: services.need_answer(
                actor=user, need=need, answer=data["answer"], expected_version=version
            ),
            success=_("Answer saved."),
        )
        if edit.saved:
            return redirect("need_detail", uuid=need.uuid)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "capacity/need_detail.html",
        {
            "need": need,
            "courses": selectors.matching_courses(user, need)[:20],
            "sessions": selectors.matching_sessions(user, need)[:20],
            "can_raise": raising.can_raise(user, need),
            "raised_request": _raised_request(user, need),
            **(edit.context() if edit else {}),
        },
    )


def _raised_request(user, need):
    """The exchange request the need was raised as, if the reader may open it (as a draft: its sender)."""
    if need.exchange_item_id is None:
        return None
    from tandem.exchange import access as exchange_access
    from tandem.exchange.models import ExchangeItem

    own_drafts = ExchangeItem.objects.filter(sender_id=user.pk, sent_at__isnull=True)  # access-ok: own drafts
    found = own_drafts.filter(pk=need.exchange_item_id).only("uuid", "sent_at").first()
    return found or exchange_access.visible_items(user).filter(pk=need.exchange_item_id).only("uuid", "sent_at").first()


@requires("capacity.nominate")
@require_http_methods(["GET", "POST"])
def need_exchange(request, uuid):
    """Raise the need as an exchange request to the level above: a draft, previewed and sent in the exchange."""
    user = request.user
    need = core_access.get_visible_or_404(access.visible_needs(user), uuid=uuid)
    if not raising.can_raise(user, need):
        raise PermissionDenied
    edit = versioned_form(
        request,
        NeedExchangeForm,
        record=need,
        save=lambda data, version: raising.need_to_exchange_request(
            actor=user, need=need, due_date=data["due_date"], expected_version=version
        ),
        success=_("A draft request is ready in the exchange: preview it and send it."),
    )
    if edit.saved:
        return redirect("exchange_preview", uuid=edit.result.exchange_item.uuid)
    return render(
        request,
        "capacity/form.html",
        edit.context(
            title=_("Raise this need as an exchange request"),
            explanation=_(
                "A draft request to %(parent)s is made from this need; you preview it in the exchange and send it there."
            )
            % {"parent": need.jurisdiction.parent.name},
            cancel_url=reverse("need_detail", args=[need.uuid]),
            button=_("Make the draft"),
        ),
    )
