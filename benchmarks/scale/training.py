"""Training of the scale dataset: programmes, sessions, enrollments."""

import datetime as dt

from .common import (
    ScaleContext,
    execute,
    next_id,
    sync_sequence,
)

TRAINING_SEATS = 30
TRAINING_PROGRAMMES = 20


def training_generate(ctx: ScaleContext) -> int:
    """Programmes, sessions across the year and two enrollments per employee.

    Sessions start from 5 January to 28 December, so some are always still ahead in the catalog.
    Enrollment k (0 <= k < 2N) is employee k mod N in session k div 30: an employee's two enrollments
    fall in different sessions and no session holds more than its 30 seats. Sessions that ended before
    the dataset's last day are completed (JP granted, unique certificate codes); later ones admitted.
    """
    prog_base, sess_base = next_id("training_programme"), next_id("training_session")
    rows = _programmes_insert(ctx, prog_base)
    rows += _sessions_insert(ctx, sess_base, prog_base)
    rows += _enrollments_insert(ctx, sess_base)
    _seats_taken_count(sess_base)
    for table in ("training_programme", "training_session", "training_enrollment"):
        sync_sequence(table)
    return rows


def _programmes_insert(ctx: ScaleContext, base: int) -> int:
    return execute(
        """
        INSERT INTO training_programme (id, region_id, title, kind, mode, jp, description, eligible_position_kinds,
            min_rank, min_attendance_pct, is_active, created_at)
        SELECT %(base)s + g, %(region)s, 'Pelatihan Skala ' || (g + 1),
            (ARRAY['technical', 'functional', 'managerial'])[1 + g %% 3],
            (ARRAY['classroom', 'online', 'blended'])[1 + g %% 3],
            (ARRAY[8, 16, 24, 32, 40])[1 + g %% 5], 'Program pengembangan kompetensi.', '[]'::jsonb,
            '', 80, true, now()
        FROM generate_series(0, %(n)s - 1) AS g
        """,
        {"base": base, "region": ctx.region_id, "n": TRAINING_PROGRAMMES},
    )


def _sessions_insert(ctx: ScaleContext, base: int, prog_base: int) -> int:
    """Enough sessions for two enrollments per employee, spread from 5 January to 28 December."""
    sessions = -(-2 * ctx.employees // TRAINING_SEATS)
    return execute(
        """
        INSERT INTO training_session (id, programme_id, region_id, name, start_date, end_date, place, link, trainer,
            capacity, seats_taken, enroll_opens, enroll_closes, allocation_seed, allocated_at, completed_at, created_at)
        SELECT %(base)s + s, %(prog)s + s %% %(programmes)s, %(region)s, 'Angkatan ' || (s + 1),
            d, d + 2, 'Aula BKPSDM Skala', '', 'Widyaiswara ' || (1 + s %% 40), %(seats)s, 0, d - 30, d - 7,
            s, (d - 6)::timestamptz, CASE WHEN d + 2 < %(end)s THEN (d + 3)::timestamptz END, (d - 31)::timestamptz
        FROM (SELECT s, %(year_start)s::date + (s * 357 / greatest(%(sessions)s - 1, 1)) AS d
              FROM generate_series(0, %(sessions)s - 1) AS s) AS g
        """,
        {
            "base": base, "prog": prog_base, "programmes": TRAINING_PROGRAMMES, "region": ctx.region_id,
            "seats": TRAINING_SEATS, "end": ctx.end, "year_start": dt.date(ctx.end.year, 1, 5), "sessions": sessions,
        },
    )  # fmt: skip


def _enrollments_insert(ctx: ScaleContext, sess_base: int) -> int:
    """Enrollment k is employee k mod N in session k div 30 (see training_generate)."""
    return execute(
        """
        INSERT INTO training_enrollment (id, session_id, employee_id, status, requested_at, below_20, is_remote,
            jp_this_year, jp_three_years, draw, rank, decided_at, completed_on, jp_granted, certificate_code)
        SELECT %(base)s + k, s.id, %(emp)s + k %% %(n)s,
            CASE WHEN done THEN 'completed' WHEN k %% 10 < 8 THEN 'admitted' ELSE 'requested' END,
            (s.enroll_opens + 1)::timestamptz,
            CASE WHEN done OR k %% 10 < 8 THEN false END, CASE WHEN done OR k %% 10 < 8 THEN false END,
            CASE WHEN done OR k %% 10 < 8 THEN 0 END, CASE WHEN done OR k %% 10 < 8 THEN 0 END,
            CASE WHEN done OR k %% 10 < 8 THEN ((k * 7919) %% 10007) / 10007.0 END,
            CASE WHEN done OR k %% 10 < 8 THEN 1 + k %% %(seats)s END,
            CASE WHEN done OR k %% 10 < 8 THEN s.allocated_at END,
            CASE WHEN done THEN s.end_date END,
            CASE WHEN done THEN p.jp ELSE 0 END,
            CASE WHEN done THEN 'SKL' || lpad(k::text, 10, '0') END
        FROM (SELECT k, k / %(seats)s AS sess FROM generate_series(0, 2 * %(n)s - 1) AS k) AS g
        JOIN training_session s ON s.id = %(sess)s + g.sess
        JOIN training_programme p ON p.id = s.programme_id
        CROSS JOIN LATERAL (SELECT s.end_date < %(end)s AS done) AS c
        """,
        {"base": next_id("training_enrollment"), "emp": ctx.employee_base, "n": ctx.employees,
         "seats": TRAINING_SEATS, "sess": sess_base, "end": ctx.end},
    )  # fmt: skip


def _seats_taken_count(sess_base: int) -> None:
    execute(
        """UPDATE training_session s SET seats_taken = c.taken
           FROM (SELECT session_id, count(*) AS taken FROM training_enrollment
                 WHERE session_id >= %(sess)s AND status IN ('admitted', 'completed') GROUP BY session_id) AS c
           WHERE s.id = c.session_id""",
        {"sess": sess_base},
    )


# Deletes of an earlier scale dataset, most dependent tables first.
RESET_SQL = [
    """DELETE FROM training_enrollment WHERE session_id IN (SELECT id FROM training_session
       WHERE region_id = %(region)s)""",
    "DELETE FROM training_session WHERE region_id = %(region)s",
    "DELETE FROM training_programme WHERE region_id = %(region)s",
]

# Raw aggregates of this section of the region report (see floors.py).
FLOOR_SQL = [
    # training: JP per employee in the year -> mean, median, share reaching 20 JP
    """SELECT count(*), avg(jp), percentile_cont(0.5) WITHIN GROUP (ORDER BY jp), count(*) FILTER (WHERE jp >= 20)
       FROM (SELECT e.id, coalesce(sum(en.jp_granted), 0) AS jp FROM org_employee e
             LEFT JOIN training_enrollment en ON en.employee_id = e.id AND en.status = 'completed'
                  AND en.completed_on >= date_trunc('year', %(end)s::date)::date AND en.completed_on <= %(end)s
             WHERE e.region_id = %(region)s AND e.status = 'active' GROUP BY e.id) AS jp""",
    # training: seats offered and taken in the year's sessions
    """SELECT count(*), sum(capacity), sum(seats_taken) FROM training_session
       WHERE region_id = %(region)s AND start_date >= date_trunc('year', %(end)s::date)::date
             AND start_date < (date_trunc('year', %(end)s::date) + interval '1 year')::date""",
]
