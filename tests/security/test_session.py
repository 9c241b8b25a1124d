"""Session fixation and the end of a session, through the real log-in, verification and log-out URLs.

- a session key planted before the log-in (an attacker's fixed cookie) is worthless afterwards: the
  password log-in gives a new key and deletes the old session, and so does the second factor (a key
  that leaked from the half-logged-in verification page must not become a verified session);
- a log-out deletes the session: the old cookie replayed on another client is sent to the log-in;
- a password change keeps the user logged in on this client (Django's update_session_auth_hash,
  with a new key) and ends the user's sessions on every other client: Django's session hash check
  in AuthenticationMiddleware promises it, and so does a password reset by mail.
"""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
VERIFY = reverse("accounts:otp_verify")
ACCOUNT = reverse("accounts:account")
NEW_PASSWORD = "Kata-Sandi-Baru-2026!"  # noqa: S105 - test accounts only


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def session_exists(key: str) -> bool:
    from importlib import import_module

    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore()
    return store.exists(key)


def planted_session() -> Client:
    """A browser carrying a session the attacker made (and knows the key of) before the log-in."""
    client = Client()
    session = client.session  # the test client saves a new session and sets its cookie
    session["planted"] = "penyerang"
    session.save()
    assert session_exists(session_key(client))
    return client


def with_cookie(key: str) -> Client:
    """Another browser (the attacker's) that sends the given session cookie."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    return other


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(LOGIN)


def test_the_password_log_in_gives_a_new_session_key(cast):
    victim = planted_session()
    fixed = session_key(victim)
    response = victim.post(LOGIN, {"username": "pegawai", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in victim.session
    assert session_key(victim) != fixed
    assert not session_exists(fixed)
    # The attacker's copy of the planted cookie is still an anonymous visitor.
    assert is_login_redirect(with_cookie(fixed).get(ACCOUNT))
    assert victim.get(ACCOUNT).status_code == 200


def test_the_second_factor_gives_a_new_session_key_too(cast):
    user = cast.users["hr"]
    key = TOTPDevice.objects.create(user=user, name="ponsel dinas", confirmed=True).bin_key
    browser = planted_session()
    planted = session_key(browser)
    assert browser.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
    after_password = session_key(browser)
    assert after_password != planted and not session_exists(planted)
    # Half logged in: the officer is sent to verification; whoever holds this key is too.
    leaked = with_cookie(after_password)
    assert leaked.get(reverse("org:directory")).url.startswith(VERIFY)

    response = browser.post(VERIFY, {"token": f"{totp(key):06d}", "next": ACCOUNT})
    assert response.status_code == 302 and response.url == ACCOUNT
    verified = session_key(browser)
    assert verified not in (planted, after_password)
    assert browser.session[DEVICE_ID_SESSION_KEY] and browser.get(reverse("org:directory")).status_code == 200
    # The key seen before the verification does not open the verified session.
    assert not session_exists(after_password)
    stale = with_cookie(after_password).get(reverse("org:directory"))
    assert is_login_redirect(stale)


def test_linking_a_first_device_gives_a_new_session_key(cast):
    """The other way a session becomes verified: confirming the first authenticator app."""
    from asnportal.accounts.views import PENDING_KEY

    user = cast.users["observer"]  # an officer who has never had a device
    browser = Client()
    assert browser.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
    setup = reverse("accounts:otp_setup")
    assert browser.get(setup).status_code == 200
    before = session_key(browser)
    secret = bytes.fromhex(browser.session[PENDING_KEY]["key"])
    response = browser.post(setup, {"token": f"{totp(secret):06d}"})
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    assert session_key(browser) != before and not session_exists(before)
    assert browser.get(ACCOUNT).status_code == 200
    assert is_login_redirect(with_cookie(before).get(ACCOUNT))


def test_log_out_ends_the_session_for_every_copy_of_the_cookie(cast):
    client = Client()
    assert client.post(LOGIN, {"username": "pegawai", "password": PASSWORD}).status_code == 302
    old = session_key(client)
    copy = with_cookie(old)
    assert copy.get(ACCOUNT).status_code == 200  # the same session, before the log-out
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not session_exists(old)
    assert is_login_redirect(with_cookie(old).get(ACCOUNT))
    assert is_login_redirect(client.get(ACCOUNT))


def test_log_out_is_a_post_only(cast):
    """A GET (an <img src> on another site) does not log anyone out: Django 5 refuses it."""
    client = Client()
    client.post(LOGIN, {"username": "pegawai", "password": PASSWORD})
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(ACCOUNT).status_code == 200


def test_a_password_change_keeps_this_client_and_ends_the_others(cast):
    mine, elsewhere = Client(), Client()
    for client in (mine, elsewhere):
        assert client.post(LOGIN, {"username": "pegawai", "password": PASSWORD}).status_code == 302
    before = session_key(mine)
    response = mine.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    # update_session_auth_hash: still logged in here, with a new key.
    assert mine.get(ACCOUNT).status_code == 200
    assert session_key(mine) != before and not session_exists(before)
    # Every other session of the user (a phone left logged in) is over.
    assert is_login_redirect(elsewhere.get(ACCOUNT))
    # The new password works and the old one does not.
    assert Client().post(LOGIN, {"username": "pegawai", "password": PASSWORD}).status_code == 200
    assert Client().post(LOGIN, {"username": "pegawai", "password": NEW_PASSWORD}).status_code == 302


def test_a_password_change_of_an_officer_keeps_the_verified_session(cast):
    user = cast.users["hr"]
    key = TOTPDevice.objects.create(user=user, name="ponsel dinas", confirmed=True).bin_key
    mine, elsewhere = Client(), Client()
    for client in (mine, elsewhere):
        client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert mine.post(VERIFY, {"token": f"{totp(key):06d}"}).status_code == 302
    response = mine.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert mine.get(reverse("org:directory")).status_code == 200
    assert is_login_redirect(elsewhere.get(reverse("org:directory")))


def test_a_password_reset_by_mail_ends_the_old_sessions(cast):
    old_session = Client()
    assert old_session.post(LOGIN, {"username": "pegawai", "password": PASSWORD}).status_code == 302
    Client().post(reverse("password_reset"), {"email": "pegawai@example.go.id"})
    link = re.search(r"https?://[^/\s]+(/auth/reset/\S+/)", mail.outbox[-1].body).group(1)
    browser = Client()
    form_page = browser.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = browser.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert is_login_redirect(old_session.get(ACCOUNT))
