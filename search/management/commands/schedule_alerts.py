"""Queue the daily alert digests for the worker, unless already queued
(`make run` runs it at every start; restarting never queues twice)."""

from django.core.management.base import BaseCommand

from search.tasks import schedule_daily_alerts


class Command(BaseCommand):
    help = "Queue the daily e-mail digests of saved searches (idempotent)."

    def handle(self, *args, **options):
        schedule_daily_alerts()
