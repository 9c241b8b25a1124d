from collections.abc import Mapping, Sequence

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Position, Region, Unit
from asnportal.ui.widgets import NativeDateInput, NativeDateTimeInput

from .models import (
    ApplicantProfile,
    ConflictDeclaration,
    Document,
    Observation,
    Selection,
    Stage,
)
from .rules import DEFAULT_RUBRIC, RUBRIC_ITEM_MAX


class RegisterForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=150)  # it becomes the username (150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        elif data.get("password"):
            try:
                validate_password(data["password"])
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class ProfileForm(forms.ModelForm):
    # Room for a NIK typed in groups ("1771 0157 0598 0001"): the service strips the spaces and checks it.
    nik = forms.CharField(
        label=_("NIK"), max_length=24, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    birth_date = forms.DateField(label=_("Birth date"), widget=NativeDateInput())

    class Meta:
        model = ApplicantProfile
        fields = ["full_name", "nik", "birth_date", "address", "phone", "education"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True

    def clean_nik(self) -> str:
        """The NIK without the spaces, dashes or dots it was typed with (the service checks the digits)."""
        return "".join(self.cleaned_data["nik"].split()).replace("-", "").replace(".", "")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=Document.Kind.choices)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class ApplyForm(forms.Form):
    formation = forms.ModelChoiceField(label=_("Formation"), queryset=None)

    def __init__(self, *args, formations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["formation"].queryset = formations


class ObjectionForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    text = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 4}))


class ObjectionAnswerForm(forms.Form):
    accepted = forms.BooleanField(label=_("The objection is accepted"), required=False)
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))


class ScreeningForm(forms.Form):
    met = forms.TypedChoiceField(
        label=_("Requirements"),
        choices=[("1", _("Met")), ("0", _("Not met"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CAT result file (CSV or XLSX)"))


class SkdCorrectionForm(forms.Form):
    twk = forms.IntegerField(label="TWK")
    tiu = forms.IntegerField(label="TIU")
    tkp = forms.IntegerField(label="TKP")
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


class SkbScoreForm(forms.Form):
    """One field per item of the selection's rubric version, each 0 to the item's maximum."""

    reason = forms.CharField(label=_("Reason (required for a correction)"), required=False)

    def __init__(self, *args, rubric: Sequence[Mapping] = DEFAULT_RUBRIC, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = tuple(rubric)
        for criterion in self.rubric:
            self.fields[criterion["key"]] = forms.DecimalField(
                label=f"{criterion['label']} ({criterion['weight']}%)",
                min_value=0,
                max_value=criterion.get("max", RUBRIC_ITEM_MAX),
                decimal_places=2,
            )
        self.order_fields([c["key"] for c in self.rubric] + ["reason"])

    def items(self) -> dict:
        return {c["key"]: self.cleaned_data[c["key"]] for c in self.rubric}


class ConflictForm(forms.Form):
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=ConflictDeclaration.Relationship.choices
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ObservationForm(forms.ModelForm):
    observed_at = forms.DateTimeField(label=_("Time"), widget=NativeDateTimeInput())

    class Meta:
        model = Observation
        fields = ["observed_at", "stage", "location", "finding", "severity", "attachment"]
        widgets = {"finding": forms.Textarea(attrs={"rows": 3})}


class SignOffForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=[c for c in Stage.choices if c[0] != Stage.FINAL])
    note = forms.CharField(label=_("Note"), required=False)


class SelectionForm(forms.ModelForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())

    class Meta:
        model = Selection
        fields = [
            "region",
            "year",
            "name",
            "requirements",
            "registration_opens",
            "registration_closes",
            "objection_opens",
            "objection_closes",
            "twk_min",
            "tiu_min",
            "tkp_min",
            "w_skd",
            "w_skb",
        ]
        widgets = {
            "registration_opens": NativeDateInput(),
            "registration_closes": NativeDateInput(),
            "objection_opens": NativeDateTimeInput(),
            "objection_closes": NativeDateTimeInput(),
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, region_ids, skd_initial: Mapping | None = None, **kwargs):
        """skd_initial: the pass marks and weights of the SKD rule version in force (the view reads
        it for the officer's region), shown as the starting values instead of the model's defaults."""
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(pk__in=list(region_ids))
        if not self.is_bound:
            self.initial.update(skd_initial or {})


class FormationForm(forms.Form):
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    education = forms.CharField(label=_("Education required"), max_length=200)
    quota = forms.IntegerField(label=_("Quota"), min_value=1)

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.filter(region_id=region_id)
        self.fields["unit"].queryset = Unit.objects.filter(region_id=region_id, is_active=True)

    def spec(self) -> dict:
        data = self.cleaned_data
        return {
            "position_id": data["position"].pk,
            "unit_id": data["unit"].pk,
            "education": data["education"],
            "quota": data["quota"],
        }


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
