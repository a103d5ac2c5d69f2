"""What the benchmarks share: reading the corpus, throw-away archives (a
SQLite file or a new PostgreSQL database), running the archive's commands,
and the light-stemmer anchor. Every bench script imports its shared helpers
from here, and nothing here imports a bench script, so the scripts cannot
form import loops.
"""

from __future__ import annotations

import collections
import contextlib
import gzip
import itertools
import json
import os
import random
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


# -- a pool of distinct page queries --------------------------------------------

_WORD = re.compile(r"[^\W\d_]{4,}")


def query_pool(records: list[dict], size: int, seed: int = 7) -> list[dict]:
    """`size` distinct search-page requests (query parameters) drawn from the
    titles of `records`, so that a page benchmark never asks the same thing
    twice and no cache flatters it: single words, two words, two-word
    phrases, prefixes, sorts, language and year filters, Arabic and French in
    the proportions of the records. Words are those of at least three titles
    and of at most 2 % of them (neither typos nor stop words)."""
    rng = random.Random(seed)
    titles = [(r["language"], _WORD.findall(r["title"]), r.get("date") or "") for r in records]
    frequency = collections.Counter(w for _, words, _ in titles for w in set(words))
    common = max(3, len(records) // 50)
    usable = [
        (language, [w for w in words if 3 <= frequency[w] <= common], words, date)
        for language, words, date in titles
    ]
    usable = [u for u in usable if u[1]]
    if not usable:
        sys.exit("no title words to build queries from")
    pool: dict[str, dict] = {}
    attempts = 0
    while len(pool) < size and attempts < size * 50:
        attempts += 1
        language, words, all_words, date = rng.choice(usable)
        kind = rng.random()
        word = rng.choice(words)
        if kind < 0.35:
            page = {"q": word}
        elif kind < 0.55:
            other = rng.choice(words)
            page = {"q": f"{word} {other}"} if other != word else {"q": word, "sort": "newest"}
        elif kind < 0.70:
            at = rng.randrange(len(all_words) - 1) if len(all_words) > 1 else 0
            page = {"q": '"' + " ".join(all_words[at : at + 2]) + '"'}
        elif kind < 0.78:
            page = {"q": word[: max(4, len(word) - 2)] + "*"}
        elif kind < 0.88:
            page = {"q": word, "sort": rng.choice(["newest", "oldest"])}
        elif kind < 0.94:
            page = {"q": word, "lang": language}
        else:
            page = {"q": f"{word} date:{date[:4]}" if date[:4].isdigit() else f"title:{word}"}
        pool[json.dumps(page, sort_keys=True, ensure_ascii=False)] = page
    return list(pool.values())


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
