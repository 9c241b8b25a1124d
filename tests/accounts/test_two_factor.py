"""Officers need a second factor (TOTP) and are logged out when idle; staff are not asked."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from asnportal.accounts.middleware import LAST_SEEN

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def test_officer_without_device_is_sent_to_set_one_up(client, cast):
    client.force_login(cast.users["hr"])
    response = client.get(reverse("org:directory"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp_setup"))


def test_setup_with_the_apps_code_confirms_the_device_and_opens_the_page(client, cast):
    client.force_login(cast.users["hr"])
    page = client.get(reverse("accounts:otp_setup"), {"next": reverse("org:directory")})
    assert b"data:image/svg+xml;base64," in page.content
    assert not TOTPDevice.objects.filter(user=cast.users["hr"]).exists()  # nothing written on GET
    key = bytes.fromhex(client.session["otp_pending_key"]["key"])
    response = client.post(
        reverse("accounts:otp_setup"), {"token": f"{totp(key):06d}", "next": reverse("org:directory")}
    )
    # The first enrollment answers with the recovery codes, shown this once, and a way on.
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert reverse("org:directory") in response.content.decode()
    assert TOTPDevice.objects.get(user=cast.users["hr"]).confirmed
    assert client.get(reverse("org:directory")).status_code == 200


def test_wrong_code_is_refused_with_a_message_and_confirms_nothing(client, cast):
    client.force_login(cast.users["observer"])
    client.get(reverse("accounts:otp_setup"))
    response = client.post(reverse("accounts:otp_setup"), {"token": "000000"}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert "Kode tersebut salah" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.users["observer"], confirmed=True).exists()


def test_returning_officer_verifies_with_the_current_code(client, cast):
    device = TOTPDevice.objects.create(user=cast.users["panel"], name="app", confirmed=True)
    client.force_login(cast.users["panel"])
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:otp_verify"))
    assert client.post(reverse("accounts:otp_verify"), {"token": "12345x"}).status_code == 200
    ok = client.post(
        reverse("accounts:otp_verify"), {"token": f"{totp(device.bin_key):06d}", "next": "/akun/"}
    )
    assert ok.url == "/akun/"


def test_next_cannot_send_the_officer_elsewhere(client, cast):
    device = TOTPDevice.objects.create(user=cast.users["hr"], name="app", confirmed=True)
    client.force_login(cast.users["hr"])
    response = client.post(
        reverse("accounts:otp_verify"),
        {"token": f"{totp(device.bin_key):06d}", "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_staff_are_not_asked_for_a_second_factor(cast):
    from django.test import Client

    client = Client()
    client.force_login(cast.users["staff"])
    assert client.get(reverse("accounts:my_profile")).status_code == 200


def test_idle_officer_is_logged_out(cast):
    client = cast.client("hr")
    assert client.get(reverse("org:directory")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("org:directory"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
