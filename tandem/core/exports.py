"""CSV and XLSX responses for list exports: files an official can open and work with.

* XLSX cells are typed: numbers and money stay numbers (Decimal, never floats made of text),
  dates are dates, booleans booleans. The header row is bold and frozen, with an autofilter and
  column widths from the headers. Text a spreadsheet would run as a formula (starting with
  ``= + - @``, tab or carriage return) is stored as a text cell, so it shows as typed, with no
  apostrophe.
* CSV is UTF-8 with a byte-order mark. In a language written with a decimal comma (French), the
  separator is ``;`` and decimals use a comma, as Excel set to that language expects; elsewhere
  ``,`` and a point. ``?sep=comma`` or ``?sep=semicolon`` chooses. CSV has no types, so formula
  text is prefixed with an apostrophe there.
* Headers are given translatable: they come out in the user's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.formats import get_format

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
SEPARATORS = {"comma": ",", "semicolon": ";"}
MIN_WIDTH, MAX_WIDTH = 10, 60


def neutralise(value: Any) -> Any:
    """A value for a CSV cell (or a text-only sheet): numbers as they are, text that would run as a
    formula behind an apostrophe, None as empty."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def uses_decimal_comma(language: str | None = None) -> bool:
    with translation.override(language or translation.get_language()):
        return get_format("DECIMAL_SEPARATOR") == ","


def csv_separator(request: HttpRequest | None = None) -> str:
    chosen = SEPARATORS.get(request.GET.get("sep", "")) if request is not None else None
    return chosen or (";" if uses_decimal_comma() else ",")


def _csv_value(value: Any, decimal_comma: bool) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (float, Decimal)) and decimal_comma:
        return str(value).replace(".", ",")
    return neutralise(value)


def _xlsx_cell(ws: Any, value: Any) -> Any:
    """A typed write-only cell: dates and numbers keep their type; text is always text."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, (bool, int, float, Decimal)):
        return WriteOnlyCell(ws, value=value)
    cell = WriteOnlyCell(ws, value=str(value))
    cell.data_type = "s"  # never a formula, shown exactly as written
    return cell


def export_response(
    fmt: str,
    filename_stem: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    request: HttpRequest | None = None,
) -> HttpResponse | StreamingHttpResponse:
    """A download of ``rows`` as CSV (streamed) or XLSX. Unknown formats are 404."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    filename = f"{filename_stem}-{stamp}.{fmt}"
    header = [str(h) for h in header]  # translated now, in the user's language
    if fmt == "csv":
        separator = csv_separator(request)
        decimal_comma = separator == ";"
        writer = csv.writer(_Echo(), delimiter=separator)

        def generate():
            yield "\ufeff"  # BOM so spreadsheet programs read UTF-8
            yield writer.writerow([neutralise(h) for h in header])
            for row in rows:
                yield writer.writerow([_csv_value(v, decimal_comma) for v in row])

        response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            workbook_bytes(filename_stem, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def workbook_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: bold frozen header with an autofilter over the rows, widths from the headers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    for index, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(MIN_WIDTH, min(MAX_WIDTH, len(name) + 4))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for name in header:
        cell = WriteOnlyCell(ws, value=name)
        cell.data_type = "s"
        cell.font = bold
        heading.append(cell)
    ws.append(heading)
    count = 0
    for row in rows:
        ws.append([_xlsx_cell(ws, v) for v in row])
        count += 1
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value
