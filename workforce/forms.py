import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Employee, Position, PositionKind, PositionLevel, Region, Unit
from asnportal.ui.widgets import NativeDateInput

from .models import ServiceRatio, WorkloadTask


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (on the field it names when the form has it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def default_year() -> int:
    return timezone.localdate().year + 1


DateInput = NativeDateInput  # ISO values, so the browser's date picker keeps them in Indonesian


def _units(region: Region, active_only: bool = True):
    qs = Unit.objects.filter(region=region).order_by("name")
    return qs.filter(is_active=True) if active_only else qs


def _positions(region: Region):
    return Position.objects.filter(region=region).order_by("name", "level")


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def year_or_default(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return default_year()


class GapFilterForm(YearForm):
    on = forms.DateField(label=_("Reference date"), required=False, widget=DateInput)

    def on_or_today(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("on"):
            return self.cleaned_data["on"]
        return timezone.localdate()


class EffectiveHoursForm(forms.Form):
    effective_hours = forms.IntegerField(
        label=_("Effective working hours per year"),
        min_value=1,
        max_value=8760,
        help_text=_("The divisor of the workload analysis; 1,250 hours by default."),
    )


class RetirementAgeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Position type"), choices=PositionKind.choices)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels"))] + list(PositionLevel.choices), required=False
    )
    age = forms.IntegerField(label=_("Retirement age"), min_value=50, max_value=70)


class AnalysisForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(region)
        self.fields["position"].queryset = _positions(region)
        self.fields["year"].initial = default_year()


class TaskForm(forms.Form):
    name = forms.CharField(label=_("Task"), max_length=300)
    output = forms.CharField(label=_("Output"), max_length=120, required=False)
    # No minimum here: the service refuses zero or negative values with its own message.
    volume = forms.DecimalField(label=_("Yearly volume"), max_digits=12, decimal_places=2)
    standard_time = forms.DecimalField(label=_("Standard time"), max_digits=10, decimal_places=2)
    time_unit = forms.ChoiceField(label=_("Time unit"), choices=WorkloadTask.TimeUnit.choices)


class RatioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    measure = forms.ChoiceField(label=_("Based on"), choices=ServiceRatio.Measure.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    staff = forms.DecimalField(label=_("Staff"), max_digits=8, decimal_places=2)
    per = forms.IntegerField(label=_("Per"), help_text=_("For example 1 nurse per 1,000 inhabitants."))

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(region)
        self.fields["position"].queryset = _positions(region)


class FigureForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    measure = forms.ChoiceField(label=_("Figure"), choices=ServiceRatio.Measure.choices)
    value = forms.IntegerField(label=_("Value"), min_value=0)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


class ProposalCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class ProposalRowForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    education = forms.CharField(label=_("Education required"), max_length=200, required=False)
    quota = forms.IntegerField(label=_("Quota"), min_value=1)
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(region)
        self.fields["position"].queryset = _positions(region)


class ChartDateForm(forms.Form):
    on = forms.DateField(label=_("Show the organisation as on"), required=False, widget=DateInput)


class _ChangeForm(forms.Form):
    effective_date = forms.DateField(label=_("Effective date"), widget=DateInput)
    note = forms.CharField(label=_("Legal basis / note"), max_length=300, required=False)


class ReassignForm(_ChangeForm):
    employees = forms.ModelMultipleChoiceField(
        label=_("Employees"), queryset=Employee.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    unit = forms.ModelChoiceField(label=_("New unit"), queryset=Unit.objects.none())
    position = forms.ModelChoiceField(
        label=_("New position"),
        queryset=Position.objects.none(),
        required=False,
        help_text=_("Leave empty to keep each employee's position."),
    )
    field_order = ["employees", "unit", "position", "effective_date", "note"]

    def __init__(self, *args, region: Region, from_unit: Unit | None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = Employee.objects.filter(region=region, status=Employee.Status.ACTIVE).select_related(
            "position"
        )
        self.fields["employees"].queryset = (
            staff.filter(unit=from_unit).order_by("name") if from_unit else staff.none()
        )
        # Closed units stay choosable so that the service can say clearly why they are refused.
        self.fields["unit"].queryset = _units(region, active_only=False)
        self.fields["position"].queryset = _positions(region)


class PositionMoveForm(_ChangeForm):
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    from_unit = forms.ModelChoiceField(label=_("From unit"), queryset=Unit.objects.none())
    to_unit = forms.ModelChoiceField(label=_("To unit"), queryset=Unit.objects.none())
    field_order = ["position", "from_unit", "to_unit", "effective_date", "note"]

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = _positions(region)
        self.fields["from_unit"].queryset = _units(region, active_only=False)
        self.fields["to_unit"].queryset = _units(region, active_only=False)


class PositionConvertForm(_ChangeForm):
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    to_position = forms.ModelChoiceField(label=_("New position"), queryset=Position.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Only in unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave empty to convert the position in every unit."),
    )
    field_order = ["position", "to_position", "unit", "effective_date", "note"]

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = _positions(region)
        self.fields["to_position"].queryset = _positions(region)
        self.fields["unit"].queryset = _units(region, active_only=False)


class MergeForm(_ChangeForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Units to merge"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    into_unit = forms.ModelChoiceField(
        label=_("Into existing unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Or leave empty and name a new unit below."),
    )
    new_code = forms.CharField(label=_("New unit code"), max_length=40, required=False)
    new_name = forms.CharField(label=_("New unit name"), max_length=200, required=False)
    field_order = ["units", "into_unit", "new_code", "new_name", "effective_date", "note"]

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units(region)
        self.fields["into_unit"].queryset = _units(region, active_only=False)

    def clean(self):
        data = super().clean()
        if not data.get("into_unit") and not (data.get("new_code") and data.get("new_name")):
            raise ValidationError(
                _("Choose an existing unit to merge into, or give the new unit a code and a name.")
            )
        return data


class SplitForm(_ChangeForm):
    part1_code = forms.CharField(label=_("New unit 1: code"), max_length=40)
    part1_name = forms.CharField(label=_("New unit 1: name"), max_length=200)
    part1_employees = forms.ModelMultipleChoiceField(
        label=_("New unit 1: employees"),
        queryset=Employee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    part2_code = forms.CharField(label=_("New unit 2: code"), max_length=40, required=False)
    part2_name = forms.CharField(label=_("New unit 2: name"), max_length=200, required=False)
    part2_employees = forms.ModelMultipleChoiceField(
        label=_("New unit 2: employees"),
        queryset=Employee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    close_source = forms.BooleanField(label=_("Close the original unit"), required=False)

    def __init__(self, *args, source: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        staff = Employee.objects.filter(unit=source, status=Employee.Status.ACTIVE).order_by("name")
        self.fields["part1_employees"].queryset = staff
        self.fields["part2_employees"].queryset = staff

    def parts(self) -> list[dict]:
        return [
            {
                "code": self.cleaned_data.get(f"part{i}_code", ""),
                "name": self.cleaned_data.get(f"part{i}_name", ""),
                "employee_ids": [e.pk for e in self.cleaned_data.get(f"part{i}_employees") or []],
            }
            for i in (1, 2)
        ]


class UnitPickForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(region)
        self.fields["unit"].widget.attrs.update({"data-autosubmit": "1", "class": "form-select"})
