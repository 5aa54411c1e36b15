"""Settings come from the environment (12-factor).

Without DATABASE_URL / REDIS_URL the project-local PostgreSQL and Redis that
`make run` / `make test` start under var/ are used, so `.venv/bin/python manage.py …`
from the checkout talks to the same services.
"""

from pathlib import Path

import environ

from .databases import database_settings
from .local_services import celery_broker_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# var/env holds a developer's own settings; var/local.env is written by
# scripts/services.sh and says where this checkout's own PostgreSQL and Redis listen
# (Unix sockets under var/, so checkouts never collide). Real environment variables
# win over both.
for _name in ("env", "local.env"):
    if (VAR_DIR / _name).exists():
        env.read_env(str(VAR_DIR / _name), overwrite=False)

LOCAL_PG_SOCKET_DIR = env("EJ_PG_HOST", default=str(VAR_DIR / "run"))
LOCAL_REDIS_SOCKET = env("EJ_REDIS_SOCKET", default=str(VAR_DIR / "run" / "redis.sock"))

# Only for DEBUG and the tooling: with DEBUG off this key is refused (ejournal/checks.py);
# `make run` gets a random key of the checkout in var/env from scripts/bootstrap.sh.
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = env("SECRET_KEY", default="") or DEV_SECRET_KEY
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Served over TLS (every real deployment): secure cookies, HSTS, and http redirected to
# https. Off for `make run` on http://127.0.0.1. `make test` runs `check --deploy` with
# HTTPS on and fails on any warning.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]  # probes of the load balancer speak plain http
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365 if HTTPS else 0)
# A school portal owns its host name; an operator who shares the domain turns these off.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
# Content-Security-Policy (django-csp 4, ejournal/middleware.py): everything from our own
# origin, nothing inline. The Django admin lives within it too (its templates carry no
# inline script or handler). The QR code of the second factor is a data: image.
from csp.constants import NONE, SELF  # noqa: E402

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
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
if env.bool("BEHIND_TLS_PROXY", default=False):
    # Only behind a proxy that sets this header itself: otherwise a client could spoof it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "csp",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "journal",
    "diary",
    "reports",
    "demo",
    "maintenance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ejournal.middleware.ContentSecurityPolicyMiddleware",
    "ejournal.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (it asks who is signed in), before the rest on the way out.
    "ejournal.middleware.PrivateCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A write refused by the closed-year triggers is a Russian message, not a 500 (docs/DESIGN.md §3.25).
    "journal.middleware.ClosedYearMiddleware",
    "accounts.middleware.ActivityMiddleware",
    # Inside the session (it keeps the user's last write position there), after the
    # user is known: which reads may go to the replica (ejournal/routers.py).
    "ejournal.routers.ReplicaReadsMiddleware",
    # axes last: it turns lockouts raised by the auth backend into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ejournal.urls"
WSGI_APPLICATION = "ejournal.wsgi.application"

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
                "journal.context_processors.nav",
            ],
        },
    },
]

# Runtime role as `default`, the schema owner as `owner` (migrations, backups): databases.py.
DATABASES = database_settings(env, LOCAL_PG_SOCKET_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default=f"unix://{LOCAL_REDIS_SOCKET}?db=0")

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            # The journal must keep working for teachers when Redis is down:
            # cache misses instead of errors, and give up quickly.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions live in PostgreSQL, so logins survive a Redis outage.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Reads that may lag go to the replica when there is one (docs/DEPLOY.md "A read replica").
DATABASE_ROUTERS = ["ejournal.routers.ReplicaRouter"]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 30)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken

