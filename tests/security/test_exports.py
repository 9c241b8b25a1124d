"""Exports cannot be turned against their readers or the server (asnportal/exports.py).

Every XLSX export is downloaded through its real URL with text fields holding spreadsheet formulas
(OWASP's CSV-injection list): no cell may be a formula, and text that looks like one must be marked
as text. Every PDF is downloaded with text holding reportlab markup (`<img src=...>`, an unclosed
`<b>`, a link to a local port): the answer is 200 and a real PDF, the text is printed literally, and
no file named by the text is opened and no URL fetched. Checked without a PDF library: the page
streams are decoded with base64/zlib and their text operators read.
"""

import base64
import contextlib
import datetime as dt
import io
import re
import sys
import zipfile
import zlib
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import Workbook, load_workbook
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import SimpleDocTemplate

from asnportal.exports import csv_row, csv_value, markup, paragraph_text, sheet_append, text_paragraph
from asnportal.org.models import EmployeeImport
from feedback.models import ExtraAnswer, ExtraQuestion, SurveyResponse, SurveyToken
from performance import services as performance_services
from performance.models import Appraisal, Indicator, WorkResult
from recruitment.models import SkbScore
from recruitment.services import selection_create
from training.models import Enrollment

from ..clock import TODAY
from ..feedback.factories import ServiceFactory, ServiceUnitFactory, add_responses
from ..org.factories import EmployeeFactory, PositionFactory, UnitFactory
from ..performance.factories import agreed_plan, behaviour, open_period
from ..recruitment.factories import make_application
from ..reports.factories import snapshot_make
from ..training.factories import completed

pytestmark = pytest.mark.django_db

PURPOSE = {"category": "administration", "explanation": "Uji keamanan berkas ekspor"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]
MARKUP = ['<img src="/etc/passwd">', "<b>unclosed", '<a href="http://127.0.0.1:1/">x</a>']
MARKUP_TEXT = " ".join(MARKUP)
QUARTER = f"tw{(TODAY.month - 1) // 3 + 1}"


# --- what the server does while it builds a file ---------------------------------------------------

_watch: list[list] = []


def _audit(event: str, args) -> None:
    if not _watch:
        return
    opened = event == "open" and isinstance(args[0], str | bytes) and b"passwd" in _bytes(args[0])
    if opened or event in ("urllib.Request", "http.client.connect"):
        _watch[-1].append((event, args[0]))
    elif event == "socket.connect" and isinstance(args[1], tuple) and args[1][1:2] == (1,):
        _watch[-1].append((event, args[1]))


def _bytes(value) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


sys.addaudithook(_audit)  # audit hooks cannot be removed: this one records only inside `watching()`


@contextlib.contextmanager
def watching():
    """Files named /etc/passwd opened, URLs requested, connections to port 1, while inside."""
    seen: list = []
    _watch.append(seen)
    try:
        yield seen
    finally:
        _watch.pop()


# --- reading the files back -------------------------------------------------------------------------


