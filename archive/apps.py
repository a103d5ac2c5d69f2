from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from archive.entities.services import connect_signals
        from archive.models import Article

        connect_signals()
        pre_save.connect(set_fingerprints, sender=Article, dispatch_uid="article-fingerprints")


def set_fingerprints(sender, instance, **kwargs) -> None:
    """Every save of an article (fixtures included) recomputes its fingerprints
    from its text: they can never disagree with it."""
    instance.set_fingerprints()
