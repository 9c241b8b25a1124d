"""pk_url gives exactly what {% url %} gives (issue: scale)."""

import pytest
from django.urls import reverse
from django.utils import translation

from asnportal.ui.templatetags.lean_urls import pk_url, row_urls


@pytest.mark.parametrize("name", ["org:employee_detail", "performance:log_detail", "training:session_detail"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_same_as_reverse(name, language):
    with translation.override(language):
        for pk in (1, 42, 10**9):
            assert pk_url(pk, name) == reverse(name, args=[pk])
        assert pk_url("7", name) == reverse(name, args=["7"])


@pytest.mark.parametrize("language", ["id", "en"])
def test_row_urls_same_as_reverse_with_leading_arguments(language):
    with translation.override(language):
        unit_url = row_urls("reports:unit_detail", 17)
        for pk in (1, 42, 10**9):
            assert unit_url(pk) == reverse("reports:unit_detail", args=[17, pk])
