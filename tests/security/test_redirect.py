"""Open redirects: every URL that reads a `next` sends the browser only to this site.

The views that read `next` (grep of the apps): Django's log-in and log-out, the language switch
(/i18n/setlang/, which also falls back to the Referer), and the second factor's verification and
setup pages (asnportal/accounts/views.py, _next_url). The middleware that sends an unverified
officer to verification writes the `next` itself: it must carry the whole requested URL (query
string included) and nothing that an attacker can append. Each attack URL is one that browsers
follow off-site: absolute, scheme-relative, with a backslash, with a scheme and no slashes, a
javascript: URL, credentials before the host.
"""

import datetime as dt
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from asnportal.accounts.views import PENDING_KEY

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
VERIFY = reverse("accounts:otp_verify")
SETUP = reverse("accounts:otp_setup")
SAFE = "/kinerja/"
EVIL = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
    "///evil.example",
    "/\t/evil.example",
]


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def assert_on_site(location: str) -> None:
    """A Location a browser resolves to this site (testserver), over http(s), nothing else."""
    normalised = location.replace("\\", "/").replace("\t", "").replace("\n", "").strip()
    parts = urlsplit(normalised)
    assert parts.scheme in ("", "http", "https"), location
    assert parts.netloc in ("", "testserver"), location
    if not parts.scheme:
        assert normalised.startswith("/") and not normalised.startswith("//"), location
    assert "evil.example" not in parts.netloc + parts.path.split("?")[0], location


def login_with_next(client: Client, username: str, target: str):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, "next": target})


def verified_officer(cast) -> tuple[Client, bytes]:
    """An HR officer after the password, before the second factor, and the key of their app."""
    user = cast.users["hr"]
    key = TOTPDevice.objects.create(user=user, name="ponsel dinas", confirmed=True).bin_key
    client = Client()
    assert client.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
    return client, key


# --- log-in -------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", EVIL)
def test_log_in_never_redirects_off_site(cast, target):
    page = Client().get(LOGIN, {"next": target})
    assert page.status_code == 200 and page.context["next"] == ""  # not even kept in the form
    response = login_with_next(Client(), "pegawai", target)
    assert response.status_code == 302
    assert_on_site(response.url)
    assert response.url == reverse("home")


def test_log_in_honours_a_next_on_this_site(cast):
    page = Client().get(LOGIN, {"next": SAFE})
    assert page.context["next"] == SAFE
    assert login_with_next(Client(), "pegawai", SAFE).url == SAFE


# --- the second factor --------------------------------------------------------------------------


@pytest.mark.parametrize("target", EVIL)
def test_verification_never_redirects_off_site(cast, target):
    client, key = verified_officer(cast)
    page = client.get(VERIFY, {"next": target})
    assert page.status_code == 200 and page.context["next"] == "/"
    response = client.post(VERIFY, {"token": f"{totp(key):06d}", "next": target})
    assert response.status_code == 302
    assert_on_site(response.url)
    assert response.url == "/"


def test_verification_honours_a_next_on_this_site(cast):
    client, key = verified_officer(cast)
    response = client.post(f"{VERIFY}?{urlencode({'next': SAFE})}", {"token": f"{totp(key):06d}"})
    assert response.status_code == 302 and response.url == SAFE


@pytest.mark.parametrize("target", EVIL)
def test_setup_never_links_off_site(cast, target):
    """After linking a first app the recovery codes page shows a 'continue' link: to this site."""
    client = Client()
    client.post(LOGIN, {"username": "pengamat", "password": PASSWORD})
    assert client.get(SETUP, {"next": target}).context["next"] == "/"
    secret = bytes.fromhex(client.session[PENDING_KEY]["key"])
    response = client.post(SETUP, {"token": f"{totp(secret):06d}", "next": target})
    assert response.status_code == 200 and response.context["next"] == "/"
    assert "evil.example" not in response.content.decode()


def test_the_verification_middleware_keeps_the_whole_url_and_nothing_more(cast, _clock):
    """The officer asked for a filtered directory: after the code they land on exactly that page.
    A `next` smuggled into the requested URL's query string does not become the target."""
    client, key = verified_officer(cast)
    wanted = f"{reverse('org:directory')}?q=Budi&unit={cast.unit_a.pk}"
    to_verify = client.get(wanted)
    assert to_verify.status_code == 302 and to_verify.url.startswith(VERIFY)
    response = client.post(to_verify.url, {"token": f"{totp(key):06d}"})
    assert response.status_code == 302 and response.url == wanted

    other = Client()
    other.post(LOGIN, {"username": "bkpsdm", "password": PASSWORD})
    smuggled = f"{reverse('org:directory')}?q=x&next=https://evil.example/"
    to_verify = other.get(smuggled)
    assert to_verify.status_code == 302
    _clock.shift(dt.timedelta(seconds=31))  # the first code is spent: the next time window's
    response = other.post(to_verify.url, {"token": f"{totp(key):06d}"})
    assert response.status_code == 302
    assert_on_site(response.url)
    assert response.url == smuggled  # the page asked for, on this site, not the smuggled target


# --- log-out and the language switch --------------------------------------------------------------


@pytest.mark.parametrize("target", EVIL)
def test_log_out_never_redirects_off_site(cast, target):
    client = cast.client("staff")
    response = client.post(reverse("logout"), {"next": target})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert_on_site(response.url)
    assert "_auth_user_id" not in client.session


def test_log_out_honours_a_next_on_this_site(cast):
    response = cast.client("staff").post(reverse("logout"), {"next": SAFE})
    assert response.status_code == 302 and response.url == SAFE


@pytest.mark.parametrize("target", EVIL)
def test_the_language_switch_never_redirects_off_site(cast, target):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert_on_site(response.url)
    assert client.cookies["django_language"].value == "en"
    # Without a next the Referer is used: an attacker's page as Referer is refused too.
    response = client.post(reverse("set_language"), {"language": "id"}, HTTP_REFERER=target)
    assert response.status_code == 302
    assert_on_site(response.url)


def test_the_language_switch_honours_a_next_on_this_site(cast):
    response = Client().post(reverse("set_language"), {"language": "en", "next": SAFE})
    assert response.status_code == 302 and response.url == SAFE
