"""Generators of a national-size dataset, inside PostgreSQL (INSERT ... SELECT generate_series).

Rows are built by the database itself: far faster than building them in Python. Each generator
returns the number of rows it inserted. Used by `manage.py seed_scale` and the benchmark.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

SCALE_REGION = "skala"


@dataclass
class ScaleContext:
    employees: int
    days: int
    end: dt.date
    region_id: int = 0
    unit_count: int = 0
    employee_base: int = 0
    unit_base: int = 0
    position_ids: list[int] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def start(self) -> dt.date:
        return self.end - dt.timedelta(days=self.days - 1)


def execute(sql: str, params: dict | list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def scalar(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def org_generate(ctx: ScaleContext) -> int:
    """One province-size region: units, positions, and employees with valid NIPs and supervisors.

    Employee i works in unit i mod U; rank r = i div U in the unit: r = 0 is the unit head,
    r = 1..4 the section chiefs (reporting to the head), r >= 5 staff (reporting to a chief).
    NIP = birth date, TMT month, sex, sequence: (birth day index, i div 12000) is unique per i.
    """
    from asnportal.org.models import Region

    region, _ = Region.objects.get_or_create(
        code=SCALE_REGION,
        defaults={"name": "Provinsi Skala Nasional", "kind": "provinsi", "timezone": "Asia/Jakarta"},
    )
    ctx.region_id = region.pk
    ctx.unit_count = max(10, ctx.employees // 500)
    rows = 0
    ctx.unit_base = scalar("SELECT coalesce(max(id), 0) + 1 FROM org_unit")
    rows += execute(
        """
        INSERT INTO org_unit (id, region_id, parent_id, code, name, is_active)
        SELECT %(base)s + g, %(region)s, NULL, 'SK' || lpad(g::text, 5, '0'), 'Perangkat Daerah Skala ' || g, true
        FROM generate_series(0, %(n)s - 1) AS g
        """,
        {"base": ctx.unit_base, "region": ctx.region_id, "n": ctx.unit_count},
    )
    execute("SELECT setval(pg_get_serial_sequence('org_unit', 'id'), (SELECT max(id) FROM org_unit))")
    kinds = [
        ("Kepala Perangkat Daerah", "jpt_pratama", ""),
        ("Kepala Bidang", "administrator", ""),
        ("Analis Kebijakan", "fungsional_keahlian", "ahli_muda"),
        ("Perawat", "fungsional_keterampilan", "terampil"),
        ("Pengadministrasi Perkantoran", "pelaksana", ""),
        ("Penata Layanan Operasional", "pelaksana", ""),
    ]
    for name, kind, level in kinds:
        execute(
            """INSERT INTO org_position (region_id, name, kind, level) VALUES (%s, %s, %s, %s)
               ON CONFLICT DO NOTHING""",
            [ctx.region_id, name, kind, level],
        )
    ctx.position_ids = [
        scalar("SELECT id FROM org_position WHERE region_id = %s AND name = %s", [ctx.region_id, name])
        for name, _kind, _level in kinds
    ]
    ctx.employee_base = scalar("SELECT coalesce(max(id), 0) + 1 FROM org_employee")
    rows += execute(
        """
        INSERT INTO org_employee (id, region_id, unit_id, position_id, supervisor_id, user_id, nip, name, kind, rank,
            birth_date, tmt_cpns, sex, is_remote, status, nik, email, phone, address, created_at, updated_at)
        SELECT
            %(base)s + i,
            %(region)s,
            %(unit_base)s + i %% %(units)s,
            CASE WHEN r = 0 THEN %(p0)s WHEN r <= 4 THEN %(p1)s ELSE (ARRAY[%(p2)s, %(p3)s, %(p4)s, %(p5)s])[1 + i %% 4] END,
            CASE WHEN r = 0 THEN NULL
                 WHEN r <= 4 THEN %(base)s + i %% %(units)s
                 ELSE %(base)s + i %% %(units)s + %(units)s * (1 + r %% 4) END,
            NULL,
            to_char(birth, 'YYYYMMDD') || to_char(tmt, 'YYYYMM') || (1 + (i / 12000) %% 2)::text
                || lpad((1 + i / 24000)::text, 3, '0'),
            'Pegawai Skala ' || i,
            CASE WHEN i %% 10 = 9 THEN 'PPPK' ELSE 'PNS' END,
            CASE WHEN i %% 10 = 9 THEN 'IX' ELSE (ARRAY['II/a','II/c','III/a','III/b','III/c','III/d','IV/a'])[1 + i %% 7] END,
            birth, tmt,
            CASE WHEN (i / 12000) %% 2 = 0 THEN 'L' ELSE 'P' END,
            i %% 7 = 0,
            'active', '', '', '', '', now(), now()
        FROM (
            SELECT i, i / %(units)s AS r,
                   DATE '1966-01-01' + (i %% 12000) AS birth,
                   date_trunc('month', DATE '1966-01-01' + (i %% 12000) + INTERVAL '23 years'
                                       + ((i %% 84) || ' months')::interval)::date AS tmt
            FROM generate_series(0, %(n)s - 1) AS i
        ) AS g
        """,
        {
            "base": ctx.employee_base,
            "region": ctx.region_id,
            "unit_base": ctx.unit_base,
            "units": ctx.unit_count,
            "n": ctx.employees,
            **{f"p{k}": pid for k, pid in enumerate(ctx.position_ids)},
        },
    )
    execute("SELECT setval(pg_get_serial_sequence('org_employee', 'id'), (SELECT max(id) FROM org_employee))")
    return rows


# Each domain contributes a generator; they run in this order after the organisation core.
GENERATORS = [("org", org_generate)]

# Deletes of an earlier scale dataset, most dependent tables first (domain generators prepend theirs).
RESETTERS = [
    "DELETE FROM org_employee WHERE region_id = %(region)s",
    "DELETE FROM org_position WHERE region_id = %(region)s",
    "DELETE FROM org_unit WHERE region_id = %(region)s",
]


def region_report_floor(*, region_id: int, start: dt.date) -> None:
    """The raw SQL the region report needs, without the framework: the job's floor."""
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT unit_id, count(*), count(*) FILTER (WHERE kind = 'PNS'), count(*) FILTER (WHERE sex = 'P'),
                      count(*) FILTER (WHERE is_remote) FROM org_employee
               WHERE region_id = %s AND status = 'active' GROUP BY unit_id""",
            [region_id],
        )
        cursor.fetchall()
        for sql in JOB_FLOOR_SQL:
            cursor.execute(sql, {"region": region_id, "start": start, "end": end})
            cursor.fetchall()


# Raw aggregates of the domain sections (each app's part of the floor); extended per domain.
JOB_FLOOR_SQL: list[str] = []
JOB_FLOORS = {"region_report": region_report_floor}
