"""Checks of an uploaded bukti dukung: size and real content (magic bytes), never the file name."""

import io

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
ALLOWED = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def evidence_check(upload) -> tuple[bytes, str]:
    """Return (content, content type) of an accepted evidence file, or raise ValidationError."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("The evidence file is too large (at most %(mb)s MB).")
            % {"mb": MAX_EVIDENCE_BYTES // (1024 * 1024)}
        )
    content = upload.read()
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationError(_("The evidence must be a photo (JPEG, PNG, WebP) or a PDF file."))
    if kind.mime.startswith("image/"):
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise ValidationError(_("The photo is damaged or not a real image.")) from exc
    return content, kind.mime
