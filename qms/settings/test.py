"""Settings for the test suite: fast hashing, in-memory email, tasks run eagerly unless a test says otherwise."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production")

from qms.settings.base import *  # noqa: F403
from qms.settings.base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
WHITENOISE_AUTOREFRESH = True
# The suite's personas sign in with a password only; two-factor tests turn this on themselves.
CLAUSE5_TWO_FACTOR_REQUIRED = False
# Tests see every change at once; the cache has its own tests.
CLAUSE5_READINESS_PANEL_CACHE_SECONDS = 0
