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


def next_id(table: str) -> int:
    return scalar(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608  # nosec B608 - fixed table names


def sync_sequence(table: str) -> None:
    execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"  # noqa: S608  # nosec B608
    )


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Monday to Friday between start and end (national holidays are not modelled)."""
    days = (end - start).days + 1
    return [d for d in (start + dt.timedelta(days=k) for k in range(days)) if d.weekday() < 5]


def bulk_insert_without_indexes(table: str, sql: str, params: dict) -> int:
    """A large INSERT ... SELECT: drop the table's indexes, insert, rebuild them.

    Building an index once over the finished table is several times faster than maintaining it row
    by row. The primary key goes too (rows arrive in date order, not id order, and keeping it cost
    8 s of the 14 s log insert), with the foreign keys of other tables that point at it; every unique
    index, constraint and foreign key is put back afterwards and validated then, so a duplicate or a
    dangling reference still fails the step (and rolls it back)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
               WHERE c.contype = 'f' AND c.confrelid = %s::regclass""",
            [table],
        )
        referencing = cursor.fetchall()
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname,
                      pg_get_constraintdef(c.oid)
               FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
               WHERE i.indrelid = %s::regclass
               ORDER BY i.indisprimary DESC""",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        for other, constraint, _definition in referencing:
            cursor.execute(f"ALTER TABLE {other} DROP CONSTRAINT {constraint}")
        for name, _definition, constraint, _condef in indexes:
            if constraint:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
            else:
                cursor.execute(f"DROP INDEX {name}")
        cursor.execute(sql, params)
        rows = max(cursor.rowcount, 0)
        for _name, definition, constraint, condef in indexes:
            if constraint:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {condef}")
            else:
                cursor.execute(definition)
        for other, constraint, definition in referencing:
            cursor.execute(f"ALTER TABLE {other} ADD CONSTRAINT {constraint} {definition}")
    return rows


# --- training ---------------------------------------------------------------------------------------

TRAINING_SEATS = 30
TRAINING_PROGRAMMES = 20


def training_generate(ctx: ScaleContext) -> int:
    """Programmes, sessions across the year and two enrollments per employee.

    Sessions start from 5 January to 28 December, so some are always still ahead in the catalog.
    Enrollment k (0 <= k < 2N) is employee k mod N in session k div 30: an employee's two enrollments
    fall in different sessions and no session holds more than its 30 seats. Sessions that ended before
    the dataset's last day are completed (JP granted, unique certificate codes); later ones admitted.
    """
    n, year = ctx.employees, ctx.end.year
    prog_base, sess_base = next_id("training_programme"), next_id("training_session")
    sessions = -(-2 * n // TRAINING_SEATS)
    rows = execute(
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
        {"base": prog_base, "region": ctx.region_id, "n": TRAINING_PROGRAMMES},
    )
    rows += execute(
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
            "base": sess_base, "prog": prog_base, "programmes": TRAINING_PROGRAMMES, "region": ctx.region_id,
            "seats": TRAINING_SEATS, "end": ctx.end, "year_start": dt.date(year, 1, 5), "sessions": sessions,
        },
    )  # fmt: skip
    enr_base = next_id("training_enrollment")
    rows += execute(
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
        {"base": enr_base, "emp": ctx.employee_base, "n": n, "seats": TRAINING_SEATS, "sess": sess_base,
         "end": ctx.end},
    )  # fmt: skip
    execute(
        """UPDATE training_session s SET seats_taken = c.taken
           FROM (SELECT session_id, count(*) AS taken FROM training_enrollment
                 WHERE session_id >= %(sess)s AND status IN ('admitted', 'completed') GROUP BY session_id) AS c
           WHERE s.id = c.session_id""",
        {"sess": sess_base},
    )
    for table in ("training_programme", "training_session", "training_enrollment"):
        sync_sequence(table)
    return rows


# --- feedback ---------------------------------------------------------------------------------------

SKM_ELEMENTS = [
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
]


