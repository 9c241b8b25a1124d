import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .nip import nip_parse


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value})


class Region(models.Model):
    """A daerah: a provinsi, or a kabupaten/kota, possibly under its provinsi (issue 24).

    `kind` is the level. Two levels only: a kabupaten/kota may have a `parent`, which must be a
    provinsi; a provinsi has none (so there is no cycle and no deeper chain: checked in `clean` and,
    for "a provinsi has no parent", by a database constraint). A provinsi with kabupaten/kota under it
    keeps its level. A regency whose provinsi does not use the portal (Sorong, Bungo) has no parent.

    What the parent gives (asnportal/accounts/access.py `report_regions`): the provinsi's regional
    head and HR officers read the aggregate reports of its kabupaten/kota, never their personal data;
    that takes a role assignment in the kabupaten/kota itself.
    """

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabupaten", _("Regency")
        CITY = "kota", _("City")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"kind": "provinsi"},
        verbose_name=_("province above"),
        help_text=_("Only for a regency or city: the province it belongs to."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(kind="provinsi"), name="region_province_has_no_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is None:
            if self.pk and self.kind != self.Kind.PROVINCE and self.children.exists():
                raise ValidationError(
                    {"kind": _("Regencies and cities belong to this region: it must stay a province.")}
                )
            return
        if self.kind == self.Kind.PROVINCE:
            raise ValidationError({"parent": _("A province has no region above it.")})
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A region cannot be its own parent.")})
        if self.parent.kind != self.Kind.PROVINCE:
            raise ValidationError({"parent": _("The region above a regency or city must be a province.")})

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Unit(models.Model):
    """A unit kerja / perangkat daerah (OPD), possibly nested."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="units", verbose_name=_("region")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unit_code_unique_in_region"),
            models.UniqueConstraint(fields=["region", "name"], name="unit_name_unique_in_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent.region_id != self.region_id:
            raise ValidationError({"parent": _("The parent unit must be in the same region.")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A unit cannot be its own parent.")})


class PositionKind(models.TextChoices):
    """Jenis jabatan (UU 20/2023 ASN)."""

    JPT_UTAMA = "jpt_utama", _("JPT utama")
    JPT_MADYA = "jpt_madya", _("JPT madya")
    JPT_PRATAMA = "jpt_pratama", _("JPT pratama")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    FUNGSIONAL_KEAHLIAN = "fungsional_keahlian", _("Functional (expertise)")
    FUNGSIONAL_KETERAMPILAN = "fungsional_keterampilan", _("Functional (skill)")
    PELAKSANA = "pelaksana", _("Pelaksana")


MANAGERIAL_KINDS = frozenset(
    {
        PositionKind.JPT_UTAMA,
        PositionKind.JPT_MADYA,
        PositionKind.JPT_PRATAMA,
        PositionKind.ADMINISTRATOR,
        PositionKind.PENGAWAS,
    }
)


class PositionLevel(models.TextChoices):
    AHLI_PERTAMA = "ahli_pertama", _("Ahli pertama")
    AHLI_MUDA = "ahli_muda", _("Ahli muda")
    AHLI_MADYA = "ahli_madya", _("Ahli madya")
    AHLI_UTAMA = "ahli_utama", _("Ahli utama")
    PEMULA = "pemula", _("Pemula")
    TERAMPIL = "terampil", _("Terampil")
    MAHIR = "mahir", _("Mahir")
    PENYELIA = "penyelia", _("Penyelia")


LEVELS_BY_KIND = {
    PositionKind.FUNGSIONAL_KEAHLIAN: {
        PositionLevel.AHLI_PERTAMA,
        PositionLevel.AHLI_MUDA,
        PositionLevel.AHLI_MADYA,
        PositionLevel.AHLI_UTAMA,
    },
    PositionKind.FUNGSIONAL_KETERAMPILAN: {
        PositionLevel.PEMULA,
        PositionLevel.TERAMPIL,
        PositionLevel.MAHIR,
        PositionLevel.PENYELIA,
    },
}


class Position(models.Model):
    """A jabatan in a region; functional positions carry their level (jenjang)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="positions", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("position type"), max_length=32, choices=PositionKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=PositionLevel.choices, blank=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "level"], name="position_unique_in_region"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})" if self.level else self.name

    @property
    def is_managerial(self) -> bool:
        return self.kind in MANAGERIAL_KINDS

    def clean(self) -> None:
        allowed = LEVELS_BY_KIND.get(self.kind)
        if allowed is None and self.level:
            raise ValidationError({"level": _("Only functional positions have a level.")})
        if allowed is not None and self.level not in allowed:
            raise ValidationError(
                {"level": _("Choose a level that belongs to this functional position type.")}
            )


