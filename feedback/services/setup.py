"""Set-up by HR: service units, their services and extra questions, populations, code batches."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from asnportal.org.models import Unit

from ..models import ExtraQuestion, Service, ServicePopulation, ServiceUnit, SurveyToken, TokenBatch
from .common import TOKEN_LENGTH, _check_plain_text, _random_code

TOKEN_BATCH_MAX = 1000


@transaction.atomic
def service_unit_create(*, unit: Unit, name: str, address: str = "", slug: str = "") -> ServiceUnit:
    """A service unit belongs to an OPD of its region; its public survey link is a unique slug."""
    base = slugify(slug or f"{unit.region.code}-{name}")[:50] or "unit"
    candidate, n = base, 1
    while ServiceUnit.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    service_unit = ServiceUnit(region=unit.region, unit=unit, name=name, address=address, slug=candidate)
    service_unit.full_clean()
    service_unit.save()
    return service_unit


@transaction.atomic
def service_unit_update(
    *, service_unit: ServiceUnit, name: str, address: str, is_active: bool
) -> ServiceUnit:
    service_unit.name, service_unit.address, service_unit.is_active = name, address, is_active
    service_unit.full_clean()
    service_unit.save()
    return service_unit


@transaction.atomic
def service_add(*, service_unit: ServiceUnit, name: str) -> Service:
    service = Service(service_unit=service_unit, name=name)
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def extra_question_add(*, service_unit: ServiceUnit, text: str, kind: str) -> ExtraQuestion:
    """Extra questions are the unit's own; they are stored apart and never enter the IKM (§4)."""
    _check_plain_text(text, "text")
    order = service_unit.extra_questions.count() + 1
    question = ExtraQuestion(service_unit=service_unit, text=text, kind=kind, order=order)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def extra_question_toggle(*, question: ExtraQuestion) -> ExtraQuestion:
    question.is_active = not question.is_active
    question.save(update_fields=["is_active"])
    return question


@transaction.atomic
def population_set(*, service_unit: ServiceUnit, year: int, quarter: int, users: int) -> ServicePopulation:
    """The number of service users per quarter: the N of the Krejcie-Morgan minimum sample (§4)."""
    row = ServicePopulation.objects.filter(service_unit=service_unit, year=year, quarter=quarter).first()
    row = row or ServicePopulation(service_unit=service_unit, year=year, quarter=quarter)
    row.users = users
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def token_batch_create(*, service_unit: ServiceUnit, size: int, user=None) -> TokenBatch:
    """A batch of one-time codes to print on service tickets."""
    if not 1 <= size <= TOKEN_BATCH_MAX:
        raise ValidationError(
            {"size": _("Choose between 1 and %(max)d codes per batch.") % {"max": TOKEN_BATCH_MAX}}
        )
    batch = TokenBatch(service_unit=service_unit, size=size, created_by=user)
    batch.full_clean()
    batch.save()
    codes: set[str] = set()
    while len(codes) < size:
        codes.add(_random_code(TOKEN_LENGTH))
    taken = set(SurveyToken.objects.filter(code__in=codes).values_list("code", flat=True))
    while taken:  # astronomically rare: replace collisions with existing codes
        codes -= taken
        fresh = {_random_code(TOKEN_LENGTH) for _i in range(len(taken))} - codes
        codes |= fresh
        taken = set(SurveyToken.objects.filter(code__in=fresh).values_list("code", flat=True))
    SurveyToken.objects.bulk_create(
        [SurveyToken(batch=batch, service_unit=service_unit, code=code) for code in sorted(codes)]
    )
    return batch
