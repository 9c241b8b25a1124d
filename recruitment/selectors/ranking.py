"""The CASN ranking of DESIGN.md §4 as one SQL statement (the rules themselves: recruitment.rules)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import connection

from .. import rules

# One statement (portable to SQLite for the demo). The latest rows are picked by index-backed
# correlated subqueries, so the plan stays linear even before the planner has statistics:
#  1. the latest screening decision must be "met"; the latest SKD row counts; SKB is the mean of each
#     panel member's latest score;
#  2. SKD passes only with all three thresholds of the selection (rules.skd_passes);
#  3. per formation (window), SKD rank by rules.TIE_BREAK (total -> TKP -> TIU -> TWK -> older);
#     up to advance factor x quota of the passers advance to SKB (rules.advances_to_skb);
#  4. final = w_skd * SKD/SKD_MAX*100 + w_skb * SKB, rounded as announced (rules.final_score);
#     ranked by final, ties by the SKD rank of step 3 (the same chain); the others follow by SKD rank.
# The SKD maximum and the rounding are parameters from rules; the tie-break ORDER BY is formatted from
# rules.TIE_BREAK through the fixed column table below (no outside text reaches the statement).
_TIE_BREAK_SQL = {
    "skd_total": "skd_total {direction} NULLS LAST",
    "tkp": "tkp {direction}",
    "tiu": "tiu {direction}",
    "twk": "twk {direction}",
    "birth_date": "birth_date {direction}, birth_order {direction}",
}


def _tie_break_sql(order=rules.TIE_BREAK) -> str:
    parts = []
    for field, direction in order:
        if direction not in ("asc", "desc"):
            raise ValueError(f"tie-break direction {direction!r}")
        parts.append(_TIE_BREAK_SQL[field].format(direction=direction.upper()))
    return ", ".join(parts)


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
           ROW_NUMBER() OVER (PARTITION BY formation_id ORDER BY skd_pass DESC, {tie_break},
                              participant_number) AS skd_rank
    FROM base
), adv AS (
    SELECT skd_ranked.*,
           CASE WHEN skd_pass = 1 AND skd_rank <= advance_limit THEN 1 ELSE 0 END AS advances,
           ROUND(w_skd * skd_total * 100.0 / %(skd_max)s + w_skb * skb, %(places)s) AS final_score
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
""".replace("{tie_break}", _tie_break_sql())  # nosec B608 - a tie-break from a fixed column table
RANKING_PARAMS = {"skd_max": rules.SKD_MAX, "places": rules.FINAL_SCORE_PLACES}


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
        return rules.passes_final(final_rank=self.final_rank, quota=self.quota)


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.001"))


def ranking_rows(
    *, selection_id: int, formation_id: int | None = None, limit: int | None = None, offset: int = 0
) -> tuple[list[RankRow], int]:
    """The §4 CASN ranking of every screened-in applicant, per formation: (rows, total row count)."""
    sql = RANKING_SQL
    params: dict = {**RANKING_PARAMS, "sel": selection_id, "formation": formation_id}
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


def ranking_page(
    *, selection_id: int, formation_id: int, number: int, page_size: int
) -> tuple[list[RankRow], Page]:
    """One page of a formation's ranking; past the end, the last page (as Paginator.get_page does),
    the total coming with the rows."""

    def rows_of(n: int) -> tuple[list[RankRow], int]:
        return ranking_rows(
            selection_id=selection_id, formation_id=formation_id, limit=page_size, offset=(n - 1) * page_size
        )

    rows, total = rows_of(number)
    if not rows and number > 1:
        rows, total = rows_of(1)
        number = Paginator(range(total), page_size).num_pages
        if number > 1:
            rows, total = rows_of(number)
    return rows, Paginator(range(total), page_size).get_page(number)
