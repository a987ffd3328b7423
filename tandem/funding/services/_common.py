"""Checks every funding service shares: money, currency, open calls."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.currencies import check_currency

from ..models import Call


def money(value: Any, field: str, *, positive: bool = False) -> Decimal:
    """A Decimal with at most two decimal places, not negative (not zero when ``positive``)."""
    if isinstance(value, float):
        raise ValidationError({field: _("Give amounts as decimals, not floating-point numbers.")})
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount, for example 1500.00.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount, for example 1500.00.")})
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValidationError({field: _("Amounts have at most two decimal places.")})
    if amount < 0 or (positive and amount == 0):
        raise ValidationError({field: _("The amount must be positive.")})
    if amount >= Decimal("1e14"):
        raise ValidationError({field: _("The amount is too large.")})
    return amount.quantize(Decimal("0.01"))


def currency(code: Any, field: str = "currency") -> str:
    """An ISO 4217 alphabetic code (upper case)."""
    return check_currency(code, field)


def is_open(call: Call) -> bool:
    now = timezone.now()
    return call.opens_at <= now < call.closes_at


def require_open(call: Call) -> None:
    if not is_open(call):
        raise ValidationError(
            _("This call is not open: applications are accepted from %(opens)s to %(closes)s.")
            % {
                "opens": timezone.localtime(call.opens_at).strftime("%Y-%m-%d %H:%M %Z"),
                "closes": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M %Z"),
            }
        )


def within(jurisdiction: Any, root: Any) -> bool:
    return bool(jurisdiction.path.startswith(root.path))
