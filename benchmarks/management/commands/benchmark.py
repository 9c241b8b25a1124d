"""Measure pages and jobs on the seeded scale dataset against the floors measured in the same run.

In-process (Django test client): query count, p50/p95 over repeated requests, ratio to the
one-query floor view. Through gunicorn (sync workers, loopback only, bounded in time): requests/s
under concurrent load, ratio to the floor's requests/s, errors. Jobs: the region report against
the raw SQL aggregate it needs, and the job's peak memory. Prints a table and writes JSON.
"""

import datetime as dt
import json
import multiprocessing
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from asnportal.accounts.models import Role, RoleAssignment, User
from asnportal.org.models import Employee, Region
from benchmarks.loadtest import NO_REDIRECTS, Action, LoadTestError, run_locust
from benchmarks.scale import SCALE_REGION


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
    from recruitment.models import Formation

    formation = Formation.objects.filter(selection__region=ctx.region).order_by("selection_id", "pk").first()
    service_unit = ServiceUnit.objects.filter(region=ctx.region).order_by("pk").first()
    survey_url = reverse("feedback:survey", kwargs={"slug": service_unit.slug})
    survey_data = {**SURVEY_ANSWERS, "token": "", "service": "", "sex": "P", "age_band": "30-39",
                   "education": "s1", "occupation": "swasta", "comment": "", "website": "",
                   "_form_url": survey_url}  # fmt: skip
    return [
        Page("Employee home", "staff", reverse("performance:home")),
        Page("Log list", "staff", reverse("performance:log_list")),
        Page("Supervisor queue", "supervisor", reverse("performance:review_queue")),
        Page("Training catalog", "staff", reverse("training:catalog")),
        Page(
            "Ranking (public)",
            "anonymous",
            reverse(
                "recruitment:public_ranking",
                kwargs={"pk": formation.selection_id, "formation_pk": formation.pk},
            ),
        ),
        Page("Survey form", "anonymous", survey_url),
        Page("Survey submission", "anonymous", survey_url, "post", survey_data, "insert"),
        Page(
            "IKM public page",
            "anonymous",
            reverse("feedback:public_region", kwargs={"code": ctx.region.code}),
        ),
    ]


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

