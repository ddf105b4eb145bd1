"""One settings module, driven by the environment (see .env.example).

Local development needs no variable at all: SQLite, in-process background jobs, DEBUG on.
Production is DEBUG=false and must name SECRET_KEY and ALLOWED_HOSTS.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from peacekeeping.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery -----------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pk",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without a broker, tasks run in-process at once (eager), so every feature still works.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 660, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {}

# --- Auth ------------------------------------------------------------------------------
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

# --- Accounts (login throttling, sessions, 2FA) -----------------------------------------
# See README, "Accounts and sessions". Code: peacekeeping/accounts/.
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while the username or the client IP is locked out.
    "peacekeeping.accounts.throttling.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: LOGIN_FAILURE_LIMIT failures per username, and separately per IP, lock
# further attempts until LOGIN_LOCKOUT_MINUTES have passed since the last failure.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
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
# --- end of Accounts -------------------------------------------------------------------

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # stored and computed in UTC; shown in the user's zone (middleware)
DISPLAY_TIME_ZONE = env_str("DISPLAY_TIME_ZONE") or "UTC"

# --- Static and media files ------------------------------------------------------------
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
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    # Health probes from the orchestrator arrive over plain HTTP inside the cluster.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# --- Map -----------------------------------------------------------------------------
# The incident map works offline: vendored Leaflet over Natural Earth country boundaries
# (static/vendor/). A tile server is used only when MAP_TILE_URL names one, e.g.
# https://tiles.example.org/{z}/{x}/{y}.png; its origin is then allowed in the CSP img-src.
MAP_TILE_URL = env_str("MAP_TILE_URL").strip()
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION").strip()
if MAP_TILE_URL:
    from urllib.parse import urlsplit

    _tiles = urlsplit(MAP_TILE_URL)
    if _tiles.scheme not in {"http", "https"} or not _tiles.netloc:
        raise ImproperlyConfigured(
            f"MAP_TILE_URL must be an http(s) URL with a host, not {MAP_TILE_URL!r}."
        )
    if not all(part in MAP_TILE_URL for part in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured("MAP_TILE_URL must contain {z}, {x} and {y}.")
    # "{s}" (Leaflet's subdomain placeholder) becomes a CSP wildcard: https://*.tiles...
    SECURE_CSP["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}")
# --- end of Map ------------------------------------------------------------------------

# --- REST framework --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Peacekeeping accountability API",
    "DESCRIPTION": "Attacks on UN peacekeepers and the justice that follows (UNSC res. 2589).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Domain rules ----------------------------------------------------------------------
# An attack with no investigation opened within this many days is an impunity case...
IMPUNITY_NO_INVESTIGATION_DAYS = env_int("IMPUNITY_NO_INVESTIGATION_DAYS", 90, minimum=1)
# ...and so is a case on which nothing has progressed for this many days.
IMPUNITY_NO_PROGRESS_DAYS = env_int("IMPUNITY_NO_PROGRESS_DAYS", 180, minimum=1)
# Path of the shared data folder (the UN fatalities file and the missions list).
SHARED_DATA_DIR = Path(env_str("SHARED_DATA_DIR") or BASE_DIR.parent / "shared" / "data")
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "peacekeeping-demo")

# --- Follow-up reports -----------------------------------------------------------------
# See README, "Follow-up reports". Code: accountability/reports/, accountability/tasks.py.
from datetime import date  # noqa: E402

from celery.schedules import crontab  # noqa: E402

# A report covers one month or one quarter (the last complete one when scheduled).
FOLLOWUP_REPORT_PERIOD = env_choice("FOLLOWUP_REPORT_PERIOD", "month", {"month", "quarter"})
# Attacks before this date are left out (the period the UN's accountability figures cover).
_attacks_since = env_str("FOLLOWUP_REPORT_ATTACKS_SINCE", "2013-01-01")
try:
    FOLLOWUP_REPORT_ATTACKS_SINCE = date.fromisoformat(_attacks_since)
except ValueError:
    raise ImproperlyConfigured(
        f"FOLLOWUP_REPORT_ATTACKS_SINCE must be a date (YYYY-MM-DD), not {_attacks_since!r}."
    ) from None
# A suspect held this many days without a trial opened is listed as detained without trial.
FOLLOWUP_DETENTION_THRESHOLD_DAYS = env_int("FOLLOWUP_DETENTION_THRESHOLD_DAYS", 180, minimum=1)
# A report 'running' without a heartbeat for this long, or 'pending' and not picked up for
# this long, is re-queued by the sweeper (from PostgreSQL, not Redis's visibility timeout).
REPORT_STALE_AFTER_SECONDS = env_int("REPORT_STALE_AFTER_SECONDS", 120, minimum=1)
# Claims of one report before the sweeper gives up and marks it failed.
REPORT_MAX_ATTEMPTS = env_int("REPORT_MAX_ATTEMPTS", 3, minimum=1)
FOLLOWUP_REPORT_SOFT_TIME_LIMIT = env_int("FOLLOWUP_REPORT_SOFT_TIME_LIMIT", 300, minimum=1)
FOLLOWUP_REPORT_TIME_LIMIT = env_int("FOLLOWUP_REPORT_TIME_LIMIT", 330, minimum=1)
if FOLLOWUP_REPORT_TIME_LIMIT <= FOLLOWUP_REPORT_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured(
        "FOLLOWUP_REPORT_TIME_LIMIT must be greater than FOLLOWUP_REPORT_SOFT_TIME_LIMIT."
    )
# Absolute links in e-mails (no request to read the host from).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}.")
# Tests only: (progress, seconds) makes the build sleep at that progress point.
FOLLOWUP_REPORT_PAUSE_AT: tuple[int, float] | None = None
CELERY_BEAT_SCHEDULE.update(
    {
        # Daily and idempotent: the last complete period's report is created once per
        # State, so a beat that was down on the 1st catches up the next day.
        "followup-reports": {
            "task": "accountability.tasks.schedule_followup_reports",
            "schedule": crontab(minute=0, hour=5),
        },
        "sweep-stalled-reports": {
            "task": "accountability.tasks.sweep_stalled_reports",
            "schedule": 60.0,
            "options": {"expires": 55},
        },
        "impunity-digest": {
            "task": "accountability.tasks.send_impunity_digest",
            "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
        },
    }
)
# --- end of Follow-up reports ----------------------------------------------------------

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
    },
}
