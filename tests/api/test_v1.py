"""Behaviour of /api/v1/: personal data and its audit, daily logs under an idempotency key, SIASN upserts
through the file import's checks, exports, open data, the rate limit, paging at two data sizes."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from api.models import IdempotentLog, Permission
from asnportal.accounts.models import AuditEvent
from asnportal.org.models import Employee, EmployeeImport
from performance.models import ActivityLog

from ..clock import TODAY, days
from ..feedback.factories import ServiceUnitFactory, add_responses
from ..org.factories import EmployeeFactory
from ..performance.factories import agreed_plan
from ..recruitment.factories import make_application, make_selection
from ..training.factories import completed
from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3_and_docs_page_is_served_without_cdn(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/logs/" in schema["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


def test_personal_data_only_with_its_permission_and_then_audited(cast, issue, client):
    staff = cast.objects["staff_employee"]
    Employee.objects.filter(pk=staff.pk).update(nik="1771010101900001", phone="0811", address="Jl. Uji")
    url = reverse("api:v1:employee", kwargs={"nip": staff.nip})
    plain = client.get(url, **bearer(issue(Permission.EMPLOYEES_READ))).json()
    assert plain["personal"] is None
    assert "1771010101900001" not in json.dumps(plain)
    assert not AuditEvent.objects.filter(action__in=["read_personal", "api_read_personal"]).exists()
    full = issue(Permission.EMPLOYEES_READ, Permission.PERSONAL_READ)
    body = client.get(url, **bearer(full)).json()
    assert body["personal"]["nik"] == "1771010101900001"
    assert AuditEvent.objects.filter(action="read_personal", object_id=str(staff.pk)).count() == 1
    listing = client.get(reverse("api:v1:employees"), **bearer(full)).json()
    assert {e["nip"] for e in listing["items"]} == set(
        Employee.objects.filter(region=cast.region_a).values_list("nip", flat=True)
    )
    event = AuditEvent.objects.get(action="api_read_personal")
    assert staff.pk in event.detail["employee_ids"]
    # Every accepted call is in the audit log too.
    assert AuditEvent.objects.filter(action="api_call").count() == 3


def test_daily_log_is_written_once_per_idempotency_key(cast, issue, client):
    staff = cast.objects["staff_employee"]
    _plan, indicators = agreed_plan(staff, TODAY.year)
    token = issue(Permission.LOGS_WRITE, acts_for=staff)
    body = {
        "indicator_id": indicators[0].pk,
        "date": TODAY.isoformat(),
        "quantity": "3",
        "duration_minutes": 90,
        "description": "Verifikasi berkas kenaikan pangkat",
    }
    send = lambda key: client.post(  # noqa: E731
        reverse("api:v1:logs"),
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(token),
    )
    first = send("mobile-0001")
    assert first.status_code == 201, first.content
    again = send("mobile-0001")
    assert again.status_code == 200
    assert again.json() == {"id": first.json()["id"], "created": False}
    assert ActivityLog.objects.filter(employee=staff).count() == 1
    assert IdempotentLog.objects.get().log_id == first.json()["id"]
    assert send("mobile-0002").status_code == 201
    assert ActivityLog.objects.filter(employee=staff).count() == 2
    # performance's own rules answer, in Indonesian, through the API.
    future = client.post(
        reverse("api:v1:logs"),
        body | {"date": days(400).isoformat()},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="mobile-0003",
        **bearer(token),
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "date"


def _record(**overrides) -> dict:
    return {
        "nip": "198507162010011003",
        "nama": "Andi Pratama",
        "jenis_pegawai": "PNS",
        "golongan": "III/b",
        "jabatan": "Analis SDM Aparatur",
        "jenis_jabatan": "Fungsional Keahlian",
        "jenjang": "Ahli Pertama",
        "unit_kerja": "BKD",
        "atasan_nip": "",
        "lokasi_terpencil": "N",
        "email": "andi@example.go.id",
        "telepon": "081234567890",
    } | overrides


def test_upsert_goes_through_the_import_checks_all_or_nothing(cast, issue, client):
    token = issue(Permission.EMPLOYEES_WRITE)
    url = reverse("api:v1:employees_upsert")
    bad = client.post(
        url,
        {"employees": [_record(), _record(nip="198507162010011004", golongan="IX/z")]},
        content_type="application/json",
        **bearer(token),
    )
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert errors[0]["index"] == 1
    assert errors[0]["field"] == "golongan"
    assert "IX/z" in errors[0]["message"]
    assert not Employee.objects.filter(nip="198507162010011003").exists()
    # A NIP of another region is refused with the import's neutral words.
    other = cast.objects["other_region_employee"]
    taken = client.post(
        url, {"employees": [_record(nip=other.nip)]}, content_type="application/json", **bearer(token)
    )
    assert taken.status_code == 422
    assert "tidak dapat" in taken.json()["errors"][0]["message"].lower()
    good = client.post(url, {"employees": [_record()]}, content_type="application/json", **bearer(token))
    assert good.status_code == 200, good.content
    assert good.json()["created"] == 1
    assert Employee.objects.get(nip="198507162010011003").region == cast.region_a
    assert EmployeeImport.objects.get(pk=good.json()["import_id"]).status == EmployeeImport.Status.DONE
    again = client.post(url, {"employees": [_record()]}, content_type="application/json", **bearer(token))
    assert (again.json()["created"], again.json()["updated"]) == (0, 0)


def test_training_export_is_siasn_shaped(cast, issue, client):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    day = TODAY.replace(month=1, day=15) if TODAY.month > 1 else TODAY
    completed(staff, jp=24, on=day)
    response = client.get(reverse("api:v1:export_training"), {"year": TODAY.year}, **bearer(issue()))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["NIP", "NAMA", "NAMA PELATIHAN"]
    assert rows[1][0] == staff.nip
    assert rows[1][6] == "24"
    completed(boss, jp=8, on=day)
    jp = client.get(reverse("api:v1:training_jp"), {"year": TODAY.year}, **bearer(issue())).json()
    mine = next(r for r in jp["items"] if r["nip"] == staff.nip)
    assert (mine["jp"], mine["right"], mine["missing"]) == (24, 20, 0)
    short = next(r for r in jp["items"] if r["nip"] == boss.nip)
    assert (short["jp"], short["right"], short["missing"]) == (8, 20, 12)


def test_siasn_csv_keeps_formula_like_text_as_text(cast, issue, client):
    staff = cast.objects["staff_employee"]
    staff.name = '=HYPERLINK("http://evil.example","klik")'
    staff.save(update_fields=["name"])
    completed(staff, jp=8, on=TODAY.replace(month=1, day=15) if TODAY.month > 1 else TODAY)
    response = client.get(reverse("api:v1:export_training"), {"year": TODAY.year}, **bearer(issue()))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    name = next(r[1] for r in rows[1:] if r[0] == staff.nip)
    assert not name.startswith(("=", "+", "-", "@")) and "HYPERLINK" in name


def test_open_ikm_as_json_and_csv_cached_without_token(cast, client, django_assert_max_num_queries):
    su = ServiceUnitFactory(region=cast.region_a, unit=cast.unit_a, name="Loket Layanan BKD")
    add_responses(su, [4, 3, 4])
    url = reverse("api:v1:open_ikm")
    body = client.get(url, {"region": "bengkulu"}).json()
    row = next(r for r in body["rows"] if r["service_unit"] == "Loket Layanan BKD")
    assert row["respondents"] == 3
    assert row["category"] == "A"
    with django_assert_max_num_queries(1):  # the region lookup; the rows come from the cache
        again = client.get(url, {"region": "bengkulu", "format": "csv"})
    assert again["Cache-Control"].startswith("public")
    assert "Loket Layanan BKD" in again.content.decode()
    assert client.get(url, {"region": "tidak-ada"}).status_code == 404


def test_open_ranking_shows_number_and_name_only(cast, client):
    selection = make_selection(region=cast.region_a, is_published=True)
    formation = selection.formations.get()
    app = make_application(formation, name="Rina Peserta", skd=(100, 120, 180))
    url = reverse("api:v1:open_ranking", kwargs={"selection_id": selection.pk, "formation_id": formation.pk})
    body = client.get(url).json()
    assert body["items"] == [
        {"rank": 1, "participant_number": app.participant_number, "name": "Rina Peserta"}
    ]
    text = client.get(url, {"format": "csv"}).content.decode()
    assert app.nik not in text
    assert app.participant_number in text
    # An unknown selection or formation, or one of another selection, is 404.
    for kwargs in (
        {"selection_id": 2_000_000_000, "formation_id": formation.pk},
        {"selection_id": selection.pk, "formation_id": 2_000_000_000},
    ):
        assert client.get(reverse("api:v1:open_ranking", kwargs=kwargs)).status_code == 404


def test_rate_limit_per_token(cast, issue, client, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    token = issue(Permission.ORG_READ)
    url = reverse("api:v1:units")
    assert [client.get(url, **bearer(token)).status_code for _ in range(2)] == [200, 200]
    limited = client.get(url, **bearer(token))
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert "Terlalu banyak" in limited.json()["detail"]
    assert client.get(url, **bearer(issue(Permission.ORG_READ))).status_code == 200  # per token


# Paging: auth (1) + last-use touch (1, at most once a minute) + audit (1) + COUNT (1) + page (1)
# (+ the personal-read audit): the same at 2 and at 59 employees of the region, at page sizes 5 and 50.
@pytest.mark.parametrize("extra", [0, 57])
@pytest.mark.parametrize("page_size", [5, 50])
def test_paging_is_constant_in_queries(cast, issue, client, django_assert_max_num_queries, extra, page_size):
    for _ in range(extra):
        EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"])
    token = issue(Permission.EMPLOYEES_READ, Permission.PERSONAL_READ, Permission.TRAINING_READ)
    client.get(reverse("api:v1:units"), **bearer(token))  # warm: last_used_at set
    with django_assert_max_num_queries(5):
        body = client.get(reverse("api:v1:employees"), {"page_size": page_size}, **bearer(token)).json()
    assert len(body["items"]) == min(page_size, 2 + extra)
    with django_assert_max_num_queries(4):
        jp = client.get(
            reverse("api:v1:training_jp"), {"year": TODAY.year, "page_size": page_size}, **bearer(token)
        )
    assert jp.json()["count"] == 2 + extra
