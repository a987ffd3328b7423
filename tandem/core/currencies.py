"""Currencies of amounts: ISO 4217 codes, checked with pycountry, and each country's own currency (CLDR).

A budget is never converted: it is stored with the code it was given in. A form or
service that takes an amount without a code uses the currency of the country the
record's jurisdiction is in (``country_currency``).
"""

from __future__ import annotations

import functools
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@functools.cache
def currency_of_country(alpha_2: str) -> str:
    """The ISO 4217 code of the currency a country (ISO 3166 alpha-2) uses today, from the Unicode
    CLDR's territory data (through Babel); "" when CLDR names none that ISO 4217 (pycountry) still
    lists (Antarctica; a code CLDR has not yet retired, such as Bulgaria's lev after the euro):
    then no default is offered and the user gives the code."""
    from babel.numbers import get_territory_currencies

    candidates = get_territory_currencies(alpha_2.upper(), tender=True)  # [] for an unknown code
    return next((code for code in candidates if pycountry.currencies.get(alpha_3=code) is not None), "")


def check_currency(code: Any, field: str = "currency") -> str:
    """An ISO 4217 alphabetic code (upper case), or a ValidationError on ``field``."""
    value = str(code or "").strip().upper()
    if len(value) != 3 or pycountry.currencies.get(alpha_3=value) is None:
        raise ValidationError({field: _("Enter an ISO 4217 currency code, for example KES or EUR.")})
    return value


def country_currency(jurisdiction: Any) -> str:
    """The currency of the country ``jurisdiction`` is in (or is), "" when unknown."""
    from tandem.core.models import Jurisdiction, JurisdictionKind

    if jurisdiction is None:
        return ""
    if jurisdiction.kind == JurisdictionKind.COUNTRY:
        country = jurisdiction
    else:
        parts = [p for p in jurisdiction.path.strip("/").split("/") if p]
        prefixes = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
        country = Jurisdiction.objects.filter(path__in=prefixes, kind=JurisdictionKind.COUNTRY).first()
    code = ((country.iso_code or "") if country else "").upper()
    return currency_of_country(code) if code else ""
