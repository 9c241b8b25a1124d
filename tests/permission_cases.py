"""The permission matrix: each app lists, in tests/<app>/permissions.py, a Case for each of its URLs.

An expectation per role is an HTTP status, or "login" for a redirect to the login page.
tests/test_permission_matrix.py fails when a URL of the project has no Case.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .conftest import ROLES, Cast

LOGIN = "login"


def expect(default: int | str, **overrides: int | str) -> dict[str, int | str]:
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles in expectation: {unknown}")
    return {role: overrides.get(role, default) for role in ROLES}


# Shorthands for the common shapes.
PUBLIC = expect(200)
LOGGED_IN = expect(200, anonymous=LOGIN)


def only(*roles: str, status: int = 200, others: int = 403, **overrides: int | str) -> dict[str, int | str]:
    """The given roles get `status`, anonymous is sent to login, everyone else gets `others`."""
    base = dict.fromkeys(roles, status)
    base.setdefault("anonymous", LOGIN)
    base.update(overrides)
    return expect(others, **base)


@dataclass
class Case:
    expect: dict[str, int | str]
    kwargs: Callable[[Cast], dict[str, Any]] | None = None
    method: str = "get"
    data: Callable[[Cast], dict[str, Any]] | None = None
    setup: Callable[[Cast], None] | None = None
    note: str = field(default="")


APPS = [
    "org",
    "workforce",
    "accounts",
    "reports",
    "recruitment",
    "training",
    "performance",
    "feedback",
    "core",
    "regulations",
    "benchmarks",
    "api",
]


def all_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{app}.permissions":
                raise
            continue
        for name, case in module.CASES.items():
            assert name not in cases, f"two Cases for {name}"
            cases[name] = case
    return cases
