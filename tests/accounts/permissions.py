from ..permission_cases import LOGGED_IN, Case, only

CASES = {
    "accounts:my_profile": Case(only("staff", "supervisor")),
    "accounts:account": Case(LOGGED_IN),
}
