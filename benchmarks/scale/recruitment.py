"""Recruitment of the scale dataset: a selection, its applicants and their ledger chain."""

import datetime as dt
import io
import json

from django.db import connection

from .common import (
    ScaleContext,
    execute,
    next_id,
    sync_sequence,
)

# The applicants. NIK: region 177101, DDMMYY of the birth date (day + 40 for women), sequence 0001..
# (unique per a).
PEOPLE_SQL = """
    SELECT a, 'Pelamar Skala ' || a AS name, birth,
           '177101' || lpad((extract(day FROM birth)::int + CASE WHEN a %% 2 = 1 THEN 40 ELSE 0 END)::text, 2, '0')
           || to_char(birth, 'MMYY') || lpad((1 + a / 3000)::text, 4, '0') AS nik
    FROM (SELECT a, DATE '1994-01-01' + a %% 3000 AS birth FROM generate_series(0, %(n)s - 1) AS a) AS x
"""


def recruitment_generate(ctx: ScaleContext) -> int:
    """One selection with formations, N/5 applicants (user, profile, application with a unique participant
    number and a valid NIK), screening decisions, SKD scores, statuses from the selection's own ranking,
    and the hash chain of all of it computed exactly as recruitment.ledger does (verify_ledger: intact)."""
    from recruitment.services import skd_results_apply

    selection, hr = _selection_create(ctx)
    p = _params(ctx, selection, hr)
    rows = 1 + _formations_insert(p) + _applicants_insert(p) + _decisions_insert(p)
    # The app's own ranking query runs next: give the planner statistics of the rows just inserted
    # (on a new database it otherwise guesses nested loops over 10,000 applications: 12 s, not 0.2 s).
    execute(
        "ANALYZE recruitment_application, recruitment_skdscore, recruitment_screeningdecision, recruitment_formation"
    )
    skd_results_apply(selection=selection)
    for table in ("recruitment_formation", "accounts_user", "recruitment_application",
                  "recruitment_screeningdecision", "recruitment_skdscore"):  # fmt: skip
        sync_sequence(table)
    return rows + _ledger_chain(selection, hr, at=p["at"])


def _selection_create(ctx: ScaleContext):
    """The selection of the dataset's year and the HR account that decides on its applications."""
    from asnportal.accounts.models import User
    from recruitment.models import Selection

    year = ctx.end.year
    hr, _ = User.objects.get_or_create(username="skala.bkpsdm", defaults={"first_name": "BKPSDM Skala"})
    selection = Selection(
        region_id=ctx.region_id, year=year, name=f"Seleksi CASN Skala {year}",
        requirements="Sesuai pengumuman.", is_published=True,
        registration_opens=dt.date(year, 3, 1), registration_closes=dt.date(year, 3, 31),
    )  # fmt: skip
    selection.full_clean()
    selection.save()
    return selection, hr


