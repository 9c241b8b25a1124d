"""SKP results per period and daily logs written for the token's user."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from api import selectors, services
from api.models import Permission
from asnportal.accounts.access import employee_of
from performance.models import Period
from performance.selectors import period_appraisals

from .base import MAX_ID, PageQuery, detail, not_found, paged, responses, token_with

router = Router(tags=["kinerja"])

PeriodKind = Literal["tw1", "tw2", "tw3", "tw4"]


class PeriodOut(Schema):
    id: int
    year: int
    kind: str
    start: dt.date
    end: dt.date
    status: str


@router.get(
    "/skp/periods/", response=responses(list[PeriodOut]), url_name="skp_periods", summary="Periode SKP"
)
def skp_periods(request: HttpRequest):
    token = token_with(request, Permission.SKP_READ)
    return selectors.periods_of_region(region_id=token.region_id)


class SkpQuery(PageQuery):
    year: int = Field(..., ge=2000, le=2100)
    period: PeriodKind


class SkpOut(Schema):
    nip: str
    name: str
    unit_name: str
    position_name: str
    achievement: Decimal
    work_rating: str
    behaviour_rating: str
    predikat: str
    version: int


class SkpPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[SkpOut]


def period_of(region_id: int, year: int, kind: str) -> Period:
    period = selectors.period_find(region_id=region_id, year=year, kind=kind)
    if period is None:
        raise Http404(not_found())
    return period


def skp_row(a) -> dict:
    return {
        "nip": a.employee.nip,
        "name": a.employee.name,
        "unit_name": a.unit.name,
        "position_name": a.employee.position.name,
        "achievement": a.achievement,
        "work_rating": a.work_rating,
        "behaviour_rating": a.behaviour_rating,
        "predikat": a.predikat,
        "version": a.version,
    }


@router.get(
    "/skp/results/", response=responses(SkpPage), url_name="skp_results", summary="Hasil SKP dan predikat"
)
def skp_results(request: HttpRequest, params: Query[SkpQuery]):
    token = token_with(request, Permission.SKP_READ)
    period = period_of(token.region_id, params.year, params.period)
    page = paged(period_appraisals(period=period), params)
    page["items"] = [skp_row(a) for a in page["items"]]
    return page


class LogIn(Schema):
    indicator_id: int = Field(..., ge=1, le=MAX_ID)
    date: dt.date
    quantity: Decimal = Field(..., gt=0, max_digits=10, decimal_places=2)
    duration_minutes: int = Field(..., ge=1, le=1440)
    description: str = Field(..., min_length=1, max_length=500, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")


class LogOut(Schema):
    id: int
    created: bool


@router.post(
    "/logs/",
    response=responses(LogOut, status=201, s200=LogOut),
    url_name="logs",
    summary="Laporan kegiatan harian pengguna token (dengan Idempotency-Key)",
)
def logs(
    request: HttpRequest,
    payload: LogIn,
    idempotency_key: str = Header(  # noqa: B008
        ..., alias="Idempotency-Key", min_length=8, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$"
    ),
):
    token = token_with(request, Permission.LOGS_WRITE)
    employee = employee_of(token.user) if token.user_id else None
    if employee is None or employee.region_id != token.region_id:
        return detail(_("The token's user has no active employee record in its region."), 403)
    log_id, created = services.log_create_once(
        user=token.user,
        key=idempotency_key,
        employee=employee,
        indicator_id=payload.indicator_id,
        date=payload.date,
        quantity=payload.quantity,
        duration_minutes=payload.duration_minutes,
        description=payload.description,
    )
    return Status(201 if created else 200, {"id": log_id, "created": created})
