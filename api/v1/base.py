"""What every operation of /api/v1/ shares: the token check, permissions, paging, error bodies, CSV."""

import csv
import hmac
import io
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.security import HttpBearer

from api import selectors, services
from api.models import ApiToken
from api.throttle import rate_take
from asnportal.accounts.access import audit_record
from asnportal.exports import csv_row

MAX_ID = 2**31 - 1  # ids and page numbers above PostgreSQL's integer range are refused, not sent
TOKEN_RE = re.compile(r"asn_([0-9a-f]{8})_([A-Za-z0-9_-]{20,64})")


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


class TokenAuth(HttpBearer):
    """`Authorization: Bearer asn_<prefix>_<secret>`: a live token of a region. Each accepted call is
    counted against the token's rate and written to the audit log (token, method, path, address)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        match = TOKEN_RE.fullmatch(token or "")
        if match is None:
            return None
        found = selectors.token_by_prefix(prefix=match[1])
        if found is None or found.revoked_at is not None:
            return None
        if not hmac.compare_digest(services.secret_hash(match[2]), found.secret_hash):
            return None
        wait = rate_take(token_id=found.pk)
        if wait is not None:
            raise RateLimited(wait)
        services.token_touch(token=found)
        audit_record(
            request=request,
            action="api_call",
            obj=found,
            region_id=found.region_id,
            detail={"method": request.method, "path": request.path[:300]},
        )
        request.api_token = found
        return found


def token_with(request: HttpRequest, permission: str) -> ApiToken:
    """The call's token when it holds the permission; 403 otherwise."""
    token: ApiToken = request.auth
    if not token.allows(permission):
        raise PermissionDenied(permission)
    return token


class ErrorDetail(Schema):
    field: str = ""
    index: int | None = None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorDetail] = []


ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def responses(ok: Any, status: int = 200, **extra: Any) -> dict[int, Any]:
    out = {status: ok, **ERRORS}
    out.update({int(k.removeprefix("s")): v for k, v in extra.items()})
    return out


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


def paged(queryset, params: PageQuery) -> dict:
    """One COUNT and one page of rows, whatever the size of the data."""
    offset = (params.page - 1) * params.page_size
    return {
        "count": queryset.count(),
        "page": params.page,
        "page_size": params.page_size,
        "items": list(queryset[offset : offset + params.page_size]),
    }


def detail(message: str, status: int, errors: list | None = None) -> Status:
    return Status(status, {"detail": message, "errors": errors or []})


def not_found() -> str:
    return _("Not found (or outside the token's region).")


def csv_response(header: list[str], rows, *, bom: bool = False) -> HttpResponse:
    """One CSV writer for the API's files: formula-like text stays text (asnportal.exports.csv_row)."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(csv_row(row) for row in rows)
    return HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
