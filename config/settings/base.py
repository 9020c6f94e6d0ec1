"""Settings shared by every environment; values come from the environment.

The defaults work on a developer machine with PostgreSQL and Redis on localhost.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.CeasefireAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "axes",
    "negotiations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An account signed in with its one-time password must choose its own first.
    "negotiations.accounts.password_change_required",
    "negotiations.middleware.private_when_signed_in",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "negotiations.context_processors.review_waiting",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/ceasefire")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Sign-in throttling: five failures lock the username for this IP for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")

# Django's cache on the Redis already run for Celery: rendered timeline items, listings,
# counts and response bodies, each keyed by the content versions (negotiations.caching).
# Its own key prefix keeps it apart from the broker's keys; it is never flushed.
CACHES = {
    "default": {
        # CEASEFIRE_CACHE=off measures (or runs) without it: every page built from scratch.
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if env.bool("CEASEFIRE_CACHE", default=True)
        else "django.core.cache.backends.dummy.DummyCache",
        "LOCATION": env("REDIS_CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="ceasefire"),
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

# Celery (namespace CELERY in config/celery.py).
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# A task that is redelivered after a crash must be safe to run twice: every task is.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Must exceed the hard time limit, or Redis redelivers tasks that are still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery's Django fixup otherwise closes the database connection after every task, and
# reconnecting costs more than a small task; connections are instead recycled as Django
# recycles them between requests (CONN_MAX_AGE, errors), see config/celery.py.
CELERY_DB_REUSE_MAX = 1000
CELERY_BEAT_SCHEDULE = {
    "record-worker-heartbeat": {
        "task": "negotiations.tasks.record_heartbeat",
        "schedule": 30.0,
    },
}
# /healthz calls the worker busy (alive, or down if not) when its last heartbeat through
# the queue is older than this; it answers within HEALTH_TIMEOUT_SECONDS whatever hangs.
HEARTBEAT_MAX_AGE_SECONDS = env.int("HEARTBEAT_MAX_AGE_SECONDS", default=120)
HEALTH_TIMEOUT_SECONDS = 1.5
CELERY_TASK_DEFAULT_QUEUE = "celery"
# A task whose worker loses the broker is cancelled (its message comes back), rather than
# finishing and failing to acknowledge; and a child that grew large on a huge page is
# replaced after its task instead of keeping the memory.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", default=300_000
)
CELERY_WORKER_MAX_TASKS_PER_CHILD = 500

# Personal Atom and API tokens stop working after this many days (or a password change).
READER_TOKEN_MAX_AGE_DAYS = env.int("READER_TOKEN_MAX_AGE_DAYS", default=90)


def smtp_mailer(host: str) -> dict:
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": host,
            "port": env.int("DJANGO_SMTP_PORT", default=587),
            "username": env("DJANGO_SMTP_USER", default=""),
            "password": env("DJANGO_SMTP_PASSWORD", default=""),
            "use_tls": env.bool("DJANGO_SMTP_TLS", default=True),
        },
    }


# Password reset by e-mail: printed on the console unless DJANGO_SMTP_HOST names a server
# (production always sends by SMTP).
SMTP_HOST = env("DJANGO_SMTP_HOST", default="")
MAILERS = {
    "default": smtp_mailer(SMTP_HOST)
    if SMTP_HOST
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="ceasefire-tracker@localhost")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Content Security Policy (Django's built-in middleware): no inline script or style.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

# Reading the analyst pages needs a signed-in user unless this is set.
PUBLIC_READ = env.bool("CEASEFIRE_PUBLIC_READ", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # Every successful sign-in is logged at INFO by django-axes; failures still show.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Ingestion ---
# Beat dispatches the feeds that are due; each poll is locked so two workers never share one.
CELERY_BEAT_SCHEDULE["dispatch-due-feeds"] = {
    "task": "negotiations.tasks.dispatch_due_feeds",
    "schedule": 60.0,
}
# Re-extraction after a gazetteer change is enqueued at once; this catches what was lost and
# articles read by an older extractor.
CELERY_BEAT_SCHEDULE["reextract-sweep"] = {
    "task": "negotiations.tasks.reextract_sweep",
    "schedule": 300.0,
}
# The fetcher refuses loopback, private, link-local, multicast and reserved addresses unless
# named here: hosts as "name" or "name:port", networks in CIDR form. Empty in production.
FETCH_ALLOWED_HOSTS = env.list("FETCH_ALLOWED_HOSTS", default=[])
FETCH_ALLOWED_NETWORKS = env.list("FETCH_ALLOWED_NETWORKS", default=[])
# A poison article stops after this many attempts and is marked failed with its error.
INGEST_MAX_ATTEMPTS = env.int("INGEST_MAX_ATTEMPTS", default=5)
# Time limits of the ingestion tasks (soft: the task records it on the feed or article),
# all below the broker's visibility timeout.
INGEST_POLL_TIME_LIMITS = (60, 90)
INGEST_ARTICLE_TIME_LIMITS = (120, 150)
# A claim on a feed or an article outlives its task's hard time limit: once it has run out,
# the task is dead for sure and another may take over.
INGEST_FEED_LEASE_SECONDS = INGEST_POLL_TIME_LIMITS[1] + 30
INGEST_ARTICLE_LEASE_SECONDS = INGEST_ARTICLE_TIME_LIMITS[1] + 30
# A dispatched feed is not dispatched again for this long, even if its poll waits in the
# queue (the poll sets the real next time); a lost poll is dispatched again after it.
INGEST_DISPATCH_LEASE_SECONDS = 600
# A pending article without a lease whose task was due this long ago has lost its message
# (a broker restart): the sweep enqueues it again.
INGEST_ORPHAN_AFTER_SECONDS = env.int("INGEST_ORPHAN_AFTER_SECONDS", default=300)
# A poll records at most this many new articles; the rest wait for the next poll.
INGEST_MAX_NEW_ENTRIES_PER_POLL = env.int("INGEST_MAX_NEW_ENTRIES_PER_POLL", default=200)
CELERY_BEAT_SCHEDULE["ingestion-sweep"] = {
    "task": "negotiations.tasks.sweep_ingestion",
    "schedule": 60.0,
}

# --- Analyst pages ---
# Items per timeline page or infinite-scroll step.
TIMELINE_PAGE_SIZE = env.int("TIMELINE_PAGE_SIZE", default=50)
# Coming Back to the timeline reloads it down to the item the reader left from, at most
# this many items deep (then the usual "Older items" follow).
TIMELINE_RESTORE_MAX = env.int("TIMELINE_RESTORE_MAX", default=1000)
# An export holds at most this many items, the newest or most relevant first; a cut one
# says so ("truncated" in JSON, X-Export-Truncated on every export).
EXPORT_MAX_ITEMS = env.int("EXPORT_MAX_ITEMS", default=10000)
# Exports streaming at once on the whole site; one more is asked to come back (429).
EXPORT_CONCURRENCY = env.int("EXPORT_CONCURRENCY", default=2)
# An Atom feed carries the latest items only, as feed readers expect.
ATOM_MAX_ITEMS = 50

# --- Review ---
# How long the workbench offers to undo a review (seconds; the server allows a minute).
REVIEW_UNDO_SECONDS = env.int("REVIEW_UNDO_SECONDS", default=10)
