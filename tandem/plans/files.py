"""A local plan as an XLSX workbook (export, edit offline, re-import) and as a PDF.

The workbook has one sheet per kind of record (Objectives, Activities,
Indicators) plus read-only reference sheets (Plan, National objectives). A row
with a UUID updates that record of the same plan; a row without one adds a
record. Each row carries the version it was exported at: a record changed since
is refused. The import runs every write through the services inside one
transaction and rolls everything back if any row fails (all or nothing); the
report names each failing sheet, row and column. The workbook passes the upload
checker (:mod:`tandem.core.uploads`: type, size, archive limits, zip bombs) before
openpyxl opens it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from tandem.core import access as core_access
from tandem.core import uploads
from tandem.core.exports import neutralise
from tandem.core.pdf import PdfDocument

from . import access, services
from .models import ActionPlan, ActivityStatus, Frequency, IndicatorUnit

WORKBOOK_TYPES = frozenset({"xlsx"})
OBJECTIVE_COLUMNS = [
    gettext_noop("UUID"),
    gettext_noop("Version"),
    gettext_noop("Code"),
    gettext_noop("Objective"),
    gettext_noop("National objectives"),
    gettext_noop("Local innovation"),
]
ACTIVITY_COLUMNS = [
    gettext_noop("UUID"),
    gettext_noop("Version"),
    gettext_noop("Title"),
    gettext_noop("Description"),
    gettext_noop("Local objective"),
    gettext_noop("Responsible organisation"),
    gettext_noop("Partner organisations"),
    gettext_noop("Budget"),
    gettext_noop("Currency"),
    gettext_noop("Budget source"),
    gettext_noop("Start"),
    gettext_noop("End"),
    gettext_noop("Status"),
    gettext_noop("National objectives"),
    gettext_noop("Local innovation"),
]
INDICATOR_COLUMNS = [
    gettext_noop("UUID"),
    gettext_noop("Version"),
    gettext_noop("Name"),
    gettext_noop("Unit"),
    gettext_noop("Frequency"),
    gettext_noop("Additive"),
    gettext_noop("Baseline"),
    gettext_noop("Target"),
    gettext_noop("National indicator"),
    gettext_noop("Objective"),
]
SHEETS = {
    gettext_noop("Objectives"): OBJECTIVE_COLUMNS,
    gettext_noop("Activities"): ACTIVITY_COLUMNS,
    gettext_noop("Indicators"): INDICATOR_COLUMNS,
}
# Columns a workbook exported before they existed may lack.
OPTIONAL_COLUMNS = frozenset({gettext_noop("Currency")})
INFO_SHEET, PLAN_UUID = gettext_noop("Plan"), gettext_noop("Plan UUID")
NATIONAL_SHEET, NATIONAL_COLUMNS = (
    gettext_noop("National objectives"),
    [gettext_noop("Code"), gettext_noop("Objective")],
)


def _names(label: str) -> set[str]:
    """``label`` in every language Tandem speaks: a workbook exported in one imports in any."""
    names = {label}
    for code, _name in settings.LANGUAGES:
        with override(code):
            names.add(_(label))
    return names


MAX_ROWS = 5000


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def _codes(subject: Any) -> str:
    return ", ".join(a.national_objective.code for a in subject.alignments.all() if a.national_objective_id)


def _innovation(subject: Any) -> bool:
    return any(a.local_innovation for a in subject.alignments.all())


def plan_workbook(plan: ActionPlan, *, actor: Any) -> bytes:
    """The plan's workbook as ``actor`` may read it: the national plan, its objectives and those of the
    regional plan it aligns to are named only for a reader who may open that plan."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .selectors import alignment_prefetch

    national_visible, regional_visible = access.plans_above_visible(actor, plan)
    wb = Workbook()
    info = wb.active
    info.title = _(INFO_SHEET)
    for row in [
        (_(PLAN_UUID), str(plan.uuid)),
        (_("Title"), plan.title),
        (_("Jurisdiction"), plan.jurisdiction.name),
        (_("National plan"), plan.national_plan.title if plan.national_plan_id and national_visible else ""),
        (_("Period"), f"{plan.period_start.isoformat()} – {plan.period_end.isoformat()}"),
        (_("Units"), ", ".join(IndicatorUnit.values)),
        (_("Frequencies"), ", ".join(Frequency.values)),
        (_("Activity statuses"), ", ".join(ActivityStatus.values)),
        (
            _("How to use"),
            _(
                "Edit rows or add rows without a UUID, then import the file on the plan's page. Lists use commas; "
                "yes/no columns take yes or no. Keep the sheet and column names: a workbook exported in one "
                "language imports in the other."
            ),
        ),
    ]:
        info.append([neutralise(v) for v in row])

    def sheet(title: str, columns: list[str], rows: list[list[Any]]) -> None:
        ws = wb.create_sheet(_(title))
        ws.append([_(c) for c in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([neutralise(v) for v in row])

    objectives = plan.objectives.prefetch_related(alignment_prefetch(actor)).order_by("code")
    sheet(
        "Objectives",
        OBJECTIVE_COLUMNS,
        [[str(o.uuid), o.version, o.code, o.text, _codes(o), _yes(_innovation(o))] for o in objectives],
    )
    activities = (
        plan.activities.select_related("objective", "responsible_org")
        .prefetch_related("partner_orgs", alignment_prefetch(actor))
        .order_by("title")
    )
    sheet(
        "Activities",
        ACTIVITY_COLUMNS,
        [
            [
                str(a.uuid),
                a.version,
                a.title,
                a.description,
                a.objective.code if a.objective_id else "",
                a.responsible_org.name if a.responsible_org_id else "",
                ", ".join(sorted(o.name for o in a.partner_orgs.all())),
                a.budget,
                a.currency,
                a.budget_source,
                a.start_date,
                a.end_date,
                a.status,
                _codes(a),
                _yes(_innovation(a)),
            ]
            for a in activities
        ],
    )
    indicators = plan.indicators.select_related("objective", "inherited_from").order_by("name")
    sheet(
        "Indicators",
        INDICATOR_COLUMNS,
        [
            [
                str(i.uuid),
                i.version,
                i.name,
                i.unit,
                i.frequency,
                _yes(i.additive),
                i.baseline,
                i.target,
                i.inherited_from.name if i.inherited_from_id else "",
                i.objective.code if i.objective_id else "",
            ]
            for i in indicators
        ],
    )
    if plan.national_plan_id and (national_visible or regional_visible):
        national = list(plan.national_plan.objectives.order_by("code")) if national_visible else []
        if plan.regional_plan_id and regional_visible:  # a local plan may align to its regional plan's objectives
            national += [
                o for o in plan.regional_plan.objectives.order_by("code") if o.code not in {n.code for n in national}
            ]
        sheet(NATIONAL_SHEET, NATIONAL_COLUMNS, [[o.code, o.text] for o in national])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def plan_workbook_response(plan: ActionPlan, *, actor: Any) -> HttpResponse:
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        plan_workbook(plan, actor=actor),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.uuid}-{stamp}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Import ------------------------------------------------------------------------------------


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    messages: list[str]


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    changed: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


class _RowFailed(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class _RowErrors(Exception):
    """Several cells of one row are wrong: all are reported at once."""

    def __init__(self, failures: list[_RowFailed]):
        super().__init__("row errors")
        self.failures = failures


class _Cells:
    """Parses a row's cells, collecting every problem before giving up on the row."""

    def __init__(self) -> None:
        self.failures: list[_RowFailed] = []

    def __call__(self, parse: Any, *args: Any) -> Any:
        try:
            return parse(*args)
        except _RowFailed as exc:
            self.failures.append(exc)
            return None

    def check(self) -> None:
        if self.failures:
            raise _RowErrors(self.failures)


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return text[1:] if text.startswith("'") else text


def _decimal(value: Any, column: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        result = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise _RowFailed(column, _("Enter a number.")) from None
    if not result.is_finite():
        raise _RowFailed(column, _("Enter a number."))
    return result.quantize(Decimal("0.01"))


def _date(value: Any, column: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise _RowFailed(column, _("Enter a date as YYYY-MM-DD.")) from None


def _bool(value: Any, column: str) -> bool:
    text = _text(value).lower()
    if text in ("", "no", "n", "false", "0", "non"):
        return False
    if text in ("yes", "y", "true", "1", "oui"):
        return True
    raise _RowFailed(column, _("Enter yes or no."))


def _choice(value: Any, choices: Any, column: str, default: str | None = None) -> str:
    text = _text(value)
    if not text and default is not None:
        return default
    for choice in choices:
        if text.lower() in (choice.value, str(choice.label).lower()):
            return choice.value
    raise _RowFailed(column, _("Use one of: %(values)s.") % {"values": ", ".join(choices.values)})


def _list(value: Any) -> list[str]:
    return [part.strip() for part in _text(value).replace(";", ",").split(",") if part.strip()]


def _sheet(wb: Any, title: str) -> Any:
    """The sheet called ``title`` in any language, or None."""
    names = _names(title)
    return next((wb[name] for name in wb.sheetnames if name in names), None)


def _rows(wb: Any, title: str, columns: list[str]) -> list[tuple[int, dict[str, Any]]]:
    ws = _sheet(wb, title)
    if ws is None:
        return []
    rows = ws.iter_rows(values_only=True)
    canonical = {name: column for column in columns for name in _names(column)}
    header = [canonical.get(_text(h), _text(h)) for h in next(rows, [])]
    missing = [_(c) for c in columns if c not in header and c not in OPTIONAL_COLUMNS]
    if missing:
        raise ValueError(
            _("Sheet %(sheet)s lacks the columns: %(columns)s.") % {"sheet": _(title), "columns": ", ".join(missing)}
        )
    result = []
    for number, values in enumerate(rows, start=2):
        record = dict(zip(header, values, strict=False))
        if any(v not in (None, "") for v in record.values()):
            result.append((number, record))
    return result


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{k}: {m}" if k != "__all__" else m for k, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)


def import_plan_workbook(*, actor: Any, plan: ActionPlan, raw: bytes, name: str = "") -> ImportReport:
    """Update ``plan`` from an exported workbook: every row or none.

    The bytes go through the upload checker (type, size, archive limits, zip bombs) before
    openpyxl opens them."""
    from django.conf import settings
    from openpyxl import load_workbook

    report = ImportReport()
    try:
        uploads.check_bytes(raw, name=name, allowed=WORKBOOK_TYPES, max_bytes=settings.TANDEM_IMPORT_MAX_BYTES)
    except ValidationError as exc:
        report.file_error = exc.messages[0]
        return report
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        report.file_error = _("This is not an XLSX workbook.")
        return report
    try:
        sheets = {title: _rows(wb, title, columns) for title, columns in SHEETS.items()}
    except ValueError as exc:
        report.file_error = str(exc)
        return report
    info = _sheet(wb, INFO_SHEET)
    if info is not None:
        first = next(info.iter_rows(values_only=True), None)
        if first and _text(first[0]) in _names(PLAN_UUID) and _text(first[1]) != str(plan.uuid):
            report.file_error = _("This workbook belongs to another plan.")
            return report
    if sum(len(r) for r in sheets.values()) > MAX_ROWS:
        report.file_error = _("The workbook has more than %(n)d rows.") % {"n": MAX_ROWS}
        return report
    if plan.is_national:
        report.file_error = _("Only regional and local plans are imported from a workbook.")
        return report
    with transaction.atomic():
        _apply(actor, plan, sheets, report)
        if report.errors:
            transaction.set_rollback(True)
            report.changed = 0
    return report


def _apply(actor: Any, plan: ActionPlan, sheets: dict[str, list], report: ImportReport) -> None:
    national = {o.code: o for o in plan.regional_plan.objectives.all()} if plan.regional_plan_id else {}
    national |= {o.code: o for o in plan.national_plan.objectives.all()} if plan.national_plan_id else {}
    national_indicators = {i.name: i for i in plan.national_plan.indicators.all()} if plan.national_plan_id else {}
    organisations = {o.name.lower(): o for o in core_access.visible_organisations(actor)}

    def targets(value: Any, innovation: bool) -> list:
        codes = _list(value)
        unknown = [c for c in codes if c not in national]
        if unknown:
            raise _RowFailed(
                "National objectives", _("Unknown national objective codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        if not codes and not innovation:
            raise _RowFailed(
                "National objectives", _("Give national objective codes, or mark the row as a local innovation.")
            )
        return [national[c] for c in codes]

    def record(model_rel: Any, raw_uuid: Any, raw_version: Any) -> Any:
        uuid = _text(raw_uuid)
        if not uuid:
            return None
        obj = model_rel.filter(uuid=uuid).first() if _looks_like_uuid(uuid) else None
        if obj is None:
            raise _RowFailed("UUID", _("No record of this plan has this UUID."))
        version = _decimal(raw_version, "Version")
        if version is not None and int(version) != obj.version:
            raise _RowFailed("Version", _("This record was changed after the workbook was exported. Export it again."))
        return obj

    def run(sheet: str, number: int, action: Any) -> None:
        try:
            with transaction.atomic():
                action()
            report.changed += 1
        except _RowFailed as exc:
            report.errors.append(RowError(_(sheet), number, _(exc.column) if exc.column else "", [exc.message]))
        except _RowErrors as exc:
            report.errors.extend(
                RowError(_(sheet), number, _(f.column) if f.column else "", [f.message]) for f in exc.failures
            )
        except ValidationError as exc:
            report.errors.append(RowError(_(sheet), number, "", _messages(exc)))
        except PermissionDenied:
            report.errors.append(RowError(_(sheet), number, "", [_("You may not change this plan.")]))

    for number, row in sheets["Objectives"]:

        def objective_row(row: dict = row) -> None:
            obj = record(plan.objectives, row.get("UUID"), row.get("Version"))
            innovation = _bool(row.get("Local innovation"), "Local innovation")
            aligned = targets(row.get("National objectives"), innovation)
            values = {"code": _text(row.get("Code")), "text": _text(row.get("Objective"))}
            if obj is None:
                obj = services.objective_create(actor=actor, plan=plan, **values)
            else:
                obj = services.objective_update(actor=actor, objective=obj, expected_version=obj.version, **values)
            services.alignment_set(
                actor=actor, plan=plan, local_objective=obj, national_objectives=aligned, local_innovation=innovation
            )

        run("Objectives", number, objective_row)
    local = {o.code: o for o in plan.objectives.all()}

    def objective_ref(value: Any) -> Any:
        code = _text(value)
        if not code:
            return None
        if code not in local:
            raise _RowFailed("Local objective", _("No objective of this plan has the code %(code)s.") % {"code": code})
        return local[code]

    def organisation(value: Any, column: str) -> Any:
        name = _text(value)
        if not name:
            return None
        if name.lower() not in organisations:
            raise _RowFailed(column, _("No organisation in your jurisdictions is called %(name)s.") % {"name": name})
        return organisations[name.lower()]

    for number, row in sheets["Activities"]:

        def activity_row(row: dict = row) -> None:
            cell = _Cells()
            obj = record(plan.activities, row.get("UUID"), row.get("Version"))
            innovation = bool(cell(_bool, row.get("Local innovation"), "Local innovation"))
            aligned = cell(targets, row.get("National objectives"), innovation)
            budget = cell(_decimal, row.get("Budget"), "Budget")
            if budget is not None and budget < 0:
                cell.failures.append(_RowFailed("Budget", _("A budget cannot be negative.")))
            values = {
                "title": _text(row.get("Title")),
                "description": _text(row.get("Description")),
                "objective": cell(objective_ref, row.get("Local objective")),
                "responsible_org": cell(organisation, row.get("Responsible organisation"), "Responsible organisation"),
                "budget": budget,
                "budget_source": _text(row.get("Budget source")),
                **({"currency": code} if (code := _text(row.get("Currency"))) else {}),
                "start_date": cell(_date, row.get("Start"), "Start"),
                "end_date": cell(_date, row.get("End"), "End"),
                "status": cell(_choice, row.get("Status"), ActivityStatus, "Status", ActivityStatus.PLANNED),
            }
            partners = [cell(organisation, n, "Partner organisations") for n in _list(row.get("Partner organisations"))]
            cell.check()
            if obj is None:
                obj = services.activity_create(actor=actor, plan=plan, partner_orgs=partners, **values)
            else:
                obj = services.activity_update(
                    actor=actor, activity=obj, expected_version=obj.version, partner_orgs=partners, **values
                )
            services.alignment_set(
                actor=actor, plan=plan, activity=obj, national_objectives=aligned, local_innovation=innovation
            )

        run("Activities", number, activity_row)

    for number, row in sheets["Indicators"]:

        def indicator_row(row: dict = row) -> None:
            obj = record(plan.indicators, row.get("UUID"), row.get("Version"))
            values: dict[str, Any] = {
                "baseline": _decimal(row.get("Baseline"), "Baseline"),
                "target": _decimal(row.get("Target"), "Target"),
                "objective": objective_ref(row.get("Objective")),
            }
            inherited_name = _text(row.get("National indicator"))
            if not inherited_name:
                values |= {
                    "name": _text(row.get("Name")),
                    "unit": _choice(row.get("Unit"), IndicatorUnit, "Unit"),
                    "frequency": _choice(row.get("Frequency"), Frequency, "Frequency", Frequency.QUARTERLY),
                    "additive": _bool(row.get("Additive"), "Additive"),
                }
            if obj is None:
                if inherited_name:
                    if inherited_name not in national_indicators:
                        raise _RowFailed("National indicator", _("The national plan has no indicator with this name."))
                    values["inherited_from"] = national_indicators[inherited_name]
                services.indicator_create(actor=actor, plan=plan, **values)
            else:
                if obj.is_inherited and _text(row.get("Name")) and _text(row.get("Name")) != obj.name:
                    raise _RowFailed("Name", _("This is the national definition; it cannot be changed locally."))
                services.indicator_update(actor=actor, indicator=obj, expected_version=obj.version, **values)

        run("Indicators", number, indicator_row)


def _looks_like_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


# --- PDF -----------------------------------------------------------------------------------------


def plan_pdf_response(plan: ActionPlan, *, actor: Any) -> HttpResponse:
    """The plan as ``actor`` may read it (nothing of a plan above it that they may not open)."""
    from .selectors import alignment_prefetch

    national_visible, _regional = access.plans_above_visible(actor, plan)
    doc = PdfDocument(
        title=plan.title,
        subtitle=f"{plan.jurisdiction.name} · {plan.get_level_display()}",
        # A plan is read by the roles of its country's community (partners where the plan allows).
        marking="TLP:GREEN",
        context=plan.jurisdiction.name + (f" · {plan.owner_body.name}" if plan.owner_body_id else ""),
    )
    doc.field(_("Period"), f"{plan.period_start.isoformat()} – {plan.period_end.isoformat()}")
    if plan.legal_instrument:
        doc.field(_("Legal instrument"), plan.legal_instrument)
    if plan.national_plan_id and national_visible:
        doc.field(_("National plan"), plan.national_plan.title)
    if plan.owner_body_id:
        doc.field(_("Owning coordination body"), plan.owner_body.name)
    if plan.summary:
        doc.paragraph(plan.summary)
    objectives = plan.objectives.select_related("pillar").prefetch_related(alignment_prefetch(actor)).order_by("code")
    if objectives:
        doc.heading(_("Objectives"))
        if plan.is_national:
            doc.table(
                [_("Code"), _("Pillar"), _("Objective")],
                [[o.code, o.pillar.title if o.pillar_id else "", o.text] for o in objectives],
                widths=[18, 45, 111],
            )
        else:
            doc.table(
                [_("Code"), _("Objective"), _("Aligned to")],
                [[o.code, o.text, _codes(o) or (_("local innovation") if _innovation(o) else "—")] for o in objectives],
                widths=[18, 116, 40],
            )
    activities = (
        plan.activities.select_related("responsible_org").prefetch_related(alignment_prefetch(actor)).order_by("title")
    )
    if activities:
        doc.heading(_("Activities"))
        doc.table(
            [_("Activity"), _("Responsible"), _("Budget"), _("Status"), _("Aligned to")],
            [
                [
                    a.title,
                    a.responsible_org.name if a.responsible_org_id else "",
                    f"{a.budget:,.2f} {a.currency} {a.budget_source}".strip() if a.budget is not None else "",
                    a.get_status_display(),
                    _codes(a) or (_("local innovation") if _innovation(a) else "—"),
                ]
                for a in activities
            ],
            widths=[50, 40, 34, 22, 28],
        )
    indicators = plan.indicators.order_by("name")
    if indicators:
        doc.heading(_("Indicators"))
        doc.table(
            [_("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("Adds up")],
            [
                [
                    i.name,
                    i.get_unit_display(),
                    i.baseline if i.baseline is not None else "",
                    i.target if i.target is not None else "",
                    _("yes") if i.additive else _("no"),
                ]
                for i in indicators
            ],
            widths=[80, 26, 24, 24, 20],
        )
    periods = plan.periods.order_by("start")
    if periods:
        doc.heading(_("Reporting periods"))
        doc.table(
            [_("Period"), _("From"), _("To"), _("State")],
            [[p.label, p.start.isoformat(), p.end.isoformat(), p.get_state_display()] for p in periods],
            widths=[30, 40, 40, 64],
        )
    return doc.response(f"plan-{plan.uuid}.pdf")
