from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


token_list = token_revoke = _missing
