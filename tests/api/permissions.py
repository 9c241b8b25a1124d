"""The HTML pages of the API app and every /api/v1/ route, for the project's permission matrix.

Session roles get nothing from the token API (401 whoever is logged in: only a token opens it); the
schema, the docs page and open data are public. The per-token matrix is tests/api/test_matrix.py."""

from api import services
from api.models import ApiToken

from ..permission_cases import LOGIN, PUBLIC, Case, expect, only

TOKEN_ONLY = expect(401)


def _token(cast) -> dict:
    token = ApiToken.objects.filter(region=cast.region_a).first()
    if token is None:
        token = services.token_create(
            region=cast.region_a, name="matriks", permissions=["org:read"], created_by=cast.users["hr"]
        ).token
    return {"pk": token.pk}


CASES = {
    # Each officer sees the tokens of their own region.
    "api:tokens": Case(only("hr", "hr_other")),
    # ninja's root of /api/v1/ only anchors the paths: 404, pointing to the docs.
    "api:v1:api-root": Case(expect(404)),
    # POST revokes: the officer of the region is sent back to the list, the other region's gets 404.
    "api:token_revoke": Case(
        expect(403, anonymous=LOGIN, hr=302, hr_other=404), kwargs=_token, method="post"
    ),
    "api:v1:openapi-json": Case(PUBLIC),
    "api:v1:openapi-view": Case(PUBLIC),
    "api:v1:units": Case(TOKEN_ONLY),
    "api:v1:positions": Case(TOKEN_ONLY),
    "api:v1:employees": Case(TOKEN_ONLY),
    "api:v1:employee": Case(TOKEN_ONLY, kwargs=lambda c: {"nip": c.objects["staff_employee"].nip}),
    "api:v1:employees_upsert": Case(TOKEN_ONLY, method="post"),
    "api:v1:skp_periods": Case(TOKEN_ONLY),
    "api:v1:skp_results": Case(TOKEN_ONLY),
    "api:v1:logs": Case(TOKEN_ONLY, method="post"),
    "api:v1:training_records": Case(TOKEN_ONLY),
    "api:v1:training_jp": Case(TOKEN_ONLY),
    "api:v1:export_skp": Case(TOKEN_ONLY),
    "api:v1:export_training": Case(TOKEN_ONLY),
    "api:v1:open_ikm": Case(PUBLIC, data=lambda c: {"region": c.region_a.code}),
    # No selection of the cast is published: 404 for everyone (the 200 is in test_open_data.py).
    "api:v1:open_ranking": Case(expect(404), kwargs=lambda c: {"selection_id": 1, "formation_id": 1}),
}
