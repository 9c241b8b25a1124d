"""What the benchmark measures: the pages of each role on the scale region, and the floors."""

from dataclasses import dataclass, field

from django.urls import reverse

from asnportal.accounts.models import Role, RoleAssignment, User
from asnportal.org.models import Employee, Region


@dataclass
class Page:
    name: str
    role: str  # a key of the bench users
    url: str
    method: str = "get"
    data: dict = field(default_factory=dict)
    floor: str = "one_query"  # the floor it is compared with: one_query or insert


@dataclass
class BenchContext:
    region: Region
    users: dict[str, User]
    employees: dict[str, Employee]


def bench_users(region: Region) -> BenchContext:
    """Accounts linked to the scale dataset: staff, a supervisor with a team, HR and the head."""
    staff_emp = (
        Employee.objects.filter(region=region, supervisor__supervisor__isnull=False).order_by("pk").first()
    )
    supervisor_emp = staff_emp.supervisor
    users, employees = {}, {"staff": staff_emp, "supervisor": supervisor_emp}
    for key, emp in (("staff", staff_emp), ("supervisor", supervisor_emp)):
        user, _ = User.objects.get_or_create(username=f"bench.{key}")
        if emp.user_id != user.pk:
            Employee.objects.filter(user=user).update(user=None)
            Employee.objects.filter(pk=emp.pk).update(user=user)
        users[key] = user
    for key, role in (("hr", Role.HR_OFFICER), ("head", Role.REGIONAL_HEAD)):
        user, _ = User.objects.get_or_create(username=f"bench.{key}")
        RoleAssignment.objects.get_or_create(user=user, role=role, region=region)
        users[key] = user
    users["anonymous"] = None
    return BenchContext(region=region, users=users, employees=employees)


def core_pages(ctx: BenchContext) -> list[Page]:
    return [
        Page("HR directory", "hr", reverse("org:directory")),
        Page("Dashboard", "head", reverse("reports:dashboard") + f"?region={ctx.region.pk}"),
    ]


SURVEY_ANSWERS = {f"el_{code}": "3" for code in (
    "persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "pengaduan", "sarana"
)}  # fmt: skip


def domain_pages(ctx: BenchContext) -> list[Page]:
    """The main page of each role in the domain apps, on the scale region's own objects."""
    from feedback.models import ServiceUnit

    service_unit = ServiceUnit.objects.filter(region=ctx.region).order_by("pk").first()
    survey_url = reverse("feedback:survey", kwargs={"slug": service_unit.slug})
    public = public_urls(ctx)
    survey_data = {**SURVEY_ANSWERS, "token": "", "service": "", "sex": "P", "age_band": "30-39",
                   "education": "s1", "occupation": "swasta", "comment": "", "website": "",
                   "_form_url": survey_url}  # fmt: skip
    return [
        Page("Employee home", "staff", reverse("performance:home")),
        Page("Log list", "staff", reverse("performance:log_list")),
        Page("Supervisor queue", "supervisor", reverse("performance:review_queue")),
        Page("Training catalog", "staff", reverse("training:catalog")),
        Page("Ranking (public)", "anonymous", public["ranking"]),
        Page("Survey form", "anonymous", survey_url),
        Page("Survey submission", "anonymous", survey_url, "post", survey_data, "insert"),
        Page("IKM public page", "anonymous", public["ikm"]),
    ]


def public_urls(ctx: BenchContext) -> dict[str, str]:
    """The public pages read by thousands on announcement day: a formation's ranking, the IKM results."""
    from recruitment.models import Formation

    formation = Formation.objects.filter(selection__region=ctx.region).order_by("selection_id", "pk").first()
    ranking = reverse(
        "recruitment:public_ranking", kwargs={"pk": formation.selection_id, "formation_pk": formation.pk}
    )
    return {"ranking": ranking, "ikm": reverse("feedback:public_region", kwargs={"code": ctx.region.code})}


def dashboard_snapshot(ctx: BenchContext) -> list[Page]:
    """The dashboard reads the latest snapshot: compute one for last month if there is none."""
    import datetime as dt

    from reports.models import ReportSnapshot
    from reports.services import snapshot_compute

    if not ReportSnapshot.objects.filter(region=ctx.region, kind="monthly").exists():
        start = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # noqa: DTZ011
        snapshot_compute(region_id=ctx.region.pk, kind="monthly", period_start=start)
    return []


# Domain pages are listed by `domain_pages`; the snapshot is made before any page is measured.
PAGE_BUILDERS = [dashboard_snapshot, core_pages, domain_pages]


def floor_pages() -> dict[str, Page]:
    """The floors a page is compared with: a view doing one query, and one validating and inserting."""
    return {
        "one_query": Page("floor: one query", "anonymous", reverse("benchmarks:one_query")),
        "insert": Page(
            "floor: validate + insert", "anonymous", reverse("benchmarks:insert"), "post",
            {"name": "bench", "score": "3"}, "insert",
        ),
    }  # fmt: skip
