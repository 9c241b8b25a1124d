"""The SKD import under hostile XLSX files: zip bombs (honest and lying sizes), a million rows declared
or present, XML entity bombs, damaged sheets and random workbooks. Each is refused quickly, with bounded
memory, a clear Indonesian message and nothing saved."""

import io
import struct
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from recruitment.imports import parse_score_file
from recruitment.models import LedgerEntry, SkdScore

from .factories import make_application, make_selection
from .test_fuzz import FUZZ, assert_escaped, assert_indonesian, assert_no_error

pytestmark = pytest.mark.django_db

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replace_sheet(xlsx: bytes, write_sheet) -> bytes:
    """The workbook with xl/worksheets/sheet1.xml rewritten by write_sheet(open file)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with dst.open(info.filename, "w") as handle:
                    write_sheet(handle)
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def bomb_sheet(megabytes: int):
    def write(handle):
        handle.write(SHEET_HEAD + b"<sheetData>")
        blank = b" " * (1024 * 1024)
        for _ in range(megabytes):
            handle.write(blank)
        handle.write(b"</sheetData></worksheet>")

    return write


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A ~300 KB workbook whose sheet XML inflates to 300 MB."""
    return replace_sheet(workbook([["nomor", "twk", "tiu", "tkp"]]), bomb_sheet(300))


def lie_about_sizes(xlsx: bytes, name: str, size: int) -> bytes:
    """Rewrite the declared uncompressed size of one entry (local header and central directory)."""
    data = bytearray(xlsx)
    encoded = name.encode()
    start = 0
    while (at := data.find(b"PK\x03\x04", start)) != -1:
        name_len = struct.unpack_from("<H", data, at + 26)[0]
        if bytes(data[at + 30 : at + 30 + name_len]) == encoded:
            struct.pack_into("<I", data, at + 22, size)
        start = at + 4
    start = 0
    while (at := data.find(b"PK\x01\x02", start)) != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == encoded:
            struct.pack_into("<I", data, at + 24, size)
        start = at + 4
    return bytes(data)


