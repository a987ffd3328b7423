"""CSV import of organisations: validate every row first, then write all or nothing.

The flow:

1. :func:`read_csv` runs the upload checker (:mod:`tandem.core.uploads`), decodes
   the upload (UTF-8, with or without BOM), detects the separator (comma or
   semicolon) and checks the header and the row limit.
2. :func:`import_organisations` validates every row — required cells, sector,
   jurisdiction (one the user manages), the model's own field validation
   (``full_clean``), the unique-active-name rule against the database *and*
   inside the file, and the parent (a row of the same file or an existing
   organisation the user can see, in the same country, without cycles).
3. Only when no row has an error are the rows created, parents first, inside one
   transaction through :func:`services.organisation_create` with one summary
   audit event. Should the service still refuse a row, the transaction is rolled
   back and that refusal is reported like any other row error.
"""

from __future__ import annotations

import csv
import io
import uuid as uuid_module
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from . import access, selectors, services, uploads
from .models import AuditAction, Jurisdiction, Organisation, Sector

COLUMNS = ["name", "sector", "jurisdiction", "parent", "description", "website", "email", "phone", "address"]
REQUIRED_COLUMNS = ["name", "sector", "jurisdiction"]
TEXT_COLUMNS = ["description", "website", "email", "phone", "address"]
CSV_TYPES = frozenset({"text"})
HEADER_ROW = 1  # data rows are numbered as a spreadsheet shows them: the first one is row 2


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header, size)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    created: list[Organisation] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Plan:
    row: int
    values: dict[str, Any]
    jurisdiction: Jurisdiction | None
    parent_name: str = ""
    parent_existing: Organisation | None = None
    parent_row: int | None = None


# --- Reading -------------------------------------------------------------------------


def template_header() -> list[str]:
    return list(COLUMNS)


def read_csv(raw: bytes, name: str = "") -> list[tuple[int, dict[str, str]]]:
    """The data rows as ``(row number, {column: cell})``; raises ImportFileError.

    The bytes pass the upload checker first (size, type by content, no program or polyglot)."""
    try:
        uploads.check_bytes(raw, name=name, allowed=CSV_TYPES, max_bytes=settings.TANDEM_IMPORT_MAX_BYTES)
    except ValidationError as exc:
        raise ImportFileError(exc.messages[0]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFileError(_("The file could not be read as CSV: %(error)s") % {"error": exc})
    if not records or not any(cell.strip() for cell in records[0]):
        raise ImportFileError(_("The file is empty. The first row must name the columns."))
    header = [cell.strip().lower() for cell in records[0]]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)}
        )
    duplicates = sorted(h for h, n in Counter(header).items() if n > 1)
    if duplicates:
        raise ImportFileError(_("Columns named twice: %(columns)s.") % {"columns": ", ".join(duplicates)})
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    rows: list[tuple[int, dict[str, str]]] = []
    for index, record in enumerate(records[1:], start=HEADER_ROW + 1):
        if not any(cell.strip() for cell in record):
            continue  # blank lines are ignored
        cells = dict.fromkeys(COLUMNS, "")
        for column, cell in zip(header, record, strict=False):
            cells[column] = cell.strip()
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header) :]):
            cells["__extra__"] = "1"
        rows.append((index, cells))
    if not rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    if len(rows) > settings.TANDEM_IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)d rows; the limit is %(limit)d.")
            % {"count": len(rows), "limit": settings.TANDEM_IMPORT_MAX_ROWS}
        )
    return rows


# --- Lookups (one query each, whatever the number of rows) ------------------------------


def _sector_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    with translation.override("en"):
        for value, label in Sector.choices:
            lookup[value.lower()] = value
            lookup[str(label).lower()] = value
    return lookup


def _is_uuid(value: str) -> bool:
    try:
        uuid_module.UUID(value)
    except ValueError:
        return False
    return True


def _jurisdiction_lookup(actor: Any, refs: set[str]) -> dict[str, Jurisdiction]:
    """Managed jurisdictions by upper-case ISO code and by UUID text."""
    codes = {r.upper() for r in refs if r and not _is_uuid(r)}
    uuids = {str(uuid_module.UUID(r)) for r in refs if r and _is_uuid(r)}
    if not codes and not uuids:
        return {}
    found = access.managed_jurisdictions(actor).filter(Q(iso_code__in=codes) | Q(uuid__in=uuids))
    lookup: dict[str, Jurisdiction] = {}
    for j in found:
        if j.iso_code:
            lookup[j.iso_code.upper()] = j
        lookup[str(j.uuid)] = j
    return lookup


def _resolve_jurisdiction(lookup: dict[str, Jurisdiction], ref: str) -> Jurisdiction | None:
    if _is_uuid(ref):
        return lookup.get(str(uuid_module.UUID(ref)))
    return lookup.get(ref.upper())


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {key: list(ValidationError(errors).messages) for key, errors in exc.error_dict.items()}
    return {NON_FIELD_ERRORS: list(exc.messages)}


