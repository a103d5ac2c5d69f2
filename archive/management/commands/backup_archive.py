"""`manage.py backup_archive FILE`: a consistent copy of the archive's database.

SQLite: the online backup API (a consistent copy while the site serves and
writes). PostgreSQL: `pg_dump --format=custom`. The search index is not
copied: it is rebuilt from the database (`check_index --repair` after the
restore does it, and `make run` runs that at every start). See docs/BACKUPS.md.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Back up the archive's database to FILE (SQLite copy or pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup (overwritten).")

    def handle(self, *args, **options):
        target = Path(options["file"]).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        vendor = connection.vendor
        if vendor == "sqlite":
            self._sqlite(target)
        elif vendor == "postgresql":
            self._postgresql(target)
        else:
            raise CommandError(f"no backup method for {vendor}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {vendor} database to {target} ({target.stat().st_size:,} bytes)."
            )
        )

    def _sqlite(self, target: Path) -> None:
        source = sqlite3.connect(connection.settings_dict["NAME"])
        partial = target.with_name(target.name + ".partial")
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        os.replace(partial, target)  # a backup is whole or absent

    def _postgresql(self, target: Path) -> None:
        db = connection.settings_dict
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise CommandError("pg_dump is not installed (Debian: postgresql-client)")
        env = {**os.environ}
        if db.get("PASSWORD"):
            env["PGPASSWORD"] = db["PASSWORD"]
        command = [pg_dump, "--format=custom", "--no-owner", f"--file={target}.partial"]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if db.get(key):
                command.append(f"{flag}={db[key]}")
        command.append(db["NAME"])
        result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        os.replace(f"{target}.partial", target)
