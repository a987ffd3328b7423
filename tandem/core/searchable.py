"""The directory's records in the global search (registered as ``search_source`` by core's apps.py).

Only what every reader of the record sees is indexed: a person's name, never their contact details
(who may see those depends on the reader, so a search by e-mail or phone finds no one).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import access
from .models import Jurisdiction, Organisation, Person
from .registry import SearchSource, SearchText


def _jurisdiction(j: Jurisdiction) -> SearchText:
    return SearchText(
        title=j.name,
        url_uuid=j.uuid,
        summary=" ".join(filter(None, [j.level_name, j.iso_code or ""])),
        jurisdiction_id=j.pk,
        year=j.created_at.year,
    )


def _organisation(o: Organisation) -> SearchText | None:
    if o.archived_at is not None:
        return None
    return SearchText(
        title=o.name, url_uuid=o.uuid, body=o.description, jurisdiction_id=o.jurisdiction_id, year=o.created_at.year
    )


def _person(p: Person) -> SearchText | None:
    if p.archived_at is not None:
        return None
    return SearchText(title=p.full_name, url_uuid=p.uuid, jurisdiction_id=p.jurisdiction_id, year=p.created_at.year)


SOURCES = [
    SearchSource(
        "jurisdiction",
        _("Jurisdictions"),
        "core.Jurisdiction",
        access.visible_jurisdictions,
        _jurisdiction,
        "jurisdiction_detail",
    ),
    SearchSource(
        "organisation",
        _("Organisations"),
        "core.Organisation",
        access.visible_organisations,
        _organisation,
        "organisation_detail",
    ),
    SearchSource("person", _("People"), "core.Person", access.visible_people, _person, "person_detail"),
]
