"""One page layout for every page (issue 17): pages extend templates/layouts/, not base.html, and use
the shared region picker; rendered pages of each role carry one page head (one h1, actions on the
right where the page has them)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
LAYOUTS = ("layouts/app.html", "layouts/public.html", "layouts/narrow.html")
EXTENDS = re.compile(r'{%\s*extends\s+"([^"]+)"\s*%}')
# A hand-written region selector: a <select> whose name is the region GET parameter.
REGION_SELECT = re.compile(r'<select\b[^>]*\bname="region"', re.S)


def _is_page(path: Path) -> bool:
    rel = path.relative_to(TEMPLATES)
    if rel.parts[0] in ("components", "layouts", "emails", "pwa") or rel.name == "base.html":
        return False
    if rel.name.startswith("_"):
        return False
    return not (rel.parts[0] == "registration" and "_email" in rel.name)


PAGES = sorted(p for p in TEMPLATES.rglob("*.html") if _is_page(p))


def _layout_of(name: str, seen: tuple[str, ...] = ()) -> str | None:
    """The layout a template ends up in, following `{% extends %}` through other page templates."""
    if name in LAYOUTS:
        return name
    path = TEMPLATES / name
    if name in seen or not path.exists():
        return None
    match = EXTENDS.search(path.read_text())
    return _layout_of(match.group(1), (*seen, name)) if match else None


def test_there_are_pages_to_check():
    assert len(PAGES) > 80


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_page_extends_a_layout(path):
    source = path.read_text()
    match = EXTENDS.search(source)
    assert match, "a page template extends one of templates/layouts/"
    assert match.group(1) != "base.html", (
        "extend layouts/app.html, layouts/public.html or layouts/narrow.html"
    )
    assert _layout_of(match.group(1)) in LAYOUTS
    assert "{% block content %}" not in source, "a layout's page goes in {% block page %}"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_page_uses_the_shared_region_picker(path):
    assert not REGION_SELECT.search(path.read_text()), (
        "use {% region_picker %} (components/region_picker.html)"
    )


class _Head(HTMLParser):
    """Counts the h1 elements and notes whether the page head holds an actions area."""

    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.actions = 0
        self.page_heads = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "h1":
            self.h1 += 1
        if "page-head" in classes:
            self.page_heads += 1
        if "page-actions" in classes:
            self.actions += 1


def _head(response) -> _Head:
    assert response.status_code == 200, response.status_code
    parser = _Head()
    parser.feed(response.content.decode())
    return parser


# (role, url name, has actions): main pages of each role.
PAGES_BY_ROLE = [
    ("anonymous", "login", False),
    ("anonymous", "recruitment:public_selections", False),
    ("anonymous", "training:verify_lookup", False),
    ("anonymous", "feedback:public_index", False),
    ("staff", "accounts:account", False),
    ("staff", "training:catalog", True),
    ("hr", "org:directory", True),
    ("hr", "org:import_list", True),
    ("hr", "training:manage", True),
    ("hr", "recruitment:hr_selections", True),
    ("hr", "reports:dashboard", True),
    ("head", "reports:dashboard", True),
    ("observer", "recruitment:observer_home", False),
    ("panel", "recruitment:panel_queue", False),
    ("applicant", "recruitment:applicant_dashboard", False),
]


NARROW = {"login"}


@pytest.mark.parametrize(("role", "url_name", "has_actions"), PAGES_BY_ROLE)
def test_page_head_of_each_role(cast, role, url_name, has_actions):
    head = _head(cast.client(role).get(reverse(url_name)))
    assert head.h1 == 1
    assert head.page_heads == (0 if url_name in NARROW else 1)
    assert head.actions == (1 if has_actions else 0)


def test_narrow_pages_have_one_h1_in_their_card(cast):
    head = _head(cast.client("anonymous").get(reverse("password_reset")))
    assert head.h1 == 1
    assert head.page_heads == 0


def test_region_picker_marks_the_chosen_region_and_hides_with_one(cast):
    from django.template import Context, Template

    template = Template("{% load ui %}{% region_picker regions region %}")
    both = template.render(Context({"regions": [cast.region_a, cast.region_b], "region": cast.region_b}))
    assert 'name="region"' in both
    assert f'<option value="{cast.region_b.pk}" selected>' in both
    assert f'<option value="{cast.region_a.pk}" >' in both
    assert "Region" in both or "Daerah" in both
    assert template.render(Context({"regions": [cast.region_a], "region": cast.region_a})).strip() == ""
    # A form field's (value, label) choices, inside the page's own form.
    bare = Template("{% load ui %}{% region_picker choices 2 bare=True %}").render(
        Context({"choices": [(1, "Satu"), (2, "Dua")]})
    )
    assert "<form" not in bare
    assert '<option value="2" selected>Dua</option>' in bare
