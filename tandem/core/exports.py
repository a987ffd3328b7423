"""CSV and XLSX responses for list exports.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or
carriage return) are prefixed with an apostrophe so they stay text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


def neutralise(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_response(
    fmt: str, filename_stem: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    """A download of ``rows`` as CSV (streamed) or XLSX. Unknown formats are 404."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    filename = f"{filename_stem}-{stamp}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def generate():
            yield "\ufeff"  # BOM so spreadsheet programs read UTF-8
            yield writer.writerow([neutralise(h) for h in header])
            for row in rows:
                yield writer.writerow([neutralise(v) for v in row])

        response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=filename_stem[:31])
        ws.append([neutralise(h) for h in header])
        for row in rows:
            ws.append([neutralise(v) for v in row])
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