class Rank(models.TextChoices):
    """Pangkat/golongan ruang PNS (17 steps) and golongan PPPK (I-XVII)."""

    IA = "I/a", "I/a Juru Muda"
    IB = "I/b", "I/b Juru Muda Tingkat I"
    IC = "I/c", "I/c Juru"
    ID = "I/d", "I/d Juru Tingkat I"
    IIA = "II/a", "II/a Pengatur Muda"
    IIB = "II/b", "II/b Pengatur Muda Tingkat I"
    IIC = "II/c", "II/c Pengatur"
    IID = "II/d", "II/d Pengatur Tingkat I"
    IIIA = "III/a", "III/a Penata Muda"
    IIIB = "III/b", "III/b Penata Muda Tingkat I"
    IIIC = "III/c", "III/c Penata"
    IIID = "III/d", "III/d Penata Tingkat I"
    IVA = "IV/a", "IV/a Pembina"
    IVB = "IV/b", "IV/b Pembina Tingkat I"
    IVC = "IV/c", "IV/c Pembina Utama Muda"
    IVD = "IV/d", "IV/d Pembina Utama Madya"
    IVE = "IV/e", "IV/e Pembina Utama"


PNS_RANKS = [value for value, _label in Rank.choices]
PPPK_GRADES = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
]
RANK_CHOICES = Rank.choices + [(g, f"PPPK {g}") for g in PPPK_GRADES]


def rank_step(rank: str | None) -> int | None:
    """The one rank ladder (§4): 0..16 for I/a..IV/e; a PPPK grade I..XVII sits on the same 17 steps.
    None for anything else."""
    if rank in PNS_RANKS:
        return PNS_RANKS.index(rank)
    if rank in PPPK_GRADES:
        return PPPK_GRADES.index(rank)
    return None


class Employee(models.Model):
    class Kind(models.TextChoices):
        PNS = "PNS", "PNS"
        PPPK = "PPPK", "PPPK"

    class Sex(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")
        INACTIVE = "inactive", _("Inactive")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="employees", verbose_name=_("region")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("unit"))
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="employees", verbose_name=_("position")
    )
    supervisor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
        verbose_name=_("direct supervisor"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
        verbose_name=_("user account"),
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("ASN type"), max_length=4, choices=Kind.choices, default=Kind.PNS)
    rank = models.CharField(_("rank/grade"), max_length=6, choices=RANK_CHOICES)
    # Derived from the NIP by clean() (never typed in by hand), hence blank and not editable.
    birth_date = models.DateField(_("birth date"), blank=True, editable=False)
    tmt_cpns = models.DateField(_("TMT CPNS"), blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True, editable=False)
    is_remote = models.BooleanField(_("remote area"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Personal data: never on a public page; an officer's read of it is audit-logged.
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.TextField(_("address"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        indexes = [
            # The HR directory lists a region's employees by name; the supervisor queue walks the link.
            models.Index(fields=["region", "name"], name="employee_region_name"),
            models.Index(fields=["unit", "status"], name="employee_unit_status"),
            models.Index(fields=["supervisor"], name="employee_supervisor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("id")), name="employee_not_own_supervisor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"

    def clean(self) -> None:
        errors = {**self._nip_errors(), **self._rank_errors(), **self._region_errors()}
        if errors:
            raise ValidationError(errors)

    def _nip_errors(self) -> dict[str, list]:
        """The NIP's form, and the birth date, TMT CPNS and sex it carries."""
        try:
            info = nip_parse(self.nip)
        except ValidationError as exc:
            return {"nip": exc.messages}
        self.birth_date, self.tmt_cpns, self.sex = info.birth_date, info.tmt_cpns, info.sex
        return {}

    def _rank_errors(self) -> dict[str, list]:
        if not self.rank:
            return {}
        if self.kind == self.Kind.PPPK and self.rank not in PPPK_GRADES:
            return {"rank": [_("A PPPK needs a grade I to XVII.")]}
        if self.kind == self.Kind.PNS and self.rank not in PNS_RANKS:
            return {"rank": [_("A PNS needs a pangkat/golongan such as III/a.")]}
        return {}

    def _region_errors(self) -> dict[str, list]:
        """Unit, position and supervisor of the employee's own region; no one supervises themselves."""
        errors = {}
        if self.unit_id and self.region_id and self.unit.region_id != self.region_id:
            errors["unit"] = [_("The unit belongs to another region.")]
        if self.position_id and self.region_id and self.position.region_id != self.region_id:
            errors["position"] = [_("The position belongs to another region.")]
        if self.supervisor_id:
            if self.pk and self.supervisor_id == self.pk:
                errors["supervisor"] = [_("An employee cannot supervise themselves.")]
            elif self.region_id and self.supervisor.region_id != self.region_id:
                errors["supervisor"] = [_("The supervisor works in another region.")]
        return errors

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class EmployeeImport(models.Model):
    """One upload of a SIASN-style employee file, processed by a task (all rows or none)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Processing")
        FAILED = "failed", _("Rejected")
        DONE = "done", _("Imported")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    # Kept in the database, not on a local disk, so that any worker container can read it.
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": 3, "column": "NIP", "message": "..."}]
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("employee import")
        verbose_name_plural = _("employee imports")

    def __str__(self) -> str:
        return self.filename

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
