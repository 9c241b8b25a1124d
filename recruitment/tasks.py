from celery import shared_task

from asnportal.tasking import DB_LOST, JobTask, ReconnectingTask

from .services import status_emails_queue


@shared_task(name="recruitment.status_emails", base=JobTask, time_limit=120, soft_time_limit=100)
def send_status_emails(application_ids: list[int]) -> int:
    """Queue each applicant's status email (its current status); once per job, whatever the deliveries."""
    return status_emails_queue(application_ids=application_ids)


@shared_task(
    base=ReconnectingTask,
    autoretry_for=(OSError, *DB_LOST),
    time_limit=3600,
    soft_time_limit=3500,
)
def purge_expired_applicants() -> dict:
    """Daily: blank applicants' personal data past the retention period (idempotent, audit-logged)."""
    from .retention import personal_data_purge

    report = personal_data_purge()
    return {
        "applications": report.applications,
        "profiles": report.profiles,
        "documents": report.documents,
        "selections": report.selections,
    }
