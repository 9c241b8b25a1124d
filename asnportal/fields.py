"""Form fields shared by the apps."""

from django import forms


class _ChoicesOnce(forms.models.ModelChoiceIterator):
    """Reads the field's queryset through its result cache: one query per form however often the
    choices are read (length, rendering, error messages). Django's own iterator runs a new
    server-side cursor (DECLARE, FETCH, CLOSE round trips) each time."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self) -> int:  # from the same cache (Django's counts with a COUNT query)
        return len(self.queryset) + (self.field.empty_label is not None)


class CachedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for short lists shown on busy pages (a staff member's KPIs, a unit's
    services, the competencies of the catalog filter)."""

    iterator = _ChoicesOnce
