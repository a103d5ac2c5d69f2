"""Import articles from files, folders, zips or JSONL: `manage.py import_articles PATH…`.

Each document is cleaned and described like an admin upload; duplicates of the
archive (or of the same import) are skipped; articles are saved and indexed in
batches. Re-running an import changes nothing.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from archive.ingest.documents import IngestDefaults
from archive.ingest.files import FORMATS, iter_records
from archive.ingest.pipeline import IMPORT_BATCH_SIZE, ingest, resolve_source
from archive.ingest.results import CREATED, DUPLICATE, REFUSED, IngestStopped
from archive.management.terminal import terminal_language
from archive.models import Language, Source


class Command(BaseCommand):
    help = "Import news articles from .html/.txt files, folders, .zip archives or JSONL(.gz) files."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders to import.")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="auto",
            help="Input format (default: by file name).",
        )
        parser.add_argument(
            "--source", help="Source name for documents that do not name one (created if new)."
        )
        parser.add_argument(
            "--language", choices=Language.values, help="Language of every document (no detection)."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=IMPORT_BATCH_SIZE,
            help="Articles saved and indexed per batch.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, save nothing."
        )

    def handle(self, *args, **options):
        # Everything it prints (refusal reasons included) in the terminal's language.
        with translation.override(terminal_language()):
            self.import_paths(options)

    def import_paths(self, options) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        source = None
        if options["source"]:
            source = Source.objects.filter(name__iexact=options["source"]).first()
            if source is None and not options["dry_run"]:
                source = resolve_source(options["source"], options["language"] or "ar")
        defaults = IngestDefaults(source=source, language=options["language"])
        counts: Counter = Counter()
        refused: list[str] = []
        stopped = None
        with tqdm(
            desc="import", unit=" doc", disable=options["verbosity"] == 0, file=self.stderr
        ) as bar:

            def report(result):
                counts[result.status] += 1
                if result.status == REFUSED:
                    refused.append(f"{result.name}: {result.reason}")
                bar.update(1)

            try:
                ingest(
                    iter_records(options["paths"], options["format"]),
                    defaults=defaults,
                    batch_size=options["batch_size"],
                    dry_run=options["dry_run"],
                    report=report,
                )
            except IngestStopped as error:
                stopped = error
        created = (
            ngettext("%(count)s would be created", "%(count)s would be created", counts[CREATED])
            if options["dry_run"]
            else ngettext("%(count)s created", "%(count)s created", counts[CREATED])
        ) % {"count": counts[CREATED]}
        duplicates = ngettext("%(count)s duplicate", "%(count)s duplicates", counts[DUPLICATE]) % {
            "count": counts[DUPLICATE]
        }
        refusals = ngettext("%(count)s refused", "%(count)s refused", counts[REFUSED]) % {
            "count": counts[REFUSED]
        }
        self.stdout.write(self.style.SUCCESS(f"{created}, {duplicates}, {refusals}"))
        for line in refused[:50]:
            self.stdout.write(self.style.WARNING("  " + _("refused %(line)s") % {"line": line}))
        if len(refused) > 50:
            self.stdout.write(
                "  " + _("… and %(count)s more refused") % {"count": len(refused) - 50}
            )
        if stopped is not None:
            raise CommandError(stopped.reason)
