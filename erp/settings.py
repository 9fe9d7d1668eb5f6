"""Settings, all from the environment.

DATABASE_URL      postgres://user:pass@host:5432/name   (default: SQLite file var/erp.sqlite3)
REDIS_URL         redis://host:6379/0  broker and cache  (default: none, Celery runs tasks eagerly)
CELERY_BROKER_URL overrides REDIS_URL for the broker only
DJANGO_SECRET_KEY required when DJANGO_DEBUG=0
DJANGO_DEBUG      1 (default) for trying the product, 0 in production
DJANGO_ALLOWED_HOSTS comma separated (default: localhost,127.0.0.1 and, with debug, *)
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdefghij"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" + (",*" if DEBUG else "")
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "bootstrap",
    "erp",
    "customers",
    "crm",
    "materials",
    "orders",
    "production",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "erp.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "erp.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a refused (locked-out) login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "erp.urls"
WSGI_APPLICATION = "erp.wsgi.application"

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
                "erp.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'erp.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # The embedded database serialises writers: every transaction begins IMMEDIATE (takes
    # the write lock first, so a read-then-write never fails half-way with "database is
    # locked"), a writer waits up to 20 s for the lock, and WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before the password
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection (django-axes): failed logins are counted per username and per
# (username, address); at the limit that user cannot log in for the cool-off time (the
# page says so, HTTP 429). Not per address alone: a factory's clerks often share one
# address. Unlock early: `python manage.py axes_reset_username USER` (or Admin -> Axes).
AXES_ENABLED = env_bool("ERP_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("ERP_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ERP_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "erp.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS: list[str] = []  # the log names user and address (never a password)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker the tasks run in the calling process (eagerly).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Material availability (CONTRACT 3b): recomputed at once by a reader up to this many open
# order lines when its inputs changed, in the background above it.
MATERIAL_SYNC_LINES = int(os.environ.get("ERP_MATERIAL_SYNC_LINES", "5000"))
# Receivables and credit (CONTRACT 8): the VAT rate of invoices, and how many days past due
# an invoice may be before the customer's next order waits for credit approval.
VAT_RATE = Decimal(os.environ.get("ERP_VAT_RATE", "0.13"))
CREDIT_OVERDUE_DAYS = int(os.environ.get("ERP_CREDIT_OVERDUE_DAYS", "30"))
# The company name printed on documents for customers (the order confirmation).
COMPANY_NAME = os.environ.get("ERP_COMPANY_NAME", "")
# The factory's currency (ISO code): money on screens shows its sign to a Chinese reader
# (¥ for CNY) and the code to an English one (CNY 1,234.50).
CURRENCY = os.environ.get("ERP_CURRENCY", "CNY").strip().upper() or "CNY"
NIGHTLY_HOUR = int(os.environ.get("ERP_NIGHTLY_HOUR", "2"))
NIGHTLY_MINUTE = int(os.environ.get("ERP_NIGHTLY_MINUTE", "0"))
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "erp-heartbeat": {
        "task": "erp.tasks.record_heartbeat",
        "schedule": crontab(minute="*/15"),
    },
    "nightly-material-status": {
        "task": "orders.tasks.nightly_material_status",
        "schedule": crontab(hour=NIGHTLY_HOUR, minute=NIGHTLY_MINUTE),
    },
    "nightly-mrp": {
        "task": "production.tasks.nightly_mrp",
        "schedule": crontab(hour=NIGHTLY_HOUR, minute=NIGHTLY_MINUTE),
    },
    "nightly-contact-slips": {
        "task": "production.tasks.nightly_contact_slips",
        "schedule": crontab(hour=NIGHTLY_HOUR, minute=(NIGHTLY_MINUTE + 10) % 60),
    },
    "hourly-portfolio-escalation": {
        "task": "production.tasks.escalate_portfolio_steps",
        "schedule": crontab(minute=5),
    },
    "nightly-rankings": {
        "task": "reports.tasks.nightly_rankings",
        "schedule": crontab(hour=NIGHTLY_HOUR, minute=(NIGHTLY_MINUTE + 20) % 60),
    },
    "nightly-profit-snapshots": {
        "task": "reports.tasks.nightly_profit_snapshots",
        "schedule": crontab(hour=NIGHTLY_HOUR, minute=(NIGHTLY_MINUTE + 30) % 60),
    },
    "nightly-first-followups": {
        "task": "crm.tasks.nightly_first_followups",
        "schedule": crontab(hour=NIGHTLY_HOUR, minute=(NIGHTLY_MINUTE + 35) % 60),
    },
    "monthly-vip-surveys": {
        "task": "crm.tasks.monthly_vip_surveys",
        "schedule": crontab(day_of_month=1, hour=NIGHTLY_HOUR, minute=(NIGHTLY_MINUTE + 45) % 60),
    },
    "nightly-overdue-reminders": {
        "task": "crm.tasks.nightly_overdue_reminders",
        "schedule": crontab(hour=NIGHTLY_HOUR, minute=(NIGHTLY_MINUTE + 40) % 60),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "erp.api.authentication.TokenAuthentication",  # permissions read in one query
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than erp.api.parsers.MAX_DEPTH is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "erp.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Generous per-client rates (429 with Retry-After beyond them) against runaway scripts
    # and floods; counted in the cache (Redis when REDIS_URL is set); erp/api/throttling.py.
    "DEFAULT_THROTTLE_CLASSES": [
        "erp.api.throttling.AnonRateThrottle",
        "erp.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("ERP_API_ANON_RATE", "60/minute"),
        "user": os.environ.get("ERP_API_USER_RATE", "600/minute"),
    },
    # Proxies in front that set X-Forwarded-For (0: the client is REMOTE_ADDR, and a
    # forged header cannot dodge the anonymous rate).
    "NUM_PROXIES": int(os.environ.get("ERP_PROXY_COUNT", "0")),
    "DEFAULT_PAGINATION_CLASS": "erp.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "erp.api.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "erp.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "erp.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Factory ERP API",
    "DESCRIPTION": "Orders, materials, production, customers and profit for a small factory.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "WorkOrderStatusEnum": "production.models.WorkOrder.Status",
        "ContactSlipDecisionEnum": "production.models.ContactSlip.Decision",
        "StaleDealDecisionEnum": "production.models_adjust.StaleDealDecision.Decision",
        "LevelEnum": "production.models.Portfolio.Level",
        "NcrSourceEnum": "production.models_quality.NcrSource",
        "ContactReasonEnum": "crm.models.ContactReason",
        "ReturnReasonEnum": "orders.models.ReturnReason",
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "erp@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Failed logins and lockouts (django-axes) are always logged, whatever the root level.
    "loggers": {"axes": {"level": "INFO"}},
}

# Content-Security-Policy and Permissions-Policy on every response (erp/security.py), in
# debug too, so that the browser tests prove the pages work under them.
from erp.security import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY  # noqa: E402,F401

CSP_REPORT_ONLY = env_bool("ERP_CSP_REPORT_ONLY", False)

if not DEBUG:
    # TLS ends at a proxy that says so in X-Forwarded-Proto (and drops any such header a
    # client sent); DJANGO_SECURE_PROXY_SSL_HEADER= (empty) when nothing in front sets it.
    _proxy_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    if _proxy_header:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
