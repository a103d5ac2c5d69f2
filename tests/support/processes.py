"""Run the archive's own commands in separate processes against the test
database and the test index (what gunicorn workers and `make run` do)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the database the tests use now (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or ""
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def environment(**extra: str) -> dict[str, str]:
    """The production settings (archive.settings) on the test database and
    index; DJANGO_SETTINGS_MODULE=tests.settings in `extra` for the test client."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "ARCHIVE_TEST_INDEX_DIR": settings.HAYSTACK_CONNECTIONS["default"]["PATH"],
        "DJANGO_SECRET_KEY": "test-only-not-secret",
        "DJANGO_HTTPS": "0",
        "DATABASE_URL": database_url(),
        "ARCHIVE_INDEX_DIR": settings.HAYSTACK_CONNECTIONS["default"]["PATH"],
        "ARCHIVE_UPLOAD_DIR": str(settings.ARCHIVE_UPLOAD_DIR),
    }
    env.update(extra)
    return env


def manage(*args: str, check: bool = True, timeout: float = 300, **env: str):
    """`python manage.py ARGS` in a new process; returns the CompletedProcess."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}"
        )
    return result


def start_manage(*args: str, capture: bool = True, **env: str) -> subprocess.Popen:
    """`python manage.py ARGS` started in a new process. With `capture`, its
    output is piped for `communicate()`; a process the test kills midway
    should not capture: nothing reads its pipes while it runs, and a chatty
    one (DJANGO_DEBUG=1 logs every query) would block once they fill."""
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=environment(**env),
        stdout=output,
        stderr=output,
        text=True,
    )
