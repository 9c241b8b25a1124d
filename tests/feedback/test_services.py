"""The write paths: survey submission guards, tokens, citizen input and moderation."""

import pytest
from django.core.exceptions import ValidationError

from feedback import services
from feedback.models import (
    CitizenInput,
    ExtraAnswer,
    ExtraQuestion,
    SurveyAnswer,
    SurveyResponse,
    SurveyToken,
)
from feedback.rules import ELEMENT_CODES

from ..clock import TODAY
from .factories import ServiceFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db

ALL_THREE = dict.fromkeys(ELEMENT_CODES, 3)


def submit(su, **kwargs):
    kwargs.setdefault("answers", ALL_THREE)
    kwargs.setdefault("client_ip", "10.0.0.1")
    return services.survey_submit(service_unit=su, **kwargs)


def test_answers_are_stored_by_element_code_and_nothing_reidentifying():
    su = ServiceUnitFactory()
    service = ServiceFactory(service_unit=su)
    answers = {code: 1 + i % 4 for i, code in enumerate(reversed(ELEMENT_CODES))}
    response = submit(su, answers=answers, service=service, sex="P", age_band="30-39", comment=" Antre lama ")
    stored = dict(SurveyAnswer.objects.filter(response=response).values_list("element", "value"))
    assert stored == answers
    assert response.comment == "Antre lama"
    # No token, IP or time of day on the response.
    names = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not names & {"token", "ip", "ip_address", "created_at", "user", "session"}
    assert SurveyResponse._meta.get_field("submitted_on").get_internal_type() == "DateField"


@pytest.mark.parametrize(
    "answers",
    [
        {**ALL_THREE, "biaya": 5},
        {**ALL_THREE, "waktu": 0},
        {**ALL_THREE, "sarana": "4"},
        {k: v for k, v in ALL_THREE.items() if k != "prosedur"},
        {**ALL_THREE, "parkir": 3},
    ],
)
def test_bad_answers_save_nothing(answers):
    su = ServiceUnitFactory()
    with pytest.raises(ValidationError):
        submit(su, answers=answers)
    assert not SurveyResponse.objects.exists()
    assert not SurveyAnswer.objects.exists()


def test_html_in_comment_is_refused():
    su = ServiceUnitFactory()
    with pytest.raises(ValidationError) as exc:
        submit(su, comment="<script>alert(1)</script>")
    assert "comment" in exc.value.message_dict
    assert not SurveyResponse.objects.exists()
    # Plain text with angle brackets that are not tags is fine.
    assert submit(su, comment="nilai 3 < 4 & cepat").comment == "nilai 3 < 4 & cepat"


def test_service_of_another_unit_is_refused():
    su = ServiceUnitFactory()
    with pytest.raises(ValidationError):
        submit(su, service=ServiceFactory())
    assert not SurveyResponse.objects.exists()


def test_honeypot_refuses():
    su = ServiceUnitFactory()
    with pytest.raises(ValidationError):
        submit(su, honeypot="http://spam.example")
    assert not SurveyResponse.objects.exists()


def test_inactive_unit_refuses():
    su = ServiceUnitFactory(is_active=False)
    with pytest.raises(ValidationError):
        submit(su)


def test_token_works_once_and_only_for_its_unit():
    su, other = ServiceUnitFactory(), ServiceUnitFactory()
    batch = services.token_batch_create(service_unit=su, size=3)
    assert batch.tokens.count() == 3
    code = batch.tokens.first().code
    with pytest.raises(ValidationError):
        submit(other, token=code)
    submit(su, token=services.token_display(code).lower())  # printed form, typed in lower case
    with pytest.raises(ValidationError) as exc:
        submit(su, token=code, answers={**ALL_THREE, "waktu": 4})
    assert "token" in exc.value.message_dict
    assert SurveyResponse.objects.count() == 1
    assert SurveyToken.objects.filter(used_at__isnull=False).count() == 1


