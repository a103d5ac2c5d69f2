"""Group the archive's articles that have no wire-copy group yet (articles
saved before grouping existed); new articles are grouped as they are saved.
Safe to run again: it only looks at ungrouped articles.

When the stored bands were made for another similarity threshold (another
LSH layout), every article is grouped again: groups are derived data (no
article changes), and a run stopped midway is finished by the next."""

from django.core.management.base import BaseCommand
from django.db import transaction

from archive.models import Article, WireBand, WireCopy
from archive.wirecopies import group_articles, stored_layout_is_stale

BATCH = 500


class Command(BaseCommand):
    help = "Group wire copies among articles saved before grouping existed."

    def handle(self, *args, **options):
        if stored_layout_is_stale():
            with transaction.atomic():
                WireBand.objects.all().delete()
                WireCopy.objects.all().delete()
            if options["verbosity"]:
                self.stdout.write("similarity threshold changed: grouping every article again")
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
