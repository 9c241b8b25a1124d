"""The catalog's search and filters (django-filter)."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from asnportal.fields import CachedModelChoiceField

from .models import Competency, Programme, Session

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


class CachedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CachedModelChoiceField


class SessionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="programme__kind", choices=Programme.Kind.choices
    )
    mode = django_filters.ChoiceFilter(
        label=_("Mode"), field_name="programme__mode", choices=Programme.Mode.choices
    )
    month = django_filters.TypedChoiceFilter(
        label=_("Month"), field_name="start_date__month", choices=MONTHS, coerce=int
    )
    competency = CachedModelChoiceFilter(
        label=_("Competency"),
        queryset=Competency.objects.order_by("name"),
        to_field_name="code",
        method="filter_competency",
    )
    open_seats = django_filters.BooleanFilter(
        label=_("Only with free seats"), method="filter_open_seats", widget=forms.CheckboxInput
    )

    class Meta:
        model = Session
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(programme__title__icontains=value) | Q(name__icontains=value))

    def filter_competency(self, queryset, name, value):
        # EXISTS instead of a join so a session is listed once, whatever its competencies.
        builds = Programme.competencies.through.objects.filter(
            programme_id=OuterRef("programme_id"), competency_id=value.pk
        )
        return queryset.filter(Exists(builds))

    def filter_open_seats(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(seats_taken__lt=F("capacity"))