def feedback_generate(ctx: ScaleContext) -> int:
    """Two service units per OPD with two services each, populations per quarter, two survey responses
    per employee over the window (9 answers 1-4 keyed by element code) and some citizen input."""
    from feedback.rules import ELEMENT_CODES

    assert list(ELEMENT_CODES) == SKM_ELEMENTS, "feedback.rules.ELEMENTS changed: update the generator"  # noqa: S101
    su_count, year = 2 * ctx.unit_count, ctx.end.year
    su_base, svc_base = next_id("feedback_serviceunit"), next_id("feedback_service")
    rows = execute(
        """
        INSERT INTO feedback_serviceunit (id, region_id, unit_id, name, slug, address, is_active)
        SELECT %(base)s + g, %(region)s, %(unit)s + g / 2,
            (ARRAY['Loket Pelayanan', 'Puskesmas'])[1 + g %% 2] || ' Skala ' || (g + 1),
            'skala-' || (g + 1), 'Jl. Pelayanan No. ' || (g + 1), true
        FROM generate_series(0, %(n)s - 1) AS g
        """,
        {"base": su_base, "region": ctx.region_id, "unit": ctx.unit_base, "n": su_count},
    )
    rows += execute(
        """
        INSERT INTO feedback_service (id, service_unit_id, name, is_active)
        SELECT %(base)s + g, %(su)s + g / 2, (ARRAY['Pelayanan Administrasi', 'Pelayanan Informasi'])[1 + g %% 2], true
        FROM generate_series(0, 2 * %(n)s - 1) AS g
        """,
        {"base": svc_base, "su": su_base, "n": su_count},
    )
    rows += execute(
        """
        INSERT INTO feedback_servicepopulation (service_unit_id, year, quarter, users)
        SELECT %(su)s + g, %(year)s, q, 1500 + (g * 37 + q * 101) %% 3000
        FROM generate_series(0, %(n)s - 1) AS g CROSS JOIN generate_series(1, 4) AS q
        """,
        {"su": su_base, "n": su_count, "year": year},
    )
    responses = 2 * ctx.employees
    resp_base = next_id("feedback_surveyresponse")
    params = {"base": resp_base, "su": su_base, "svc": svc_base, "units": su_count, "n": responses,
              "start": ctx.start, "days": ctx.days}  # fmt: skip
    rows += bulk_insert_without_indexes(
        "feedback_surveyresponse",
        """
        INSERT INTO feedback_surveyresponse (id, service_unit_id, service_id, submitted_on, sex, age_band, education,
            occupation, comment)
        SELECT %(base)s + r, %(su)s + r %% %(units)s, %(svc)s + 2 * (r %% %(units)s) + (r / %(units)s) %% 2,
            %(start)s::date + r %% %(days)s,
            (ARRAY['L', 'P', ''])[1 + r %% 3],
            (ARRAY['20-29', '30-39', '40-49', '50-59', '60+', '<20'])[1 + r %% 6],
            (ARRAY['sma', 's1', 'd3', 'smp', 's2', 'sd'])[1 + r %% 6],
            (ARRAY['swasta', 'wirausaha', 'pns', 'petani', 'pelajar', 'irt', 'lainnya'])[1 + r %% 7],
            CASE WHEN r %% 20 = 0 THEN 'Pelayanan cepat, terima kasih.' ELSE '' END
        FROM generate_series(0, %(n)s - 1) AS r
        """,
        params,
    )
    rows += bulk_insert_without_indexes(
        "feedback_surveyanswer",
        """
        INSERT INTO feedback_surveyanswer (response_id, element, value)
        SELECT %(base)s + r, e.code,
            CASE WHEN h < 5 THEN 3 WHEN h < 8 THEN 4 WHEN h < 9 THEN 2 ELSE 1 END
        FROM generate_series(0, %(n)s - 1) AS r
        CROSS JOIN unnest(%(elements)s::text[]) WITH ORDINALITY AS e(code, pos)
        CROSS JOIN LATERAL (SELECT (r * 31 + e.pos * 17 + r / 7) %% 10 AS h) AS x
        """,
        {**params, "elements": SKM_ELEMENTS},
    )
    rows += execute(
        """
        INSERT INTO feedback_citizeninput (service_unit_id, kind, rating, body, tracking_code, status, created_at,
            answer, answered_at, hidden_reason, moderated_by_id)
        SELECT %(su)s + g %% %(units)s, kind, CASE WHEN kind = 'rating' THEN 1 + g %% 5 END,
            CASE kind WHEN 'complaint' THEN 'Antrean terlalu lama pada hari Senin.'
                      WHEN 'suggestion' THEN 'Mohon tambahkan kursi di ruang tunggu.'
                      ELSE 'Petugas ramah dan membantu.' END,
            'SKL' || lpad(g::text, 10, '0'), status, at,
            CASE WHEN status = 'answered' THEN 'Terima kasih, masukan sudah kami tindak lanjuti.' ELSE '' END,
            CASE WHEN status = 'answered' THEN at + interval '2 days' END,
            CASE WHEN status = 'hidden' THEN 'Berisi data pribadi.' ELSE '' END, NULL
        FROM (SELECT g, (ARRAY['complaint', 'suggestion', 'rating'])[1 + g %% 3] AS kind,
                     (ARRAY['answered', 'published', 'pending', 'answered', 'hidden'])[1 + g %% 5] AS status,
                     (%(start)s::date + g %% %(days)s)::timestamptz + interval '10 hours' AS at
              FROM generate_series(0, %(n)s / 50 - 1) AS g) AS x
        """,
        params,
    )
    for table in (
        "feedback_serviceunit",
        "feedback_service",
        "feedback_surveyresponse",
        "feedback_citizeninput",
    ):
        sync_sequence(table)
    return rows


