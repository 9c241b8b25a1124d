"""What the recruitment writes share: status mails, the ledger's applicant name, uploads, stage locks."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from asnportal.tasking import enqueue, mail_queue

from .. import selectors
from ..models import Application, Selection

ALLOWED_UPLOADS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def notify(application_ids: list[int]) -> None:
    """Queue the status emails with the caller's transaction (composed by the job, at send time)."""
    if application_ids:
        enqueue("recruitment.status_emails", application_ids=list(application_ids))


def status_emails_queue(*, application_ids: list[int]) -> int:
    """Tell each applicant their application's current status: one outbox mail each; how many."""
    sent = 0
    applications = Application.objects.filter(pk__in=application_ids).select_related("selection", "user")
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for application in applications:
            if not application.user.email:
                continue
            mail_queue(
                to=[application.user.email],
                subject=_("Your application status: %(selection)s") % {"selection": application.selection},
                body=_(
                    "Participant number %(number)s\nSelection: %(selection)s\nStatus: %(status)s\n\n"
                    "Follow your application at %(url)s"
                )
                % {
                    "number": application.participant_number,
                    "selection": application.selection,
                    "status": application.get_status_display(),
                    "url": f"{settings.SITE_URL}/rekrutmen/pelamar/",
                },
                about=application,
            )
            sent += 1
    return sent


def applicant_actor(application: Application) -> str:
    """How an applicant is named in the append-only ledger: by participant number, never by their
    username (an email address), so the retention purge leaves no personal data in the chain."""
    return f"pelamar:{application.participant_number}"


def _content_intact(upload, mime: str) -> bool:
    """Beyond the magic bytes: a PDF must end with its %%EOF marker, an image must decode (Pillow)."""
    upload.seek(0)
    if mime == "application/pdf":
        upload.seek(max(upload.size - 2048, 0))
        tail = upload.read()
        upload.seek(0)
        return b"%%EOF" in tail
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            if image.width * image.height > 80_000_000:  # a decompression bomb
                return False
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False
    finally:
        upload.seek(0)
    return True


def upload_check(upload) -> str:
    """Size limit and real content (magic bytes and structure, not the name): returns the extension."""
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB)."),
            params={"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_UPLOADS:
        raise ValidationError(_("The file is not a PDF, JPEG or PNG document (its content was checked)."))
    if not _content_intact(upload, kind.mime):
        raise ValidationError(
            _("The file looks like a %(kind)s but its content is damaged or incomplete. Upload it again.")
            % {"kind": ALLOWED_UPLOADS[kind.mime].upper()}
        )
    return ALLOWED_UPLOADS[kind.mime]


def correction_reason(*, selection: Selection, stage: str, reason: str) -> str:
    reason = (reason or "").strip()
    if selectors.stage_locked(selection=selection, stage=stage) and not reason:
        raise ValidationError(
            _("The scores of this stage were signed off: a correction needs a reason and a new sign-off.")
        )
    return reason
