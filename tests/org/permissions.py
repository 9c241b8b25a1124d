from ..permission_cases import Case, only

CASES = {
    "org:directory": Case(only("hr", "hr_other")),
    "org:employee_detail": Case(
        only("hr", hr_other=404), kwargs=lambda c: {"pk": c.objects["staff_employee"].pk}
    ),
}
