"""Issue 16: the second factor cannot be replaced from a password-only session, and its life cycle.

Production-like: TWO_FACTOR_REQUIRED on. The attacker knows an HR officer's password only; the
officer has an authenticator app linked.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from asnportal.accounts.models import AuditEvent, EnrollmentLink, RecoveryCode, RecoveryCodeDevice
from asnportal.accounts.security import OTP_LOCKOUT_FAILURES, OTP_LOCKOUT_MINUTES
from asnportal.accounts.views import PENDING_KEY

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture(autouse=True)
def _each_request_commits(monkeypatch):
    """As in production, what a request enqueues after commit (the mails) runs when it ends."""
    original = Client.request

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


def password_login(user) -> Client:
    """A fresh browser that logs in through the real form with the password alone."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password log-in failed"
    return client


def code(key: bytes) -> str:
    return f"{totp(key):06d}"


def wrong_code(key: bytes) -> str:
    """A code no window of the tolerance accepts."""
    near = {totp(key, t0=offset * 30) for offset in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1000000) if n not in near)


def enroll(client: Client, *, url: str = SETUP) -> tuple[bytes, list[str]]:
    """Link an app from the setup page: read the secret it shows, confirm it; the recovery codes."""
    page = client.get(url)
    assert page.status_code == 200 and "secret" in page.context
    key = bytes.fromhex(client.session[PENDING_KEY]["key"])
    response = client.post(url, {"token": code(key)})
    assert response.status_code in (200, 302), response.content[:500]
    return key, list(response.context["codes"]) if response.status_code == 200 else []


def assert_sent_to_verify(response) -> None:
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert b"data:image/svg+xml" not in response.content and "secret" not in (response.context or {})


@pytest.fixture
def owner(cast):
    """The HR officer of region A and the key of their own, confirmed authenticator app."""
    device = TOTPDevice.objects.create(user=cast.users["hr"], name="owner's phone", confirmed=True)
    return cast.users["hr"], device.bin_key


def test_password_only_session_can_never_enroll_a_new_device(cast, owner):
    user, owner_key = owner
    attacker = password_login(user)
    # 1. Logged in with the password, the attacker is sent to verification.
    assert_sent_to_verify(attacker.get(reverse("org:directory")))
    # 2. The setup URL instead: 302 to verification, no secret, nothing pending in the session.
    assert_sent_to_verify(attacker.get(SETUP))
    assert_sent_to_verify(attacker.get(SETUP, {"next": reverse("org:directory")}))
    assert PENDING_KEY not in attacker.session
    # 3. POSTing a confirmation of a secret of their own choosing changes nothing.
    forged = bytes.fromhex("3132333435363738393031323334353637383930")
    assert_sent_to_verify(attacker.post(SETUP, {"token": code(forged)}))
    # 4. Pages that need a verified session stay closed.
    assert_sent_to_verify(attacker.get(reverse("org:directory")))
    assert_sent_to_verify(attacker.get(reverse("accounts:recovery_codes")))
    assert_sent_to_verify(attacker.post(reverse("accounts:recovery_codes")))
    assert_sent_to_verify(attacker.get(reverse("accounts:device_list")))
    assert attacker.get(reverse("accounts:otp_enroll", args=["guessed-token"])).status_code == 404
    # The owner's device is the only one and still verifies.
    assert list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True)) == [owner_key.hex()]
    assert not RecoveryCodeDevice.objects.filter(user=user).exists()
    real = password_login(user)
    assert real.post(VERIFY, {"token": code(owner_key), "next": "/akun/"}).url == "/akun/"
    assert real.get(reverse("org:directory")).status_code == 200
    assert not AuditEvent.objects.filter(action="otp_enrolled").exists()


def test_setup_url_right_after_the_password_login(cast, owner):
    user, _key = owner
    client = Client()
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD, "next": SETUP}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert b"data:image/svg+xml" not in response.content
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_posting_a_confirmation_to_the_setup_url_without_a_verified_session(cast, owner):
    user, owner_key = owner
    attacker = password_login(user)
    # Even the owner's own current code does not turn a password session into an enrollment.
    response = attacker.post(SETUP, {"token": code(owner_key), "next": reverse("org:directory")})
    assert_sent_to_verify(response)
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert not RecoveryCode.objects.exists()


def test_replaying_a_used_totp_code_is_refused(cast, owner):
    user, owner_key = owner
    used = code(owner_key)
    first = password_login(user)
    assert first.post(VERIFY, {"token": used}).status_code == 302
    second = password_login(user)
    response = second.post(VERIFY, {"token": used})
    assert response.status_code == 200
    assert "Kode tersebut sudah dipakai" in response.content.decode()
    assert_sent_to_verify(second.get(reverse("org:directory")))


