"""Settings come from the environment, strictly; production passes `check --deploy` with no warning."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k" * 20 + "-production-secret-for-tests-only-" + "z" * 20


def run_django(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AXES_", "SECURE_"))}
    env.update(
        {
            "DJANGO_ENV_FILE": "/nonexistent",
            "DATABASE_URL": "sqlite:///:memory:",
            "DJANGO_SETTINGS_MODULE": "asnportal.settings",
        }
    )
    env.update(env_overrides)
    cmd = (
        [sys.executable, "manage.py", *args]
        if args
        else [sys.executable, "-c", "import django; django.setup()"]
    )
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("AXES_FAILURE_LIMIT", "lots"),
        ("AXES_FAILURE_LIMIT", "0"),
        ("DJANGO_ENV", "staging"),
        ("DATABASE_URL", "not a url"),
        ("REDIS_URL", "localhost:6379"),
        ("DJANGO_TIME_ZONE", "Mars/Olympus"),
        ("SESSION_COOKIE_AGE", "-5"),
        ("DJANGO_BEHIND_PROXY", "maybe"),
        ("TRUSTED_PROXY_COUNT", "two"),
        ("AXES_IP_FAILURE_LIMIT", "many"),
        ("PASSWORD_RESET_EMAIL_LIMIT", "0"),
        ("PASSWORD_RESET_IP_LIMIT", "x"),
        ("PASSWORD_RESET_WINDOW_MINUTES", "0"),
        ("FEEDBACK_CODE_GUESS_LIMIT", "lots"),
        ("FEEDBACK_CODE_GUESS_WINDOW", "5"),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(name, value):
    result = run_django({name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_production_requires_secret_and_hosts():
    result = run_django({"DJANGO_ENV": "production", "DJANGO_ALLOWED_HOSTS": "asn.example.go.id"})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
    result = run_django({"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": GOOD_SECRET})
    assert result.returncode != 0 and "DJANGO_ALLOWED_HOSTS" in result.stderr
    result = run_django(
        {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": GOOD_SECRET,
            "DJANGO_ALLOWED_HOSTS": "a",
            "DJANGO_DEBUG": "1",
        }
    )
    assert result.returncode != 0 and "DJANGO_DEBUG" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_django(
        {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": GOOD_SECRET,
            "DJANGO_ALLOWED_HOSTS": "asn.example.go.id",
            "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_demo_defaults_run_eagerly_on_sqlite():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update({"DJANGO_ENV_FILE": "/nonexistent", "DJANGO_SETTINGS_MODULE": "asnportal.settings"})
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "False"], result.stderr


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": GOOD_SECRET,
    "DJANGO_ALLOWED_HOSTS": "asn.example.go.id",
}
# What a request carrying forged proxy headers looks like to the settings: secure? which client?
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "from django.test import RequestFactory; from asnportal.accounts.access import client_ip; "
    "r = RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https', HTTP_X_FORWARDED_FOR='6.6.6.6', "
    "REMOTE_ADDR='10.0.0.9'); "
    "print(s.SECURE_PROXY_SSL_HEADER, s.TRUSTED_PROXY_COUNT, r.is_secure(), client_ip(r))"
)


def probe(env: dict[str, str]) -> str:
    result = run_django(env, "shell", "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's "objects imported" note


def test_production_without_a_declared_proxy_ignores_forwarded_headers():
    """Gunicorn published directly (the default, docker-compose): a client forging X-Forwarded-Proto
    is not taken for HTTPS, nor X-Forwarded-For for its address."""
    assert probe(PRODUCTION) == "None 0 False 10.0.0.9"


def test_production_behind_a_declared_proxy_trusts_it():
    assert probe({**PRODUCTION, "DJANGO_BEHIND_PROXY": "1"}) == (
        "('HTTP_X_FORWARDED_PROTO', 'https') 1 True 6.6.6.6"
    )


@pytest.mark.parametrize("behind_proxy", ["0", "1"])
def test_production_passes_check_deploy_with_and_without_a_proxy(behind_proxy):
    result = run_django(
        {**PRODUCTION, "DJANGO_BEHIND_PROXY": behind_proxy},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TRUSTED_PROXY_COUNT": "1"}, "TRUSTED_PROXY_COUNT"),  # forwarded addresses without a proxy
        ({"DJANGO_BEHIND_PROXY": "1", "TRUSTED_PROXY_COUNT": "0"}, "TRUSTED_PROXY_COUNT"),
        ({"AXES_FAILURE_LIMIT": "10", "AXES_IP_FAILURE_LIMIT": "5"}, "AXES_IP_FAILURE_LIMIT"),
    ],
)
def test_inconsistent_values_stop_start_up_naming_the_variable(env, named):
    result = run_django(env)
    assert result.returncode != 0
    assert named in result.stderr
