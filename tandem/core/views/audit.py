from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


audit_list = audit_export = _missing
