"""Currencies of amounts: ISO 4217 codes, checked with pycountry, and each country's own currency.

A budget is never converted: it is stored with the code it was given in. A form or
service that takes an amount without a code uses the currency of the country the
record's jurisdiction is in (``country_currency``).
"""

from __future__ import annotations

from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ISO 3166 alpha-2 -> ISO 4217: the countries of the network and their neighbours. A country not
# listed has no default; its users type the code.
COUNTRY_CURRENCIES = {
    "AL": "ALL", "BA": "BAM", "ME": "EUR", "MK": "MKD", "RS": "RSD", "XK": "EUR",
    "BD": "BDT", "BE": "EUR", "BF": "XOF", "BI": "BIF", "BJ": "XOF", "CA": "CAD", "CD": "CDF", "CF": "XAF",
    "CH": "CHF", "CI": "XOF", "CM": "XAF", "DE": "EUR", "DJ": "DJF", "DZ": "DZD", "EG": "EGP", "ES": "EUR",
    "ET": "ETB", "FR": "EUR", "GB": "GBP", "GH": "GHS", "GN": "GNF", "ID": "IDR", "IN": "INR", "IQ": "IQD",
    "IT": "EUR", "JO": "JOD", "KE": "KES", "LB": "LBP", "LK": "LKR", "LY": "LYD", "MA": "MAD", "ML": "XOF",
    "MR": "MRU", "MY": "MYR", "MZ": "MZN", "NE": "XOF", "NG": "NGN", "NL": "EUR", "PH": "PHP", "PK": "PKR",
    "RW": "RWF", "SE": "SEK", "SN": "XOF", "SO": "SOS", "SS": "SSP", "TD": "XAF", "TG": "XOF", "TH": "THB",
    "TN": "TND", "TZ": "TZS", "UG": "UGX", "US": "USD", "ZA": "ZAR",
}  # fmt: skip


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
    return COUNTRY_CURRENCIES.get(code, "")
