"""The job floors: the raw SQL a job needs, without the framework, to compare the job against."""

import datetime as dt

from django.db import connection

from . import feedback, performance, recruitment, training


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
JOB_FLOOR_SQL: list[str] = (
    performance.FLOOR_SQL + training.FLOOR_SQL + feedback.FLOOR_SQL + recruitment.FLOOR_SQL
)
JOB_FLOORS = {"region_report": region_report_floor}
