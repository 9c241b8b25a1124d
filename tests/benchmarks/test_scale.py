"""The scale instruments at a small size: seed_scale builds a valid dataset, the benchmark runs on it.

The timing targets are checked by the benchmark itself at the default size (README, Performance);
these tests prove the generated data obey the apps' own rules and that the in-process benchmark
reaches every page with the same code it uses at scale.
"""

import datetime as dt
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractIsoWeekDay

from asnportal.org.models import Employee, Region
from asnportal.org.nip import nip_parse
from benchmarks.scale import SCALE_REGION

from ..clock import TODAY

pytestmark = pytest.mark.django_db


def _tuesday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - 1) % 7)


# The dataset's last day: a Tuesday (the 5-day window holds Friday, Monday and Tuesday) shortly before
# the suite's day, in a year old enough to hold a closed quarter (appraisals) and ended classes: from
# January to March, the last Tuesday of the year before.
END = _tuesday_on_or_before(TODAY if TODAY.month > 3 else dt.date(TODAY.year - 1, 12, 31))
FRIDAY = END - dt.timedelta(days=4)


@pytest.fixture
def scale(settings):
    out = StringIO()
    call_command("seed_scale", employees=200, days=5, end=END, stdout=out)
    return Region.objects.get(code=SCALE_REGION), out.getvalue()


def test_seed_reports_rows_per_second_and_every_domain(scale):
    _region, output = scale
    for step in ("org", "training", "feedback", "recruitment", "performance"):
        assert f"] {step}" in output
    assert "rows/s" in output


SCHEMA_SQL = """
    SELECT 'index', indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
    WHERE indrelid = ANY(%(tables)s::regclass[])
    UNION ALL
    SELECT 'constraint', conname, pg_get_constraintdef(oid) || ' ON ' || conrelid::regclass::text
    FROM pg_constraint WHERE conrelid = ANY(%(tables)s::regclass[]) OR confrelid = ANY(%(tables)s::regclass[])
    ORDER BY 1, 2"""
BULK_TABLES = ["performance_activitylog", "feedback_surveyanswer", "feedback_surveyresponse"]


def test_seed_puts_back_every_index_and_constraint_it_drops_for_the_bulk_load():
    """The bulk load drops indexes, primary keys and the foreign keys pointing at them: the schema after
    the seed must be exactly the schema before (names and definitions), and the data must satisfy it."""
    from django.db import connection

    def schema() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(SCHEMA_SQL, {"tables": BULK_TABLES})
            return cursor.fetchall()

    before = schema()
    assert any("PRIMARY KEY" in row[2] for row in before)
    assert any("PRIMARY KEY (id, date)" in row[2] for row in before)  # the partitioned log (issue 24)
    call_command("seed_scale", employees=200, days=5, end=END, stdout=StringIO())
    assert schema() == before


def test_employees_have_valid_nips_and_supervisors_in_their_unit(scale):
    region, _ = scale
    employees = list(Employee.objects.filter(region=region).select_related("supervisor"))
    assert len(employees) == 200
    assert len({e.nip for e in employees}) == 200
    for e in employees:
        info = nip_parse(e.nip)
        assert info.birth_date == e.birth_date
        assert info.sex == e.sex
        if e.supervisor is not None:
            assert e.supervisor.unit_id == e.unit_id
            assert e.supervisor.pk != e.pk
    heads = [e for e in employees if e.supervisor is None]
    assert len(heads) == 10  # one head per unit


def test_logs_only_on_working_days_and_plans_weighted_to_100(scale):
    from performance.models import ActivityLog, Appraisal, Indicator, Plan

    region, _ = scale
    logs = ActivityLog.objects.filter(employee__region=region)
    assert logs.count() == 200 * 3
    assert not logs.annotate(wd=ExtractIsoWeekDay("date")).filter(wd__gte=6).exists()
    assert set(logs.values_list("date", flat=True)) == {FRIDAY, END - dt.timedelta(days=1), END}
    statuses = Counter(logs.values_list("status", flat=True))
    assert statuses["approved"] and statuses["submitted"]
    # reviewed logs carry their reviewer (the employee's supervisor) and time; waiting ones do not
    assert not logs.filter(status="submitted").exclude(reviewed_by=None).exists()
    assert not logs.filter(status="approved", reviewed_at=None).exists()
    assert not logs.exclude(reviewed_by=None).exclude(reviewed_by=F("employee__supervisor")).exists()
    # a log serves one of its owner's own agreed KPIs
    assert not logs.exclude(indicator__result__plan__employee=F("employee")).exists()
    plans = Plan.objects.filter(employee__region=region, status="agreed")
    assert plans.count() == 200
    weights = (
        Indicator.objects.filter(result__plan__in=plans).values("result__plan").annotate(w=Sum("weight"))
    )
    assert {w["w"] for w in weights} == {100}
    appraisals = Appraisal.objects.filter(employee__region=region)
    assert appraisals.count() == 200
    assert {a.period.status for a in appraisals.select_related("period")[:5]} == {"closed"}


