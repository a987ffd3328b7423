"""A framework as an XLSX workbook: written for export, read (after the upload checker) for import.

Three sheets: ``Framework`` (key, value), ``Levels`` (value, label_en, label_fr) and ``Statements``
(one row per statement, with its competency's code, names and guidance). ``read_framework`` returns
the parsed framework and a list of errors, each naming its sheet and row; the import writes nothing
unless the list is empty.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.core import uploads

FRAMEWORK_KEYS = ("slug", "name", "version", "languages", "source", "licence", "is_official", "author_statement")
LEVEL_COLUMNS = ("value", "label_en", "label_fr")
STATEMENT_COLUMNS = (
    "competency",
    "competency_name_en",
    "competency_name_fr",
    "competency_guidance_en",
    "competency_guidance_fr",
    "code",
    "statement_en",
    "statement_fr",
    "guidance_en",
    "guidance_fr",
)


def framework_workbook(framework: Any, competencies: list[Any], items: list[Any], levels: list[Any]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Framework"
    sheet.append(["key", "value"])
    for key in FRAMEWORK_KEYS:
        value = getattr(framework, key)
        sheet.append([key, "yes" if value is True else "no" if value is False else value])
    levels_sheet = wb.create_sheet("Levels")
    levels_sheet.append(list(LEVEL_COLUMNS))
    for level in levels:
        levels_sheet.append([level.value, level.label_en, level.label_fr])
    statements = wb.create_sheet("Statements")
    statements.append(list(STATEMENT_COLUMNS))
    by_pk = {c.pk: c for c in competencies}
    for item in items:
        c = by_pk[item.competency_id]
        statements.append(
            [c.code, c.name_en, c.name_fr, c.guidance_en, c.guidance_fr, item.code, item.statement_en,
             item.statement_fr, item.guidance_en, item.guidance_fr]
        )  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass
class ParsedFramework:
    values: dict[str, Any] = field(default_factory=dict)
    levels: list[tuple[int, str, str]] = field(default_factory=list)
    competencies: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> names, guidance, items
    errors: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _rows(wb: Any, title: str, columns: tuple[str, ...], parsed: ParsedFramework) -> list[tuple[int, dict[str, str]]]:
    if title not in wb.sheetnames:
        parsed.errors.append(_("The sheet “%(sheet)s” is missing.") % {"sheet": title})
        return []
    rows = list(wb[title].iter_rows(values_only=True))
    header = [_text(v) for v in (rows[0] if rows else ())]
    missing = [c for c in columns if c not in header]
    if missing:
        parsed.errors.append(
            _("%(sheet)s: columns missing: %(columns)s") % {"sheet": title, "columns": ", ".join(missing)}
        )
        return []
    index = {c: header.index(c) for c in columns}
    result = []
    for number, row in enumerate(rows[1:], start=2):
        values = {c: _text(row[i]) if i < len(row) else "" for c, i in index.items()}
        if any(values.values()):
            result.append((number, values))
    return result


def read_framework(raw: bytes, name: str = "") -> ParsedFramework:
    """Check the file with the upload checker, then read and validate it (every error, by row)."""
    from openpyxl import load_workbook

    parsed = ParsedFramework()
    uploads.check_bytes(raw, name=name, allowed={"xlsx"}, max_bytes=settings.TANDEM_IMPORT_MAX_BYTES)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        raise ValidationError(_("This is not an XLSX workbook.")) from None
    for _number, row in _rows(wb, "Framework", ("key", "value"), parsed):
        if row["key"] in FRAMEWORK_KEYS:
            parsed.values[row["key"]] = row["value"]
    for key in ("slug", "name", "version", "author_statement"):
        if not parsed.values.get(key):
            parsed.errors.append(_("Framework: “%(key)s” is required.") % {"key": key})
    parsed.values["is_official"] = parsed.values.get("is_official", "").lower() in ("yes", "true", "1", "oui")
    seen_levels: set[int] = set()
    for number, row in _rows(wb, "Levels", LEVEL_COLUMNS, parsed):
        try:
            value = int(float(row["value"]))
        except ValueError:
            parsed.errors.append(_("Levels, row %(row)s: the value must be a whole number.") % {"row": number})
            continue
        if value in seen_levels:
            parsed.errors.append(
                _("Levels, row %(row)s: the value %(value)s appears twice.") % {"row": number, "value": value}
            )
        elif not row["label_en"]:
            parsed.errors.append(_("Levels, row %(row)s: the English label is missing.") % {"row": number})
        seen_levels.add(value)
        parsed.levels.append((value, row["label_en"], row["label_fr"]))
    values = sorted(seen_levels)
    if len(values) < 2 or values != list(range(values[0], values[0] + len(values))):
        parsed.errors.append(_("Levels: give at least two levels, numbered without gaps (e.g. 0 to 4)."))
    codes: set[str] = set()
    for number, row in _rows(wb, "Statements", STATEMENT_COLUMNS, parsed):
        where = {"row": number}
        if not row["competency"] or not row["code"] or not row["statement_en"]:
            parsed.errors.append(
                _("Statements, row %(row)s: competency, code and English statement are required.") % where
            )
            continue
        if row["code"] in codes:
            parsed.errors.append(
                _("Statements, row %(row)s: the code %(code)s appears twice.") % {**where, "code": row["code"]}
            )
            continue
        codes.add(row["code"])
        comp = parsed.competencies.setdefault(
            row["competency"],
            {
                "name_en": row["competency_name_en"] or row["competency"],
                "name_fr": row["competency_name_fr"],
                "guidance_en": row["competency_guidance_en"],
                "guidance_fr": row["competency_guidance_fr"],
                "items": [],
            },
        )
        comp["items"].append(
            {k: row[k] for k in ("code", "statement_en", "statement_fr", "guidance_en", "guidance_fr")}
        )
    if not parsed.competencies and not parsed.errors:
        parsed.errors.append(_("Statements: the framework has no statement."))
    return parsed
