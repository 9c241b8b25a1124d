"""Reads for recruitment pages. The CASN ranking rule of DESIGN.md §4 lives in `ranking_rows` only."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from asnportal.accounts.access import assignment_active

from .models import (
    Announcement,
    Application,
    ConflictDeclaration,
    Formation,
    Objection,
    Observation,
    ObserverAssignment,
    PanelAssignment,
    ScreeningDecision,
    Selection,
    SignOff,
    SkbScore,
    SkdScore,
    Stage,
)

# One statement (portable to SQLite for the demo). The latest rows are picked by index-backed
# correlated subqueries, so the plan stays linear even before the planner has statistics:
#  1. the latest screening decision must be "met"; the latest SKD row counts; SKB is the mean of each
#     panel member's latest score;
#  2. SKD passes only with all three thresholds of the selection;
#  3. per formation (window), SKD rank by total -> TKP -> TIU -> TWK -> older (earlier birth date);
#     up to advance factor x quota of the passers advance to SKB;
#  4. final = w_skd * SKD/550*100 + w_skb * SKB, rounded to 3 decimals as announced; ranked by final,
#     ties by the SKD rank of step 3 (the same chain); the others follow by SKD rank.
RANKING_SQL = """
WITH base AS (
    SELECT a.id, a.formation_id, a.participant_number, a.full_name, a.birth_date, a.birth_order,
           f.quota, f.quota * sel.skb_advance_factor AS advance_limit,
           s.twk, s.tiu, s.tkp, s.twk + s.tiu + s.tkp AS skd_total,
           CASE WHEN s.twk >= sel.twk_min AND s.tiu >= sel.tiu_min AND s.tkp >= sel.tkp_min
                THEN 1 ELSE 0 END AS skd_pass,
           (SELECT AVG(b.score) FROM recruitment_skbscore b
             WHERE b.application_id = a.id
               AND b.id = (SELECT MAX(b2.id) FROM recruitment_skbscore b2
                            WHERE b2.application_id = a.id AND b2.panel_member_id = b.panel_member_id)
           ) AS skb,
           sel.w_skd, sel.w_skb
    FROM recruitment_application a
    JOIN recruitment_formation f ON f.id = a.formation_id
    JOIN recruitment_selection sel ON sel.id = a.selection_id
    JOIN recruitment_screeningdecision d
      ON d.id = (SELECT MAX(d2.id) FROM recruitment_screeningdecision d2 WHERE d2.application_id = a.id)
    LEFT JOIN recruitment_skdscore s
      ON s.id = (SELECT MAX(s2.id) FROM recruitment_skdscore s2 WHERE s2.application_id = a.id)
    WHERE a.selection_id = %(sel)s AND d.met
), skd_ranked AS (
    SELECT base.*,
           ROW_NUMBER() OVER (PARTITION BY formation_id ORDER BY skd_pass DESC, skd_total DESC NULLS LAST,
                              tkp DESC, tiu DESC, twk DESC, birth_date ASC, birth_order ASC,
                              participant_number) AS skd_rank
    FROM base
), adv AS (
    SELECT skd_ranked.*,
           CASE WHEN skd_pass = 1 AND skd_rank <= advance_limit THEN 1 ELSE 0 END AS advances,
           ROUND(w_skd * skd_total * 100.0 / 550 + w_skb * skb, 3) AS final_score
    FROM skd_ranked
), ranked AS (
    SELECT adv.*,
           ROW_NUMBER() OVER (PARTITION BY formation_id
                              ORDER BY CASE WHEN advances = 1 AND skb IS NOT NULL THEN 0 ELSE 1 END,
                                       final_score DESC NULLS LAST, skd_rank) AS position,
           COUNT(*) OVER () AS total_rows
    FROM adv
    WHERE %(formation)s IS NULL OR formation_id = %(formation)s
)
SELECT id, formation_id, participant_number, full_name, quota, twk, tiu, tkp, skd_total, skd_pass,
       skd_rank, advances, skb, final_score, position, total_rows
