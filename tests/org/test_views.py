import io

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from asnportal.accounts.models import AuditEvent
from asnportal.org.importer import COLUMNS, EXAMPLE_ROW
from asnportal.org.models import Employee, EmployeeImport, Unit

from .factories import EmployeeFactory, PositionFactory, UnitFactory
from .importing import csv_bytes, import_nip, row, run_import, xlsx_bytes

pytestmark = pytest.mark.django_db

CHOICE = "Select a valid choice. That choice is not one of the available choices."

# A stated purpose: exports of other people's data ask for one (asnportal/accounts/exports.py).
PURPOSE = {"category": "administration", "explanation": "Rekap untuk rapat pimpinan"}


def english(cast, role: str = "hr"):
    """A logged-in client reading the pages in English (the source language of the messages)."""
    client = cast.client(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client, content: bytes, name: str = "pegawai.csv", **extra):
    return client.post(reverse("org:import_upload"), {"file": SimpleUploadedFile(name, content), **extra})


# --- upload --------------------------------------------------------------------------------------


def test_upload_stores_the_file_and_runs_the_import_after_commit(cast, django_capture_on_commit_callbacks):
    client = english(cast)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, csv_bytes([row(1), row(2)]))
    imp = EmployeeImport.objects.get()
    assert len(callbacks) == 1
    assert response.status_code == 302 and response.url == reverse("org:import_detail", args=[imp.pk])
    assert (imp.region, imp.created_by, imp.filename) == (cast.region_a, cast.users["hr"], "pegawai.csv")
    assert (imp.status, imp.created_count) == ("done", 2)
    assert AuditEvent.objects.filter(action="employee_import_upload", object_id=str(imp.pk)).exists()
    page = client.get(response.url)
    assert "2 new employees" in page.content.decode()