def test_token_bypasses_the_address_limit(settings):
    settings.FEEDBACK_IP_LIMIT = 1
    su = ServiceUnitFactory()
    batch = services.token_batch_create(service_unit=su, size=3)
    for i, token in enumerate(batch.tokens.all()):
        submit(su, token=token.code, answers={**ALL_THREE, "waktu": 1 + i})
    assert SurveyResponse.objects.count() == 3


def test_token_batch_size_is_bounded():
    su = ServiceUnitFactory()
    with pytest.raises(ValidationError):
        services.token_batch_create(service_unit=su, size=0)
    with pytest.raises(ValidationError):
        services.token_batch_create(service_unit=su, size=1001)


def test_rate_limit_per_address(settings, django_capture_on_commit_callbacks):
    settings.FEEDBACK_IP_LIMIT = 2
    su = ServiceUnitFactory()
    for v in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            submit(su, answers={**ALL_THREE, "waktu": v})
    with pytest.raises(ValidationError, match="Terlalu banyak kiriman dari jaringan"):
        submit(su, answers={**ALL_THREE, "waktu": 4})
    # Another address still gets through.
    submit(su, answers={**ALL_THREE, "waktu": 4}, client_ip="10.0.0.2")
    assert SurveyResponse.objects.count() == 3


def test_rate_limit_per_unit(settings):
    settings.FEEDBACK_UNIT_LIMIT = 2
    su, other = ServiceUnitFactory(), ServiceUnitFactory()
    submit(su, client_ip="10.0.0.1")
    submit(su, client_ip="10.0.0.2")
    with pytest.raises(ValidationError, match="terlalu banyak kiriman"):
        submit(su, client_ip="10.0.0.3")
    submit(other, client_ip="10.0.0.3")
    assert SurveyResponse.objects.filter(service_unit=su).count() == 2


def test_a_refused_address_does_not_use_up_the_units_budget(settings):
    """The guards run in one Redis script; an address over its limit is refused before the unit's
    counter moves, so one flooding address cannot lock everyone else out of the unit."""
    settings.FEEDBACK_IP_LIMIT = 1
    settings.FEEDBACK_UNIT_LIMIT = 2
    su = ServiceUnitFactory()
    submit(su, client_ip="10.0.0.1")
    for v in (1, 2, 4):
        with pytest.raises(ValidationError, match="Terlalu banyak kiriman dari jaringan"):
            submit(su, answers={**ALL_THREE, "waktu": v}, client_ip="10.0.0.1")
    submit(su, client_ip="10.0.0.2")  # the unit's second submission: still within its budget
    with pytest.raises(ValidationError, match="terlalu banyak kiriman"):
        submit(su, client_ip="10.0.0.3")
    assert SurveyResponse.objects.filter(service_unit=su).count() == 2


def test_duplicate_submission_is_refused(django_capture_on_commit_callbacks):
    su = ServiceUnitFactory()
    with django_capture_on_commit_callbacks(execute=True):
        submit(su, comment="Pelayanan baik")
    with pytest.raises(ValidationError, match="sudah kami terima"):
        submit(su, comment="pelayanan baik ")
    assert SurveyResponse.objects.count() == 1


def test_extra_questions_are_stored_apart_and_validated():
    su = ServiceUnitFactory()
    scale = services.extra_question_add(service_unit=su, text="Antrean tertib?", kind="scale")
    text = services.extra_question_add(service_unit=su, text="Apa yang perlu diperbaiki?", kind="text")
    qs = [scale, text]
    with pytest.raises(ValidationError):
        submit(su, extra={scale.pk: 7}, questions=qs)
    with pytest.raises(ValidationError):
        submit(su, extra={999999: 2}, questions=qs)
    response = submit(su, extra={scale.pk: 2, text.pk: "Parkir"}, questions=qs)
    assert set(ExtraAnswer.objects.filter(response=response).values_list("value", "text")) == {
        (2, ""),
        (None, "Parkir"),
    }
    assert SurveyAnswer.objects.filter(response=response).count() == 9
    services.extra_question_toggle(question=scale)
    assert not ExtraQuestion.objects.get(pk=scale.pk).is_active


