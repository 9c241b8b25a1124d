"""`{{ obj.pk|pk_url:"app:name" }}`: the URL of a view taking one integer, for long table loops.

`{% url 'app:name' obj.pk %}` resolves the pattern again for every row (about a tenth of the
directory's rendering with two links per employee). The URL is reversed once per process, URL
prefix and language with a placeholder number, and each row only puts its own number in.
"""

from collections.abc import Callable
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

register = template.Library()

_PLACEHOLDER = 987654321987


@lru_cache(maxsize=512)
def _pattern(url_name: str, script_prefix: str, language: str | None) -> tuple[str, str] | None:
    url = reverse(url_name, args=[_PLACEHOLDER])
    head, found, tail = url.partition(str(_PLACEHOLDER))
    if not found or str(_PLACEHOLDER) in tail:
        return None
    return head, tail


@register.filter
def pk_url(pk, url_name: str) -> str:
    if type(pk) is not int:
        return reverse(url_name, args=[pk])
    parts = _pattern(url_name, get_script_prefix(), get_language())
    if parts is None:
        return reverse(url_name, args=[pk])
    return f"{parts[0]}{pk}{parts[1]}"


def row_urls(url_name: str, *leading) -> Callable[[int], str]:
    """For a view's code: the URLs of `url_name` whose LAST argument is a row's integer id, after
    fixed `leading` arguments (e.g. a snapshot's units). Reversed once, each row fills in its id."""
    url = reverse(url_name, args=[*leading, _PLACEHOLDER])
    head, found, tail = url.partition(str(_PLACEHOLDER))
    if not found or str(_PLACEHOLDER) in tail:
        return lambda pk: reverse(url_name, args=[*leading, pk])
    return lambda pk: f"{head}{int(pk)}{tail}"
