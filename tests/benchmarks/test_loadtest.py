"""The load mix runs in a real locust subprocess against a live server on loopback, bounded in requests
and in time; failures are counted, a redirect after a POST is a success (not followed), and any host
but 127.0.0.1 is refused, by the runner and by the locustfile itself."""

import json
import subprocess
import sys
import time

import pytest
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from benchmarks.loadtest import (
    ACTIONS_ENV,
    LOCUSTFILE,
    MAX_REQUESTS_ENV,
    Action,
    LoadTestError,
    loopback_host,
    run_locust,
)


def page(request):
    response = HttpResponse("ok")
    response.set_cookie("seen", "1")  # a visitor of the mix must not carry it into the next request
    return response


@csrf_exempt
def save(request):
    if request.method != "POST" or request.POST.get("answer") != "3":
        return HttpResponseBadRequest("no form")
    if request.COOKIES.get("sessionid") != "bench" or "seen" in request.COOKIES:
        return HttpResponseBadRequest("wrong cookies")
    return redirect("/gone/")  # not routed: following the redirect would count a 404


urlpatterns = [path("page/", page), path("save/", save)]

MIX = [
    Action("reader: page", 1, "get", "/page/"),
    Action(
        "writer: save",
        1,
        "post",
        "/save/",
        "answer=3",
        {"Cookie": "sessionid=bench", "Content-Type": "application/x-www-form-urlencoded"},
    ),
    Action("lost: missing page", 1, "get", "/missing/"),
]


@pytest.fixture
def host(live_server, settings):
    settings.ROOT_URLCONF = __name__
    return f"http://127.0.0.1:{live_server.thread.port}"


def test_mix_stops_at_the_request_bound_and_counts_failures(host):
    started = time.monotonic()
    mix = run_locust(MIX, host=host, seconds=30, max_requests=40, concurrency=4)
    assert time.monotonic() - started < 20  # ended by the count, not by -t
    assert mix["requests"] == 40  # every request started is answered, none beyond the bound
    rows = {a["action"]: a for a in mix["actions"]}
    assert list(rows) == [a.name for a in MIX]
    assert sum(a["requests"] for a in rows.values()) == 40
    assert all(a["requests"] > 0 for a in rows.values())  # weights 1:1:1, P(an action never drawn) < 1e-6
    assert rows["reader: page"]["errors"] == 0
    assert rows["writer: save"]["errors"] == 0  # the 302 after the saved form, not followed
    assert rows["lost: missing page"]["errors"] == rows["lost: missing page"]["requests"]
    assert mix["errors"] == rows["lost: missing page"]["requests"]
    assert mix["rps"] > 0
    assert 0 < mix["p50_ms"] <= mix["p95_ms"]


def test_mix_stops_at_the_time_bound(host):
    started = time.monotonic()
    mix = run_locust(MIX[:1], host=host, seconds=1, max_requests=10**6, concurrency=2)
    assert time.monotonic() - started < 15
    assert 0 < mix["requests"] < 10**6
    assert mix["seconds"] <= 1.5
    assert mix["errors"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000",
        "http://10.0.0.1:8000",
        "http://127.0.0.1.example.com:8000",
        "https://127.0.0.1:8000",
        "http://127.0.0.1:8000/other/",
        "",
    ],
)
def test_runner_refuses_any_host_but_loopback(url):
    assert not loopback_host(url)
    with pytest.raises(LoadTestError, match="loopback only"):
        run_locust(MIX, host=url, seconds=1, max_requests=1, concurrency=1)


@pytest.mark.parametrize(
    ("host", "path", "message"),
    [
        ("http://localhost:9", "/page/", "refused"),
        ("http://127.0.0.1:9", "//example.com/page/", "relative to the host"),
    ],
)
def test_locustfile_refuses_other_hosts_itself(tmp_path, host, path, message):
    actions = tmp_path / "actions.json"
    actions.write_text(json.dumps([{"name": "a", "weight": 1, "method": "get", "path": path}]))
    done = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u", "1", "-r", "1",
         "-t", "5s", "--host", host, "--only-summary"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", ACTIONS_ENV: str(actions), MAX_REQUESTS_ENV: "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert message in done.stderr
    assert "Ramping to" not in done.stderr  # no user was started