def test_training_seats_never_above_capacity(scale):
    from training.models import Enrollment, Session

    region, _ = scale
    sessions = Session.objects.filter(region=region).annotate(
        held=Count("enrollments", filter=Q(enrollments__status__in=["admitted", "completed"])),
        total=Count("enrollments"),
    )
    assert sessions.exists()
    for s in sessions:
        assert s.seats_taken == s.held <= s.capacity
        assert s.total <= s.capacity
        assert s.enroll_closes < s.start_date
    enrollments = Enrollment.objects.filter(employee__region=region)
    assert enrollments.count() == 400
    completed = enrollments.filter(status="completed")
    assert completed.exists()
    assert not completed.filter(Q(certificate_code=None) | Q(jp_granted=0)).exists()
    assert not completed.filter(session__end_date__gte=END).exists()


def test_survey_answers_are_1_to_4_keyed_by_element(scale):
    from feedback.models import SurveyAnswer, SurveyResponse
    from feedback.rules import ELEMENT_CODES

    region, _ = scale
    responses = SurveyResponse.objects.filter(service_unit__region=region)
    assert responses.count() == 400
    answers = SurveyAnswer.objects.filter(response__in=responses)
    assert answers.count() == 400 * 9
    assert set(answers.values_list("value", flat=True)) <= {1, 2, 3, 4}
    assert set(answers.values_list("element", flat=True)) == set(ELEMENT_CODES)
    assert not responses.filter(submitted_on__lt=END - dt.timedelta(days=4)).exists()
    assert not responses.filter(submitted_on__gt=END).exists()


def test_recruitment_ledger_intact_and_nik_valid(scale):
    from asnportal.org.nip import nik_parse
    from recruitment.ledger import ledger_verify
    from recruitment.models import Application, Selection

    region, _ = scale
    selection = Selection.objects.get(region=region)
    [report] = ledger_verify(selection_id=selection.pk)
    assert report.ok, report.problems
    applications = Application.objects.filter(selection=selection)
    assert report.length == applications.count() * 2 + applications.exclude(status="admin_no").count()
    for a in applications[:50]:
        birth, _sex = nik_parse(a.nik, today=END)
        assert birth == a.birth_date
    assert applications.filter(status="skd_ok").exists()


def test_benchmark_in_process_reaches_every_page(scale, settings, tmp_path):
    target = tmp_path / "bench.json"
    # The report job runs in a forked process, which cannot see this test's uncommitted transaction.
    call_command("benchmark", no_gunicorn=True, no_jobs=True, requests=3, json=str(target), stdout=StringIO())
    results = json.loads(target.read_text())
    names = {p["page"] for p in results["pages"]}
    assert {"Employee home", "Log list", "Supervisor queue", "HR directory", "Ranking (public)",
            "Training catalog", "Survey form", "Survey submission", "IKM public page", "Dashboard"} <= names  # fmt: skip
    for page in results["pages"]:
        expected = 302 if page["page"] == "Survey submission" else 200  # a successful POST redirects
        assert page["status"] == expected, page
        assert page["queries"] > 0
        assert min(page["sql_ms"], page["template_ms"], page["rest_ms"]) >= 0, page
        assert page["sql_ms"] > 0, page  # every page reads the database
        if page["status"] == 200:
            assert page["template_ms"] > 0, page  # every page here renders a Django template
    assert results["floors"]["one_query"]["queries"] == 1


def test_announcement_day_reads_the_public_ranking_and_ikm_anonymously(scale, client):
    from benchmarks.mix import announcement_actions
    from benchmarks.pages import bench_users

    region, _ = scale
    actions = announcement_actions(bench_users(region))
    assert [(a.method, a.headers) for a in actions] == [("get", {}), ("get", {})]  # no cookie: anonymous
    for action in actions:
        assert action.path.startswith("/") and not action.path.startswith("//")
        assert client.get(action.path).status_code == 200, action


def test_job_floor_sql_runs_on_the_dataset(scale, django_assert_num_queries):
    from benchmarks.scale import JOB_FLOOR_SQL, region_report_floor

    region, _ = scale
    with django_assert_num_queries(1 + len(JOB_FLOOR_SQL)):
        region_report_floor(region_id=region.pk, start=END.replace(day=1))
