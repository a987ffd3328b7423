"""Helpers shared by the page modules of tandem.plans."""

from __future__ import annotations

from django.shortcuts import render

from tandem.core import selectors as core_selectors

from .. import access


def _render_form(request, form, *, title, cancel_url, plan=None, conflict=None, intro=""):
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "plan": plan,
        "conflict": conflict,
        "intro": intro,
    }
    if plan is not None:
        context["crumbs"] = core_selectors.breadcrumb(request.user, plan.jurisdiction)
    return render(request, "plans/form.html", context)


def _editable_plan(request, uuid):
    plan = access.get_plan_or_404(request.user, uuid=uuid)
    access.require_edit(request.user, plan)
    return plan
