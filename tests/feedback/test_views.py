"""Pages end to end: survey -> IKM -> public page, guards through the web, HR set-up, exports."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from feedback.models import CitizenInput, ExtraQuestion, SurveyAnswer, SurveyResponse, SurveyToken
from feedback.rules import ELEMENT_CODES
from feedback.selectors import Quarter

from ..clock import NOW, TODAY
from .factories import ServiceFactory, ServiceUnitFactory, add_responses

pytestmark = pytest.mark.django_db

# The quarter of the suite's day: the pages' default period, and where add_responses puts its answers.
Q = Quarter.of(TODAY)

PURPOSE = {"category": "reporting", "explanation": "Rekap SKM untuk laporan triwulan"}


def survey_data(value: int = 4, **extra) -> dict:
    data = {f"el_{code}": value for code in ELEMENT_CODES}
    data.update(extra)
    return data


@pytest.fixture
def su(cast):
    unit = ServiceUnitFactory(unit=cast.unit_a, name="Puskesmas Sawah Lebar", slug="puskesmas-sawah-lebar")
    ServiceFactory(service_unit=unit, name="Poli Umum")
    ExtraQuestion.objects.create(service_unit=unit, text="Apakah antrean tertib?")
    return unit


def test_survey_to_public_page_end_to_end(su, cast):
    client = Client(REMOTE_ADDR="10.1.1.1")
    url = reverse("feedback:survey", kwargs={"slug": su.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert "Sangat mahal" in page.content.decode() and "Gratis" in page.content.decode()
    response = client.post(url, survey_data(4, sex="P", comment="Cepat"))
    assert response.status_code == 302 and response.url.endswith("/terima-kasih/")
    Client(REMOTE_ADDR="10.1.1.2").post(url, survey_data(3))
    assert SurveyResponse.objects.count() == 2
    assert SurveyResponse.objects.first().submitted_on == TODAY  # Bengkulu's date at 10:00 WIB
    public = Client().get(reverse("feedback:public_region", kwargs={"code": cast.region_a.code}))
    body = public.content.decode()
    # (4 + 3) / 2 = 3.5 -> 87.50, category B
    assert "87,50 · B" in body and "Puskesmas Sawah Lebar" in body


def test_survey_page_and_submission_hold_their_query_count(su, django_assert_max_num_queries):
    url = reverse("feedback:survey", kwargs={"slug": su.slug})
    ExtraQuestion.objects.bulk_create(
        [ExtraQuestion(service_unit=su, text=f"Pertanyaan {i}") for i in range(30)]
    )
    ServiceFactory.create_batch(20, service_unit=su)
    add_responses(su, [3] * 200)
    client = Client(REMOTE_ADDR="10.2.2.2")
    # unit, services, extra questions
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200
    service = su.services.first()
    data = survey_data(2, service=service.pk, **{f"extra_{q.pk}": 3 for q in su.extra_questions.all()})
    # unit, extra questions, the service choice, the duplicate claim (one upsert) and its purge of
    # expired claims, insert response, insert answers, insert extra answers, and the savepoint pair
    # of the service's transaction (inside the test's transaction)
    with django_assert_max_num_queries(10):
        response = client.post(url, data)
    assert response.status_code == 302
    token = SurveyToken.objects.create(
        batch=su.token_batches.create(size=1), service_unit=su, code="ABCDEFGH"
    )
    # ... with a code, no duplicate claim but the address's wrong-code counter (one upsert that locks
    # it) and its purge of stale counters, plus the conditional UPDATE that spends the code
    with django_assert_max_num_queries(10):
        response = Client(REMOTE_ADDR="10.2.2.3").post(url, survey_data(3, token=token.code))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (survey_data(5), "Setiap jawaban harus bernilai 1 sampai 4."),
        ({k: v for k, v in survey_data(3).items() if k != "el_biaya"}, "Mohon jawab pertanyaan ini."),
        (survey_data(3, comment="<script>alert(1)</script>"), "tag HTML"),
        (survey_data(3, token="ZZZZ-ZZZZ"), "Kode survei ini tidak berlaku"),
        (survey_data(3, website="http://spam"), "tidak dapat diterima"),
    ],
)
def test_bad_input_gives_an_indonesian_message_and_saves_nothing(su, data, message):
    response = Client(REMOTE_ADDR="10.3.3.3").post(reverse("feedback:survey", kwargs={"slug": su.slug}), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()


def test_flood_from_one_address_is_refused(su, settings):
    settings.FEEDBACK_IP_LIMIT = 2
    client = Client(REMOTE_ADDR="10.4.4.4")
    url = reverse("feedback:survey", kwargs={"slug": su.slug})
    for v in (1, 2):
        assert client.post(url, survey_data(v)).status_code == 302
    response = client.post(url, survey_data(3))
    assert response.status_code == 400
    assert "Terlalu banyak kiriman" in response.content.decode()
    assert SurveyResponse.objects.count() == 2


def test_token_in_link_is_prefilled_and_works_once(su):
    token = SurveyToken.objects.create(
        batch=su.token_batches.create(size=1), service_unit=su, code="KLMNPQRS"
    )
    url = reverse("feedback:survey", kwargs={"slug": su.slug})
    assert 'value="KLMN-PQRS"' in Client().get(url + "?kode=KLMN-PQRS").content.decode()
    assert Client(REMOTE_ADDR="1.1.1.1").post(url, survey_data(3, token="klmn-pqrs")).status_code == 302
    again = Client(REMOTE_ADDR="1.1.1.2").post(url, survey_data(4, token=token.code))
    assert again.status_code == 400 and "sudah digunakan" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_citizen_input_tracking_and_public_answer(su, cast):
    url = reverse("feedback:input_create", kwargs={"slug": su.slug})
    response = Client(REMOTE_ADDR="5.5.5.5").post(
        url, {"kind": "complaint", "body": "Antrean poli umum terlalu lama"}
    )
    item = CitizenInput.objects.get()
    assert response.url == reverse("feedback:track_detail", kwargs={"code": item.tracking_code})
    lookup = Client().get(reverse("feedback:track"), {"code": item.tracking_code.lower()})
    assert lookup.status_code == 302
    assert "Menunggu moderasi" in Client().get(lookup.url).content.decode()
    missing = Client().get(reverse("feedback:track"), {"code": "NOPE"})
    assert "Tidak ada masukan" in missing.content.decode()
    hr = cast.client("hr")
    moderate = reverse("feedback:input_moderate", kwargs={"pk": item.pk})
    assert hr.post(moderate, {"action": "answer", "answer": "Kami buka loket kedua."}).status_code == 302
    public = (
        Client().get(reverse("feedback:public_region", kwargs={"code": cast.region_a.code})).content.decode()
    )
    assert "Antrean poli umum terlalu lama" in public and "Kami buka loket kedua." in public
    hr.post(moderate, {"action": "hide", "reason": ""})
    item.refresh_from_db()
    assert item.status == CitizenInput.Status.ANSWERED  # no reason: nothing changed
    hr.post(moderate, {"action": "hide", "reason": "Menyebut nama pribadi"})
    public = (
        Client().get(reverse("feedback:public_region", kwargs={"code": cast.region_a.code})).content.decode()
    )
    assert "Antrean poli umum terlalu lama" not in public
    assert "Menyebut nama pribadi" in Client().get(lookup.url).content.decode()


def test_bad_citizen_input_through_the_web(su):
    url = reverse("feedback:input_create", kwargs={"slug": su.slug})
    response = Client().post(url, {"kind": "rating", "body": "Petugas sangat ramah"})
    assert response.status_code == 400 and "bintang" in response.content.decode()
    response = Client().post(url, {"kind": "complaint", "body": "<img src=x onerror=alert(1)> lambat"})
    assert response.status_code == 400
    assert not CitizenInput.objects.exists()


def test_text_is_always_shown_escaped_on_public_pages(su, cast):
    item = CitizenInput.objects.create(
        service_unit=su,
        kind="suggestion",
        body="<script>alert('x')</script> tolong",
        tracking_code="XSSXSSXSSX",
        status=CitizenInput.Status.PUBLISHED,
    )
    for url in (
        reverse("feedback:public_region", kwargs={"code": cast.region_a.code}),
        reverse("feedback:track_detail", kwargs={"code": item.tracking_code}),
    ):
        body = Client().get(url).content.decode()
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; tolong" in body
        assert "<script>alert(" not in body


def test_public_region_page_query_count_is_constant(cast, django_assert_max_num_queries):
    units = ServiceUnitFactory.create_batch(15, unit=cast.unit_a)
    for i, unit in enumerate(units):
        add_responses(unit, [1 + i % 4] * 20, on=Q.previous().start)
        add_responses(unit, [1 + (i + 1) % 4] * 20)
    CitizenInput.objects.bulk_create(
        [
            CitizenInput(
                service_unit=units[i % 15],
                kind="suggestion",
                body=f"Saran {i}",
                tracking_code=f"T{i:09d}",
                status="answered",
                answer="Terima kasih",
                answered_at=NOW,
            )
            for i in range(40)
        ]
    )
    url = reverse("feedback:public_region", kwargs={"code": cast.region_a.code})
    # units, per-unit-quarter IKM, populations, region IKM per quarter, answered input, the versions
    # of the IKM categories (+ session)
    with django_assert_max_num_queries(7):
        response = Client().get(url, {"period": Q.key})
    assert response.status_code == 200
    assert Client().get(reverse("feedback:public_index")).status_code == 200
    # The body is rendered once and kept: the next visitor costs the region lookup only.
    with django_assert_max_num_queries(1):
        again = Client().get(url, {"period": Q.key})

    def main(page) -> str:  # the body, without the per-request nonce and token of the base template
        return page.content.decode().split("<main")[1].split("</main>")[0]

    assert main(again) == main(response) and "Terima kasih" in main(again)


def test_public_region_body_is_cached_per_language_and_quarter(cast):
    su = ServiceUnitFactory(unit=cast.unit_a, name="Loket Terpadu")
    add_responses(su, [4] * 3)
    url = reverse("feedback:public_region", kwargs={"code": cast.region_a.code})
    indonesian = Client().get(url, {"period": Q.key}).content.decode()
    english = Client().get(url, {"period": Q.key}, HTTP_COOKIE="django_language=en").content.decode()
    assert "Isi survei" in indonesian and "Fill in the survey" in english
    assert "Fill in the survey" not in indonesian and "Isi survei" not in english
    earlier = Client().get(url, {"period": Q.previous().key}).content.decode()
    assert "100.00" in indonesian and "100.00" not in earlier.split("<tbody>")[1].split("</tbody>")[0]


def test_hr_set_up_pages(su, cast):
    hr = cast.client("hr")
    detail = reverse("feedback:unit_detail", kwargs={"pk": su.pk})
    assert hr.get(reverse("feedback:manage")).status_code == 200
    response = hr.post(
        reverse("feedback:unit_create"), {"unit": cast.unit_a.pk, "name": "Loket Dukcapil", "address": ""}
    )
    assert response.status_code == 302
    # A unit of another region cannot be chosen.
    response = hr.post(reverse("feedback:unit_create"), {"unit": cast.unit_b.pk, "name": "Loket X"})
    assert response.status_code == 400
    hr.post(reverse("feedback:service_add", kwargs={"pk": su.pk}), {"name": "Imunisasi"})
    hr.post(
        reverse("feedback:question_add", kwargs={"pk": su.pk}),
        {"text": "Ruang tunggu nyaman?", "kind": "scale"},
    )
    hr.post(
        reverse("feedback:population_set", kwargs={"pk": su.pk}),
        {"year": Q.year, "quarter": Q.quarter, "users": 1000},
    )
    hr.post(reverse("feedback:token_batch_create", kwargs={"pk": su.pk}), {"size": 5})
    bad = hr.post(reverse("feedback:token_batch_create", kwargs={"pk": su.pk}), {"size": 5000}, follow=True)
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan 1000" in bad.content.decode()
    assert su.services.filter(name="Imunisasi").exists()
    assert su.extra_questions.filter(text="Ruang tunggu nyaman?").exists()
    assert su.populations.get().users == 1000
    assert SurveyToken.objects.filter(service_unit=su).count() == 5
    add_responses(su, [3] * 30)
    page = hr.get(detail).content.decode()  # the current quarter: its population and answers
    assert "75,00 · C" in page and "min. 278" in page


def test_exports(su, cast):
    hr = cast.client("hr")
    add_responses(su, [4, 3, 2], service=su.services.first())
    batch = su.token_batches.create(size=2)
    SurveyToken.objects.bulk_create(
        [SurveyToken(batch=batch, service_unit=su, code=c) for c in ("AAAABBBB", "CCCCDDDD")]
    )
    pdf = hr.get(reverse("feedback:report_pdf", kwargs={"pk": su.pk}), {"period": Q.key})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    empty = hr.get(reverse("feedback:report_pdf", kwargs={"pk": su.pk}), {"period": Q.previous().key})
    assert empty.content.startswith(b"%PDF")
    url = reverse("feedback:answers_xlsx", kwargs={"pk": su.pk}) + f"?period={Q.key}"
    assert 'name="explanation"' in hr.get(url).content.decode()  # the purpose first
    xlsx = hr.post(url, PURPOSE)
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.values)
    assert len(rows) == 4 and rows[0][7].startswith("U1")
    assert sorted(r[7] for r in rows[1:]) == [2, 3, 4]
    tokens = hr.get(reverse("feedback:token_batch_pdf", kwargs={"pk": batch.pk}))
    assert tokens.content.startswith(b"%PDF")
    svg = hr.get(reverse("feedback:qr", kwargs={"pk": su.pk, "fmt": "svg"}))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = hr.get(reverse("feedback:qr", kwargs={"pk": su.pk, "fmt": "png"}))
    assert png.content.startswith(b"\x89PNG")
    poster = hr.get(reverse("feedback:poster", kwargs={"pk": su.pk})).content.decode()
    assert "/survei/s/puskesmas-sawah-lebar/" in poster


def test_moderation_list_is_scoped(su, cast):
    CitizenInput.objects.create(
        service_unit=su, kind="suggestion", body="Saran A", tracking_code="AAAAAAAAAA"
    )
    other = ServiceUnitFactory(unit=cast.unit_b)
    CitizenInput.objects.create(
        service_unit=other, kind="suggestion", body="Saran B", tracking_code="BBBBBBBBBB"
    )
    page = cast.client("hr").get(reverse("feedback:moderation")).content.decode()
    assert "Saran A" in page and "Saran B" not in page
    page = cast.client("hr_other").get(reverse("feedback:moderation"), {"status": "all"}).content.decode()
    assert "Saran B" in page and "Saran A" not in page


def test_xlsx_never_turns_citizen_text_into_a_formula(su, cast):
    [response] = add_responses(su, [3])
    response.comment = '=HYPERLINK("http://evil","klik")'
    response.save()
    xlsx = cast.client("hr").post(reverse("feedback:answers_xlsx", kwargs={"pk": su.pk}), PURPOSE)
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    last = list(ws.rows)[1][-1]
    # The comment as written, typed as text and quote-prefixed: a spreadsheet shows it, never runs it.
    assert last.value == '=HYPERLINK("http://evil","klik")'
    assert last.data_type == "s" and last.quotePrefix


def test_moderation_is_audit_logged(su, cast):
    from asnportal.accounts.models import AuditEvent

    item = CitizenInput.objects.create(
        service_unit=su, kind="complaint", body="Kasar", tracking_code="AUDITAUDIT"
    )
    cast.client("hr").post(
        reverse("feedback:input_moderate", kwargs={"pk": item.pk}), {"action": "hide", "reason": "Kata kasar"}
    )
    event = AuditEvent.objects.get(action="feedback_input_hide")
    assert (event.object_id, event.region_id, event.user) == (
        str(item.pk),
        cast.region_a.pk,
        cast.users["hr"],
    )
    assert event.detail == {"reason": "Kata kasar"}


def test_hr_pages_hold_their_query_count(su, cast, django_assert_max_num_queries):
    others = ServiceUnitFactory.create_batch(10, unit=cast.unit_a)
    for unit in [su, *others]:
        add_responses(unit, [3] * 15)
    ExtraQuestion.objects.bulk_create([ExtraQuestion(service_unit=su, text=f"Q{i}") for i in range(10)])
    CitizenInput.objects.bulk_create(
        [
            CitizenInput(
                service_unit=others[i % 10], kind="suggestion", body=f"Saran {i}", tracking_code=f"H{i:09d}"
            )
            for i in range(50)
        ]
    )
    batch = su.token_batches.create(size=30)
    SurveyToken.objects.bulk_create(
        [SurveyToken(batch=batch, service_unit=su, code=f"C{i:07d}") for i in range(30)]
    )
    hr = cast.client("hr")
    hr.get(reverse("feedback:manage"))  # warm the session and role caches
    # session, user, roles (x2 for nav), + page queries; same with 11 units or 1
    with django_assert_max_num_queries(10):
        assert hr.get(reverse("feedback:manage")).status_code == 200
    with django_assert_max_num_queries(10):
        assert hr.get(reverse("feedback:moderation"), {"status": "all"}).status_code == 200
    with django_assert_max_num_queries(20):
        assert hr.get(reverse("feedback:unit_detail", kwargs={"pk": su.pk})).status_code == 200


def test_public_results_are_aggregated_once_and_refreshed_by_moderation(
    su, cast, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    item = CitizenInput.objects.create(
        service_unit=su,
        kind="suggestion",
        body="Loket kurang",
        tracking_code="CACHE00001",
        status="published",
    )
    url = reverse("feedback:public_region", kwargs={"code": cast.region_a.code})
    assert "Loket kurang" in Client().get(url).content.decode()
    with django_assert_max_num_queries(1):  # the region only; the results come from the cache
        Client().get(url)
    with django_capture_on_commit_callbacks(execute=True):
        cast.client("hr").post(
            reverse("feedback:input_moderate", kwargs={"pk": item.pk}), {"action": "hide", "reason": "Kasar"}
        )
    assert "Loket kurang" not in Client().get(url).content.decode()
