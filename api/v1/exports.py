"""SIASN-shaped files, ready to upload: the final SKP of a period and completed training with JP.

CSV with the SIASN column headers (one row per employee record), UTF-8 with a BOM so that a
spreadsheet opens it with the right characters."""

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, Router, Schema
from ninja.params import Query

from api import selectors
from api.models import Permission
from performance.selectors import period_appraisals

from .base import ERRORS, csv_response, token_with
from .performance import PeriodKind, period_of

router = Router(tags=["ekspor SIASN"])

SKP_COLUMNS = [
    "NIP",
    "NAMA",
    "TAHUN",
    "PERIODE",
    "CAPAIAN",
    "HASIL KERJA",
    "PERILAKU KERJA",
    "PREDIKAT KINERJA",
]
TRAINING_COLUMNS = [
    "NIP",
    "NAMA",
    "NAMA PELATIHAN",
    "ANGKATAN",
    "TANGGAL MULAI",
    "TANGGAL SELESAI",
    "JUMLAH JP",
    "NOMOR SERTIFIKAT",
]
CSV_DOC = {"200": {"description": "CSV (UTF-8)", "content": {"text/csv": {"schema": {"type": "string"}}}}}


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    """A SIASN file: UTF-8 with a BOM (a spreadsheet opens it with the right characters), as a download."""
    response = csv_response(header, rows, bom=True)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class SkpExportQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)
    period: PeriodKind


@router.get(
    "/exports/siasn/skp/",
    response=ERRORS,
    url_name="export_skp",
    summary="SKP akhir periode (CSV format SIASN)",
    openapi_extra={"responses": CSV_DOC},
)
def export_skp(request: HttpRequest, params: Query[SkpExportQuery]):
    token = token_with(request, Permission.EXPORTS_READ)
    period = period_of(token.region_id, params.year, params.period)
    with translation.override("id"):  # SIASN takes the official Indonesian labels
        rows = [
            (
                a.employee.nip,
                a.employee.name,
                period.year,
                period.get_kind_display(),
                a.achievement,
                a.get_work_rating_display(),
                a.get_behaviour_rating_display(),
                a.get_predikat_display(),
            )
            for a in period_appraisals(period=period).iterator(chunk_size=2000)
        ]
    return _csv(f"siasn-skp-{period.year}-{period.kind}.csv", SKP_COLUMNS, rows)


class TrainingExportQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)


@router.get(
    "/exports/siasn/training/",
    response=ERRORS,
    url_name="export_training",
    summary="Pelatihan selesai dengan JP (CSV format SIASN)",
    openapi_extra={"responses": CSV_DOC},
)
def export_training(request: HttpRequest, params: Query[TrainingExportQuery]):
    token = token_with(request, Permission.EXPORTS_READ)
    rows = (
        (
            e.employee.nip,
            e.employee.name,
            e.session.programme.title,
            e.session.name,
            e.session.start_date.isoformat(),
            e.session.end_date.isoformat(),
            e.jp_granted,
            e.certificate_code or "",
        )
        for e in selectors.completed_training(region_id=token.region_id, year=params.year).iterator(
            chunk_size=2000
        )
    )
    return _csv(f"siasn-pelatihan-{params.year}.csv", TRAINING_COLUMNS, rows)
