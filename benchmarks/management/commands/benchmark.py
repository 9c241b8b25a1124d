"""Measure pages and jobs on the seeded scale dataset against the floors measured in the same run.

In-process (Django test client): query count, p50/p95 over repeated requests, ratio to the
one-query floor view. Through gunicorn (sync workers, loopback only, bounded in time): requests/s
under concurrent load, ratio to the floor's requests/s, errors. Jobs: the region report against
the raw SQL aggregate it needs, and the job's peak memory. Prints a table and writes JSON.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from asnportal.org.models import Region
from benchmarks.loadtest import LoadTestError, run_locust
from benchmarks.measure import jobs_measure, load, measure_in_process, session_cookie
from benchmarks.mix import announcement_actions, mix_actions
from benchmarks.pages import PAGE_BUILDERS, BenchContext, Page, bench_users, floor_pages
from benchmarks.scale import SCALE_REGION
from benchmarks.server import BENCH_LIMITS, Gunicorn


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
            "--announce-seconds",
            type=float,
            default=30.0,
            help="announcement-day run, whole seconds (0: skip)",
        )
        parser.add_argument(
            "--announce-clients", type=int, default=500, help="concurrent anonymous announcement-day clients"
        )
        parser.add_argument(
            "--no-jobs", action="store_true", help="skip the report job (it runs in a forked process)"
        )
        parser.add_argument("--json", default="bench-results.json")

    def handle(self, *args, **options) -> None:
        with override_settings(**BENCH_LIMITS):
            self._run(options)

    def _run(self, options: dict) -> None:
        region = Region.objects.filter(code=SCALE_REGION).first()
        if region is None or not region.employees.exists():
            raise CommandError("No scale dataset: run `manage.py seed_scale` first.")
        static_collect()
        ctx = bench_users(region)
        pages = [p for build in PAGE_BUILDERS for p in build(ctx)]
        floors = floor_pages()
        results = self._in_process(ctx, pages, floors, options["requests"])
        if not options["no_gunicorn"]:
            self._through_gunicorn(ctx, pages, floors, results, options)
        self._print(results)
        for key, title in (("load_mix", "mix"), ("announcement", "announcement day")):
            if key in results:
                self._print_mix(results[key], title)
        if not options["no_jobs"]:
            results["jobs"] = jobs_measure(region)
        self._print_jobs(results)
        with open(options["json"], "w") as fh:
            json.dump(results, fh, indent=2)
        self.stdout.write(f"written to {options['json']}")

    def _in_process(
        self, ctx: BenchContext, pages: list[Page], floors: dict[str, Page], requests: int
    ) -> dict:
        """Each floor and page through the test client: queries, p50/p95, p95 against its floor."""
        results: dict = {"pages": [], "floors": {}, "jobs": []}
        for key, page in floors.items():
            results["floors"][key] = measure_in_process(page, None, requests)
        for page in pages:
            row = {"page": page.name, "role": page.role, "floor": page.floor}
            row |= measure_in_process(page, ctx.users.get(page.role), requests)
            floor = results["floors"][page.floor]
            row["p95_ratio"] = round(row["p95_ms"] / max(floor["p95_ms"], 0.01), 1)
            results["pages"].append(row)
        return results

    def _through_gunicorn(
        self, ctx: BenchContext, pages: list[Page], floors: dict[str, Page], results: dict, options: dict
    ) -> None:
        """The same floors and pages under concurrent load, then the realistic mix (--mix-seconds)."""
        server = Gunicorn(options["workers"])
        base = f"http://127.0.0.1:{server.port}"
        bounds = (options["load_seconds"], options["concurrency"], options["max_requests"])
        try:
            for key, page in floors.items():
                results["floors"][key] |= load(base, page, "", *bounds)
            for page, row in zip(pages, results["pages"], strict=True):
                row |= load(base, page, session_cookie(ctx.users.get(page.role)), *bounds)
                row["rps_ratio"] = round(row["rps"] / max(results["floors"][page.floor]["rps"], 0.1), 2)
            if options["mix_seconds"] > 0:
                bounds = (options["mix_seconds"], options["mix_requests"], options["concurrency"])
                results["load_mix"] = self._locust(mix_actions(ctx, base), base, *bounds)
            if options["announce_seconds"] > 0:
                bounds = (
                    options["announce_seconds"],
                    options["mix_requests"] * 10,
                    options["announce_clients"],
                )
                results["announcement"] = self._locust(announcement_actions(ctx), base, *bounds)
        finally:
            server.stop()

    def _locust(self, actions: list, base: str, seconds: float, max_requests: int, clients: int) -> dict:
        try:
            run = run_locust(
                actions, host=base, seconds=seconds, max_requests=max_requests, concurrency=clients
            )
        except LoadTestError as exc:
            raise CommandError(f"load test: {exc}") from exc
        return run | {"clients": clients}

    def _print(self, results: dict) -> None:
        out = self.stdout.write
        out("\nFloors")
        for key, f in results["floors"].items():
            out(f"  {key:<10} p50 {f['p50_ms']:>7} ms  p95 {f['p95_ms']:>7} ms  rps {f.get('rps', '-')}")
        out(
            "\n"
            + f"{'page':<34}{'role':<12}{'q':>4}{'p50 ms':>9}{'p95 ms':>9}{'x floor':>9}{'rps':>9}{'x floor':>9}"
            + f"{'err':>5}{'sql ms':>9}{'tpl ms':>9}{'rest ms':>9}"
        )
        for r in results["pages"]:
            out(
                f"{r['page']:<34}{r['role']:<12}{r['queries']:>4}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p95_ratio']:>9}"
                f"{r.get('rps', '-'):>9}{r.get('rps_ratio', '-'):>9}{r.get('errors', '-'):>5}"
                f"{r['sql_ms']:>9}{r['template_ms']:>9}{r['rest_ms']:>9}"
            )
        out("(sql, tpl, rest: mean ms per request spent in queries, in template rendering, elsewhere)")

    def _print_mix(self, mix: dict, title: str) -> None:
        out = self.stdout.write
        out(
            f"\nLoad test ({title}, {mix['clients']} clients, {mix['seconds']} s): {mix['requests']} requests, "
            f"{mix['rps']} req/s, "
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
