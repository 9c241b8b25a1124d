"""Bahasa Indonesia formats (issue 21): Django's, with dates as "7 Des 2026" (short month names, no
full stop) and times as 14.30."""

from django.conf.locale.id.formats import *  # noqa: F403

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H.i"
