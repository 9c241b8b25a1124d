"""Bahasa Indonesia first: every string on screen has an Indonesian translation."""

import importlib.util
import shutil
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def load_i18n_script():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is installed by `make test`")
def test_indonesian_catalogue_is_complete():
    missing = load_i18n_script().check()
    assert missing == [], f"{len(missing)} strings lack an Indonesian translation: {missing[:30]}"


def test_default_language_is_indonesian_and_english_is_available(settings):
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _name in settings.LANGUAGES] == ["id", "en"]
    with translation.override("id"):
        assert translation.gettext("Log in") == "Masuk"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"