def upload(content: bytes, name: str = "hasil.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refused_quickly(content: bytes, *, seconds: float = 5.0, megabytes: int = 64) -> str:
    """Parse the file; it must be refused within the time and memory bounds: returns the message."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ValidationError) as exc:
            parse_score_file(upload(content))
    finally:
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < megabytes * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    return " ".join(exc.value.messages)


@pytest.fixture
def selection(cast):
    selection = make_selection(region=cast.region_a, created_by=cast.users["hr"])
    for _ in range(3):
        make_application(selection.formations.get(), by=cast.users["hr"])
    return selection


def post_import(cast, selection, content: bytes, name: str = "hasil.xlsx"):
    return cast.client("hr").post(
        reverse("recruitment:skd_import", args=[selection.pk]), {"file": upload(content, name)}
    )


def state() -> tuple[int, int]:
    return SkdScore.objects.count(), LedgerEntry.objects.count()


def test_the_zip_bomb_really_inflates_to_hundreds_of_megabytes(zip_bomb):
    with zipfile.ZipFile(io.BytesIO(zip_bomb)) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert len(zip_bomb) < 1024 * 1024 and sheet.file_size > 300 * 1024 * 1024


def test_a_zip_bomb_is_refused_before_inflating_with_bounded_memory(zip_bomb):
    message = refused_quickly(zip_bomb, seconds=2.0, megabytes=16)
    assert "ditolak" in message


def test_a_zip_bomb_through_the_page_is_a_clear_indonesian_message(zip_bomb, cast, selection):
    before = state()
    started = time.perf_counter()
    response = post_import(cast, selection, zip_bomb)
    assert time.perf_counter() - started < 5
    assert response.status_code == 400 and state() == before
    assert "ditolak" in " ".join(assert_indonesian(response))


def test_a_zip_bomb_that_lies_about_its_size_is_cut_at_the_declared_size():
    """Declared 2 KB, inflates to 200 MB: zipfile stops at 2 KB (CRC error) and the file is refused."""
    honest = replace_sheet(workbook([["nomor"]]), bomb_sheet(200))
    liar = lie_about_sizes(honest, "xl/worksheets/sheet1.xml", 2048)
    message = refused_quickly(liar, seconds=3.0, megabytes=32)
    assert "tidak dapat dibaca" in message


def test_a_workbook_with_thousands_of_entries_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook([["x"]]))) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        for i in range(5000):
            dst.writestr(f"xl/media/junk{i}.bin", b"")
    assert "ditolak" in refused_quickly(out.getvalue())


def test_a_sheet_declaring_a_million_rows_is_refused_without_reading_them(cast, selection):
    def write(handle):
        handle.write(SHEET_HEAD + b'<dimension ref="A1:D1000000"/><sheetData>')
        handle.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>P1</t></is></c><c r="B1"><v>1</v></c></row>')
        handle.write(b"</sheetData></worksheet>")

    content = replace_sheet(workbook([["x"]]), write)
    message = refused_quickly(content, seconds=2.0, megabytes=16)
    assert "terlalu banyak baris" in message and "1.000.000" in message
    response = post_import(cast, selection, content)
    assert response.status_code == 400 and state() == (0, 0)
    assert_indonesian(response)


def test_a_single_cell_in_row_one_million_is_refused_without_a_million_blank_rows():
    def write(handle):
        handle.write(SHEET_HEAD + b"<sheetData>")
        handle.write(b'<row r="1000000"><c r="XFD1000000"><v>1</v></c></row>')
        handle.write(b"</sheetData></worksheet>")

    message = refused_quickly(replace_sheet(workbook([["x"]]), write), seconds=5.0, megabytes=48)
    assert "terlalu banyak baris" in message


def test_a_million_real_rows_are_refused_after_the_row_limit(settings):
    settings.RECRUITMENT_IMPORT_MAX_ROWS = 10_000

    def write(handle):
        handle.write(SHEET_HEAD + b"<sheetData>")
        for start in range(1, 1_000_001, 10_000):
            handle.write(
                b"".join(
                    b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i)
                    for i in range(start, start + 10_000)
                )
            )
        handle.write(b"</sheetData></worksheet>")

    content = replace_sheet(workbook([["x"]]), write)
    assert "terlalu banyak baris" in refused_quickly(content, seconds=10.0, megabytes=48)


def test_an_xml_entity_bomb_in_the_sheet_is_refused():
    def write(handle):
        handle.write(
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
            + b"".join(
                b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                for i in range(1, 10)
            )
            + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
        )

    message = refused_quickly(replace_sheet(workbook([["x"]]), write), seconds=5.0, megabytes=64)
    assert "tidak dapat dibaca" in message


def test_damaged_sheet_xml_is_refused_not_a_500(cast, selection):
    """Regression: openpyxl parses the sheet lazily, so broken XML raised outside the try: a 500."""

    def write(handle):
        # With a dimension openpyxl reads the sheet only while iterating, where the error used to escape.
        handle.write(SHEET_HEAD + b'<dimension ref="A1:D2"/><sheetData><row r="1"><c r="A1"><v>1</v></row>')

    response = post_import(cast, selection, replace_sheet(workbook([["x"]]), write))
    assert response.status_code == 400 and state() == (0, 0)
    assert "tidak dapat dibaca" in " ".join(assert_indonesian(response))


def test_a_workbook_without_a_sheet_or_a_truncated_zip_is_refused(cast, selection):
    whole = workbook([["nomor", "twk", "tiu", "tkp"], ["P1", 1, 2, 3]])
    for content in (whole[: len(whole) // 2], b"PK\x03\x04" + b"\x00" * 100):
        response = post_import(cast, selection, content)
        assert response.status_code == 400 and state() == (0, 0)
        assert assert_indonesian(response)


def test_a_valid_workbook_imports_every_row(cast, selection):
    numbers = list(selection.applications.values_list("participant_number", flat=True))
    rows = [["Nomor Peserta", "TWK", "TIU", "TKP"]] + [[n, 100, 120.0, 180] for n in numbers]
    response = post_import(cast, selection, workbook(rows))
    assert response.status_code == 302 and state()[0] == 3


cell_values = st.one_of(
    st.integers(-10, 300),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.booleans(),
    st.text(max_size=30).map(lambda t: "".join(ch for ch in t if ch.isprintable())),
    st.none(),
    st.dates(),
)


@FUZZ
@given(data=st.data())
def test_random_workbooks_are_all_or_nothing_and_never_error(cast, selection, data):
    numbers = list(selection.applications.values_list("participant_number", flat=True))
    rows = data.draw(
        st.lists(
            st.lists(st.one_of(st.sampled_from(numbers), cell_values), min_size=0, max_size=6), max_size=10
        )
    )
    if data.draw(st.booleans()):
        rows = [["nomor_peserta", "twk", "tiu", "tkp"], *rows]
    try:
        content = workbook(rows)
    except (ValueError, TypeError):  # openpyxl refuses some values itself (e.g. illegal characters)
        return
    before = state()
    response = post_import(cast, selection, content)
    assert_no_error(response)
    if response.status_code == 302:
        added = state()[0] - before[0]
        assert added > 0 and state()[1] - before[1] == added
    else:
        assert state() == before
        assert_indonesian(response, [str(c) for r in rows for c in r if c is not None])
        assert_escaped(response, [str(c) for r in rows for c in r if c is not None])
