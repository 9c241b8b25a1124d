"""Every token operation against the token matrix: right permission -> 2xx, missing permission -> 403,
another region's object -> 404, no/invalid/revoked token -> 401; session logins open nothing."""

import pytest
from django.urls import reverse

from api import services
from api.models import ApiToken, Permission
from performance.models import Period

from ..clock import TODAY
from .conftest import bearer

pytestmark = pytest.mark.django_db

YEAR = TODAY.year


def _period(cast):
    return Period.objects.create(
        region=cast.region_a,
        year=YEAR,
        kind="tw1",
        start=TODAY.replace(month=1, day=1),
        end=TODAY.replace(month=3, day=31),
    )


# (url name, kwargs, query, permission)
READS = [
    ("api:v1:units", None, {}, Permission.ORG_READ),
    ("api:v1:positions", None, {}, Permission.ORG_READ),
    ("api:v1:employees", None, {}, Permission.EMPLOYEES_READ),
    ("api:v1:employee", "staff", {}, Permission.EMPLOYEES_READ),
    ("api:v1:skp_periods", None, {}, Permission.SKP_READ),
    ("api:v1:skp_results", None, {"year": YEAR, "period": "tw1"}, Permission.SKP_READ),
    ("api:v1:training_records", None, {"year": YEAR}, Permission.TRAINING_READ),
    ("api:v1:training_jp", None, {"year": YEAR}, Permission.TRAINING_READ),
    ("api:v1:export_skp", None, {"year": YEAR, "period": "tw1"}, Permission.EXPORTS_READ),
    ("api:v1:export_training", None, {"year": YEAR}, Permission.EXPORTS_READ),
]


def _url(cast, name, kwargs):
    if kwargs == "staff":
        return reverse(name, kwargs={"nip": cast.objects["staff_employee"].nip})
    return reverse(name)


@pytest.mark.parametrize(("name", "kwargs", "query", "permission"), READS)
def test_read_needs_its_permission(cast, issue, client, name, kwargs, query, permission):
    _period(cast)
    url = _url(cast, name, kwargs)
    allowed = issue(permission)
    others = [p for p in Permission.values if p != permission]
    denied = issue(*others)
    ok = client.get(url, query, **bearer(allowed))
    assert ok.status_code == 200, ok.content
    refused = client.get(url, query, **bearer(denied))
    assert refused.status_code == 403
    assert permission in refused.json()["detail"]
    assert client.get(url, query).status_code == 401
    # A logged-in officer's session is no token.
    client.force_login(cast.users["hr"])
    assert client.get(url, query).status_code == 401


def test_objects_of_another_region_are_not_found(cast, issue, client):
    _period(cast)
    other = issue(region=cast.region_b)
    staff_nip = cast.objects["staff_employee"].nip
    assert (
        client.get(reverse("api:v1:employee", kwargs={"nip": staff_nip}), **bearer(other)).status_code == 404
    )
    url = reverse("api:v1:skp_results")
    assert client.get(url, {"year": YEAR, "period": "tw1"}, **bearer(other)).status_code == 404
    url = reverse("api:v1:export_skp")
    assert client.get(url, {"year": YEAR, "period": "tw1"}, **bearer(other)).status_code == 404
    listed = client.get(reverse("api:v1:employees"), **bearer(other)).json()
    assert [e["nip"] for e in listed["items"]] == [cast.objects["other_region_employee"].nip]


@pytest.mark.parametrize(
    ("name", "permission"),
    [("api:v1:logs", Permission.LOGS_WRITE), ("api:v1:employees_upsert", Permission.EMPLOYEES_WRITE)],
)
def test_writes_need_their_permission(cast, issue, client, name, permission):
    others = [p for p in Permission.values if p not in (permission,)]
    denied = issue(*[p for p in others if p != Permission.LOGS_WRITE])
    body = (
        {
            "indicator_id": 1,
            "date": TODAY.isoformat(),
            "quantity": "1",
            "duration_minutes": 30,
            "description": "x",
        }
        if name == "api:v1:logs"
        else {
            "employees": [
                {
                    "nip": "1" * 18,
                    "nama": "A",
                    "jenis_pegawai": "PNS",
                    "golongan": "III/a",
                    "jabatan": "Analis",
                    "jenis_jabatan": "Pelaksana",
                    "unit_kerja": "BKD",
                }
            ]
        }
    )
    headers = {"HTTP_IDEMPOTENCY_KEY": "kunci-uji-1"}
    response = client.post(reverse(name), body, content_type="application/json", **headers, **bearer(denied))
    assert response.status_code == 403
    assert client.post(reverse(name), body, content_type="application/json", **headers).status_code == 401


def test_invalid_and_revoked_tokens_are_refused(cast, issue, client):
    plain = issue(Permission.ORG_READ)
    url = reverse("api:v1:units")
    assert client.get(url, **bearer(plain)).status_code == 200
    assert client.get(url, **bearer(plain[:-1] + ("A" if plain[-1] != "A" else "B"))).status_code == 401
    assert client.get(url, **bearer("asn_00000000_" + "x" * 43)).status_code == 401
    assert client.get(url, **bearer("nonsense\x00")).status_code == 401
    services.token_revoke(token=ApiToken.objects.get(prefix=plain.split("_")[1]))
    response = client.get(url, **bearer(plain))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Diperlukan token API")
    assert response["WWW-Authenticate"] == "Bearer"


def test_token_secret_is_kept_hashed(cast, issue):
    plain = issue(Permission.ORG_READ)
    token = ApiToken.objects.get()
    secret = plain.split("_", 2)[2]
    assert secret not in (token.secret_hash, token.prefix)
    assert token.secret_hash == services.secret_hash(secret)
