"""Helpers to build SIASN-style import files in tests."""

import csv
import datetime as dt
import io

import openpyxl

from asnportal.org.importer import COLUMNS
from asnportal.org.models import EmployeeImport
from asnportal.org.nip import FEMALE, MALE, nip_build

HEADER = list(COLUMNS.values())


def import_nip(n: int) -> str:
    """Distinct valid NIPs for up to 50,000 rows, disjoint from the factories' NIPs (TMT 2019-07)."""
    birth = dt.date(1980, 1, 1) + dt.timedelta(days=n % 5000)
    return nip_build(
        birth_date=birth, tmt_cpns=dt.date(2019, 7, 1), sex=MALE if n % 2 else FEMALE, sequence=1 + n // 5000
    )


def row(n: int, **over) -> dict[str, str]:
    values = {
        "NIP": import_nip(n),
        "NAMA": f"Pegawai Impor {n}",
        "JENIS PEGAWAI": "PNS",
        "GOLONGAN": "III/a",
        "JABATAN": "Analis SDM Aparatur",
        "JENIS JABATAN": "pelaksana",
        "JENJANG": "",
        "UNIT KERJA": "BKD",
        "ATASAN NIP": "",
        "LOKASI TERPENCIL": "N",
        "EMAIL": f"pegawai{n}@example.go.id",
        "TELEPON": "0812000000",
    }
    values.update(over)
    return values


def table(rows: list[dict], header: list[str] = HEADER) -> list[list[str]]:
    return [header] + [[r.get(h, "") for h in header] for r in rows]


def csv_bytes(
    rows: list[dict], *, delimiter: str = ",", bom: bool = False, header: list[str] = HEADER
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(table(rows, header))
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[dict], header: list[str] = HEADER, nip_as_number: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for values in table(rows, header):
        if nip_as_number and values[0].isdigit():
            values = [int(values[0]), *values[1:]]
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_import(cast, content: bytes, filename: str = "pegawai.csv", region=None) -> EmployeeImport:
    """Store an upload and run its task through the public entry point (eager in tests)."""
    from asnportal.org.tasks import import_employees

    imp = EmployeeImport.objects.create(
        region=region or cast.region_a, created_by=cast.users["hr"], filename=filename, content=content
    )
    import_employees.delay(imp.pk)
    imp.refresh_from_db()
    return imp


def messages_of(imp: EmployeeImport) -> list[tuple]:
    return [
        (e["row"], e["column"], e["msgid"] % e["params"] if e["params"] else e["msgid"]) for e in imp.errors
    ]
