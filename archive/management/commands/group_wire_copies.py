"""Group the archive's articles that have no wire-copy group yet (articles
saved before grouping existed); new articles are grouped as they are saved.
Safe to run again: it only looks at ungrouped articles."""

from django.core.management.base import BaseCommand
from django.db import transaction

from archive.models import Article
from archive.wirecopies import group_articles

BATCH = 500


class Command(BaseCommand):
    help = "Group wire copies among articles saved before grouping existed."

    def handle(self, *args, **options):
        done = 0
        while True:
            batch = list(Article.objects.filter(wire__isnull=True).order_by("pk")[:BATCH])
            if not batch:
                break
            with transaction.atomic():
                group_articles(batch)
            done += len(batch)
        if options["verbosity"]:
            self.stdout.write(f"{done} articles grouped")
