"""Small helpers shared by the page views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (per field where it can)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def save_or_show_errors(request, form: forms.Form, save, success: str) -> bool:
    """Run ``save()`` (a service call) for a valid form.

    True, with ``success`` shown to the user, when it saved; False, with the
    service's ValidationError shown on the form, when it did not (nothing was
    written: services are atomic). The caller redirects on True.
    """
    from django.contrib import messages

    try:
        save()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, success)
    return True


def run_posted_step(request, step, *, success: str, conflict: str) -> None:
    """Run a one-button state change (close, submit, accept...) posted with the record's version.

    ``step(version)`` calls the service. The outcome is told as a message for the redirect that
    follows: ``success``; ``conflict`` when someone changed the record meanwhile; or the service's
    own reason when it refuses (nothing was written: services are atomic). A post without a valid
    version is not a form a Tandem page sends: 404.
    """
    from django.contrib import messages
    from django.http import Http404

    from tandem.core.forms import VersionForm
    from tandem.core.versioning import VersionConflict

    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        step(form.cleaned_data["version"])
    except VersionConflict:
        messages.error(request, conflict)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
