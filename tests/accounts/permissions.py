from ..permission_cases import LOGGED_IN, LOGIN, Case, expect, only

CASES = {
    "accounts:my_profile": Case(only("staff", "supervisor")),
    "accounts:account": Case(LOGGED_IN),
    "accounts:otp_setup": Case(LOGGED_IN),
    # Officers of the cast have a confirmed device; the others are sent to set one up.
    "accounts:otp_verify": Case(
        expect(302, anonymous=LOGIN, hr=200, hr_other=200, observer=200, panel=200, admin=200)
    ),
}
