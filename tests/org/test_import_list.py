"""The import history's upload moments through the ui filters (issue 21): the Indonesian moment
form (7 Des 2026, 14.30), in the region's own time zone, never a hand-made date format."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from asnportal.org.models import EmployeeImport

from ..clock import WIB

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 12, 7, 14, 30, tzinfo=WIB)


def _uploaded(cast, region, user, filename):
    imp = EmployeeImport.objects.create(region=region, created_by=user, filename=filename, content=b"")
    EmployeeImport.objects.filter(pk=imp.pk).update(created_at=MOMENT)


def test_upload_moment_reads_as_indonesian_in_the_regions_time(cast):
    _uploaded(cast, cast.region_a, cast.users["hr"], "bengkulu.csv")  # Asia/Jakarta (WIB)
    _uploaded(cast, cast.region_b, cast.users["hr_other"], "sorong.csv")  # Asia/Jayapura (WIT)
    bengkulu = cast.client("hr").get(reverse("org:import_list")).content.decode()
    assert "7 Des 2026, 14.30" in bengkulu
    sorong = cast.client("hr_other").get(reverse("org:import_list")).content.decode()
    assert "7 Des 2026, 16.30" in sorong  # two hours ahead of WIB


def test_upload_moment_in_english(cast):
    _uploaded(cast, cast.region_a, cast.users["hr"], "bengkulu.csv")
    client = cast.client("hr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("org:import_list")).content.decode()
    assert "Dec 7, 2026, 14:30" in html
