import datetime as dt
import time

import pytest
from celery.exceptions import Retry
from django.utils import translation

from asnportal.org import importer
from asnportal.org.importer import employee_import_run, parse_rank, validation
from asnportal.org.models import Employee, EmployeeImport, Position, PositionKind, PositionLevel
from asnportal.org.tasks import import_employees

from .factories import UnitFactory
from .importing import HEADER, csv_bytes, import_nip, messages_of, row, run_import, xlsx_bytes

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        Employee.objects.values_list("nip", "name", "unit_id", "position_id", "rank", "supervisor_id")
    )


# --- reading files -------------------------------------------------------------------------------


def test_csv_rows_are_imported_with_decoded_nip_new_positions_and_supervisors(cast):
    boss = cast.objects["supervisor_employee"]
    rows = [
        row(
            1, **{"JABATAN": "Kepala Bidang Mutasi", "JENIS JABATAN": "Administrator", "ATASAN NIP": boss.nip}
        ),
        row(
            2,
            **{
                "JABATAN": "Analis Kepegawaian",
                "JENIS JABATAN": "Fungsional Keahlian",
                "JENJANG": "Ahli Pertama",
                "GOLONGAN": "iii / B",
                "ATASAN NIP": import_nip(1),
                "LOKASI TERPENCIL": "Y",
            },
        ),
        row(3, **{"JENIS PEGAWAI": "PPPK", "GOLONGAN": "IX", "UNIT KERJA": "badan kepegawaian daerah"}),
    ]
    imp = run_import(cast, csv_bytes(rows))

    assert imp.status == EmployeeImport.Status.DONE, messages_of(imp)
    assert (imp.total_rows, imp.processed_rows, imp.created_count, imp.updated_count) == (3, 3, 3, 0)
    assert imp.finished_at is not None
    head = Employee.objects.get(nip=import_nip(1))
    analyst = Employee.objects.get(nip=import_nip(2))
    pppk = Employee.objects.get(nip=import_nip(3))
    assert head.supervisor == boss and head.position.kind == PositionKind.ADMINISTRATOR
    assert analyst.supervisor == head and analyst.rank == "III/b" and analyst.is_remote
    assert analyst.position.kind == PositionKind.FUNGSIONAL_KEAHLIAN
    assert analyst.position.level == PositionLevel.AHLI_PERTAMA
    assert analyst.birth_date == dt.date(1980, 1, 3) and analyst.tmt_cpns == dt.date(2019, 7, 1)
    assert analyst.sex == "P" and head.sex == "L"
    assert pppk.kind == "PPPK" and pppk.rank == "IX" and pppk.unit == cast.unit_a and pppk.supervisor is None
    # The existing position "Analis SDM Aparatur" of the region is reused, not duplicated.
    assert pppk.position == cast.objects["position_a"]
    assert Position.objects.filter(region=cast.region_a, name="Analis SDM Aparatur").count() == 1


def test_csv_with_bom_and_semicolons_and_loose_headers(cast):
    header = [" nip ", "Nama", "jenis_pegawai", "GOLONGAN", "Jabatan", "jenis  jabatan", "UNIT KERJA"]
    rows = [
        {" nip ": import_nip(i), "Nama": f"Orang {i}", "jenis_pegawai": "PNS", "GOLONGAN": "II/c"}
        | {"Jabatan": "Pengadministrasi Umum", "jenis  jabatan": "Pelaksana", "UNIT KERJA": "BKD"}
        for i in range(1, 4)
    ]
    imp = run_import(cast, csv_bytes(rows, delimiter=";", bom=True, header=header))
    assert imp.status == "done", messages_of(imp)
    assert imp.created_count == 3
    assert Employee.objects.get(nip=import_nip(1)).name == "Orang 1"


def test_xlsx_is_imported(cast):
    imp = run_import(cast, xlsx_bytes([row(1), row(2)]), filename="SIASN.XLSX")
    assert imp.status == "done", messages_of(imp)
    assert Employee.objects.filter(nip__in=[import_nip(1), import_nip(2)]).count() == 2


def test_xlsx_nip_stored_as_a_number_is_refused_because_excel_rounded_it(cast):
    imp = run_import(cast, xlsx_bytes([row(1)], nip_as_number=True), filename="siasn.xlsx")
    assert imp.status == "failed"
    assert messages_of(imp) == [
        (
            2,
            "NIP",
            "The NIP is stored as a number in Excel and lost its last digits; format the NIP column as text.",
        )
    ]