def _column_for(key: str) -> str:
    return key if key in COLUMNS else ""


# --- Validation and import ---------------------------------------------------------------


def validate_rows(actor: Any, rows: list[tuple[int, dict[str, str]]]) -> tuple[list[_Plan], list[RowError]]:
    errors: list[RowError] = []
    sectors = _sector_lookup()
    jurisdictions = _jurisdiction_lookup(actor, {cells["jurisdiction"] for _, cells in rows})
    plans: list[_Plan] = []

    for row, cells in rows:
        row_errors: list[RowError] = []
        if cells.get("__extra__"):
            row_errors.append(RowError(row, "", _("This row has more cells than the header has columns.")))
        name = cells["name"]
        if not name:
            row_errors.append(RowError(row, "name", _("The name is required.")))
        sector = sectors.get(cells["sector"].lower())
        if not cells["sector"]:
            row_errors.append(RowError(row, "sector", _("The sector is required.")))
        elif sector is None:
            row_errors.append(
                RowError(row, "sector", _("Unknown sector “%(value)s”.") % {"value": cells["sector"][:60]})
            )
        jurisdiction = _resolve_jurisdiction(jurisdictions, cells["jurisdiction"]) if cells["jurisdiction"] else None
        if not cells["jurisdiction"]:
            row_errors.append(RowError(row, "jurisdiction", _("The jurisdiction is required.")))
        elif jurisdiction is None:
            row_errors.append(
                RowError(
                    row,
                    "jurisdiction",
                    _("“%(value)s” is not the ISO code or UUID of a jurisdiction you manage.")
                    % {"value": cells["jurisdiction"][:60]},
                )
            )
        values = {"name": name, "sector": sector or "", **{c: cells[c] for c in TEXT_COLUMNS}}
        # The model's own field validation, as the service will run it.
        candidate = Organisation(jurisdiction=jurisdiction, **values)
        exclude = ["parent"] + ([] if jurisdiction is not None else ["jurisdiction"])
        exclude += [k for k in ("name", "sector") if not values[k]]  # already reported above
        try:
            candidate.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for key, messages in _messages(exc).items():
                if key in ("sector", "jurisdiction") and any(e.column == key for e in row_errors):
                    continue
                for message in messages:
                    row_errors.append(RowError(row, _column_for(key), message))
        errors.extend(row_errors)
        plans.append(_Plan(row=row, values=values, jurisdiction=jurisdiction, parent_name=cells["parent"]))

    valid_plans = [p for p in plans if p.jurisdiction is not None and p.values["name"]]

    # Unique active name per jurisdiction: against the database, then inside the file.
    taken = selectors.active_organisation_names(
        {p.jurisdiction.pk for p in valid_plans if p.jurisdiction is not None}, {p.values["name"] for p in valid_plans}
    )
    first_row: dict[tuple[int, str], int] = {}
    for p in valid_plans:
        assert p.jurisdiction is not None
        key = (p.jurisdiction.pk, p.values["name"])
        if key in taken:
            errors.append(
                RowError(
                    p.row,
                    "name",
                    _("An active organisation called “%(name)s” already exists in %(place)s.")
                    % {"name": p.values["name"], "place": p.jurisdiction.name},
                )
            )
        if key in first_row:
            errors.append(
                RowError(
                    p.row,
                    "name",
                    _("“%(name)s” in %(place)s is already on row %(first)d of this file.")
                    % {"name": p.values["name"], "place": p.jurisdiction.name, "first": first_row[key]},
                )
            )
        else:
            first_row[key] = p.row

    errors.extend(_resolve_parents(actor, plans))
    errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
    return plans, errors