def test_upload_of_an_xlsx_file(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(english(cast), xlsx_bytes([row(1)]), name="siasn.xlsx")
    assert EmployeeImport.objects.get().status == "done"
    assert Employee.objects.filter(nip=import_nip(1)).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("pegawai.xlsx", b"NIP,NAMA\n", "not a real Excel"),
        ("pegawai.csv", b"NIP;NAMA\n\xe9\xff\n", "not in UTF-8"),
        ("pegawai.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file."),
        ("foto.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "not a text CSV"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(cast, name, content, message):
    response = upload(english(cast), content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EmployeeImport.objects.exists()


def test_upload_larger_than_the_limit_is_refused(cast, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(english(cast), b"NIP\n" + b"1" * (1024 * 1024))
    assert "larger than 1 MB" in response.content.decode()
    assert not EmployeeImport.objects.exists()


def test_upload_without_a_file_shows_the_form_error(cast):
    response = english(cast).post(reverse("org:import_upload"), {})
    assert response.status_code == 200 and not EmployeeImport.objects.exists()


def test_an_officer_of_two_regions_chooses_the_region(cast, django_capture_on_commit_callbacks):
    from asnportal.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=cast.users["hr"], role=Role.HR_OFFICER, region=cast.region_b)
    client = english(cast)
    assert 'name="region"' in client.get(reverse("org:import_upload")).content.decode()
    response = upload(client, csv_bytes([row(1)]))
    assert response.status_code == 200 and not EmployeeImport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes([row(1, **{"UNIT KERJA": "DINKES"})]), region=cast.region_b.pk)
    assert Employee.objects.get(nip=import_nip(1)).region == cast.region_b


# --- detail, progress, error report, template --------------------------------------------------------


def test_failed_import_shows_the_error_table_and_its_xlsx(cast):
    imp = run_import(cast, csv_bytes([row(1, GOLONGAN="Z"), row(2, **{"UNIT KERJA": "Entah"})]))
    client = english(cast)
    html = client.get(reverse("org:import_detail", args=[imp.pk])).content.decode()
    assert "Nothing was saved" in html
    assert "Unknown golongan" in html and "GOLONGAN" in html and "UNIT KERJA" in html
    assert "hx-trigger" not in html  # finished: no polling

    response = client.post(reverse("org:import_errors", args=[imp.pk]), PURPOSE)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Row", "Column", "Error")
    assert rows[1][:2] == (2, "GOLONGAN") and "Z" in rows[1][2]
    assert rows[2][:2] == (3, "UNIT KERJA")


def test_error_report_is_shown_in_indonesian_when_the_page_is(cast):
    imp = run_import(cast, csv_bytes([row(1, NIP="123")]))
    html = cast.client("hr").get(reverse("org:import_detail", args=[imp.pk]))
    # The message is the catalogue's translation when there is one, the English source otherwise.

    with translation.override("id"):
        expected = translation.gettext("NIP must be exactly 18 digits.")
    assert expected in html.content.decode()


def test_running_import_polls_every_two_seconds_and_has_a_refresh_link(cast):
    imp = EmployeeImport.objects.create(
        region=cast.region_a,
        created_by=cast.users["hr"],
        filename="besar.csv",
        content=b"",
        status=EmployeeImport.Status.RUNNING,
        total_rows=4000,
        processed_rows=1000,
    )
    client = english(cast)
    for name in ("org:import_detail", "org:import_progress"):
        html = client.get(reverse(name, args=[imp.pk])).content.decode()
        assert 'hx-trigger="every 2s"' in html
        assert f'hx-get="{reverse("org:import_progress", args=[imp.pk])}"' in html
        assert 'value="25"' in html and "1000 of 4000" in html
        assert f'href="{reverse("org:import_detail", args=[imp.pk])}"' in html


def test_progress_partial_stops_polling_and_reloads_the_page_when_finished(cast):
    imp = run_import(cast, csv_bytes([row(1)]))
    response = english(cast).get(reverse("org:import_progress", args=[imp.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def test_progress_partial_takes_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    imp = run_import(cast, csv_bytes([row(1)]))
    client = english(cast)
    client.get(reverse("org:import_progress", args=[imp.pk]))
    with django_assert_max_num_queries(6):
        client.get(reverse("org:import_progress", args=[imp.pk]))


def test_import_history_lists_only_the_officers_region(cast):
    run_import(cast, csv_bytes([row(1)]), filename="bengkulu.csv")
    run_import(cast, csv_bytes([row(2)]), filename="sorong.csv", region=cast.region_b)
    html = english(cast).get(reverse("org:import_list")).content.decode()
    assert "bengkulu.csv" in html and "sorong.csv" not in html


def test_template_download_has_the_headers_and_an_example_row(cast):
    response = english(cast).get(reverse("org:import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS.values())
    assert list(rows[1]) == [v or None for v in EXAMPLE_ROW]


# --- employee create / edit ------------------------------------------------------------------------


def employee_data(cast, **over):
    data = {
        "nip": "198507162010011003",
        "name": "Andi Pratama",
        "kind": "PNS",
        "rank": "III/b",
        "unit": cast.unit_a.pk,
        "position": cast.objects["position_a"].pk,
        "supervisor_nip": cast.objects["supervisor_employee"].nip,
        "status": "active",
        "nik": "",
        "email": "andi@example.go.id",
        "phone": "",
        "address": "",
    }
    data.update(over)
    return data


def test_hr_creates_an_employee_with_the_nip_decoded(cast):
    response = english(cast).post(reverse("org:employee_create"), employee_data(cast))
    andi = Employee.objects.get(nip="198507162010011003")
    assert response.status_code == 302 and response.url == reverse("org:employee_detail", args=[andi.pk])
    assert andi.region == cast.region_a and andi.supervisor == cast.objects["supervisor_employee"]
    assert (str(andi.birth_date), str(andi.tmt_cpns), andi.sex) == ("1985-07-16", "2010-01-01", "L")
    assert AuditEvent.objects.filter(action="employee_create", object_id=str(andi.pk)).exists()


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"nip": "19850716201001100"}, "nip", "NIP must be exactly 18 digits."),
        (
            {"nip": "198507322010011003"},
            "nip",
            "The birth date in the NIP (digits 1-8, 19850732) is not a real date.",
        ),
        ({"rank": "IX"}, "rank", "A PNS needs a pangkat/golongan such as III/a."),
        ({"kind": "PPPK"}, "rank", "A PPPK needs a grade I to XVII."),
        ({"unit": "UNIT_B"}, "unit", CHOICE),
        ({"position": "POSITION_B"}, "position", CHOICE),
        ({"supervisor_nip": "OTHER"}, "supervisor_nip", "No employee with this NIP in your region."),
        ({"nik": "1234"}, "nik", "NIK must be exactly 16 digits."),
        ({"nip": "STAFF"}, "nip", "Employee with this NIP already exists."),
    ],
)
def test_bad_employee_input_is_refused_and_nothing_is_saved(cast, over, field, message):
    replace = {
        "UNIT_B": cast.unit_b.pk,
        "POSITION_B": cast.objects["position_b"].pk,
        "OTHER": cast.objects["other_region_employee"].nip,
        "STAFF": cast.objects["staff_employee"].nip,
    }
    over = {k: replace.get(v, v) for k, v in over.items()}
    before = Employee.objects.count()
    response = english(cast).post(reverse("org:employee_create"), employee_data(cast, **over))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[field] == [message], errors
    assert Employee.objects.count() == before


def test_hr_edits_an_employee_and_cannot_make_a_supervisor_cycle(cast):
    boss, staff = cast.objects["supervisor_employee"], cast.objects["staff_employee"]
    client = english(cast)
    data = employee_data(cast, nip=boss.nip, name="Siti Atasan", supervisor_nip=staff.nip)
    response = client.post(reverse("org:employee_edit", args=[boss.pk]), data)
    assert "reports (directly or not) to this employee" in response.content.decode()
    boss.refresh_from_db()
    assert boss.supervisor is None and boss.rank == "III/a"

    data["supervisor_nip"] = ""
    response = client.post(reverse("org:employee_edit", args=[boss.pk]), data)
    assert response.status_code == 302
    boss.refresh_from_db()
    assert boss.rank == "III/b" and boss.email == "andi@example.go.id"


def test_edit_form_shows_the_current_supervisor_nip(cast):
    staff = cast.objects["staff_employee"]
    html = english(cast).get(reverse("org:employee_edit", args=[staff.pk])).content.decode()
    assert cast.objects["supervisor_employee"].nip in html


def test_edit_of_another_regions_employee_by_post_is_404_and_changes_nothing(cast):
    other = cast.objects["other_region_employee"]
    response = english(cast).post(
        reverse("org:employee_edit", args=[other.pk]), employee_data(cast, nip=other.nip)
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "Yohana Sorong"


# --- units and directory ---------------------------------------------------------------------------


def test_units_page_counts_active_staff_per_unit(cast, django_assert_max_num_queries):
    empty = UnitFactory(region=cast.region_a, name="Dinas Kosong", code="KOSONG")
    position = PositionFactory(region=cast.region_a)
    for i in range(5):
        EmployeeFactory(unit=empty, position=position, kind="PPPK", rank="V", is_remote=i < 2)
    EmployeeFactory(unit=empty, position=position, status="retired")
    client = english(cast)
    client.get(reverse("org:units"))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("org:units"))
    rows = {u.code: u for u in response.context["units"]}
    assert (rows["BKD"].active_count, rows["BKD"].pns_count) == (2, 2)
    assert (rows["KOSONG"].active_count, rows["KOSONG"].pppk_count, rows["KOSONG"].remote_count) == (5, 5, 2)
    assert "DINKES" not in rows  # another region's unit


def test_directory_links_to_import_and_add_employee_and_keeps_its_query_count(
    cast, django_assert_max_num_queries
):
    units = Unit.objects.bulk_create(
        [Unit(region=cast.region_a, code=f"D{i}", name=f"Dinas {i}") for i in range(20)]
    )
    position = cast.objects["position_a"]
    Employee.objects.bulk_create(
        [
            Employee(
                region=cast.region_a,
                unit=units[i % 20],
                position=position,
                supervisor=cast.objects["supervisor_employee"],
                nip=import_nip(i),
                name=f"Pegawai {i:04d}",
                rank="III/a",
                birth_date="1980-01-01",
                tmt_cpns="2019-07-01",
                sex="L",
            )
            for i in range(300)
        ]
    )
    client = english(cast)
    client.get(reverse("org:directory"))
    # Guards the N+1 on unit, position and supervisor of each listed employee.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("org:directory"), {"page": 2})
    html = response.content.decode()
    assert reverse("org:import_upload") in html and reverse("org:employee_create") in html
    assert len(response.context["page"].object_list) == 50


def test_directory_filters_by_unit_and_counts_the_matches(cast):
    odd = Unit.objects.create(region=cast.region_a, code="X1", name='Dinas <Kota> & "Pesisir"')
    closed = Unit.objects.create(region=cast.region_a, code="X2", name="Dinas Lama", is_active=False)
    foreign = cast.unit_b
    for i, unit in enumerate([odd, odd, cast.unit_a]):
        Employee.objects.create(
            region=cast.region_a, unit=unit, position=cast.objects["position_a"], nip=import_nip(900 + i),
            name=f"Saring {i}", rank="III/a", birth_date="1980-01-01", tmt_cpns="2019-07-01", sex="L",
        )  # fmt: skip
    response = english(cast).get(reverse("org:directory"), {"unit": odd.pk, "q": "Saring"})
    html = response.content.decode()
    assert [row["name"] for row in response.context["rows"]] == ["Saring 0", "Saring 1"]
    assert response.context["page"].paginator.count == 2
    # The chosen unit stays selected, its name escaped; closed and other regions' units are not offered.
    assert f'<option value="{odd.pk}" selected>Dinas &lt;Kota&gt; &amp; &quot;Pesisir&quot;</option>' in html
    assert f'value="{closed.pk}"' not in html and f'value="{foreign.pk}"' not in html
    unit_select = html[html.index('<select name="unit"') :].split("</select>")[0]
    assert unit_select.count(" selected>") == 1


def test_import_pages_keep_their_query_count_with_many_imports(cast, django_assert_max_num_queries):
    EmployeeImport.objects.bulk_create(
        [
            EmployeeImport(
                region=cast.region_a,
                created_by=cast.users["hr"],
                filename=f"f{i}.csv",
                content=b"x" * 1000,
                status=EmployeeImport.Status.FAILED,
                errors=[
                    {"row": r, "column": "NIP", "msgid": "NIP must be exactly 18 digits.", "params": {}}
                    for r in range(300)
                ],
            )
            for i in range(60)
        ]
    )
    client = english(cast)
    last = EmployeeImport.objects.order_by("pk").last()
    client.get(reverse("org:import_list"))
    # Guards the N+1 on region and uploader of each listed import.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("org:import_list"), {"page": 2})
    assert len(response.context["page"].object_list) == 25
    with django_assert_max_num_queries(7):
        response = client.get(reverse("org:import_detail", args=[last.pk]), {"page": 3})
    assert "300 errors" in response.content.decode()


def test_editing_an_employee_of_a_closed_unit_keeps_the_unit_choosable(cast):
    staff = cast.objects["staff_employee"]
    Unit.objects.filter(pk=cast.unit_a.pk).update(is_active=False)
    data = employee_data(cast, nip=staff.nip, name="Budi Pegawai", supervisor_nip="")
    response = english(cast).post(reverse("org:employee_edit", args=[staff.pk]), data)
    assert response.status_code == 302
    assert (
        not english(cast).post(reverse("org:employee_create"), employee_data(cast)).context["form"].is_valid()
    )


def test_edit_cannot_move_an_employee_outside_the_reassignment_history(cast):
    from .factories import UnitFactory

    staff = cast.objects["staff_employee"]
    other_unit = UnitFactory(region=cast.region_a, name="Dinas Lain", code="LAIN")
    data = employee_data(cast, nip=staff.nip, name="Budi Pegawai", supervisor_nip="") | {
        "unit": other_unit.pk
    }
    response = english(cast).post(reverse("org:employee_edit", args=[staff.pk]), data)
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.unit == cast.unit_a  # the unit field is read-only here: moves go through reassignment
    page = english(cast).get(reverse("org:employee_edit", args=[staff.pk])).content.decode()
    assert "reassignment in workforce planning" in page
