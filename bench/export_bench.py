"""Export benchmark: time and peak memory of exporting 1,000 and 10,000 rows.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/export_bench.py ../shared/corpus --articles 10000

Loads and indexes N corpus articles into a throw-away database and index.
Then, for a row cap of 1,000 and of N, newest first and oldest first, it
starts gunicorn with the project's configuration (one worker, and a 1-second
worker timeout that the larger export outlasts), warms it up with a search,
and streams the CSV export of every article over HTTP. It prints the time to
the first bytes and to the end, the worker's resident memory before the
export and its peak during it (VmHWM, reset just before), and the peak of its
anonymous memory (the heap; RSS also counts the pages of the index files
Whoosh maps, which the page cache shares and can reclaim). The growth must
stay flat as the rows grow. The same exports then run in this process under
tracemalloc, which gives the peak of Python allocations alone.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import read_corpus  # noqa: E402
from search_bench import load_articles, setup_django  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
QUERY = "lang:ar OR lang:fr"  # every article


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


class AnonymousMemoryPeak(threading.Thread):
    """Samples a process's anonymous resident memory (its heap, not the index
    files it maps) every few milliseconds and keeps the highest value."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._done = pid, memory_kb(pid, "RssAnon"), threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.005):
            self.peak_kb = max(self.peak_kb, memory_kb(self.pid, "RssAnon"))

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak_kb


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", path)
    return connection.getresponse()


def wait_for(port: int, path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            get(port, path).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stream(port: int, path: str) -> tuple[float, float, int, int]:
    """(seconds to first bytes, seconds in all, bytes, CSV rows) of one download.

    Reads like a client that saves the file: the server's memory is measured,
    and a cut-off stream raises http.client.IncompleteRead.
    """
    start = time.perf_counter()
    first, chunks = None, []
    response = get(port, path)
    while chunk := response.read(64 * 1024):
        first = first if first is not None else time.perf_counter() - start
        chunks.append(chunk)
    elapsed = time.perf_counter() - start
    data = b"".join(chunks)
    rows = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig")))) - 1
    return first or 0.0, elapsed, len(data), rows


def bench_server(cap: int, sort: str) -> None:
    """Export through gunicorn and watch the worker's resident memory."""
    port = free_port()
    env = {
        **os.environ,
        "ARCHIVE_EXPORT_MAX_ROWS": str(cap),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        # Shorter than the larger export: the worker must not be killed mid-file
        # (a cut download raises http.client.IncompleteRead here).
        "GUNICORN_TIMEOUT": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 (the project's own gunicorn)
        [str(gunicorn), "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    query = urllib.parse.urlencode({"q": QUERY, "sort": sort})
    try:
        # The worker opens the index and its searcher on the first search.
        wait_for(port, f"/search/?{query}")
        pid = worker_pid(server.pid)
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the peak (VmHWM)
        before, anon_before = memory_kb(pid, "VmRSS"), memory_kb(pid, "RssAnon")
        sampler = AnonymousMemoryPeak(pid)
        sampler.start()
        first, elapsed, size, rows = stream(port, f"/search/export.csv?{query}")
        anon_peak = sampler.stop()
        peak = memory_kb(pid, "VmHWM")
        alive = server.poll() is None and worker_pid(server.pid) == pid
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"gunicorn   {sort:<6} cap {cap:>6,}: {rows:,} rows, {size / 1e6:.1f} MB in "
        f"{elapsed:.1f} s (first bytes after {first * 1000:.0f} ms); worker RSS "
        f"{before / 1024:.0f} MB before, peak +{(peak - before) / 1024:.1f} MB; heap (RssAnon) "
        f"{anon_before / 1024:.0f} MB before, peak +{(anon_peak - anon_before) / 1024:.1f} MB"
        f"{'' if alive else '; WORKER RESTARTED'}"
    )


def bench_in_process(cap: int, sort: str) -> None:
    """The same export in this process, under tracemalloc (Python allocations)."""
    from django.test import Client, override_settings

    params = {"q": QUERY, "sort": sort}
    client = Client()
    client.get("/search/", params)  # open the index: its readers are not the export's
    with override_settings(ARCHIVE_EXPORT_MAX_ROWS=cap):
        tracemalloc.start()
        start = time.perf_counter()
        response = client.get("/search/export.csv", params)
        # One chunk per row after the byte-order mark and the header; nothing
        # is kept, so the client's copy does not count as the export's memory.
        rows = sum(1 for _ in response.streaming_content) - 2
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        f"in-process {sort:<6} cap {cap:>6,}: {rows:,} rows in {elapsed:.1f} s, "
        f"peak Python allocations {peak / 1e6:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument("--articles", type=int, default=10_000, help="articles (default 10000)")
    args = parser.parse_args()

    setup_django(tempfile.mkdtemp(prefix="archive-export-bench-"))
    load_articles(read_corpus(args.corpus, args.articles))
    from haystack import connections

    from archive.models import Article

    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    backend.clear()
    queryset = index.index_queryset().order_by("pk")
    for start in range(0, queryset.count(), 1000):
        backend.update(index, list(queryset[start : start + 1000]))
    backend.merge_segments()

    # Both orders: a batch's memory depends on how long its articles are, so
    # the first 1,000 rows of one order can hold longer articles than the
    # other's; what must not happen is growth with the number of rows.
    runs = [(cap, sort) for sort in ("newest", "oldest") for cap in (1_000, args.articles)]
    for cap, sort in runs:
        bench_server(cap, sort)
    for cap, sort in runs:
        bench_in_process(cap, sort)


if __name__ == "__main__":
    main()
