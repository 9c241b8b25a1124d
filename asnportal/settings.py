"""ASN Portal settings: one file, every value from the environment, parsed strictly.

The demo, the test run and production differ only in their environment (see .env.example).
A bad value stops start-up with a message naming the variable.
"""

import os
import zoneinfo
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_env_file = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if Path(_env_file).is_file():
    environ.Env.read_env(_env_file, overwrite=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int = 10**9) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name}: must be between {minimum} and {maximum}, got {value}")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}: must be one of {', '.join(choices)}, got {value!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip()
    if value and "://" not in value:
        raise ImproperlyConfigured(f"{name}: expected a URL such as scheme://host/..., got {value!r}")
    return value


# --- Environment -----------------------------------------------------------------------------
ENVIRONMENT = env_choice("DJANGO_ENV", "development", ("development", "test", "production"))
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DJANGO_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG: must be off when DJANGO_ENV=production")

_DEV_SECRET = "insecure-development-key-never-use-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY: set a random value of at least 50 characters in production"
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS: list the host names the site answers to")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications ----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pgtrigger",
    "asnportal.org",
    "asnportal.accounts",
    "asnportal.ui",
    "asnportal.tasking",
    "asnportal.regulations",
    "workforce",
    "recruitment",
    "training",
    "performance",
    "feedback",
    "reports",
    "ninja",
    "api",
]
# The scale dataset, the benchmark and its floor views (benchmarks/): in the tests and `make bench`
# only, never in production (a scratch table, csrf-exempt floor URLs, a synthetic region).
BENCHMARKS = env_bool("BENCHMARKS", ENVIRONMENT == "test")
if BENCHMARKS:
    INSTALLED_APPS.append("benchmarks")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for staff on weak mobile connections (HR directory 49 kB -> 4.6 kB). After
    # WhiteNoise, which serves static files pre-compressed; Django's GZip pads its output against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "asnportal.accounts.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "asnportal.accounts.middleware.OfficerSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # last: it decides, for the view alone, whether its reads may go to the read replica
    "asnportal.dbrouter.ReplicaMiddleware",
]

ROOT_URLCONF = "asnportal.urls"
WSGI_APPLICATION = "asnportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "asnportal.accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
# The embedded SQLite file serves the one-command demo only; tests and production use PostgreSQL.
DATABASE_URL = env_url("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
except Exception as exc:  # django-environ raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL: cannot be parsed ({exc})") from None
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, maximum=3600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
USES_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# A read replica (a streaming standby of the primary) for dashboards, reports and public pages:
# asnportal/dbrouter.py routes them, the rest stays on the primary.
DATABASE_REPLICA_URL = env_url("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = environ.Env.db_url_config(DATABASE_REPLICA_URL)
    except Exception as exc:  # as for DATABASE_URL
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL: cannot be parsed ({exc})") from None
    DATABASES["replica"] |= {
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # the tests' database is made on the primary and reaches the standby by replication
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["asnportal.dbrouter.ReplicaRouter"]
REPLICA_VIEWS = ("reports:dashboard", "reports:compare", "reports:unit_detail", "reports:snapshot_export",
                 "recruitment:public_*", "feedback:public_*")  # fmt: skip
# How long a browser that has written reads the primary only (longer than the standby's usual lag).
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 30, minimum=1, maximum=3600)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) only exist on PostgreSQL; the SQLite demo simply goes without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache, Celery ---------------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "asnportal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Short timeouts: an unreachable Redis must not hold a request for long.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Demo only: one process, so a local-memory cache is shared by every request it serves.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "asn")

CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_url("CELERY_RESULT_BACKEND", REDIS_URL)
# With no broker configured (the demo) tasks run eagerly, in-process.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60, minimum=5)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
CELERY_TASK_TRACK_STARTED = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "Asia/Jakarta"

# --- Authentication --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8, maximum=128)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): attempts are stored in the database, shared by every process.
# Two locks: a username from one address after AXES_FAILURE_LIMIT failures, and the address itself,
# whatever usernames it tries, after AXES_IP_FAILURE_LIMIT (higher: one office may sit behind one
# address). A successful log-in clears only its own username's count, not its address's.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20, minimum=1, maximum=1000)
if AXES_IP_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        f"AXES_IP_FAILURE_LIMIT: must be at least AXES_FAILURE_LIMIT ({AXES_FAILURE_LIMIT}), "
        f"got {AXES_IP_FAILURE_LIMIT}"
    )
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "asnportal.accounts.throttle.LimitPerParameterHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Password reset mails (asnportal/accounts/throttle.py): at most this many per address and per client
# address in a window; beyond it the same "if the address exists we sent a mail" page, and no mail.
PASSWORD_RESET_EMAIL_LIMIT = env_int("PASSWORD_RESET_EMAIL_LIMIT", 3, minimum=1, maximum=100)
PASSWORD_RESET_IP_LIMIT = env_int("PASSWORD_RESET_IP_LIMIT", 10, minimum=1, maximum=1000)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60, minimum=1, maximum=24 * 60)

