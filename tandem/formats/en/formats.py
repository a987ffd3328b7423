# One unambiguous date format on every page, in lists too: "6 Oct 2026" (never 10/06/2026,
# which a reader in Manila and one in Nairobi read as two different days).
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
