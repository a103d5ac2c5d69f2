"""`manage.py rebuild_index`: index every article anew (replaces haystack's).

Unlike haystack's command it takes the archive's write lock for every batch,
marks the index incomplete while it runs (search pages say so, and a rebuild
killed midway stays marked until the next rebuild or repair), and sets a
damaged index aside instead of crashing on it.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from archive.models import Article
from search.index import index_check, indexing


class Command(BaseCommand):
    help = "Rebuild the search index from the database."

    def add_arguments(self, parser):
        # haystack's flags, so scripts written for it keep working.
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument("--batch-size", type=int, default=indexing.REBUILD_BATCH_SIZE)

    def handle(self, *args, **options):
        with tqdm(
            total=Article.objects.count(),
            desc="rebuild",
            unit=" article",
            disable=options["verbosity"] == 0,
            file=self.stderr,
        ) as bar:
            total = index_check.rebuild(progress=bar.update, batch_size=options["batch_size"])
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"{total} articles indexed."))