FROM ranked
ORDER BY formation_id, position
"""


@dataclass(frozen=True)
class RankRow:
    application_id: int
    formation_id: int
    participant_number: str
    full_name: str
    quota: int
    twk: int | None
    tiu: int | None
    tkp: int | None
    skd_total: int | None
    skd_pass: bool
    skd_rank: int
    advances: bool
    skb: Decimal | None
    final_score: Decimal | None
    position: int

    @property
    def final_rank(self) -> int | None:
        return self.position if self.advances and self.skb is not None else None

    @property
    def passes(self) -> bool:
        """Within the quota of the formation by final rank (lulus)."""
        return self.final_rank is not None and self.final_rank <= self.quota


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.001"))


def ranking_rows(
    *, selection_id: int, formation_id: int | None = None, limit: int | None = None, offset: int = 0
) -> tuple[list[RankRow], int]:
    """The §4 CASN ranking of every screened-in applicant, per formation: (rows, total row count)."""
    sql = RANKING_SQL
    params: dict = {"sel": selection_id, "formation": formation_id}
    if limit is not None:
        sql += " LIMIT %(limit)s OFFSET %(offset)s"
        params.update(limit=limit, offset=offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    rows = [
        RankRow(
            application_id=r[0],
            formation_id=r[1],
            participant_number=r[2],
            full_name=r[3],
            quota=r[4],
            twk=r[5],
            tiu=r[6],
            tkp=r[7],
            skd_total=r[8],
            skd_pass=bool(r[9]),
            skd_rank=r[10],
            advances=bool(r[11]),
            skb=_dec(r[12]),
            final_score=_dec(r[13]),
            position=r[14],
        )
        for r in raw
    ]
    return rows, (raw[0][15] if raw else 0)


# --- Selections, formations, public pages ------------------------------------------------------
def selections_public() -> QuerySet[Selection]:
    return (
        Selection.objects.filter(is_published=True)
        .select_related("region")
        .annotate(formation_count=Count("formations", distinct=True))
    )


def selection_public_detail(*, pk: int) -> Selection:
    return Selection.objects.select_related("region").get(pk=pk, is_published=True)


def formations_of(*, selection: Selection) -> QuerySet[Formation]:
    return (
        selection.formations.select_related("position", "unit")
        .annotate(applicant_count=Count("applications"))
        .order_by("unit__name", "position__name", "pk")
    )


def announcements_of(*, selection: Selection) -> QuerySet[Announcement]:
    return selection.announcements.filter(published_at__lte=timezone.now())


def selections_for_regions(*, region_ids) -> QuerySet[Selection]:
    return (
        Selection.objects.filter(region_id__in=list(region_ids))
        .select_related("region")
        .annotate(
            application_count=Count("applications", distinct=True),
            formation_count=Count("formations", distinct=True),
        )
    )


def applications_of(*, selection: Selection) -> QuerySet[Application]:
    return selection.applications.select_related("formation__position", "formation__unit").order_by(
        "participant_number"
    )


# --- Stages: sign-off status --------------------------------------------------------------------
def stage_score_model(stage: str):
    return {Stage.ADMINISTRATION: ScreeningDecision, Stage.SKD: SkdScore, Stage.SKB: SkbScore}[stage]


def stage_status(*, selection: Selection) -> list[dict]:
    """Per stage: the last score row, the last sign-off, and whether the sheet is signed as it stands."""
    marks = SignOff.objects.filter(selection=selection).values("stage").annotate(last=Max("last_score_id"))
    signed = {m["stage"]: m["last"] for m in marks}
    result = []
    for stage in (Stage.ADMINISTRATION, Stage.SKD, Stage.SKB):
        model = stage_score_model(stage)
        last = model.objects.filter(application__selection=selection).aggregate(m=Max("id"))["m"] or 0
        signed_up_to = signed.get(stage)
        result.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "last_score_id": last,
                "signed": signed_up_to is not None and signed_up_to >= last and last > 0,
                "ever_signed": signed_up_to is not None,
                "needs_signoff": last > 0 and (signed_up_to is None or signed_up_to < last),
            }
        )
    return result


def stage_locked(*, selection: Selection, stage: str) -> bool:
    """A stage's scores are locked once any sign-off exists: later writes are corrections."""
    return SignOff.objects.filter(selection=selection, stage=stage).exists()


# --- Observers and panel members ----------------------------------------------------------------
def observer_selections(*, user, on=None) -> QuerySet[Selection]:
    on = on or timezone.localdate()
    return (
        Selection.objects.filter(
            observer_assignments__user=user,
            observer_assignments__valid_from__lte=on,
            observer_assignments__valid_until__gte=on,
        )
        .select_related("region")
        .distinct()
    )


def panel_selections(*, user, on=None) -> QuerySet[Selection]:
    on = on or timezone.localdate()
    return Selection.objects.filter(
        panel_assignments__user=user,
        panel_assignments__valid_from__lte=on,
        panel_assignments__valid_until__gte=on,
    ).distinct()


def is_assigned(assignment_model, *, user, selection_id: int) -> bool:
    periods = assignment_model.objects.filter(user=user, selection_id=selection_id).values_list(
        "valid_from", "valid_until"
    )
    return any(assignment_active(f, u) for f, u in periods)


