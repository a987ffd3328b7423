"""Where uploaded files live: a folder under MEDIA_ROOT, or an S3-compatible bucket.

Each app keeps its files in an area of its own (``upload_storage("exchange")``). With
``TANDEM_S3_BUCKET`` set, the area is a prefix in that bucket (django-storages' S3 backend;
boto3 must be installed beside it), so several web machines share the files; otherwise it is
``MEDIA_ROOT/<area>`` on the local disk (one machine, or a shared volume). Files are never
served by URL: only the access-checked downloads open them.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.http import HttpResponse
from django.utils.http import content_disposition_header


def upload_storage(area: str) -> Storage:
    if settings.TANDEM_S3_BUCKET:
        from storages.backends.s3 import S3Storage

        return S3Storage(**{**settings.TANDEM_S3_OPTIONS, "location": area})
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / area, base_url=None)


def file_response(data: bytes, *, name: str, content_type: str) -> HttpResponse:
    """A stored file as the answer of a page or an API operation: always a download, never
    sniffed, never cached."""
    response = HttpResponse(data, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
