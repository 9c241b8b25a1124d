"""Builders for the rules tests: appraisals stored directly with their predikat (the page under test
reads them; how they were computed is tested in tests/performance)."""

from decimal import Decimal

from asnportal.org.models import Unit
from performance.models import Appraisal, Period
from tests.org.factories import EmployeeFactory


def appraised(
    period: Period, unit: Unit, predikat: str, n: int = 1, *, achievement="1.00", behaviour="sesuai"
):
    work = "di_atas" if Decimal(achievement) >= period.above_from else "sesuai"
    for _i in range(n):
        employee = EmployeeFactory(unit=unit)
        Appraisal.objects.create(
            employee=employee,
            period=period,
            unit=unit,
            achievement=Decimal(achievement),
            work_rating=work,
            behaviour={},
            behaviour_rating=behaviour,
            predikat=predikat,
            computation={"rows": []},
        )
