from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from asnportal.accounts.tasks import receipt_take
from asnportal.tasking import DB_LOST, ReconnectingTask


@shared_task(
    bind=True, base=ReconnectingTask, autoretry_for=(OSError, *DB_LOST), time_limit=120, soft_time_limit=100
)
def send_status_emails(self, application_ids: list[int]) -> int:
    """Tell each applicant their application's current status (reads the status at send time).

    Once per task id and application: a redelivered or retried task skips those already told.
    """
    from .models import Application

    sent = 0
    applications = Application.objects.filter(pk__in=application_ids).select_related("selection", "user")
    with translation.override(settings.LANGUAGE_CODE):
        for application in applications:
            if not application.user.email:
                continue
            key = f"status_email:{self.request.id}:{application.pk}" if self.request.id else None
            with transaction.atomic():
                if not receipt_take(key):
                    continue
                _status_mail(application)
            sent += 1
    return sent


def _status_mail(application) -> None:
    send_mail(
        subject=_("Your application status: %(selection)s") % {"selection": application.selection},
        message=_(
            "Participant number %(number)s\nSelection: %(selection)s\nStatus: %(status)s\n\n"
            "Follow your application at %(url)s"
        )
        % {
            "number": application.participant_number,
            "selection": application.selection,
            "status": application.get_status_display(),
            "url": f"{settings.SITE_URL}/rekrutmen/pelamar/",
        },
        from_email=None,
        recipient_list=[application.user.email],
    )


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
