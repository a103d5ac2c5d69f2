"""From an import to the alert e-mail, with the real job worker running.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/alert_latency_bench.py ../shared/corpus [--rounds 3]

A throw-away archive (SQLite + Whoosh, e-mail to files) with a journalist's
saved search on a word, its alert "after each upload or import"; `manage.py
run_worker` runs beside it. Each round imports a few corpus articles holding
the word (through `manage.py import_articles`, the real pipeline) and times
until a digest listing them is in the outbox. The digest waits for
ARCHIVE_ALERT_LAG_SECONDS (30 by default) before it looks: that wait is most
of the latency, and what keeps it from missing articles still being indexed.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import manage, read_corpus  # noqa: E402

SETUP = """
from django.contrib.auth import get_user_model
from search.following.saved import saved_search_create
user = get_user_model().objects.create_user("samira", "samira@example.org", "pw-samira-1234")
saved = saved_search_create(user=user, name="word", params={{"q": "{word}"}})
saved.alert = "immediate"
saved.save()
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--word", default="migrants")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="archive-alerts-"))
    outbox = work / "outbox"
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DATABASE_URL": f"sqlite:///{work}/archive.sqlite3",
        "ARCHIVE_INDEX_DIR": str(work / "index"),
        "ARCHIVE_EMAIL_DIR": str(outbox),
    }
    matching = [r for r in read_corpus(args.corpus, 20_000) if args.word in r["body"].lower()][
        : 5 * args.rounds
    ]
    if len(matching) < 5 * args.rounds:
        sys.exit(f"the corpus has too few articles with {args.word!r}")
    worker = None
    try:
        manage(env, "migrate", "--noinput").check_returncode()
        manage(env, "shell", "--no-imports", "-c", SETUP.format(word=args.word)).check_returncode()
        worker = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "run_worker", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
        )
        latencies = []
        for round_number in range(args.rounds):
            batch = matching[5 * round_number : 5 * round_number + 5]
            path = work / f"round-{round_number}.jsonl"
            path.write_text(
                "\n".join(json.dumps(r, ensure_ascii=False) for r in batch), encoding="utf-8"
            )
            before = set(outbox.glob("*")) if outbox.exists() else set()
            time.sleep(1.1)  # the index knows when articles came to the second
            result = manage(env, "import_articles", str(path), "--verbosity", "0")
            result.check_returncode()
            imported = time.monotonic()
            # Any of the round's titles (the import may refuse a duplicate).
            titles = [r["title"].strip()[:30] for r in batch if r["title"].strip()]
            while True:
                new = (set(outbox.glob("*")) if outbox.exists() else set()) - before
                texts = [p.read_text(encoding="utf-8", errors="replace") for p in new]
                if any(title in text for title in titles for text in texts):
                    break
                if time.monotonic() - imported > 300:
                    sys.exit("no digest after 300 s")
                time.sleep(0.2)
            latencies.append(time.monotonic() - imported)
            print(f"round {round_number + 1}: digest {latencies[-1]:.1f} s after the import ended")
        print(
            f"alert latency: min {min(latencies):.1f} s, max {max(latencies):.1f} s "
            f"(lag {os.environ.get('ARCHIVE_ALERT_LAG_SECONDS', '30')} s included)"
        )
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
