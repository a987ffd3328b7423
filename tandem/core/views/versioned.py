"""The one way a page edits a versioned record, and the one way it shows a conflict.

A versioned edit form has a hidden ``version`` field. :func:`versioned_form` binds
the form (with the record's version on GET), calls the service with the version
the user started from and, when someone else saved in between, binds the form
again with the user's entries on top of the current version and describes the
conflict for ``core/partials/version_conflict.html`` (included by the form
templates): for each field, the value when the user started, the value saved
now, and the user's entry. Nothing is written on a conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy

from tandem.core.versioning import VersionConflict

from .listing import display_value
from .utils import add_service_errors

SAVED = gettext_lazy("Changes saved.")


@dataclass
class ConflictRow:
    label: str
    started: str  # the value when the user started (the version they sent)
    now: str  # the value saved now
    yours: str  # the user's entry ("" when the form has no such field)


@dataclass
class Conflict:
    """A stale save, as the page shows it."""

    current: Any
    rows: list[ConflictRow] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.current.version


def _label(form: forms.Form, current: Any, name: str) -> str:
    if name in form.fields and form.fields[name].label:
        return str(form.fields[name].label)
    try:
        return str(current._meta.get_field(name).verbose_name).capitalize()
    except (AttributeError, FieldDoesNotExist):
        return name.replace("_", " ").capitalize()


def describe_conflict(form: forms.Form | None, exc: VersionConflict, fields: Any = None) -> Conflict:
    """The rows of the conflict table.

    The fields someone else changed since the user's version (``exc.changed``); when
    that is not known, the fields where the user's entry differs from what is saved now.
    ``fields`` limits the rows (default: the form's fields).
    """
    form = form or forms.Form()
    names = list(fields) if fields is not None else [n for n in form.fields if n != "version"]
    entered = getattr(form, "cleaned_data", {}) or {}

    def shown(name: str, value: Any) -> str:
        return display_value(form, name, value) if name in form.fields else ("—" if value in (None, "") else str(value))

    rows = []
    if fields is not None:  # only these (e.g. the fields this user may edit)
        changed = {name: pair for name, pair in exc.changed.items() if name in names}
    else:
        changed = dict(exc.changed)
    if changed:
        for name, (started, now) in changed.items():
            rows.append(
                ConflictRow(
                    _label(form, exc.current, name),
                    shown(name, started),
                    shown(name, now),
                    shown(name, entered[name]) if name in entered else "",
                )
            )
    else:
        for name in names:
            if name not in entered or not hasattr(exc.current, name):
                continue
            yours, saved = entered[name], getattr(exc.current, name)
            if (yours or None) != (saved or None):
                rows.append(ConflictRow(_label(form, exc.current, name), "—", shown(name, saved), shown(name, yours)))
    return Conflict(exc.current, rows)


@dataclass
class VersionedForm:
    """The outcome of :func:`versioned_form`: ``saved`` (redirect), or a form to show."""

    form: forms.Form
    conflict: Conflict | None = None
    saved: bool = False
    result: Any = None

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"form": self.form, "conflict": self.conflict, **extra}


def versioned_form(
    request: Any,
    form_class: Callable[..., forms.Form],
    *,
    record: Any,
    save: Callable[[dict[str, Any], int], Any],
    initial: dict[str, Any] | None = None,
    fields: Any = None,
    success: Any = SAVED,
    form_kwargs: dict[str, Any] | None = None,
    show_errors: Callable[[forms.Form, ValidationError], None] = add_service_errors,
) -> VersionedForm:
    """Edit ``record`` with ``form_class`` (which has a ``version`` field).

    GET: the form with ``initial`` and the record's version. POST: a valid form calls
    ``save(data, version)`` (the cleaned data without ``version``; a service that raises
    :class:`VersionConflict` or ``ValidationError`` and writes nothing then). Saved: the
    ``success`` message is queued and ``saved`` is true. Conflict: the form is bound
    again with the user's entries and the current version, ``conflict`` describes it.
    ``show_errors`` puts a service's ValidationError on the form (default: per field).
    """
    form_kwargs = dict(form_kwargs or {})  # an "initial" here is also given to the bound form
    if request.method != "POST":
        version = getattr(record, "version", None)
        first = {**form_kwargs.pop("initial", {}), **(initial or {}), "version": version}
        return VersionedForm(form_class(initial=first, **form_kwargs))
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        return VersionedForm(form)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        result = save(data, version)
    except VersionConflict as exc:
        conflict = describe_conflict(form, exc, fields)
        post = request.POST.copy()
        post["version"] = str(exc.current.version)
        form = form_class(post, **form_kwargs)
        form.is_valid()
        return VersionedForm(form, conflict=conflict)
    except ValidationError as exc:
        show_errors(form, exc)
        return VersionedForm(form)
    if success:
        messages.success(request, success)
    return VersionedForm(form, saved=True, result=result)
