"""Open data, no token: IKM per service unit and quarter, published rankings; JSON or CSV, cached.

Nothing personal: the ranking carries the participant number and name only (DESIGN.md §3)."""

from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from ninja import Field, Path, Query, Router, Schema

from api import selectors
from asnportal.org.models import Region
from feedback.selectors import Quarter, region_results_cached, region_results_generation
from recruitment.models import Formation, Selection
from recruitment.selectors import formations_of, ranking_rows, selection_public_detail

from .base import MAX_ID, ErrorOut, PageQuery, csv_response, not_found

router = Router(tags=["data terbuka"])

Format = Literal["json", "csv"]
# Operations that answer CSV too (format=csv): the schema lists text/csv beside JSON (api.v1.VersionedApi).
CSV_TOO = {"open_ikm", "open_ranking"}


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={settings.API_OPEN_CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


class IkmQuery(Schema):
    region: str = Field(..., max_length=40, pattern=r"^[a-z0-9-]+$", description="Kode daerah, mis. bengkulu")
    quarter: str | None = Field(
        None, pattern=r"^[0-9]{4}-Q[1-4]$", description="Triwulan YYYY-Qn; bawaan: triwulan berjalan"
    )
    format: Format = "json"


class IkmRow(Schema):
    service_unit_id: int
    service_unit: str
    unit: str
    respondents: int
    ikm: Decimal | None
    category: str | None
    category_label: str | None


class IkmOut(Schema):
    region: str
    quarter: str
    rows: list[IkmRow]


def _ikm_rows(region: Region, quarter: Quarter) -> list[dict]:
    """Serialised once per region, quarter and moderation generation (feedback's own cache key)."""
    generation = region_results_generation(region_id=region.pk)

    def build() -> list[dict]:
        rows = []
        for row in region_results_cached(region=region, quarter=quarter)["rows"]:
            result = row["current"]
            rows.append(
                {
                    "service_unit_id": row["service_unit"].pk,
                    "service_unit": row["service_unit"].name,
                    "unit": row["service_unit"].unit.name,
                    "respondents": result.respondents if result else 0,
                    "ikm": result.ikm if result else None,
                    "category": result.category if result else None,
                    "category_label": str(result.category_label) if result else None,
                }
            )
        return rows

    key = f"api:open:ikm:{region.pk}:{generation}:{quarter.key}:{translation.get_language()}"
    return cache.get_or_set(key, build, timeout=settings.API_OPEN_CACHE_SECONDS)


@router.get(
    "/open/ikm/",
    auth=None,
    response={200: IkmOut, 404: ErrorOut, 422: ErrorOut},
    url_name="open_ikm",
    summary="IKM per unit layanan dan triwulan (data terbuka)",
)
def open_ikm(request: HttpRequest, params: Query[IkmQuery], response: HttpResponse):
    region = selectors.region_by_code(code=params.region)
    if region is None:
        raise Http404(not_found())
    today = timezone.now().astimezone(region.tzinfo).date()
    quarter = Quarter.parse(params.quarter, Quarter.of(today))
    rows = _ikm_rows(region, quarter)
    if params.format == "csv":
        header = ["ID UNIT LAYANAN", "UNIT LAYANAN", "PERANGKAT DAERAH", "RESPONDEN", "IKM", "MUTU"]
        table = [
            [
                r["service_unit_id"],
                r["service_unit"],
                r["unit"],
                r["respondents"],
                r["ikm"] or "",
                r["category"] or "",
            ]
            for r in rows
        ]
        file = csv_response(header, table)
        file["Content-Disposition"] = f'attachment; filename="ikm-{region.code}-{quarter.key}.csv"'
        return _public(file)
    _public(response)
    return {"region": region.code, "quarter": quarter.key, "rows": rows}


class RankingQuery(PageQuery):
    format: Format = "json"


class RankOut(Schema):
    rank: int
    participant_number: str
    name: str


class RankingOut(Schema):
    selection_id: int
    formation_id: int
    count: int
    page: int
    page_size: int
    items: list[RankOut]


def _ranking(selection_id: int, formation_id: int, page: int, size: int) -> dict:
    def build() -> dict:
        try:
            selection = selection_public_detail(pk=selection_id)
        except Selection.DoesNotExist:
            return {}
        try:
            formations_of(selection=selection).get(pk=formation_id)
        except Formation.DoesNotExist:
            return {}
        rows, total = ranking_rows(
            selection_id=selection.pk, formation_id=formation_id, limit=size, offset=(page - 1) * size
        )
        items = [
            {"rank": r.position, "participant_number": r.participant_number, "name": r.full_name}
            for r in rows
        ]
        return {
            "selection_id": selection.pk,
            "formation_id": formation_id,
            "count": total,
            "page": page,
            "page_size": size,
            "items": items,
        }

    key = f"api:open:ranking:{selection_id}:{formation_id}:{page}:{size}"
    return cache.get_or_set(key, build, timeout=settings.API_OPEN_CACHE_SECONDS)


@router.get(
    "/open/rankings/{selection_id}/{formation_id}/",
    auth=None,
    response={200: RankingOut, 404: ErrorOut, 422: ErrorOut},
    url_name="open_ranking",
    summary="Peringkat seleksi yang diumumkan (nomor peserta dan nama)",
)
def open_ranking(
    request: HttpRequest,
    params: Query[RankingQuery],
    response: HttpResponse,
    selection_id: int = Path(..., ge=1, le=MAX_ID),  # noqa: B008
    formation_id: int = Path(..., ge=1, le=MAX_ID),  # noqa: B008
):
    data = _ranking(selection_id, formation_id, params.page, params.page_size)
    if not data:
        raise Http404(not_found())
    if params.format == "csv":
        file = csv_response(
            ["PERINGKAT", "NOMOR PESERTA", "NAMA"],
            [[r["rank"], r["participant_number"], r["name"]] for r in data["items"]],
        )
        name = f"peringkat-{selection_id}-{formation_id}.csv"
        file["Content-Disposition"] = f'attachment; filename="{name}"'
        return _public(file)
    _public(response)
    return data
