"""Units and positions of the token's region."""

from django.http import HttpRequest
from ninja import Query, Router, Schema

from api import selectors
from api.models import Permission

from .base import PageQuery, paged, responses, token_with

router = Router(tags=["organisasi"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    is_active: bool


class UnitPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[UnitOut]


class PositionOut(Schema):
    id: int
    name: str
    kind: str
    level: str


class PositionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PositionOut]


@router.get("/units/", response=responses(UnitPage), url_name="units", summary="Unit kerja daerah token")
def units(request: HttpRequest, params: Query[PageQuery]):
    token = token_with(request, Permission.ORG_READ)
    return paged(selectors.units_of_region(region_id=token.region_id), params)


@router.get("/positions/", response=responses(PositionPage), url_name="positions", summary="Jabatan")
def positions(request: HttpRequest, params: Query[PageQuery]):
    token = token_with(request, Permission.ORG_READ)
    return paged(selectors.positions_of_region(region_id=token.region_id), params)
