"""The monthly partitions of the log tables: list them, create them ahead, detach old ones (retention)."""

import datetime as dt
from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from performance import partitions


def year_month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").replace(tzinfo=dt.UTC).date()
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a month as YYYY-MM (e.g. 2025-01)") from None


class Command(BaseCommand):
    help = (
        "The monthly partitions of the daily log tables (PostgreSQL). Without options: list them. "
        "--ensure: create this month's and the next ones now (what the daily beat task does). "
        "--detach-before YYYY-MM: retention; lists the monthly partitions wholly before that month and, "
        "only with --apply, detaches them. A detached month is a plain table no page reads any more "
        "(its logs' feedback threads and API keys move to tables beside it): archive it with "
        "`pg_dump -t <table>` and then DROP it. Detaching takes a brief exclusive lock on the parent "
        "table (PostgreSQL refuses DETACH ... CONCURRENTLY while a DEFAULT partition exists), waiting "
        f"at most {partitions.LOCK_TIMEOUT} for running queries: run it in a quiet hour, again if it timed out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ensure", action="store_true", help="create the partitions ahead now")
        parser.add_argument(
            "--ahead", type=int, default=partitions.AHEAD_MONTHS, help="months ahead (--ensure)"
        )
        parser.add_argument(
            "--detach-before", type=year_month, default=None, metavar="YYYY-MM", help="retention cut-off"
        )
        parser.add_argument("--apply", action="store_true", help="really detach (default: a dry run)")

    def handle(self, *args, ensure: bool, ahead: int, detach_before: dt.date | None, apply: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Partitions exist on PostgreSQL only; this database has plain tables.")
        today = timezone.localdate()
        if ensure:
            created = partitions.partitions_ensure(today=today, months_ahead=ahead)
            self.stdout.write(f"created: {', '.join(created) or 'none (all there)'}")
        if detach_before is not None:
            self._detach(detach_before, today, apply)
        if not ensure and detach_before is None:
            self._list()

    def _list(self) -> None:
        for table in partitions.PARTITIONED:
            for name, lower, upper in partitions.partitions_of(table):
                span = f"{lower} .. {upper - dt.timedelta(days=1)}" if lower else "DEFAULT (any other date)"
                self.stdout.write(f"{name}\t{span}")

    def _detach(self, before: dt.date, today: dt.date, apply: bool) -> None:
        if before > partitions.month_start(today):
            raise CommandError(
                "The cut-off is after this month: the current month's logs cannot be detached."
            )
        found = partitions.partitions_before(before)
        if not found:
            self.stdout.write(f"No monthly partition ends before {before:%Y-%m}.")
            return
        if not apply:
            for _table, name in found:
                self.stdout.write(f"would detach {name}")
            self.stdout.write("Dry run: nothing changed. Run again with --apply to detach.")
            return
        tables = partitions.partitions_detach(before=before)
        for name in tables:
            self.stdout.write(f"detached {name}")
        self.stdout.write(
            "Archive, then drop: pg_dump -Fc " + " ".join(f"-t {t}" for t in tables) + " -f logs-archive.dump"
            f" && psql -c 'DROP TABLE {', '.join(tables)}'"
        )
