"""Feedback of the scale dataset: service units, populations, survey responses, citizen input."""

from .common import ScaleContext, bulk_insert_without_indexes, execute, next_id, sync_sequence

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
    su_count = 2 * ctx.unit_count
    su_base, svc_base = next_id("feedback_serviceunit"), next_id("feedback_service")
    rows = _service_units_insert(ctx, su_base, svc_base, su_count)
    params = {"base": next_id("feedback_surveyresponse"), "su": su_base, "svc": svc_base, "units": su_count,
              "n": 2 * ctx.employees, "start": ctx.start, "days": ctx.days}  # fmt: skip
    rows += _responses_insert(params)
    rows += _citizen_input_insert(params)
    for table in (
        "feedback_serviceunit",
        "feedback_service",
        "feedback_surveyresponse",
        "feedback_citizeninput",
    ):
        sync_sequence(table)
    return rows


def _service_units_insert(ctx: ScaleContext, su_base: int, svc_base: int, su_count: int) -> int:
    """Two service units per OPD, two services each, and their user populations per quarter."""
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
        {"su": su_base, "n": su_count, "year": ctx.end.year},
    )
    return rows


def _responses_insert(params: dict) -> int:
    """Survey responses spread over the window and their nine answers each (mostly 3 and 4)."""
    rows = bulk_insert_without_indexes(
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
    return rows


def _citizen_input_insert(params: dict) -> int:
    """One complaint, suggestion or rating per 50 responses, in every moderation state."""
    return execute(
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


# Deletes of an earlier scale dataset, most dependent tables first.
RESET_SQL = [
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
]

# Raw aggregates of this section of the region report (see floors.py).
FLOOR_SQL = [
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
]