def test_the_template_file_imports_into_its_example_unit(cast):
    imp = run_import(cast, importer.template_xlsx(), filename="template.xlsx")
    assert imp.status == "done", messages_of(imp)
    andi = Employee.objects.get(nip=importer.EXAMPLE_ROW[0])
    assert andi.position.level == PositionLevel.AHLI_PERTAMA and andi.unit == cast.unit_a


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("pegawai.xlsx", b"NIP,NAMA\n1,2\n", "The file is not a real Excel (.xlsx) workbook."),
        ("pegawai.csv", "NIP;NAMA\n1;Bambang Ã\n".encode("cp1252")[:-3] + b"\xe9\xff\n", "not in UTF-8"),
        ("pegawai.csv", b"\x00\x01\x02binary", "not a text CSV"),
        ("pegawai.txt", b"NIP\n", "Upload a .csv or .xlsx file."),
        ("pegawai.csv", b"", "The file is empty."),
        ("pegawai.csv", ",".join(HEADER).encode(), "The file has no employee rows."),
    ],
)
def test_unreadable_files_fail_with_a_message_and_change_nothing(cast, filename, content, message):
    before = snapshot()
    imp = run_import(cast, content, filename=filename)
    assert imp.status == EmployeeImport.Status.FAILED
    assert any(message in text for _row, _column, text in messages_of(imp)), messages_of(imp)
    assert snapshot() == before


def test_a_missing_required_column_is_reported_on_the_header_row(cast):
    header = [h for h in HEADER if h != "UNIT KERJA"]
    imp = run_import(cast, csv_bytes([row(1)], header=header))
    assert imp.status == "failed"
    assert messages_of(imp) == [(1, "UNIT KERJA", "The required column UNIT KERJA is missing.")]


# --- row validation: one worked example per rule -------------------------------------------------


def _other_region_nip(cast):
    return cast.objects["other_region_employee"].nip


CASES = [
    ({"NIP": "19850716201001100"}, "NIP", "NIP must be exactly 18 digits."),
    (
        {"NIP": "198513162010011003"},
        "NIP",
        "The birth date in the NIP (digits 1-8, 19851316) is not a real date.",
    ),
    (
        {"NIP": "198507162010131003"},
        "NIP",
        "The TMT CPNS in the NIP (digits 9-14, 201013) is not a real month.",
    ),
    ({"NIP": "198507162010013003"}, "NIP", "Digit 15 of the NIP (sex) must be 1 (male) or 2 (female)."),
    ({"NAMA": ""}, "NAMA", "The name is empty."),
    (
        {"JENIS PEGAWAI": "Honorer"},
        "JENIS PEGAWAI",
        "Employee type must be PNS or PPPK, not \u201cHonorer\u201d.",
    ),
    ({"GOLONGAN": "V/a"}, "GOLONGAN", "Unknown golongan \u201cV/a\u201d."),
    ({"GOLONGAN": "III/e"}, "GOLONGAN", "Unknown golongan \u201cIII/e\u201d."),
    ({"GOLONGAN": "IX"}, "GOLONGAN", "A PNS needs a pangkat/golongan such as III/a, not IX."),
    (
        {"JENIS PEGAWAI": "PPPK", "GOLONGAN": "III/a"},
        "GOLONGAN",
        "A PPPK needs a grade I to XVII, not III/a.",
    ),
    (
        {"UNIT KERJA": "Dinas Kesehatan Sorong"},
        "UNIT KERJA",
        "Unknown unit \u201cDinas Kesehatan Sorong\u201d in this region.",
    ),
    ({"JENIS JABATAN": "Honorer"}, "JENIS JABATAN", "Unknown position type \u201cHonorer\u201d."),
    ({"JENJANG": "Ahli Super"}, "JENJANG", "Unknown functional level \u201cAhli Super\u201d."),
    ({"JENJANG": "Ahli Muda"}, "JENJANG", "Only functional positions have a level."),
    (
        {"JENIS JABATAN": "Fungsional Keterampilan", "JENJANG": "Ahli Muda", "JABATAN": "Pranata Komputer"},
        "JENJANG",
        "Choose a level that belongs to this functional position type.",
    ),
    (
        {"JENIS JABATAN": "Administrator"},
        "JENIS JABATAN",
        "The position Analis SDM Aparatur already exists with another position type.",
    ),
    ({"ATASAN NIP": "12345"}, "ATASAN NIP", "The supervisor NIP must be exactly 18 digits."),
    (
        {"ATASAN NIP": "197001011995031001"},
        "ATASAN NIP",
        "No employee with supervisor NIP 197001011995031001 in this file or in the region.",
    ),
    ({"LOKASI TERPENCIL": "mungkin"}, "LOKASI TERPENCIL", "Remote area must be Y or N."),
    ({"EMAIL": "bukan-email"}, "EMAIL", "\u201cbukan-email\u201d is not a valid email address."),
    ({"TELEPON": "0" * 21}, "TELEPON", "The phone number is longer than 20 characters."),
]


