"""`manage.py seed_archive`: load the seed articles and entities into an empty
archive, and the seed thesaurus into an archive that has none.

`make run` runs it at every start. It loads nothing into an archive that
already holds articles, sources or entities, so a restart never overwrites
what was edited or added since (loaddata would write the fixtures' rows over
the edited ones).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from archive.models import Article, Concept, Entity, Source


class Command(BaseCommand):
    help = "Load the seed articles and entities, only into an empty archive."

    def handle(self, *args, **options):
        if not Concept.objects.exists():
            # The beat thesaurus came later than the first archives: loaded
            # whenever it is empty, never over concepts edited since.
            call_command("loaddata", "seed_concepts", verbosity=0)
        if Article.objects.exists() or Source.objects.exists() or Entity.objects.exists():
            if options["verbosity"]:
                self.stdout.write("The archive is not empty: no seeds loaded.")
            return
        with transaction.atomic():
            call_command("loaddata", "seed_articles", "seed_entities", verbosity=0)
            call_command("link_entities", all=True, verbosity=0)
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Seeds loaded: {Article.objects.count()} articles.")
            )
