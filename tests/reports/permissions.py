from ..permission_cases import Case, only

CASES = {
    "reports:overview": Case(only("hr", "head", "hr_other")),
}
