"""The public front page and the login, in a phone-sized browser."""

import pytest

from .conftest import DESKTOP, PHONE, axe_violations, log_in, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_welcome_and_login_pages_are_accessible(open_page, viewport, db):
    page = open_page(viewport)
    page.goto("/")
    assert "Portal ASN" in page.title()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.goto("/auth/login/")
    assert axe_violations(page) == []
    assert page.errors == []


def test_wrong_password_shows_an_indonesian_message(open_page, cast):
    page = open_page(PHONE)
    log_in(page, "pegawai", "salah-sekali")
    assert "/auth/login/" in page.url
    assert "Masukkan" in page.content()
