"""Issue 21: the HR directory exports its rows (the filter applied) as XLSX, after a stated purpose."""

import io

import openpyxl
import pytest
from django.urls import reverse

from asnportal.accounts.models import AuditEvent
from asnportal.org.models import Employee, Unit

from .importing import import_nip

pytestmark = pytest.mark.django_db
PURPOSE = {"category": "administration", "explanation": "Rekap untuk rapat pimpinan"}


def _employees(cast, unit, n, start=0, name="Pegawai"):
    for i in range(start, start + n):
        Employee.objects.create(
            region=unit.region, unit=unit, position=cast.objects["position_a"], nip=import_nip(700 + i),
            name=f"{name} {i}", rank="III/a", birth_date="1980-01-01", tmt_cpns="2019-07-01", sex="P",
        )  # fmt: skip


def test_directory_button_says_it_asks_for_a_purpose(cast):
    body = cast.client("hr").get(reverse("org:directory")).content.decode()
    assert reverse("org:directory_xlsx") in body
    assert "Unduh XLSX (sebutkan keperluannya)" in body


def test_directory_xlsx_after_a_purpose_holds_the_filtered_rows_and_is_audited(cast):
    unit = Unit.objects.create(region=cast.region_a, code="EXP", name="Dinas Ekspor")
    _employees(cast, unit, 3, name="Ekspor")
    _employees(cast, cast.unit_b, 2, start=10, name="Ekspor")  # another region: never in the file
    client = cast.client("hr")
    url = reverse("org:directory_xlsx") + f"?unit={unit.pk}"
    assert client.get(url).status_code == 200  # the purpose form first, no file
    assert not AuditEvent.objects.filter(action="export").exists()
    response = client.post(url, PURPOSE)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["Nama", "NIP", "Pangkat/golongan", "Jabatan", "Unit kerja", "Status"]
    assert [r[0] for r in rows[1:]] == ["Ekspor 0", "Ekspor 1", "Ekspor 2"]
    assert rows[1][1] == import_nip(700) and isinstance(rows[1][1], str)  # the NIP stays text
    assert rows[1][2].startswith("III/a ") and rows[1][4] == "Dinas Ekspor"
    event = AuditEvent.objects.get(action="export")
    assert event.detail["export"] == "org_directory" and event.detail["rows"] == 3


def test_directory_xlsx_is_for_hr_only(cast):
    assert cast.client("staff").get(reverse("org:directory_xlsx")).status_code == 403
