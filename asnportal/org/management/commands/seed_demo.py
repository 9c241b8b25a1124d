"""Load realistic demo data for the three regions, built around the day it runs, and print the demo
accounts. Deterministic for a given seed and day; running it again changes nothing."""

import importlib
import random

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from asnportal.org.demo import DEMO_PASSWORD, demo_today, seed_core

# Each app above the core may ship a `demo.py` with `seed(*, rng)`; the core finds them by name, never
# imports them. App and the name its random stream is seeded with (workforce kept its first name).
DOMAIN_DEMOS = [
    ("workforce", "planning"),
    ("recruitment", "recruitment"),
    ("training", "training"),
    ("performance", "performance"),
    ("feedback", "feedback"),
    ("reports", "reports"),
]


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo accounts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options) -> None:
        # Notifications the demo data would trigger are kept in memory, not printed or sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            accounts = self._seed(options)
        self.stdout.write("")
        self.stdout.write(f"Demo data built around {demo_today():%d-%m-%Y} (seed {options['seed']}).")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        width = max(len(a[0]) for a in accounts)
        for username, role, region in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {role:<22} {region}")
        self.stdout.write("")

    def _seed(self, options) -> list[tuple[str, str, str]]:
        rng = random.Random(options["seed"])
        accounts = seed_core(rng)
        for app, stream in DOMAIN_DEMOS:
            if app not in settings.INSTALLED_APPS:
                continue
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            accounts += module.seed(rng=random.Random(f"{options['seed']}-{stream}")) or []
        return accounts