def _params(ctx: ScaleContext, selection, hr) -> dict:
    year = ctx.end.year
    applicants, formations = max(20, ctx.employees // 5), max(5, min(50, ctx.unit_count))
    form_base, user_base = next_id("recruitment_formation"), next_id("accounts_user")
    app_base = next_id("recruitment_application")
    p = {
        "sel": selection.pk, "region": ctx.region_id, "year": year, "forms": formations, "form": form_base,
        "unit": ctx.unit_base, "pos": ctx.position_ids[4], "pos2": ctx.position_ids[2], "users": user_base,
        "n": applicants, "app": app_base, "hr": hr.pk, "at": dt.datetime(year, 3, 15, 9, tzinfo=dt.UTC),
        "prefix": f"{year}{ctx.region_id:02d}{selection.pk:04d}",
    }  # fmt: skip
    return p


def _formations_insert(p: dict) -> int:
    return execute(
        """INSERT INTO recruitment_formation (id, selection_id, position_id, unit_id, education, quota)
           SELECT %(form)s + f, %(sel)s, CASE WHEN f %% 2 = 0 THEN %(pos)s ELSE %(pos2)s END, %(unit)s + f,
                  (ARRAY['S1 Administrasi Publik', 'S1 Keperawatan', 'D3 Akuntansi'])[1 + f %% 3], 2 + f %% 4
           FROM generate_series(0, %(forms)s - 1) AS f""",
        p,
    )


def _applicants_insert(p: dict) -> int:
    """The applicants' accounts (role applicant), their profiles and their applications."""
    rows = execute(
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
    rows += execute(
        f"""INSERT INTO recruitment_applicantprofile (user_id, full_name, nik, birth_date, address, phone, education)
            SELECT %(users)s + a, name, nik, birth, 'Jl. Skala No. ' || a, '0812' || lpad(a::text, 8, '0'),
                   'S1 Administrasi Publik' FROM ({PEOPLE_SQL}) AS p""",  # noqa: S608  # nosec B608 - fixed SQL
        p,
    )
    rows += execute(
        f"""INSERT INTO recruitment_application (id, selection_id, formation_id, user_id, participant_number,
                full_name, nik, birth_date, status, created_at)
            SELECT %(app)s + a, %(sel)s, %(form)s + a %% %(forms)s, %(users)s + a,
                   %(prefix)s || lpad((a + 1)::text, 6, '0'), name, nik, birth,
                   CASE WHEN a %% 10 = 9 THEN 'admin_no' ELSE 'admin_ok' END, %(at)s
            FROM ({PEOPLE_SQL}) AS p""",  # noqa: S608  # nosec B608 - fixed SQL
        p,
    )
    return rows


def _decisions_insert(p: dict) -> int:
    """A screening decision for every application (one in ten fails) and SKD scores for the others."""
    rows = execute(
        """INSERT INTO recruitment_screeningdecision (id, application_id, met, reason, decided_by_id, created_at)
           SELECT %(screen)s + a, %(app)s + a, a %% 10 <> 9,
                  CASE WHEN a %% 10 = 9 THEN 'Ijazah tidak sesuai formasi.' ELSE 'Memenuhi syarat.' END,
                  %(hr)s, %(at)s
           FROM generate_series(0, %(n)s - 1) AS a""",
        {**p, "screen": next_id("recruitment_screeningdecision")},
    )
    rows += execute(
        """INSERT INTO recruitment_skdscore (id, application_id, twk, tiu, tkp, reason, created_by_id, created_at)
           SELECT %(skd)s + a, %(app)s + a, 50 + (a * 37) %% 101, 60 + (a * 53) %% 116, 140 + (a * 29) %% 86,
                  '', %(hr)s, %(at)s
           FROM generate_series(0, %(n)s - 1) AS a WHERE a %% 10 <> 9""",
        {**p, "skd": next_id("recruitment_skdscore")},
    )
    return rows


def _ledger_chain(selection, hr, *, at: dt.datetime) -> int:
    """The selection's chain: one entry per application, screening and SKD score, in that order, hashed
    exactly as recruitment.ledger.ledger_append does, and written with COPY."""
    entries = _ledger_entries(selection, hr)
    buffer, head = _ledger_rows(selection, entries, at=at)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY recruitment_ledgerentry (selection_id, seq, kind, object_id, actor, at, payload, prev_hash, hash)"
            " FROM STDIN",
            buffer,
        )
        cursor.execute(
            "INSERT INTO recruitment_ledgerhead (selection_id, seq, hash) VALUES (%s, %s, %s)",
            [selection.pk, len(entries), head],
        )
    return len(entries) + 1


def _ledger_entries(selection, hr) -> list[tuple[str, int, str, dict]]:
    """(kind, object id, actor, payload) of every application, screening and SKD score of the selection."""
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
    entries = [("application", pk, user, {"participant_number": num, "formation": form})
               for pk, _uid, user, num, form in applications]  # fmt: skip
    entries += [("screening", pk, hr.username, {"participant_number": num, "met": met, "reason": reason})
                for pk, num, met, reason in screenings]  # fmt: skip
    entries += [("skd_score", pk, hr.username, {"participant_number": num, "twk": twk, "tiu": tiu, "tkp": tkp})
                for pk, num, twk, tiu, tkp in scores]  # fmt: skip
    return entries


def _ledger_rows(selection, entries: list, *, at: dt.datetime) -> tuple[io.StringIO, str]:
    """The entries chained and hashed, as COPY text, and the hash at the head of the chain."""
    from recruitment.ledger import GENESIS, chain_hash, entry_body

    buffer, prev = io.StringIO(), GENESIS
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
    return buffer, prev


# Deletes of an earlier scale dataset, most dependent tables first (append-only tables: their
# protecting triggers are skipped in replica mode).
RESET_SQL = [
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
]

# Raw aggregates of this section of the region report (see floors.py).
FLOOR_SQL = [
    # recruitment: applications per status in the year's selections
    """SELECT a.status, count(*) FROM recruitment_application a JOIN recruitment_selection s ON s.id = a.selection_id
       WHERE s.region_id = %(region)s AND s.year = extract(year FROM %(end)s::date) GROUP BY a.status""",
]