def sheet_values(content: bytes) -> list:
    """Every cell value of every sheet, after checking that none is (or could become) a formula."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    values = []
    for ws in load_workbook(io.BytesIO(content)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.quotePrefix or cell.value.startswith("'"), (cell.coordinate, cell.value)
                values.append(cell.value)
    return values


_STREAM = re.compile(rb"/Filter\s*(\[[^\]]*\]|/\w+)[^>]*>>\s*stream\r?\n(.*?)endstream", re.S)
_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    def one(match):
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _ESCAPES.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal[1:-1], flags=re.S)


def pdf_text(content: bytes) -> str:
    """The text the pages print (string operands of the content streams), without whitespace."""
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    pieces = []
    for filters, data in _STREAM.findall(content):
        names = re.findall(rb"/(\w+)", filters)
        if not set(names) <= {b"ASCII85Decode", b"FlateDecode"}:
            continue  # images in other encodings hold no text
        for name in names:
            if name == b"ASCII85Decode":
                data = base64.a85decode(data.strip().removesuffix(b"~>"))
            else:
                data = zlib.decompress(data)
        if b"BT" not in data:
            continue
        pieces += [_unescape(s) for s in _STRING.findall(data)]
    return re.sub(r"\s+", "", b"".join(pieces).decode("cp1252"))


def printed(text: str, content: bytes) -> bool:
    return re.sub(r"\s+", "", text) in pdf_text(content)


# --- the exports, each with data that holds the probes ----------------------------------------------


def _employees(cast, names: list[str]):
    return [
        EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"], name=name) for name in names
    ]


def _selection(cast, name: str, applicants: list[str]):
    unit = UnitFactory(region=cast.region_a)
    position = PositionFactory(region=cast.region_a)
    selection = selection_create(
        region=cast.region_a,
        year=TODAY.year,
        name=name,
        created_by=None,
        formations=[{"position_id": position.pk, "unit_id": unit.pk, "education": "S1", "quota": 2}],
    )
    formation = selection.formations.get()
    for i, applicant in enumerate(applicants):
        app = make_application(formation, name=applicant, skd=(100, 100, 200 - i))
        SkbScore.objects.create(
            application=app, panel_member=cast.users["panel"], score=Decimal(80), items={}
        )
    return selection


def _plan(cast, texts: list[str]):
    """The staff member's agreed plan of this year: one KPI per text, the work result and unit too."""
    staff = cast.objects["staff_employee"]
    weights = [100 // len(texts)] * len(texts)
    weights[0] += 100 - sum(weights)
    plan, indicators = agreed_plan(
        staff, TODAY.year, [(t, 10, w) for t, w in zip(texts, weights, strict=True)]
    )
    WorkResult.objects.filter(plan=plan).update(text=texts[0])
    Indicator.objects.filter(result__plan=plan).update(unit=texts[-1][:40])
    return plan, indicators


def _appraisal(cast, text: str, employee=None, period=None):
    """An appraisal of this quarter by the supervisor: text in the KPI, the name and the reason."""
    employee = employee or cast.objects["staff_employee"]
    plan, _indicators = agreed_plan(employee, TODAY.year, [(text, 10, 100)])
    WorkResult.objects.filter(plan=plan).update(text=text)
    employee.name = text
    employee.save()
    period = period or open_period(cast.region_a, TODAY.year, QUARTER)
    performance_services.appraisal_rate(
        supervisor=cast.objects["supervisor_employee"],
        employee=employee,
        period=period,
        behaviour=behaviour(),
    )
    appraisal = Appraisal.objects.get(employee=employee, period=period)
    Appraisal.objects.filter(pk=appraisal.pk).update(reason=text)
    return appraisal


def _service_unit(cast, name: str, texts: list[str]):
    su = ServiceUnitFactory(unit=cast.unit_a, name=name, slug="layanan-uji-ekspor")
    service = ServiceFactory(service_unit=su, name=texts[0])
    question = ExtraQuestion.objects.create(service_unit=su, text=texts[-1])
    responses = add_responses(su, [4] * len(texts), on=TODAY, service=service)
    for response, text in zip(responses, texts, strict=True):
        SurveyResponse.objects.filter(pk=response.pk).update(comment=text)
        ExtraAnswer.objects.create(response=response, question=question, text=text)
    return su


def xlsx_import_errors(cast):
    imp = EmployeeImport.objects.create(
        region=cast.region_a,
        created_by=cast.users["hr"],
        filename="pegawai.csv",
        content=b"",
        status=EmployeeImport.Status.FAILED,
        errors=[{"row": 2 + i, "column": f, "msgid": "", "message": f} for i, f in enumerate(FORMULAS)],
    )
    return "hr", "post", reverse("org:import_errors", args=[imp.pk]), PURPOSE


def xlsx_import_template(cast):
    return "hr", "get", reverse("org:import_template"), None  # fixed content: checked for formulas only


def xlsx_org_directory(cast):
    from ..org.factories import EmployeeFactory

    for formula in FORMULAS:
        EmployeeFactory(unit=cast.unit_a, name=formula)
    return "hr", "post", reverse("org:directory_xlsx"), PURPOSE


def xlsx_report_snapshot(cast):
    units = [
        {"unit_id": 9000 + i, "unit": f, "total": 20, "pns": 15, "pppk": 5, "female": 9, "remote": 2}
        for i, f in enumerate(FORMULAS)
    ]
    snapshot = snapshot_make(region=cast.region_a, period_start=TODAY.replace(day=1), units=units)
    return "head", "get", reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"]), None


def xlsx_planning_gaps(cast):
    for i, f in enumerate(FORMULAS):
        EmployeeFactory(
            unit=UnitFactory(region=cast.region_a, name=f, code=f"UJI{i}"),
            position=PositionFactory(region=cast.region_a, name=FORMULAS[-1 - i]),
        )
    query = f"?year={TODAY.year + 1}&on={TODAY.isoformat()}"
    return "head", "get", reverse("planning:gaps_xlsx") + query, None


def xlsx_recruitment_skd(cast):
    selection = _selection(cast, "Seleksi uji", FORMULAS)
    return "anonymous", "get", reverse("recruitment:export", args=[selection.pk, "skd", "xlsx"]), None


def xlsx_recruitment_ranking(cast):
    selection = _selection(cast, "Seleksi uji", FORMULAS)
    return "anonymous", "get", reverse("recruitment:export", args=[selection.pk, "ranking", "xlsx"]), None


def xlsx_training_below_20(cast):
    _employees(cast, FORMULAS)
    return "hr", "post", reverse("training:below_20_xlsx"), PURPOSE


def xlsx_performance_team(cast):
    _plan(cast, FORMULAS)
    return "supervisor", "post", reverse("performance:team_xlsx"), PURPOSE


def xlsx_performance_unit(cast):
    appraisal = _appraisal(cast, FORMULAS[0])
    for text in FORMULAS[2:]:
        teammate = EmployeeFactory(
            unit=cast.unit_a,
            position=cast.objects["position_a"],
            supervisor=cast.objects["supervisor_employee"],
        )
        _appraisal(cast, text, teammate, appraisal.period)
    cast.unit_a.name = FORMULAS[1]
    cast.unit_a.save()
    return "hr", "post", reverse("performance:unit_xlsx", args=[appraisal.period_id]), PURPOSE


def xlsx_feedback_answers(cast):
    su = _service_unit(cast, "Puskesmas Uji", FORMULAS)
    return "hr", "post", reverse("feedback:answers_xlsx", kwargs={"pk": su.pk}), PURPOSE


XLSX_CASES = {
    "org:import_errors": xlsx_import_errors,
    "org:import_template": xlsx_import_template,
    "org:directory_xlsx": xlsx_org_directory,
    "reports:snapshot_export": xlsx_report_snapshot,
    "planning:gaps_xlsx": xlsx_planning_gaps,
    "recruitment:export[skd]": xlsx_recruitment_skd,
    "recruitment:export[ranking]": xlsx_recruitment_ranking,
    "training:below_20_xlsx": xlsx_training_below_20,
    "performance:team_xlsx": xlsx_performance_team,
    "performance:unit_xlsx": xlsx_performance_unit,
    "feedback:answers_xlsx": xlsx_feedback_answers,
}


def pdf_plan(cast):
    _plan(cast, MARKUP)
    cast.objects["staff_employee"].name = MARKUP_TEXT
    cast.objects["staff_employee"].save()
    return "staff", "get", reverse("performance:plan_pdf"), None


def pdf_own_appraisal(cast):
    appraisal = _appraisal(cast, MARKUP_TEXT)
    return "staff", "get", reverse("performance:appraisal_pdf", args=[appraisal.pk]), None


def pdf_team_appraisal(cast):
    appraisal = _appraisal(cast, MARKUP_TEXT)
    return "supervisor", "post", reverse("performance:appraisal_pdf", args=[appraisal.pk]), PURPOSE


def pdf_certificate(cast):
    staff = cast.objects["staff_employee"]
    staff.name = MARKUP_TEXT
    staff.save()
    enrollment = completed(staff, jp=8, on=TODAY - dt.timedelta(days=30))
    Enrollment.objects.filter(pk=enrollment.pk).update(certificate_code="UJIEKSPOR1")
    programme = enrollment.session.programme
    programme.title = MARKUP_TEXT
    programme.save()
    return "staff", "get", reverse("training:certificate", args=[enrollment.pk]), None


def pdf_recruitment_skd(cast):
    selection = _selection(cast, MARKUP_TEXT, MARKUP)
    return "anonymous", "get", reverse("recruitment:export", args=[selection.pk, "skd", "pdf"]), None


def pdf_recruitment_ranking(cast):
    selection = _selection(cast, MARKUP_TEXT, MARKUP)
    return "anonymous", "get", reverse("recruitment:export", args=[selection.pk, "ranking", "pdf"]), None


def pdf_report_snapshot(cast):
    units = [
        {"unit_id": 9000 + i, "unit": m, "total": 20, "pns": 15, "pppk": 5, "female": 9, "remote": 2}
        for i, m in enumerate(MARKUP)
    ]
    snapshot = snapshot_make(region=cast.region_a, period_start=TODAY.replace(day=1), units=units)
    return "head", "get", reverse("reports:snapshot_export", args=[snapshot.pk, "pdf"]), None


def pdf_feedback_report(cast):
    su = _service_unit(cast, MARKUP_TEXT, MARKUP)
    return "hr", "get", reverse("feedback:report_pdf", kwargs={"pk": su.pk}), None


def pdf_feedback_tokens(cast):
    su = _service_unit(cast, MARKUP_TEXT, MARKUP)
    batch = su.token_batches.create(size=1)
    SurveyToken.objects.create(batch=batch, service_unit=su, code="AAAABBBB")
    return "hr", "get", reverse("feedback:token_batch_pdf", kwargs={"pk": batch.pk}), None


PDF_CASES = {
    "performance:plan_pdf": pdf_plan,
    "performance:appraisal_pdf[own]": pdf_own_appraisal,
    "performance:appraisal_pdf[supervisor]": pdf_team_appraisal,
    "training:certificate": pdf_certificate,
    "recruitment:export[skd.pdf]": pdf_recruitment_skd,
    "recruitment:export[ranking.pdf]": pdf_recruitment_ranking,
    "reports:snapshot_export[pdf]": pdf_report_snapshot,
    "feedback:report_pdf": pdf_feedback_report,
    "feedback:token_batch_pdf": pdf_feedback_tokens,
}


def download(cast, case) -> bytes:
    role, method, url, data = case(cast)
    client = cast.client(role)
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] != "text/html; charset=utf-8", "a page, not the file"
    return response.content


