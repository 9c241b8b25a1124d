"""Back up the PostgreSQL database with pg_dump (custom format, restorable with `restore`)."""

import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


def pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    """libpq environment and connection arguments for the default database."""
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        raise CommandError("backup and restore need PostgreSQL (DATABASE_URL=postgres://...)")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


class Command(BaseCommand):
    help = "Write a pg_dump (custom format) of the database to a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", "-o", help="file to write (default: backups/asnportal-<timestamp>.dump)"
        )

    def handle(self, *args, **options) -> None:
        env, conn = pg_env_and_args()
        output = Path(
            options["output"]
            or Path(settings.BASE_DIR) / "backups" / f"asnportal-{timezone.now():%Y%m%d-%H%M%S}.dump"
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        name = settings.DATABASES["default"]["NAME"]
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            ["pg_dump", *conn, "--format=custom", "--no-owner", "--file", str(output), name],  # noqa: S607
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            output.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        self.stdout.write(f"{output} ({output.stat().st_size} bytes)")
