"""Retention of applicants' personal data (issue 9, DESIGN.md §4 and the personal-data rules).

Once a selection has ended and the retention period (settings.RECRUITMENT_RETENTION_DAYS, default 730
days) has passed, the applicants' personal data is purged by a daily Celery beat job:
- Application: NIK and birth date blanked (birth_order keeps the ranking's "older first" tie-break);
- ApplicantProfile: NIK, birth date, address and phone blanked, every uploaded document deleted (the
  file from storage, then the row), once the account has no application in a selection still inside
  its retention period and has not been used (login, registration) since the cutoff.
The participant number, name and scores stay, so the published ranking is unchanged; the append-only
score tables and the hash-chained ledger are never touched, so `verify_ledger` still holds. Each purge
is audit-logged. Running it again changes nothing (purged rows carry purged_at).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from asnportal.accounts.access import audit_record

from .models import ApplicantProfile, Application, Document, Selection

TASK_NAME = "recruitment: purge applicants' personal data past the retention period"
TASK_PATH = "recruitment.tasks.purge_expired_applicants"
PROFILE_BATCH = 200


def retention_days() -> int:
    return int(getattr(settings, "RECRUITMENT_RETENTION_DAYS", 730))


def selection_ended_on(selection: Selection, last_schedule_day: dt.date | None = None) -> dt.date:
    """The day a selection ended: its last scheduled day, registration close or objection close,
    whichever is latest; without any of them, the last day of the selection's year."""
    days = [d for d in (last_schedule_day, selection.registration_closes) if d]
    if selection.objection_closes:
        days.append(timezone.localtime(selection.objection_closes, selection.region.tzinfo).date())
    return max(days) if days else dt.date(selection.year, 12, 31)


def selections_split(*, today: dt.date) -> tuple[list[Selection], list[int]]:
    """(selections whose retention period has passed, ids of the others)."""
    cutoff = today - dt.timedelta(days=retention_days())
    expired, kept = [], []
    selections = Selection.objects.select_related("region").annotate(last_day=Max("schedule__ends_on"))
    for selection in selections:
        if selection_ended_on(selection, selection.last_day) < cutoff:
            expired.append(selection)
        else:
            kept.append(selection.pk)
    return expired, kept


@dataclass
class PurgeReport:
    applications: int = 0
    profiles: int = 0
    documents: int = 0
    selections: list[int] = field(default_factory=list)


@transaction.atomic
def selection_applications_purge(*, selection: Selection, now: dt.datetime) -> int:
    """Blank NIK and birth date of a selection's applications (ranking, scores and ledger untouched)."""
    Selection.objects.select_for_update().filter(pk=selection.pk).first()
    pending = Application.objects.filter(selection=selection, purged_at__isnull=True)
    if not pending.exists():
        return 0
    with connection.cursor() as cursor:
        # The rank among the selection's birth dates (equal dates, equal rank) replaces the date in the
        # ranking's tie-break, so every position stays what it was.
        cursor.execute(
            """
            UPDATE recruitment_application a SET birth_order = r.o
            FROM (SELECT id, DENSE_RANK() OVER (ORDER BY birth_date) AS o
                  FROM recruitment_application WHERE selection_id = %s AND birth_date IS NOT NULL) r
            WHERE a.id = r.id
            """,
            [selection.pk],
        )
    count = pending.update(nik="", birth_date=None, purged_at=now)
    audit_record(
        action="retention_purge",
        obj=selection,
        region_id=selection.region_id,
        detail={"applications": count, "retention_days": retention_days()},
    )
    return count


@transaction.atomic
def profiles_purge(*, profile_ids: list[int], now: dt.datetime) -> tuple[int, int]:
    """Blank the profiles' personal data and delete their documents (files first, then rows)."""
    profiles = list(
        ApplicantProfile.objects.select_for_update().filter(pk__in=profile_ids, purged_at__isnull=True)
    )
    documents = list(Document.objects.filter(profile__in=profiles))
    for document in documents:
        # Deleting a missing file is a no-op: after a rollback the next run completes the purge.
        if document.file.name:
            document.file.storage.delete(document.file.name)
    Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
    per_profile: dict[int, int] = {}
    for document in documents:
        per_profile[document.profile_id] = per_profile.get(document.profile_id, 0) + 1
    ApplicantProfile.objects.filter(pk__in=[p.pk for p in profiles]).update(
        nik="", birth_date=None, address="", phone="", purged_at=now
    )
    for profile in profiles:
        audit_record(
            action="retention_purge",
            obj=profile,
            detail={"documents": per_profile.get(profile.pk, 0), "retention_days": retention_days()},
        )
    return len(profiles), len(documents)


def personal_data_purge(*, now: dt.datetime | None = None) -> PurgeReport:
    """Purge every applicant's personal data past the retention period (idempotent)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cutoff_at = now - dt.timedelta(days=retention_days())
    report = PurgeReport()
    expired, kept = selections_split(today=today)
    for selection in expired:
        purged = selection_applications_purge(selection=selection, now=now)
        if purged:
            report.applications += purged
            report.selections.append(selection.pk)
    still_needed = Application.objects.filter(selection_id__in=kept, user_id=OuterRef("user_id"))
    candidates = (
        ApplicantProfile.objects.filter(purged_at__isnull=True, user__date_joined__lt=cutoff_at)
        .filter(Q(user__last_login__isnull=True) | Q(user__last_login__lt=cutoff_at))
        .exclude(Exists(still_needed))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    while True:
        batch = list(candidates[:PROFILE_BATCH])
        if not batch:
            break
        profiles, documents = profiles_purge(profile_ids=batch, now=now)
        report.profiles += profiles
        report.documents += documents
    return report


def retention_schedule_ensure(crontab_model, periodic_task_model) -> None:
    """The daily purge in django-celery-beat (02:30 Asia/Jakarta); idempotent by task name."""
    schedule, _created = crontab_model.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    periodic_task_model.objects.update_or_create(
        name=TASK_NAME, defaults={"task": TASK_PATH, "crontab": schedule, "enabled": True}
    )
