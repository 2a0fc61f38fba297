"""Hamseda settings: one file, every value from a HAMSEDA_* environment variable.

SQLite in the data folder is the embedded default; production sets
HAMSEDA_DATABASE_URL to PostgreSQL. See the configuration table in README.md.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# A test run (pytest) and the demo may do without a secret key; nothing else may.
TESTING = "pytest" in sys.modules or env_bool("HAMSEDA_TESTING")
DEMO = env_bool("HAMSEDA_DEMO")

if env_str("HAMSEDA_DATA_DIR") or not TESTING:
    DATA_DIR = Path(env_str("HAMSEDA_DATA_DIR", str(Path.cwd() / "var"))).resolve()
else:
    # A test run writes its files (broker queue, mail, media) in a folder of its own.
    DATA_DIR = Path(tempfile.mkdtemp(prefix="hamseda-test-"))

DEBUG = env_bool("HAMSEDA_DEBUG", default=False)

SECRET_KEY = env_str("HAMSEDA_SECRET_KEY")
if not SECRET_KEY:
    if TESTING:
        SECRET_KEY = "hamseda-tests-only-secret-key-" + "x" * 32
    else:
        raise ImproperlyConfigured(
            "HAMSEDA_SECRET_KEY is not set: production needs a long random value "
            "(the demo command sets one of its own in the data folder)."
        )

ALLOWED_HOSTS = env_list("HAMSEDA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("HAMSEDA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First, so its templates (registration/*, 404 ...) win over the admin's.
    "hamseda.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "hamseda.directory",
    "hamseda.meetings",
    "hamseda.followups",
    "hamseda.campaigns",
    "hamseda.activities",
    "hamseda.monitoring",
    "hamseda.broadcast",
    "hamseda.social",
    # Last: its demo ranks the offices on the data every app above has loaded.
    "hamseda.evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last: it reads the outcome of authentication above it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hamseda.urls"
WSGI_APPLICATION = "hamseda.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hamseda.core.context_processors.shell",
            ],
            "builtins": ["hamseda.core.templatetags.persian"],
        },
    },
]

# --- database -------------------------------------------------------------------
SQLITE_DEFAULT = f"sqlite:///{DATA_DIR / 'hamseda.sqlite3'}"
DATABASE_URL = env_str("HAMSEDA_DATABASE_URL", SQLITE_DEFAULT)
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("HAMSEDA_DB_CONN_MAX_AGE", 60))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock
    # at BEGIN so two writers queue on busy_timeout instead of failing with
    # "database is locked" half-way through a transaction.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; PRAGMA synchronous=NORMAL;"
        ),
    }
    _db.setdefault("TEST", {})["NAME"] = ""  # in-memory test database
else:
    _db["CONN_HEALTH_CHECKS"] = True
    _db.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # Sorts and bitmap scans of a full-text search over a million articles stay in
    # memory (the server's default, 4 MB, makes them lossy or spill to disk).
    _db["OPTIONS"].setdefault("options", f"-c work_mem={env_int('HAMSEDA_DB_WORK_MEM_MB', 32)}MB")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- users and login ---------------------------------------------------------------
AUTH_USER_MODEL = "directory.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hamseda.core.auth.PersonBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttling of wrong passwords (django-axes): five failures for one username from
# one address lock that pair out for a quarter of an hour.
AXES_FAILURE_LIMIT = env_int("HAMSEDA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("HAMSEDA_PROXY_COUNT", 0) or None

# --- language, calendar, time --------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("فارسی"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

# --- static files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("HAMSEDA_STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("HAMSEDA_MEDIA_ROOT", str(DATA_DIR / "media")))
# Tests and the demo serve files straight from the apps' static folders; production
# runs collectstatic and gets compressed, cache-busting names.
WHITENOISE_USE_FINDERS = DEBUG or DEMO or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or DEMO or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- security ------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_SECURE = env_bool("HAMSEDA_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("HAMSEDA_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- cache, broker, background work ------------------------------------------------
REDIS_URL = env_str("HAMSEDA_REDIS_URL")
if REDIS_URL and not TESTING:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# With no Redis, Celery passes messages through files in the data folder (kombu's
# filesystem transport), so the demo needs no server; the task code is the same.
CELERY_BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = env_str("HAMSEDA_BROKER_URL", REDIS_URL or "filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("HAMSEDA_CELERY_EAGER", default=TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.worker_heartbeat", "schedule": 30.0},
    # Tehran time (CELERY_TIMEZONE): reminders before office hours.
    "followup-reminders": {
        "task": "followups.reminders_send",
        "schedule": crontab(hour=7, minute=0),
    },
    "meeting-schedules": {
        "task": "meetings.schedules_plan",
        "schedule": crontab(hour=2, minute=30),
    },
    # Queues a poll of each source whose next_poll_at is due (monitoring.services.polling).
    "monitoring-poll-due": {"task": "monitoring.poll_due_sources", "schedule": 60.0},
    # Re-reads the indicators of the evaluation cycles being scored or open to
    # objections, and re-ranks them (evaluation.services.compute).
    "evaluation-recompute": {
        "task": "evaluation.recompute_open_cycles",
        "schedule": crontab(hour=3, minute=30),
    },
    # Releases scheduled posts that are due and queues deliveries waiting for a
    # retry whose time has come, or that a lost message left behind
    # (social.services.delivery.sweep).
    "social-sweep": {"task": "social.sweep", "schedule": 30.0},
}
# /healthz calls the worker stale when its last heartbeat is older than this.
WORKER_HEARTBEAT_MAX_AGE = 120

# --- social networks -----------------------------------------------------------------
# Keys that encrypt the bot tokens at rest (Fernet, comma-separated, newest first:
# a key is retired by putting a new one before it). Empty: derived from SECRET_KEY,
# so changing the secret key makes stored tokens unreadable (they must be entered
# again); production sets its own.
SOCIAL_TOKEN_KEYS = env_list("HAMSEDA_SOCIAL_TOKEN_KEYS")
# How long a claimed delivery may stay "sending" before the sweep decides the
# worker died during the call and marks it uncertain (seconds).
SOCIAL_CLAIM_TIMEOUT = env_int("HAMSEDA_SOCIAL_CLAIM_TIMEOUT", 300)
SOCIAL_MAX_ATTEMPTS = env_int("HAMSEDA_SOCIAL_MAX_ATTEMPTS", 6)

# --- follow-ups ----------------------------------------------------------------------
FOLLOWUP_REMINDER_DAYS_BEFORE = env_int("HAMSEDA_REMINDER_DAYS_BEFORE", 3)
FOLLOWUP_ESCALATE_AFTER_DAYS = env_int("HAMSEDA_ESCALATE_AFTER_DAYS", 7)
FOLLOWUP_ATTACHMENT_MAX_MB = env_int("HAMSEDA_ATTACHMENT_MAX_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- mail ----------------------------------------------------------------------------
EMAIL_HOST = env_str("HAMSEDA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("HAMSEDA_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("HAMSEDA_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("HAMSEDA_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("HAMSEDA_EMAIL_TLS")
DEFAULT_FROM_EMAIL = env_str("HAMSEDA_FROM_EMAIL", "hamseda@localhost")
if DEMO and not env_str("HAMSEDA_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")

# --- API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "hamseda.core.api.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hamseda API",
    "DESCRIPTION": "REST API of Hamseda; every call obeys the same permission policy as the UI.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PersonRoleEnum": "hamseda.core.policy.Role",
        "MembershipRoleEnum": "hamseda.directory.models.MembershipRole",
        "AgencyKindEnum": "hamseda.directory.models.AgencyKind",
        "ReportItemKindEnum": "hamseda.meetings.models.ReportItemKind",
        "AgendaKindEnum": "hamseda.meetings.models.AgendaKind",
        "MeetingStatusEnum": "hamseda.meetings.models.MeetingStatus",
        "ReportStatusEnum": "hamseda.meetings.models.ReportStatus",
        "AttendanceStatusEnum": "hamseda.meetings.models.AttendanceStatus",
        "DecisionEnum": "hamseda.meetings.models.Decision",
        "FollowUpStatusEnum": "hamseda.followups.models.FollowUpStatus",
        "FollowUpStateEnum": "hamseda.followups.selectors.State",
        "ActivityKindEnum": "hamseda.activities.models.ActivityKind",
        "ActivityStatusEnum": "hamseda.activities.models.ActivityStatus",
        "ChannelEnum": "hamseda.activities.models.Channel",
        "SourceKindEnum": "hamseda.monitoring.models.SourceKind",
        "PollOutcomeEnum": "hamseda.monitoring.models.PollOutcome",
        "ArticleViaEnum": "hamseda.monitoring.models.ArticleVia",
        "ToneEnum": "hamseda.monitoring.models.Tone",
        "AlertKindEnum": "hamseda.monitoring.models.AlertKind",
        "CycleStatusEnum": "hamseda.evaluation.models.CycleStatus",
        "CriterionKindEnum": "hamseda.evaluation.models.CriterionKind",
        "NormalisationEnum": "hamseda.evaluation.models.Normalisation",
        "AppealStatusEnum": "hamseda.evaluation.models.AppealStatus",
        "CampaignKindEnum": "hamseda.campaigns.models.CampaignKind",
        "SeasonEnum": "hamseda.campaigns.models.Season",
        "TargetMetricEnum": "hamseda.campaigns.models.TargetMetric",
        "PitchStatusEnum": "hamseda.broadcast.models.PitchStatus",
        "PitchFormatEnum": "hamseda.broadcast.models.PitchFormat",
        "PitchOutcomeEnum": "hamseda.broadcast.models.Outcome",
        "SocialPlatformEnum": "hamseda.social.models.Platform",
        "PostStatusEnum": "hamseda.social.models.PostStatus",
        "DeliveryStatusEnum": "hamseda.social.models.DeliveryStatus",
        "DeliveryErrorKindEnum": "hamseda.social.models.ErrorKind",
        "JointStatusEnum": "hamseda.social.models.JointStatus",
        "InviteStatusEnum": "hamseda.social.models.InviteStatus",
    },
}

# --- logging -------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HAMSEDA_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

if TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