def _resolve_parents(actor: Any, plans: list[_Plan]) -> list[RowError]:
    """Link each parent name to a row of the file or an existing visible organisation."""
    errors: list[RowError] = []
    wanted = {p.parent_name for p in plans if p.parent_name}
    if not wanted:
        return errors
    in_file: dict[str, list[_Plan]] = {}
    for p in plans:
        if p.values["name"]:
            in_file.setdefault(p.values["name"], []).append(p)
    existing: dict[str, list[Organisation]] = {}
    for org in access.visible_organisations(actor).filter(name__in=wanted - set(in_file)):
        existing.setdefault(org.name, []).append(org)
    by_row = {p.row: p for p in plans}

    for p in plans:
        if not p.parent_name:
            continue
        country = p.jurisdiction.country_path if p.jurisdiction is not None else ""
        if p.parent_name == p.values["name"] and len(in_file.get(p.parent_name, [])) <= 1:
            errors.append(RowError(p.row, "parent", _("An organisation cannot be its own parent.")))
            continue
        candidates_rows = [c for c in in_file.get(p.parent_name, []) if c.row != p.row]
        if candidates_rows:
            if country:
                candidates_rows = [
                    c for c in candidates_rows if c.jurisdiction is not None and c.jurisdiction.path.startswith(country)
                ] or candidates_rows
            if len(candidates_rows) > 1:
                errors.append(
                    RowError(
                        p.row,
                        "parent",
                        _("“%(name)s” is on several rows of this file; the parent is ambiguous.")
                        % {"name": p.parent_name[:200]},
                    )
                )
                continue
            parent = candidates_rows[0]
            if country and parent.jurisdiction is not None and not parent.jurisdiction.path.startswith(country):
                errors.append(RowError(p.row, "parent", _("The parent organisation must be in the same country.")))
                continue
            p.parent_row = parent.row
            continue
        candidates = existing.get(p.parent_name, [])
        if country:
            candidates = [o for o in candidates if o.jurisdiction.path.startswith(country)] or candidates
        if not candidates:
            errors.append(
                RowError(
                    p.row,
                    "parent",
                    _("No organisation called “%(name)s” in this file or among the organisations you can see.")
                    % {"name": p.parent_name[:200]},
                )
            )
        elif len(candidates) > 1:
            errors.append(
                RowError(
                    p.row,
                    "parent",
                    _("Several organisations you can see are called “%(name)s”; the parent is ambiguous.")
                    % {"name": p.parent_name[:200]},
                )
            )
        elif country and not candidates[0].jurisdiction.path.startswith(country):
            errors.append(RowError(p.row, "parent", _("The parent organisation must be in the same country.")))
        else:
            p.parent_existing = candidates[0]

    # Cycles among rows of the file (A is the parent of B, B of A).
    for p in plans:
        seen = {p.row}
        node = p
        while node.parent_row is not None:
            if node.parent_row in seen:
                errors.append(RowError(p.row, "parent", _("The parents in this file form a cycle.")))
                break
            seen.add(node.parent_row)
            node = by_row[node.parent_row]
    return errors


def _creation_order(plans: list[_Plan]) -> list[_Plan]:
    """Parents before their units (the file's rows have no cycles by now)."""
    by_row = {p.row: p for p in plans}
    ordered: list[_Plan] = []
    done: set[int] = set()
    for p in plans:
        chain = []
        node: _Plan | None = p
        while node is not None and node.row not in done:
            chain.append(node)
            node = by_row[node.parent_row] if node.parent_row is not None else None
        for item in reversed(chain):
            done.add(item.row)
            ordered.append(item)
    return ordered


def _audit_jurisdiction(actor: Any, plans: list[_Plan]) -> Jurisdiction:
    """The deepest unit above every imported row if the actor manages it, else the first row's."""
    jurisdictions = [p.jurisdiction for p in plans if p.jurisdiction is not None]
    paths = [j.path for j in jurisdictions]
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common[: common.rstrip("/").rfind("/") + 1]
    ids = [part for part in common.strip("/").split("/") if part]
    if ids:
        for j in jurisdictions:
            if j.pk == int(ids[-1]):
                return j
        found = access.managed_jurisdictions(actor).filter(pk=int(ids[-1])).first()
        if found is not None:
            return found
    return jurisdictions[0]


class _RowFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("row failed")
        self.errors = errors


def import_organisations(*, actor: Any, raw: bytes, filename: str = "") -> ImportReport:
    """Validate every row, then create all or nothing. Raises ImportFileError for an unreadable file."""
    access.require_any_rank(actor, access.COORDINATOR_RANK)
    rows = read_csv(raw, filename)
    plans, errors = validate_rows(actor, rows)
    report = ImportReport(rows_read=len(rows), errors=errors)
    if errors:
        return report
    try:
        with transaction.atomic():
            created: dict[int, Organisation] = {}
            for plan in _creation_order(plans):
                parent = created[plan.parent_row] if plan.parent_row is not None else plan.parent_existing
                try:
                    created[plan.row] = services.organisation_create(
                        actor=actor, jurisdiction=plan.jurisdiction, parent=parent, audit=False, **plan.values
                    )
                except ValidationError as exc:
                    raise _RowFailed(
                        [
                            RowError(plan.row, _column_for(key), message)
                            for key, messages in _messages(exc).items()
                            for message in messages
                        ]
                    )
                except (PermissionDenied, IntegrityError):
                    raise _RowFailed([RowError(plan.row, "", _("This row could not be saved. Nothing was imported."))])
            ordered = [created[p.row] for p in plans]
            services.audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                jurisdiction=_audit_jurisdiction(actor, plans),
                changes={
                    "object_type": "organisation",
                    "file": filename[:200],
                    "created": len(ordered),
                    "names": [o.name for o in ordered[:100]],
                },
            )
    except _RowFailed as failed:
        report.errors = failed.errors
        return report
    report.created = ordered
    return report


__all__ = [
    "COLUMNS",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "import_organisations",
    "read_csv",
    "template_header",
    "validate_rows",
]
