"""Every ISO 3166 country gets its currency from CLDR (through Babel), checked against ISO 4217."""

from __future__ import annotations

import pycountry
import pytest
from django.core.exceptions import ValidationError

from tandem.core.currencies import check_currency, currency_of_country

# CLDR names no currency ISO 4217 still lists: Antarctica has none; CLDR 47 still gives Bulgaria the
# lev, which ISO 4217 retired when Bulgaria adopted the euro. Users of these give the code.
NO_DEFAULT = {"AQ", "BG"}


def test_every_iso_country_has_a_valid_iso_4217_currency_or_the_named_fallback():
    missing = set()
    for country in pycountry.countries:
        code = currency_of_country(country.alpha_2)
        if not code:
            missing.add(country.alpha_2)
            continue
        assert check_currency(code) == code, country.alpha_2
        assert pycountry.currencies.get(alpha_3=code) is not None, country.alpha_2
    assert missing == NO_DEFAULT
    assert len(list(pycountry.countries)) - len(missing) >= 245


@pytest.mark.parametrize(
    ("country", "currency"),
    [("KE", "KES"), ("PH", "PHP"), ("MK", "MKD"), ("XK", "EUR"), ("FR", "EUR"), ("ID", "IDR"), ("PS", "ILS")],
)
def test_known_countries(country, currency):
    assert currency_of_country(country) == currency
    assert currency_of_country(country.lower()) == currency


def test_an_unknown_country_has_no_default_and_a_bad_code_is_refused():
    assert currency_of_country("ZZ") == "" and currency_of_country("") == ""
    with pytest.raises(ValidationError):
        check_currency("BGN")  # retired from ISO 4217
