"""/api/v1/: django-ninja over the apps' selectors and services; schema at /api/v1/schema/, docs at
/api/v1/docs/ (Swagger UI from ninja's own static files, no CDN). Error bodies speak Indonesian first."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from . import employees, exports, open_data, org, performance, training
from .base import RateLimited, TokenAuth, not_found


class VersionedApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        csv_content = {"text/csv": {"schema": {"type": "string"}}}
        for methods in schema["paths"].values():
            for operation in methods.values():
                if operation.get("operationId", "").endswith(tuple(open_data.CSV_TOO)):
                    ok = operation["responses"].get(200) or operation["responses"]["200"]
                    ok.setdefault("content", {}).update(csv_content)
        return schema


api = VersionedApi(
    title="ASN Portal API",
    version="1",
    description=(
        "API integrasi ASN Portal. Operasi bertoken memakai header `Authorization: Bearer asn_…`; "
        "token dibuat petugas BKPSDM untuk satu daerah dan izin tertentu. Data terbuka tanpa token."
    ),
    auth=TokenAuth(),
    urls_namespace="api:v1",
    openapi_url="/schema/",
    docs_url="/docs/",
    docs=Swagger(settings={"persistAuthorization": False}),
)
for module in (org, employees, performance, training, exports, open_data):
    api.add_router("", module.router)


def _body(message: str, errors: list | None = None) -> dict:
    return {"detail": message, "errors": errors or []}


# Pydantic's error types, as an API client reads them in Indonesian.
def _problem(kind: str) -> str:
    messages = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "greater_than": _("The value is below the allowed range."),
        "greater_than_equal": _("The value is below the allowed range."),
        "less_than_equal": _("The value is above the allowed range."),
        "string_too_long": _("The value is too long."),
        "string_too_short": _("The value is too short."),
        "string_pattern_mismatch": _("The value does not have the expected format."),
        "too_long": _("The list has too many items."),
        "too_short": _("The list has too few items."),
        "literal_error": _("Choose one of the allowed values."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_type": _("Enter a date as YYYY-MM-DD."),
        "decimal_parsing": _("Enter a number."),
        "decimal_max_digits": _("The number has too many digits."),
        "decimal_max_places": _("The number has too many decimal places."),
        "json_invalid": _("The request body is not valid JSON."),
    }
    return messages.get(kind, _("The value is not valid."))


@api.exception_handler(RequestValidationError)
def _invalid_request(request: HttpRequest, exc: RequestValidationError):
    errors = [
        {"field": ".".join(str(p) for p in error.get("loc", ())), "message": _problem(error.get("type", ""))}
        for error in exc.errors
    ]
    return api.create_response(request, _body(_("The request is not valid."), errors), status=422)


@api.exception_handler(DjangoValidationError)
def _invalid_data(request: HttpRequest, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        errors = [{"field": "", "message": m} for m in exc.messages]
    return api.create_response(request, _body(_("The data is not valid."), errors), status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
    response = api.create_response(
        request, _body(_("A valid API token is required (Authorization: Bearer …).")), status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    needed = str(exc) or "?"
    return api.create_response(
        request,
        _body(_("The token lacks the permission %(permission)s.") % {"permission": needed}),
        status=403,
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, _body(not_found()), status=404)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited):
    response = api.create_response(
        request,
        _body(_("Too many requests for this token; try again in %(s)s seconds.") % {"s": exc.retry_after}),
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    messages = {405: _("Method not allowed."), 400: _("The request is not valid.")}
    return api.create_response(
        request, _body(messages.get(exc.status_code, _("The request is not valid."))), status=exc.status_code
    )
