import datetime as dt

import factory

from asnportal.org.models import Employee, Position, PositionKind, Region, Unit
from asnportal.org.nip import FEMALE, MALE, nip_build
from asnportal.org.regions import regions_ensure


def bengkulu() -> Region:
    if not Region.objects.filter(code="bengkulu").exists():
        regions_ensure(Region)
    return Region.objects.get(code="bengkulu")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    region = factory.LazyFunction(bengkulu)
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    region = factory.LazyFunction(bengkulu)
    name = factory.Sequence(lambda n: f"Analis Contoh {n}")
    kind = PositionKind.PELAKSANA
    level = ""


def _nip(n: int) -> str:
    birth = dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    return nip_build(
        birth_date=birth,
        tmt_cpns=dt.date(birth.year + 25, 1 + (n * 7) % 12, 1),
        sex=MALE if n % 2 else FEMALE,
        sequence=1 + (n // 360) % 999,
    )


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee
        skip_postgeneration_save = True

    nip = factory.Sequence(_nip)
    name = factory.Sequence(lambda n: f"Pegawai Contoh {n}")
    unit = factory.SubFactory(UnitFactory)
    region = factory.SelfAttribute("unit.region")
    position = factory.SubFactory(PositionFactory, region=factory.SelfAttribute("..region"))
    kind = Employee.Kind.PNS
    rank = "III/a"
    birth_date = dt.date(2000, 1, 1)  # replaced from the NIP below
    tmt_cpns = dt.date(2020, 1, 1)
    sex = MALE

    @factory.post_generation
    def decode_nip(obj, create, extracted, **kwargs):
        # Keep the derived fields true to the NIP, as the services do.
        if create:
            obj.full_clean()
            obj.save()
