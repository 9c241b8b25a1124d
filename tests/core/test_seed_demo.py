"""`seed_demo` builds realistic, deterministic data for the three regions around the day it runs; each
demo account lands home. Run on the suite's day and travelled to the edges of the calendar: the first
Monday of a year (Triwulan I only days old, the logs reaching into last year) and a leap day."""

import datetime as dt
import io

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from asnportal.accounts.models import User
from asnportal.org.demo import quarter_of, quarter_shift, quarter_start
from asnportal.org.models import Employee, Region
from asnportal.org.nip import nip_parse
from asnportal.org.regions import regions_ensure
from feedback.models import SurveyResponse
from performance.models import ActivityLog, Period, Plan
from recruitment.models import ScheduleItem, Selection, Stage
from training.models import Session

from ..clock import TODAY, at

pytestmark = pytest.mark.django_db

# The suite's day, and the two edges the demo must survive (once each, if the suite runs on one).
DAYS = sorted({TODAY, dt.date(2027, 1, 4), dt.date(2028, 2, 29)})


def counts() -> dict[str, int]:
    """Rows of every model the demo writes (the tasking outbox and receipts included)."""
    labels = ("org", "accounts", "recruitment", "training", "performance", "feedback", "reports")
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in labels}


def assert_built_around(day: dt.date) -> None:
    current = quarter_start(day)
    for region in Region.objects.all():
        # An open period of the current quarter, the earlier quarters of the year closed.
        period = Period.objects.get(region=region, start__lte=day, end__gte=day)
        assert (period.status, period.year, period.quarter) == ("open", day.year, quarter_of(day))
        assert not Period.objects.filter(region=region, end__lt=current, status="open").exists()
        assert not Period.objects.filter(region=region, start__gt=day).exists(), "no period ahead"
        # Logs of the last two weeks, in the past, on working days, for the plan of the log's year.
        logs = ActivityLog.objects.filter(employee__region=region)
        assert logs.filter(date__gte=day - dt.timedelta(days=14), date__lt=day).exists(), region
        assert not logs.filter(date__gte=day).exists()
        assert all(d.weekday() < 5 for d in logs.dates("date", "day"))
        assert not logs.exclude(indicator__result__plan__year=F("date__year")).exists()
        # Whatever waits for review lies in an open period (a closed one could never be reviewed).
        for closed in Period.objects.filter(region=region, status="closed"):
            assert not logs.filter(status="submitted", date__range=(closed.start, closed.end)).exists()
        # The previous quarter exists (last year's Triwulan IV-Akhir in January), appraised.
        previous = quarter_shift(current, -1)
        last = Period.objects.get(region=region, start=previous)
        assert last.status == "closed" and last.appraisals.filter(predikat="sangat_baik").exists()
        assert logs.filter(date__range=(last.start, last.end)).exists()
        assert Plan.objects.filter(employee__region=region, year=day.year, status="agreed").count() >= 10
        # Training ahead: a session starting later whose enrollment is open today.
        ahead = Session.objects.filter(region=region, start_date__gt=day, allocated_at__isnull=True)
        assert ahead.filter(enroll_opens__lte=day, enroll_closes__gte=day).exists(), region
        # A selection of this year in progress: some stages done, the final one still to come.
        selection = Selection.objects.get(region=region, year=day.year)
        assert selection.registration_opens <= day
        stages = ScheduleItem.objects.filter(selection=selection)
        assert stages.filter(starts_on__lte=day).exists()
        assert stages.filter(stage=Stage.FINAL, starts_on__gt=day).exists()
        # Survey responses of the current quarter (up to today) and of the previous one.
        responses = SurveyResponse.objects.filter(service_unit__region=region)
        assert responses.filter(submitted_on__gte=current, submitted_on__lte=day).exists(), region
        assert responses.filter(submitted_on__gte=previous, submitted_on__lt=current).exists()
        assert not responses.filter(submitted_on__gt=day).exists()


@pytest.mark.parametrize("day", DAYS, ids=[d.isoformat() for d in DAYS])
def test_seed_demo_builds_around_the_day_is_valid_idempotent_and_every_account_lands_home(day):
    regions_ensure(Region)
    with time_machine.travel(at(day), tick=False):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        printed = out.getvalue()
        first = counts()
        call_command("seed_demo", stdout=io.StringIO())
        assert counts() == first, "running seed_demo twice must change nothing"
        assert f"built around {day:%d-%m-%Y}" in printed

        assert_built_around(day)
        for region in Region.objects.all():
            employees = Employee.objects.filter(region=region)
            assert employees.count() >= 100
            assert employees.filter(supervisor__isnull=False).count() >= 90
        for nip in Employee.objects.values_list("nip", flat=True)[:400]:
            info = nip_parse(nip)  # every demo NIP is valid, its TMT CPNS in the past
            assert info.tmt_cpns < day

        usernames = [line.split()[0] for line in printed.splitlines() if line.startswith("  ")]
        # the account list speaks Indonesian too: every role by its label (the applicants once said "Applicant")
        assert "Applicant" not in printed and "Pelamar " in printed
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