# The public forms' flood guards would (rightly) refuse a benchmark's thousands of identical
# submissions from one address: the run lifts them, in-process and in the gunicorn it starts.
BENCH_LIMITS = {"FEEDBACK_IP_LIMIT": 10**9, "FEEDBACK_UNIT_LIMIT": 10**9, "FEEDBACK_DUPLICATE_WINDOW": 0}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def measure_in_process(page: Page, user: User | None, requests: int) -> dict:
    client = client_for(user)
    call = getattr(client, page.method)
    for _ in range(3):  # warm-up: caches, connections, template loading
        call(page.url, page.data)
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = call(page.url, page.data)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        call(page.url, page.data)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "status": response.status_code,
        "queries": len(executed),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 95), 2),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """A gunicorn on loopback with the benchmark floors switched on."""

    def __init__(self, workers: int) -> None:
        self.port = free_port()
        env = dict(os.environ, BENCHMARKS="1", DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost")
        env |= {key: str(value) for key, value in BENCH_LIMITS.items()}
        self.proc = subprocess.Popen(  # noqa: S603 - fixed program and arguments
            [sys.executable, "-m", "gunicorn", "asnportal.wsgi:application", "-b", f"127.0.0.1:{self.port}",
             "-w", str(workers), "--worker-class", "sync", "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise CommandError("gunicorn did not start")
        # Warm-up: every worker imports the project and opens its database connection before the
        # first measured request (the floors would otherwise pay for the workers' start).
        floor = f"http://127.0.0.1:{self.port}{reverse('benchmarks:one_query')}"
        for _ in range(workers * 10):
            try:
                with urllib.request.urlopen(floor, timeout=30) as response:  # noqa: S310  # nosec B310 - loopback
                    response.read()
            except OSError:
                time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def session_cookie(user: User | None) -> str:
    if user is None:
        return ""
    client = client_for(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def csrf_for(base: str, url: str, cookie: str) -> tuple[str, str]:
    """GET the form once to obtain the CSRF cookie and token a browser would post back."""
    request = urllib.request.Request(base + url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310 - loopback only
        body = response.read().decode()
        cookies = response.headers.get_all("Set-Cookie") or []
    token_cookie = next((c.split(";")[0] for c in cookies if c.startswith("csrftoken=")), "")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    return token_cookie, match.group(1) if match else ""


def load(base: str, page: Page, cookie: str, seconds: float, concurrency: int, max_requests: int) -> dict:
    """Concurrent requests for a bounded time and count; returns requests/s, p95 and errors."""
    url = base + page.url
    headers = {"Cookie": cookie}
    body = None
    if page.method == "post":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        fields = {k: v for k, v in page.data.items() if not k.startswith("_")}
        form_url = page.data.get("_form_url")
        if form_url:  # a real form: post back the CSRF cookie and token, as a browser does
            token_cookie, token = csrf_for(base, form_url, cookie)
            headers["Cookie"] = "; ".join(c for c in (cookie, token_cookie) if c)
            headers["Referer"] = base + form_url
            fields["csrfmiddlewaretoken"] = token
        body = urllib.parse.urlencode(fields, doseq=True).encode()
    latencies: list[float] = []
    errors = [0]
    count = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                if count[0] >= max_requests:
                    return
                count[0] += 1
            request = urllib.request.Request(url, data=body, headers=headers, method=page.method.upper())  # noqa: S310
            t0 = time.perf_counter()
            try:
                with NO_REDIRECTS.open(request, timeout=30) as response:  # nosec B310 - loopback only
                    response.read()
                    ok = response.status < 400
            except urllib.error.HTTPError as exc:
                ok = exc.code < 400
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "rps": round(len(latencies) / wall, 1),
        "load_p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "errors": errors[0],
        "requests": len(latencies),
    }


def mix_actions(ctx: BenchContext, base: str) -> list[Action]:
    """The realistic mix: staff logging, supervisors reviewing, citizens answering, heads reading.

    Paths relative to `base` (the locust run's host); each form's CSRF token is fetched from `base` once."""
    from feedback.models import ServiceUnit
    from performance.models import Indicator

    staff = ctx.employees["staff"]
    today = dt.datetime.now(tz=ctx.region.tzinfo).date()
    indicator = Indicator.objects.filter(result__plan__employee=staff, result__plan__year=today.year).first()
    staff_cookie = session_cookie(ctx.users["staff"])

    def form_post(name: str, weight: int, form_url: str, cookie: str, fields: dict) -> Action:
        token_cookie, token = csrf_for(base, form_url, cookie)
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token})
        headers = {
            "Cookie": "; ".join(c for c in (cookie, token_cookie) if c),
            "Referer": base + form_url,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return Action(name, weight, "post", form_url, body, headers)

    home = reverse("performance:home")
    survey = reverse(
        "feedback:survey", kwargs={"slug": ServiceUnit.objects.filter(region=ctx.region).first().slug}
    )
    log = {"date": today.isoformat(), "indicator": indicator.pk, "quantity": "1", "duration_minutes": "60",
           "description": "Uji beban: menyelesaikan dokumen layanan"}  # fmt: skip
    answer = {
        **SURVEY_ANSWERS,
        "sex": "L",
        "age_band": "40-49",
        "education": "sma",
        "occupation": "wirausaha",
    }
    supervisor_cookie = session_cookie(ctx.users["supervisor"])
    head_cookie = session_cookie(ctx.users["head"])
    return [
        Action("staff: home", 2, "get", home, headers={"Cookie": staff_cookie}),
        form_post("staff: save a log", 2, home, staff_cookie, log),
        Action("staff: log list", 1, "get", reverse("performance:log_list"), headers={"Cookie": staff_cookie}),
        Action("supervisor: review queue", 2, "get", reverse("performance:review_queue"),
               headers={"Cookie": supervisor_cookie}),
        Action("citizen: survey form", 2, "get", survey),
        form_post("citizen: submit survey", 2, survey, "", answer),
        Action("head: dashboard", 1, "get", reverse("reports:dashboard") + f"?region={ctx.region.pk}",
               headers={"Cookie": head_cookie}),
    ]  # fmt: skip


def _child_job(target, kwargs, queue) -> None:
    connections.close_all()
    t0 = time.perf_counter()
    target(**kwargs)
    queue.put(time.perf_counter() - t0)


def run_in_child(target, **kwargs) -> tuple[float, float]:
    """Run a job in a forked process: (seconds, peak resident memory in MB of that process)."""
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child_job, args=(target, kwargs, queue))
    proc.start()
    proc.join(timeout=1800)
    if proc.exitcode != 0:
        raise CommandError(f"the job {target.__name__} failed in its process (exit code {proc.exitcode})")
    seconds = queue.get(timeout=5)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024


def static_collect() -> None:
    """The pages link hashed static files (WhiteNoise's manifest outside tests): collect them first,
    as a deployment does, so a fresh clone's `benchmark` needs no extra step."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


class Command(BaseCommand):
    help = "Benchmark pages and report jobs on the scale dataset; prints a table and writes JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--requests", type=int, default=50, help="in-process requests per page")
        parser.add_argument("--load-seconds", type=float, default=5.0, help="load per page through gunicorn")
        parser.add_argument("--max-requests", type=int, default=20_000, help="upper bound per load run")
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
        parser.add_argument("--no-gunicorn", action="store_true")
        parser.add_argument(
            "--mix-seconds", type=float, default=30.0, help="load-test mix duration, whole seconds (0: skip)"
        )
        parser.add_argument("--mix-requests", type=int, default=50_000, help="load-test mix request bound")
        parser.add_argument(
            "--no-jobs", action="store_true", help="skip the report job (it runs in a forked process)"
        )
        parser.add_argument("--json", default="bench-results.json")

    def handle(self, *args, **options) -> None:
        from django.test import override_settings

        with override_settings(**BENCH_LIMITS):
            self._run(options)

    def _run(self, options: dict) -> None:
        region = Region.objects.filter(code=SCALE_REGION).first()
        if region is None or not region.employees.exists():
            raise CommandError("No scale dataset: run `manage.py seed_scale` first.")
        static_collect()
        ctx = bench_users(region)
        pages = [p for build in PAGE_BUILDERS for p in build(ctx)]
        floors = {
            "one_query": Page("floor: one query", "anonymous", reverse("benchmarks:one_query")),
            "insert": Page(
                "floor: validate + insert", "anonymous", reverse("benchmarks:insert"), "post",
                {"name": "bench", "score": "3"}, "insert",
            ),
        }  # fmt: skip
        results: dict = {"pages": [], "floors": {}, "jobs": []}
        for key, page in floors.items():
            results["floors"][key] = measure_in_process(page, None, options["requests"])
        for page in pages:
            row = {"page": page.name, "role": page.role, "floor": page.floor}
            row |= measure_in_process(page, ctx.users.get(page.role), options["requests"])
            floor = results["floors"][page.floor]
            row["p95_ratio"] = round(row["p95_ms"] / max(floor["p95_ms"], 0.01), 1)
            results["pages"].append(row)
        if not options["no_gunicorn"]:
            server = Gunicorn(options["workers"])
            base = f"http://127.0.0.1:{server.port}"
            try:
                for key, page in floors.items():
                    results["floors"][key] |= load(
                        base,
                        page,
                        "",
                        options["load_seconds"],
                        options["concurrency"],
                        options["max_requests"],
                    )
                for page, row in zip(pages, results["pages"], strict=True):
                    row |= load(
                        base,
                        page,
                        session_cookie(ctx.users.get(page.role)),
                        options["load_seconds"],
                        options["concurrency"],
                        options["max_requests"],
                    )
                    row["rps_ratio"] = round(row["rps"] / max(results["floors"][page.floor]["rps"], 0.1), 2)
                if options["mix_seconds"] > 0:
                    try:
                        results["load_mix"] = run_locust(
                            mix_actions(ctx, base),
                            host=base,
                            seconds=options["mix_seconds"],
                            max_requests=options["mix_requests"],
                            concurrency=options["concurrency"],
                        )
                    except LoadTestError as exc:
                        raise CommandError(f"load test: {exc}") from exc
            finally:
                server.stop()
        self._print(results)
        if "load_mix" in results:
            self._print_mix(results["load_mix"])
        if not options["no_jobs"]:
            results["jobs"] = self._jobs(region)
        self._print_jobs(results)
        with open(options["json"], "w") as fh:
            json.dump(results, fh, indent=2)
        self.stdout.write(f"written to {options['json']}")

    def _jobs(self, region: Region) -> list[dict]:
        from benchmarks.scale import JOB_FLOORS
        from reports.services import snapshot_compute

        start = dt.date.today().replace(day=1) - dt.timedelta(days=1)  # noqa: DTZ011
        start = start.replace(day=1)
        floor_s, _ = run_in_child(JOB_FLOORS["region_report"], region_id=region.pk, start=start)
        job_s, peak_mb = run_in_child(
            snapshot_compute, region_id=region.pk, kind="monthly", period_start=start
        )
        return [
            {
                "job": "region report (monthly)",
                "seconds": round(job_s, 3),
                "floor_seconds": round(floor_s, 3),
                "ratio": round(job_s / max(floor_s, 0.001), 2),
                "peak_mb": round(peak_mb, 1),
            }
        ]

    def _print(self, results: dict) -> None:
        out = self.stdout.write
        out("\nFloors")
        for key, f in results["floors"].items():
            out(f"  {key:<10} p50 {f['p50_ms']:>7} ms  p95 {f['p95_ms']:>7} ms  rps {f.get('rps', '-')}")
        out(
            "\n"
            + f"{'page':<34}{'role':<12}{'q':>4}{'p50 ms':>9}{'p95 ms':>9}{'x floor':>9}{'rps':>9}{'x floor':>9}{'err':>5}"
        )
        for r in results["pages"]:
            out(
                f"{r['page']:<34}{r['role']:<12}{r['queries']:>4}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p95_ratio']:>9}"
                f"{r.get('rps', '-'):>9}{r.get('rps_ratio', '-'):>9}{r.get('errors', '-'):>5}"
            )

    def _print_mix(self, mix: dict) -> None:
        out = self.stdout.write
        out(
            f"\nLoad test (mix, {mix['seconds']} s): {mix['requests']} requests, {mix['rps']} req/s, "
            f"p50 {mix['p50_ms']} ms, p95 {mix['p95_ms']} ms, errors {mix['errors']}"
        )
        for a in mix["actions"]:
            out(
                f"  {a['action']:<32}{a['requests']:>7} req {a['rps']:>7} req/s  p50 {a['p50_ms']} ms  "
                f"p95 {a['p95_ms']} ms  errors {a['errors']}"
            )

    def _print_jobs(self, results: dict) -> None:
        out = self.stdout.write
        out("")
        for j in results["jobs"]:
            out(
                f"{j['job']:<34} {j['seconds']} s vs floor {j['floor_seconds']} s: x{j['ratio']}, peak {j['peak_mb']} MB"
            )