def test_brute_force_of_codes_locks_verification(cast, owner, _clock):
    user, owner_key = owner
    attacker = password_login(user)
    # django-otp's back-off first: a second wrong code at once is not even checked.
    assert "Kode tersebut salah" in attacker.post(VERIFY, {"token": wrong_code(owner_key)}).content.decode()
    hurried = attacker.post(VERIFY, {"token": wrong_code(owner_key)}).content.decode()
    assert "Terlalu banyak kode salah. Tunggu" in hurried
    for _attempt in range(OTP_LOCKOUT_FAILURES - 1):
        _clock.shift(dt.timedelta(seconds=20))  # past the back-off: each one counts
        response = attacker.post(VERIFY, {"token": wrong_code(owner_key)})
    page = response.content.decode()
    assert "Terlalu banyak kode salah. Verifikasi dikunci sampai pukul" in page
    # Locked: now even the right code is refused, and nothing opens.
    _clock.shift(dt.timedelta(seconds=40))
    refused = attacker.post(VERIFY, {"token": code(owner_key)})
    assert "dikunci sampai" in refused.content.decode()
    assert_sent_to_verify(attacker.get(reverse("org:directory")))
    locked = AuditEvent.objects.get(action="otp_locked")
    assert locked.user == user and locked.region_id == cast.region_a.pk
    assert [m.to for m in mail.outbox] == [[user.email]] and "dikunci" in mail.outbox[0].subject
    # After the lockout the owner gets in with their code.
    _clock.shift(dt.timedelta(minutes=OTP_LOCKOUT_MINUTES))
    owner_client = password_login(user)
    assert owner_client.post(VERIFY, {"token": code(owner_key), "next": "/akun/"}).url == "/akun/"


def test_recovery_code_works_once(cast):
    user = cast.users["observer"]
    first = password_login(user)
    _key, codes = enroll(first)  # a first enrollment: the password is enough
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(device__user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in codes for h in stored)
    mail.outbox.clear()

    lost_phone = password_login(user)
    typed = codes[3].lower().replace("-", " ")  # as someone might type it off the paper
    response = lost_phone.post(VERIFY, {"token": typed, "next": "/akun/"})
    assert response.status_code == 302 and response.url == "/akun/"
    assert lost_phone.get(reverse("accounts:account")).status_code == 200
    event = AuditEvent.objects.get(action="otp_recovery_used")
    assert event.user == user and event.detail["left"] == 9
    assert mail.outbox[-1].to == [user.email] and "kode pemulihan" in mail.outbox[-1].subject.lower()

    again = password_login(user)
    refused = again.post(VERIFY, {"token": codes[3]})
    assert refused.status_code == 200 and "Kode tersebut salah" in refused.content.decode()
    assert_sent_to_verify(again.get(reverse("accounts:account")))


