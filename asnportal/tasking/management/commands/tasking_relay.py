import datetime as dt

from django.core.management.base import BaseCommand

from asnportal.tasking.outbox import relay


class Command(BaseCommand):
    help = "Send the background jobs that waited for the broker (and those whose worker was lost)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)
        parser.add_argument(
            "--stale-after",
            type=int,
            default=None,
            help="seconds after which a job sent but unfinished is sent again (default: the task time limit)",
        )

    def handle(self, *args, limit: int, stale_after: int | None, **options):
        stale = dt.timedelta(seconds=stale_after) if stale_after is not None else None
        sent = relay(limit=limit, stale_after=stale)
        self.stdout.write(f"{sent}")
