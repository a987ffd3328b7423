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
