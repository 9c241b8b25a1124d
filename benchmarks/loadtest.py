"""A realistic load mix on loopback: staff logging, supervisors reviewing, citizens answering the
survey, heads reading the dashboard. Headless, bounded in time AND in request count.

The mix runs in locust (`locustfile.py` next to this module), in a subprocess: its users draw the
next action from the weighted mix and send it back to back. Used by `manage.py benchmark
--mix-seconds N`, which prints throughput, p50/p95 and errors, overall and per action.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# Run in a subprocess, never imported: importing locust monkey-patches (gevent) the importing process.
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
ACTIONS_ENV = "ASN_LOCUST_ACTIONS"  # the same names in the locustfile
MAX_REQUESTS_ENV = "ASN_LOCUST_MAX_REQUESTS"


class LoadTestError(RuntimeError):
    pass


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect after a POST is the answer being measured: do not follow it with a second request."""

    def redirect_request(self, *args, **kwargs):
        return None


# For the benchmark's per-page load (urllib threads); the mix's locust user does the same with
# allow_redirects=False.
NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


def loopback_host(host: str) -> bool:
    parts = urlsplit(host)
    return parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.path in ("", "/")


@dataclass
class Action:
    name: str  # e.g. "staff: save a log"
    weight: int
    method: str
    path: str  # on the host under test, e.g. "/kinerja/"
    body: str = ""  # urlencoded form
    headers: dict = field(default_factory=dict)


def run_locust(
    actions: list[Action], *, host: str, seconds: float, max_requests: int, concurrency: int
) -> dict:
    """Run the weighted mix until `seconds` pass or `max_requests` were answered, whichever comes first."""
    if not loopback_host(host):
        raise LoadTestError(f"the load test runs on loopback only, not {host!r}")
    run_seconds = max(1, round(seconds))  # locust's -t takes whole seconds
    with tempfile.TemporaryDirectory(prefix="asn-locust-") as tmp:
        actions_file = Path(tmp) / "actions.json"
        actions_file.write_text(json.dumps([asdict(a) for a in actions]), encoding="utf-8")
        # No LOCUST_* from the caller's environment and no locust.conf from the working directory:
        # the command line below is the whole configuration.
        env = {key: value for key, value in os.environ.items() if not key.startswith("LOCUST_")}
        env |= {ACTIONS_ENV: str(actions_file), MAX_REQUESTS_ENV: str(max_requests)}
        command = [
            sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
            "-u", str(concurrency), "-r", str(concurrency), "-t", f"{run_seconds}s",
            "--host", host, "--csv", f"{tmp}/mix", "--only-summary",
            "--exit-code-on-error", "0",  # failed requests are counted in the results, not a crash
        ]  # fmt: skip
        try:
            done = subprocess.run(  # noqa: S603  # nosec B603 - fixed program, loopback host checked above
                command,
                cwd=tmp,
                env=env,
                capture_output=True,
                text=True,
                timeout=run_seconds + 60,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise LoadTestError(f"locust did not finish within {run_seconds + 60} s") from exc
        if done.returncode != 0:
            raise LoadTestError(f"locust failed (exit code {done.returncode}): {done.stderr.strip()[-2000:]}")
        return stats_parse(Path(tmp) / "mix_stats.csv", actions)


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else round(float(value), 1)


def stats_parse(path: Path, actions: list[Action]) -> dict:
    """Locust's final `_stats.csv` in the benchmark's shape: overall, then per action in the mix's order."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = {row["Name"]: row for row in csv.DictReader(fh)}

    def summary(row: dict | None) -> dict:
        if row is None:  # an action the run never drew
            return {"requests": 0, "rps": 0.0, "p50_ms": None, "p95_ms": None, "errors": 0}
        return {
            "requests": int(row["Request Count"]),
            "rps": round(float(row["Requests/s"]), 1),
            "p50_ms": _ms(row["50%"]),
            "p95_ms": _ms(row["95%"]),
            "errors": int(row["Failure Count"]),
        }

    total = summary(rows.get("Aggregated"))
    return {
        # locust's rate is over the span from the start to the last answer
        "seconds": round(total["requests"] / total["rps"], 1) if total["rps"] else 0.0,
        **total,
        "actions": [{"action": a.name, **summary(rows.get(a.name))} for a in actions],
    }
