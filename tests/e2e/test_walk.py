"""A screenshot walk of every role's main pages (issue 21) at 390 px and 1280 px, on the demo data
(the demo's own seeding, built around the suite's day): the visible text of every page
(`page.inner_text("body")`) must hold no code name, no English and no number or date in a
non-Indonesian form. Screenshots go to a temporary folder (ASN_WALK_DIR keeps them somewhere)."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from asnportal.org.models import Region
from asnportal.org.regions import regions_ensure

from ..conftest import login_verified
from .conftest import DESKTOP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}

# Each role's main pages: its menu's pages and the ones they open most (demo accounts of Bengkulu).
WALK = {
    "bkpsdm.bengkulu": [
        "/laporan/",
        "/org/pegawai/",
        "/org/impor/",
        "/kinerja/periode/",
        "/kinerja/penghargaan/",
        "/kinerja/talenta/",
        "/rekrutmen/kelola/",
        "/pelatihan/kelola/",
        "/pelatihan/kelola/jp/",
        "/perencanaan/",
        "/perencanaan/struktur/",
        "/survei/kelola/",
        "/survei/kelola/masukan/",
    ],
    "pegawai.bengkulu": [
        "/kinerja/",
        "/kinerja/skp/",
        "/kinerja/penilaian/",
        "/kinerja/log/",
        "/pelatihan/",
        "/pelatihan/saya/",
    ],
    "atasan.bengkulu": ["/kinerja/tinjau/", "/kinerja/tim/"],
    "pengamat.bengkulu": ["/"],
    "kepala.bengkulu": ["/laporan/", "/laporan/bandingkan/"],
    None: ["/", "/survei/", "/survei/hasil/bengkulu/", "/rekrutmen/"],  # a citizen, not logged in
}

# A code name: a snake_case word (`retiring_5y`, `fungsional_keahlian`) or a raw choice value.
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
RAW_VALUES = {
    "submitted",
    "approved",
    "returned",
    "pending",
    "running",
    "monthly",
    "quarterly",
    "sangat_baik",
}
# English that must not appear in Indonesian mode (whole words, case-sensitive as shown on screen).
ENGLISH = [
    "Download", "Dashboard", "Employees", "Log out", "Log in", "Approve", "Submit", "Cancel", "Save",
    "Search", "Show", "Next", "Previous", "Quarter", "Monthly", "Training", "Recruitment", "Performance",
    "Reports", "Rules", "Feedback", "Results", "Public services", "same as", "previous period",
    "running period", "points", "HR officer", "Regional head", "Supervisor", "thread", "none yet",
    "Choose", "Find your", "state the purpose", "messages", "rows",
]  # fmt: skip
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")
DECIMAL_POINT = re.compile(r"\b\d+\.\d{2}\b")  # 240.00, 1.4625 (Indonesian: 240, 1,4625)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
TIME_OF_DAY = re.compile(r"\b\d{4}, \d{1,2}\.\d{2}\b")  # "7 Des 2026, 14.30" is an Indonesian time


def findings(text: str) -> list[str]:
    """What a page's visible text shows that an Indonesian reader should not see."""
    text = TIME_OF_DAY.sub("", text)
    found = [f"code name {m}" for m in SNAKE.findall(text)]
    found += [f"raw value {w}" for w in re.findall(r"\b[a-z_]+\b", text) if w in RAW_VALUES]
    found += [f"English {m}" for m in ENGLISH_RE.findall(text)]
    found += [f"number {m}" for m in DECIMAL_POINT.findall(text)]
    found += [f"ISO date {m}" for m in ISO_DATE.findall(text)]
    return found


def test_findings_catch_what_issue_21_saw():
    text = "unit total retiring_5y · fungsional_keahlian · 60.00 · 2026-01-01 – 2026-12-31 · Download PDF"
    assert findings(text) == [
        "code name retiring_5y",
        "code name fungsional_keahlian",
        "English Download",
        "number 60.00",
        "ISO date 2026-01-01",
        "ISO date 2026-12-31",
    ]
    assert (
        findings("240 berkas · 1,4625 · 22,1% · 7 Des 2026, 14.30 · 1.250 pegawai · NIP 198001012019071001")
        == []
    )


@pytest.fixture
def shots():
    kept = os.environ.get("ASN_WALK_DIR")
    if kept:
        Path(kept).mkdir(parents=True, exist_ok=True)
        yield Path(kept)
        return
    with tempfile.TemporaryDirectory(prefix="asn-walk-") as folder:
        yield Path(folder)


def _signed_in(page, live_server, username: str) -> None:
    """The browser carries the session of `username` with the second factor passed (officers and
    observers have one: the walk is about the pages, not the sign-in, which test_login covers)."""
    client = login_verified(Client(), get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_every_roles_main_pages_read_right_at_390_and_1280(open_page, live_server, shots):
    regions_ensure(Region)  # a transactional test starts from an empty database
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    problems = []
    for username, paths in WALK.items():
        for viewport in (PHONE_390, DESKTOP):
            page = open_page(viewport)
            if username:
                _signed_in(page, live_server, username)
            for path in paths:
                response = page.goto(path)
                page.wait_for_load_state("networkidle")
                assert response is not None and response.status == 200, (username, path, response)
                name = f"{username or 'warga'}{path.replace('/', '_')}{viewport['width']}.png"
                page.screenshot(path=str(shots / name), full_page=True)
                problems += [
                    f"{username or 'warga'} {path} @{viewport['width']}: {f}"
                    for f in findings(page.inner_text("body"))
                ]
    assert sorted(set(problems)) == []
