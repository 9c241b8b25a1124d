"""IDOR on every POST action: region A's people post to the action URLs with region B's objects.

Each action is posted with data that does change the database: first every role of region A
(HR officer, supervisor, staff, observer, panel member, applicant, regional head) posts it with
region B's object in the URL, and must get 404 when they hold the role the action needs (the
project rule: out of scope is 404, never 403), never a success, and the database must be exactly
as before (every row of the project's tables compared). Then the same POST by region B's own user
must succeed and change the database: the control that the data would have done something.

Ids smuggled in form fields instead of the URL (the review queue's log_ids, a formation's unit and
position, an employee's supervisor NIP, attendance of another session's participant) are refused
the same way, with nothing changed.

The token API (api/) has its own scope tests in tests/api/.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from feedback.models import CitizenInput
from performance.models import ActivityLog, Plan, Rating
from recruitment.models import DEFAULT_RUBRIC, SkdScore
from training import selectors as training_selectors
from training.models import Enrollment

from ..clock import TODAY
from ..conftest import Cast
from ..core.test_object_scope import region_b  # noqa: F401 - the fixture: region B's people
from ..feedback.permissions import CASES as FEEDBACK_CASES
from ..feedback.permissions import _setup as feedback_world
from ..org import permissions as org_permissions
from ..org.factories import EmployeeFactory, PositionFactory, UnitFactory
from ..performance.permissions import world as performance_world
from ..recruitment import permissions as recruitment_permissions
from ..recruitment.permissions import world as recruitment_world
from ..reports import permissions as reports_permissions
from ..training.permissions import _enrollment, _session
from ..workforce import permissions as workforce_permissions

pytestmark = pytest.mark.django_db

ATTACKERS = ["hr", "supervisor", "staff", "observer", "panel", "applicant", "head"]
SUCCESS = (200, 302)


@dataclass
class Action:
    """A POST action: who may do it (the role whose region A holder must get 404), its object."""

    role: str
    build: Callable[[Cast], dict[str, Any]]  # builds region B's objects, returns the URL kwargs
    data: Callable[[Cast], dict[str, Any]] = field(default=lambda w: {})
    also_404: tuple[str, ...] = ()  # further roles of region A that must get exactly 404
    ok: int = 302  # what region B's own user gets (a form shown again is not a success)


# --- the database, compared row by row ------------------------------------------------------------

PROJECT_APPS = [
    a.label for a in apps.get_app_configs() if str(settings.BASE_DIR) in str(a.path) and ".venv" not in a.path
]


def snapshot() -> dict[str, list]:
    rows = {}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.managed and not model._meta.proxy:
                rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


# --- the actions ---------------------------------------------------------------------------------


def _log(w: Cast) -> dict:
    performance_world(w)
    return {"pk": w.objects["log"].pk}


def _submitted_plan(w: Cast) -> dict:
    performance_world(w)
    Plan.objects.filter(pk=w.objects["plan"].pk).update(status=Plan.Status.SUBMITTED)
    return {"pk": w.objects["plan"].pk}


def _appraise(w: Cast) -> dict:
    performance_world(w)
    return {"employee_pk": w.objects["staff_employee"].pk, "period_pk": w.objects["period"].pk}


def _other_rating() -> dict:
    rating = next(r for r in Rating.values if r != "sesuai")
    from performance.models import BerAKHLAK

    return dict.fromkeys(BerAKHLAK.values, rating)


def _period(w: Cast) -> dict:
    performance_world(w)
    return {"pk": w.objects["period"].pk}


def _feedback(key: str) -> Callable[[Cast], dict]:
    def build(w: Cast) -> dict:
        feedback_world(w)
        return {"pk": w.objects[key].pk}

    return build


def _open_session(w: Cast) -> dict:
    return {"pk": _session(w).pk}


def _requested(w: Cast) -> dict:
    return {"pk": _enrollment(w).pk}


def _closed_window(w: Cast) -> dict:
    session = _session(
        w, enroll_opens=TODAY - dt.timedelta(days=10), enroll_closes=TODAY - dt.timedelta(days=1)
    )
    Enrollment.objects.create(session=session, employee=w.objects["staff_employee"], status="requested")
    return {"pk": session.pk}


def _running(w: Cast, *, start: int, end: int) -> dict:
    session = _session(
        w,
        enroll_opens=TODAY - dt.timedelta(days=20),
        enroll_closes=TODAY - dt.timedelta(days=10),
        start_date=TODAY + dt.timedelta(days=start),
        end_date=TODAY + dt.timedelta(days=end),
    )
    type(session).objects.filter(pk=session.pk).update(allocated_at=timezone.now())
    enrollment = Enrollment.objects.create(
        session=session, employee=w.objects["staff_employee"], status=Enrollment.Status.ADMITTED
    )
    w.objects["admitted"] = enrollment
    return {"pk": session.pk}


def _application(w: Cast) -> dict:
    return {"pk": recruitment_world(w)["application"].pk}


def _selection(w: Cast) -> dict:
    return {"pk": recruitment_world(w)["selection"].pk}


def _objection(w: Cast) -> dict:
    return {"pk": recruitment_world(w)["objection"].pk}


def _with_skd(w: Cast) -> dict:
    application = recruitment_world(w)["application"]
    SkdScore.objects.create(application=application, twk=100, tiu=100, tkp=200, created_by=w.users["hr"])
    return {"pk": application.pk}


def _with_skd_selection(w: Cast) -> dict:
    _with_skd(w)
    return _selection(w)


def _objection_open(w: Cast) -> dict:
    from recruitment.models import Selection

    selection = recruitment_world(w)["selection"]
    now = timezone.now()
    Selection.objects.filter(pk=selection.pk).update(
        objection_opens=now - dt.timedelta(days=1), objection_closes=now + dt.timedelta(days=2)
    )
    return _application(w)


def _formation_data(w: Cast) -> dict:
    return {
        "position": PositionFactory(region=w.region_a).pk,
        "unit": UnitFactory(region=w.region_a).pk,
        "education": "S1 Hukum",
        "quota": 1,
    }


def _employee(w: Cast) -> dict:
    return {"pk": w.objects["staff_employee"].pk}


def _employee_data(w: Cast) -> dict:
    e = w.objects["staff_employee"]
    return {
        "nip": e.nip,
        "name": "Nama Diubah Penyerang",
        "kind": e.kind,
        "rank": e.rank,
        "status": e.status,
        "nik": e.nik or "",
        "email": e.email or "",
        "phone": e.phone or "",
        "address": e.address or "",
        "supervisor_nip": w.objects["supervisor_employee"].nip,
    }


def _device_owner(w: Cast) -> dict:
    target = w.users["observer"]
    TOTPDevice.objects.create(user=target, name="ponsel", confirmed=True)
    return {"user_id": target.pk}


# --- workforce planning (URL namespace "planning") --------------------------------------------------
def _analysis(w: Cast) -> dict:
    workforce_permissions._analysis(w)
    return {"pk": w.objects["analysis"].pk}


def _analysis_task(w: Cast) -> dict:
    workforce_permissions._analysis(w)
    return {"pk": w.objects["analysis"].pk, "task_pk": w.objects["task"].pk}


def _ratio(w: Cast) -> dict:
    workforce_permissions._ratio(w)
    return {"pk": w.objects["ratio"].pk}


def _proposal(w: Cast) -> dict:
    workforce_permissions._proposal(w)
    return {"pk": w.objects["proposal"].pk}


def _proposal_row(w: Cast) -> dict:
    return _proposal(w) | {"row_pk": w.objects["row"].pk}


def _submitted_proposal(w: Cast) -> dict:
    data = _proposal(w)
    proposal = w.objects["proposal"]
    proposal.status = proposal.Status.SUBMITTED
    proposal.save(update_fields=["status"])
    return data


def _approved_proposal(w: Cast) -> dict:
    recruitment_permissions._approved_proposal(w)
    return {"proposal_pk": w.objects["proposal"].pk}


def _task_data(w: Cast) -> dict:
    return {"name": "Tugas penyerang", "volume": "10", "standard_time": "30", "time_unit": "min"}


def _row_data(w: Cast) -> dict:
    return {"unit": w.unit_a.pk, "position": w.objects["position_a"].pk, "quota": "1", "education": "S-1"}


def _failed_import(w: Cast) -> dict:
    org_permissions._with_import(w)
    return {"pk": w.objects["import_a"].pk}


def _failed_run(w: Cast) -> dict:
    reports_permissions._failed_run(w)
    return {"pk": w.objects["run"].pk}


def _observed_at() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


ACTIONS: dict[str, Action] = {
    # performance: the daily log's thread, plan agreement, appraisal, closing a period
    "performance:log_detail": Action(
        "supervisor", _log, lambda w: {"form": "reply", "body": "Dari wilayah lain"}, also_404=("staff",)
    ),
    "performance:plan_review": Action(
        "supervisor", _submitted_plan, lambda w: {"action": "return", "note": "Target terlalu rendah"}
    ),
    "performance:appraise": Action("supervisor", _appraise, lambda w: _other_rating()),
    "performance:period_close": Action("hr", _period),
    # feedback: survey set-up and moderation of citizen input
    "feedback:input_moderate": Action(
        "hr", _feedback("input_a"), lambda w: {"action": "answer", "answer": "Sudah ditindaklanjuti."}
    ),
    "feedback:unit_edit": Action("hr", _feedback("su_a"), lambda w: {"name": "Diubah Penyerang"}),
    "feedback:service_add": Action("hr", _feedback("su_a"), FEEDBACK_CASES["feedback:service_add"].data),
    "feedback:question_add": Action("hr", _feedback("su_a"), FEEDBACK_CASES["feedback:question_add"].data),
    "feedback:question_toggle": Action("hr", _feedback("question_a")),
    "feedback:population_set": Action(
        "hr", _feedback("su_a"), FEEDBACK_CASES["feedback:population_set"].data
    ),
    "feedback:token_batch_create": Action(
        "hr", _feedback("su_a"), FEEDBACK_CASES["feedback:token_batch_create"].data
    ),
    # training: enrollment, seat allocation, attendance, completion
    "training:enroll": Action("staff", _open_session, also_404=("supervisor",)),
    "training:cancel": Action("staff", _requested, also_404=("supervisor",)),
    "training:session_allocate": Action("hr", _closed_window),
    "training:attendance": Action(
        "hr",
        lambda w: _running(w, start=0, end=2),
        lambda w: {"day": TODAY.isoformat(), "present": [w.objects["admitted"].pk]},
    ),
    "training:session_complete": Action("hr", lambda w: _running(w, start=-2, end=0)),
    "training:material_add": Action(
        "hr",
        lambda w: {"pk": _session(w).programme.pk},
        lambda w: {"m-title": "Modul penyerang", "m-url": "https://elearning.example/modul"},
    ),
    "training:session_edit": Action(
        "hr",
        _open_session,
        lambda w: {
            "programme": w.objects["programme"].pk,
            "region": w.region_a.pk,
            "name": "Kelas diubah",
            "capacity": 30,
            "enroll_opens": (TODAY - dt.timedelta(days=5)).isoformat(),
            "enroll_closes": (TODAY + dt.timedelta(days=5)).isoformat(),
            "start_date": (TODAY + dt.timedelta(days=10)).isoformat(),
            "end_date": (TODAY + dt.timedelta(days=12)).isoformat(),
            "location": "Aula",
        },
    ),
    # recruitment: screening, scores, objections, observers, panel
    "recruitment:screen": Action("hr", _application, lambda w: {"met": "0", "reason": "Ijazah tidak sesuai"}),
    "recruitment:skd_correct": Action(
        "hr", _with_skd, lambda w: {"twk": 90, "tiu": 90, "tkp": 180, "reason": "Koreksi"}
    ),
    "recruitment:objection_answer": Action(
        "hr", _objection, lambda w: {"accepted": "on", "text": "Sanggah diterima."}
    ),
    "recruitment:formation_add": Action("hr", _selection, _formation_data),
    "recruitment:announcement_create": Action(
        "hr", _selection, lambda w: {"title": "Pengumuman palsu", "body": "Isi"}
    ),
    "recruitment:observation_create": Action(
        "observer",
        _selection,
        lambda w: {
            "observed_at": _observed_at(),
            "stage": "skd",
            "location": "Ruang CAT",
            "finding": "Catatan dari wilayah lain",
            "severity": "info",
        },
    ),
    "recruitment:signoff": Action("observer", _with_skd_selection, lambda w: {"stage": "skd"}),
    "recruitment:skb_score": Action(
        "panel", _application, lambda w: {c["key"]: "80" for c in DEFAULT_RUBRIC} | {"reason": ""}
    ),
    "recruitment:conflict_declare": Action(
        "panel", _application, lambda w: {"relationship": "kerja", "note": "Rekan"}
    ),
    "recruitment:objection_file": Action(
        "applicant", _objection_open, lambda w: {"stage": "skb", "text": "Sanggah dari orang lain"}
    ),
    # org and accounts
    "org:employee_edit": Action("hr", _employee, _employee_data),
    "org:import_retry": Action("hr", _failed_import),
    "reports:run_retry": Action("hr", _failed_run),
    # workforce planning and the selection opened from its approved proposal
    "planning:workload_detail": Action("hr", _analysis, _task_data, ok=302),
    "planning:workload_task_delete": Action("hr", _analysis_task),
    "planning:ratio_delete": Action("hr", _ratio),
    "planning:proposal_detail": Action("hr", _proposal, _row_data),
    "planning:proposal_row_delete": Action("hr", _proposal_row),
    "planning:proposal_submit": Action("hr", _proposal),
    "planning:proposal_approve": Action("hr", _submitted_proposal),
    "planning:proposal_return": Action("hr", _submitted_proposal),
    "recruitment:selection_from_proposal": Action("hr", _approved_proposal),
    "accounts:device_reset": Action("hr", _device_owner, lambda w: {"reason": "Ponsel hilang"}, ok=200),
}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_region_a_cannot_act_on_region_bs_objects(name, cast, region_b):  # noqa: F811
    action = ACTIONS[name]
    kwargs = action.build(region_b)
    data = action.data(region_b)
    url = reverse(name, kwargs=kwargs)
    attackers = {role: cast.client(role) for role in ATTACKERS}  # log-ins write last_login: before
    owner = region_b.client(action.role)
    before = snapshot()
    failures = []
    for role, client in attackers.items():
        status = client.post(url, data).status_code
        if role == action.role or role in action.also_404:
            if status != 404:
                failures.append(f"{role} of region A: {status}, not 404")
        elif status in SUCCESS or status >= 500:
            failures.append(f"{role} of region A: {status}")
    after = snapshot()
    assert not failures, f"{name} {url}: " + "; ".join(failures)
    assert not changed_tables(before, after), (
        f"{name}: region A's post changed {changed_tables(before, after)}"
    )

    # The control: region B's own user with the same data does change something.
    response = owner.post(url, data)
    assert response.status_code == action.ok, f"{name}: region B's {action.role} got {response.status_code}"
    assert changed_tables(after, snapshot()), f"{name}: the data of this test changes nothing"


def test_every_post_action_is_listed():
    """The POST actions with an object in the URL that this module knows of; a new one must be added."""
    from .test_csrf import PATTERNS

    ids = {"pk", "user_id", "employee_pk", "proposal_pk"}
    takes_id = {n for n, (_cb, params) in PATTERNS.items() if ids & set(params)}
    known_reads = {n for n in takes_id if n.split(":")[0] in ("admin", "api")} | REPORT_READS
    missing = sorted(takes_id - set(ACTIONS) - known_reads - READ_ONLY)
    assert not missing, f"URLs with an id neither tested here nor listed as read-only: {missing}"


REPORT_READS = {"reports:unit_detail", "reports:snapshot_export", "reports:run_detail"}
# Views with an id in the URL that change nothing (pages, files, exports), or that tests/security
# test_scope_404 covers with the permission matrix's POST Cases.
READ_ONLY = {
    "performance:log_evidence",
    "performance:appraisal_detail",
    "performance:appraisal_pdf",
    "performance:unit_xlsx",
    "org:employee_detail",
    "org:import_detail",
    "org:import_progress",
    "org:import_errors",
    "recruitment:public_selection",
    "recruitment:public_ranking",
    "recruitment:export",
    "recruitment:apply",  # any published selection, in any region, by design
    "recruitment:document_file",
    "recruitment:hr_selection",
    "recruitment:skd_import",  # a file upload: tests/security/test_uploads.py
    "recruitment:observer_selection",
    "training:session_detail",
    "training:certificate",
    "training:feedback",  # the staff member's own enrollment: test_object_scope, a colleague's 404
    "training:programme_edit",
    "training:programme_results",
    "training:session_manage",
    "feedback:unit_detail",
    "feedback:token_batch_pdf",
    "feedback:qr",
    "feedback:poster",
    "feedback:report_pdf",
    "feedback:answers_xlsx",
}


# --- ids smuggled in form fields -------------------------------------------------------------------


def _post_unchanged(client: Client, url: str, data: dict) -> int:
    before = snapshot()
    status = client.post(url, data).status_code
    assert not changed_tables(before, snapshot()), f"{url} with {data}: the database changed"
    return status


def test_review_queue_refuses_logs_of_another_region_or_team(cast, region_b):  # noqa: F811
    performance_world(cast)
    performance_world(region_b)
    foreign = region_b.objects["log"]
    own = cast.objects["log"]
    # A colleague of region A with another supervisor, and their submitted log.
    other_boss = EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"])
    colleague = EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"], supervisor=other_boss)
    colleague_log = ActivityLog.objects.create(
        employee=colleague,
        indicator=own.indicator,
        date=own.date,
        quantity=1,
        duration_minutes=30,
        description="Kegiatan rekan",
    )
    url = reverse("performance:review_queue")
    supervisor = cast.client("supervisor")
    missing = _post_unchanged(supervisor, url, {"log_ids": [2_000_000_000], "action": "approve"})
    for smuggled in (foreign.pk, colleague_log.pk):
        for ids in ([smuggled], [own.pk, smuggled]):
            status = _post_unchanged(supervisor, url, {"log_ids": ids, "action": "approve"})
            assert status in (403, 404) and status == missing, (ids, status)
            status = _post_unchanged(supervisor, url, {"single": smuggled})
            assert status == missing
            status = _post_unchanged(
                supervisor, url, {"log_ids": ids, "action": "return", "comment": "Perbaiki"}
            )
            assert status == missing
    for log in (foreign, colleague_log, own):
        log.refresh_from_db()
        assert log.status == ActivityLog.Status.SUBMITTED and log.reviewed_by_id is None
    # The own log alone still goes through.
    assert supervisor.post(url, {"log_ids": [own.pk], "action": "approve"}).status_code == 302
    own.refresh_from_db()
    assert own.status == ActivityLog.Status.APPROVED


def test_a_formation_with_another_regions_unit_or_position_is_refused(cast, region_b):  # noqa: F811
    selection = recruitment_world(cast)["selection"]
    url = reverse("recruitment:formation_add", kwargs={"pk": selection.pk})
    hr = cast.client("hr")
    own = {"position": cast.objects["position_a"].pk, "unit": cast.unit_a.pk, "education": "S1", "quota": 1}
    for smuggled in ({"unit": cast.unit_b.pk}, {"position": cast.objects["position_b"].pk}):
        response_status = _post_unchanged(hr, url, own | smuggled)
        assert response_status == 200  # the form again, with the choice refused
    assert hr.post(url, own).status_code == 302
    assert selection.formations.count() == 2


def test_an_employee_cannot_get_a_supervisor_of_another_region(cast):
    staff = cast.objects["staff_employee"]
    url = reverse("org:employee_edit", kwargs={"pk": staff.pk})
    data = {
        "nip": staff.nip,
        "name": staff.name,
        "kind": staff.kind,
        "rank": staff.rank,
        "status": staff.status,
        "nik": staff.nik or "",
        "email": staff.email or "",
        "phone": staff.phone or "",
        "address": staff.address or "",
        "supervisor_nip": cast.objects["other_region_employee"].nip,
    }
    response = cast.client("hr").post(url, data)
    assert response.status_code == 200
    assert "Tidak ada pegawai dengan NIP ini di daerah Anda" in response.content.decode()
    staff.refresh_from_db()
    assert staff.supervisor_id == cast.objects["supervisor_employee"].pk


def test_attendance_of_another_sessions_participant_is_refused(cast, region_b):  # noqa: F811
    _running(region_b, start=0, end=2)
    foreign = region_b.objects["admitted"]
    own_session = _running(cast, start=0, end=2)["pk"]
    url = reverse("training:attendance", kwargs={"pk": own_session})
    _post_unchanged(cast.client("hr"), url, {"day": TODAY.isoformat(), "present": [foreign.pk]})
    assert not training_selectors.present_ids_on(session=foreign.session, day=TODAY)


def test_a_citizen_input_of_region_b_stays_unanswered(cast, region_b):  # noqa: F811
    feedback_world(region_b)
    item = region_b.objects["input_a"]
    url = reverse("feedback:input_moderate", kwargs={"pk": item.pk})
    for action in ({"action": "publish"}, {"action": "hide", "reason": "spam"}):
        assert cast.client("hr").post(url, action).status_code == 404
    item.refresh_from_db()
    assert item.status == CitizenInput.Status.PENDING and not item.answer
