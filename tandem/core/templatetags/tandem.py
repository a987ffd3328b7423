from __future__ import annotations

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(sorted(params.lists()), doseq=True)


@register.filter
def change_display(value) -> str:
    """An audit change: ``[before, after]`` as 'before → after', anything else as text."""
    if isinstance(value, list) and len(value) == 2:
        before, after = ("—" if v in (None, "") else v for v in value)
        return f"{before} → {after}"
    return "—" if value in (None, "") else str(value)


@register.filter
def allowed(user, permission: str) -> bool:
    """``{% if request.user|allowed:"exchange.coordinate" %}``: whether the declared permission lets
    the user open the pages that name it (so a page never shows a link that answers 403)."""
    from tandem.core import permissions

    return permissions.get(permission).allows(user)


@register.filter
def number(value):
    """A figure for reading: grouped by the language's thousands separator, with no ".00" when it
    is whole (``1 250 000`` in French, ``1,250,000`` in English; ``12.5`` stays ``12.5``)."""
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import number_format

    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    places = 0 if amount == amount.to_integral_value() else max(0, -amount.normalize().as_tuple().exponent)
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