# --- recruitment ------------------------------------------------------------------------------------


def recruitment_generate(ctx: ScaleContext) -> int:
    """One selection with formations, N/5 applicants (user, profile, application with a unique participant
    number and a valid NIK), screening decisions, SKD scores, statuses from the selection's own ranking,
    and the hash chain of all of it computed exactly as recruitment.ledger does (verify_ledger: intact)."""
    from asnportal.accounts.models import User
    from recruitment.ledger import GENESIS, chain_hash, entry_body
    from recruitment.models import Selection
    from recruitment.services import skd_results_apply

    year = ctx.end.year
    hr, _ = User.objects.get_or_create(username="skala.bkpsdm", defaults={"first_name": "BKPSDM Skala"})
    selection = Selection(
        region_id=ctx.region_id, year=year, name=f"Seleksi CASN Skala {year}",
        requirements="Sesuai pengumuman.", is_published=True,
        registration_opens=dt.date(year, 3, 1), registration_closes=dt.date(year, 3, 31),
    )  # fmt: skip
    selection.full_clean()
    selection.save()
    applicants, formations = max(20, ctx.employees // 5), max(5, min(50, ctx.unit_count))
    form_base, user_base = next_id("recruitment_formation"), next_id("accounts_user")
    app_base = next_id("recruitment_application")
    p = {
        "sel": selection.pk, "region": ctx.region_id, "year": year, "forms": formations, "form": form_base,
        "unit": ctx.unit_base, "pos": ctx.position_ids[4], "pos2": ctx.position_ids[2], "users": user_base,
        "n": applicants, "app": app_base, "hr": hr.pk, "at": dt.datetime(year, 3, 15, 9, tzinfo=dt.UTC),
        "prefix": f"{year}{ctx.region_id:02d}{selection.pk:04d}",
    }  # fmt: skip
    rows = 1 + execute(
        """INSERT INTO recruitment_formation (id, selection_id, position_id, unit_id, education, quota)
           SELECT %(form)s + f, %(sel)s, CASE WHEN f %% 2 = 0 THEN %(pos)s ELSE %(pos2)s END, %(unit)s + f,
                  (ARRAY['S1 Administrasi Publik', 'S1 Keperawatan', 'D3 Akuntansi'])[1 + f %% 3], 2 + f %% 4
           FROM generate_series(0, %(forms)s - 1) AS f""",
        p,
    )
    rows += execute(
        """INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, is_staff,
               is_active, date_joined, email)
           SELECT %(users)s + a, '!', false, 'skala.pelamar.' || lpad(a::text, 6, '0'), 'Pelamar', 'Skala ' || a,
                  false, true, %(at)s, 'pelamar' || a || '@skala.invalid'
           FROM generate_series(0, %(n)s - 1) AS a""",
        p,
    )
    rows += execute(
        """INSERT INTO accounts_roleassignment (user_id, role, region_id, valid_from, valid_until, created_at)
           SELECT %(users)s + a, 'applicant', NULL, NULL, NULL, %(at)s FROM generate_series(0, %(n)s - 1) AS a""",
        p,
    )
    # NIK: region 177101, DDMMYY of the birth date (day + 40 for women), sequence 0001.. (unique per a).
    people = """
        SELECT a, 'Pelamar Skala ' || a AS name, birth,
               '177101' || lpad((extract(day FROM birth)::int + CASE WHEN a %% 2 = 1 THEN 40 ELSE 0 END)::text, 2, '0')
               || to_char(birth, 'MMYY') || lpad((1 + a / 3000)::text, 4, '0') AS nik
        FROM (SELECT a, DATE '1994-01-01' + a %% 3000 AS birth FROM generate_series(0, %(n)s - 1) AS a) AS x
    """
    rows += execute(
        f"""INSERT INTO recruitment_applicantprofile (user_id, full_name, nik, birth_date, address, phone, education)
            SELECT %(users)s + a, name, nik, birth, 'Jl. Skala No. ' || a, '0812' || lpad(a::text, 8, '0'),
                   'S1 Administrasi Publik' FROM ({people}) AS p""",  # noqa: S608  # nosec B608 - fixed SQL
        p,
    )
    rows += execute(
        f"""INSERT INTO recruitment_application (id, selection_id, formation_id, user_id, participant_number,
                full_name, nik, birth_date, status, created_at)
            SELECT %(app)s + a, %(sel)s, %(form)s + a %% %(forms)s, %(users)s + a,
                   %(prefix)s || lpad((a + 1)::text, 6, '0'), name, nik, birth,
                   CASE WHEN a %% 10 = 9 THEN 'admin_no' ELSE 'admin_ok' END, %(at)s
            FROM ({people}) AS p""",  # noqa: S608  # nosec B608 - fixed SQL
        p,
    )
    screen_base = next_id("recruitment_screeningdecision")
    rows += execute(
        """INSERT INTO recruitment_screeningdecision (id, application_id, met, reason, decided_by_id, created_at)
           SELECT %(screen)s + a, %(app)s + a, a %% 10 <> 9,
                  CASE WHEN a %% 10 = 9 THEN 'Ijazah tidak sesuai formasi.' ELSE 'Memenuhi syarat.' END,
                  %(hr)s, %(at)s
           FROM generate_series(0, %(n)s - 1) AS a""",
        {**p, "screen": screen_base},
    )
    skd_base = next_id("recruitment_skdscore")
    rows += execute(
        """INSERT INTO recruitment_skdscore (id, application_id, twk, tiu, tkp, reason, created_by_id, created_at)
           SELECT %(skd)s + a, %(app)s + a, 50 + (a * 37) %% 101, 60 + (a * 53) %% 116, 140 + (a * 29) %% 86,
                  '', %(hr)s, %(at)s
           FROM generate_series(0, %(n)s - 1) AS a WHERE a %% 10 <> 9""",
        {**p, "skd": skd_base},
    )
    # The app's own ranking query runs next: give the planner statistics of the rows just inserted
    # (on a new database it otherwise guesses nested loops over 10,000 applications: 12 s, not 0.2 s).
    execute(
        "ANALYZE recruitment_application, recruitment_skdscore, recruitment_screeningdecision, recruitment_formation"
    )
    skd_results_apply(selection=selection)
    for table in ("recruitment_formation", "accounts_user", "recruitment_application",
                  "recruitment_screeningdecision", "recruitment_skdscore"):  # fmt: skip
        sync_sequence(table)
    rows += _ledger_chain(selection, hr, p, chain_hash=chain_hash, entry_body=entry_body, genesis=GENESIS)
    return rows


def _ledger_chain(selection, hr, p: dict, *, chain_hash, entry_body, genesis: str) -> int:
    """The selection's chain: one entry per application, screening and SKD score, in that order, hashed
    exactly as recruitment.ledger.ledger_append does, and written with COPY."""
    import io
    import json

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT a.id, a.user_id, u.username, a.participant_number, a.formation_id FROM recruitment_application a
               JOIN accounts_user u ON u.id = a.user_id WHERE a.selection_id = %s ORDER BY a.id""",
            [selection.pk],
        )
        applications = cursor.fetchall()
        cursor.execute(
            """SELECT d.id, a.participant_number, d.met, d.reason FROM recruitment_screeningdecision d
               JOIN recruitment_application a ON a.id = d.application_id WHERE a.selection_id = %s ORDER BY d.id""",
            [selection.pk],
        )
        screenings = cursor.fetchall()
        cursor.execute(
            """SELECT s.id, a.participant_number, s.twk, s.tiu, s.tkp FROM recruitment_skdscore s
               JOIN recruitment_application a ON a.id = s.application_id WHERE a.selection_id = %s ORDER BY s.id""",
            [selection.pk],
        )
        scores = cursor.fetchall()
    at = p["at"]
    entries = [("application", pk, user, {"participant_number": num, "formation": form})
               for pk, _uid, user, num, form in applications]  # fmt: skip
    entries += [("screening", pk, hr.username, {"participant_number": num, "met": met, "reason": reason})
                for pk, num, met, reason in screenings]  # fmt: skip
    entries += [("skd_score", pk, hr.username, {"participant_number": num, "twk": twk, "tiu": tiu, "tkp": tkp})
                for pk, num, twk, tiu, tkp in scores]  # fmt: skip
    buffer, prev = io.StringIO(), genesis
    for seq, (kind, object_id, actor, payload) in enumerate(entries, start=1):
        moment = at + dt.timedelta(seconds=seq)
        body = entry_body(selection_id=selection.pk, seq=seq, kind=kind, object_id=object_id, actor=actor,
                          at=moment, payload=payload)  # fmt: skip
        digest = chain_hash(prev, body)
        payload_json = json.dumps(payload, ensure_ascii=False).replace("\\", "\\\\")
        buffer.write(
            f"{selection.pk}\t{seq}\t{kind}\t{object_id}\t{actor}\t{moment.isoformat()}\t{payload_json}\t{prev}\t{digest}\n"
        )
        prev = digest
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY recruitment_ledgerentry (selection_id, seq, kind, object_id, actor, at, payload, prev_hash, hash)"
            " FROM STDIN",
            buffer,
        )
        cursor.execute(
            "INSERT INTO recruitment_ledgerhead (selection_id, seq, hash) VALUES (%s, %s, %s)",
            [selection.pk, len(entries), prev],
        )
    return len(entries) + 1


# --- performance ------------------------------------------------------------------------------------


def performance_generate(ctx: ScaleContext) -> int:
    """Periods of the year, one agreed SKP per employee (one work result cascaded from the supervisor's,
    two KPIs weighted 60/40), a log for every employee on every working day of the window (approved by
    the supervisor, the last week's mostly still waiting, about 1% returned with a message), and the
    appraisals of the latest closed period."""
    n, year = ctx.employees, ctx.end.year
    quarters = [("tw1", 1, 3), ("tw2", 4, 6), ("tw3", 7, 9), ("tw4", 10, 12)]
    rows = 0
    period_ids = {}
    for kind, first, last in quarters:
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
        rows += 1
    plan_base, result_base = next_id("performance_plan"), next_id("performance_workresult")
    ind_base = next_id("performance_indicator")
    agreed = dt.datetime(year, 1, 15, 2, tzinfo=dt.UTC)
    p = {"n": n, "emp": ctx.employee_base, "plan": plan_base, "res": result_base, "ind": ind_base,
         "year": year, "agreed": agreed, "created": agreed - dt.timedelta(days=5)}  # fmt: skip
    rows += execute(
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
    days = working_days(max(ctx.start, dt.date(year, 1, 1)), ctx.end)
    recent = ctx.end - dt.timedelta(days=6)
    log_base = next_id("performance_activitylog")
    rows += bulk_insert_without_indexes(
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
        {
            **p,
            "log": log_base,
            "w": len(days),
            "days": days,
            "recent": recent,
            "created": [dt.datetime.combine(d, dt.time(9), tzinfo=dt.UTC) for d in days],
            "reviewed": [
                dt.datetime.combine(d + dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC) for d in days
            ],
        },
    )
    rows += execute(
        """INSERT INTO performance_feedbackmessage (log_id, author_id, body, created_at)
           SELECT l.id, l.reviewed_by_id, 'Mohon lengkapi uraian dan bukti dukung kegiatan.', l.reviewed_at
           FROM performance_activitylog l WHERE l.id >= %(log)s AND l.status = 'returned'""",
        {"log": log_base},
    )
    closed = [(pk, end, q) for pk, end, is_closed, q in period_ids.values() if is_closed]
    if closed:
        period_id, end, quarter = closed[-1]
        rows += execute(
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
    for table in ("performance_plan", "performance_workresult", "performance_indicator", "performance_activitylog",
                  "performance_appraisal", "performance_period", "performance_feedbackmessage"):  # fmt: skip
        sync_sequence(table)
    return rows


# Each domain contributes a generator; they run in this order after the organisation core.
GENERATORS = [
    ("org", org_generate),
    ("training", training_generate),
    ("feedback", feedback_generate),
    ("recruitment", recruitment_generate),
    ("performance", performance_generate),
]

# Deletes of an earlier scale dataset, most dependent tables first (domain generators prepend theirs).
RESETTERS = [
    # performance
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
    # recruitment (append-only tables: their protecting triggers are skipped in replica mode)
    "DELETE FROM recruitment_ledgerentry WHERE selection_id IN (SELECT id FROM recruitment_selection WHERE region_id = %(region)s)",
    "DELETE FROM recruitment_ledgerhead WHERE selection_id IN (SELECT id FROM recruitment_selection WHERE region_id = %(region)s)",
    """DELETE FROM recruitment_skdscore WHERE application_id IN (SELECT a.id FROM recruitment_application a
       JOIN recruitment_selection s ON s.id = a.selection_id WHERE s.region_id = %(region)s)""",
    """DELETE FROM recruitment_screeningdecision WHERE application_id IN (SELECT a.id FROM recruitment_application a
       JOIN recruitment_selection s ON s.id = a.selection_id WHERE s.region_id = %(region)s)""",
    """DELETE FROM recruitment_application WHERE selection_id IN (SELECT id FROM recruitment_selection
       WHERE region_id = %(region)s)""",
    "DELETE FROM recruitment_formation WHERE selection_id IN (SELECT id FROM recruitment_selection WHERE region_id = %(region)s)",
    "DELETE FROM recruitment_selection WHERE region_id = %(region)s",
    """DELETE FROM recruitment_applicantprofile WHERE user_id IN (SELECT id FROM accounts_user
       WHERE username LIKE 'skala.pelamar.%%')""",
    """DELETE FROM accounts_roleassignment WHERE user_id IN (SELECT id FROM accounts_user
       WHERE username LIKE 'skala.pelamar.%%')""",
    "DELETE FROM accounts_user WHERE username LIKE 'skala.pelamar.%%'",
    # feedback
    """DELETE FROM feedback_surveyanswer WHERE response_id IN (SELECT r.id FROM feedback_surveyresponse r
       JOIN feedback_serviceunit s ON s.id = r.service_unit_id WHERE s.region_id = %(region)s)""",
    """DELETE FROM feedback_surveyresponse WHERE service_unit_id IN (SELECT id FROM feedback_serviceunit
       WHERE region_id = %(region)s)""",
    """DELETE FROM feedback_citizeninput WHERE service_unit_id IN (SELECT id FROM feedback_serviceunit
       WHERE region_id = %(region)s)""",
    """DELETE FROM feedback_servicepopulation WHERE service_unit_id IN (SELECT id FROM feedback_serviceunit
       WHERE region_id = %(region)s)""",
    """DELETE FROM feedback_service WHERE service_unit_id IN (SELECT id FROM feedback_serviceunit
       WHERE region_id = %(region)s)""",
    "DELETE FROM feedback_serviceunit WHERE region_id = %(region)s",
    # training
    """DELETE FROM training_enrollment WHERE session_id IN (SELECT id FROM training_session
       WHERE region_id = %(region)s)""",
    "DELETE FROM training_session WHERE region_id = %(region)s",
    "DELETE FROM training_programme WHERE region_id = %(region)s",
    # org
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


# Raw aggregates of the domain sections (each app's part of the floor): what each section needs,
# written by hand in one statement each, with the parameters region, start and end.
JOB_FLOOR_SQL: list[str] = [
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
    # feedback: IKM sums per service unit and element in the window
    """SELECT r.service_unit_id, a.element, sum(a.value), count(*) FROM feedback_surveyanswer a
       JOIN feedback_surveyresponse r ON r.id = a.response_id
       JOIN feedback_serviceunit s ON s.id = r.service_unit_id
       WHERE s.region_id = %(region)s AND r.submitted_on BETWEEN %(start)s AND %(end)s
       GROUP BY r.service_unit_id, a.element""",
    # feedback: citizen input by status
    """SELECT i.status, count(*) FROM feedback_citizeninput i JOIN feedback_serviceunit s ON s.id = i.service_unit_id
       WHERE s.region_id = %(region)s AND i.created_at >= %(start)s AND i.created_at < %(end)s::date + 1
       GROUP BY i.status""",
    # recruitment: applications per status in the year's selections
    """SELECT a.status, count(*) FROM recruitment_application a JOIN recruitment_selection s ON s.id = a.selection_id
       WHERE s.region_id = %(region)s AND s.year = extract(year FROM %(end)s::date) GROUP BY a.status""",
]
JOB_FLOORS = {"region_report": region_report_floor}
