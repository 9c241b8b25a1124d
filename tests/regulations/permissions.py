from ..permission_cases import Case, only

# §3: rule changes are the system admin's (every region, and the national version) and the HR
# officer's (their own region); regional heads and everyone else 403, anonymous to login.
RULES = only("hr", "hr_other", "admin")

CASES = {
    "regulations:index": Case(RULES),
    "regulations:propose": Case(RULES, kwargs=lambda c: {"kind": "curve"}),
}
