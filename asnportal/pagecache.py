"""Public pages read by thousands at announcement time (the ranking, the IKM results).

Their body is rendered once per version of the data it shows and kept in Redis; the layout around
it (with the visitor's own CSRF token for the language switch) is rendered per request, which is
cheap. An anonymous visitor's browser gets an ETag made from that body, so a browser whose copy is
current gets 304 Not Modified and no page at all.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language


def body_cached(version: tuple, build: Callable[[], str], *, timeout: int) -> str:
    """The body for this version of its data (and the current language), rendered on a miss.

    `version` names everything the body shows that can change; `timeout` bounds how long a change
    that does not move it (an edit outside the versioned data) can stay unseen."""
    digest = hashlib.sha256(repr((version, get_language())).encode()).hexdigest()
    key = f"pagecache:{digest}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, timeout)
    return body


def page_with_body(request: HttpRequest, template: str, context: dict, *, body: str) -> HttpResponse:
    """The layout around a cached body; for anonymous visitors an ETag of that body and a 304 when
    their copy is current (the page around the body is the same for every anonymous visitor)."""
    if request.user.is_authenticated:
        return render(request, template, {**context, "body": body})
    tag = hashlib.sha256(f"{get_language()}:{body}".encode()).hexdigest()[:32]
    etag = f'"{tag}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = render(request, template, {**context, "body": body})
    response["ETag"] = etag
    # a browser may keep the page but asks each time whether it is still current
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