# "warn" logs, "raise" fails, "" skips the check that a transaction takes the audit chain
# lock before any row lock (accounts/audit.py `_check_order`; one query per late lock).
AUDIT_LOCK_ORDER_CHECK = env("AUDIT_LOCK_ORDER_CHECK", default="")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.SchoolModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: a school sits behind one NAT, so lock login + IP, not the IP.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# The client's address (accounts/lockout.py), for the lockout and the audit trail alike.
# Off by default: REMOTE_ADDR. Behind reverse proxies that each append the address they
# saw to X-Forwarded-For (nginx: proxy_set_header X-Forwarded-For
# $proxy_add_x_forwarded_for), TRUSTED_PROXY_COUNT is how many of them stand in front;
# only then may the app be reachable through them alone.
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_HEADER = env("TRUSTED_PROXY_HEADER", default="HTTP_X_FORWARDED_FOR")
# The soft limit per login, whatever the address: past this many failures within the
# cool-off time each try waits 1, 2, 4 … LOGIN_SOFT_DELAY_MAX seconds (never a lock).
LOGIN_SOFT_LIMIT = env.int("LOGIN_SOFT_LIMIT", default=10)
LOGIN_SOFT_DELAY_MAX = env.int("LOGIN_SOFT_DELAY_MAX", default=60)

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "ru"
# Each language under its own name in the switch, whatever language is active.
LANGUAGES = [("ru", "Русский"), ("en", "English")]  # i18n: data
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries come from npm (package-lock.json), served straight from node_modules.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Over a slow connection (issue 20): with STATIC_HASHED=1 (set before collectstatic, see
# docs/DEPLOY.md) file names carry their content hash and WhiteNoise serves them cached
# for a year, immutable; a changed file gets a new name. Off by default: the hashed names
# exist only after collectstatic.
if env.bool("STATIC_HASHED", default=False):
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ejournal@localhost")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Celery: broker, limits, retries; every beat entry is added to CELERY_BEAT_SCHEDULE below ---
from datetime import timedelta  # noqa: E402

from celery.schedules import crontab  # noqa: E402

CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With Redis an unacknowledged message (acks_late, or a retry waiting for its countdown
# in the worker) goes to another worker after visibility_timeout. It must exceed the longest
# retry backoff (retry_backoff_max 3600 s of journal.tasks and diary.tasks) plus the longest
# time limit (the long-report job: 1900 s, reports.jobs.JOB_TIME_LIMIT), or a waiting retry
# or a long report would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_BEAT_SCHEDULE = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# `make bench` runs against its own seeded database per demo size.
if env("BENCH_DEMO", default=""):
    for _db in DATABASES.values():
        _db["NAME"] = f"{_db['NAME']}_bench_{env('BENCH_DEMO')}"
# `make bench-http` serves through gunicorn, another process: each answer carries its
# request's query count (bench/runner.py). Outermost, so every middleware's queries count.
if env.bool("BENCH_QUERY_HEADER", default=False):
    MIDDLEWARE.insert(0, "ejournal.middleware.QueryCountHeaderMiddleware")

# Fail fast when the broker is down instead of blocking a web request.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS.update({"socket_connect_timeout": 1, "socket_timeout": 2})

# --- issue 3 (accounts): session idle timeout, forced password change, second factor ---
MIDDLEWARE.insert(
    MIDDLEWARE.index("accounts.middleware.ActivityMiddleware") + 1, "accounts.middleware.AccountGateMiddleware"
)
# The name authenticator apps store once with the key: a deployment setting, not interface text.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Электронный журнал")  # i18n: data

# --- deadline control (issue 7): checks by beat; object permissions re-derived nightly ---
# Deadlines during the school day (the cut-off, homework after the last lesson, test marks).
CELERY_BEAT_SCHEDULE["journal-deadlines-daytime"] = {
    "task": "journal.queue_deadline_checks",
    "schedule": crontab(minute="*/30", hour="7-22"),
    "args": ["daytime"],
}
# Whole-day deadlines (locks, period marks, absence reasons, the КТП's hours, the temporary
# journal's transfer): once, before school starts.
CELERY_BEAT_SCHEDULE["journal-deadlines-morning"] = {
    "task": "journal.queue_deadline_checks",
    "schedule": crontab(minute=30, hour=6),
    "args": ["morning"],
}
# Services keep permissions in step; the rebuild repairs anything written around them.
CELERY_BEAT_SCHEDULE["journal-rebuild-permissions"] = {
    "task": "journal.rebuild_permissions",
    "schedule": crontab(minute=15, hour=3),
}

# Lessons follow the timetable (issue 15): every night the horizon moves a day ahead.
CELERY_BEAT_SCHEDULE["journal-sync-lessons"] = {
    "task": "journal.sync_all_lessons",
    "schedule": crontab(minute=45, hour=2),
}

# The demo keeps going on any date it is opened: period marks of the periods ended since
# the seed (demo/keeping.py; only schools the demo generator wrote).
CELERY_BEAT_SCHEDULE["demo-keep-going"] = {
    "task": "demo.keep_going",
    "schedule": crontab(minute=0, hour=3),
}

# --- diary (issue 5): e-mail digests by beat, unread counter in the nav ---------------
CELERY_BEAT_SCHEDULE["diary-weekly-digest"] = {
    "task": "diary.tasks.queue_weekly_digests",
    "schedule": crontab(minute=0, hour=12, day_of_week="sun"),
}
CELERY_BEAT_SCHEDULE["diary-daily-marks"] = {
    "task": "diary.tasks.queue_daily_marks",
    "schedule": crontab(minute=5, hour=20, day_of_week="mon-sat"),
}
# New-message notices (issue 20): unread for 15 minutes, at most one letter a day.
CELERY_BEAT_SCHEDULE["diary-message-notices"] = {
    "task": "diary.tasks.queue_message_notices",
    "schedule": crontab(minute="*/15", hour="7-21"),
}
# The weekly paper copies (docs/DESIGN.md §4.4): to the class teachers on Friday afternoon.
CELERY_BEAT_SCHEDULE["diary-paper-copies"] = {
    "task": "diary.tasks.queue_paper_copies",
    "schedule": crontab(minute=0, hour=14, day_of_week="fri"),
}
TEMPLATES[0]["OPTIONS"]["context_processors"].append("diary.context_processors.unread")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("reports.context_processors.ready_jobs")
# --- reports (issue 6) ---------------------------------------------------------------
# Files of ordinary report jobs are deleted after this many days; archival ones are kept.
REPORTS_FILE_DAYS = env.int("REPORTS_FILE_DAYS", default=7)
CELERY_BEAT_SCHEDULE["reports-monthly-activity"] = {
    "task": "reports.monthly_activity",
    "schedule": crontab(minute=0, hour=6, day_of_month=1),  # CELERY_TIMEZONE: Europe/Moscow
}
# The same task every day: it builds nothing when the reports exist and makes up a missed 1st.
CELERY_BEAT_SCHEDULE["reports-monthly-activity-catch-up"] = {
    "task": "reports.monthly_activity",
    "schedule": crontab(minute=30, hour=6),
}
# Report jobs ordered while Redis was down, or whose worker died (its heartbeat stopped),
# are sent again: a killed build is re-queued within HEARTBEAT_STALE + REQUEUE seconds.
REPORTS_HEARTBEAT_SECONDS = env.int("REPORTS_HEARTBEAT_SECONDS", default=20)
REPORTS_HEARTBEAT_STALE_SECONDS = env.int("REPORTS_HEARTBEAT_STALE_SECONDS", default=120)
CELERY_BEAT_SCHEDULE["reports-requeue-stale"] = {
    "task": "reports.requeue_stale",
    "schedule": timedelta(seconds=env.int("REPORTS_REQUEUE_SECONDS", default=60)),
}
CELERY_BEAT_SCHEDULE["reports-cleanup-expired"] = {
    "task": "reports.cleanup_expired",
    "schedule": crontab(minute=30, hour=3),
}

# --- records that survive 25 years (issue 17; docs/ARCHIVE.md, docs/DESIGN.md §3) -------
# The audit chain's HMAC key: from the environment, else from a file outside the database
# and outside the backups (scripts/bootstrap.sh writes var/keys/audit.key, mode 0600).
AUDIT_HMAC_KEY = env("AUDIT_HMAC_KEY", default="")
AUDIT_KEY_FILE = env("AUDIT_KEY_FILE", default=str(VAR_DIR / "keys" / "audit.key"))
# The signed, append-only file the chain heads are anchored in (daily and at every archive).
AUDIT_ANCHOR_FILE = env("AUDIT_ANCHOR_FILE", default=str(VAR_DIR / "anchors" / "audit-anchors.jsonl"))
# Backups go to every one of these directories (two media: a second disk, a mounted share).
BACKUP_DIRS = env.list("BACKUP_DIRS", default=[str(VAR_DIR / "backups" / "a"), str(VAR_DIR / "backups" / "b")])
BACKUP_KEEP = env.int("BACKUP_KEEP", default=8)  # weekly backups kept per directory; year-end ones stay
BACKUP_MAX_AGE_DAYS = env.int("BACKUP_MAX_AGE_DAYS", default=8)  # older than this: "missed backup"
PG_BIN_DIR = env("PG_BIN_DIR", default="")  # pg_dump/pg_restore; found under /usr/lib/postgresql if empty
# The year archive: the first directory is under MEDIA_ROOT (so backups carry it), the
# second is the other medium. Retention in years per kind of document.
ARCHIVE_DIRS = env.list("ARCHIVE_DIRS", default=[str(Path(MEDIA_ROOT) / "archive"), str(VAR_DIR / "archive-b")])
ARCHIVE_RETENTION_YEARS = {
    "class_journal": env.int("ARCHIVE_JOURNAL_YEARS", default=5),
    "summary_marks": env.int("ARCHIVE_SUMMARY_YEARS", default=25),
}
ARCHIVE_SAMPLE_SIZE = env.int("ARCHIVE_SAMPLE_SIZE", default=20)
# The schools' signing certificates (PKCS#12, encrypted by their password, which is asked
# at signing time and never stored): outside MEDIA_ROOT, so outside the backups.
SIGNING_DIR = env("SIGNING_DIR", default=str(VAR_DIR / "keys" / "signing"))

CELERY_BEAT_SCHEDULE["maintenance-anchor-audit"] = {
    "task": "maintenance.anchor_audit",
    "schedule": crontab(minute=50, hour=23),
}
CELERY_BEAT_SCHEDULE["maintenance-verify-audit"] = {
    "task": "maintenance.verify_audit",
    "schedule": crontab(minute=40, hour=2),
}
CELERY_BEAT_SCHEDULE["maintenance-backup-weekly"] = {
    "task": "maintenance.backup",
    "schedule": crontab(minute=0, hour=1, day_of_week="sun"),
    "args": ["weekly"],
}
CELERY_BEAT_SCHEDULE["maintenance-backup-year-end"] = {
    "task": "maintenance.backup",
    "schedule": crontab(minute=0, hour=22, day_of_month=30, month_of_year=6),
    "args": ["year_end"],
}
CELERY_BEAT_SCHEDULE["maintenance-check-backups"] = {  # a missed backup is noticed
    "task": "maintenance.check_backups",
    "schedule": crontab(minute=0, hour=9),
}
CELERY_BEAT_SCHEDULE["maintenance-restore-drill"] = {
    "task": "maintenance.restore_drill",
    "schedule": crontab(minute=0, hour=3, day_of_month=2),
}
CELERY_BEAT_SCHEDULE["reports-archive-periods"] = {  # the archive after each ended period
    "task": "reports.archive_ended_periods",
    "schedule": crontab(minute=30, hour=4),
}
CELERY_BEAT_SCHEDULE["reports-archive-verify"] = {
    "task": "reports.archive_verify",
    "schedule": crontab(minute=10, hour=4),
}
CELERY_BEAT_SCHEDULE["reports-archive-sample"] = {
    "task": "reports.archive_sample",
    "schedule": crontab(minute=20, hour=4, day_of_month=3),
}
