"""The exchange's records in the global search. An item is found only by those ``item_q`` lets
read it (its sender, and once sent its TLP audience): never its title, nor a count, for anyone else."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tandem.core.registry import SearchSource, SearchText

from . import access
from .models import ExchangeItem, SharingAgreement


def _item(i: ExchangeItem) -> SearchText:
    return SearchText(
        title=i.title,
        url_uuid=i.uuid,
        body=i.body,
        jurisdiction_id=i.jurisdiction_id,
        year=(i.sent_at or i.created_at).year,
    )


def _agreement(a: SharingAgreement) -> SearchText:
    return SearchText(
        title=a.title,
        url_uuid=a.uuid,
        summary=a.purpose,
        body=f"{a.legal_basis}\n{a.categories}",
        jurisdiction_id=a.jurisdiction_id,
        year=(a.valid_from or a.created_at).year,
    )


SOURCES = [
    SearchSource(
        "exchange_item", _("Exchange items"), "exchange.ExchangeItem", access.visible_items, _item, "exchange_detail"
    ),
    SearchSource(
        "agreement",
        _("Sharing agreements"),
        "exchange.SharingAgreement",
        access.visible_agreements,
        _agreement,
        "agreement_detail",
    ),
]
