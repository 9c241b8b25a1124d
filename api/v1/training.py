"""Training records and JP of the token's region."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from api import selectors
from api.models import Permission
from training import rules

from .base import PageQuery, paged, responses, token_with

router = Router(tags=["pelatihan"])


class YearQuery(PageQuery):
    year: int = Field(..., ge=2000, le=2100)


class TrainingOut(Schema):
    nip: str
    name: str
    programme: str
    session: str
    start_date: dt.date
    end_date: dt.date
    completed_on: dt.date
    jp: int
    certificate_code: str | None


class TrainingPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[TrainingOut]


def training_row(e) -> dict:
    return {
        "nip": e.employee.nip,
        "name": e.employee.name,
        "programme": e.session.programme.title,
        "session": e.session.name,
        "start_date": e.session.start_date,
        "end_date": e.session.end_date,
        "completed_on": e.completed_on,
        "jp": e.jp_granted,
        "certificate_code": e.certificate_code,
    }


@router.get(
    "/training/records/",
    response=responses(TrainingPage),
    url_name="training_records",
    summary="Pelatihan selesai",
)
def training_records(request: HttpRequest, params: Query[YearQuery]):
    token = token_with(request, Permission.TRAINING_READ)
    page = paged(selectors.completed_training(region_id=token.region_id, year=params.year), params)
    page["items"] = [training_row(e) for e in page["items"]]
    return page


class JpOut(Schema):
    nip: str
    name: str
    jp: int
    right: int
    missing: int


class JpPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[JpOut]


@router.get(
    "/training/jp/", response=responses(JpPage), url_name="training_jp", summary="JP per pegawai (hak 20 JP)"
)
def training_jp(request: HttpRequest, params: Query[YearQuery]):
    token = token_with(request, Permission.TRAINING_READ)
    page = paged(selectors.jp_per_employee(region_id=token.region_id, year=params.year), params)
    page["items"] = [
        {
            "nip": e.nip,
            "name": e.name,
            "jp": e.jp,
            "right": rules.JP_RIGHT_PER_YEAR,
            "missing": rules.jp_shortfall(e.jp),
        }
        for e in page["items"]
    ]
    return page
