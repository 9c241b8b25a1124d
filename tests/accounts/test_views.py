import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from asnportal.accounts.nav import home_url_name_for
from asnportal.org.models import Employee

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role", ["staff", "supervisor", "hr", "head", "hr_other", "observer", "panel", "applicant"]
)
def test_each_role_lands_on_its_own_home(cast, role):
    user = cast.users[role]
    response = cast.client(role).get(reverse("home"))
    url_name = home_url_name_for(user)
    if url_name is None:
        assert response.status_code == 200  # the "no role yet" page
    else:
        assert response.status_code == 302
        assert response.url == reverse(url_name)
        assert cast.client(role).get(response.url).status_code == 200


def test_admin_without_role_goes_to_admin(cast):
    response = cast.client("admin").get(reverse("home"))
    assert response.url == reverse("admin:index")


def test_anonymous_sees_the_public_welcome_page(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b'href="/auth/login/"' in response.content


def test_login_with_correct_password_goes_home(client, cast):
    response = client.post(reverse("login"), {"username": "bkpsdm", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")


def test_wrong_password_says_so_in_indonesian(client, cast):
    response = client.post(
        reverse("login"), {"username": "bkpsdm", "password": "salah"}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == 200
    assert "masukkan" in response.content.decode().lower()  # Django's Indonesian "Masukkan nama pengguna ..."
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_passwords_lock_the_account(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "bkpsdm", "password": "salah"})
    response = client.post(reverse("login"), {"username": "bkpsdm", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    with translation.override("id"):
        body = client.post(reverse("login"), {"username": "bkpsdm", "password": PASSWORD}).content.decode()
    assert "Terlalu banyak" in body


def test_indonesian_even_when_the_browser_asks_for_english(client, db):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Masuk ke Portal ASN" in body


def test_language_switch_to_english_and_back(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Masuk" in client.get(reverse("login")).content.decode()


def test_password_reset_sends_a_link(client, cast):
    response = client.post(reverse("password_reset"), {"email": "bkpsdm@example.go.id"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/auth/reset/" in mail.outbox[0].body


def test_password_change_refuses_a_weak_password(cast):
    client = cast.client("staff")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    cast.users["staff"].refresh_from_db()
    assert cast.users["staff"].check_password(PASSWORD)


def test_my_profile_shows_own_record_only(cast):
    body = cast.client("staff").get(reverse("accounts:my_profile")).content.decode()
    assert "Budi Pegawai" in body
    assert cast.objects["staff_employee"].nip in body
    assert "Yohana Sorong" not in body


def test_retired_employee_has_no_staff_pages(cast):
    Employee.objects.filter(pk=cast.objects["staff_employee"].pk).update(status=Employee.Status.RETIRED)
    assert cast.client("staff").get(reverse("accounts:my_profile")).status_code == 403


def test_healthz(client, db):
    assert client.get(reverse("healthz")).content == b"ok"
