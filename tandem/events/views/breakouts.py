"""Breakout groups: create, detail with outcomes and commitments, and a commitment's follow-up."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.bodies import access as bodies_access
from tandem.core import access as core_access
from tandem.core.views.utils import save_or_show_errors
from tandem.core.views.versioned import versioned_form
from tandem.events.permissions import requires

from .. import access, selectors, services
from ..forms import ActionItemForm, BreakoutForm, CommitmentForm, ExchangeRequestForm, OutcomeForm
from ._common import get_breakout, get_commitment, get_managed_event


@requires("events.organise")
@require_http_methods(["GET", "POST"])
def breakout_create(request, uuid):
    user = request.user
    event = get_managed_event(request, uuid)
    form = BreakoutForm(
        request.POST or None,
        countries=selectors.country_choices(),
        participants=selectors.participants(user, event),
    )
    created = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def save():
            created["b"] = services.breakout_create(
                actor=user,
                event=event,
                name=d["name"],
                country=d["country"],
                members=tuple(d["members"]),
                rapporteur=d["rapporteur"],
            )

        if save_or_show_errors(request, form, save, _("Group created.")):
            return redirect("breakout_detail", uuid=created["b"].uuid)
    return render(
        request,
        "events/form.html",
        {"form": form, "title": _("A breakout group"), "cancel_url": reverse("event_detail", args=[event.uuid])},
    )


def _detail(request, breakout, *, outcome_form=None, commitment_form=None):
    user = request.user
    event = breakout.event
    manager = access.can_manage(user, event)
    group = next((g for g in selectors.breakouts(user, event) if g.breakout.pk == breakout.pk), None)
    orgs = core_access.visible_organisations(user).order_by("name", "id")
    return render(
        request,
        "events/breakout_detail.html",
        {
            "event": event,
            "breakout": breakout,
            "group": group,
            "rapporteur": selectors.rapporteur_name(user, breakout),
            "manager": manager,
            "outcome_form": outcome_form or (OutcomeForm(prefix="outcome") if manager else None),
            "commitment_form": commitment_form
            or (CommitmentForm(prefix="commitment", organisations=orgs) if manager else None),
        },
    )


@requires("events.view")
@require_GET
def breakout_detail(request, uuid):
    return _detail(request, get_breakout(request, uuid))


@requires("events.organise")
@require_POST
def outcome_add(request, uuid):
    user = request.user
    breakout = get_breakout(request, uuid)
    access.require_manage(user, breakout.event)
    form = OutcomeForm(request.POST, prefix="outcome")
    if form.is_valid() and save_or_show_errors(
        request,
        form,
        lambda: services.outcome_add(actor=user, breakout=breakout, **form.cleaned_data),
        _("Outcome recorded."),
    ):
        return redirect("breakout_detail", uuid=breakout.uuid)
    return _detail(request, breakout, outcome_form=form)


@requires("events.organise")
@require_POST
def commitment_add(request, uuid):
    user = request.user
    breakout = get_breakout(request, uuid)
    access.require_manage(user, breakout.event)
    form = CommitmentForm(request.POST, prefix="commitment", organisations=core_access.visible_organisations(user))
    if form.is_valid() and save_or_show_errors(
        request,
        form,
        lambda: services.commitment_add(actor=user, breakout=breakout, **form.cleaned_data),
        _("Commitment recorded."),
    ):
        return redirect("breakout_detail", uuid=breakout.uuid)
    return _detail(request, breakout, commitment_form=form)


@requires("events.organise")
@require_http_methods(["GET", "POST"])
def commitment_follow_up(request, uuid):
    """Turn a commitment into an action item of a coordination body the user runs or whose action
    log they keep (the holder of its Secretariat seat)."""
    user = request.user
    commitment = get_commitment(request, uuid)
    event = commitment.breakout.event
    access.require_manage(user, event)
    bodies = bodies_access.visible_bodies(user).filter(bodies_access.action_item_writer_q(user))
    edit = versioned_form(
        request,
        ActionItemForm,
        record=commitment,
        form_kwargs={"bodies": bodies.order_by("name", "id")},
        save=lambda data, version: services.commitment_to_action_item(
            actor=user, commitment=commitment, body=data["body"], expected_version=version
        ),
        success=_("The commitment is now an action item of the body."),
    )
    if edit.saved:
        return redirect("breakout_detail", uuid=commitment.breakout.uuid)
    return render(
        request,
        "events/form.html",
        edit.context(
            title=_("Follow up a commitment"),
            lead=commitment.text,
            follow_up=selectors.follow_up(user, commitment),
            cancel_url=reverse("breakout_detail", args=[commitment.breakout.uuid]),
        ),
    )


@requires("events.organise")
@require_http_methods(["GET", "POST"])
def commitment_exchange(request, uuid):
    """Turn a commitment into a follow-up request of the exchange (a draft the user then sends)."""
    from tandem.exchange import access as exchange_access

    user = request.user
    commitment = get_commitment(request, uuid)
    event = commitment.breakout.event
    access.require_manage(user, event)
    sender_ids = [g.jurisdiction_id for g in exchange_access.sending_grants(user)]
    senders = core_access.visible_jurisdictions(user).filter(pk__in=sender_ids).order_by("path")
    edit = versioned_form(
        request,
        ExchangeRequestForm,
        record=commitment,
        initial={"due_date": commitment.due_date},
        form_kwargs={"senders": senders, "recipients": exchange_access.addressable_jurisdictions(user)},
        save=lambda data, version: services.commitment_to_exchange_request(
            actor=user,
            commitment=commitment,
            sender_jurisdiction=data["sender_jurisdiction"],
            recipients=tuple(data["recipients"]),
            due_date=data["due_date"],
            expected_version=version,
        ),
        success=_("A draft request is ready in the exchange: preview it and send it."),
    )
    if edit.saved:
        return redirect("exchange_preview", uuid=edit.result.exchange_item.uuid)
    return render(
        request,
        "events/form.html",
        edit.context(
            title=_("Follow up with an exchange request"),
            lead=commitment.text,
            follow_up=selectors.follow_up(user, commitment),
            cancel_url=reverse("breakout_detail", args=[commitment.breakout.uuid]),
        ),
    )
