"""Find entity mentions again: `manage.py link_entities [--all]`.

Run it after aliases change. Without --all, only articles that mention no
entity yet are linked.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from archive.entities.services import article_link, build_linker
from archive.models import Article


class Command(BaseCommand):
    help = "Link articles to the entities their text names (after aliases change)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Re-link every article, not only unlinked ones."
        )

    def handle(self, *args, **options):
        articles = (
            Article.objects.all() if options["all"] else Article.objects.filter(mentions=None)
        )
        linker = build_linker()
        changed = 0
        total = articles.count()
        quiet = options["verbosity"] == 0
        for article in tqdm(
            articles.iterator(), total=total, unit=" article", disable=quiet, file=self.stderr
        ):
            before = dict(article.mentions.values_list("entity_id", "count"))
            if article_link(article=article, linker=linker) != before:
                changed += 1
        self.stdout.write(self.style.SUCCESS(f"{total} articles linked, {changed} changed"))
