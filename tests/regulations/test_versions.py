"""Rule versions: appended with a chained hash, never changed; the one in force on a day and region."""

import datetime as dt

import pgtrigger
import pytest
from django.core.exceptions import ValidationError
from django.db import InternalError, ProgrammingError, transaction

from asnportal.accounts.models import AuditEvent
from asnportal.regulations import selectors, services
from asnportal.regulations.models import RuleKind, RuleVersion

from ..clock import TODAY

pytestmark = pytest.mark.django_db
WORK = {"above_from": "1.20", "meets_from": "1.00"}


def _new(cast, *, region=None, on=TODAY, parameters=WORK, reason="Kebijakan daerah"):
    return services.rule_version_create(
        user=cast.users["hr"],
        kind=RuleKind.WORK_RATING,
        region_id=region.pk if region else None,
        effective_from=on,
        parameters=parameters,
        reason=reason,
    )


def test_seeded_version_1_of_each_kind_with_an_intact_chain():
    for kind in RuleKind.values:
        (v1,) = selectors.chain_of(kind=kind, region_id=None)
        assert v1.number == 1 and v1.previous_hash == ""
        assert selectors.chain_is_intact(kind=kind, region_id=None)


def test_a_new_version_links_to_the_previous_one_and_is_ledgered(cast):
    v1 = selectors.chain_of(kind=RuleKind.WORK_RATING, region_id=None).get()
    v2 = _new(cast)
    assert (v2.number, v2.previous_hash, v2.author) == (2, v1.hash, cast.users["hr"])
    assert v2.hash == v2.content_hash() and selectors.chain_is_intact(
        kind=RuleKind.WORK_RATING, region_id=None
    )
    event = AuditEvent.objects.get(action="rule_version_create")
    assert event.detail["hash"] == v2.hash and event.detail["reason"] == "Kebijakan daerah"


def test_versions_are_never_updated_or_deleted(cast):
    v2 = _new(cast)
    for attempt in (
        lambda: RuleVersion.objects.filter(pk=v2.pk).update(reason="diubah"),
        lambda: RuleVersion.objects.filter(pk=v2.pk).delete(),
    ):
        with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
            attempt()
    assert RuleVersion.objects.get(pk=v2.pk).reason == "Kebijakan daerah"


def test_an_edit_behind_the_application_breaks_the_chain(cast):
    v2 = _new(cast)
    with pgtrigger.ignore("regulations.RuleVersion:rule_version_append_only"):
        RuleVersion.objects.filter(pk=v2.pk).update(parameters={"above_from": "2.00", "meets_from": "1.00"})
    assert not selectors.chain_is_intact(kind=RuleKind.WORK_RATING, region_id=None)


@pytest.mark.parametrize(
    ("on", "reason", "message"),
    [(TODAY - dt.timedelta(days=1), "x", "di masa lalu"), (TODAY, "  ", "alasan")],
)
def test_a_version_in_the_past_or_without_reason_is_refused_and_nothing_saved(cast, on, reason, message):
    with pytest.raises(ValidationError) as exc:
        _new(cast, on=on, reason=reason)
    assert message in " ".join(exc.value.messages)
    assert RuleVersion.objects.filter(kind=RuleKind.WORK_RATING).count() == 1


def test_the_version_in_force_by_day_and_region(cast):
    later = TODAY + dt.timedelta(days=10)
    national = _new(cast, on=later)
    regional = _new(cast, region=cast.region_b, on=later + dt.timedelta(days=5), parameters=WORK)
    v1 = selectors.chain_of(kind=RuleKind.WORK_RATING, region_id=None).get(number=1)

    def in_force(region, day):
        return selectors.version_in_force(kind=RuleKind.WORK_RATING, region_id=region.pk, on=day)

    assert in_force(cast.region_a, TODAY) == v1  # a day before the new version: unchanged
    assert in_force(cast.region_a, later) == national
    assert in_force(cast.region_b, later) == national
    assert in_force(cast.region_b, later + dt.timedelta(days=5)) == regional
    assert in_force(cast.region_a, dt.date(2000, 1, 1)).number == 1
    timeline = selectors.Timeline(kind=RuleKind.WORK_RATING, region_id=cast.region_b.pk)
    assert [timeline.on(d) for d in (TODAY, later, later + dt.timedelta(days=5))] == [v1, national, regional]
    assert "v2" in national.label and regional.number == 1
