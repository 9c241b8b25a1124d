"""Recruitment test data: selections with formations, and applicants at any stage, built quickly."""

import datetime as dt
import itertools

from django.utils import timezone

from asnportal.accounts.models import Role, RoleAssignment, User
from asnportal.org.models import Region
from recruitment.models import (
    ApplicantProfile,
    Application,
    Formation,
    ObserverAssignment,
    PanelAssignment,
    ScreeningDecision,
    Selection,
    SkdScore,
)
from recruitment.services import selection_create

from ..clock import TODAY
from ..org.factories import PositionFactory, UnitFactory

_seq = itertools.count(1)


def nik_for(birth: dt.date, n: int, *, female: bool = False) -> str:
    day = birth.day + (40 if female else 0)
    return f"17{n % 10000:04d}{day:02d}{birth:%m%y}{1 + n % 9999:04d}"


def make_selection(
    *, region: Region, quota: int = 1, formations: int = 1, created_by=None, **fields
) -> Selection:
    unit = UnitFactory(region=region)
    specs = [
        {
            "position_id": PositionFactory(region=region).pk,
            "unit_id": unit.pk,
            "education": "S1 Psikologi",
            "quota": quota,
        }
        for _ in range(formations)
    ]
    return selection_create(
        region=region,
        year=TODAY.year,
        name=f"Seleksi CASN {next(_seq)}",
        created_by=created_by,
        formations=specs,
        **fields,
    )


def make_applicant_user(name: str = "Pelamar", *, email: str | None = None) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        username=email or f"pelamar{n}@example.id", email=email or f"pelamar{n}@example.id"
    )
    RoleAssignment.objects.create(user=user, role=Role.APPLICANT)
    return user


def make_application(
    formation: Formation,
    *,
    name: str | None = None,
    birth: dt.date = dt.date(1998, 5, 17),
    screened: bool | None = True,
    skd: tuple[int, int, int] | None = None,
    by=None,
) -> Application:
    """An application written directly (not through services): for rule tests only."""
    n = next(_seq)
    user = make_applicant_user()
    ApplicantProfile.objects.create(user=user, full_name=name or f"Pelamar {n}")
    selection = formation.selection
    application = Application.objects.create(
        selection=selection,
        formation=formation,
        user=user,
        participant_number=f"P{n:07d}",
        full_name=name or f"Pelamar {n}",
        nik=nik_for(birth, n),
        birth_date=birth,
    )
    by = by or user
    if screened is not None:
        ScreeningDecision.objects.create(application=application, met=screened, reason="uji", decided_by=by)
    if skd is not None:
        SkdScore.objects.create(application=application, twk=skd[0], tiu=skd[1], tkp=skd[2], created_by=by)
    return application


def assign(model, *, selection: Selection, user, days_before: int = 30, days_after: int = 30):
    today = timezone.localdate()
    model_cls = {"observer": ObserverAssignment, "panel": PanelAssignment}[model]
    return model_cls.objects.create(
        selection=selection,
        user=user,
        valid_from=today - dt.timedelta(days=days_before),
        valid_until=today + dt.timedelta(days=days_after),
    )
