import filetype
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import PositionKind, Region, Unit
from asnportal.ui.widgets import NativeDateInput

from .models import Feedback, Material, Programme, Session


class ProgrammeForm(forms.ModelForm):
    eligible_position_kinds = forms.MultipleChoiceField(
        label=_("Eligible position types"),
        choices=PositionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to open the programme to every position type."),
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "kind",
            "mode",
            "jp",
            "description",
            "competencies",
            "eligible_position_kinds",
            "min_rank",
            "min_attendance_pct",
            "is_active",
        ]
        widgets = {
            "competencies": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class SessionForm(forms.ModelForm):
    link = forms.URLField(label=_("online link"), required=False, assume_scheme="https")

    class Meta:
        model = Session
        fields = [
            "programme",
            "name",
            "start_date",
            "end_date",
            "enroll_opens",
            "enroll_closes",
            "place",
            "link",
            "trainer",
            "capacity",
        ]
        widgets = {
            "start_date": NativeDateInput(),
            "end_date": NativeDateInput(),
            "enroll_opens": NativeDateInput(),
            "enroll_closes": NativeDateInput(),
        }

    def __init__(self, *args, region_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(
            Q(region_id__in=list(region_ids)) | Q(region__isnull=True), is_active=True
        ).order_by("title")
        regions = sorted(region_ids)
        if len(regions) == 1 and not self.instance.pk:
            self.instance.region_id = regions[0]
        elif len(regions) > 1 and not self.instance.pk:
            self.fields["region"] = forms.ModelChoiceField(
                label=_("Region"), queryset=Region.objects.filter(pk__in=regions)
            )

    def clean(self):
        data = super().clean()
        if data.get("region"):
            self.instance.region = data["region"]
        return data


# A material is a document participants download: its content (magic bytes, not the name) must be
# one of these, and the name must say the same, so an HTML page or a script is never served as one.
MATERIAL_KINDS = {
    "pdf": ("pdf",),
    "jpg": ("jpg", "jpeg"),
    "png": ("png",),
    "docx": ("docx",),
    "xlsx": ("xlsx",),
    "pptx": ("pptx",),
}


class MaterialForm(forms.ModelForm):
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = Material
        fields = ["title", "url", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not hasattr(upload, "content_type"):  # nothing new uploaded
            return upload
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The material file is too large (at most %(mb)s MB)."),
                params={"mb": limit // (1024 * 1024)},
            )
        upload.seek(0)
        kind = filetype.guess(upload.read(8192))
        upload.seek(0)
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if (
            kind is None
            or kind.extension not in MATERIAL_KINDS
            or extension not in MATERIAL_KINDS[kind.extension]
        ):
            raise forms.ValidationError(
                _(
                    "The material must be a PDF, JPEG, PNG, Word, Excel or PowerPoint file (its content was checked)."
                )
            )
        return upload


class AttendanceForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=str)
    present = forms.TypedMultipleChoiceField(
        label=_("Present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "%(value)s is not an admitted participant of this session: attendance is recorded "
                "only for admitted participants."
            )
        },
    )

    def __init__(self, *args, session: Session, participants: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(d.isoformat(), d.strftime("%d-%m-%Y")) for d in session.days()]
        self.fields["present"].choices = participants


class FeedbackForm(forms.ModelForm):
    RATINGS = [(i, str(i)) for i in range(1, 6)]
    session_rating = forms.TypedChoiceField(
        label=_("How useful was the session? (1-5)"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    trainer_rating = forms.TypedChoiceField(
        label=_("How good was the trainer? (1-5)"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )

    class Meta:
        model = Feedback
        fields = ["session_rating", "trainer_rating", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}


class UnitFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, region_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(region_id__in=list(region_ids)).order_by("name")
        self.fields["unit"].widget.attrs["class"] = "form-select"


class CertificateLookupForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=16)
