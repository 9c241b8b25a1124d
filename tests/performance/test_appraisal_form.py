"""The appraisal form asks for a judgement on each of the 7 BerAKHLAK values: none is pre-selected."""

import pytest
from django.urls import reverse

from performance.models import Appraisal, BerAKHLAK

from .factories import agreed_plan, behaviour, current_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def appraise_url(cast):
    period = current_period(cast.region_a)
    agreed_plan(cast.objects["staff_employee"], period.year)
    return reverse("performance:appraise", args=[cast.objects["staff_employee"].pk, period.pk])


def test_a_new_appraisal_starts_with_no_behaviour_chosen(cast, appraise_url):
    form = cast.client("supervisor").get(appraise_url).context["form"]
    for code, _label in BerAKHLAK.choices:
        assert form[code].value() in (None, ""), code
    html = cast.client("supervisor").get(appraise_url).content.decode()
    select = html.split('name="berorientasi_pelayanan"')[1].split("</select>")[0]
    assert select.count("selected") == 1 and 'value="" selected' in select  # the blank choice


def test_a_missing_value_is_refused_with_its_name_and_nothing_is_saved(cast, appraise_url):
    data = behaviour("sesuai")
    del data["loyal"]
    response = cast.client("supervisor").post(appraise_url, data, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 400
    assert response.context["form"].errors["loyal"] == ["Pilih penilaian untuk Loyal."]
    assert not Appraisal.objects.exists()


def test_all_seven_chosen_saves_and_a_correction_starts_from_the_ratings_given(cast, appraise_url):
    client = cast.client("supervisor")
    assert client.post(appraise_url, behaviour("di_atas")).status_code == 302
    form = client.get(appraise_url).context["form"]
    assert {form[code].value() for code, _label in BerAKHLAK.choices} == {"di_atas"}
