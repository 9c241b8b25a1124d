"""The organisation core of the scale dataset: one province-size region, its units, positions, employees."""

from .common import SCALE_REGION, ScaleContext, execute, scalar


def org_generate(ctx: ScaleContext) -> int:
    """One province-size region: units, positions, and employees with valid NIPs and supervisors.

    Employee i works in unit i mod U; rank r = i div U in the unit: r = 0 is the unit head,
    r = 1..4 the section chiefs (reporting to the head), r >= 5 staff (reporting to a chief).
    NIP = birth date, TMT month, sex, sequence: (birth day index, i div 12000) is unique per i.
    """
    _region(ctx)
    rows = _units_insert(ctx)
    _positions_insert(ctx)
    return rows + _employees_insert(ctx)


# The positions of the scale region: (name, kind, level); the context keeps their ids in this order.
POSITIONS = [
    ("Kepala Perangkat Daerah", "jpt_pratama", ""),
    ("Kepala Bidang", "administrator", ""),
    ("Analis Kebijakan", "fungsional_keahlian", "ahli_muda"),
    ("Perawat", "fungsional_keterampilan", "terampil"),
    ("Pengadministrasi Perkantoran", "pelaksana", ""),
    ("Penata Layanan Operasional", "pelaksana", ""),
]


# Employee i: unit i mod U, rank r = i div U in it (0 head, 1-4 chiefs, staff), NIP from birth and TMT.
EMPLOYEES_SQL = """
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
    """


def _region(ctx: ScaleContext) -> None:
    from asnportal.org.models import Region

    region, _ = Region.objects.get_or_create(
        code=SCALE_REGION,
        defaults={"name": "Provinsi Skala Nasional", "kind": "provinsi", "timezone": "Asia/Jakarta"},
    )
    ctx.region_id = region.pk
    ctx.unit_count = max(10, ctx.employees // 500)


def _units_insert(ctx: ScaleContext) -> int:
    ctx.unit_base = scalar("SELECT coalesce(max(id), 0) + 1 FROM org_unit")
    rows = execute(
        """
        INSERT INTO org_unit (id, region_id, parent_id, code, name, is_active)
        SELECT %(base)s + g, %(region)s, NULL, 'SK' || lpad(g::text, 5, '0'), 'Perangkat Daerah Skala ' || g, true
        FROM generate_series(0, %(n)s - 1) AS g
        """,
        {"base": ctx.unit_base, "region": ctx.region_id, "n": ctx.unit_count},
    )
    execute("SELECT setval(pg_get_serial_sequence('org_unit', 'id'), (SELECT max(id) FROM org_unit))")
    return rows


def _positions_insert(ctx: ScaleContext) -> None:
    for name, kind, level in POSITIONS:
        execute(
            """INSERT INTO org_position (region_id, name, kind, level) VALUES (%s, %s, %s, %s)
               ON CONFLICT DO NOTHING""",
            [ctx.region_id, name, kind, level],
        )
    ctx.position_ids = [
        scalar("SELECT id FROM org_position WHERE region_id = %s AND name = %s", [ctx.region_id, name])
        for name, _kind, _level in POSITIONS
    ]


def _employees_insert(ctx: ScaleContext) -> int:
    """Employee i in unit i mod U, rank r = i div U (see org_generate)."""
    ctx.employee_base = scalar("SELECT coalesce(max(id), 0) + 1 FROM org_employee")
    rows = execute(
        EMPLOYEES_SQL,
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


# Deletes of an earlier scale dataset, most dependent tables first.
RESET_SQL = [
    "DELETE FROM org_employee WHERE region_id = %(region)s",
    "DELETE FROM org_position WHERE region_id = %(region)s",
    "DELETE FROM org_unit WHERE region_id = %(region)s",
]
