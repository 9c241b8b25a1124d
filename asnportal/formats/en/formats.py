"""English formats: Django's, with dates as "Dec 7, 2026" (no full stop after the month)."""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, H:i"
