"""Attacks on log-in and password reset through their real URLs.

- one address trying a password against every account is locked as an address (django-axes with a
  second lockout parameter and its own, higher limit), not only per (username, address);
- password reset mails are limited per email address and per client address, and the page the
  visitor sees is the same whether a mail went out or not.
"""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOCKED_ID = "Terlalu banyak"
WRONG = "salah-sekali"


def try_login(client: Client, username: str, password: str = WRONG):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- log-in: the address alone is locked too -------------------------------------------------------------


def test_one_address_trying_many_usernames_is_locked(cast, settings):
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_IP_FAILURE_LIMIT) == (5, 20)
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    # One wrong password per username: the per-(username, address) lock never triggers...
    usernames = [f"tebakan{i}" for i in range(settings.AXES_IP_FAILURE_LIMIT - 1)]
    for username in usernames:
        response = try_login(attacker, username)
        assert response.status_code == 200  # the ordinary "wrong username or password" form
    # ... and the 20th failure from the address locks the address, whatever username comes next.
    assert try_login(attacker, "bkpsdm").status_code == 429
    response = try_login(attacker, "pegawai", PASSWORD)  # a right password, another account
    assert response.status_code == 429 and LOCKED_ID in response.content.decode()
    assert not logged_in(attacker)
    # The page does not blame "this account" (pegawai's never failed): the device is paused.
    page = response.content.decode()
    assert "login dari perangkat ini dihentikan sementara" in page and "akun ini" not in page

    # Another address is not affected, and neither is the account's owner logging in from it.
    owner = Client(REMOTE_ADDR="198.51.100.20")
    assert try_login(owner, "pegawai", PASSWORD).status_code == 302 and logged_in(owner)


def test_the_address_lock_ends_after_the_cool_off(cast, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.8")
    for i in range(settings.AXES_IP_FAILURE_LIMIT):
        try_login(attacker, f"tebakan{i}")
    assert try_login(attacker, "pegawai", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        client = Client(REMOTE_ADDR="203.0.113.8")
        assert try_login(client, "pegawai", PASSWORD).status_code == 302 and logged_in(client)


def test_below_the_address_limit_nobody_else_is_locked(cast, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(settings.AXES_IP_FAILURE_LIMIT - 2):
        try_login(attacker, f"tebakan{i}")
    client = Client(REMOTE_ADDR="203.0.113.9")  # the same office, a colleague who types it right
    assert try_login(client, "pegawai", PASSWORD).status_code == 302 and logged_in(client)


def test_the_per_username_lock_still_comes_first(cast, settings):
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert try_login(client, "bkpsdm").status_code in (200, 429)
    assert try_login(client, "bkpsdm", PASSWORD).status_code == 429
    # The address has used 5 of its 20: other accounts from it still log in.
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert try_login(other, "pegawai", PASSWORD).status_code == 302


def test_a_successful_log_in_does_not_wipe_the_address_count(cast, settings):
    """An attacker holding one account must not reset the address count by logging in now and then."""
    attacker = Client(REMOTE_ADDR="203.0.113.11")
    for i in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        try_login(attacker, f"tebakan{i}")
    assert try_login(attacker, "pelamar", PASSWORD).status_code == 302  # the attacker's own account
    assert AccessAttempt.objects.filter(ip_address="203.0.113.11").exists()
    attacker.logout()
    assert try_login(attacker, "tebakan-lagi").status_code == 429
    assert try_login(attacker, "pegawai", PASSWORD).status_code == 429


def test_own_failures_are_cleared_by_the_owners_success(cast, settings):
    """The per-username count is still reset on success (AXES_RESET_ON_SUCCESS), as before."""
    client = Client(REMOTE_ADDR="203.0.113.12")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        try_login(client, "bkpsdm")
    assert try_login(client, "bkpsdm", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        try_login(client, "bkpsdm")
    assert try_login(client, "bkpsdm", PASSWORD).status_code == 302


# --- password reset: mails limited, the answer always the same ---------------------------------------------


def request_reset(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def test_reset_mails_to_one_address_are_limited_and_the_page_is_unchanged(cast, settings):
    assert (settings.PASSWORD_RESET_EMAIL_LIMIT, settings.PASSWORD_RESET_WINDOW_MINUTES) == (3, 60)
    client = Client(REMOTE_ADDR="203.0.113.20")
    responses = [request_reset(client, "bkpsdm@example.go.id") for _ in range(15)]
    assert len(mail.outbox) == 3
    assert {r.status_code for r in responses} == {302}
    assert {r.url for r in responses} == {reverse("password_reset_done")}
    # The same address typed differently is the same address; from another network too.
    request_reset(Client(REMOTE_ADDR="203.0.113.21"), "  BKPSDM@Example.go.id ")
    assert len(mail.outbox) == 3
    done = client.get(reverse("password_reset_done")).content.decode()
    assert "Jika ada akun dengan alamat tersebut" in done
    # Another address still gets its mail.
    request_reset(client, "pegawai@example.go.id")
    assert len(mail.outbox) == 4 and mail.outbox[-1].to == ["pegawai@example.go.id"]


def test_the_limit_does_not_tell_known_from_unknown_addresses(cast):
    """Over the limit or not, known address or not: the same redirect to the same page."""
    client = Client(REMOTE_ADDR="203.0.113.22")
    known = [request_reset(client, "kepala@example.go.id") for _ in range(5)]
    unknown = [request_reset(client, "tidak-ada@example.go.id") for _ in range(5)]
    assert len(mail.outbox) == 3
    assert {(r.status_code, r.url) for r in known} == {(r.status_code, r.url) for r in unknown}


def test_reset_mails_from_one_client_are_limited_across_addresses(cast, settings):
    assert settings.PASSWORD_RESET_IP_LIMIT == 10
    for i in range(15):
        make_user(f"staf{i}")
    client = Client(REMOTE_ADDR="203.0.113.23")
    for i in range(15):
        assert request_reset(client, f"staf{i}@example.go.id").status_code == 302
    assert len(mail.outbox) == 10
    # Another client is not affected.
    request_reset(Client(REMOTE_ADDR="203.0.113.24"), "staf14@example.go.id")
    assert len(mail.outbox) == 11


def test_reset_mails_are_allowed_again_after_the_window(cast):
    client = Client(REMOTE_ADDR="203.0.113.25")
    for _ in range(5):
        request_reset(client, "bkpsdm@example.go.id")
    assert len(mail.outbox) == 3
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=30)):
        request_reset(client, "bkpsdm@example.go.id")
        assert len(mail.outbox) == 3
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        request_reset(client, "bkpsdm@example.go.id")
        assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True)
def test_parallel_reset_requests_send_no_more_than_the_limit(cast, settings):
    """Ten requests for one address at the same moment: the counter is Redis' atomic INCR (and a
    refused request gives its unit back), so exactly the limit of mails goes out."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(10)
    statuses: list[int] = []

    def send() -> None:
        try:
            client = Client(REMOTE_ADDR="203.0.113.30")
            barrier.wait(timeout=30)
            statuses.append(request_reset(client, "bkpsdm@example.go.id").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * 10
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAIL_LIMIT
