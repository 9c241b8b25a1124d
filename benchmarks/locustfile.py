"""The benchmark's load mix as a locust user: `loadtest.run_locust` runs it headless in a subprocess.

The actions (name, weight, method, path, body, headers) come from the JSON file named by
ASN_LOCUST_ACTIONS: the benchmark builds them with their session cookies and CSRF tokens. The run
is bounded by `-t` and by ASN_LOCUST_MAX_REQUESTS, and refuses any host but 127.0.0.1.

Locust imports this file by path, outside Django: it imports nothing from the project, and the
project never imports it (locust would monkey-patch the importing process with gevent).
"""

import csv
import json
import os
import sys
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, constant, events
from locust.exception import StopUser
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

ACTIONS_ENV = "ASN_LOCUST_ACTIONS"  # the same names in loadtest.py
MAX_REQUESTS_ENV = "ASN_LOCUST_MAX_REQUESTS"
LOOPBACK = "127.0.0.1"


def loopback_host(host: str | None) -> bool:
    parts = urlsplit(host or "")
    return parts.scheme == "http" and parts.hostname == LOOPBACK and parts.path in ("", "/")


def actions_load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        actions = json.load(fh)
    for action in actions:
        # a path on the --host, never a URL of its own that would leave loopback
        if not action["path"].startswith("/") or action["path"].startswith("//"):
            raise ValueError(f"{action['name']}: the path must be relative to the host: {action['path']!r}")
        if action["weight"] < 1:
            raise ValueError(f"{action['name']}: the weight must be at least 1")
    return actions


class Budget:
    """The request bound: at most `limit` requests are started; the run quits once they are answered."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"{MAX_REQUESTS_ENV} must be at least 1")
        self.limit, self.started, self.answered, self.quitting = limit, 0, 0, False

    def take(self) -> bool:
        if self.started >= self.limit:
            return False
        self.started += 1
        return True


ACTIONS = actions_load(os.environ[ACTIONS_ENV]) if ACTIONS_ENV in os.environ else []
BUDGET = Budget(int(os.environ.get(MAX_REQUESTS_ENV, "50000")))


@events.init.add_listener
def _loopback_only(environment, **kwargs) -> None:
    if not loopback_host(environment.host):
        sys.stderr.write(
            f"refused: the load test runs on http://{LOOPBACK}:<port> only, not {environment.host!r}\n"
        )
        sys.exit(2)
    if not ACTIONS:
        sys.stderr.write(f"no actions: set {ACTIONS_ENV} to the JSON file of the mix\n")
        sys.exit(2)

    @environment.events.request.add_listener
    def _count(**kwargs) -> None:
        BUDGET.answered += 1
        if BUDGET.answered >= BUDGET.limit and not BUDGET.quitting:
            BUDGET.quitting = True
            # in its own greenlet: quit() stops every user, including the one reporting this request
            gevent.spawn(environment.runner.quit)


@events.quitting.add_listener
def _final_csv(environment, **kwargs) -> None:
    """Locust's CSV writer refreshes `_stats.csv` once a second and is not run again at the end, so the
    file misses the last second (locustio/locust#1806, #2299): write the final table, users stopped."""
    prefix = environment.parsed_options and environment.parsed_options.csv_prefix
    if prefix:
        with open(f"{prefix}_stats.csv", "w", newline="", encoding="utf-8") as fh:
            StatsCSV(environment, PERCENTILES_TO_REPORT).requests_csv(csv.writer(fh))


def action_task(action: dict):
    def run(user: HttpUser) -> None:
        if not BUDGET.take():
            raise StopUser()
        # Every request is a separate visitor: only the action's own cookies, none kept from answers.
        user.client.cookies.clear()
        # A 3xx after a saved form is the answer being measured (not followed); >= 400 is a failure.
        user.client.request(
            action["method"].upper(),
            action["path"],
            name=action["name"],
            data=(action.get("body") or "").encode() or None,
            headers=action.get("headers") or {},
            allow_redirects=False,
            timeout=30,
        )

    run.__name__ = action["name"]
    return run


class MixUser(HttpUser):
    wait_time = constant(0)  # back to back, as many browsers would
    tasks = {action_task(action): action["weight"] for action in ACTIONS}
