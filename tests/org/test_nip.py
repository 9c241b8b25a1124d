"""NIP (Perka BKN 22/2007) and NIK decoding, with worked examples and edges (DESIGN.md §4)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from asnportal.org.nip import FEMALE, MALE, nik_parse, nip_build, nip_parse


def test_nip_worked_example_decodes_every_part():
    info = nip_parse("198503302003121002")
    assert info.birth_date == dt.date(1985, 3, 30)
    assert info.tmt_cpns == dt.date(2003, 12, 1)
    assert info.sex == MALE
    assert info.sequence == 2


def test_nip_female_and_spaces_tolerated():
    info = nip_parse("19900229 201903 2 001".replace("19900229", "19920229"))
    assert info.birth_date == dt.date(1992, 2, 29)  # a real leap day
    assert info.sex == FEMALE


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19850330200312100", "nip_format"),  # 17 digits
        ("1985033020031210021", "nip_format"),  # 19 digits
        ("19850330200312100A", "nip_format"),
        ("19850330200312100²", "nip_format"),  # a superscript two is a digit to str.isdigit()
        ("198502302003121002", "nip_birth"),  # 30 February
        ("199302292019031001", "nip_birth"),  # 1993 is not a leap year
        ("198503452003121002", "nip_birth"),  # NIK's female +40 must never apply to a NIP
        ("198503302003131002", "nip_tmt"),  # month 13
        ("198503302003001002", "nip_tmt"),  # month 00
        ("198503301984011002", "nip_order"),  # TMT before birth
        ("198503302003123002", "nip_sex"),  # sex digit 3
        ("198503302003121000", "nip_seq"),
    ],
)
def test_nip_invalid_is_refused_with_a_reason(nip, code):
    with pytest.raises(ValidationError) as exc:
        nip_parse(nip)
    assert exc.value.code == code


def test_nip_messages_are_indonesian():
    from django.utils import translation

    with translation.override("id"), pytest.raises(ValidationError) as exc:
        nip_parse("123")
    assert "digit" in exc.value.messages[0] and "harus" in exc.value.messages[0]


def test_nip_build_round_trips():
    nip = nip_build(birth_date=dt.date(1979, 11, 2), tmt_cpns=dt.date(2005, 4, 1), sex=FEMALE, sequence=17)
    assert nip == "197911022005042017"
    info = nip_parse(nip)
    assert (info.birth_date, info.tmt_cpns, info.sex, info.sequence) == (
        dt.date(1979, 11, 2),
        dt.date(2005, 4, 1),
        FEMALE,
        17,
    )


def test_nik_female_day_plus_40():
    birth, sex = nik_parse("3171064506900001", today=dt.date(2026, 11, 25))
    assert birth == dt.date(1990, 6, 5)
    assert sex == FEMALE


def test_nik_male_and_century():
    birth, sex = nik_parse("1771010512050003", today=dt.date(2026, 11, 25))
    assert birth == dt.date(2005, 12, 5)
    assert sex == MALE


@pytest.mark.parametrize(
    "nik", ["317106450690000", "31710645069000011", "3171063206900001", "3171067106900001"]
)
def test_nik_invalid(nik):
    with pytest.raises(ValidationError):
        nik_parse(nik, today=dt.date(2026, 11, 25))
