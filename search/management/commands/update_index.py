"""`manage.py update_index`: bring the index up to date (replaces haystack's).

The same as `check_index --repair`: only missing, extra and stale documents
are written, found by comparing stored versions with the database (haystack's
command re-indexes by modification date, which misses entity renames and
deletions, and crashes on a damaged index).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Bring the search index up to date with the database (check_index --repair)."

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options):
        call_command(
            "check_index", repair=True, verbosity=options["verbosity"], stdout=self.stdout._out
        )
