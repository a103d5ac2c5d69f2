"""Settings for the bilingual news archive.

Every setting that differs between a laptop and production is read from the
environment (see `.env.example`); the defaults give a working archive on a
fresh machine with no services: SQLite and a Whoosh index under `var/`.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
# Local state (SQLite file, Whoosh index, collected static, dev secret key).
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# The key: DJANGO_SECRET_KEY, else the one `make run` generated in
# var/secret_key (readable by its owner only), so that `manage.py …` works as
# typed on the machine `make run` set up. Never committed (var/ is ignored).
SECRET_KEY_FILE = Path(env.str("DJANGO_SECRET_KEY_FILE", default=str(VAR_DIR / "secret_key")))
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY and SECRET_KEY_FILE.exists():
    SECRET_KEY = SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "No secret key: set DJANGO_SECRET_KEY, or run `make run` once, which "
            "generates one in var/secret_key."
        )
    # Debug only: a throw-away key, new at every start, so none is committed.
    from django.core.management.utils import get_random_secret_key

    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Before haystack: search's rebuild_index and update_index replace haystack's.
    "search",
    "haystack",
    "archive",
    "django_tasks",
    "archive.task_queue.TaskQueueConfig",  # django_tasks_db, with a translated name
    "axes",  # sign-in throttling (below)
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
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: answers a locked-out sign-in with 429.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): only this site's own scripts, styles,
# images and forms; no inline script or style anywhere (the admin has none
# either), no framing. Scraped text is escaped already; this is the second wall.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
                "archive.accounts.services.accounts_context",
            ],
        },
    },
]

# SQLite under var/ unless DATABASE_URL says otherwise (postgres://… in production).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'archive.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for SQLite's write lock instead of failing with
    # "database is locked": transactions take the lock when they begin
    # (IMMEDIATE, so none is refused halfway through when it upgrades from a
    # read), wait up to 20 s for it, and readers never block the writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("ARCHIVE_SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Interface languages. Articles carry their own language (archive.models.Language).
LANGUAGE_CODE = "fr"
# Counts are written the interface's way ("24 172" in French, "24,172" in
# English); numbers in attributes and URLs are unlocalized where they appear.
USE_THOUSAND_SEPARATOR = True
LANGUAGES = [
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Africa/Casablanca"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The search engine (search/engines/): "whoosh", embedded, the default; or
# "postgres", full-text search in the archive's PostgreSQL database, for
# archives beyond ~100,000 articles (README, docs/PERFORMANCE.md).
ARCHIVE_SEARCH_ENGINE = env.str("ARCHIVE_SEARCH_ENGINE", default="whoosh")
SEARCH_ENGINES = {
    "whoosh": "search.engines.whoosh_engine.ArchiveWhooshEngine",
    "postgres": "search.engines.postgres_engine.PostgresEngine",
}
if ARCHIVE_SEARCH_ENGINE not in SEARCH_ENGINES:
    raise ImproperlyConfigured(
        f"ARCHIVE_SEARCH_ENGINE must be one of {', '.join(SEARCH_ENGINES)}, "
        f"not {ARCHIVE_SEARCH_ENGINE!r}"
    )
if ARCHIVE_SEARCH_ENGINE == "postgres" and "postgresql" not in DATABASES["default"]["ENGINE"]:
    raise ImproperlyConfigured(
        "ARCHIVE_SEARCH_ENGINE=postgres needs DATABASE_URL on PostgreSQL (postgres://…)"
    )
# The database alias the PostgreSQL engine searches: "default", or a streaming
# replica declared in DATABASES (docs/SCALING.md). Writes always go to "default".
ARCHIVE_SEARCH_READ_DATABASE = env.str("ARCHIVE_SEARCH_READ_DATABASE", default="default")
# PostgreSQL engine: work_mem for each search (bitmaps and facet counts).
ARCHIVE_SEARCH_WORK_MEM = env.str("ARCHIVE_SEARCH_WORK_MEM", default="64MB")
# PostgreSQL engine, very broad queries (docs/PERFORMANCE.md): above these many
# matches facet counts are estimated from a sample, and relevance ranks only
# the matches holding the words in their title. Both are said on the page.
# At 100,000 articles (docs/PERFORMANCE.md) these values took the slowest
# queries of the bench mix from 52 to 30 ms.
ARCHIVE_SEARCH_EXACT_FACETS_MAX = env.int("ARCHIVE_SEARCH_EXACT_FACETS_MAX", default=20_000)
ARCHIVE_SEARCH_RANK_ALL_MAX = env.int("ARCHIVE_SEARCH_RANK_ALL_MAX", default=5_000)
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": SEARCH_ENGINES[ARCHIVE_SEARCH_ENGINE],
        # The Whoosh index directory (unused by the PostgreSQL engine).
        "PATH": env.str("ARCHIVE_INDEX_DIR", default=str(VAR_DIR / "whoosh_index")),
    },
}

# Background jobs (archive/jobs.py): tasks stored in the database and run by
# `manage.py run_worker`, which `make run` starts beside gunicorn. No broker.
TASKS = {
    "default": {
        "BACKEND": env.str("ARCHIVE_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Uploaded files wait here until their job has imported them.
ARCHIVE_UPLOAD_DIR = env.path("ARCHIVE_UPLOAD_DIR", default=str(VAR_DIR / "uploads"))
# An upload with more documents than this (a zip counts as many) is imported by
# a background job; smaller ones are imported at once, with results on the page.
ARCHIVE_UPLOAD_INLINE_MAX = env.int("ARCHIVE_UPLOAD_INLINE_MAX", default=10)

HAYSTACK_SIGNAL_PROCESSOR = "search.signals.ArchiveSignalProcessor"
# Only articles are indexed: skip the extra per-search "which models" filter query.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False

ARCHIVE_VERSION = "0.1.0"  # stated in export manifests
ARCHIVE_PAGE_SIZE = 20
# Rows in one export at most; the manifest and the page say when a result set is cut.
ARCHIVE_EXPORT_MAX_ROWS = env.int("ARCHIVE_EXPORT_MAX_ROWS", default=100_000)
# Seconds one search may spend collecting hits before it returns what it has,
# with a note (so no query can hold a worker for long).
ARCHIVE_SEARCH_TIME_BUDGET = env.float("ARCHIVE_SEARCH_TIME_BUDGET", default=3.0)
# How long a process trusts its table of entity aliases for query expansion.
ARCHIVE_ALIAS_CACHE_SECONDS = env.int("ARCHIVE_ALIAS_CACHE_SECONDS", default=60)
# Upload limits (bytes): one file, one whole upload, members of one zip.
ARCHIVE_MAX_FILE_BYTES = env.int("ARCHIVE_MAX_FILE_BYTES", default=5_000_000)
ARCHIVE_MAX_UPLOAD_BYTES = env.int("ARCHIVE_MAX_UPLOAD_BYTES", default=50_000_000)
ARCHIVE_MAX_ZIP_MEMBERS = env.int("ARCHIVE_MAX_ZIP_MEMBERS", default=1000)
# Django refuses bigger request bodies outright (files stream to disk past 2.5 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = ARCHIVE_MAX_UPLOAD_BYTES + 1_000_000
DATA_UPLOAD_MAX_NUMBER_FILES = ARCHIVE_MAX_ZIP_MEMBERS

# HTTPS hardening is on whenever debug is off, unless DJANGO_HTTPS=0 (a local
# `make run` on http://127.0.0.1 without TLS).
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    # Only behind a proxy that sets (and strips client-sent) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # django-axes logs every sign-in at INFO; lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Journalists' accounts (Django auth; not staff): sign in, sign out, password
# reset by e-mail. E-mail goes to files in var/outbox/ unless a backend is set
# (e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST etc.).
# Visitors may create their own account (confirmed by e-mail) only when this
# is on; otherwise the sign-in page says whom to ask (the contact: an e-mail
# address or a name; "the archive's administrators" when empty).
ARCHIVE_SIGNUP_OPEN = env.bool("ARCHIVE_SIGNUP_OPEN", default=False)
ARCHIVE_ACCOUNTS_CONTACT = env.str("ARCHIVE_ACCOUNTS_CONTACT", default="")
LOGIN_URL = "login"
# Sign-in throttling (django-axes), for the journalists' sign-in and the
# admin's alike: after ARCHIVE_LOGIN_FAILURE_LIMIT wrong passwords for one
# user name from one address, that pair is refused (429, a page saying when
# to try again) for ARCHIVE_LOGIN_COOLOFF_MINUTES; a success resets the count.
# By name and address together, so a newsroom behind one address is not
# locked out by one colleague's typos, nor a journalist by a stranger guessing
# their name. Attempts are kept in the database: every app server sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("ARCHIVE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("ARCHIVE_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "archive.accounts.views.locked_out"
AXES_VERBOSE = False
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    # The client's address from the one proxy in front (it must overwrite
    # X-Forwarded-For, not append to what the client sent).
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
LOGIN_REDIRECT_URL = "search:saved"
LOGOUT_REDIRECT_URL = "archive:article_list"
EMAIL_BACKEND = env.str(
    "ARCHIVE_EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = env.str("ARCHIVE_EMAIL_DIR", default="") or str(VAR_DIR / "outbox")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="archive@localhost")
# The site's address in e-mails (alert digests link to articles).
ARCHIVE_SITE_URL = env.str("ARCHIVE_SITE_URL", default="http://127.0.0.1:8000")
# Alert digests list articles added up to this many seconds ago (an import
# batch becomes searchable after its commit and index write).
ARCHIVE_ALERT_LAG_SECONDS = env.int("ARCHIVE_ALERT_LAG_SECONDS", default=30)