@pytest.mark.parametrize(("override", "column", "message"), CASES, ids=[c[2][:40] for c in CASES])
def test_each_row_rule_reports_row_column_and_message(cast, override, column, message):
    imp = run_import(cast, csv_bytes([row(1), row(2, **override), row(3)]))
    assert imp.status == "failed"
    assert messages_of(imp) == [(3, column, message)]
    assert not Employee.objects.filter(nip__in=[import_nip(1), import_nip(3)]).exists()


def test_duplicate_nip_in_the_file(cast):
    imp = run_import(cast, csv_bytes([row(1), row(2), row(1, NAMA="Kembar")]))
    assert messages_of(imp) == [(4, "NIP", f"NIP {import_nip(1)} also appears in row 2.")]


def test_an_employee_cannot_supervise_themselves(cast):
    imp = run_import(cast, csv_bytes([row(1, **{"ATASAN NIP": import_nip(1)})]))
    assert messages_of(imp) == [(2, "ATASAN NIP", "An employee cannot supervise themselves.")]


def test_supervisor_cycle_within_the_file_is_reported_on_each_row_of_the_cycle(cast):
    rows = [
        row(1, **{"ATASAN NIP": import_nip(2)}),
        row(2, **{"ATASAN NIP": import_nip(3)}),
        row(3, **{"ATASAN NIP": import_nip(1)}),
        row(4, **{"ATASAN NIP": import_nip(1)}),  # points into the cycle, is not part of it
    ]
    imp = run_import(cast, csv_bytes(rows))
    assert [(r, c) for r, c, _m in messages_of(imp)] == [
        (2, "ATASAN NIP"),
        (3, "ATASAN NIP"),
        (4, "ATASAN NIP"),
    ]
    assert "makes a cycle" in messages_of(imp)[0][2]
    assert Employee.objects.count() == 3


def test_supervisor_cycle_through_an_employee_already_in_the_database(cast):
    # In the database Budi reports to Siti; the file makes Siti report to a new employee who reports to Budi.
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    rows = [
        row(1, **{"ATASAN NIP": staff.nip}),
        row(2, NIP=boss.nip, NAMA=boss.name, **{"ATASAN NIP": import_nip(1)}),
    ]
    imp = run_import(cast, csv_bytes(rows))
    assert imp.status == "failed"
    assert {r for r, _c, _m in messages_of(imp)} == {2, 3}


def test_supervisor_of_another_region_is_refused_like_an_unknown_one(cast):
    nip = _other_region_nip(cast)
    imp = run_import(cast, csv_bytes([row(1, **{"ATASAN NIP": nip})]))
    # The same words as for a NIP nobody holds: the message confirms nothing about other regions.
    assert messages_of(imp) == [
        (2, "ATASAN NIP", f"No employee with supervisor NIP {nip} in this file or in the region.")
    ]


def test_nip_of_another_regions_employee_is_an_error_and_never_moved(cast):
    other = cast.objects["other_region_employee"]
    imp = run_import(cast, csv_bytes([row(1), row(2, NIP=other.nip, NAMA="Pindahan Diam-diam")]))
    assert messages_of(imp) == [
        (3, "NIP", f"NIP {other.nip} cannot be imported into your region; contact the system administrator.")
    ]
    other.refresh_from_db()
    assert other.region == cast.region_b and other.name == "Yohana Sorong"
    assert not Employee.objects.filter(nip=import_nip(1)).exists()


def test_all_errors_of_the_file_are_collected_not_only_the_first(cast):
    rows = [row(i) for i in range(1, 6)]
    rows[1]["GOLONGAN"] = "Z"
    rows[3]["UNIT KERJA"] = "Tidak Ada"
    rows[3]["EMAIL"] = "x"
    imp = run_import(cast, csv_bytes(rows))
    assert [(r, c) for r, c, _m in messages_of(imp)] == [(3, "GOLONGAN"), (5, "UNIT KERJA"), (5, "EMAIL")]


