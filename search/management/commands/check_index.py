"""`manage.py check_index [--repair]`: compare the search index with the database.

Exits non-zero when the index is missing, damaged, built with other fields,
marked incomplete, or holds missing, extra or stale documents. With --repair,
fixes only the drift (in batches, with a progress bar), or rebuilds the index
when it is unusable, and exits zero once database and index agree.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.index import index_check
from search.tasks import after_bulk_write


class Command(BaseCommand):
    help = "Compare the search index with the database; --repair fixes the difference."

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Index what is missing or stale, drop extras."
        )

    def handle(self, *args, **options):
        drift = index_check.check()
        self.stdout.write(drift.summary())
        if drift.clean:
            self.stdout.write(self.style.SUCCESS("The index matches the database."))
            if options["repair"]:
                # The vocabulary kept apart from the index may lag behind saves.
                after_bulk_write()
            return
        if not options["repair"]:
            raise CommandError(
                "The index differs from the database: run `manage.py check_index --repair`.",
                returncode=1,
            )
        total = drift.articles if drift.needs_rebuild else len(drift.to_fix())
        with tqdm(
            total=total,
            desc="rebuild" if drift.needs_rebuild else "repair",
            unit=" article",
            disable=options["verbosity"] == 0,
            file=self.stderr,
        ) as bar:
            after = index_check.repair(drift, progress=bar.update)
        after_bulk_write()
        self.stdout.write(after.summary())
        if not after.clean:
            raise CommandError("The index still differs from the database.", returncode=1)
        self.stdout.write(self.style.SUCCESS("Repaired: the index matches the database."))