def test_service_unit_create_makes_a_unique_slug_in_the_unit_region(cast):
    a = services.service_unit_create(unit=cast.unit_a, name="Puskesmas Sawah Lebar")
    b = services.service_unit_create(unit=cast.unit_a, name="Puskesmas Sawah Lebar 2", slug=a.slug)
    assert a.region == cast.region_a and a.slug == "bengkulu-puskesmas-sawah-lebar"
    assert b.slug == f"{a.slug}-2"
    with pytest.raises(ValidationError):
        services.service_unit_create(unit=cast.unit_a, name="Puskesmas Sawah Lebar")


def test_population_set_updates_in_place():
    su = ServiceUnitFactory()
    year, quarter = TODAY.year, (TODAY.month - 1) // 3 + 1  # this quarter's population
    services.population_set(service_unit=su, year=year, quarter=quarter, users=100)
    row = services.population_set(service_unit=su, year=year, quarter=quarter, users=150)
    assert su.populations.get().users == 150 == row.users
    with pytest.raises(ValidationError):
        services.population_set(service_unit=su, year=year, quarter=5, users=1)


# --- citizen input -----------------------------------------------------------------------------------


def test_citizen_input_flow_publish_answer_hide(cast):
    su = ServiceUnitFactory(unit=cast.unit_a)
    hr = cast.users["hr"]
    item = services.citizen_input_submit(
        service_unit=su, kind="complaint", body="Antrean terlalu lama", client_ip="1.1.1.1"
    )
    assert item.status == CitizenInput.Status.PENDING and len(item.tracking_code) == 10
    item = services.citizen_input_publish(item=item, user=hr)
    assert item.status == CitizenInput.Status.PUBLISHED
    with pytest.raises(ValidationError):
        services.citizen_input_publish(item=item, user=hr)
    with pytest.raises(ValidationError):
        services.citizen_input_answer(item=item, answer="  ", user=hr)
    item = services.citizen_input_answer(item=item, answer="Kami tambah loket.", user=hr)
    assert item.status == CitizenInput.Status.ANSWERED and item.answered_at
    with pytest.raises(ValidationError):
        services.citizen_input_hide(item=item, reason="", user=hr)
    item = services.citizen_input_hide(item=item, reason="Mengandung kata kasar", user=hr)
    assert item.status == CitizenInput.Status.HIDDEN
    with pytest.raises(ValidationError):
        services.citizen_input_answer(item=item, answer="x", user=hr)


@pytest.mark.parametrize(
    ("kind", "rating", "body"),
    [
        ("rating", None, "Petugas ramah sekali"),
        ("rating", 6, "Petugas ramah sekali"),
        ("complaint", None, "<b>Lambat</b> sekali"),
        ("complaint", None, "<script>alert(1)</script>"),
    ],
)
def test_bad_citizen_input_saves_nothing(kind, rating, body):
    su = ServiceUnitFactory()
    with pytest.raises(ValidationError):
        services.citizen_input_submit(service_unit=su, kind=kind, rating=rating, body=body)
    assert not CitizenInput.objects.exists()


def test_rating_kept_only_for_ratings():
    su = ServiceUnitFactory()
    r = services.citizen_input_submit(service_unit=su, kind="rating", rating=5, body="Petugas ramah")
    s = services.citizen_input_submit(service_unit=su, kind="suggestion", rating=5, body="Tambah kursi")
    assert (r.rating, s.rating) == (5, None)


def test_citizen_input_flood_is_refused(settings):
    settings.FEEDBACK_IP_LIMIT = 1
    su = ServiceUnitFactory()
    services.citizen_input_submit(
        service_unit=su, kind="suggestion", body="Tambah kursi", client_ip="9.9.9.9"
    )
    with pytest.raises(ValidationError):
        services.citizen_input_submit(
            service_unit=su, kind="suggestion", body="Tambah AC", client_ip="9.9.9.9"
        )
    assert CitizenInput.objects.count() == 1
