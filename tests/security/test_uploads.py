"""Uploads: every upload field refuses a file over its limit and a file whose name lies about its
content, with a message in Bahasa Indonesia and nothing stored (no row, no file); a right small file
is still accepted.

The upload fields (grep FileField / request.FILES): the employee import (org), the evidence of a
daily log (performance), an applicant's documents, an observer's attachment and the SKD result
import (recruitment), a programme's material (training). The limits are the configured ones:
settings.UPLOAD_MAX_BYTES (documents, attachments, materials), settings.IMPORT_MAX_BYTES (the two
imports), performance.evidence.MAX_EVIDENCE_BYTES (evidence). Files are stored under a MEDIA_ROOT of
the test's own.
"""

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from asnportal.org.importer import template_xlsx
from asnportal.org.models import EmployeeImport
from performance.evidence import MAX_EVIDENCE_BYTES
from performance.models import ActivityLog, Indicator
from recruitment.models import Document, Observation, SkdScore
from training.models import Material

from ..clock import TODAY
from ..conftest import Cast
from ..performance.factories import png_upload
from ..performance.permissions import world as performance_world
from ..recruitment.permissions import world as recruitment_world
from ..training.permissions import _session

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"


def a_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.sh", "#!/bin/sh\necho pwned\n")
    return buffer.getvalue()


def png() -> bytes:
    return png_upload().read()


def padded(head: bytes, size: int, tail: bytes = b"") -> bytes:
    return head + b"0" * (size - len(head) - len(tail)) + tail


