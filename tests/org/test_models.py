import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from asnportal.org.models import Employee, Position, PositionKind, PositionLevel
from asnportal.org.services import employee_save

from .factories import EmployeeFactory, PositionFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_employee_derives_birth_date_tmt_and_sex_from_nip(cast):
    employee = EmployeeFactory.build(
        unit=cast.unit_a, region=cast.region_a, position=cast.objects["position_a"], nip="198503302003122002"
    )
    employee_save(employee=employee)
    employee.refresh_from_db()
    assert employee.birth_date == dt.date(1985, 3, 30)
    assert employee.tmt_cpns == dt.date(2003, 12, 1)
    assert employee.sex == Employee.Sex.FEMALE


def test_malformed_nip_changes_nothing(cast):
    before = Employee.objects.count()
    employee = EmployeeFactory.build(
        unit=cast.unit_a, region=cast.region_a, position=cast.objects["position_a"], nip="198502302003121002"
    )
    with pytest.raises(ValidationError) as exc:
        employee_save(employee=employee)
    assert "nip" in exc.value.message_dict
    assert Employee.objects.count() == before


def test_unit_and_supervisor_must_be_in_the_same_region(cast):
    staff = cast.objects["staff_employee"]
    staff.supervisor = cast.objects["other_region_employee"]
    with pytest.raises(ValidationError) as exc:
        staff.full_clean()
    assert "supervisor" in exc.value.message_dict
    staff.refresh_from_db()
    staff.unit = cast.unit_b
    with pytest.raises(ValidationError) as exc:
        staff.full_clean()
    assert "unit" in exc.value.message_dict


def test_rank_must_match_asn_type(cast):
    staff = cast.objects["staff_employee"]
    staff.rank = "IX"
    with pytest.raises(ValidationError):
        staff.full_clean()
    staff.kind = Employee.Kind.PPPK
    staff.full_clean()  # a PPPK grade is right for a PPPK
    staff.rank = "III/a"
    with pytest.raises(ValidationError):
        staff.full_clean()


def test_cannot_supervise_oneself(cast):
    staff = cast.objects["staff_employee"]
    staff.supervisor = staff
    with pytest.raises(ValidationError):
        staff.full_clean()


def test_functional_position_needs_a_level_of_its_kind(cast):
    position = PositionFactory.build(region=cast.region_a, kind=PositionKind.FUNGSIONAL_KEAHLIAN, level="")
    with pytest.raises(ValidationError):
        position.full_clean()
    position.level = PositionLevel.TERAMPIL  # a skill level on an expertise position
    with pytest.raises(ValidationError):
        position.full_clean()
    position.level = PositionLevel.AHLI_MUDA
    position.full_clean()
    pelaksana = Position(
        region=cast.region_a, name="Pengadministrasi", kind=PositionKind.PELAKSANA, level="ahli_muda"
    )
    with pytest.raises(ValidationError):
        pelaksana.full_clean()
    assert not pelaksana.is_managerial
    assert Position(kind=PositionKind.PENGAWAS).is_managerial


def test_parent_unit_in_same_region(cast):
    child = UnitFactory.build(region=cast.region_a, parent=cast.unit_b)
    with pytest.raises(ValidationError):
        child.full_clean()


def test_initial_regions_with_their_time_zones_are_ensured_idempotently(db):
    from asnportal.org.models import Region
    from asnportal.org.regions import regions_ensure

    regions_ensure(Region)
    regions_ensure(Region)
    zones = dict(Region.objects.values_list("code", "timezone"))
    assert zones == {"bengkulu": "Asia/Jakarta", "sorong": "Asia/Jayapura", "bungo": "Asia/Jakarta"}
