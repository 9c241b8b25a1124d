from ..permission_cases import LOGGED_IN, LOGIN, Case, expect, only

# Officers of the cast (and the admin) have a confirmed device and a verified session; the others
# have none: pages that need a verified session send them to set one up.
VERIFIED = {"hr": 200, "hr_other": 200, "observer": 200, "panel": 200, "admin": 200}

CASES = {
    "accounts:my_profile": Case(only("staff", "supervisor")),
    "accounts:account": Case(LOGGED_IN),
    "accounts:otp_setup": Case(LOGGED_IN),
    "accounts:otp_verify": Case(expect(302, anonymous=LOGIN, **VERIFIED)),
    # An unknown enrollment token is nobody's link.
    "accounts:otp_enroll": Case(expect(404, anonymous=LOGIN), kwargs=lambda cast: {"token": "unknown"}),
    "accounts:recovery_codes": Case(expect(302, anonymous=LOGIN, **VERIFIED)),
    "accounts:device_list": Case(only("hr", "hr_other")),
    # The observer of region A: their region's HR officer and the system admin; another region 404.
    "accounts:device_reset": Case(
        only("hr", "admin", hr_other=404), kwargs=lambda cast: {"user_id": cast.users["observer"].pk}
    ),
}
