"""The shared cast: one user per role, in region A (Bengkulu), and an HR officer of region B (Sorong)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client

from asnportal.accounts.models import Role, RoleAssignment, User
from asnportal.celery import app as celery_app
from asnportal.org.models import Region, Unit
from asnportal.org.regions import regions_ensure

from .clock import NOW, TODAY
from .org.factories import EmployeeFactory, PositionFactory, UnitFactory

PASSWORD = "Rahasia-Uji-2026!"  # noqa: S105 - test accounts only

# Every role a permission test checks, in the order the matrix prints them.
ROLES = [
    "anonymous",
    "staff",
    "supervisor",
    "hr",
    "head",
    "observer",
    "panel",
    "applicant",
    "hr_other",
    "admin",
]


@dataclass
class Cast:
    region_a: Region
    region_b: Region
    unit_a: Unit
    unit_b: Unit
    users: dict[str, User | None]
    objects: dict[str, Any]

    def client(self, role: str) -> Client:
        client = Client()
        user = self.users.get(role)
        if user is not None:
            login_verified(client, user)
        return client


def login_verified(client: Client, user: User) -> Client:
    """Log in as a user who has passed the second factor (when their role needs one)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from asnportal.accounts.security import needs_second_factor

    client.force_login(user)
    if needs_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def make_user(username: str, *, role: str | None = None, region: Region | None = None, **extra) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.go.id", **extra
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, region=region)
    return user


@pytest.fixture(autouse=True)
def _clock():
    """Every test starts at 10:00 WIB of the suite's day (tests/clock.py), the clock ticking.

    A test that needs another moment travels there itself (time_machine nests)."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def today() -> dt.date:
    """The suite's day (ASN_TEST_TODAY or the real date), as the code under test sees it."""
    return TODAY


def pytest_report_header(config):
    return f"ASN Portal test day: {TODAY.isoformat()} (set ASN_TEST_TODAY=YYYY-MM-DD to run on another)"


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process unless a test starts a real worker (marked 'worker')."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def cast(db) -> Cast:
    regions_ensure(Region)  # a transactional test's flush removes the migration's rows
    region_a = Region.objects.get(code="bengkulu")
    region_b = Region.objects.get(code="sorong")
    unit_a = UnitFactory(region=region_a, name="Badan Kepegawaian Daerah", code="BKD")
    unit_b = UnitFactory(region=region_b, name="Dinas Kesehatan Sorong", code="DINKES")
    position_a = PositionFactory(region=region_a, name="Analis SDM Aparatur")
    position_b = PositionFactory(region=region_b, name="Perawat")

    supervisor_user = make_user("atasan")
    staff_user = make_user("pegawai")
    boss = EmployeeFactory(unit=unit_a, position=position_a, user=supervisor_user, name="Siti Atasan")
    staff = EmployeeFactory(
        unit=unit_a, position=position_a, user=staff_user, supervisor=boss, name="Budi Pegawai"
    )
    other_employee = EmployeeFactory(unit=unit_b, position=position_b, name="Yohana Sorong")

    users: dict[str, User | None] = {
        "anonymous": None,
        "staff": staff_user,
        "supervisor": supervisor_user,
        "hr": make_user("bkpsdm", role=Role.HR_OFFICER, region=region_a),
        "head": make_user("kepala", role=Role.REGIONAL_HEAD, region=region_a),
        "observer": make_user("pengamat", role=Role.OBSERVER, region=region_a),
        "panel": make_user("penguji", role=Role.PANEL_MEMBER, region=region_a),
        "applicant": make_user("pelamar", role=Role.APPLICANT),
        "hr_other": make_user("bkpsdm_sorong", role=Role.HR_OFFICER, region=region_b),
        "admin": make_user("admin", is_staff=True, is_superuser=True),
    }
    objects = {
        "staff_employee": staff,
        "supervisor_employee": boss,
        "other_region_employee": other_employee,
        "position_a": position_a,
        "position_b": position_b,
    }
    return Cast(
        region_a=region_a, region_b=region_b, unit_a=unit_a, unit_b=unit_b, users=users, objects=objects
    )
