"""Headers and templates hold the Content-Security-Policy: no inline script or style anywhere."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_frame_and_referrer_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_template_has_no_inline_script_or_style(path):
    text = path.read_text()
    for match in re.finditer(r"<script\b([^>]*)>", text):
        attrs = match.group(1)
        assert "src=" in attrs or 'type="application/json"' in attrs, f"inline <script> in {path.name}"
    assert not re.search(r"\sstyle\s*=", text), f"style attribute in {path.name}"
    assert not re.search(r"<style\b", text), f"<style> block in {path.name}"
    assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {path.name}"


@pytest.mark.django_db
def test_pages_are_compressed_for_weak_connections(cast):
    """A phone that accepts gzip gets the page compressed (the same HTML once unpacked); a client
    that does not, gets it plain."""
    import gzip

    client = cast.client("hr")
    plain = client.get(reverse("org:directory"))
    packed = client.get(reverse("org:directory"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "<h1" in html and len(packed.content) < len(html) / 2
