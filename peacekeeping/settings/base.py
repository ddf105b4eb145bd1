"""The platform's settings: Django, database, cache, accounts, languages, files, e-mail,
security, map, domain rules, logging (the package's other modules add the API and the
background jobs)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from peacekeeping.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    # Local development only: a fixed, obviously unsafe key that check --deploy flags.
    SECRET_KEY = "django-insecure-local-development-only-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "peacekeeping",
    "missions",
    "incidents",
    "accountability",
    "accountability.reports",
    "accountability.exports",
]

MIDDLEWARE = [
    # Outermost: the pages' security headers also on probes and static files.
    "peacekeeping.middleware.BaselineSecurityHeadersMiddleware",
    # Orchestrator probes (peacekeeping/health.py), answered before host validation and
    # the HTTPS redirect: a probe comes by the pod's IP, over plain HTTP.
    "peacekeeping.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzip-compressed (static files are WhiteNoise's, pre-compressed, above): the
    # statistics page's HTML is 142 KB raw. BREACH: Django masks the CSRF token afresh on
    # every response and GZipMiddleware pads each gzip stream with random bytes (Heal
    # The Breach), so a secret cannot be recovered from compressed sizes.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "peacekeeping.accounts.middleware.SessionTimeoutMiddleware",
    "peacekeeping.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "peacekeeping.middleware.UserTimezoneMiddleware",
    "peacekeeping.history.HistoryActorMiddleware",
    # `Background-Work: delayed` when a request's jobs wait in the outbox (broker down).
    "peacekeeping.outbox.DelayedWorkMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peacekeeping.urls"
WSGI_APPLICATION = "peacekeeping.wsgi.application"
ASGI_APPLICATION = "peacekeeping.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "missions.context_processors.capabilities",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
# No DATABASE_URL: an embedded SQLite file, so `make run` needs nothing installed.
DATABASE_URL = env_str("DATABASE_URL")
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL,
                conn_max_age=DB_CONN_MAX_AGE,
                conn_health_checks=True,
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH") or str(BASE_DIR / "db.sqlite3"),
        }
    }
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
# Seconds to wait for PostgreSQL to accept a connection before answering 503
# (peacekeeping/unavailable.py).
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 5, minimum=1)
# PgBouncer in transaction mode (docker-compose.yml) lends a server connection for one
# transaction. Server-side cursors (QuerySet.iterator()) are named cursors that outlive a
# transaction in autocommit mode: disable them where DATABASE_URL points at such a pool,
# as Django's documentation says (iterator() then fetches the whole result at once). The
# history triggers' actor is then set per transaction (peacekeeping/history.py).
# DB_CONN_MAX_AGE keeps the connection to PgBouncer (cheap) open; the pool, not it, bounds
# the connections PostgreSQL sees.
DISABLE_SERVER_SIDE_CURSORS = env_bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DB_CONNECT_TIMEOUT
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = DISABLE_SERVER_SIDE_CURSORS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The role web and workers connect as (docs/operators/security-platform.md). Set where
# `migrate` runs (as the owner): every migrate then grants it row rights only, the history
# append-only. Empty: no grants (local SQLite, or one role for everything).
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE").strip()
DATABASE_APP_PASSWORD = env_str("DATABASE_APP_PASSWORD")  # read by setup_app_role only

# --- Redis and the cache ----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pk",
            # A Redis that does not answer fails a request in seconds, not never.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Page fragments that differ only by language and a few flags (the main menu, the
# outbox's messages): rendered once per process ({% cache ... using="fragments" %}),
# like the templates the cached loader keeps; a new release starts new processes.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": None,
}

# --- Accounts: passwords, login throttling, sessions, 2FA ---------------------------------
# Docs: docs/users/accounts-and-sessions.md. Code: peacekeeping/accounts/.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while the username or the client IP is locked out.
    "peacekeeping.accounts.throttling.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: LOGIN_FAILURE_LIMIT failures of one username from one client IP lock that
# pair (never the account everywhere: a stranger elsewhere cannot lock a user out), and
# LOGIN_ADDRESS_FAILURE_LIMIT failures from one IP, whatever the usernames, lock that IP
# (password spraying); until LOGIN_LOCKOUT_MINUTES have passed since the last failure.
# Attempts refused during a lockout are not counted: a right password never adds to it.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "peacekeeping.accounts.views.locked_out"
AXES_HANDLER = "peacekeeping.accounts.throttling.AuditedAxesHandler"
AXES_CLIENT_IP_CALLABLE = "peacekeeping.accounts.network.client_ip"
AXES_VERBOSE = False  # no start-up banner on every manage.py command
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, and
# REMOTE_ADDR is the client). Behind one proxy that sets the header, 1.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Seconds without a request before a session is logged out, and the longest a session
# may last at all; the session cookie never outlives the latter.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 1800, minimum=60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 3600, minimum=60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Password-reset links are valid for one hour.
PASSWORD_RESET_TIMEOUT = 3600
# Administrators and legal officers must pass a TOTP check after their password.
REQUIRE_2FA_FOR_PRIVILEGED = env_bool("REQUIRE_2FA_FOR_PRIVILEGED", default=False)
OTP_TOTP_ISSUER = "Peacekeeping accountability"
# A device's secret (its key, its QR code) is never shown in the admin: whoever reads it
# holds that user's second factor. Each user sets up their own (two_factor_setup).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Found by fuzzing the login form: a username longer than axes' column is cut, not a 500.
AXES_USERNAME_CALLABLE = "peacekeeping.accounts.throttling.axes_username"
# Sessions in PostgreSQL (Django's db backend, named here rather than left implicit): any
# web process reads any session, and ending a user's sessions (peacekeeping/accounts)
# deletes rows that every process reads. The cache (Redis with REDIS_URL, see "Redis and
# the cache") holds only what may be lost: API throttle counters, health results.
# Locks are PostgreSQL's: row locks (select_for_update), transaction-scoped advisory locks
# (the audit chain) and conditional UPDATEs (job claims); none lives in a process.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# One date style a language: the UN's in prose (DATE_FORMAT), ISO 8601 in tables.
FORMAT_MODULE_PATH = ["peacekeeping.formats"]
USE_TZ = True
TIME_ZONE = "UTC"  # stored and computed in UTC; shown in the user's zone (middleware)
DISPLAY_TIME_ZONE = env_str("DISPLAY_TIME_ZONE") or "UTC"

# --- Static and media files ------------------------------------------------------------
# Web and worker processes on any number of machines share only PostgreSQL (through
# PgBouncer), Redis and an S3-compatible object store: nothing that a request or a job
# leaves behind stays in one process or on one machine's disk
# (docs/operators/scaling.md).
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Files: evidence, follow-up reports and exports go through Django's storage API. With a
# bucket named they live in that bucket (django-storages, S3 API: AWS, MinIO, Ceph...),
# private: the app hands out no URL to it, signed or not. Every download is streamed
# through the view that checked the user's scope (peacekeeping/storage.py). No bucket:
# MEDIA_ROOT on this machine, which only a one-machine setup may use.
_S3_BUCKET = env_str("AWS_STORAGE_BUCKET_NAME").strip()
_S3_ENDPOINT = env_str("AWS_S3_ENDPOINT_URL").strip()  # empty: AWS itself
_S3_REGION = env_str("AWS_S3_REGION_NAME").strip()
# "path" for most S3-compatible servers (MinIO, moto) reached by an IP or a plain host.
_S3_ADDRESSING = env_choice("AWS_S3_ADDRESSING_STYLE", "auto", {"auto", "path", "virtual"})
# A prefix inside the bucket (one bucket, several deployments).
_S3_LOCATION = env_str("AWS_LOCATION").strip().strip("/")
if _S3_BUCKET:
    from botocore.config import Config as _BotoConfig

    if not 3 <= len(_S3_BUCKET) <= 63:
        raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME must be 3 to 63 characters long.")
    if _S3_ENDPOINT and not _S3_ENDPOINT.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"AWS_S3_ENDPOINT_URL must start with http:// or https://, not {_S3_ENDPOINT!r}."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _S3_BUCKET,
            "endpoint_url": _S3_ENDPOINT or None,
            "region_name": _S3_REGION or None,
            # Unset: boto3's own chain (an instance or task role, ~/.aws, ...).
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "location": _S3_LOCATION,
            # Objects get the bucket's default ACL (private); a name is never reused.
            "default_acl": None,
            "file_overwrite": False,
            # Were a URL ever built, it would be signed and valid for a minute; none is.
            "querystring_auth": True,
            "querystring_expire": 60,
            # storage.open() spools an object here (RAM, then a temporary file past this);
            # downloads do not use it (peacekeeping/storage.py streams them).
            "max_memory_size": 8 * 1024 * 1024,
            "client_config": _BotoConfig(
                connect_timeout=5,
                read_timeout=60,
                retries={"max_attempts": 3, "mode": "standard"},
                signature_version="s3v4",
                s3={"addressing_style": _S3_ADDRESSING},
            ),
        },
    }

# --- E-mail ----------------------------------------------------------------------------
# Django 6.1's MAILERS replaces the EMAIL_* settings; the environment keeps their names.
# Local: mail is printed to the console. Production: SMTP unless told otherwise.
_EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
_EMAIL_OPTIONS = {
    "host": env_str("EMAIL_HOST") or "localhost",
    "port": env_int("EMAIL_PORT", 25, minimum=1),
    "username": env_str("EMAIL_HOST_USER"),
    "password": env_str("EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("EMAIL_USE_TLS", default=False),
}
# Production with no mail server named used to mean SMTP to localhost:25, which the
# workers retried for ever: say so at start-up instead.
if not DEBUG and _EMAIL_BACKEND.endswith("smtp.EmailBackend") and not env_str("EMAIL_HOST"):
    raise ImproperlyConfigured(
        "EMAIL_HOST must name your SMTP server when DEBUG is false; or set "
        "EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend to write e-mails to "
        "the log instead (docs/operators/security-platform.md, local production mode)."
    )
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": _EMAIL_OPTIONS if _EMAIL_BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "peacekeeping-accountability@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security --------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# The language cookie: read by the server only (the language form posts), never sent
# cross-site, and Secure wherever the session cookie is.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Django 6's built-in CSP: no inline script or style, no third-party origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if not DEBUG:
    # Browsers send Secure cookies over https only: on a LAN served over plain http, set
    # SECURE_COOKIES=false or nobody can sign in (docs/operators/security-platform.md).
    SECURE_COOKIES = env_bool("SECURE_COOKIES", default=True)
    if SECURE_COOKIES and env_str("SITE_URL").startswith("http://"):
        raise ImproperlyConfigured(
            f"SITE_URL is {env_str('SITE_URL')!r}, plain http, but the session and CSRF "
            "cookies are Secure, which browsers send over https only: nobody could sign "
            "in. Serve the site over https (SITE_URL=https://...), or on a LAN without TLS "
            "set SECURE_COOKIES=false and SECURE_SSL_REDIRECT=false."
        )
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    # Health probes from the orchestrator arrive over plain HTTP inside the cluster.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^livez/$", r"^readyz/$"]

# --- Map -----------------------------------------------------------------------------
# The incident map works offline: vendored Leaflet over Natural Earth country boundaries
# (static/vendor/). A tile server is used only when MAP_TILE_URL names one, e.g.
# https://tiles.example.org/{z}/{x}/{y}.png; its origin is then allowed in the CSP img-src.
MAP_TILE_URL = env_str("MAP_TILE_URL").strip()
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION").strip()
if MAP_TILE_URL:
    _tiles = urlsplit(MAP_TILE_URL)
    if _tiles.scheme not in {"http", "https"} or not _tiles.netloc:
        raise ImproperlyConfigured(
            f"MAP_TILE_URL must be an http(s) URL with a host, not {MAP_TILE_URL!r}."
        )
    if not all(part in MAP_TILE_URL for part in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured("MAP_TILE_URL must contain {z}, {x} and {y}.")
    # "{s}" (Leaflet's subdomain placeholder) becomes a CSP wildcard: https://*.tiles...
    SECURE_CSP["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}")
# --- Domain rules ----------------------------------------------------------------------
# An attack with no investigation opened within this many days is an impunity case...
IMPUNITY_NO_INVESTIGATION_DAYS = env_int("IMPUNITY_NO_INVESTIGATION_DAYS", 90, minimum=1)
# ...and so is a case on which nothing has progressed for this many days.
IMPUNITY_NO_PROGRESS_DAYS = env_int("IMPUNITY_NO_PROGRESS_DAYS", 180, minimum=1)
# A legal officer's desk lists the cases with no investigation after this many days.
TASK_NO_INVESTIGATION_DAYS = env_int("TASK_NO_INVESTIGATION_DAYS", 60, minimum=1)
# Path of the shared data folder (the UN fatalities file and the missions list).
SHARED_DATA_DIR = Path(env_str("SHARED_DATA_DIR") or BASE_DIR.parent / "shared" / "data")
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "peacekeeping-demo")

# --- Logging: structured (one JSON object a line) to stdout ------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "peacekeeping.logging.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
        # WeasyPrint (follow-up reports) logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# --- Application security: four eyes, uploads ------------------------------------------
# Docs: docs/operators/security-app.md.
# Verifying an incident is a check of someone else's report: its submitter may not verify
# it. `false` only for a one-person deployment (a test bench), never in production.
FOUR_EYES_VERIFICATION = env_bool("FOUR_EYES_VERIFICATION", default=True)
# The largest evidence file (bytes). An upload past it is cut off as it arrives, before
# the rest of the request body is read (peacekeeping/uploads.py), then refused.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_HANDLERS = [
    "peacekeeping.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
