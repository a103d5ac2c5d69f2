"""Test settings: the real settings module with test-only overrides."""

import os
import secrets
import tempfile

# A fresh random key per run: nothing secret is committed, and debug stays off
# as in production.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
# The test client and the live server speak plain HTTP.
os.environ["DJANGO_HTTPS"] = "0"
# Commands speak their terminal's language (archive.management.terminal): the
# tests' own terminal is English whatever the machine's locale.
os.environ["LANGUAGE"] = "en"

from archive.settings import *  # noqa: E402,F403
from archive.settings import HAYSTACK_CONNECTIONS, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# No collectstatic before tests: serve and reference unhashed files.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Never touch the developer's index: each test run gets its own directory.
STATIC_ROOT = tempfile.mkdtemp(prefix="archive-test-static-")
# (A test's subprocess is handed the test run's own: tests/support/processes.py.)
HAYSTACK_CONNECTIONS["default"]["PATH"] = os.environ.get(
    "ARCHIVE_TEST_INDEX_DIR"
) or tempfile.mkdtemp(prefix="archive-test-index-")
LANGUAGE_CODE = "fr"
# Jobs run at once, in the test's process; tests/archive/test_jobs.py runs the
# real worker against the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ARCHIVE_UPLOAD_DIR = tempfile.mkdtemp(prefix="archive-test-uploads-")
ARCHIVE_ALIAS_CACHE_SECONDS = 0  # entities change from test to test

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A real file, not Django's shared in-memory database: tests that run
    # several processes or threads against the archive need SQLite's own
    # locking (WAL, busy timeout), which shared-cache memory databases lack.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.mkdtemp(prefix="archive-test-db-"), "test.sqlite3")
    }
