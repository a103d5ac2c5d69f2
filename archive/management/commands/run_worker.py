"""`manage.py run_worker`: the background job worker that `make run` starts.

Marks the tasks a killed worker of this machine left "running" as
interrupted, queues again the jobs it left unfinished, then runs
django-tasks' database worker (`db_worker`), which takes tasks from the
database until it is stopped.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from archive.jobs import jobs_resume
from archive.workers import mark_interrupted_tasks, worker_id


class Command(BaseCommand):
    help = "Run the background job worker (resuming unfinished jobs first)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Exit when no task is left (for tests)."
        )

    def handle(self, *args, **options):
        mark_interrupted_tasks()
        resumed = jobs_resume()
        if resumed and options["verbosity"]:
            self.stdout.write(f"{resumed} unfinished jobs queued again.")
        call_command(
            "db_worker",
            batch=options["batch"],
            no_startup_delay=True,
            interval=1,
            worker_id=worker_id(),
            verbosity=options["verbosity"],
        )
