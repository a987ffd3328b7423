"""``manage.py load_jurisdictions [CC ...]``: the jurisdiction tree from ISO 3166."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tandem.core import seeding


class Command(BaseCommand):
    help = (
        "Load countries (ISO 3166-1) and their subdivisions (ISO 3166-2) into the jurisdiction tree "
        "under the network root. Idempotent: units already present (matched on ISO code) are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "countries",
            nargs="*",
            metavar="CC",
            help=f"ISO 3166-1 alpha-2 country codes (default: {' '.join(seeding.DEFAULT_COUNTRIES)})",
        )

    def handle(self, *args, **options):
        codes = options["countries"] or list(seeding.DEFAULT_COUNTRIES)
        try:
            result = seeding.load_countries(codes)
        except seeding.UnknownCountry as exc:
            raise CommandError(
                f"Unknown country code: {', '.join(exc.codes)}. Use ISO 3166-1 alpha-2 codes, e.g. KE PH ID MK."
            ) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

        if result.network_created:
            self.stdout.write(f"Created the network root “{seeding.NETWORK_NAME}”.")
        for country in result.countries:
            levels = ", ".join(f"{n} {level}" for level, n in sorted(country.by_level.items()))
            line = f"{country.name} ({country.code}): {country.created} created, {country.existing} already present"
            self.stdout.write(line + (f" ({levels})" if levels else ""))
        total = result.created
        style = self.style.SUCCESS if total else self.style.NOTICE
        self.stdout.write(style(f"{total} jurisdiction(s) created." if total else "Nothing to do: all present."))
