"""Restore a `backup` file into a database (by default the configured one; it must be empty unless --clean)."""

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .backup import pg_env_and_args


class Command(BaseCommand):
    help = "Restore a pg_dump file made by `backup` with pg_restore."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--database", help="target database name (default: the configured one)")
        parser.add_argument("--clean", action="store_true", help="drop existing objects before restoring")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such backup file: {path}")
        env, conn = pg_env_and_args()
        target = options["database"] or settings.DATABASES["default"]["NAME"]
        cmd = ["pg_restore", *conn, "--no-owner", "--exit-on-error", "--single-transaction", "-d", target]
        if options["clean"]:
            cmd += ["--clean", "--if-exists"]
        result = subprocess.run([*cmd, str(path)], env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        self.stdout.write(f"restored {path} into {target}")
