from ..permission_cases import LOGGED_IN, PUBLIC, Case, expect

CASES = {
    # Every role is sent to its own home page; anonymous visitors see the public welcome page.
    "home": Case(expect(302, anonymous=200)),
    "login": Case(PUBLIC),
    "healthz": Case(PUBLIC),
    "logout": Case(expect(405)),
    "password_change": Case(LOGGED_IN),
    "password_change_done": Case(LOGGED_IN),
    "password_reset": Case(PUBLIC),
    "password_reset_done": Case(PUBLIC),
    "password_reset_confirm": Case(PUBLIC, kwargs=lambda c: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Case(PUBLIC),
    "set_language": Case(expect(302)),
    "javascript-catalog": Case(PUBLIC),
    "admin:index": Case(expect(302, admin=200)),
    # the installable app: its manifest and service worker are public files at the site's root
    "pwa_manifest": Case(PUBLIC),
    "pwa_sw": Case(PUBLIC),
}
