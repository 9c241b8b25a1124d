import datetime as dt

import factory

from feedback.models import Service, ServiceUnit, SurveyAnswer, SurveyResponse
from feedback.rules import ELEMENT_CODES
from tests.clock import TODAY
from tests.org.factories import UnitFactory


class ServiceUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceUnit

    unit = factory.SubFactory(UnitFactory)
    region = factory.SelfAttribute("unit.region")
    name = factory.Sequence(lambda n: f"Puskesmas Contoh {n}")
    slug = factory.Sequence(lambda n: f"layanan-{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    service_unit = factory.SubFactory(ServiceUnitFactory)
    name = factory.Sequence(lambda n: f"Layanan {n}")


def add_responses(
    service_unit: ServiceUnit,
    values: list[dict[str, int] | int],
    *,
    on: dt.date = TODAY,
    service: Service | None = None,
) -> list[SurveyResponse]:
    """Bulk-create responses: each item is {element: value} or one value for all nine elements.

    Submitted today (the suite's day) unless `on` says otherwise: inside the current quarter."""
    responses = SurveyResponse.objects.bulk_create(
        [SurveyResponse(service_unit=service_unit, service=service, submitted_on=on) for _v in values]
    )
    answers = []
    for response, v in zip(responses, values, strict=True):
        per = v if isinstance(v, dict) else dict.fromkeys(ELEMENT_CODES, v)
        answers += [SurveyAnswer(response=response, element=c, value=per[c]) for c in ELEMENT_CODES]
    SurveyAnswer.objects.bulk_create(answers)
    return responses
