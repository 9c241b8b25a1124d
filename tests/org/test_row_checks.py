"""The per-rule checks of importer/row_checks.py: the edges the worked examples of test_importer do not
cover, and the order of a row's errors (the order of ROW_CHECKS, as the report and its XLSX show it)."""

import pytest

from asnportal.org.importer import row_checks
from asnportal.org.models import Employee, Position

from .importing import csv_bytes, import_nip, messages_of, row, run_import

pytestmark = pytest.mark.django_db


def test_a_row_with_an_error_in_every_column_lists_them_in_the_order_of_the_columns_checks(cast):
    bad = {
        "NIP": "1",
        "NAMA": "",
        "JENIS PEGAWAI": "Honorer",
        "GOLONGAN": "V/a",
        "UNIT KERJA": "Tidak Ada",
        "JABATAN": "",
        "JENIS JABATAN": "Honorer",
        "JENJANG": "Ahli Super",
        "ATASAN NIP": "123",
        "LOKASI TERPENCIL": "mungkin",
        "EMAIL": "bukan-email",
        "TELEPON": "abc\x01",
    }
    imp = run_import(cast, csv_bytes([row(1, **bad)]))
    assert imp.status == "failed"
    assert [(r, c) for r, c, _m in messages_of(imp)] == [
        (2, "TELEPON"),  # invisible control characters, first for every column
        (2, "NIP"),
        (2, "NAMA"),
        (2, "JENIS PEGAWAI"),
        (2, "GOLONGAN"),
        (2, "UNIT KERJA"),
        (2, "JABATAN"),
        (2, "JENIS JABATAN"),
        (2, "JENJANG"),
        (2, "ATASAN NIP"),
        (2, "LOKASI TERPENCIL"),
        (2, "EMAIL"),
        (2, "TELEPON"),
    ]
    assert "control characters" in messages_of(imp)[0][2]
    assert not Employee.objects.filter(nip=import_nip(1)).exists()


@pytest.mark.parametrize(
    ("override", "column", "message"),
    [
        ({"NAMA": "A" * 201}, "NAMA", "The name is longer than 200 characters."),
        ({"JABATAN": "   "}, "JABATAN", "The position name is empty."),
        ({"JABATAN": "J" * 201}, "JABATAN", "The position name is longer than 200 characters."),
        ({"EMAIL": ""}, None, None),  # an empty address is allowed
        ({"TELEPON": ""}, None, None),
    ],
)
def test_name_position_email_and_phone_edges(cast, override, column, message):
    imp = run_import(cast, csv_bytes([row(1, **override)]))
    if column is None:
        assert imp.status == "done", messages_of(imp)
    else:
        assert messages_of(imp) == [(2, column, message)]


def test_two_rows_giving_a_new_position_two_types_are_refused_on_the_second(cast):
    new = {"JABATAN": "Penata Arsip Baru"}
    rows = [row(1, **new), row(2, **new, **{"JENIS JABATAN": "Administrator"})]
    imp = run_import(cast, csv_bytes(rows))
    assert messages_of(imp) == [
        (3, "JENIS JABATAN", "Row 2 gives the position Penata Arsip Baru another position type.")
    ]
    assert not Position.objects.filter(name="Penata Arsip Baru").exists()


def test_a_cpns_is_imported_as_a_pns_with_a_nip_read_for_its_dates(cast):
    imp = run_import(cast, csv_bytes([row(1, **{"JENIS PEGAWAI": "cpns"})]))
    assert imp.status == "done", messages_of(imp)
    employee = Employee.objects.get(nip=import_nip(1))
    assert employee.kind == "PNS"
    assert employee.tmt_cpns is not None and employee.birth_date is not None


def test_the_checks_run_in_the_order_of_the_columns_they_are_about():
    names = [check.__name__ for check in row_checks.ROW_CHECKS]
    assert names[0] == "check_control_characters"
    assert names.index("check_nip") < names.index("check_nip_unique") < names.index("check_name")
    assert names.index("check_kind") < names.index("check_rank")  # the rank needs the employee type
    # the level needs the position type; the type agreement needs name, type and level
    assert (
        names.index("check_position_kind")
        < names.index("check_level")
        < names.index("check_position_type_agrees")
    )
    assert names[-1] == "check_phone"