def indonesian(msgid: str, **params) -> str:
    with translation.override("id"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no Indonesian translation of {msgid!r}"
    return text % params if params else text


@dataclass
class Upload:
    role: str
    url: Callable[[Cast], str]
    field: str
    data: Callable[[Cast], dict]
    stored: Callable[[], int]
    limit: Callable[[], int]
    too_large: Callable[[], str]  # the Indonesian message of a file over the limit
    wrong_type: str | None  # the Indonesian message of a disguised file (None: row errors instead)
    good: Callable[[], tuple[str, bytes]]
    oversize: Callable[[int], tuple[str, bytes]]
    disguised: list[tuple[str, Callable[[], bytes]]]


def _log_data(c: Cast) -> dict:
    performance_world(c)
    indicator = Indicator.objects.filter(result__plan=c.objects["plan"]).first()
    return {
        "date": TODAY.isoformat(),
        "indicator": indicator.pk,
        "quantity": "1",
        "duration_minutes": "30",
        "description": "Rapat koordinasi",
    }


def _observation_url(c: Cast) -> str:
    return reverse("recruitment:observation_create", kwargs={"pk": recruitment_world(c)["selection"].pk})


def _observation_data(c: Cast) -> dict:
    return {
        "observed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "stage": "skd",
        "location": "Ruang CAT",
        "finding": "Peserta tertib",
        "severity": "info",
    }


def _skd_url(c: Cast) -> str:
    return reverse("recruitment:skd_import", kwargs={"pk": recruitment_world(c)["selection"].pk})


def _skd_file() -> tuple[str, bytes]:
    number = SKD_NUMBER[0]
    return "hasil-skd.csv", f"participant_number,twk,tiu,tkp\n{number},100,100,200\n".encode()


SKD_NUMBER: list[str] = []


def _material_url(c: Cast) -> str:
    return reverse("training:material_add", kwargs={"pk": _session(c).programme.pk})


UPLOADS = {
    "evidence": Upload(
        role="staff",
        url=lambda c: reverse("performance:home"),
        field="evidence",
        data=_log_data,
        stored=ActivityLog.objects.count,
        limit=lambda: MAX_EVIDENCE_BYTES,
        too_large=lambda: indonesian(
            "The evidence file is too large (at most %(mb)s MB).", mb=MAX_EVIDENCE_BYTES // MB
        ),
        wrong_type=indonesian("The evidence must be a photo (JPEG, PNG, WebP) or a PDF file."),
        good=lambda: ("bukti.png", png()),
        oversize=lambda n: ("bukti.png", padded(png(), n)),
        disguised=[
            ("bukti.jpg", lambda: HTML),
            ("bukti.pdf", a_zip),
            ("bukti.png", lambda: b"GIF87a" + HTML),
        ],
    ),
    "applicant_document": Upload(
        role="applicant",
        url=lambda c: reverse("recruitment:document_upload"),
        field="file",
        data=lambda c: {"kind": "ktp"},
        stored=Document.objects.count,
        limit=lambda: settings.UPLOAD_MAX_BYTES,
        too_large=lambda: indonesian(
            "The file is too large (at most %(mb)s MB).", mb=settings.UPLOAD_MAX_BYTES // MB
        ),
        wrong_type=indonesian("The file is not a PDF, JPEG or PNG document (its content was checked)."),
        good=lambda: ("ktp.pdf", PDF),
        oversize=lambda n: ("ktp.pdf", padded(b"%PDF-1.4\n", n, b"\n%%EOF\n")),
        disguised=[
            ("ktp.pdf", lambda: HTML),
            ("ktp.jpg", a_zip),
            ("ktp.png", lambda: b"<?php system($_GET[1]);"),
        ],
    ),
    "observer_attachment": Upload(
        role="observer",
        url=_observation_url,
        field="attachment",
        data=_observation_data,
        stored=Observation.objects.count,
        limit=lambda: settings.UPLOAD_MAX_BYTES,
        too_large=lambda: indonesian(
            "The file is too large (at most %(mb)s MB).", mb=settings.UPLOAD_MAX_BYTES // MB
        ),
        wrong_type=indonesian("The file is not a PDF, JPEG or PNG document (its content was checked)."),
        good=lambda: ("foto.png", png()),
        oversize=lambda n: ("foto.pdf", padded(b"%PDF-1.4\n", n, b"\n%%EOF\n")),
        disguised=[("foto.jpg", lambda: HTML), ("berita-acara.pdf", a_zip)],
    ),
    "employee_import": Upload(
        role="hr",
        url=lambda c: reverse("org:import_upload"),
        field="file",
        data=lambda c: {},
        stored=EmployeeImport.objects.count,
        limit=lambda: settings.IMPORT_MAX_BYTES,
        too_large=lambda: indonesian(
            "The file is larger than %(mb)s MB. Split it into smaller files.",
            mb=settings.IMPORT_MAX_BYTES // MB,
        ),
        wrong_type=indonesian("The file is not a real Excel (.xlsx) workbook."),
        good=lambda: ("pegawai.xlsx", template_xlsx()),
        oversize=lambda n: ("pegawai.csv", padded(b"nip,nama\n", n)),
        disguised=[("pegawai.xlsx", lambda: HTML), ("pegawai.xlsx", a_zip)],
    ),
    "skd_import": Upload(
        role="hr",
        url=_skd_url,
        field="file",
        data=lambda c: {},
        stored=SkdScore.objects.count,
        limit=lambda: settings.IMPORT_MAX_BYTES,
        too_large=lambda: indonesian("The file is too large."),
        wrong_type=None,  # read as the CSV it claims to be: every row refused, nothing imported
        good=_skd_file,
        oversize=lambda n: ("hasil-skd.csv", padded(b"participant_number,twk,tiu,tkp\n", n)),
        disguised=[("hasil-skd.xlsx", lambda: HTML), ("hasil-skd.xlsx", a_zip), ("hasil-skd.csv", png)],
    ),
    "training_material": Upload(
        role="hr",
        url=_material_url,
        field="m-file",
        data=lambda c: {"m-title": "Modul pelatihan", "m-url": ""},
        stored=Material.objects.count,
        limit=lambda: settings.UPLOAD_MAX_BYTES,
        too_large=lambda: indonesian(
            "The material file is too large (at most %(mb)s MB).", mb=settings.UPLOAD_MAX_BYTES // MB
        ),
        wrong_type=indonesian(
            "The material must be a PDF, JPEG, PNG, Word, Excel or PowerPoint file (its content was checked)."
        ),
        good=lambda: ("modul.pdf", PDF),
        oversize=lambda n: ("modul.pdf", padded(b"%PDF-1.4\n", n, b"\n%%EOF\n")),
        disguised=[("modul.pdf", lambda: HTML), ("modul.pptx", a_zip), ("modul.html", lambda: PDF)],
    ),
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def files_in(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def post(cast: Cast, spec: Upload, name: str, content: bytes):
    url = spec.url(cast)
    data = spec.data(cast) | {spec.field: SimpleUploadedFile(name, content)}
    return cast.client(spec.role).post(url, data)


def _prepare(cast: Cast, spec: Upload) -> None:
    spec.url(cast), spec.data(cast)  # the objects the page needs exist before counting
    if spec is UPLOADS["skd_import"]:
        SKD_NUMBER[:] = [recruitment_world(cast)["application"].participant_number]


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_a_file_over_the_limit_is_refused_in_indonesian(kind, cast, _media):
    spec = UPLOADS[kind]
    _prepare(cast, spec)
    before, files = spec.stored(), files_in(_media)
    name, content = spec.oversize(spec.limit() + 1)
    assert len(content) == spec.limit() + 1
    response = post(cast, spec, name, content)
    assert response.status_code in (200, 400), response.status_code
    assert escape(spec.too_large()) in response.content.decode()
    assert spec.stored() == before and files_in(_media) == files


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_a_file_whose_name_lies_about_its_content_is_refused(kind, cast, _media):
    spec = UPLOADS[kind]
    _prepare(cast, spec)
    before, files = spec.stored(), files_in(_media)
    for name, content in spec.disguised:
        response = post(cast, spec, name, content())
        assert response.status_code in (200, 400), (name, response.status_code)
        if spec.wrong_type is not None:
            assert escape(spec.wrong_type) in response.content.decode(), name
        assert spec.stored() == before and files_in(_media) == files, f"{name} was stored"


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_a_right_small_file_is_still_accepted(kind, cast, _media):
    spec = UPLOADS[kind]
    _prepare(cast, spec)
    before = spec.stored()
    name, content = spec.good()
    response = post(cast, spec, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert spec.stored() == before + 1


def test_a_file_exactly_at_the_limit_is_not_refused_for_its_size(cast, _media):
    spec = UPLOADS["applicant_document"]
    name, content = spec.oversize(spec.limit())
    response = post(cast, spec, name, content)
    assert response.status_code == 302
    assert Document.objects.count() == 1 and len(files_in(_media)) == 1
