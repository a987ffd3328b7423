"""Personal data: what in an item's text looks like personal data (warned before sending)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# --- Personal data -----------------------------------------------------------------------

_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
PERSONAL_DATA_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "date_of_birth",
        re.compile(
            r"(?i)\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|n[ée]e?\s+le)\b\W{0,3}"
            rf"(?:{_DATE}|\d{{1,2}}\s+\w+\s+\d{{4}})"
        ),
    ),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("id_number", re.compile(r"\b(?:[A-Z]{1,2}\d{6,9}|\d{3}-\d{2}-\d{4}|\d{8,12})\b")),
    ("phone", re.compile(r"(?<![\w+])(?:\+\d{1,3}|0)[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?!\w)")),
]


def personal_data_labels() -> dict[str, str]:
    return {
        "email": _("e-mail address"),
        "phone": _("phone number"),
        "id_number": _("national ID or passport-like number"),
        "date_of_birth": _("date of birth"),
    }


def personal_data_matches(*texts: str) -> list[dict[str, str]]:
    """What looks like personal data in ``texts``: [{"kind": ..., "match": ...}], each match once."""
    found: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for text in texts:
        remaining = text or ""
        for kind, pattern in PERSONAL_DATA_PATTERNS:
            for m in pattern.finditer(remaining):
                value = m.group(0).strip()
                if (kind, value) not in seen:
                    seen.add((kind, value))
                    found.append({"kind": kind, "match": value})
            # A matched span is not matched again as something else (a date is not a phone number).
            remaining = pattern.sub(" ", remaining)
    return found
