"""Performance of the scale dataset: periods, SKP plans, daily logs, appraisals."""

import datetime as dt

from performance.partitions import month_add, month_start, partition_create

from .common import (
    ScaleContext,
    bulk_insert_without_indexes,
    execute,
    next_id,
    scalar,
    sync_sequence,
    working_days,
)


def performance_generate(ctx: ScaleContext) -> int:
    """Periods of the year, one agreed SKP per employee (one work result cascaded from the supervisor's,
    two KPIs weighted 60/40), a log for every employee on every working day of the window (approved by
    the supervisor, the last week's mostly still waiting, about 1% returned with a message), and the
    appraisals of the latest closed period."""
    periods = _periods_insert(ctx)
    year = ctx.end.year
    agreed = dt.datetime(year, 1, 15, 2, tzinfo=dt.UTC)
    p = {"n": ctx.employees, "emp": ctx.employee_base, "plan": next_id("performance_plan"),
         "res": next_id("performance_workresult"), "ind": next_id("performance_indicator"),
         "year": year, "agreed": agreed, "created": agreed - dt.timedelta(days=5)}  # fmt: skip
    rows = len(periods) + _plans_insert(p) + _logs_insert(ctx, p)
    closed = [(pk, end, q) for pk, end, is_closed, q in periods.values() if is_closed]
    if closed:
        rows += _appraisals_insert(p, *closed[-1])
    for table in ("performance_plan", "performance_workresult", "performance_indicator", "performance_activitylog",
                  "performance_appraisal", "performance_period", "performance_feedbackmessage"):  # fmt: skip
        sync_sequence(table)
    return rows


QUARTERS = [("tw1", 1, 3), ("tw2", 4, 6), ("tw3", 7, 9), ("tw4", 10, 12)]


