"""A gunicorn on loopback for the benchmark's load runs."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from django.core.management.base import CommandError
from django.urls import reverse

# The public forms' flood guards would (rightly) refuse a benchmark's thousands of identical
# submissions from one address: the run lifts them, in-process and in the gunicorn it starts.
BENCH_LIMITS = {"FEEDBACK_IP_LIMIT": 10**9, "FEEDBACK_UNIT_LIMIT": 10**9, "FEEDBACK_DUPLICATE_WINDOW": 0}


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
