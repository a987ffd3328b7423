"""A framework as an XLSX workbook or a JSON file: written for export, read (after the upload checker) for import.

Three sheets: ``Framework`` (key, value), ``Levels`` (value, label_en, label_fr) and ``Statements``
(one row per statement, with its competency's code, names and guidance). ``read_framework`` returns
the parsed framework and a list of errors, each naming its sheet and row (or, in JSON, its entry); the
import writes nothing unless the list is empty. The JSON shape is the one ``framework_json`` writes.
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


def framework_json(framework: Any, competencies: list[Any], items: list[Any], levels: list[Any]) -> dict[str, Any]:
    """The framework as JSON data: its description, its scale, its competencies and their statements."""
    return {
        **{key: getattr(framework, key) for key in FRAMEWORK_KEYS},
        "levels": [{"value": lv.value, "label_en": lv.label_en, "label_fr": lv.label_fr} for lv in levels],
        "competencies": [
            {
                "code": c.code,
                "name_en": c.name_en,
                "name_fr": c.name_fr,
                "guidance_en": c.guidance_en,
                "guidance_fr": c.guidance_fr,
                "items": [
                    {
                        "code": i.code,
                        "statement_en": i.statement_en,
                        "statement_fr": i.statement_fr,
                        "guidance_en": i.guidance_en,
                        "guidance_fr": i.guidance_fr,
                    }
                    for i in items
                    if i.competency_id == c.pk
                ],
            }
            for c in competencies
        ],
    }


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
    """Check the file with the upload checker, then read it (an XLSX workbook or the JSON export's shape)
    and validate it: every error, by row or entry."""
    checked = uploads.check_bytes(raw, name=name, allowed={"xlsx", "json"}, max_bytes=settings.TANDEM_IMPORT_MAX_BYTES)
    parsed = ParsedFramework()
    if checked.type.kind == "json":
        framework, levels, statements = _json_rows(raw, parsed)
    else:
        framework, levels, statements = _xlsx_rows(raw, parsed)
    _validate(parsed, framework, levels, statements)
    return parsed


Rows = list[tuple[str, dict[str, str]]]  # (where, values): "Levels, row 3" or "levels, entry 3"


def _xlsx_rows(raw: bytes, parsed: ParsedFramework) -> tuple[dict[str, str], Rows, Rows]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        raise ValidationError(_("This is not an XLSX workbook.")) from None
    framework = {row["key"]: row["value"] for _n, row in _rows(wb, "Framework", ("key", "value"), parsed)}
    levels = [(_("Levels, row %(row)s") % {"row": n}, row) for n, row in _rows(wb, "Levels", LEVEL_COLUMNS, parsed)]
    statements = [
        (_("Statements, row %(row)s") % {"row": n}, row)
        for n, row in _rows(wb, "Statements", STATEMENT_COLUMNS, parsed)
    ]
    return framework, levels, statements


def _json_rows(raw: bytes, parsed: ParsedFramework) -> tuple[dict[str, str], Rows, Rows]:
    """The JSON export's shape, flattened into the workbook's rows (the same checks then apply)."""
    import json

    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        raise ValidationError(_("This is not a JSON file.")) from None
    if not isinstance(data, dict):
        raise ValidationError(_("The JSON file must hold one framework (an object)."))
    framework = {key: _json_text(data.get(key)) for key in FRAMEWORK_KEYS}
    levels: Rows = []
    raw_levels = data.get("levels")
    if not isinstance(raw_levels, list):
        parsed.errors.append(_("“levels” must be a list."))
        raw_levels = []
    for n, level in enumerate(raw_levels, start=1):
        where = _("levels, entry %(n)s") % {"n": n}
        if not isinstance(level, dict):
            parsed.errors.append(_("%(where)s: must be an object.") % {"where": where})
            continue
        levels.append((where, {c: _json_text(level.get(c)) for c in LEVEL_COLUMNS}))
    statements: Rows = []
    raw_competencies = data.get("competencies")
    if not isinstance(raw_competencies, list):
        parsed.errors.append(_("“competencies” must be a list."))
        raw_competencies = []
    seen: set[str] = set()
    for n, comp in enumerate(raw_competencies, start=1):
        where = _("competencies, entry %(n)s") % {"n": n}
        if not isinstance(comp, dict) or not isinstance(comp.get("items"), list):
            parsed.errors.append(_("%(where)s: must be an object with a list of “items”.") % {"where": where})
            continue
        code = _json_text(comp.get("code"))
        if code in seen:
            parsed.errors.append(
                _("%(where)s: the competency %(code)s appears twice.") % {"where": where, "code": code}
            )
            continue
        seen.add(code)
        head = {
            "competency": code,
            **{
                f"competency_{k}": _json_text(comp.get(k)) for k in ("name_en", "name_fr", "guidance_en", "guidance_fr")
            },
        }
        for m, item in enumerate(comp["items"], start=1):
            item_where = _("competency %(code)s, statement %(n)s") % {"code": code or n, "n": m}
            if not isinstance(item, dict):
                parsed.errors.append(_("%(where)s: must be an object.") % {"where": item_where})
                continue
            statements.append((item_where, {**head, **{k: _json_text(item.get(k)) for k in STATEMENT_COLUMNS[5:]}}))
    return framework, levels, statements


def _json_text(value: Any) -> str:
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        return ""
    return _text(value)


def _validate(parsed: ParsedFramework, framework: dict[str, str], levels: Rows, statements: Rows) -> None:
    parsed.values = {key: framework[key] for key in FRAMEWORK_KEYS if key in framework}
    for key in ("slug", "name", "version", "author_statement"):
        if not parsed.values.get(key):
            parsed.errors.append(_("Framework: “%(key)s” is required.") % {"key": key})
    parsed.values["is_official"] = parsed.values.get("is_official", "").lower() in ("yes", "true", "1", "oui")
    seen_levels: set[int] = set()
    for where, row in levels:
        try:
            value = int(float(row["value"]))
        except ValueError:
            parsed.errors.append(_("%(where)s: the value must be a whole number.") % {"where": where})
            continue
        if value in seen_levels:
            parsed.errors.append(_("%(where)s: the value %(value)s appears twice.") % {"where": where, "value": value})
        elif not row["label_en"]:
            parsed.errors.append(_("%(where)s: the English label is missing.") % {"where": where})
        seen_levels.add(value)
        parsed.levels.append((value, row["label_en"], row["label_fr"]))
    values = sorted(seen_levels)
    if len(values) < 2 or values != list(range(values[0], values[0] + len(values))) or values[0] < 0:
        parsed.errors.append(_("Levels: give at least two levels, numbered without gaps (e.g. 0 to 4)."))
    codes: set[str] = set()
    for where, row in statements:
        if not row["competency"] or not row["code"] or not row["statement_en"]:
            parsed.errors.append(
                _("%(where)s: competency, code and English statement are required.") % {"where": where}
            )
            continue
        if len(row["code"]) > 30 or len(row["competency"]) > 30:
            parsed.errors.append(_("%(where)s: codes are at most 30 characters.") % {"where": where})
            continue
        if row["code"] in codes:
            parsed.errors.append(
                _("%(where)s: the code %(code)s appears twice.") % {"where": where, "code": row["code"]}
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
