"""Generate a national-size dataset inside PostgreSQL and report the rows per second."""

import datetime as dt
import re
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from benchmarks.scale import GENERATORS, SCALE_REGION, ScaleContext, execute


def replica_mode(role: str = "replica") -> bool:
    """Skip per-row triggers for the current transaction when the role may (a superuser)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute(f"SET LOCAL session_replication_role = {role}")
            return True
    return False


class Command(BaseCommand):
    help = "Seed a national-size dataset (default 50,000 employees and 90 days of activity)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, default=50_000)
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument(
            "--end", type=dt.date.fromisoformat, default=None, help="last day of the data (ISO date)"
        )
        parser.add_argument("--reset", action="store_true", help="remove an earlier scale dataset first")

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (DATABASE_URL=postgres://...)")
        if options["employees"] < 100 or options["days"] < 1:
            raise CommandError("--employees must be at least 100 and --days at least 1")
        from asnportal.org.models import Region

        existing = Region.objects.filter(code=SCALE_REGION).first()
        if existing and existing.employees.exists():
            if not options["reset"]:
                raise CommandError("A scale dataset exists already; run with --reset to rebuild it.")
            self._reset(existing.pk)
        ctx = ScaleContext(
            employees=options["employees"],
            days=options["days"],
            end=options["end"] or dt.date.today() - dt.timedelta(days=1),  # noqa: DTZ011 - a calendar day
        )
        total_rows, started = 0, time.perf_counter()
        for step, (name, generate) in enumerate(GENERATORS, start=1):
            t0 = time.perf_counter()
            with transaction.atomic():
                # The rows are consistent by construction: skip the per-row foreign-key triggers
                # (needs a superuser, as on a seeding machine; elsewhere they simply stay on).
                replica_mode()
                rows = generate(ctx)
                replica_mode("origin")  # back to normal, also when inside a test's transaction
            total_rows += rows
            elapsed = time.perf_counter() - t0
            bar = "#" * (20 * step // len(GENERATORS))
            self.stdout.write(f"[{bar:<20}] {name:<12} {rows:>12,} rows in {elapsed:6.1f} s")
            sys.stdout.flush()
        execute("ANALYZE")  # fresh statistics for the planner: part of making the dataset usable
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"{total_rows:,} rows in {elapsed:.1f} s: {total_rows / elapsed:,.0f} rows/s")
        )

    def _reset(self, region_id: int) -> None:
        from benchmarks.scale import RESETTERS

        with transaction.atomic():
            # The append-only tables of recruitment refuse DELETE by trigger: replica mode skips it.
            replica_mode()
            for sql in RESETTERS:
                execute(sql, {"region": region_id})
        # Reclaim the deleted rows now (outside the timed part) so the new ones do not pile behind them.
        tables = dict.fromkeys(re.findall(r"^\s*DELETE FROM (\w+)", "\n".join(RESETTERS), re.MULTILINE))
        if not connection.in_atomic_block:  # VACUUM cannot run inside a transaction (e.g. in tests)
            for table in tables:
                execute(f"VACUUM {table}")