# --- through the real URLs --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(XLSX_CASES))
def test_no_xlsx_export_holds_a_formula(cast, name):
    values = sheet_values(download(cast, XLSX_CASES[name]))
    if name != "org:import_template":
        texts = [str(v) for v in values if v is not None]
        for formula in FORMULAS:
            assert any(formula in t for t in texts), f"{formula} did not reach the file"


@pytest.mark.parametrize("name", list(PDF_CASES))
def test_pdf_prints_markup_in_user_text_literally_and_reads_or_fetches_nothing(cast, name):
    case = PDF_CASES[name]
    with watching() as seen:
        content = download(cast, case)
    assert seen == []
    for text in MARKUP:
        assert printed(text, content), f"{text!r} is not printed in {name}"


def _route_names(resolver, prefix="") -> dict[str, str]:
    names = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _route_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names[f"{prefix}{entry.name}"] = str(entry.pattern)
    return names


def test_every_file_export_of_the_project_is_checked_here():
    """A new XLSX/PDF/CSV download must be added to the cases above (QR images carry no user text)."""
    covered = {key.split("[")[0] for key in XLSX_CASES | PDF_CASES}
    exports = {
        name
        for name, route in _route_names(get_resolver()).items()
        if re.search(
            r"xlsx|pdf|csv|export|ekspor|unduh|sertifikat\.|laporan/$|jawaban/$|kode/<", route + name
        )
    }
    assert exports, "the URL list could not be read"
    assert exports - covered - API_CSV == set()