def test_error_messages_are_stored_for_display_in_the_active_language(cast):
    with translation.override("id"):
        imp = run_import(cast, csv_bytes([row(1, GOLONGAN="Z")]))
    error = imp.errors[0]
    assert error["msgid"] == "Unknown golongan \u201c%(value)s\u201d."
    assert error["params"] == {"value": "Z"}
    with translation.override("en"):
        assert importer.error_message(error) == "Unknown golongan \u201cZ\u201d."


# --- all or nothing, idempotency -----------------------------------------------------------------


def test_one_bad_row_among_good_rows_writes_nothing(cast):
    before_employees, before_positions = snapshot(), Position.objects.count()
    rows = [row(i, JABATAN=f"Jabatan Baru {i}") for i in range(1, 50)]
    rows[30]["NIP"] = "1985071620100110"  # row 32
    imp = run_import(cast, csv_bytes(rows))
    assert imp.status == "failed"
    assert messages_of(imp) == [(32, "NIP", "NIP must be exactly 18 digits.")]
    assert imp.created_count == 0 and imp.updated_count == 0
    assert snapshot() == before_employees
    assert Position.objects.count() == before_positions


def test_same_file_twice_changes_nothing_and_changed_rows_update(cast):
    rows = [row(i, **({"ATASAN NIP": import_nip(1)} if i > 1 else {})) for i in range(1, 11)]
    first = run_import(cast, csv_bytes(rows))
    assert (first.status, first.created_count, first.updated_count) == ("done", 10, 0)
    stamps = dict(Employee.objects.values_list("nip", "updated_at"))
    state = snapshot()

    second = run_import(cast, csv_bytes(rows))
    assert (second.status, second.created_count, second.updated_count) == ("done", 0, 0)
    assert snapshot() == state
    assert dict(Employee.objects.values_list("nip", "updated_at")) == stamps

    rows[2]["NAMA"] = "Nama Baru"  # a field change
    rows[3]["ATASAN NIP"] = import_nip(2)  # a supervisor change only
    rows[4]["GOLONGAN"] = "III/c"
    third = run_import(cast, csv_bytes(rows))
    assert (third.status, third.created_count, third.updated_count) == ("done", 0, 3)
    assert Employee.objects.get(nip=import_nip(3)).name == "Nama Baru"
    assert Employee.objects.get(nip=import_nip(4)).supervisor.nip == import_nip(2)
    assert Employee.objects.get(nip=import_nip(5)).rank == "III/c"
    assert Employee.objects.filter(nip__startswith="19800").count() == 10


def test_optional_columns_left_out_keep_existing_values(cast):
    staff = cast.objects["staff_employee"]
    staff.email, staff.is_remote = "budi@example.go.id", True
    staff.save()
    header = ["NIP", "NAMA", "JENIS PEGAWAI", "GOLONGAN", "JABATAN", "JENIS JABATAN", "UNIT KERJA"]
    data = row(0, NIP=staff.nip, NAMA="Budi Pegawai Baru", GOLONGAN=staff.rank)
    imp = run_import(cast, csv_bytes([data], header=header))
    assert (imp.status, imp.updated_count) == ("done", 1), messages_of(imp)
    staff.refresh_from_db()
    assert staff.name == "Budi Pegawai Baru"
    assert staff.email == "budi@example.go.id" and staff.is_remote
    assert staff.supervisor == cast.objects["supervisor_employee"]  # no ATASAN NIP column: kept


def test_the_task_is_idempotent_on_a_finished_import(cast):
    imp = run_import(cast, csv_bytes([row(1)]))
    assert imp.status == "done"
    Employee.objects.filter(nip=import_nip(1)).update(name="Diubah Manual")
    import_employees.delay(imp.pk)  # a duplicate delivery
    imp.refresh_from_db()
    assert (imp.status, imp.created_count) == ("done", 1)
    assert Employee.objects.get(nip=import_nip(1)).name == "Diubah Manual"


def test_an_interrupted_run_is_simply_run_again(cast):
    imp = run_import(cast, csv_bytes([row(1)]))
    EmployeeImport.objects.filter(pk=imp.pk).update(status=EmployeeImport.Status.RUNNING)
    again = employee_import_run(import_id=imp.pk)
    assert (again.status, again.created_count, again.updated_count) == ("done", 0, 0)


