"""Small overrides for the test suite; everything else comes from mira.settings."""

import os

os.environ.setdefault("MIRA_DEBUG", "1")
os.environ.setdefault("MIRA_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")

from mira.settings import *  # noqa: E402,F403
from mira.settings import DATABASES, TASKS  # noqa: E402

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("The test suite runs on PostgreSQL: set DATABASE_URL (make test does).")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-documents"  # noqa: F405
STORAGES["default"]["OPTIONS"]["location"] = MEDIA_ROOT  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run queued tasks through the real database queue with the worker command.
TASKS["default"]["BACKEND"] = "django_tasks_db.DatabaseBackend"
MIRA_REQUIRE_SECOND_FACTOR = False
DEBUG = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
AXES_ENABLED = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
