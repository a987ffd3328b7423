# Filled in by the directory work (people pages, affiliations, export).
from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


person_list = person_export = person_create = person_detail = person_edit = person_archive = _missing
affiliation_create = affiliation_end = _missing
