"""The README's first commands, run as a newcomer types them.

The commands are read from the README itself (its second `sh` block), so the
test follows the README: a command that changes there is run as changed.
They run in a terminal (createsuperuser asks its questions there), with
none of the variables `make run` sets, only the key file `make run`
generates (`make var/secret_key`, the Makefile's own rule). The database and
index are the test run's, so the developer's archive is never touched.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from archive.models import Article
from tests.search.helpers import IndexedTransactionTestCase
from tests.support.processes import ROOT, environment

pytestmark = pytest.mark.search

README = ROOT / "README.md"


def readme_commands() -> list[str]:
    """The commands of the README's second shell block, comments dropped."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [line.split("#")[0].strip() for line in blocks[1].splitlines() if line.strip()]


def newcomer_environment() -> dict[str, str]:
    """A shell without the archive's variables, on the test database and index."""
    env = environment()
    for name in list(env):
        if name.startswith("DJANGO_"):
            del env[name]
    return env


def run_in_terminal(argv: list[str], env: dict[str, str], answers: list[str]) -> str:
    """Run `argv` in a new pseudo-terminal (its controlling terminal, as in a
    shell), answering its prompts (lines ending with a colon) in turn; the
    whole output. A command still asking after two minutes is killed."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, as the shell would start it
        os.chdir(ROOT)
        os.execve(argv[0], argv, env)  # noqa: S606 (our own manage.py, as the README types it)
    output, answered, deadline = b"", 0, time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the terminal closes when the command exits
                break
            if not chunk:
                break
            output += chunk
            if answered < len(answers) and output.rstrip(b" ").endswith(b":"):
                os.write(fd, answers[answered].encode() + b"\n")
                answered += 1
    finally:
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    text = output.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    return text


# The commands hash the password as production does (the tests' own settings use MD5).
@override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS)
class ReadmeCommandsTests(IndexedTransactionTestCase):
    def setUp(self):
        super().setUp()
        subprocess.run(
            [shutil.which("make") or "make", "--no-print-directory", "var/secret_key"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        self.folder = Path(tempfile.mkdtemp(prefix="archive-readme-"))
        record = {
            "title": "Tanger accueille un forum sur la mobilité",
            "body": "Le forum réunit à Tanger des chercheurs et des élus autour de la "
            "mobilité entre les deux rives du détroit.\nIls publieront leurs travaux.",
            "source": "Le Desk",
            "date": "2024-05-02",
            "language": "fr",
        }
        (self.folder / "articles.jsonl").write_text(
            json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    def tearDown(self):
        shutil.rmtree(self.folder, ignore_errors=True)
        super().tearDown()

    def test_the_readme_commands_work_as_written(self):
        commands = readme_commands()
        self.assertEqual(len(commands), 2, commands)
        env = newcomer_environment()
        for command in commands:
            argv = shlex.split(command.replace("FILES", str(self.folder)))
            self.assertEqual(argv[:2], [".venv/bin/python", "manage.py"])
            if argv[2] == "createsuperuser":
                output = run_in_terminal(
                    argv,
                    env,
                    ["redaction", "redaction@example.org", "Rif-Atlas-2026!", "Rif-Atlas-2026!"],
                )
                self.assertIn("Superuser created successfully", output)
            else:
                result = subprocess.run(
                    argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
                )
                self.assertEqual(result.returncode, 0, result.stderr[-3000:])
                self.assertIn("1 created", result.stdout)
        admin = get_user_model().objects.get(username="redaction")
        self.assertTrue(admin.is_superuser and admin.is_staff)
        signed_in = self.client.post(
            "/admin/login/", {"username": "redaction", "password": "Rif-Atlas-2026!"}
        )
        self.assertEqual(signed_in.status_code, 302)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        article = Article.objects.get(title="Tanger accueille un forum sur la mobilité")
        hits = self.client.get("/search/", {"q": "mobilité Tanger"}).context["hits"]
        self.assertEqual([hit["article"].pk for hit in hits], [article.pk])
