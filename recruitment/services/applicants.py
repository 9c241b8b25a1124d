"""Applicants: the account, the personal data (NIK), documents and the application itself."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.accounts.models import Role, RoleAssignment, User
from asnportal.org.nip import nik_parse

from ..ledger import ledger_append
from ..models import ApplicantProfile, Application, Document, Formation, Selection
from .common import applicant_actor, notify, upload_check


@transaction.atomic
def applicant_register(*, email: str, password: str, full_name: str) -> User:
    """An applicant account: a user with the applicant role (no region) and an empty profile."""
    email = email.strip().lower()
    if (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError({"email": _("An account with this email already exists.")})
    user = User(username=email, email=email, first_name=full_name[:150])
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.APPLICANT, region=None)
    ApplicantProfile.objects.create(user=user, full_name=full_name)
    return user


def applicant_profile_update(
    *,
    profile: ApplicantProfile,
    full_name: str,
    nik: str,
    birth_date: dt.date,
    address: str,
    phone: str,
    education: str,
) -> ApplicantProfile:
    """NIK: 16 digits with a real date part (female day + 40) that must equal the birth date."""
    nik = nik.strip().replace(" ", "").replace("-", "").replace(".", "")
    if not (nik.isascii() and nik.isdigit()):
        # str.isdigit() also accepts e.g. "²" or Arabic-Indic digits, on which nik_parse's int() fails.
        raise ValidationError({"nik": _("The NIK must be exactly 16 digits (0-9).")})
    nik_birth, _sex = nik_parse(nik)
    if nik_birth != birth_date:
        raise ValidationError(
            {"birth_date": _("The birth date does not match the date inside the NIK (digits 7-12).")}
        )
    profile.full_name, profile.nik, profile.birth_date = full_name, nik, birth_date
    profile.address, profile.phone, profile.education = address, phone, education
    profile.purged_at = None  # data entered again after a retention purge
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def applicant_profile_save(
    *,
    user,
    full_name: str,
    nik: str,
    birth_date: dt.date,
    address: str,
    phone: str,
    education: str,
) -> ApplicantProfile:
    """The applicant's own personal data form: their profile, made on the first save, updated."""
    profile = _profile_for_write(user)
    return applicant_profile_update(
        profile=profile,
        full_name=full_name,
        nik=nik,
        birth_date=birth_date,
        address=address,
        phone=phone,
        education=education,
    )


def _profile_for_write(user) -> ApplicantProfile:
    profile = ApplicantProfile.objects.select_for_update().filter(user=user).first()
    return profile or ApplicantProfile(user=user, full_name=user.get_full_name() or user.username)


def document_upload(*, profile: ApplicantProfile, kind: str, upload) -> Document:
    ext = upload_check(upload)
    document = Document(profile=profile, kind=kind, content_type=f"{ext}", size=upload.size)
    document.file.save(f"{kind}.{ext}", ContentFile(upload.read()), save=False)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def applicant_document_upload(*, user, kind: str, upload) -> Document:
    """An applicant's upload from their own page: their profile is made first if it is still missing."""
    profile = _profile_for_write(user)
    if profile.pk is None:
        profile.save()
    return document_upload(profile=profile, kind=kind, upload=upload)


@transaction.atomic
def application_submit(*, user, formation: Formation, today: dt.date | None = None) -> Application:
    """One formation per selection; the same NIK twice in a selection is refused (constraint)."""
    selection = Selection.objects.select_for_update().get(pk=formation.selection_id)
    today = today or timezone.localdate()
    profile = ApplicantProfile.objects.filter(user=user).first()
    if profile is None or not profile.is_complete:
        raise ValidationError(_("Complete your personal data (NIK, birth date, address, phone) first."))
    if (selection.registration_opens and today < selection.registration_opens) or (
        selection.registration_closes and today > selection.registration_closes
    ):
        raise ValidationError(_("Registration for this selection is not open."))
    if Application.objects.filter(selection=selection, user=user).exists():
        raise ValidationError(_("You have already applied to a formation in this selection."))
    if Application.objects.filter(selection=selection, nik=profile.nik).exists():
        raise ValidationError(_("An application with this NIK already exists in this selection."))
    number = Application.objects.filter(selection=selection).count() + 1
    application = Application(
        selection=selection,
        formation=formation,
        user=user,
        participant_number=f"{selection.year}{selection.region_id:02d}{selection.pk:04d}{number:06d}",
        full_name=profile.full_name,
        nik=profile.nik,
        birth_date=profile.birth_date,
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(_("An application with this NIK already exists in this selection.")) from None
    ledger_append(
        selection=selection,
        kind="application",
        obj=application,
        actor=applicant_actor(application),
        payload={"participant_number": application.participant_number, "formation": formation.pk},
    )
    notify([application.pk])
    return application
