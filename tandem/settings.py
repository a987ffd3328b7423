"""Tandem settings: one module, every value from the environment.

Defaults give a zero-setup development site on SQLite. Production
(``TANDEM_ENV=production``) refuses to start without a secret key and turns on
every transport-security setting that ``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


TANDEM_ENV = env_str("TANDEM_ENV", "test" if "pytest" in sys.modules else "development")
if TANDEM_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("TANDEM_ENV must be development, test or production")
PRODUCTION = TANDEM_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION and TANDEM_ENV != "test")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (50+ random characters)")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Request counts and latencies for Prometheus (django-prometheus; /metrics, see Operations below).
TANDEM_METRICS = env_bool("TANDEM_METRICS", True)

# The apps built on core, in the order their URLs, API routers, navigation and demo data come.
# Adding an app is one entry here: urls.py, api.py, the navigation and the test matrices read
# this list (each app plugs the rest in through tandem.core.registry in its AppConfig.ready()).
TANDEM_APPS = (
    "bodies",
    "plans",
    "exchange",
    "notifications",
    "dashboards",
    "funding",
    "assessment",
    "capacity",
    "library",
    "membership",
    "events",
    "search",  # last: it indexes the records the apps above register (search_source)
)

INSTALLED_APPS = [
    # The admin site requires the second factor (tandem.core.admin_site).
    "tandem.core.admin_site.TandemAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    *(["django_prometheus"] if TANDEM_METRICS else []),
    *(["django_rq"] if os.environ.get("TANDEM_TASKS_BACKEND") == "rq" else []),
    "tandem.core",
    *(f"tandem.{app}" for app in TANDEM_APPS),
]

MIDDLEWARE = [
    "tandem.core.security.RequestIdMiddleware",
    # Read-only requests may read from the replica (DATABASE_REPLICA_URL; tandem.core.dbrouter).
    "tandem.core.dbrouter.ReplicaRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tandem.core.security.SessionTimeoutMiddleware",
    # request.access: the user's grants, resolved once per request (tandem.core.access).
    "tandem.core.middleware.AccessMiddleware",
    "tandem.core.mfa.MfaRequiredMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tandem.core.middleware.NoStoreForAuthenticatedMiddleware",
    "tandem.core.security.PermissionsPolicyMiddleware",
    # Last: turns a locked-out sign-in into the lock-out page (tandem.core.views.account.lockout_response).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

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
                "tandem.core.context_processors.shell",
            ],
            "string_if_invalid": "",
        },
    }
]

# --- Database --------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: Tandem's queries are short, and on pessimistic estimates (per-row EXISTS probes
        # of the visibility rules) compiling them took seconds longer than running them.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "tandem.sqlite3")))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
# A streaming replica for read-only requests (docs/deploy.md): DATABASE_REPLICA_URL adds the
# "replica" alias, and tandem.core.dbrouter sends the reads of GET/HEAD requests there (never a
# write, never sign-in data, never within a transaction, never just after the client wrote).
# The test suite points "replica" at its own test database (a TEST mirror) to prove the routing.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
elif TANDEM_ENV == "test":
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
TANDEM_READ_REPLICA = env_bool("TANDEM_READ_REPLICA", bool(DATABASE_REPLICA_URL))
# After a client's write, its reads stay on the primary this long (seconds): it sees what it wrote.
TANDEM_REPLICA_PIN_SECONDS = env_int("TANDEM_REPLICA_PIN_SECONDS", 10)
DATABASE_ROUTERS = ["tandem.core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth --------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TANDEM_ENV == "test":
    # Hashing cost is not what the tests measure; production keeps Argon2id.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sessions, cookies, transport --------------------------------------------
# A session ends SESSION_ABSOLUTE_TIMEOUT seconds after sign-in and after SESSION_IDLE_TIMEOUT
# seconds without activity; both are enforced server-side (tandem.core.security).
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 3600)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
if SESSION_ABSOLUTE_TIMEOUT <= 0 or SESSION_IDLE_TIMEOUT <= 0:
    raise ImproperlyConfigured("SESSION_ABSOLUTE_TIMEOUT and SESSION_IDLE_TIMEOUT must be positive (seconds)")
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy, the client address is the last X-Forwarded-For entry (the one the
# proxy appended); directly exposed, it is REMOTE_ADDR. Lock-outs and rate limits key on it.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_FAILURE_VIEW = "tandem.core.views.errors.csrf_failure"
# Browser features no page of Tandem uses (Permissions-Policy header, tandem.core.security).
PERMISSIONS_POLICY = env_str(
    "PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()",
)

# --- Sign-in throttling (django-axes) ------------------------------------------
# AXES_FAILURE_LIMIT failed sign-ins lock the account name (whatever address tries it) and the
# address (whatever account it tries) for AXES_COOLOFF_MINUTES. The lock-out page says the same
# for existing and unknown accounts; failures and lock-outs are in the audit log.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tandem.core.views.account.lockout_response"
AXES_CLIENT_IP_CALLABLE = "tandem.core.security.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the audit log already
AXES_VERBOSE = False

# --- Second factor (django-otp: TOTP + single-use recovery codes) ----------------
# Required for these roles (tandem.core.models.Role values), for staff (the admin site) and for
# anyone who enrolled on their own; until verified in a session they reach only the MFA pages.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", ["administrator", "national_coordinator", "regional_coordinator"])
if MFA_REQUIRED_ROLES == ["none"]:
    if PRODUCTION:
        raise ImproperlyConfigured("MFA_REQUIRED_ROLES=none is for a local demo, never production")
    MFA_REQUIRED_ROLES = []
MFA_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Tandem")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- I18n --------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Tandem's own date formats per language (tandem/formats/<lang>/formats.py): one unambiguous form.
FORMAT_MODULE_PATH = ["tandem.formats"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True

# --- Static files ------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production, serve straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Uploaded files go under MEDIA_ROOT, or to an S3-compatible bucket when TANDEM_S3_BUCKET is set
# (django-storages; install boto3 beside it). Files are never served by URL: only the
# access-checked downloads read them (tandem.core.files.upload_storage).
TANDEM_S3_BUCKET = env_str("TANDEM_S3_BUCKET")
TANDEM_S3_OPTIONS = {
    "bucket_name": TANDEM_S3_BUCKET,
    "endpoint_url": env_str("TANDEM_S3_ENDPOINT_URL") or None,
    "region_name": env_str("TANDEM_S3_REGION") or None,
    "access_key": env_str("TANDEM_S3_ACCESS_KEY_ID") or None,
    "secret_key": env_str("TANDEM_S3_SECRET_ACCESS_KEY") or None,
    "default_acl": None,
    "querystring_auth": True,
    "file_overwrite": False,
}

# --- Mail ----------------------------------------------------------------------
# Password-reset links: console in development (printed), locmem in tests, SMTP in production
# (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, EMAIL_PORT, ...).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tandem@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# A password-reset link works once and for this long (seconds).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)
# Reset requests per client address and per e-mail address (the suite's defaults are high: tests set low ones).
PASSWORD_RESET_RATE_LIMIT = env_str("PASSWORD_RESET_RATE_LIMIT", "100000/hour" if TANDEM_ENV == "test" else "5/hour")

# --- Cache (API rate limits) -------------------------------------------------------
# One process: local memory. Several processes or hosts must share counters: set REDIS_URL.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Django's Redis backend, keeping one client object per connection pool (tandem.core.redis_cache).
    CACHES = {"default": {"BACKEND": "tandem.core.redis_cache.SharedClientRedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read from Redis and written to both: one database query less on every request.
    # The database stays the record (a session Redis lost is read from it again); ending a user's
    # sessions removes both copies (tandem.core.user_sessions).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tandem"}}

# --- API rate limits ------------------------------------------------------------------
# "<count>/<second|minute|hour>": per API token, and per client address (all requests under
# /api/, with or without a valid token). Over the limit: 429 with Retry-After. The test suite
# runs thousands of API calls from one address, so its defaults are high (tests set low ones).
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "100000/minute" if TANDEM_ENV == "test" else "120/minute")
API_RATE_LIMIT_PER_ADDRESS = env_str(
    "API_RATE_LIMIT_PER_ADDRESS", "100000/minute" if TANDEM_ENV == "test" else "300/minute"
)
for _name in ("API_RATE_LIMIT", "API_RATE_LIMIT_PER_ADDRESS", "PASSWORD_RESET_RATE_LIMIT"):
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", globals()[_name]):
        raise ImproperlyConfigured(f"{_name} must look like 120/minute (per second, minute, hour or day)")

# --- Background tasks (Django's Tasks API: the django-tasks backport) ------------------
# db: a queue in the database, run by `manage.py db_worker` (django-tasks-db; `make demo` starts one).
# rq: RQ workers over Redis (django-tasks-rq; `manage.py rqworker default`, Redis at TANDEM_RQ_URL).
# immediate: run in the process that enqueues (the test suite's default).
TANDEM_TASKS_BACKEND = env_str("TANDEM_TASKS_BACKEND", "immediate" if TANDEM_ENV == "test" else "db")
_TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TANDEM_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("TANDEM_TASKS_BACKEND must be db, rq or immediate")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TANDEM_TASKS_BACKEND], "QUEUES": ["default"]}}
# The test suite keeps to its own Redis database (14), away from a development queue (0).
_RQ_URL = env_str("TANDEM_RQ_URL", "redis://127.0.0.1:6379/" + ("14" if TANDEM_ENV == "test" else "0"))
RQ_QUEUES = {"default": {"URL": _RQ_URL, "DEFAULT_TIMEOUT": 300}}
# A failed e-mail task is tried this many times in all (then the notification shows the failure).
TANDEM_TASK_MAX_ATTEMPTS = env_int("TANDEM_TASK_MAX_ATTEMPTS", 3)
# Links in e-mails start with this address (e.g. https://tandem.example.org).
TANDEM_SITE_URL = env_str("TANDEM_SITE_URL", "http://127.0.0.1:8000")

# --- Tandem ----------------------------------------------------------------------
TANDEM_PAGE_SIZE = env_int("TANDEM_PAGE_SIZE", 25)
# Long lists count at most this many rows (tandem.core.pagination.CappedPaginator).
TANDEM_COUNT_CAP = env_int("TANDEM_COUNT_CAP", 1000)
TANDEM_IMPORT_MAX_BYTES = env_int("TANDEM_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
TANDEM_IMPORT_MAX_ROWS = env_int("TANDEM_IMPORT_MAX_ROWS", 5000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# Uploaded files (tandem.core.uploads): size, and for archives (zip, docx, xlsx, ...) the number of
# entries, the declared unpacked size and the compression ratio, checked before anything is read.
TANDEM_UPLOAD_MAX_BYTES = env_int("TANDEM_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
TANDEM_UPLOAD_MAX_ARCHIVE_ENTRIES = env_int("TANDEM_UPLOAD_MAX_ARCHIVE_ENTRIES", 1000)
TANDEM_UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("TANDEM_UPLOAD_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
TANDEM_UPLOAD_MAX_COMPRESSION_RATIO = env_int("TANDEM_UPLOAD_MAX_COMPRESSION_RATIO", 200)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record carries the request's correlation id (X-Request-ID), "-" outside a request.
    "filters": {"request_id": {"()": "tandem.core.security.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Operations ----------------------------------------------------------------------
# /metrics (Prometheus text format; django-prometheus) answers only a scraper that sends
# "Authorization: Bearer <TANDEM_METRICS_TOKEN>"; without the setting it is switched off (404).
# With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (ops/gunicorn.conf.py does).
TANDEM_METRICS_TOKEN = env_str("TANDEM_METRICS_TOKEN")
if TANDEM_METRICS:
    MIDDLEWARE.insert(1, "django_prometheus.middleware.PrometheusBeforeMiddleware")  # after the request id
    MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
# /readyz: the database, the cache and the task worker. A queued task older than this many
# seconds means no worker is taking them (the database backend); RQ needs a live worker.
TANDEM_READY_MAX_TASK_AGE = env_int("TANDEM_READY_MAX_TASK_AGE", 300)
# manage.py backup writes here (a folder per snapshot) unless --output is given.
TANDEM_BACKUP_DIR = Path(env_str("TANDEM_BACKUP_DIR", str(BASE_DIR / "var" / "backups")))

SILENCED_SYSTEM_CHECKS: list[str] = []
