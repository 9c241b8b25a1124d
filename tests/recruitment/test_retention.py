"""Retention: applicants' personal data is purged after the selection ended and the retention period
passed; the ranking, the scores and the hash-chained ledger stay as they were and still verify."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from asnportal.accounts.models import AuditEvent
from recruitment import retention, selectors, services
from recruitment.ledger import ledger_verify
from recruitment.models import ApplicantProfile, Application, Document, LedgerEntry, ScheduleItem, Stage
from recruitment.tasks import purge_expired_applicants

from ..clock import days
from .factories import make_applicant_user, make_selection, nik_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SKD_STARTS, ENDED = days(30), days(49)  # the selection's SKD, from next month; ENDED: its last day


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def applicant(formation, n: int, birth: dt.date, *, female: bool = False) -> Application:
    user = make_applicant_user()
    profile = ApplicantProfile.objects.create(user=user, full_name=f"Pelamar {n}")
    services.applicant_profile_update(
        profile=profile,
        full_name=f"Pelamar {n}",
        nik=nik_for(birth, n, female=female),
        birth_date=birth,
        address=f"Jl. Mawar {n}, Bengkulu",
        phone=f"08123456{n:04d}",
        education="S1 Psikologi",
    )
    services.document_upload(profile=profile, kind="ktp", upload=SimpleUploadedFile("ktp.pdf", PDF))
    return services.application_submit(user=user, formation=formation)


@pytest.fixture
def ended(cast, media):
    """A selection run to its ranking from today: four applicants, two of them tied on every score but
    the birth date (the older must stay ahead after the purge), plus ledgered screening and SKD."""
    hr = cast.users["hr"]
    selection = make_selection(region=cast.region_a, quota=1, created_by=hr)
    ScheduleItem.objects.create(selection=selection, stage=Stage.SKD, starts_on=SKD_STARTS, ends_on=ENDED)
    formation = selection.formations.get()
    births = [dt.date(1999, 1, 5), dt.date(1995, 6, 1), dt.date(1998, 2, 3), dt.date(2000, 7, 7)]
    apps = [applicant(formation, n, birth) for n, birth in enumerate(births, start=1)]
    for application in apps:
        services.screening_decide(application=application, met=True, reason="lengkap", by=hr)
    # apps[0] and apps[1] tie on every score: the older (apps[1], born 1995) ranks first.
    scores = [(100, 120, 180), (100, 120, 180), (90, 100, 170), (70, 90, 170)]
    services.skd_import(
        selection=selection,
        rows=[
            {"line": i, "participant_number": a.participant_number, "twk": s[0], "tiu": s[1], "tkp": s[2]}
            for i, (a, s) in enumerate(zip(apps, scores, strict=True), start=1)
        ],
        by=hr,
    )
    return selection, apps


def ranking(selection) -> list[tuple]:
    rows, _total = selectors.ranking_rows(selection_id=selection.pk)
    return [
        (r.participant_number, r.full_name, r.skd_total, r.skd_rank, r.position, r.advances) for r in rows
    ]


def personal(application: Application) -> tuple:
    application.refresh_from_db()
    profile = ApplicantProfile.objects.get(user_id=application.user_id)
    return (
        application.nik,
        application.birth_date,
        profile.nik,
        profile.birth_date,
        profile.address,
        profile.phone,
    )


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(3, 0), tzinfo=dt.UTC), tick=False)


def test_nothing_is_purged_before_the_retention_period_has_passed(ended, settings):
    settings.RECRUITMENT_RETENTION_DAYS = 730
    selection, apps = ended
    with at(ENDED + dt.timedelta(days=730)):  # the last day still inside the period
        report = retention.personal_data_purge()
    assert (report.applications, report.profiles, report.documents) == (0, 0, 0)
    assert all(personal(a)[0] for a in apps) and Document.objects.count() == 4


def test_the_purge_blanks_personal_data_and_deletes_documents_but_keeps_ranking_and_ledger(ended, media):
    selection, apps = ended
    before_ranking = ranking(selection)
    ledger_before = list(LedgerEntry.objects.order_by("pk").values_list("pk", "hash"))
    files = [media / d.file.name for d in Document.objects.all()]
    assert all(f.exists() for f in files) and len(files) == 4
    assert [r[0] for r in before_ranking[:2]] == [apps[1].participant_number, apps[0].participant_number]

    with at(ENDED + dt.timedelta(days=731)):
        report = retention.personal_data_purge()

    assert (report.applications, report.profiles, report.documents) == (4, 4, 4)
    assert report.selections == [selection.pk]
    for application in apps:
        assert personal(application) == ("", None, "", None, "", "")
        assert application.purged_at is not None
    assert not Document.objects.exists() and not any(f.exists() for f in files)
    # What the public ranking shows (number, name, scores, positions, the older-first tie-break) is unchanged.
    assert ranking(selection) == before_ranking
    profile = ApplicantProfile.objects.get(user_id=apps[0].user_id)
    assert profile.full_name == "Pelamar 1" and profile.education == "S1 Psikologi"
    # The append-only ledger was not touched and its chain still verifies.
    assert list(LedgerEntry.objects.order_by("pk").values_list("pk", "hash")) == ledger_before
    (chain,) = ledger_verify(selection_id=selection.pk)
    assert chain.ok and chain.length == len(ledger_before)


def test_the_purge_is_idempotent_and_audit_logged(ended):
    selection, apps = ended
    with at(ENDED + dt.timedelta(days=800)):
        retention.personal_data_purge()
        events = AuditEvent.objects.filter(action="retention_purge")
        assert events.filter(
            object_type="recruitment.selection", object_id=str(selection.pk)
        ).get().detail == {
            "applications": 4,
            "retention_days": 730,
        }
        assert events.filter(object_type="recruitment.applicantprofile").count() == 4
        count = events.count()
        again = retention.personal_data_purge()
    assert (again.applications, again.profiles, again.documents) == (0, 0, 0)
    assert AuditEvent.objects.filter(action="retention_purge").count() == count


def test_the_retention_period_is_a_setting(ended, settings):
    settings.RECRUITMENT_RETENTION_DAYS = 30
    selection, apps = ended
    with at(ENDED + dt.timedelta(days=31)):
        report = retention.personal_data_purge()
    assert report.applications == 4


def test_an_applicant_in_a_running_selection_keeps_their_profile(ended, cast):
    """Their old application is blanked, but the profile still serves a selection that has not ended."""
    selection, apps = ended
    purge_day = ENDED + dt.timedelta(days=731)
    later = make_selection(region=cast.region_a)  # its SKD still ahead on the day of the purge
    ScheduleItem.objects.create(
        selection=later,
        stage=Stage.SKD,
        starts_on=purge_day + dt.timedelta(days=12),
        ends_on=purge_day + dt.timedelta(days=43),
    )
    Application.objects.create(
        selection=later,
        formation=later.formations.get(),
        user=apps[0].user,
        participant_number="LATER1",
        full_name="Pelamar 1",
        nik=apps[0].nik,
        birth_date=apps[0].birth_date,
    )
    with at(purge_day):
        retention.personal_data_purge()
    values = personal(apps[0])
    assert values[:2] == ("", None)  # the ended selection's copy
    assert values[2] and values[3] and values[4] and values[5]  # the profile stays for the running selection
    assert Document.objects.filter(profile__user=apps[0].user).exists()
    assert Application.objects.get(participant_number="LATER1").nik


def test_an_account_used_recently_keeps_its_profile(ended):
    selection, apps = ended
    with at(ENDED + dt.timedelta(days=731)):
        type(apps[2].user).objects.filter(pk=apps[2].user_id).update(last_login=timezone.now())
        retention.personal_data_purge()
    assert personal(apps[2])[2] and not personal(apps[2])[0]


def test_a_dormant_account_without_any_application_is_purged(cast, media):
    with at(days(-1059)):  # registered almost three years ago, never used since
        user = make_applicant_user()
        profile = ApplicantProfile.objects.create(
            user=user, full_name="Tanpa Lamaran", nik="1771010101900001", birth_date=dt.date(1990, 1, 1)
        )
    report = retention.personal_data_purge()  # today
    profile.refresh_from_db()
    assert report.profiles == 1 and profile.nik == "" and profile.birth_date is None


def test_a_selection_without_dates_ends_with_its_year(cast):
    selection = make_selection(region=cast.region_a)
    assert retention.selection_ended_on(selection) == dt.date(selection.year, 12, 31)
    selection.objection_closes = dt.datetime(2027, 3, 1, 20, tzinfo=dt.UTC)  # 2 March in Jakarta
    assert retention.selection_ended_on(selection, dt.date(2027, 2, 1)) == dt.date(2027, 3, 2)


def test_the_celery_task_purges_and_reports(ended):
    with at(ENDED + dt.timedelta(days=731)):
        result = purge_expired_applicants.delay().get()
    assert result["applications"] == 4 and result["documents"] == 4


def test_the_daily_schedule_is_registered_once(db):
    task = PeriodicTask.objects.get(name=retention.TASK_NAME)
    assert task.task == "recruitment.tasks.purge_expired_applicants" and task.enabled
    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_week) == ("2", "30", "*")
    retention.retention_schedule_ensure(CrontabSchedule, PeriodicTask)
    retention.retention_schedule_ensure(CrontabSchedule, PeriodicTask)
    assert PeriodicTask.objects.filter(task=retention.TASK_PATH).count() == 1


def test_entering_data_again_after_a_purge_clears_the_mark(ended):
    selection, apps = ended
    with at(ENDED + dt.timedelta(days=731)):
        retention.personal_data_purge()
    profile = ApplicantProfile.objects.get(user_id=apps[0].user_id)
    assert profile.purged_at is not None
    services.applicant_profile_update(
        profile=profile,
        full_name="Pelamar 1",
        nik=nik_for(dt.date(1999, 1, 5), 1),
        birth_date=dt.date(1999, 1, 5),
        address="Jl. Baru",
        phone="0812",
        education="S1",
    )
    profile.refresh_from_db()
    assert profile.purged_at is None and profile.is_complete


def test_the_purge_never_writes_to_the_append_only_tables(ended):
    """The purge runs with every append-only trigger armed: it would fail if it touched one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'pgtrigger_%%append_only%%'")
        assert cursor.fetchone()[0] >= 8
    with at(ENDED + dt.timedelta(days=731)):
        assert retention.personal_data_purge().applications == 4


def test_the_ledger_names_applicants_by_participant_number_not_by_email(ended):
    """Nothing in the chain needs purging: no email, NIK, birth date, address or phone is written to it."""
    selection, apps = ended
    application = apps[0]
    selection.objection_opens = timezone.now() - dt.timedelta(days=1)
    selection.objection_closes = timezone.now() + dt.timedelta(days=1)
    selection.save()
    application.refresh_from_db()
    services.objection_file(application=application, stage=Stage.SKD, text="Nilai TKP saya tertukar.")
    entries = LedgerEntry.objects.filter(selection=selection)
    assert entries.get(kind="objection").actor == f"pelamar:{application.participant_number}"
    assert entries.get(kind="application", object_id=application.pk).actor == (
        f"pelamar:{application.participant_number}"
    )
    text = " ".join(f"{e.actor} {e.payload}" for e in entries)
    for a in apps:
        assert a.user.email not in text and a.nik not in text and a.birth_date.isoformat() not in text
