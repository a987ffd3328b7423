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


def _conflict(form, exc, names):
    """The conflict as the shared include shows it: field label -> (your entry, saved now)."""
    changed = {}
    data = getattr(form, "cleaned_data", {})
    for name in names:
        if name in form.fields and name in data:
            saved = getattr(exc.current, name, None)
            if (data[name] or None) != (saved or None):
                changed[str(form.fields[name].label)] = (data[name], saved)
    exc.changed = changed
    return exc
