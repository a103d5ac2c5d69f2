"""Load test: searches and admin writes at once through gunicorn, then a drift check.

Usage (from the project root, after `make install`; loopback only, bounded):

    .venv/bin/python bench/load_bench.py ../shared/corpus --articles 3000 --seconds 90
    .venv/bin/python bench/load_bench.py ../shared/corpus --database postgres://postgres@127.0.0.1:5432/postgres

Builds a throw-away archive (SQLite file, or a new PostgreSQL database created
next to the one given), imports N corpus articles, and serves it with gunicorn
(several workers) and the background job worker. Then, for --seconds:
search clients query the site; admins edit random articles through the
admin's change form; three editors save the same article at once; one zip of
60 files is uploaded (a background job). Finally it waits for the job and
runs `check_index`. Prints requests, failures (5xx or no answer), latencies,
and the drift found. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import drop_postgres_database, manage, postgres_database, read_corpus  # noqa: E402

QUERIES = [
    "الهجرة",
    "المغرب",
    "السعودية",
    "الأمن",
    '"وزارة الداخلية"',
    "migration",
    "Maroc",
    "police OR gendarmerie",
    "frontière -Espagne",
    "title:gouvernement",
    "lang:fr date:2019",
    "élection*",
    "الحكوم*",
    "ministre santé",
    "ا* OR م* OR ت* OR ب*",
    "zz* OR ab*",
]


class FormFields(HTMLParser):
    """The fields of the admin change form, as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.errors: list[str] = []
        self.started = time.monotonic()
        self.slowest: list[tuple[float, float, str]] = []  # (seconds, at, what)

    def record(self, kind: str, status: str, seconds: float, error: str = "") -> None:
        with self.lock:
            at = time.monotonic() - self.started - seconds
            self.slowest = sorted([*self.slowest, (seconds, at, kind)], reverse=True)[:5]
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1
            if error and len(self.errors) < 20:
                self.errors.append(f"{kind}: {error}")


