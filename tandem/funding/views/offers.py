"""Pages of private-sector partners: offers, and matches to local needs."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core.pagination import CappedPaginator
from tandem.core.views.utils import run_posted_step, save_or_show_errors
from tandem.funding.permissions import requires

from .. import access, selectors
from ..forms import MatchForm, OfferForm
from ..services import offers as offer_services


@requires("funding.view")
@require_GET
def funding_offers(request):
    user = request.user
    return render(
        request,
        "funding/offer_list.html",
        {
            # A page at a time (2,000 offers at national scale rendered 200 rows, most of the page's time).
            "page_obj": CappedPaginator(selectors.offers_for(user), settings.TANDEM_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "matches": selectors.matches_for(user)[:100],
            "can_offer": core_access.has_any_rank(user, 20),
        },
    )


@requires("funding.apply")
@require_http_methods(["GET", "POST"])
def funding_offer_create(request):
    user = request.user
    form = OfferForm(request.POST or None)
    form.fields["organisation"].queryset = core_access.visible_organisations(user).filter(
        id__in=core_access.get_access(user).organisation_ids()
    )
    form.fields["served_places"].queryset = core_access.visible_jurisdictions(user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if save_or_show_errors(
            request, form, lambda: offer_services.offer_create(actor=user, **data), _("Offer published.")
        ):
            return redirect("funding_offers")
    return render(request, "funding/form.html", {"form": form, "title": _("Offer resources")})


@requires("funding.view")
@require_GET
def funding_offer_detail(request, uuid):
    user = request.user
    offer = core_access.get_visible_or_404(access.visible_offers(user), uuid=uuid)
    can_propose = core_access.has_any_rank(user, core_access.COORDINATOR_RANK)
    context = {
        "offer": offer,
        "matches": selectors.matches_for(user, offer=offer),
        "can_propose": can_propose,
        "own": access.acts_for(user, offer.organisation_id),
    }
    if can_propose:
        form = MatchForm()
        form.fields["jurisdiction"].queryset = core_access.managed_jurisdictions(user)
        form.fields["activity"].queryset = selectors.unfunded_activities(user)
        form.fields["request"].queryset = selectors.exchange_needs(user)
        context["form"] = form
    return render(request, "funding/offer_detail.html", context)


@requires("funding.manage")
@require_POST
def funding_match_propose(request, uuid):
    user = request.user
    offer = core_access.get_visible_or_404(access.visible_offers(user), uuid=uuid)
    form = MatchForm(request.POST)
    form.fields["jurisdiction"].queryset = core_access.managed_jurisdictions(user)
    form.fields["activity"].queryset = selectors.unfunded_activities(user)
    form.fields["request"].queryset = selectors.exchange_needs(user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            offer_services.match_propose(actor=user, offer=offer, **data)
            messages.success(request, _("Match proposed to the partner."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose where the need is."))
    return redirect("funding_offer_detail", uuid=offer.uuid)


def _match_step(request, uuid, step, success):
    user = request.user
    match = core_access.get_visible_or_404(access.visible_matches(user), uuid=uuid)
    run_posted_step(
        request,
        lambda version: step(user, match, version),
        success=success,
        conflict=_("Someone else answered this match meanwhile."),
    )
    return redirect("funding_offer_detail", uuid=match.offer.uuid)


@requires("funding.apply")
@require_POST
def funding_match_respond(request, uuid):
    accept = request.POST.get("answer") == "accept"
    return _match_step(
        request,
        uuid,
        lambda u, m, v: offer_services.match_respond(actor=u, match=m, expected_version=v, accept=accept),
        _("Answer recorded."),
    )


@requires("funding.manage")
@require_POST
def funding_match_deliver(request, uuid):
    return _match_step(
        request,
        uuid,
        lambda u, m, v: offer_services.match_deliver(actor=u, match=m, expected_version=v),
        _("Delivery recorded."),
    )
