"""django-tasks' database queue as an installed app, under a name the admin
can translate (the library's own is a plain English string). Its own module:
a second AppConfig in archive/apps.py would stop Django from choosing
ArchiveConfig for the archive app."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    verbose_name = _("Background task queue")