class Client:
    """One browser: cookies, CSRF, timings."""

    def __init__(self, base: str, stats: Stats) -> None:
        self.base = base
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(
        self,
        kind: str,
        path: str,
        data: list[tuple[str, str]] | bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[int, str]:
        body = None
        headers = {"Referer": self.base + path}
        if isinstance(data, list):
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif isinstance(data, bytes):
            body = data
            headers["Content-Type"] = content_type or "application/octet-stream"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                text = response.read().decode("utf-8", "replace")
                status = response.status
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            status = error.code
        except Exception as error:  # no answer: counted as a failure
            self.stats.record(kind, "error", time.perf_counter() - start, repr(error))
            return 0, ""
        elapsed = time.perf_counter() - start
        self.stats.record(kind, str(status), elapsed, f"{status} {path}" if status >= 500 else "")
        return status, text

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def login(self, user: str, password: str) -> None:
        self.request("login", "/admin/login/")
        self.request(
            "login",
            "/admin/login/?next=/admin/",
            [
                ("csrfmiddlewaretoken", self.csrf()),
                ("username", user),
                ("password", password),
                ("next", "/admin/"),
            ],
        )

    def edit(self, kind: str, pk: int, suffix: str) -> None:
        status, page = self.request(kind + "-form", f"/admin/archive/article/{pk}/change/")
        if status != 200:
            return
        start = page.find('id="article_form"')
        parser = FormFields()
        parser.feed(page[start : page.find("</form>", start)])
        fields = [(k, v) for k, v in parser.fields if k != "_addanother" and k != "_continue"]
        fields = [
            (k, (re.sub(r" \[.*\]$", "", v) + f" [{suffix}]") if k == "title" else v)
            for k, v in fields
        ]
        fields.append(("_save", "Save"))
        self.request(kind, f"/admin/archive/article/{pk}/change/", fields)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/zip\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--search-clients", type=int, default=6)
    parser.add_argument("--admins", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database",
        help="a postgres:// URL: the test database is created "
        "on that server (default: a SQLite file)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="archive-load-"))
    database = (
        postgres_database(args.database) if args.database else f"sqlite:///{work}/archive.sqlite3"
    )
    password = secrets.token_urlsafe(12)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database,
        "ARCHIVE_INDEX_DIR": str(work / "index"),
        "ARCHIVE_UPLOAD_DIR": str(work / "uploads"),
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": str(args.workers),
    }
    print(
        f"archive: {database.split(':')[0]}, {args.articles} articles, gunicorn "
        f"{args.workers} workers, {args.search_clients} search clients, {args.admins} admins "
        f"+ 3 editors of one article + a 60-file zip, {args.seconds:.0f} s",
        flush=True,
    )
    corpus = work / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for record in read_corpus(args.corpus, args.articles):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    for step in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["import_articles", str(corpus), "--verbosity", "0"],
        [
            "shell",
            "--verbosity",
            "0",
            "-c",
            "from django.contrib.auth.models import User; "
            f"User.objects.create_superuser('load', 'l@example.org', '{password}')",
        ],
    ):
        result = manage(env, *step)
        if result.returncode:
            sys.exit(f"{step[0]} failed:\n{result.stderr[-2000:]}")

    log = (work / "server.log").open("a")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_LOG_LEVEL": "INFO"},
        stderr=log,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--verbosity", "0"],
        cwd=ROOT,
        env={**env, "DJANGO_LOG_LEVEL": "INFO"},
        stderr=log,
    )
    base = f"http://127.0.0.1:{args.port}"
    stats = Stats()
    try:
        stats.started = time.monotonic()
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        ids = [
            int(x)
            for x in manage(
                env,
                "shell",
                "--verbosity",
                "0",
                "-c",
                "from archive.models import Article; "
                "print(*Article.objects.values_list('pk', flat=True))",
            ).stdout.split()
        ]
        shared = ids[0]
        stop = time.monotonic() + args.seconds

        def searcher(n: int) -> None:
            client = Client(base, stats)
            rng = random.Random(n)
            while time.monotonic() < stop:
                query = rng.choice(QUERIES)
                kind = "search (wildcard)" if "*" in query else "search"
                client.request(kind, "/search/?" + urllib.parse.urlencode({"q": query}))

        def admin(n: int, same_article: bool) -> None:
            client = Client(base, stats)
            client.login("load", password)
            rng = random.Random(100 + n)
            count = 0
            while time.monotonic() < stop:
                count += 1
                pk = shared if same_article else rng.choice(ids[1:])
                client.edit("edit same article" if same_article else "edit", pk, f"{n}-{count}")

        def uploader() -> None:
            client = Client(base, stats)
            client.login("load", password)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for n in range(60):
                    archive.writestr(
                        f"lot/{n:02d}.txt",
                        f"Dépêche de charge {n}\n\nLe texte de la "
                        f"dépêche numéro {n} sur la migration à Tanger, {uuid.uuid4()}.",
                    )
            status, page = client.request("upload-form", "/admin/archive/article/upload/")
            body, content_type = multipart(
                {"csrfmiddlewaretoken": client.csrf(), "language": "fr"},
                {"files": ("lot.zip", buffer.getvalue())},
            )
            client.request("upload", "/admin/archive/article/upload/", body, content_type)

        threads = [threading.Thread(target=searcher, args=(n,)) for n in range(args.search_clients)]
        threads += [threading.Thread(target=admin, args=(n, False)) for n in range(args.admins)]
        threads += [threading.Thread(target=admin, args=(10 + n, True)) for n in range(3)]
        threads.append(threading.Thread(target=uploader))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        # The upload job, then the drift check.
        job = ""
        for _ in range(600):
            job = manage(
                env,
                "shell",
                "--verbosity",
                "0",
                "-c",
                "from archive.models import Job; "
                "j = Job.objects.get(); print(j.state, j.progress, j.total, '|', j.summary)",
            ).stdout.strip()
            if job.startswith(("done", "failed")):
                break
            time.sleep(1)
    finally:
        server.terminate()
        worker.terminate()
        server.wait(30)
        worker.wait(30)
    check = manage(env, "check_index")
    final = manage(
        env,
        "shell",
        "--verbosity",
        "0",
        "-c",
        f"from archive.models import Article; print(Article.objects.get(pk={shared}).title)",
    ).stdout.strip()

    print(
        f"\n{'requests':<22}{'count':>7}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        "  statuses"
    )
    total = failed = 0
    for kind in sorted(stats.latencies):
        times = sorted(stats.latencies[kind])
        statuses = stats.statuses[kind]
        bad = sum(n for s, n in statuses.items() if s == "error" or s.startswith("5"))
        total += len(times)
        failed += bad
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(
            f"{kind:<22}{len(times):>7}{bad:>8}{statistics.median(times) * 1000:>9.0f}"
            f"{p95 * 1000:>9.0f}{times[-1] * 1000:>9.0f}  "
            + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
        )
    print(f"{'all':<22}{total:>7}{failed:>8}")
    print(f"\nupload job: {job}")
    print(f"shared article's last title: {final}")
    print(f"check_index (exit {check.returncode}): {check.stdout.strip().splitlines()[0]}")
    print(
        "slowest requests: "
        + "; ".join(
            f"{kind} {seconds:.1f} s from t={at:.0f} s" for seconds, at, kind in stats.slowest
        )
    )
    for error in stats.errors:
        print("  ", error)
    index_lines = [
        line.strip()
        for line in (work / "server.log").read_text().splitlines()
        if "index" in line and ("merged" in line or "held" in line)
    ]
    print(f"index merges and slow index writes ({len(index_lines)}):")
    for line in index_lines[-15:]:
        print("  ", line[-160:])
    if args.database:
        drop_postgres_database(args.database, database)


if __name__ == "__main__":
    main()
