"""List pages keep a constant query count at 100,000 enrollments (issue 4 done-when).

The rows are inserted with INSERT ... SELECT generate_series so the test stays fast; each page is
measured once on a small dataset and again at full size with the same ceiling.
"""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from tests.clock import TODAY, days
from training.models import Enrollment, Feedback, Session

from .factories import ProgrammeFactory, SessionFactory

pytestmark = pytest.mark.django_db

EMPLOYEES = 2000
SESSIONS = 50  # 50 x 2000 = 100,000 enrollments
JAN_1 = dt.date(TODAY.year, 1, 1)  # the bulk completions: this year, never after today


def _bulk(cast, *, employees: int, sessions: int, offset: int = 0) -> Session:
    programme = ProgrammeFactory(region=cast.region_a, title=f"Pelatihan Massal {offset}")
    made = Session.objects.bulk_create(
        [
            Session(
                programme=programme,
                region=cast.region_a,
                name=f"Angkatan {i}",
                start_date=days(12),
                end_date=days(14),
                enroll_opens=days(-24),
                enroll_closes=days(5),
                capacity=employees + 1,
                seats_taken=employees,
            )
            for i in range(sessions)
        ]
    )
    unit, position = cast.unit_a, cast.objects["position_a"]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO org_employee (nip, name, kind, rank, birth_date, tmt_cpns, sex, is_remote, status,
                nik, email, phone, address, created_at, updated_at, position_id, region_id, unit_id)
            SELECT '9' || lpad(g::text, 17, '0'), 'Pegawai Massal ' || g, 'PNS', 'III/a', DATE '1990-01-01',
                DATE '2015-01-01', 'L', g %% 3 = 0, 'active', '', '', '', '', now(), now(), %s, %s, %s
            FROM generate_series(%s, %s) AS g
            """,
            [position.pk, cast.region_a.pk, unit.pk, offset + 1, offset + employees],
        )
        cursor.execute(
            """
            INSERT INTO training_enrollment (session_id, employee_id, status, requested_at, jp_granted,
                completed_on, rank, draw, below_20, is_remote, jp_this_year, jp_three_years, certificate_code)
            SELECT s.id, e.id, CASE WHEN e.id %% 2 = 0 THEN 'completed' ELSE 'admitted' END, now(),
                CASE WHEN e.id %% 2 = 0 THEN 1 ELSE 0 END,
                CASE WHEN e.id %% 2 = 0 THEN %s::date END,
                row_number() OVER (PARTITION BY s.id ORDER BY e.id), random(), true, false, 0, 0,
                CASE WHEN e.id %% 2 = 0 THEN 'C' || s.id || 'E' || e.id END
            FROM training_session s CROSS JOIN org_employee e
            WHERE s.id = ANY(%s) AND e.name LIKE 'Pegawai Massal %%'
            """,
            [JAN_1, [s.pk for s in made]],
        )
        # Feedback of every completed participant of the first session.
        cursor.execute(
            """
            INSERT INTO training_feedback (enrollment_id, session_rating, trainer_rating, comment, created_at)
            SELECT id, 1 + id %% 5, 1 + id %% 4, 'Komentar ' || id, now() FROM training_enrollment
            WHERE session_id = %s AND status = 'completed'
            """,
            [made[0].pk],
        )
    # The staff member holds a seat in each of them (the catalog shows their status per card).
    staff = cast.objects["staff_employee"]
    Enrollment.objects.bulk_create([Enrollment(session=s, employee=staff, status="admitted") for s in made])
    return made[0]


# Ceilings include the ~6 queries every logged-in request makes (session, user, 2FA device, roles,
# session refresh); the rest is the page's own, fixed whatever the number of rows.
PAGES = [
    # (role, url name, kwargs from the session, max queries)
    ("staff", "training:catalog", None, 14),
    ("staff", "training:my", None, 14),
    ("staff", "training:session_detail", "pk", 15),
    ("hr", "training:manage", None, 11),
    ("hr", "training:session_manage", "pk", 13),
    ("hr", "training:below_20", None, 12),
    ("hr", "training:programme_results", "programme", 12),
]


def _url(name, kw, session) -> str:
    kwargs = None
    if kw == "pk":
        kwargs = {"pk": session.pk}
    elif kw == "programme":
        kwargs = {"pk": session.programme_id}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("role", "name", "kw", "ceiling"), PAGES, ids=[p[1] for p in PAGES])
def test_query_count_small(cast, django_assert_max_num_queries, role, name, kw, ceiling):
    session = _bulk(cast, employees=5, sessions=2)
    client, url = cast.client(role), _url(name, kw, session)
    with django_assert_max_num_queries(ceiling):
        assert client.get(url).status_code == 200


def test_query_counts_at_100000_enrollments(cast, django_assert_max_num_queries):
    """Each page does exactly as many queries at 100,000 enrollments as with ten."""
    from django.test.utils import CaptureQueriesContext

    clients = {role: cast.client(role) for role in ("staff", "hr")}

    def count(role, url) -> int:
        clients[role].get(url)  # warm: the first request of a login also refreshes the session
        with CaptureQueriesContext(connection) as ctx:
            assert clients[role].get(url).status_code == 200
        return len(ctx.captured_queries)

    small = _bulk(cast, employees=5, sessions=2)
    small_counts = {name: count(role, _url(name, kw, small)) for role, name, kw, _c in PAGES}
    big = _bulk(cast, employees=EMPLOYEES, sessions=SESSIONS, offset=5)
    assert Enrollment.objects.count() >= 100_000
    assert Feedback.objects.filter(enrollment__session=big).count() >= EMPLOYEES // 2
    for role, name, kw, ceiling in PAGES:
        url = _url(name, kw, big)
        with django_assert_max_num_queries(ceiling):
            response = clients[role].get(url)
        assert response.status_code == 200
        assert count(role, url) == small_counts[name], name  # constant in the data size
        if name == "training:below_20":
            # the half with 0 JP and the cast's two; the other half has 1 JP per session (>= 20)
            assert EMPLOYEES // 2 <= response.context["page"].paginator.count <= EMPLOYEES // 2 + 10
        if name == "training:session_manage":
            assert response.context["page"].paginator.count == EMPLOYEES + 5 + 1  # and the staff member
        if name == "training:programme_results":
            assert (
                response.context["overall"]["n"] == Feedback.objects.filter(enrollment__session=big).count()
            )


def test_jp_summary_at_scale(cast, django_assert_max_num_queries):
    from training.selectors import jp_summary

    _bulk(cast, employees=EMPLOYEES, sessions=SESSIONS)
    assert Enrollment.objects.count() >= 100_000
    with django_assert_max_num_queries(4):
        summary = jp_summary(region_id=cast.region_a.pk, year=TODAY.year)
    assert summary["completions"] == SESSIONS * EMPLOYEES // 2
    assert summary["employees"] == EMPLOYEES + 2  # plus the cast's staff member and supervisor
    assert summary["share_reaching_20"] == round((EMPLOYEES // 2) / (EMPLOYEES + 2), 4)  # 50 JP each


def test_catalog_filters(cast):
    # Daring starts 35 days after Penuh (the factory's days(12)): always in another month.
    online = SessionFactory(
        programme__mode="online",
        programme__title="Daring",
        start_date=days(47),
        end_date=days(48),
    )
    full = SessionFactory(programme__title="Penuh", capacity=1, seats_taken=1)
    from training.models import Competency

    online.programme.competencies.set(Competency.objects.filter(code__in=["adaptif", "literasi_digital"]))
    staff = cast.client("staff")

    def titles(**params):
        response = staff.get(reverse("training:catalog"), params)
        return sorted(row["session"].programme.title for row in response.context["rows"])

    assert titles() == ["Daring", "Penuh"]
    assert titles(mode="online") == ["Daring"]
    assert titles(month=online.start_date.month) == ["Daring"]
    assert titles(month=full.start_date.month) == ["Penuh"]
    assert titles(competency="literasi_digital") == ["Daring"]  # listed once despite two competencies
    assert titles(open_seats="on") == ["Daring"]
    assert titles(kind="pka") == []
    assert titles(q="penuh") == ["Penuh"]
    assert full.seats_free == 0
