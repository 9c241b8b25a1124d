from django.core.management.base import BaseCommand, CommandError

from recruitment.ledger import ledger_verify


class Command(BaseCommand):
    help = "Recompute every selection's hash chain and report altered entries (exit 1 when any)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--selection", type=int, default=None)

    def handle(self, *args, **options) -> None:
        reports = ledger_verify(selection_id=options["selection"])
        broken = 0
        for r in reports:
            state = "OK" if r.ok else "BROKEN"
            self.stdout.write(
                f"{state:6} selection {r.selection_id} ({r.selection_name}): {r.length} entries, head {r.head_hash}"
            )
            for p in r.problems:
                broken += 1
                self.stdout.write(f"       entry {p['seq']}: {p['problem']}")
        if broken:
            raise CommandError(f"{broken} problem(s) found in the ledger")
        self.stdout.write(self.style.SUCCESS("Ledger intact."))
