"""`seed_demo` builds realistic, deterministic data for the three regions; each demo account lands home."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from asnportal.accounts.models import User
from asnportal.org.models import Employee, Region
from asnportal.org.nip import nip_parse
from asnportal.org.regions import regions_ensure

pytestmark = pytest.mark.django_db

MODELS_TO_COUNT = ["org.Employee", "org.Unit", "accounts.User", "accounts.RoleAssignment"]


def counts() -> dict[str, int]:
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in MODELS_TO_COUNT}


def test_seed_demo_is_valid_idempotent_and_every_account_lands_home():
    regions_ensure(Region)
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first, "running seed_demo twice must change nothing"

    for region in Region.objects.all():
        employees = Employee.objects.filter(region=region)
        assert employees.count() >= 100
        assert employees.filter(supervisor__isnull=False).count() >= 90
    for nip in Employee.objects.values_list("nip", flat=True)[:400]:
        nip_parse(nip)  # every demo NIP is valid

    usernames = [line.split()[0] for line in printed.splitlines() if line.startswith("  ")]
    assert {
        "pegawai.bengkulu",
        "atasan.sorong",
        "bkpsdm.bungo",
        "kepala.bengkulu",
        "pelamar",
        "admin",
    } <= set(usernames)
    for username in usernames:
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get("/", follow=True)
        assert response.status_code == 200, username
        assert response.redirect_chain or username == "admin", f"{username} has no home page of their own"