def observer_assigned(*, user, selection_id: int) -> bool:
    return is_assigned(ObserverAssignment, user=user, selection_id=selection_id)


def panel_assigned(*, user, selection_id: int) -> bool:
    return is_assigned(PanelAssignment, user=user, selection_id=selection_id)


def panel_queue(*, user) -> list[dict]:
    """Applicants advancing to SKB in the member's assigned selections, with the member's own score."""
    items = []
    selections = list(panel_selections(user=user).select_related("region"))
    for selection in selections:
        rows, _total = ranking_rows(selection_id=selection.pk)
        advancing = [r for r in rows if r.advances]
        ids = [r.application_id for r in advancing]
        mine = dict(
            SkbScore.objects.filter(application_id__in=ids, panel_member=user)
            .order_by("application_id", "-id")
            .values_list("application_id", "score")
        )
        conflicted = set(
            ConflictDeclaration.objects.filter(application_id__in=ids, panel_member=user).values_list(
                "application_id", flat=True
            )
        )
        for r in advancing:
            items.append(
                {
                    "selection": selection,
                    "row": r,
                    "my_score": mine.get(r.application_id),
                    "conflict": r.application_id in conflicted,
                }
            )
    return items


def conflicts_of(*, selection: Selection) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(application__selection=selection).select_related(
        "application", "panel_member"
    )


# --- Applicants -------------------------------------------------------------------------------
def applications_of_user(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(user=user)
        .select_related("selection__region", "formation__position", "formation__unit")
        .prefetch_related("objections__answer")
    )


def objections_of(*, selection: Selection) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(application__selection=selection)
        .select_related("application", "answer")
        .order_by("-id")
    )


def open_objection_count(*, selection: Selection) -> int:
    return Objection.objects.filter(application__selection=selection).filter(Q(answer__isnull=True)).count()


def recruitment_summary(*, region_id: int, start, end) -> dict:
    """A region's recruitment figures for the evaluation reports (reports), in SQL aggregates.

    Counts the selections of the period's year up to the period's end: applicants, pass rates per
    stage, objections and how they ended, observer findings by severity, and the mean days from a
    selection's first announcement to its final sign-off.
    """
    import datetime as dt

    end_at = dt.datetime.combine(
        end + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    selections = Selection.objects.filter(region_id=region_id, year=end.year, created_at__lt=end_at)
    apps = Application.objects.filter(selection__in=selections, created_at__lt=end_at).aggregate(
        applicants=Count("pk"),
        screened=Count("pk", filter=~Q(status=Application.Status.SUBMITTED)),
        admin_passed=Count(
            "pk",
            filter=Q(
                status__in=[
                    Application.Status.ADMIN_PASSED,
                    Application.Status.SKD_PASSED,
                    Application.Status.SKD_FAILED,
                ]
            ),
        ),
        skd_decided=Count(
            "pk", filter=Q(status__in=[Application.Status.SKD_PASSED, Application.Status.SKD_FAILED])
        ),
        skd_passed=Count("pk", filter=Q(status=Application.Status.SKD_PASSED)),
    )
    objections = Objection.objects.filter(
        application__selection__in=selections, created_at__lt=end_at
    ).aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(answer__accepted=True)),
        rejected=Count("pk", filter=Q(answer__accepted=False)),
        pending=Count("pk", filter=Q(answer__isnull=True)),
    )
    findings = dict(
        Observation.objects.filter(selection__in=selections, observed_at__lt=end_at)
        .values_list("severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    durations = (
        selections.annotate(
            announced=Min("announcements__published_at"),
            result=Max("signoffs__created_at", filter=Q(signoffs__stage__in=[Stage.SKB, Stage.FINAL])),
        )
        .filter(announced__isnull=False, result__isnull=False)
        .values_list("announced", "result")
    )
    days = [(result - announced).total_seconds() / 86400 for announced, result in durations]

    def rate(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 0.0

    return {
        "selections": selections.count(),
        "applicants": apps["applicants"],
        "admin_pass_rate": rate(apps["admin_passed"], apps["screened"]),
        "skd_pass_rate": rate(apps["skd_passed"], apps["skd_decided"]),
        "objections": objections["total"],
        "objections_accepted": objections["accepted"],
        "objections_rejected": objections["rejected"],
        "objections_pending": objections["pending"],
        "findings_by_severity": {sev: findings.get(sev, 0) for sev, _label in Observation.Severity.choices},
        "mean_days_announcement_to_result": round(sum(days) / len(days), 1) if days else None,
    }
