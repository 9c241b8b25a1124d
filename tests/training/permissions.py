"""Expected answer of every training URL per role (see tests/permission_cases.py)."""

import datetime as dt

from django.utils import timezone

from tests.permission_cases import PUBLIC, Case, only
from training.models import Enrollment

from .factories import ProgrammeFactory, SessionFactory

STAFF = ("staff", "supervisor")


def _session(cast, **extra):
    today = timezone.localdate()
    defaults = {
        "programme": ProgrammeFactory(region=cast.region_a),
        "region": cast.region_a,
        "enroll_opens": today - dt.timedelta(days=5),
        "enroll_closes": today + dt.timedelta(days=5),
        "start_date": today + dt.timedelta(days=10),
        "end_date": today + dt.timedelta(days=12),
    }
    defaults.update(extra)
    session = SessionFactory(**defaults)
    cast.objects["session"] = session
    cast.objects["programme"] = session.programme
    return session


def _enrollment(cast, status=Enrollment.Status.REQUESTED, **extra):
    session = _session(cast)
    enrollment = Enrollment.objects.create(
        session=session, employee=cast.objects["staff_employee"], status=status, **extra
    )
    cast.objects["enrollment"] = enrollment
    return enrollment


def _completed(cast):
    _enrollment(
        cast,
        status=Enrollment.Status.COMPLETED,
        completed_on=timezone.localdate(),
        jp_granted=24,
        certificate_code="ABCDEFGH2345",
    )


def _session_kwargs(c):
    return {"pk": c.objects["session"].pk}


def _enrollment_kwargs(c):
    return {"pk": c.objects["enrollment"].pk}


def _programme_kwargs(c):
    return {"pk": c.objects["programme"].pk}


# Own records of the staff member: the supervisor (another employee) finds nothing there.
OWN = only(*STAFF, supervisor=404)
HR_A = only("hr", "hr_other", hr_other=404)
HR_A_POST = only("hr", "hr_other", status=302, hr_other=404)

CASES = {
    "training:catalog": Case(only(*STAFF)),
    "training:my": Case(only(*STAFF)),
    "training:session_detail": Case(only(*STAFF), kwargs=_session_kwargs, setup=_session),
    "training:enroll": Case(only(*STAFF, status=302), kwargs=_session_kwargs, setup=_session, method="post"),
    "training:cancel": Case(
        only(*STAFF, status=302, supervisor=404), kwargs=_enrollment_kwargs, setup=_enrollment, method="post"
    ),
    "training:certificate": Case(OWN, kwargs=_enrollment_kwargs, setup=_completed),
    "training:feedback": Case(OWN, kwargs=_enrollment_kwargs, setup=_completed),
    "training:verify_lookup": Case(PUBLIC),
    "training:verify": Case(PUBLIC, kwargs=lambda c: {"code": "ABCDEFGH2345"}, setup=_completed),
    "training:manage": Case(only("hr", "hr_other")),
    "training:below_20": Case(only("hr", "hr_other")),
    "training:below_20_xlsx": Case(only("hr", "hr_other")),
    "training:programme_create": Case(only("hr", "hr_other")),
    "training:session_create": Case(only("hr", "hr_other")),
    "training:programme_edit": Case(HR_A, kwargs=_programme_kwargs, setup=_session),
    "training:material_add": Case(
        HR_A_POST,
        kwargs=_programme_kwargs,
        setup=_session,
        method="post",
        data=lambda c: {"m-title": "Modul", "m-url": "https://elearning.example/modul"},
    ),
    "training:programme_results": Case(HR_A, kwargs=_programme_kwargs, setup=_session),
    "training:session_manage": Case(HR_A, kwargs=_session_kwargs, setup=_session),
    "training:session_edit": Case(HR_A, kwargs=_session_kwargs, setup=_session),
    "training:session_allocate": Case(HR_A_POST, kwargs=_session_kwargs, setup=_session, method="post"),
    "training:attendance": Case(
        HR_A_POST,
        kwargs=_session_kwargs,
        setup=_session,
        method="post",
        data=lambda c: {"day": c.objects["session"].start_date.isoformat()},
    ),
    "training:session_complete": Case(HR_A_POST, kwargs=_session_kwargs, setup=_session, method="post"),
}
