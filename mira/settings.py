"""MIRA settings. Everything that differs between installations comes from the
environment (see the README, "Configuration"). Without MIRA_DEBUG the secure
production defaults apply."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from mira.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("MIRA_DEBUG")
# The demo mode (make run) loads synthetic accounts; it must never be set in production.
DEMO_MODE = env_bool("MIRA_DEMO")

if DEBUG:
    SECRET_KEY = env_str("MIRA_SECRET_KEY", "insecure-development-key-never-use-in-production-0123456789")
else:
    SECRET_KEY = env_str("MIRA_SECRET_KEY")

ALLOWED_HOSTS = env_list("MIRA_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("MIRA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_scopes",
    "django_tasks",
    "django_tasks_db",
    "mira.core",
    "mira.accounts",
    "mira.network",
    "mira.participants",
    "mira.documents",
    "mira.privacy",
    "mira.counselling",
    "mira.accompaniment",
    "mira.roadmap",
    "mira.aid",
    "mira.portal",
    "mira.psychology",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mira.core.middleware.StaffLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mira.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mira.core.middleware.HtmxLoginRedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "mira.core.middleware.CentreScopeMiddleware",
    # Axes must be last: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mira.urls"
WSGI_APPLICATION = "mira.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mira" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} for ids without Django's pattern matching on every call (mira/core/reversing.py).
            "builtins": ["mira.core.templatetags.fast_url"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mira.core.context_processors.mira",
            ],
        },
    },
]
# Django's form renderer with inputs, selects and text areas written in Python (same markup, a
# fraction of the time; mira/core/form_renderer.py).
FORM_RENDERER = "mira.core.form_renderer.Renderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("MIRA_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A page's queries read a few index entries each; a parallel plan's worker start-up costs more
    # than the query (measured at 100,000 cases: the aid list 24 ms of SQL with parallel workers,
    # 11 ms without). Empty: PostgreSQL's own setting (needed behind PgBouncer, which refuses the
    # start-up option; set it for the database role there instead).
    _parallel = os.environ.get("MIRA_DB_MAX_PARALLEL_WORKERS", "0").strip()
    if _parallel:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c max_parallel_workers_per_gather={int(_parallel)}"
        )
    # Prepared statements: PostgreSQL plans a page's queries once per connection instead of on
    # every request (planning took 0.2-1.7 ms a query, five to ten times their execution, measured
    # at 100,000 cases). Needs server-side parameter binding. Empty turns it off (a PgBouncer in
    # transaction mode before 1.21, or without max_prepared_statements, cannot keep them).
    _prepare = os.environ.get("MIRA_DB_PREPARE_THRESHOLD", "2").strip()
    if _prepare:
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": int(_prepare)}
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "mira.accounts.backends.PasswordBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Second factor: required for every staff account unless explicitly switched off
# for the demo quickstart.
MIRA_REQUIRE_SECOND_FACTOR = env_bool("MIRA_REQUIRE_SECOND_FACTOR", True)
OTP_TOTP_ISSUER = "MIRA"

# Brute-force protection (django-axes): lock the username after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = env_int("MIRA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("MIRA_LOGIN_COOLOFF_MINUTES", 30) / 60
# Locks a username after repeated failures, and an address that tries many usernames.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Behind a reverse proxy the client address comes from X-Forwarded-For (right-most entry),
# otherwise every visitor would share the proxy's address and one lockout would lock out all.
MIRA_BEHIND_PROXY = env_bool("MIRA_BEHIND_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "mira.accounts.client_ip.client_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions end after this much inactivity (every request renews the cookie).
SESSION_COOKIE_AGE = env_int("MIRA_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Moves the end of an idle session at most once a minute (mira/accounts/sessions.py).
SESSION_ENGINE = "mira.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Internationalisation
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("ru", _("Russian")),
    ("tr", _("Turkish")),
]
# Staff pages are offered in these; the others are for participant-facing pages and PDFs.
STAFF_LANGUAGES = ["de", "en"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

# Static files, served by whitenoise with compression and hashed names.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Documents never live under a public URL: no MEDIA_URL is served; every download
# goes through a permission-checked view.
MEDIA_ROOT = Path(env_str("MIRA_MEDIA_ROOT", str(BASE_DIR / "var" / "documents")))
STORAGE_BACKEND = env_str("MIRA_STORAGE", "local")
if STORAGE_BACKEND == "s3":
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MIRA_S3_BUCKET"),
            "endpoint_url": env_str("MIRA_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("MIRA_S3_REGION", "") or None,
            "access_key": env_str("MIRA_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("MIRA_S3_SECRET_KEY", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": "/nonexistent/"},
    }
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MIRA_UPLOAD_MAX_BYTES = env_int("MIRA_UPLOAD_MAX_MB", 10) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Background jobs: django-tasks with the database backend; run `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("MIRA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# The installation's public address, for links in emails (reminders).
MIRA_BASE_URL = env_str("MIRA_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# In-kind aid cap per participant, by funding period: comma-separated start=amount pairs.
MIRA_AID_CAP_PERIODS = env_str("MIRA_AID_CAP_PERIODS", "2020-01-01=1000.00")

# Retention: personal data is erased this many years after a case was closed; aid and payment
# records are kept (reduced to the case number) for the funder's audit period.
MIRA_RETENTION_YEARS_AFTER_CLOSE = env_int("MIRA_RETENTION_YEARS_AFTER_CLOSE", 3)
MIRA_AUDIT_RETENTION_YEARS = env_int("MIRA_AUDIT_RETENTION_YEARS", 10)
# A data-subject export PDF made by the worker waits this many hours at most for its download.
MIRA_EXPORT_KEEP_HOURS = env_int("MIRA_EXPORT_KEEP_HOURS", 24)

# Email
EMAIL_BACKEND = env_str(
    "MIRA_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("MIRA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MIRA_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("MIRA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("MIRA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MIRA_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("MIRA_EMAIL_FROM", "MIRA <mira@localhost>")

# Security headers. The Content-Security-Policy is strict in every mode, so that a
# violation shows while developing: no inline script or style, nothing external.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("MIRA_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("MIRA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("MIRA_HSTS_PRELOAD", True)
    if MIRA_BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MIRA_LOG_LEVEL", "INFO")},
    "loggers": {"mira.security": {"level": "WARNING", "propagate": True}},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
