"""How the benchmark measures: in-process requests, concurrent load through HTTP, jobs in a child process."""

import datetime as dt
import multiprocessing
import re
import resource
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client

from asnportal.accounts.models import User
from asnportal.org.models import Region

from .breakdown import breakdown
from .loadtest import NO_REDIRECTS
from .pages import Page


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def measure_in_process(page: Page, user: User | None, requests: int) -> dict:
    client = client_for(user)
    call = getattr(client, page.method)
    for _ in range(3):  # warm-up: caches, connections, template loading
        call(page.url, page.data)
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = call(page.url, page.data)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        call(page.url, page.data)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "status": response.status_code,
        "queries": len(executed),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 95), 2),
        # where the time goes, from separate requests: the hooks would inflate p50/p95
        **breakdown(lambda: call(page.url, page.data), max(requests // 5, 5)),
    }


def session_cookie(user: User | None) -> str:
    if user is None:
        return ""
    client = client_for(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def csrf_for(base: str, url: str, cookie: str) -> tuple[str, str]:
    """GET the form once to obtain the CSRF cookie and token a browser would post back."""
    request = urllib.request.Request(base + url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310 - loopback only
        body = response.read().decode()
        cookies = response.headers.get_all("Set-Cookie") or []
    token_cookie = next((c.split(";")[0] for c in cookies if c.startswith("csrftoken=")), "")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    return token_cookie, match.group(1) if match else ""


def load(base: str, page: Page, cookie: str, seconds: float, concurrency: int, max_requests: int) -> dict:
    """Concurrent requests for a bounded time and count; returns requests/s, p95 and errors."""
    headers, body = _request_parts(base, page, cookie)
    request = {"url": base + page.url, "data": body, "headers": headers, "method": page.method.upper()}
    latencies, errors, wall = _hammer(request, seconds, concurrency, max_requests)
    return {
        "rps": round(len(latencies) / wall, 1),
        "load_p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "errors": errors,
        "requests": len(latencies),
    }


def _request_parts(base: str, page: Page, cookie: str) -> tuple[dict, bytes | None]:
    """The headers and body of the page's request; a real form posts back its CSRF cookie and token."""
    headers = {"Cookie": cookie}
    if page.method != "post":
        return headers, None
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    fields = {k: v for k, v in page.data.items() if not k.startswith("_")}
    form_url = page.data.get("_form_url")
    if form_url:  # a real form: post back the CSRF cookie and token, as a browser does
        token_cookie, token = csrf_for(base, form_url, cookie)
        headers["Cookie"] = "; ".join(c for c in (cookie, token_cookie) if c)
        headers["Referer"] = base + form_url
        fields["csrfmiddlewaretoken"] = token
    return headers, urllib.parse.urlencode(fields, doseq=True).encode()


def _send(request: dict) -> tuple[float, bool]:
    """One request, not following redirects: (milliseconds, answered below 400)."""
    t0 = time.perf_counter()
    try:
        with NO_REDIRECTS.open(urllib.request.Request(**request), timeout=30) as response:  # noqa: S310  # nosec B310 - loopback only
            response.read()
            ok = response.status < 400
    except urllib.error.HTTPError as exc:
        ok = exc.code < 400
    except OSError:
        ok = False
    return (time.perf_counter() - t0) * 1000, ok


def _hammer(
    request: dict, seconds: float, concurrency: int, max_requests: int
) -> tuple[list[float], int, float]:
    """`concurrency` threads sending the request back to back until the deadline or the request bound:
    (latencies in ms, errors, wall seconds)."""
    latencies: list[float] = []
    errors, count = [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                if count[0] >= max_requests:
                    return
                count[0] += 1
            elapsed, ok = _send(request)
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0], time.perf_counter() - started


def _child_job(target, kwargs, queue) -> None:
    connections.close_all()
    t0 = time.perf_counter()
    target(**kwargs)
    queue.put(time.perf_counter() - t0)


def run_in_child(target, **kwargs) -> tuple[float, float]:
    """Run a job in a forked process: (seconds, peak resident memory in MB of that process)."""
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child_job, args=(target, kwargs, queue))
    proc.start()
    proc.join(timeout=1800)
    if proc.exitcode != 0:
        raise CommandError(f"the job {target.__name__} failed in its process (exit code {proc.exitcode})")
    seconds = queue.get(timeout=5)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024


def jobs_measure(region: Region) -> list[dict]:
    """The monthly region report of last month against its raw-SQL floor, each in a process of its own."""
    from reports.services import snapshot_compute

    from .scale import JOB_FLOORS

    start = dt.date.today().replace(day=1) - dt.timedelta(days=1)  # noqa: DTZ011
    start = start.replace(day=1)
    floor_s, _ = run_in_child(JOB_FLOORS["region_report"], region_id=region.pk, start=start)
    job_s, peak_mb = run_in_child(snapshot_compute, region_id=region.pk, kind="monthly", period_start=start)
    return [
        {
            "job": "region report (monthly)",
            "seconds": round(job_s, 3),
            "floor_seconds": round(floor_s, 3),
            "ratio": round(job_s / max(floor_s, 0.001), 2),
            "peak_mb": round(peak_mb, 1),
        }
    ]
