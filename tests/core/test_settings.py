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