# The token API's SIASN CSV files: tests/api/test_v1.py::test_siasn_csv_keeps_formula_like_text_as_text.
API_CSV = {"api:v1:export_skp", "api:v1:export_training"}


# --- the helpers themselves -------------------------------------------------------------------------


@pytest.mark.parametrize("write_only", [False, True])
def test_sheet_append_keeps_formula_like_text_as_text_and_numbers_typed(write_only):
    book = Workbook(write_only=write_only)
    ws = book.create_sheet("Uji") if write_only else book.active
    day = dt.date(2026, 1, 2)
    row = [*FORMULAS, "\tTab", "\rCR", "\x07=bel", 3, 2.5, Decimal("1.25"), day, None, True, "biasa"]
    sheet_append(ws, row)
    sheet_append(ws, ["=1+1", 4])  # a style of the row before never carries over
    buffer = io.BytesIO()
    book.save(buffer)
    values = sheet_values(buffer.getvalue())
    cells = list(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())
    first, second = cells
    assert [c.value for c in first[:4]] == FORMULAS  # the text as written
    assert all(c.data_type == "s" and c.quotePrefix for c in first[:7])
    assert first[6].value == "=bel"  # a control character a worksheet cannot hold is dropped
    assert [c.data_type for c in first[7:10]] == ["n", "n", "n"] and first[10].is_date
    assert first[11].value is None and first[12].value is True
    assert first[13].value == "biasa" and not first[13].quotePrefix
    assert [(c.value, c.quotePrefix) for c in second[:2]] == [("=1+1", True), (4, False)]
    assert 3 in values


