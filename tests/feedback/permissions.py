from feedback.models import CitizenInput, ExtraQuestion, TokenBatch

from ..clock import TODAY
from ..permission_cases import PUBLIC, Case, expect, only
from .factories import ServiceUnitFactory


def _setup(cast) -> None:
    if "su_a" in cast.objects:
        return
    su = ServiceUnitFactory(unit=cast.unit_a, name="Puskesmas Kota", slug="bengkulu-puskesmas-kota")
    cast.objects["su_a"] = su
    cast.objects["question_a"] = ExtraQuestion.objects.create(service_unit=su, text="Antrean tertib?")
    cast.objects["batch_a"] = TokenBatch.objects.create(service_unit=su, size=0)
    cast.objects["input_a"] = CitizenInput.objects.create(
        service_unit=su, kind="suggestion", body="Tambah kursi tunggu", tracking_code="ABCDEFGHJK"
    )


def su(c) -> dict:
    return {"pk": c.objects["su_a"].pk}


HR_A = only("hr", hr_other=404)
# Writes answer with a redirect (302) to the right officer, 404 to the other region's officer.
HR_A_POST = only("hr", status=302, hr_other=404)

CASES = {
    "feedback:public_index": Case(PUBLIC),
    "feedback:public_region": Case(PUBLIC, kwargs=lambda c: {"code": c.region_a.code}, setup=_setup),
    "feedback:survey": Case(PUBLIC, kwargs=lambda c: {"slug": c.objects["su_a"].slug}, setup=_setup),
    "feedback:survey_thanks": Case(PUBLIC, kwargs=lambda c: {"slug": c.objects["su_a"].slug}, setup=_setup),
    "feedback:survey_kiosk": Case(PUBLIC, kwargs=lambda c: {"slug": c.objects["su_a"].slug}, setup=_setup),
    # the tablet's queue posts here; a GET is refused
    "feedback:survey_kiosk_sync": Case(
        expect(405), kwargs=lambda c: {"slug": c.objects["su_a"].slug}, setup=_setup
    ),
    "feedback:input_create": Case(PUBLIC, kwargs=lambda c: {"slug": c.objects["su_a"].slug}, setup=_setup),
    "feedback:track": Case(PUBLIC),
    "feedback:track_detail": Case(
        PUBLIC, kwargs=lambda c: {"code": c.objects["input_a"].tracking_code}, setup=_setup
    ),
    "feedback:manage": Case(only("hr", "hr_other")),
    "feedback:unit_create": Case(only("hr", "hr_other")),
    "feedback:unit_detail": Case(HR_A, kwargs=su, setup=_setup),
    "feedback:unit_edit": Case(
        HR_A_POST,
        kwargs=su,
        setup=_setup,
        method="post",
        data=lambda c: {"name": "Puskesmas Kota", "is_active": "on"},
    ),
    "feedback:service_add": Case(
        HR_A_POST, kwargs=su, setup=_setup, method="post", data=lambda c: {"name": "x"}
    ),
    "feedback:question_add": Case(
        HR_A_POST, kwargs=su, setup=_setup, method="post", data=lambda c: {"text": "Q?", "kind": "scale"}
    ),
    "feedback:question_toggle": Case(
        HR_A_POST, kwargs=lambda c: {"pk": c.objects["question_a"].pk}, setup=_setup, method="post"
    ),
    "feedback:population_set": Case(
        HR_A_POST,
        kwargs=su,
        setup=_setup,
        method="post",
        data=lambda c: {"year": TODAY.year, "quarter": (TODAY.month - 1) // 3 + 1, "users": 100},
    ),
    "feedback:token_batch_create": Case(
        HR_A_POST, kwargs=su, setup=_setup, method="post", data=lambda c: {"size": 2}
    ),
    "feedback:token_batch_pdf": Case(HR_A, kwargs=lambda c: {"pk": c.objects["batch_a"].pk}, setup=_setup),
    "feedback:qr": Case(HR_A, kwargs=lambda c: {"pk": c.objects["su_a"].pk, "fmt": "svg"}, setup=_setup),
    "feedback:poster": Case(HR_A, kwargs=su, setup=_setup),
    "feedback:report_pdf": Case(HR_A, kwargs=su, setup=_setup),
    "feedback:answers_xlsx": Case(HR_A, kwargs=su, setup=_setup),
    "feedback:moderation": Case(only("hr", "hr_other")),
    "feedback:input_moderate": Case(
        HR_A_POST,
        kwargs=lambda c: {"pk": c.objects["input_a"].pk},
        setup=_setup,
        method="post",
        data=lambda c: {"action": "answer", "answer": "Sudah ditambah."},
    ),
}
