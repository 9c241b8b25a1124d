"""Pages: the log form (no JS needed, errors shown, nothing saved), review one by one / in bulk /
with htmx, threads, plans, appraisal pages, HR pages, exports; constant query counts at 1,000,000 logs."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from performance import services
from performance.models import ActivityLog, Appraisal, FeedbackMessage, Plan, TalentPotential

from ..clock import TODAY, days
from ..org.factories import EmployeeFactory
from .factories import (
    agreed_plan,
    approved_log,
    behaviour,
    current_period,
    due,
    log_days,
    png_upload,
    quarter_kind,
)

pytestmark = pytest.mark.django_db
YEAR = TODAY.year

# A stated purpose: exports of other people's data ask for one (asnportal/accounts/exports.py).
PURPOSE = {"category": "administration", "explanation": "Rekap untuk rapat pimpinan"}


@pytest.fixture
def kpis(cast):
    _plan, indicators = agreed_plan(cast.objects["staff_employee"], YEAR)
    return indicators


def _post_log(client, kpi, **extra):
    data = {
        "date": TODAY.isoformat(),
        "indicator": kpi.pk,
        "quantity": "3",
        "duration_minutes": "90",
        "description": "Verifikasi berkas kenaikan pangkat",
    } | extra
    return client.post(reverse("performance:home"), data)


def test_home_shows_form_progress_thresholds_and_loads_the_draft_script(cast, kpis):
    current_period(cast.region_a)
    response = cast.client("staff").get(reverse("performance:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="log-form"' in html and "performance/log_draft.js" in html
    assert "<script>" not in html  # no inline script
    assert ("1,10" in html and "0,90" in html) or (
        "1.10" in html and "0.90" in html
    )  # thresholds, in advance
    assert "Berkas diverifikasi" in html


def test_log_form_saves_and_redirects_without_javascript(cast, kpis):
    client = cast.client("staff")
    response = _post_log(client, kpis[0], evidence=png_upload())
    assert response.status_code == 302
    log = ActivityLog.objects.get()
    assert log.date == TODAY and log.evidence.content_type == "image/png"
    evidence = client.get(reverse("performance:log_evidence", args=[log.pk]))
    assert evidence.status_code == 200 and evidence["Content-Type"] == "image/png"


def test_future_date_shows_a_clear_indonesian_message_and_saves_nothing(cast, kpis):
    client = cast.client("staff")
    with translation.override("id"):
        response = _post_log(client, kpis[0], date=days(1).isoformat(), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 400
    assert "masa depan" in response.content.decode()
    assert not ActivityLog.objects.exists()


def test_someone_elses_kpi_is_not_a_choice(cast, kpis):
    _p, (boss_kpi, *_rest) = agreed_plan(cast.objects["supervisor_employee"], YEAR)
    response = _post_log(cast.client("staff"), boss_kpi)
    assert response.status_code == 400
    assert not ActivityLog.objects.exists()


def test_log_thread_is_404_for_another_employee(cast, kpis):
    log = services.log_create(
        employee=cast.objects["staff_employee"],
        indicator_id=kpis[0].pk,
        date=TODAY,
        quantity=Decimal(1),
        duration_minutes=30,
        description="x",
    )
    outsider = EmployeeFactory(unit=cast.unit_a)
    from ..conftest import make_user

    outsider.user = make_user("lain")
    outsider.save()
    from django.test import Client

    client = Client()
    client.force_login(outsider.user)
    assert client.get(reverse("performance:log_detail", args=[log.pk])).status_code == 404
    assert client.get(reverse("performance:log_evidence", args=[log.pk])).status_code == 404


def _waiting(cast, kpis, n=3):
    staff = cast.objects["staff_employee"]
    return [
        services.log_create(
            employee=staff,
            indicator_id=kpis[0].pk,
            date=day,
            quantity=Decimal(2),
            duration_minutes=60,
            description=f"Kegiatan {i}",
        )
        for i, day in enumerate(log_days(n))
    ]


def test_review_one_by_one_without_js_and_with_htmx(cast, kpis):
    logs = _waiting(cast, kpis)
    client = cast.client("supervisor")
    url = reverse("performance:review_queue")
    page = client.get(url)
    assert page.status_code == 200 and "Kegiatan 2" in page.content.decode()
    # Plain form: the row button approves that log only, even if other boxes are ticked.
    response = client.post(url, {"single": logs[0].pk, "log_ids": [logs[1].pk]})
    assert response.status_code == 302
    assert ActivityLog.objects.get(pk=logs[0].pk).status == "approved"
    assert ActivityLog.objects.get(pk=logs[1].pk).status == "submitted"
    # htmx: the row is replaced by a short confirmation fragment.
    response = client.post(url, {"log_ids": logs[1].pk, "action": "approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<tr>" in response.content.decode()
    assert ActivityLog.objects.get(pk=logs[1].pk).status == "approved"


def test_bulk_return_needs_a_comment_and_opens_a_thread(cast, kpis):
    logs = _waiting(cast, kpis)
    client = cast.client("supervisor")
    url = reverse("performance:review_queue")
    response = client.post(url, {"log_ids": [lg.pk for lg in logs], "action": "return", "comment": ""})
    assert response.status_code == 400
    assert ActivityLog.objects.filter(status="submitted").count() == 3
    response = client.post(
        url, {"log_ids": [lg.pk for lg in logs], "action": "return", "comment": "Lengkapi bukti"}
    )
    assert response.status_code == 302
    assert ActivityLog.objects.filter(status="returned").count() == 3
    # The employee answers in the thread and corrects the log.
    staff_client = cast.client("staff")
    detail = reverse("performance:log_detail", args=[logs[0].pk])
    assert "Lengkapi bukti" in staff_client.get(detail).content.decode()
    assert staff_client.post(detail, {"form": "reply", "body": "Siap, dilengkapi"}).status_code == 302
    assert (
        staff_client.post(
            detail, {"form": "resubmit", "quantity": "2", "description": "Dengan bukti"}
        ).status_code
        == 302
    )
    assert FeedbackMessage.objects.filter(log=logs[0]).count() == 2
    assert ActivityLog.objects.get(pk=logs[0].pk).status == "submitted"


def test_supervisor_cannot_review_logs_outside_the_team(cast):
    other_boss = EmployeeFactory(unit=cast.unit_a)
    member = EmployeeFactory(unit=cast.unit_a, supervisor=other_boss)
    _p, (kpi, _b) = agreed_plan(member, YEAR)
    log = services.log_create(
        employee=member,
        indicator_id=kpi.pk,
        date=TODAY,
        quantity=Decimal(1),
        duration_minutes=30,
        description="x",
    )
    response = cast.client("supervisor").post(
        reverse("performance:review_queue"), {"log_ids": [log.pk], "action": "approve"}
    )
    assert response.status_code == 403
    assert ActivityLog.objects.get(pk=log.pk).status == "submitted"


def test_plan_page_flow_and_weight_error(cast):
    client = cast.client("staff")
    url = reverse("performance:plan")
    assert client.get(url).status_code == 200
    assert not Plan.objects.filter(employee=cast.objects["staff_employee"]).exists()  # a GET writes nothing
    add_result = reverse("performance:plan_result_add")
    assert client.post(add_result, {"text": "Layanan kepegawaian"}).status_code == 302
    plan = Plan.objects.get(employee=cast.objects["staff_employee"])
    result = plan.results.get()
    data = {
        "result": result.pk,
        "text": "Berkas",
        "target": "100",
        "unit": "berkas",
        "weight": "70",
        "source": "logs",
    }
    add_kpi, submit = reverse("performance:plan_kpi_add"), reverse("performance:plan_submit")
    assert client.post(add_kpi, data).status_code == 302
    response = client.post(submit)
    assert response.status_code == 400 and "100" in response.content.decode()
    assert client.post(add_kpi, data | {"weight": "30", "text": "Data"}).status_code == 302
    assert client.post(submit).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted"
    sup = cast.client("supervisor")
    review = reverse("performance:plan_review", args=[plan.pk])
    assert sup.post(review, {"action": "agree"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "agreed"
    pdf = client.get(reverse("performance:plan_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_plan_changes_are_posts_of_their_own(cast):
    client = cast.client("staff")
    for name in ["plan_result_add", "plan_kpi_add", "plan_kpi_remove", "plan_submit", "plan_revise"]:
        assert client.get(reverse(f"performance:{name}")).status_code == 405
    assert not Plan.objects.filter(employee=cast.objects["staff_employee"]).exists()
    # The page itself only shows: a post to it changes nothing.
    url = reverse("performance:plan")
    assert client.post(url, {"action": "result", "text": "Layanan kepegawaian"}).status_code == 405
    assert not Plan.objects.filter(employee=cast.objects["staff_employee"]).exists()


def test_plan_form_errors_stay_on_the_page(cast):
    response = cast.client("staff").post(reverse("performance:plan_kpi_add"), {"text": "Berkas"})
    assert response.status_code == 400
    assert response.context["kpi_form"].errors and not response.context["result_form"].is_bound


def test_appraise_page_and_exports(cast, kpis):
    period = current_period(cast.region_a)
    sup = cast.client("supervisor")
    url = reverse("performance:appraise", args=[cast.objects["staff_employee"].pk, period.pk])
    assert sup.get(url).status_code == 200
    data = behaviour("di_atas")
    response = sup.post(url, data)
    assert response.status_code == 302
    appraisal = Appraisal.objects.get()
    detail = cast.client("staff").get(reverse("performance:appraisal_detail", args=[appraisal.pk]))
    assert "Σ" in detail.content.decode()  # the employee sees how the numbers were computed
    pdf = cast.client("staff").get(reverse("performance:appraisal_pdf", args=[appraisal.pk]))
    assert pdf.content.startswith(b"%PDF")
    team = sup.post(reverse("performance:team_xlsx"), PURPOSE)
    sheet = load_workbook(io.BytesIO(team.content)).active
    assert sheet.max_row == 3  # header + the staff member's two KPIs
    hr = cast.client("hr")
    unit = hr.post(reverse("performance:unit_xlsx", args=[period.pk]), PURPOSE)
    assert load_workbook(io.BytesIO(unit.content)).active.cell(2, 2).value == "Budi Pegawai"
    # After closing, a change needs a reason and creates version 2.
    services.period_close(period=period)
    assert sup.post(url, data).status_code == 400
    assert sup.post(url, data | {"reason": "Koreksi"}).status_code == 302
    assert Appraisal.objects.filter(version=2, is_current=True).exists()


def test_hr_pages_distribution_recognition_talent(cast, kpis):
    period = current_period(cast.region_a)
    staff = cast.objects["staff_employee"]
    # Exactly what the yearly targets (100 and 40) ask by the end of this quarter: achievement 1.00.
    approved_log(staff, kpis[0], TODAY, due(100, period))
    approved_log(staff, kpis[1], TODAY, due(40, period))
    services.appraisal_rate(
        supervisor=cast.objects["supervisor_employee"],
        employee=cast.objects["staff_employee"],
        period=period,
        behaviour=behaviour("di_atas"),
    )
    hr = cast.client("hr")
    dist = hr.get(reverse("performance:distribution"), {"period": period.pk}).content.decode()
    assert "Badan Kepegawaian Daerah" in dist
    assert "alert-warning" in dist  # 100 % Baik and nobody below Baik: the curve warns
    recognition = hr.get(reverse("performance:recognition"), {"period": period.pk}).content.decode()
    assert "Budi Pegawai" not in recognition  # Baik, not Sangat Baik
    talent_url = reverse("performance:talent")
    response = hr.post(
        talent_url, {"employee": cast.objects["staff_employee"].pk, "year": YEAR, "potential": "tinggi"}
    )
    assert response.status_code == 302
    assert TalentPotential.objects.get().potential == "tinggi"
    # Another region's employee cannot be given a potential by this officer.
    response = hr.post(
        talent_url,
        {"employee": cast.objects["other_region_employee"].pk, "year": YEAR, "potential": "tinggi"},
    )
    assert response.status_code == 404
    assert hr.get(talent_url).status_code == 200
    assert (
        cast.client("hr_other").get(reverse("performance:distribution"), {"period": period.pk}).status_code
        == 404
    )
    # Opening a period from the page (two other quarters of this year than the open one); a second
    # time is refused with a message, and so are thresholds the wrong way round.
    first, second = [k for k in ("tw1", "tw2", "tw3", "tw4") if k != quarter_kind()][:2]
    periods = reverse("performance:periods")
    data = {"year": YEAR, "kind": first, "above_from": "1.10", "meets_from": "0.90", "org_rating": "baik"}
    assert hr.post(periods, data).status_code == 302
    assert hr.post(periods, data).status_code == 400
    assert hr.post(periods, data | {"kind": second, "above_from": "0.5"}).status_code == 400


def _bulk_logs(staff, other, staff_kpi, other_kpi, n=1_000_000):
    """n logs of the last 320 days split between the staff member and a teammate, 10 % waiting, via one
    INSERT ... SELECT."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO performance_activitylog
                (employee_id, indicator_id, date, quantity, duration_minutes, description, status, created_at)
            SELECT CASE WHEN g %% 2 = 0 THEN %s ELSE %s END,
                   CASE WHEN g %% 2 = 0 THEN %s ELSE %s END,
                   %s::date - (g %% 320),
                   1, 30, 'Kegiatan massal',
                   CASE WHEN g %% 10 = 0 THEN 'submitted' ELSE 'approved' END,
                   NOW()
            FROM generate_series(1, %s) AS g
            """,
            [staff.pk, other.pk, staff_kpi.pk, other_kpi.pk, TODAY, n],
        )
        cursor.execute("ANALYZE performance_activitylog")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_queue_and_log_list_query_counts_are_constant_at_a_million_logs(
    cast, kpis, django_assert_max_num_queries
):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    mate = EmployeeFactory(unit=cast.unit_a, supervisor=boss)
    _p, (mate_kpi, _b) = agreed_plan(mate, YEAR)
    _waiting(cast, kpis, n=2)
    sup, own = cast.client("supervisor"), cast.client("staff")
    queue, logs = reverse("performance:review_queue"), reverse("performance:log_list")
    home, team = reverse("performance:home"), reverse("performance:team")
    small = (_count(sup, queue), _count(own, logs))
    others = (_count(own, home), _count(sup, team))
    _bulk_logs(staff, mate, kpis[0], mate_kpi)
    assert ActivityLog.objects.count() >= 1_000_000
    # The queue and the list read one page each (paginated, select_related): no N+1 whatever the size.
    with django_assert_max_num_queries(small[0]):
        page = sup.get(queue)
    assert "Kegiatan massal" in page.content.decode()
    with django_assert_max_num_queries(small[1]):
        own.get(logs)
    assert (_count(sup, queue), _count(own, logs)) == small
    # The home page and the team progress aggregate in SQL: also constant.
    assert (_count(own, home), _count(sup, team)) == others


def test_hr_read_of_an_appraisal_is_audit_logged(cast, kpis):
    from asnportal.accounts.models import AuditEvent

    period = current_period(cast.region_a)
    appraisal = services.appraisal_rate(
        supervisor=cast.objects["supervisor_employee"],
        employee=cast.objects["staff_employee"],
        period=period,
        behaviour=behaviour(),
    )
    assert (
        cast.client("hr").get(reverse("performance:appraisal_detail", args=[appraisal.pk])).status_code == 200
    )
    event = AuditEvent.objects.get(action="read_appraisal")
    assert event.object_id == str(appraisal.pk) and event.user == cast.users["hr"]


def test_templates_have_no_inline_script_or_style():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates" / "performance"
    for template in root.glob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and "style=" not in text, template.name


def _appraise_many(cast, period, n):
    """n employees of unit A with a current appraisal and a potential, via bulk_create."""
    from asnportal.org.models import Employee
    from performance.models import TalentPotential as Potential

    staff = EmployeeFactory.build(unit=cast.unit_a, position=cast.objects["position_a"])
    base = Employee.objects.count()
    people = []
    for i in range(n):
        e = EmployeeFactory.build(
            unit=cast.unit_a, position=cast.objects["position_a"], name=f"Massal {base + i}"
        )
        e.nip = f"19800101200501{1000 + base + i:04d}"[:18]
        e.birth_date, e.tmt_cpns, e.sex = staff.birth_date, staff.tmt_cpns, staff.sex
        people.append(e)
    people = Employee.objects.bulk_create(people)
    predikats = ["sangat_baik", "baik", "butuh_perbaikan"]
    Appraisal.objects.bulk_create(
        Appraisal(
            employee=e,
            period=period,
            unit=cast.unit_a,
            achievement=Decimal("1"),
            work_rating="sesuai",
            behaviour=behaviour(),
            behaviour_rating="sesuai",
            predikat=predikats[i % 3],
            computation={"rows": []},
        )
        for i, e in enumerate(people)
    )
    Potential.objects.bulk_create(
        Potential(employee=e, year=YEAR, potential=["rendah", "menengah", "tinggi"][i % 3])
        for i, e in enumerate(people)
    )


def test_hr_pages_query_counts_are_constant(cast):
    period = current_period(cast.region_a)
    hr = cast.client("hr")
    urls = [
        reverse("performance:distribution") + f"?period={period.pk}",
        reverse("performance:recognition") + f"?period={period.pk}",
        reverse("performance:talent"),
        reverse("performance:periods"),
    ]
    _appraise_many(cast, period, 5)
    hr.get(urls[0])  # warm-up: the first request of a session reads a little more
    small = [_count(hr, url) for url in urls]
    _appraise_many(cast, period, 400)
    assert [_count(hr, url) for url in urls] == small
    recognition = hr.get(urls[1]).content.decode()
    assert recognition.count("Massal") == 2 + 134  # every third of each batch (5, then 400) is Sangat Baik


def test_supervisor_returns_one_log_from_its_page(cast, kpis):
    log = _waiting(cast, kpis, n=1)[0]
    sup = cast.client("supervisor")
    page = sup.get(reverse("performance:log_detail", args=[log.pk])).content.decode()
    assert 'value="return"' in page
    assert (
        'value="return"'
        not in cast.client("staff").get(reverse("performance:log_detail", args=[log.pk])).content.decode()
    )
    response = sup.post(
        reverse("performance:review_queue"), {"log_ids": log.pk, "action": "return", "comment": "Tambah foto"}
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == "returned" and log.messages.get().body == "Tambah foto"


def test_the_log_form_reads_its_kpi_choices_in_one_query(kpis, django_assert_num_queries):
    from performance.forms import LogForm
    from performance.models import Indicator

    form = LogForm(indicators=Indicator.objects.filter(pk__in=[k.pk for k in kpis]).order_by("pk"))
    with django_assert_num_queries(1):
        rendered = [list(form.fields["indicator"].choices) for _ in range(3)]
    assert rendered[0] == rendered[1] == rendered[2]
    assert [value.value for value, _label in rendered[0]] == [k.pk for k in sorted(kpis, key=lambda k: k.pk)]
    # Validation still checks the choice against the employee's own KPIs.
    bad = LogForm({"indicator": 10**9}, indicators=Indicator.objects.filter(pk__in=[k.pk for k in kpis]))
    assert not bad.is_valid() and "indicator" in bad.errors
