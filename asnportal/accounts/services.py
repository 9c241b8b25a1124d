"""Writes of the accounts core."""

import base64
import io

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice


def otp_device_prepare(*, user) -> TOTPDevice:
    """The user's TOTP device awaiting confirmation (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


@transaction.atomic
def otp_device_confirm(*, user, token: str) -> TOTPDevice:
    """Confirm the pending device with a first code from the app; older devices are removed."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        raise ValidationError(
            _("That code is not right. Check the time on your phone and try the newest code.")
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def otp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (a data: URI, allowed by the CSP's img-src)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
