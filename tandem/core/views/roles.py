from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


role_list = role_create = role_revoke = _missing