def test_an_import_only_sees_units_of_its_own_region(cast):
    UnitFactory(region=cast.region_b, code="BKD2", name="BKD Sorong")
    imp = run_import(cast, csv_bytes([row(1, **{"UNIT KERJA": "BKD"})]), region=cast.region_b)
    assert messages_of(imp) == [(2, "UNIT KERJA", "Unknown unit \u201cBKD\u201d in this region.")]


# --- progress and size ---------------------------------------------------------------------------


def test_progress_is_saved_every_thousand_rows_during_validation(cast, monkeypatch):
    seen = []
    original = validation._progress

    def spy(import_id, processed):
        seen.append((processed, EmployeeImport.objects.get(pk=import_id).status))
        original(import_id, processed)

    monkeypatch.setattr(validation, "_progress", spy)
    imp = run_import(cast, csv_bytes([row(i) for i in range(1, 2501)]))
    assert imp.status == "done"
    assert seen == [(1000, "running"), (2000, "running"), (2500, "running")]
    assert (imp.total_rows, imp.processed_rows, imp.progress_percent) == (2500, 2500, 100)


def test_fifty_thousand_rows_import_in_well_under_a_minute(cast):
    rows = [row(i, **({"ATASAN NIP": import_nip(i // 10)} if i >= 10 else {})) for i in range(50_000)]
    content = csv_bytes(rows)
    started = time.perf_counter()
    imp = run_import(cast, content)
    elapsed = time.perf_counter() - started
    print(f"\n50,000-row CSV ({len(content) / 1e6:.1f} MB) imported in {elapsed:.1f} s")
    assert imp.status == "done", messages_of(imp)[:5]
    assert imp.created_count == 50_000
    assert Employee.objects.filter(region=cast.region_a).count() == 50_000 + 2
    assert Employee.objects.get(nip=import_nip(12345)).supervisor.nip == import_nip(1234)
    assert elapsed < 45


# --- parsing helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("III/a", "III/a"),
        ("iii/A", "III/a"),
        (" IV / e ", "IV/e"),
        ("3b", "III/b"),
        ("I/d", "I/d"),
        ("II/e", None),
        ("IX", "IX"),
        ("xvii", "XVII"),
        ("9", "IX"),
        ("18", None),
        ("XVIII", None),
        ("", None),
    ],
)
def test_parse_rank(text, rank):
    assert parse_rank(text) == rank


def test_the_error_list_is_capped_with_a_closing_note(cast, monkeypatch):
    monkeypatch.setattr(validation, "MAX_ERRORS", 10)
    imp = run_import(cast, csv_bytes([row(i, GOLONGAN="Z") for i in range(1, 16)]))
    assert len(imp.errors) == 11
    assert messages_of(imp)[-1] == (None, "", "5 more errors are not listed; fix the ones above first.")


def test_an_unexpected_error_marks_the_import_failed_and_saves_nothing(cast, monkeypatch):
    from asnportal.org import tasks

    def broken(*, import_id):
        raise RuntimeError("bug")

    monkeypatch.setattr(tasks, "employee_import_run", broken)
    with pytest.raises(RuntimeError):
        run_import(cast, csv_bytes([row(1)]))
    imp = EmployeeImport.objects.get()
    assert imp.status == "failed" and imp.finished_at is not None
    assert "unexpected error" in imp.errors[0]["message"] or imp.errors[0]["msgid"].startswith(
        "The import stopped"
    )
    assert not Employee.objects.filter(nip=import_nip(1)).exists()


def test_the_template_keeps_nip_columns_as_text(cast):
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(importer.template_xlsx())).active
    assert sheet["A2"].number_format == "@" and sheet["A500"].number_format == "@"
    assert sheet["I2"].number_format == "@" and sheet["B2"].number_format != "@"


def test_title_lines_above_the_header_are_skipped_and_rows_keep_their_sheet_numbers(cast):
    import io

    import openpyxl

    from .importing import table

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DATA PNS PEMERINTAH PROVINSI BENGKULU"])
    sheet.append(["Sumber: SIASN BKN"])
    for values in table([row(1), row(2, GOLONGAN="Z")]):
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    imp = run_import(cast, buffer.getvalue(), filename="siasn.xlsx")
    assert messages_of(imp) == [(5, "GOLONGAN", "Unknown golongan \u201cZ\u201d.")]


def test_a_nip_another_region_creates_during_the_run_is_not_taken_over(cast, monkeypatch):
    from .factories import EmployeeFactory

    original = validation._progress

    def meanwhile(import_id, processed):
        # After validation, before the write: Sorong registers the same NIP.
        if not Employee.objects.filter(nip=import_nip(1)).exists():
            EmployeeFactory(
                nip=import_nip(1), name="Orang Sorong", unit=cast.unit_b, position=cast.objects["position_b"]
            )
        original(import_id, processed)

    monkeypatch.setattr(validation, "_progress", meanwhile)
    # The write transaction refuses and asks for a retry (eager tasks propagate it instead of retrying).
    with pytest.raises(Retry):
        run_import(cast, csv_bytes([row(1), row(2)]))
    imp = EmployeeImport.objects.get()
    assert imp.status == "running" and not Employee.objects.filter(nip=import_nip(2)).exists()
    import_employees.delay(imp.pk)  # the retry, as the worker would run it
    imp.refresh_from_db()
    assert imp.status == "failed"
    assert messages_of(imp) == [
        (
            2,
            "NIP",
            f"NIP {import_nip(1)} cannot be imported into your region; contact the system administrator.",
        )
    ]
    sorong = Employee.objects.get(nip=import_nip(1))
    assert sorong.region == cast.region_b and sorong.name == "Orang Sorong"
    assert not Employee.objects.filter(nip=import_nip(2)).exists()


def xlsx_with_inflated_sheet(megabytes: int) -> bytes:
    """The template workbook whose sheet is padded with whitespace: tiny packed, huge unpacked."""
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(importer.template_xlsx())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (megabytes * 1024 * 1024), 1)
            dst.writestr(info.filename, data)
    return out.getvalue()


def test_a_zip_bomb_workbook_is_refused_unopened_and_changes_nothing(cast, settings):
    bomb = xlsx_with_inflated_sheet(8)
    assert len(bomb) < 200 * 1024  # 8 MB of sheet packed into a few kilobytes
    before = snapshot()
    imp = run_import(cast, bomb, filename="pegawai.xlsx")
    assert imp.status == EmployeeImport.Status.FAILED
    assert any("malicious" in text for _row, _column, text in messages_of(imp)), messages_of(imp)
    assert snapshot() == before
    settings.IMPORT_XLSX_MAX_UNPACKED_BYTES = 1024 * 1024  # a lower cap on the declared total
    assert importer.file_kind("pegawai.xlsx", importer.template_xlsx()) == "xlsx"
    with pytest.raises(importer.ImportFileError):
        importer.file_kind("pegawai.xlsx", xlsx_with_inflated_sheet(2))


def test_the_import_page_never_confirms_a_nip_of_another_region(cast, django_capture_on_commit_callbacks):
    """An officer probing NIPs through the real upload URL: another region's employee, as a row or as
    a supervisor, gets the same neutral words as any NIP that cannot be used, naming no region."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from .factories import EmployeeFactory

    other = cast.objects["other_region_employee"]
    other_boss = EmployeeFactory(unit=cast.unit_b, position=cast.objects["position_b"], name="Kepala Sorong")
    nobody = import_nip(50)  # a valid NIP that no region holds
    rows = [
        row(1, NIP=other.nip),
        row(2, **{"ATASAN NIP": other_boss.nip}),
        row(3, **{"ATASAN NIP": nobody}),
    ]
    client = cast.client("hr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:import_upload"), {"file": SimpleUploadedFile("pegawai.csv", csv_bytes(rows))}
        )
    imp = EmployeeImport.objects.get()
    assert messages_of(imp) == [
        (2, "NIP", f"NIP {other.nip} cannot be imported into your region; contact the system administrator."),
        (3, "ATASAN NIP", f"No employee with supervisor NIP {other_boss.nip} in this file or in the region."),
        (4, "ATASAN NIP", f"No employee with supervisor NIP {nobody} in this file or in the region."),
    ]
    page = client.get(response.url).content.decode()
    assert f"NIP {other.nip} tidak dapat diimpor ke daerah Anda; hubungi admin sistem." in page
    for telltale in ("Sorong", "daerah lain", other.name, other_boss.name):
        assert telltale not in page
    other.refresh_from_db()
    assert other.region == cast.region_b and not Employee.objects.filter(region=cast.region_a, nip=other.nip)
