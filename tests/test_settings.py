"""The settings module read fresh in a subprocess, as a deployment would."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="archive.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


class SettingsTests(SimpleTestCase):
    def test_refuses_to_start_without_a_secret_key_when_debug_is_off(self):
        result = run_manage(
            "check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY_FILE="/nonexistent/secret_key"
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("No secret key: set DJANGO_SECRET_KEY", result.stderr)

    def test_reads_the_key_make_run_generated_when_none_is_set(self):
        with tempfile.TemporaryDirectory() as folder:
            key = Path(folder) / "secret_key"
            key.write_text("k3y-" + "z" * 46 + "\n", encoding="utf-8")
            result = run_manage(
                "shell",
                "-c",
                "from django.conf import settings; print(settings.SECRET_KEY)",
                DJANGO_DEBUG="0",
                DJANGO_SECRET_KEY_FILE=str(key),
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip().splitlines()[-1], "k3y-" + "z" * 46)

    def test_debug_starts_without_a_secret_key(self):
        result = run_manage("check", DJANGO_DEBUG="1")
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_deploy_check_is_clean_with_production_settings(self):
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="x7-" + "k" * 30 + "Qz!9" + "m" * 20,
            DJANGO_ALLOWED_HOSTS="archive.example.org",
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)
