"""Effects of a proposed version of the SKD thresholds (asnportal.regulations' preview, registered in
apps.py): who now advancing to SKB would fail SKD under the proposed pass marks."""

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from ..models import Application, SkdScore


def rule_preview_skd(*, parameters: dict, region_ids: list[int]) -> list[str]:
    """Applicants of the regions' selections who passed SKD and whose latest SKD score misses one of
    the proposed pass marks (one query; the 3x quota cap aside)."""
    latest = SkdScore.objects.filter(application=OuterRef("pk")).order_by("-id")
    leaving = (
        Application.objects.filter(selection__region_id__in=region_ids, status=Application.Status.SKD_PASSED)
        .annotate(
            s_twk=Subquery(latest.values("twk")[:1]),
            s_tiu=Subquery(latest.values("tiu")[:1]),
            s_tkp=Subquery(latest.values("tkp")[:1]),
        )
        .filter(
            Q(s_twk__lt=parameters["twk_min"])
            | Q(s_tiu__lt=parameters["tiu_min"])
            | Q(s_tkp__lt=parameters["tkp_min"])
        )
        .count()
    )
    return [_("%(n)s applicants leave the SKB list") % {"n": leaving}]
