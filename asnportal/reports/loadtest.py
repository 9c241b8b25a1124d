"""A realistic load mix on loopback: staff logging, supervisors reviewing, citizens answering the
survey, heads reading the dashboard. Headless, bounded in time AND in request count.

Threads issue the requests (urllib, one keep-alive-free request each, like many separate browsers);
each thread draws the next action from the weighted mix with its own seeded generator, so a run is
repeatable. Used by `manage.py benchmark --mix-seconds N`; prints throughput, p95 and errors, overall
and per action.
"""

import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect after a POST is the answer being measured: do not follow it with a second request."""

    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


@dataclass
class Action:
    name: str  # e.g. "staff: save a log"
    weight: int
    method: str
    url: str  # absolute, on 127.0.0.1
    body: bytes | None = None
    headers: dict = field(default_factory=dict)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def request_once(action: Action) -> bool:
    """One request; True when the answer is a success (2xx, or the 3xx that follows a saved form)."""
    if not action.url.startswith("http://127.0.0.1:"):
        raise ValueError("the load test runs on loopback only")
    request = urllib.request.Request(  # noqa: S310 - loopback URL checked above
        action.url, data=action.body, headers=action.headers, method=action.method.upper()
    )
    try:
        with NO_REDIRECTS.open(request, timeout=30) as response:  # nosec B310 - loopback only
            response.read()
            return response.status < 400
    except urllib.error.HTTPError as exc:
        return exc.code < 400
    except OSError:
        return False


def run_mix(
    actions: list[Action], *, seconds: float, max_requests: int, concurrency: int, seed: int = 8
) -> dict:
    """Run the weighted mix until `seconds` pass or `max_requests` were sent, whichever comes first."""
    names = [a.name for a in actions]
    weights = [a.weight for a in actions]
    latencies: dict[str, list[float]] = {a.name: [] for a in actions}
    errors: dict[str, int] = dict.fromkeys(names, 0)
    sent = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(number: int) -> None:
        rng = random.Random(seed * 1000 + number)  # noqa: S311 - a repeatable mix, not security
        while time.monotonic() < deadline:
            with lock:
                if sent[0] >= max_requests:
                    return
                sent[0] += 1
            action = rng.choices(actions, weights)[0]
            t0 = time.perf_counter()
            ok = request_once(action)
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies[action.name].append(elapsed)
                if not ok:
                    errors[action.name] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    every = [v for values in latencies.values() for v in values]
    return {
        "seconds": round(wall, 1),
        "requests": len(every),
        "rps": round(len(every) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(every, 50), 1) if every else None,
        "p95_ms": round(percentile(every, 95), 1) if every else None,
        "errors": sum(errors.values()),
        "actions": [
            {
                "action": name,
                "requests": len(latencies[name]),
                "p95_ms": round(percentile(latencies[name], 95), 1) if latencies[name] else None,
                "errors": errors[name],
            }
            for name in names
        ],
    }
