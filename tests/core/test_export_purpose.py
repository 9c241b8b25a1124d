"""Exports of other people's personal data ask for a stated purpose and leave an audit row
(asnportal/accounts/exports.py); the admin shows the purpose to a superuser only."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from asnportal.accounts.exports import PURPOSE_MAX, PurposeForm, clean_text
from asnportal.accounts.models import AuditEvent

from ..permission_cases import all_cases

pytestmark = pytest.mark.django_db

CASES = all_cases()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IP = "198.51.100.23"
GOOD = {"category": "external_request", "explanation": "  Permintaan\tInspektorat\x07 nomor 12/2026  "}
GOOD_TEXT = "Permintaan Inspektorat nomor 12/2026"

# (url name, role that may export it, content type): every export that needs a purpose.
GATED = [
    ("training:below_20_xlsx", "hr", XLSX),
    ("performance:team_xlsx", "supervisor", XLSX),
    ("performance:unit_xlsx", "hr", XLSX),
    ("performance:appraisal_pdf", "supervisor", "application/pdf"),
    ("performance:appraisal_pdf", "hr", "application/pdf"),
    ("org:import_errors", "hr", XLSX),
    ("feedback:answers_xlsx", "hr", XLSX),
]


def _url(name: str, cast) -> str:
    case = CASES[name]
    if case.setup:
        case.setup(cast)
    return reverse(name, kwargs=case.kwargs(cast) if case.kwargs else None)


def _exports():
    return AuditEvent.objects.filter(action="export")


def _message(msgid: str) -> str:
    """The Indonesian text of a source string (the site's first language)."""
    with translation.override("id"):
        return translation.gettext(msgid)


def test_the_published_results_download_without_a_purpose(cast):
    """The ranking announcement is public by rule and shows no more than the public page: a citizen
    downloads it directly (no form), and nothing is written to the audit log."""
    response = cast.client("anonymous").get(_url("recruitment:export", cast))
    assert response.status_code == 200
    assert response["Content-Type"] in (XLSX, "application/pdf")
    assert not _exports().exists()


@pytest.mark.parametrize(("name", "role", "content_type"), GATED)
def test_get_shows_the_purpose_form_and_no_file(name, role, content_type, cast):
    response = cast.client(role).get(_url(name, cast))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'name="category"' in html and 'name="explanation"' in html and "csrfmiddlewaretoken" in html
    assert "Permintaan instansi lain / penegakan hukum" in html  # Indonesian first
    assert _message("Explanation") in html
    assert not _exports().exists()


@pytest.mark.parametrize(("name", "role", "content_type"), GATED)
def test_a_stated_purpose_returns_the_file_and_one_audit_row(name, role, content_type, cast):
    url = _url(name, cast)
    response = cast.client(role).post(url, GOOD, REMOTE_ADDR=IP)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment")
    if content_type == XLSX:
        assert openpyxl.load_workbook(io.BytesIO(response.content)).active.max_row >= 1
    else:
        assert response.content.startswith(b"%PDF")
    event = _exports().get()
    assert event.user == cast.users[role]  # None for the anonymous visitor of the public ranking
    assert event.ip == IP
    assert event.region_id == cast.region_a.pk
    assert event.detail["purpose_category"] == "external_request"
    assert event.detail["purpose"] == GOOD_TEXT
    assert event.detail["format"] in ("xlsx", "pdf") and event.detail["export"]


BAD = {
    "empty": ({"category": "administration", "explanation": ""}, "Explain why you need this export."),
    "too short": (
        {"category": "administration", "explanation": "singkat"},
        "The explanation must have at least %(min)s characters (letters, digits or punctuation).",
    ),
    "too long": (
        {"category": "administration", "explanation": "x" * (PURPOSE_MAX + 1)},
        "The explanation may have at most %(max)s characters; it has %(n)s.",
    ),
    "control characters only": (
        {"category": "administration", "explanation": "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x1b" * 2},
        "Explain why you need this export.",
    ),
    "unknown category": (
        {"category": "curiosity", "explanation": "Rekap untuk rapat pimpinan"},
        "Choose one of the listed purposes.",
    ),
    "no category": ({"explanation": "Rekap untuk rapat pimpinan"}, "Choose the purpose of this export."),
}


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize(("name", "role", "content_type"), [GATED[2], GATED[5]])
def test_a_bad_purpose_shows_the_form_again_with_no_file_and_no_audit(bad, name, role, content_type, cast):
    data, msgid = BAD[bad]
    response = cast.client(role).post(_url(name, cast), data)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    head = _message(msgid).split("%(")[0]
    assert head != msgid.split("%(")[0], f"{bad}: no Indonesian translation"
    assert head in html, f"{bad}: the Indonesian message is missing"
    assert "Content-Disposition" not in response
    assert not _exports().exists()


def test_the_explanation_is_cleaned_of_control_characters():
    assert clean_text("a\x00b\u200b\tc\r\nd\x1b[31m") == "ab c d[31m"
    form = PurposeForm({"category": "reporting", "explanation": "\x1b[2J Laporan\x00 bulanan\n\nkepala"})
    assert form.is_valid()
    assert form.cleaned_data["explanation"] == "[2J Laporan bulanan kepala"


def test_the_length_limits_are_inclusive():
    ok_short = PurposeForm({"category": "other", "explanation": "a" * 10})
    ok_long = PurposeForm({"category": "other", "explanation": "a" * PURPOSE_MAX})
    too_short = PurposeForm({"category": "other", "explanation": "a" * 9})
    assert ok_short.is_valid() and ok_long.is_valid() and not too_short.is_valid()


def test_own_appraisal_pdf_needs_no_purpose(cast):
    url = _url("performance:appraisal_pdf", cast)
    response = cast.client("staff").get(url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert not _exports().exists()


def test_outsiders_still_get_404_or_403_before_any_form(cast):
    url = _url("performance:unit_xlsx", cast)
    assert cast.client("hr_other").get(url).status_code == 404
    assert cast.client("hr_other").post(url, GOOD).status_code == 404
    assert cast.client("staff").post(reverse("training:below_20_xlsx"), GOOD).status_code == 403
    assert not _exports().exists()


def test_the_form_keeps_the_query_string_and_links_back(cast):
    url = _url("training:below_20_xlsx", cast) + f"?unit={cast.unit_a.pk}"
    html = cast.client("hr").get(url).content.decode()
    assert f'action="{url}"' in html
    assert f'href="{reverse("training:below_20")}"' in html


def test_admin_changelist_shows_the_purpose_to_a_superuser_only(cast):
    cast.client("hr").post(_url("training:below_20_xlsx", cast), GOOD, REMOTE_ADDR=IP)
    changelist = reverse("admin:accounts_auditevent_changelist")
    admin = cast.client("admin")
    html = admin.get(changelist).content.decode()
    assert GOOD_TEXT in html and IP in html
    assert admin.get(changelist, {"action__exact": "export"}).content.decode().count(GOOD_TEXT) == 1
    assert GOOD_TEXT not in admin.get(changelist, {"action__exact": "read_personal"}).content.decode()
    assert GOOD_TEXT in admin.get(changelist, {"q": "Inspektorat"}).content.decode()
    assert GOOD_TEXT not in admin.get(changelist, {"q": "tidak-ada"}).content.decode()
    # Read-only: no add, no change, no delete.
    event = _exports().get()
    assert admin.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    assert (
        admin.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert _exports().count() == 1
    # An officer (not admin staff) is sent to the admin login, and never sees the purpose.
    for role in ("hr", "head", "staff"):
        response = cast.client(role).get(changelist)
        assert response.status_code == 302 and reverse("admin:login") in response.url
