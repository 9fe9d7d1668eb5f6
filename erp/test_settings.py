"""Test settings: the real parts. PostgreSQL and Redis on localhost unless the
environment points elsewhere (see scripts/test.sh)."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/erp")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("DJANGO_DEBUG", "1")

from erp.settings import *  # noqa: E402,F403

# Tasks run in-process in tests; the broker itself is checked by the health test.
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Login lockout and API throttles would trip over a suite that logs in and posts quickly:
# the lockout is off and the rates out of reach here; the tests that prove them switch
# them on (tests/erp/test_login_lockout.py, tests/api/test_throttle.py).
AXES_ENABLED = False
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "100000/minute", "user": "100000/minute"}  # noqa: F405
