import datetime as dt

import factory

from asnportal.org.models import Region
from tests.clock import days
from training.models import Enrollment, Programme, Session


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    region = factory.LazyFunction(lambda: Region.objects.get(code="bengkulu"))
    title = factory.Sequence(lambda n: f"Pelatihan Contoh {n}")
    kind = Programme.Kind.TECHNICAL
    mode = Programme.Mode.CLASSROOM
    jp = 24


class SessionFactory(factory.django.DjangoModelFactory):
    """By default the window is open on the suite's day (tests/clock.py): it opened 5 days ago and closes
    in 5; the class runs 12 to 14 days from today."""

    class Meta:
        model = Session

    programme = factory.SubFactory(ProgrammeFactory)
    region = factory.LazyAttribute(lambda o: o.programme.region or Region.objects.get(code="bengkulu"))
    name = factory.Sequence(lambda n: f"Angkatan {n}")
    start_date = days(12)
    end_date = days(14)
    enroll_opens = days(-5)
    enroll_closes = days(5)
    capacity = 10
    place = "Aula BKPSDM"
    trainer = "Dr. Pelatih"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    session = factory.SubFactory(SessionFactory)
    employee = None
    status = Enrollment.Status.REQUESTED


def completed(employee, *, jp: int, on: dt.date, region=None) -> Enrollment:
    """A past completion worth `jp` JP on `on` (builds its own past session)."""
    session = SessionFactory(
        programme__jp=jp,
        programme__region=region or employee.region,
        start_date=on - dt.timedelta(days=1),
        end_date=on,
        enroll_opens=on - dt.timedelta(days=20),
        enroll_closes=on - dt.timedelta(days=10),
        allocated_at=dt.datetime(on.year, on.month, 1, tzinfo=dt.UTC),
    )
    return Enrollment.objects.create(
        session=session, employee=employee, status=Enrollment.Status.COMPLETED, completed_on=on, jp_granted=jp
    )
