"""NIP and NIK: the two identity numbers, which must never be confused.

NIP (Perka BKN 22/2007), 18 digits: 1-8 birth date yyyymmdd, 9-14 TMT CPNS yyyymm,
15 sex (1 male, 2 female), 16-18 sequence.
NIK (Dukcapil), 16 digits: 1-6 region code, 7-12 birth date ddmmyy (female: day + 40), 13-16 sequence.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MALE = "L"
FEMALE = "P"


@dataclass(frozen=True)
class NipInfo:
    birth_date: dt.date
    tmt_cpns: dt.date  # first day of the TMT month
    sex: str
    sequence: int


def nip_parse(value: str) -> NipInfo:
    """Validate an NIP per Perka BKN 22/2007 and decode it; raises ValidationError in Indonesian."""
    nip = (value or "").strip().replace(" ", "")
    if len(nip) != 18 or not (nip.isascii() and nip.isdigit()):
        raise ValidationError(_("NIP must be exactly 18 digits."), code="nip_format")
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("The birth date in the NIP (digits 1-8, %(part)s) is not a real date."),
            code="nip_birth",
            params={"part": nip[0:8]},
        ) from None
    try:
        tmt = dt.date(int(nip[8:12]), int(nip[12:14]), 1)
    except ValueError:
        raise ValidationError(
            _("The TMT CPNS in the NIP (digits 9-14, %(part)s) is not a real month."),
            code="nip_tmt",
            params={"part": nip[8:14]},
        ) from None
    if tmt <= birth:
        raise ValidationError(_("The TMT CPNS in the NIP must come after the birth date."), code="nip_order")
    if birth.year < 1900:
        raise ValidationError(_("The birth year in the NIP is not plausible."), code="nip_birth")
    sex_digit = nip[14]
    if sex_digit not in ("1", "2"):
        raise ValidationError(_("Digit 15 of the NIP (sex) must be 1 (male) or 2 (female)."), code="nip_sex")
    sequence = int(nip[15:18])
    if sequence == 0:
        raise ValidationError(
            _("The sequence number in the NIP (digits 16-18) cannot be 000."), code="nip_seq"
        )
    return NipInfo(
        birth_date=birth, tmt_cpns=tmt, sex=MALE if sex_digit == "1" else FEMALE, sequence=sequence
    )


def nik_parse(value: str, *, today: dt.date | None = None) -> tuple[dt.date, str]:
    """Validate a NIK's date part (female day + 40) and return (birth date, sex)."""
    nik = (value or "").strip().replace(" ", "")
    if len(nik) != 16 or not (nik.isascii() and nik.isdigit()):
        raise ValidationError(_("NIK must be exactly 16 digits."), code="nik_format")
    if nik[0:2] in ("00",) or nik[12:16] == "0000":
        raise ValidationError(_("This NIK is not plausible."), code="nik_format")
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = MALE
    if day > 40:
        day -= 40
        sex = FEMALE
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, not an instant
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        birth = dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("The birth date inside the NIK (digits 7-12) is not a real date."), code="nik_birth"
        ) from None
    return birth, sex


def nip_build(*, birth_date: dt.date, tmt_cpns: dt.date, sex: str, sequence: int) -> str:
    """Compose an NIP from its parts (demo data, factories, the scale seeder)."""
    if not 1 <= sequence <= 999:
        raise ValueError("sequence must be 1..999")
    sex_digit = "1" if sex == MALE else "2"
    return f"{birth_date:%Y%m%d}{tmt_cpns:%Y%m}{sex_digit}{sequence:03d}"
