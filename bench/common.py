"""What the benchmarks share: reading the corpus, throw-away archives (a
SQLite file or a new PostgreSQL database), running the archive's commands,
and the light-stemmer anchor. Every bench script imports its shared helpers
from here, and nothing here imports a bench script, so the scripts cannot
form import loops.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {"ar": "ar_saudinewsnet.jsonl.gz", "fr": "fr_orangesum.jsonl.gz"}


def read(corpus: Path, language: str, count: int) -> list[dict]:
    """The first `count` corpus articles of a language with a title and a body
    of more than 200 characters."""
    out = []
    with gzip.open(corpus / SETS[language], "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["title"].strip() and len(record["body"]) > 200:
                out.append({**record, "language": language, "url": ""})
                if len(out) == count:
                    break
    return out


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile of values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def read_corpus(corpus: Path, count: int) -> list[dict]:
    """`count` corpus articles, Arabic and French in turn (a title and a body each)."""

    def records(name: str):
        with gzip.open(corpus / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record["body"].strip() and record["title"].strip():
                    yield record

    arabic = records(SETS["ar"])
    french = records(SETS["fr"])
    mixed = (r for pair in zip(arabic, french, strict=False) for r in pair)
    return list(itertools.islice(mixed, count))


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    """`manage.py ARGS` in a new process with this environment (an hour at most)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )


def postgres_database(url: str) -> str:
    """A new, empty database on the server of `url`; its URL."""
    import psycopg

    name = f"archive_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(url: str, database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def throwaway_archive(engine: str, server: str | None, prefix: str):
    """Django set up on a new archive (SQLite and an index in a temporary
    directory, or a new database on the PostgreSQL `server`), dropped after;
    yields the directory. Django is set up once a process."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    database = postgres_database(server) if server else f"sqlite:///{work}/a.sqlite3"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "archive.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database,
            "ARCHIVE_SEARCH_ENGINE": engine,
            "ARCHIVE_INDEX_DIR": str(work / "index"),
            "ARCHIVE_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.db import connection

    try:
        yield work
    finally:
        connection.close()
        if server:
            drop_postgres_database(server, database)


# -- the light-stemmer anchor: Lucene's Arabic normaliser and stemmer ----------

_AR_NORMAL = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
_AR_MARKS = re.compile("[\u064b-\u0652\u0670]")
LUCENE_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و")
LUCENE_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "يه", "ه", "ي")


def lucene_arabic(word: str) -> str:
    """Lucene's ArabicNormalizer + ArabicStemmer (light8-like)."""
    word = _AR_MARKS.sub("", word).translate(_AR_NORMAL)
    for prefix in LUCENE_PREFIXES:
        if (
            word.startswith(prefix)
            and len(word) - len(prefix) >= 2
            and (prefix != "و" or len(word) > 3)
        ):
            word = word[len(prefix) :]
            break
    for suffix in LUCENE_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word