def _periods_insert(ctx: ScaleContext) -> dict[str, tuple[int, dt.date, bool, int]]:
    """The four quarters of the year, those ended before the dataset's last day closed:
    kind -> (id, end, closed, quarter)."""
    year = ctx.end.year
    period_ids = {}
    for kind, first, last in QUARTERS:
        start = dt.date(year, first, 1)
        end = (dt.date(year, last, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        closed = end < ctx.end
        period_ids[kind] = (
            scalar(
                """INSERT INTO performance_period (region_id, year, kind, start, "end", status, above_from,
                       meets_from, org_rating, opened_by_id, closed_at)
                   VALUES (%s, %s, %s, %s, %s, %s, 1.10, 0.90, 'baik', NULL, %s) RETURNING id""",
                [
                    ctx.region_id,
                    year,
                    kind,
                    start,
                    end,
                    "closed" if closed else "open",
                    dt.datetime.combine(end + dt.timedelta(days=5), dt.time(9), tzinfo=dt.UTC)
                    if closed
                    else None,
                ],
            ),  # fmt: skip
            end,
            closed,
            int(kind[2]),
        )
    return period_ids


def _plans_insert(p: dict) -> int:
    """An agreed plan per employee, one work result cascaded from the supervisor's, two KPIs (60/40)."""
    rows = execute(
        """INSERT INTO performance_plan (id, employee_id, year, status, version, agreed_at, agreed_by_id,
               return_note, change_reason, created_at)
           SELECT %(plan)s + e.id - %(emp)s, e.id, %(year)s, 'agreed', 1, %(agreed)s, e.supervisor_id, '', '',
                  %(created)s
           FROM org_employee e WHERE e.id >= %(emp)s AND e.id < %(emp)s + %(n)s""",
        p,
    )
    rows += execute(
        """INSERT INTO performance_workresult (id, plan_id, text, parent_id, created_at)
           SELECT %(res)s + e.id - %(emp)s, %(plan)s + e.id - %(emp)s,
                  CASE WHEN e.supervisor_id IS NULL THEN 'Meningkatnya kualitas layanan perangkat daerah'
                       ELSE 'Terlaksananya dukungan layanan unit kerja' END,
                  %(res)s + e.supervisor_id - %(emp)s, %(created)s
           FROM org_employee e WHERE e.id >= %(emp)s AND e.id < %(emp)s + %(n)s""",
        p,
    )
    rows += execute(
        """INSERT INTO performance_indicator (id, result_id, text, target, unit, weight, source, agreed_at, removed)
           SELECT %(ind)s + 2 * i + j, %(res)s + i,
                  CASE WHEN j = 0 THEN 'Jumlah dokumen layanan yang diselesaikan' ELSE 'Jumlah kegiatan koordinasi' END,
                  CASE WHEN j = 0 THEN 200 ELSE 100 END, CASE WHEN j = 0 THEN 'dokumen' ELSE 'kegiatan' END,
                  CASE WHEN j = 0 THEN 60 ELSE 40 END, 'logs', %(agreed)s, false
           FROM generate_series(0, %(n)s - 1) AS i CROSS JOIN generate_series(0, 1) AS j""",
        p,
    )
    return rows


def _log_days(ctx: ScaleContext) -> dict:
    """The working days of the window in this year, with each day's created and reviewed timestamps."""
    days = working_days(max(ctx.start, dt.date(ctx.end.year, 1, 1)), ctx.end)
    return {
        "w": len(days),
        "days": days,
        "recent": ctx.end - dt.timedelta(days=6),
        "created": [dt.datetime.combine(d, dt.time(9), tzinfo=dt.UTC) for d in days],
        "reviewed": [dt.datetime.combine(d + dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC) for d in days],
    }


def _logs_insert(ctx: ScaleContext, p: dict) -> int:
    """A log per employee per working day (see performance_generate) and a message on each returned one;
    on PostgreSQL each month of the window gets its partition first (not the default partition)."""
    month = month_start(ctx.start)
    while month <= ctx.end:
        partition_create("performance_activitylog", month)
        month = month_add(month, 1)
    log_base = next_id("performance_activitylog")
    rows = bulk_insert_without_indexes(
        "performance_activitylog",
        """
        INSERT INTO performance_activitylog (id, employee_id, indicator_id, date, quantity, duration_minutes,
            description, evidence_id, status, reviewed_by_id, reviewed_at, created_at)
        SELECT %(log)s + i * %(w)s + d.w - 1, e.id, %(ind)s + 2 * i + (d.w %% 2)::int, d.day,
            1 + (i + d.w) %% 3, 60 + ((i * 7 + d.w) %% 6) * 30,
            CASE WHEN d.w %% 2 = 0 THEN 'Menyelesaikan dokumen layanan' ELSE 'Mengikuti rapat koordinasi' END,
            NULL, st.status,
            CASE WHEN st.status <> 'submitted' THEN e.supervisor_id END,
            CASE WHEN st.status <> 'submitted' THEN d.reviewed END,
            d.created
        FROM generate_series(0, %(n)s - 1) AS i
        JOIN org_employee e ON e.id = %(emp)s + i
        -- the day's timestamps come with the day (64 computations, not one per log)
        CROSS JOIN unnest(%(days)s::date[], %(created)s::timestamptz[], %(reviewed)s::timestamptz[])
            WITH ORDINALITY AS d(day, created, reviewed, w)
        CROSS JOIN LATERAL (SELECT CASE
            WHEN e.supervisor_id IS NOT NULL AND d.day >= %(recent)s AND (i + d.w) %% 4 <> 0 THEN 'submitted'
            WHEN e.supervisor_id IS NOT NULL AND (i * 13 + d.w) %% 97 = 0 THEN 'returned'
            ELSE 'approved' END AS status) AS st
        """,
        {**p, **_log_days(ctx), "log": log_base},
    )
    rows += execute(
        """INSERT INTO performance_feedbackmessage (log_id, author_id, body, created_at)
           SELECT l.id, l.reviewed_by_id, 'Mohon lengkapi uraian dan bukti dukung kegiatan.', l.reviewed_at
           FROM performance_activitylog l WHERE l.id >= %(log)s AND l.status = 'returned'""",
        {"log": log_base},
    )
    return rows


def _appraisals_insert(p: dict, period_id: int, end: dt.date, quarter: int) -> int:
    """The appraisals of a closed period: achievement 0.75-1.29, one in five above on behaviour."""
    return execute(
        """
        INSERT INTO performance_appraisal (employee_id, period_id, unit_id, version, is_current, achievement,
            work_rating, behaviour, behaviour_rating, predikat, computation, reason, rated_by_id, created_at)
        SELECT e.id, %(period)s, e.unit_id, 1, true, a.ach, a.work, b.behaviour, b.rating,
            CASE WHEN a.work = 'di_bawah' THEN 'butuh_perbaikan'
                 WHEN a.work = 'di_atas' AND b.rating = 'di_atas' THEN 'sangat_baik' ELSE 'baik' END,
            jsonb_build_object('rows', '[]'::jsonb, 'achievement', a.ach::text, 'above_from', '1.10',
                'meets_from', '0.90', 'quarter', %(quarter)s, 'work_rating', a.work, 'plan_version', 1,
                'note', 'seed_scale'),
            '', e.supervisor_id, %(at)s
        FROM org_employee e
        CROSS JOIN LATERAL (SELECT round(0.75 + ((e.id * 37) %% 55) / 100.0, 4) AS ach) AS r
        CROSS JOIN LATERAL (SELECT r.ach, CASE WHEN r.ach >= 1.10 THEN 'di_atas' WHEN r.ach >= 0.90 THEN 'sesuai'
                                         ELSE 'di_bawah' END AS work) AS a
        CROSS JOIN LATERAL (SELECT CASE WHEN e.id %% 5 = 0 THEN 'di_atas' ELSE 'sesuai' END AS rating) AS v
        CROSS JOIN LATERAL (SELECT v.rating, jsonb_object_agg(code, v.rating) AS behaviour
                            FROM unnest(ARRAY['berorientasi_pelayanan', 'akuntabel', 'kompeten', 'harmonis',
                                              'loyal', 'adaptif', 'kolaboratif']) AS code) AS b
        WHERE e.id >= %(emp)s AND e.id < %(emp)s + %(n)s
        """,
        {**p, "period": period_id, "quarter": quarter,
         "at": dt.datetime.combine(end + dt.timedelta(days=3), dt.time(3), tzinfo=dt.UTC)},
    )  # fmt: skip


# Deletes of an earlier scale dataset, most dependent tables first.
RESET_SQL = [
    """DELETE FROM performance_feedbackmessage WHERE log_id IN (SELECT l.id FROM performance_activitylog l
       JOIN org_employee e ON e.id = l.employee_id WHERE e.region_id = %(region)s)""",
    """DELETE FROM performance_activitylog WHERE employee_id IN (SELECT id FROM org_employee
       WHERE region_id = %(region)s)""",
    "DELETE FROM performance_appraisal WHERE period_id IN (SELECT id FROM performance_period WHERE region_id = %(region)s)",
    """DELETE FROM performance_indicator WHERE result_id IN (SELECT r.id FROM performance_workresult r
       JOIN performance_plan p ON p.id = r.plan_id JOIN org_employee e ON e.id = p.employee_id
       WHERE e.region_id = %(region)s)""",
    """DELETE FROM performance_workresult WHERE plan_id IN (SELECT p.id FROM performance_plan p
       JOIN org_employee e ON e.id = p.employee_id WHERE e.region_id = %(region)s)""",
    "DELETE FROM performance_plan WHERE employee_id IN (SELECT id FROM org_employee WHERE region_id = %(region)s)",
    "DELETE FROM performance_period WHERE region_id = %(region)s",
]

# Raw aggregates of this section of the region report (see floors.py).
FLOOR_SQL = [
    # performance: staff logging in the period, reviewed logs and approval latency
    """SELECT count(DISTINCT l.employee_id), count(*) FILTER (WHERE l.reviewed_at IS NOT NULL),
              avg(l.reviewed_at - l.created_at) FILTER (WHERE l.reviewed_at IS NOT NULL)
       FROM performance_activitylog l JOIN org_employee e ON e.id = l.employee_id
       WHERE e.region_id = %(region)s AND l.date BETWEEN %(start)s AND %(end)s""",
    # performance: predikat per unit of the periods ending in the window
    """SELECT a.unit_id, a.predikat, count(*) FROM performance_appraisal a
       JOIN performance_period p ON p.id = a.period_id
       WHERE p.region_id = %(region)s AND p."end" BETWEEN %(start)s AND %(end)s AND a.is_current
       GROUP BY a.unit_id, a.predikat""",
]
