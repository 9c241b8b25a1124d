"""These tests check the English source messages; the Indonesian catalogue is checked elsewhere."""

import pytest
from django.conf import settings
from django.utils import translation

from ..conftest import Cast


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    original = Cast.client

    def client(self, role):
        c = original(self, role)
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return c

    monkeypatch.setattr(Cast, "client", client)
    with translation.override("en"):
        yield