def test_csv_value_prefixes_formula_like_text_with_an_apostrophe():
    assert csv_row([*FORMULAS, "\tx", "biasa", 5, None, dt.date(2026, 1, 2)]) == [
        *("'" + f for f in FORMULAS),
        "'\tx",
        "biasa",
        5,
        None,
        dt.date(2026, 1, 2),
    ]
    assert csv_value("\x00=1") == "'=1"


def test_paragraph_text_escapes_markup_and_keeps_line_breaks():
    assert paragraph_text('<img src="/etc/passwd"> & <b>') == '&lt;img src="/etc/passwd"&gt; &amp; &lt;b&gt;'
    assert paragraph_text("baris 1\nbaris 2\r\nbaris 3") == "baris 1<br/>baris 2<br/>baris 3"
    assert markup("<b>%(name)s</b>", name="<i>x") == "<b>&lt;i&gt;x</b>"


def test_text_paragraph_renders_img_and_link_tags_as_text_without_opening_or_fetching():
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    story = [text_paragraph(text, styles["Normal"]) for text in [*MARKUP, "dua\nbaris"]]
    with watching() as seen:
        SimpleDocTemplate(buffer).build(story)
    assert seen == []
    content = buffer.getvalue()
    assert all(printed(text, content) for text in MARKUP)
    assert printed("dua", content) and printed("baris", content)
    assert b"/URI" not in content and b"/Annot" not in content  # no live link was made


def test_reportlab_fetches_urls_from_no_host():
    """Even a URL that reached reportlab is not fetched: its default trusts no host (rl_config)."""
    from reportlab import rl_config

    assert not rl_config.trustedHosts


def test_the_watch_sees_a_file_being_opened():
    """The PDF checks can fail: opening the file the probe names is recorded."""
    with watching() as seen, contextlib.suppress(OSError), open("/etc/passwd", "rb"):
        pass
    assert seen and seen[0][0] == "open"
