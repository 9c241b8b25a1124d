from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .importer import ImportFileError, file_kind
from .models import Employee, Position, Region, Unit
from .nip import nik_parse, nip_parse
from .selectors import supervisor_chain_reaches


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or NIP"), required=False, max_length=100)
    unit = forms.TypedChoiceField(
        label=_("Unit"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units")), *units]  # (id, name) pairs


class ImportUploadForm(forms.Form):
    """The upload of a SIASN export: size, extension and content are checked before anything is stored."""

    file = forms.FileField(
        label=_("Employee file (.xlsx or .csv)"),
        help_text=_("Columns as in the SIASN export; download the template below for the exact headers."),
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())

    def __init__(self, *args, region_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(pk__in=list(region_ids)).order_by("name")
        self.fields["region"].queryset = regions
        if len(region_ids) == 1:
            # One region: nothing to choose.
            self.fields["region"].widget = forms.HiddenInput()
            self.fields["region"].initial = next(iter(region_ids))
            self.fields["region"].required = False

    def clean_region(self):
        region = self.cleaned_data.get("region")
        if region is None and isinstance(self.fields["region"].widget, forms.HiddenInput):
            region = self.fields["region"].queryset.first()
        if region is None:
            raise ValidationError(_("Choose the region the employees belong to."))
        return region

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is larger than %(mb)s MB. Split it into smaller files."),
                params={"mb": limit // (1024 * 1024)},
            )
        content = upload.read()
        try:
            file_kind(upload.name, content)
        except ImportFileError as exc:
            raise ValidationError(_(exc.msgid), params=exc.params or None) from None
        self.content = content
        return upload


class EmployeeForm(forms.ModelForm):
    """HR officer's create/edit form: choices limited to the officer's regions, NIP decoded by the model."""

    supervisor_nip = forms.CharField(
        label=_("Direct supervisor's NIP"),
        required=False,
        max_length=18,
        help_text=_("Leave empty when the employee has no supervisor in the system."),
    )

    class Meta:
        model = Employee
        fields = [
            "nip",
            "name",
            "kind",
            "rank",
            "unit",
            "position",
            "is_remote",
            "status",
            "nik",
            "email",
            "phone",
            "address",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"nip": _("18 digits; birth date, TMT CPNS and sex are read from it.")}

    def __init__(self, *args, region_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        region_ids = list(region_ids)
        self.region_ids = region_ids
        # Active units, plus the employee's current one even if it has since been closed.
        open_units = (
            Q(is_active=True) | Q(pk=self.instance.unit_id) if self.instance.unit_id else Q(is_active=True)
        )
        self.fields["unit"].queryset = Unit.objects.filter(open_units, region_id__in=region_ids).order_by(
            "name"
        )
        self.fields["position"].queryset = Position.objects.filter(region_id__in=region_ids).order_by(
            "name", "level"
        )
        if self.instance.pk and self.instance.supervisor_id:
            self.fields["supervisor_nip"].initial = self.instance.supervisor.nip
        if self.instance.pk:
            # A move to another unit or position must keep the organisation's history: it goes
            # through Workforce planning > Reassign (with an effective date), not through this form.
            for name in ("unit", "position"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "To move this employee, use the reassignment in workforce planning: it keeps the history."
                )

    def _post_clean(self):
        # A NIP already refused by clean_nip() would be refused again by the model: show it once.
        nip_errors = list(self._errors["nip"]) if self._errors and "nip" in self._errors else None
        super()._post_clean()
        if nip_errors is not None:
            self._errors["nip"] = self.error_class(nip_errors, renderer=self.renderer)

    def clean_nip(self):
        nip = (self.cleaned_data.get("nip") or "").replace(" ", "")
        nip_parse(nip)  # raises the Indonesian message of the failing part
        return nip

    def clean_nik(self):
        nik = (self.cleaned_data.get("nik") or "").replace(" ", "")
        if nik:
            nik_parse(nik)
        return nik

    def clean_supervisor_nip(self):
        nip = (self.cleaned_data.get("supervisor_nip") or "").replace(" ", "")
        if not nip:
            return None
        supervisor = Employee.objects.filter(nip=nip, region_id__in=self.region_ids).first()
        if supervisor is None:
            raise ValidationError(_("No employee with this NIP in your region."))
        return supervisor

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        if unit is not None:
            # The region follows the unit; the model checks position and supervisor against it.
            self.instance.region_id = unit.region_id
        supervisor = cleaned.get("supervisor_nip")
        if "supervisor_nip" in cleaned:
            self.instance.supervisor = supervisor
        if (
            supervisor is not None
            and self.instance.pk
            and supervisor_chain_reaches(start_id=supervisor.pk, target_id=self.instance.pk)
        ):
            self.add_error("supervisor_nip", _("This supervisor reports (directly or not) to this employee."))
        return cleaned