def test_recovery_codes_are_regenerated_only_from_a_verified_session(cast, _clock):
    user = cast.users["panel"]
    client = password_login(user)
    _key, old_codes = enroll(client)
    page = client.get(reverse("accounts:recovery_codes"))
    assert page.status_code == 200 and "10 kode pemulihan" in page.content.decode()
    response = client.post(reverse("accounts:recovery_codes"))
    new_codes = response.context["codes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert AuditEvent.objects.filter(action="otp_recovery_generated", user=user).count() == 1
    assert "kode pemulihan baru" in mail.outbox[-1].subject.lower()
    other = password_login(user)
    assert other.post(VERIFY, {"token": old_codes[0]}).status_code == 200  # void now
    _clock.shift(dt.timedelta(seconds=2))  # past django-otp's back-off after that wrong code
    assert other.post(VERIFY, {"token": new_codes[0]}).status_code == 302


def test_replacing_from_a_verified_session_keeps_the_old_device_until_confirmed(cast, owner):
    user, owner_key = owner
    client = password_login(user)
    assert client.post(VERIFY, {"token": code(owner_key)}).status_code == 302
    page = client.get(SETUP)
    assert page.status_code == 200 and page.context["replacing"]
    new_key = bytes.fromhex(client.session[PENDING_KEY]["key"])
    assert TOTPDevice.objects.get(user=user).bin_key == owner_key  # not replaced yet
    response = client.post(SETUP, {"token": code(new_key), "next": "/akun/"})
    assert response.status_code == 200 and len(response.context["codes"]) == 10  # had none yet
    assert TOTPDevice.objects.get(user=user).bin_key == new_key
    event = AuditEvent.objects.get(action="otp_enrolled")
    assert event.detail["replaced"] and not event.detail["via_link"]
    assert mail.outbox[-1].to == [user.email]


def _reset(client: Client, target, reason: str = "Ponsel hilang, laporan 12/2026"):
    return client.post(reverse("accounts:device_reset", args=[target.pk]), {"reason": reason})


def test_reset_by_a_same_region_hr_officer_with_a_reason(cast):
    target = cast.users["observer"]
    _key, codes = enroll(password_login(target))
    mail.outbox.clear()
    hr = cast.client("hr")
    listing = hr.get(reverse("accounts:device_list"))
    assert target.username in listing.content.decode()
    response = _reset(hr, target)
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not RecoveryCodeDevice.objects.filter(user=target).exists()
    event = AuditEvent.objects.get(action="otp_reset")
    assert event.user == cast.users["hr"] and event.object_id == str(target.pk)
    assert event.detail["reason"] == "Ponsel hilang, laporan 12/2026"
    assert event.region_id == cast.region_a.pk
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [target.email]
    assert "Ponsel hilang" in mail.outbox[0].body
    link = re.search(r"https?://\S+/akun/2fa/daftar/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert path not in response.content.decode()  # an HR officer never sees the link itself

    # The owner (or anyone with the password) can no longer link an app without the link.
    user_client = password_login(target)
    waiting = user_client.get(reverse("org:directory"), follow=True)
    assert waiting.status_code == 403 and "secret" not in waiting.context
    assert user_client.post(VERIFY, {"token": codes[0]}).status_code == 302  # no device: to setup
    assert not RecoveryCodeDevice.objects.filter(user=target).exists()
    # With the link the owner links a new app and gets new recovery codes; the link works once.
    _new_key, new_codes = enroll(user_client, url="/" + path)
    assert len(new_codes) == 10
    assert user_client.get(reverse("accounts:account")).status_code == 200
    assert AuditEvent.objects.filter(action="otp_enrolled", user=target).first().detail["via_link"]
    assert user_client.get("/" + path).status_code == 404
    assert EnrollmentLink.objects.get(user=target).used_at is not None


def test_reset_by_another_regions_officer_answers_404(cast):
    target = cast.users["observer"]
    enroll(password_login(target))
    other = cast.client("hr_other")
    assert other.get(reverse("accounts:device_reset", args=[target.pk])).status_code == 404
    assert _reset(other, target).status_code == 404
    assert target.username not in other.get(reverse("accounts:device_list")).content.decode()
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not AuditEvent.objects.filter(action="otp_reset").exists() and not mail.outbox[1:]


def test_reset_of_an_admin_or_oneself_is_not_an_hr_officers(cast):
    hr = cast.client("hr")
    assert _reset(hr, cast.users["admin"]).status_code == 404
    assert _reset(hr, cast.users["hr"]).status_code == 404
    assert _reset(cast.client("staff"), cast.users["observer"]).status_code == 403
    assert not AuditEvent.objects.filter(action="otp_reset").exists()


def test_reset_without_a_reason_is_refused_with_a_message(cast):
    target = cast.users["observer"]
    enroll(password_login(target))
    mail.outbox.clear()
    response = _reset(cast.client("hr"), target, reason="   ")
    assert response.status_code == 200
    assert "Berikan alasan pengaturan ulang." in response.content.decode()
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not AuditEvent.objects.filter(action="otp_reset").exists() and not mail.outbox


def test_system_admin_resets_through_the_admin_and_sees_the_link(cast):
    target = cast.users["hr_other"]
    enroll(password_login(target))
    admin = cast.client("admin")
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [target.pk]},
    )
    assert response.status_code == 302 and response.url == reverse("accounts:device_reset", args=[target.pk])
    done = _reset(admin, target, reason="Ganti ponsel dinas")
    assert "/akun/2fa/daftar/" in done.content.decode()
    assert AuditEvent.objects.get(action="otp_reset").user == cast.users["admin"]


def test_a_link_of_another_user_does_not_work(cast):
    target = cast.users["observer"]
    enroll(password_login(target))
    _reset(cast.client("hr"), target)
    path = re.search(r"/akun/2fa/daftar/\S+/", mail.outbox[-1].body).group(0)
    stranger = password_login(cast.users["panel"])
    assert stranger.get(path).status_code == 404
    assert EnrollmentLink.objects.get(user=target).used_at is None


def test_the_admin_cannot_add_or_delete_devices_around_the_reset(cast, owner):
    admin = cast.client("admin")
    device = TOTPDevice.objects.get(user=owner[0])
    assert admin.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    assert admin.get(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])).status_code == 403
    assert admin.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 200


def test_a_reset_ends_the_verified_sessions_and_an_expired_link_does_not_work(cast, _clock):
    target = cast.users["observer"]
    session = password_login(target)
    enroll(session)
    assert session.get(reverse("accounts:account")).status_code == 200
    _reset(cast.client("hr"), target)
    assert session.get(reverse("accounts:account")).status_code == 302  # no device verifies it now
    path = re.search(r"/akun/2fa/daftar/\S+/", mail.outbox[-1].body).group(0)
    _clock.shift(dt.timedelta(hours=73))
    late = password_login(target)
    assert late.get(path).status_code == 404
    assert late.post(path, {"token": "123456"}).status_code == 404
    assert not TOTPDevice.objects.filter(user=target).exists()
