"""What the funding API's edit operations share."""

from typing import Any

from tandem.core.api import InSchema


def patch_values(
    payload: InSchema, plain: tuple[str, ...], renamed: dict[str, str]
) -> tuple[int, dict[str, Any], set[str]]:
    """A PATCH body as (version, values for the service, names sent): the ``plain`` fields as
    given (dates and times as Python values), ``renamed`` ones under the service's name; the
    fields that name records are left to the caller (in the returned set of names sent)."""
    sent = {k for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    values = {name: getattr(payload, name) for name in plain if name in sent}
    values.update({service: getattr(payload, name) for name, service in renamed.items() if name in sent})
    return payload.version, values, sent  # type: ignore[attr-defined]
