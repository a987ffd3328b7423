# Filled in by the directory work (organisation pages, import, export).
from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


organisation_list = organisation_export = organisation_import = organisation_create = _missing
organisation_detail = organisation_edit = organisation_archive = _missing