# A reverse proxy (nginx, a load balancer) in front of gunicorn is declared, never assumed: only then
# are its X-Forwarded-Proto (HTTPS detection) and X-Forwarded-For (client address, TRUSTED_PROXY_COUNT
# hops from the end) believed. Without one, a client could forge them. Off by default.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0, maximum=5)
if BEHIND_PROXY and TRUSTED_PROXY_COUNT == 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT: must be at least 1 when DJANGO_BEHIND_PROXY is on")
if not BEHIND_PROXY and TRUSTED_PROXY_COUNT:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT: X-Forwarded-For is only read behind a proxy; set DJANGO_BEHIND_PROXY=1 "
        "or leave TRUSTED_PROXY_COUNT at 0"
    )
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Two-factor authentication (TOTP) for HR officers, observers, panel members and admins; their
# sessions also end after a spell of inactivity. Off by default only outside production (the demo).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", PRODUCTION)
OFFICER_IDLE_MINUTES = env_int("OFFICER_IDLE_MINUTES", 30, minimum=5, maximum=24 * 60)
OTP_TOTP_ISSUER = "Portal ASN"

# --- Email -----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ASN Portal <noreply@asnportal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date forms of each language (7 Des 2026 / Dec 7, 2026): Django's, adjusted in asnportal/formats (issue 21).
FORMAT_MODULE_PATH = ["asnportal.formats"]
TIME_ZONE = env_choice("DJANGO_TIME_ZONE", "Asia/Jakarta", tuple(sorted(zoneinfo.available_timezones())))
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and ENVIRONMENT != "test"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPLOAD_MAX_MB", 10, minimum=1, maximum=200) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
UPLOAD_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 30, minimum=1, maximum=500) * 1024 * 1024
# An XLSX is a zip: its declared unpacked size is capped before anything is inflated.
IMPORT_XLSX_MAX_UNPACKED_BYTES = (
    env_int("IMPORT_XLSX_MAX_UNPACKED_MB", 256, minimum=1, maximum=4096) * 1024 * 1024
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the container healthcheck speaks plain HTTP
    if BEHIND_PROXY:  # the proxy terminates TLS and says so; nobody else may
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): no inline script anywhere; charts and htmx read data attributes
# and <script type="application/json"> blocks, which are data, not code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Public survey protection (feedback): submissions per IP and per service unit in a window (seconds),
# and how long an identical response counts as a duplicate. Mobile carriers put many phones behind one
# address, hence the generous per-IP limit.
FEEDBACK_IP_LIMIT = env_int("FEEDBACK_IP_LIMIT", 20, minimum=1)
FEEDBACK_IP_WINDOW = env_int("FEEDBACK_IP_WINDOW", 3600, minimum=1)
FEEDBACK_UNIT_LIMIT = env_int("FEEDBACK_UNIT_LIMIT", 300, minimum=1)
FEEDBACK_UNIT_WINDOW = env_int("FEEDBACK_UNIT_WINDOW", 3600, minimum=1)
FEEDBACK_DUPLICATE_WINDOW = env_int("FEEDBACK_DUPLICATE_WINDOW", 86400, minimum=0)
# Wrong one-time survey codes per client address before every code from it is refused for the rest of
# the window (seconds) that began with the first wrong one.
FEEDBACK_CODE_GUESS_LIMIT = env_int("FEEDBACK_CODE_GUESS_LIMIT", 10, minimum=1, maximum=1000)
FEEDBACK_CODE_GUESS_WINDOW = env_int("FEEDBACK_CODE_GUESS_WINDOW", 900, minimum=60, maximum=86400)
# The public IKM results of a region are aggregated at most once per this many seconds.
FEEDBACK_PUBLIC_CACHE_SECONDS = env_int("FEEDBACK_PUBLIC_CACHE_SECONDS", 600, minimum=0)
# The public ranking's body is versioned by the selection's ledger; this bounds how long a change the
# ledger does not record (a withdrawn application, say) can stay unseen.
RANKING_CACHE_SECONDS = env_int("RANKING_CACHE_SECONDS", 60, minimum=0, maximum=3600)

# The integration API (api/, /api/v1/): calls per token per minute (counted in the shared cache, Redis)
# and how long the open-data answers (IKM, rankings) are cached and may be cached by clients.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120, minimum=1)
API_OPEN_CACHE_SECONDS = env_int("API_OPEN_CACHE_SECONDS", 60, minimum=0)

# Recruitment: applicants' personal data is purged this many days after their selection ended, and a
# CAT score file may hold at most this many rows.
RECRUITMENT_RETENTION_DAYS = env_int("RECRUITMENT_RETENTION_DAYS", 730, minimum=30)
RECRUITMENT_IMPORT_MAX_ROWS = env_int("RECRUITMENT_IMPORT_MAX_ROWS", 100_000, minimum=100)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "celery": {"level": "WARNING"}},
}

if ENVIRONMENT == "test":
    # Hashing strength is irrelevant to tests and slows every login fixture.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
