from performance import services
from performance.models import Appraisal

from ..permission_cases import Case, only
from .factories import agreed_plan, behaviour, open_period, png_upload


def world(c) -> None:
    """An agreed plan of the staff member, a log with evidence, an open period and an appraisal."""
    if "log" in c.objects:
        return
    staff = c.objects["staff_employee"]
    boss = c.objects["supervisor_employee"]
    year = services.local_today(staff).year
    plan, indicators = agreed_plan(staff, year)
    period = open_period(c.region_a, year)
    log = services.log_create(
        employee=staff,
        indicator_id=indicators[0].pk,
        date=services.local_today(staff),
        quantity=3,
        duration_minutes=60,
        description="Verifikasi berkas",
        evidence_file=png_upload(),
    )
    appraisal = services.appraisal_rate(supervisor=boss, employee=staff, period=period, behaviour=behaviour())
    c.objects.update(plan=plan, log=log, period=period, appraisal=appraisal)


def _appraisal(c) -> Appraisal:
    return c.objects["appraisal"]


STAFF = only("staff", "supervisor")
# A log is an object of its owner and their supervisor only: for everyone else it does not exist.
LOG = only("staff", "supervisor", others=404)
PLAN_CHANGE = only("staff", "supervisor", status=400)
OFFICER_READ = only("staff", "supervisor", "hr", hr_other=404)

CASES = {
    "performance:home": Case(STAFF, setup=world),
    # the phone's offline queue posts here (JSON); a GET by staff is refused
    "performance:log_sync": Case(only("staff", "supervisor", status=405), setup=world),
    "performance:log_list": Case(STAFF, setup=world),
    "performance:log_detail": Case(LOG, setup=world, kwargs=lambda c: {"pk": c.objects["log"].pk}),
    "performance:log_evidence": Case(LOG, setup=world, kwargs=lambda c: {"pk": c.objects["log"].pk}),
    "performance:plan": Case(STAFF, setup=world),
    # Each change of the SKP page is a POST of its own; posted empty, the form (or the missing KPI id)
    # is refused for an employee, and nothing is written.
    "performance:plan_result_add": Case(PLAN_CHANGE, method="post", setup=world),
    "performance:plan_kpi_add": Case(PLAN_CHANGE, method="post", setup=world),
    "performance:plan_kpi_remove": Case(only("staff", "supervisor", status=404), method="post", setup=world),
    "performance:plan_submit": Case(PLAN_CHANGE, method="post", setup=world),
    "performance:plan_revise": Case(PLAN_CHANGE, method="post", setup=world),
    "performance:plan_pdf": Case(only("staff", supervisor=404), setup=world),
    "performance:appraisals": Case(STAFF, setup=world),
    "performance:appraisal_detail": Case(
        OFFICER_READ, setup=world, kwargs=lambda c: {"pk": _appraisal(c).pk}
    ),
    "performance:appraisal_pdf": Case(OFFICER_READ, setup=world, kwargs=lambda c: {"pk": _appraisal(c).pk}),
    "performance:review_queue": Case(only("supervisor"), setup=world),
    "performance:team": Case(only("supervisor"), setup=world),
    "performance:team_xlsx": Case(only("supervisor"), setup=world),
    "performance:plan_review": Case(
        only("supervisor"), setup=world, kwargs=lambda c: {"pk": c.objects["plan"].pk}
    ),
    "performance:appraise": Case(
        only("supervisor"),
        setup=world,
        kwargs=lambda c: {"employee_pk": c.objects["staff_employee"].pk, "period_pk": c.objects["period"].pk},
    ),
    "performance:periods": Case(only("hr", "hr_other")),
    "performance:period_close": Case(
        only("hr", status=302, hr_other=404),
        method="post",
        setup=world,
        kwargs=lambda c: {"pk": c.objects["period"].pk},
    ),
    "performance:unit_xlsx": Case(
        only("hr", hr_other=404), setup=world, kwargs=lambda c: {"pk": c.objects["period"].pk}
    ),
    "performance:distribution": Case(only("hr", "hr_other"), setup=world),
    "performance:recognition": Case(only("hr", "hr_other"), setup=world),
    "performance:talent": Case(only("hr", "hr_other"), setup=world),
    "performance:succession": Case(only("hr", "hr_other"), setup=world),
}
