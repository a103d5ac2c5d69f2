from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from archive.entities.services import connect_signals
        from archive.models import Article, EntityAlias
        from archive.tasks import alias_changed

        connect_signals()
        pre_save.connect(set_fingerprints, sender=Article, dispatch_uid="article-fingerprints")
        post_save.connect(alias_changed, sender=EntityAlias, dispatch_uid="alias-saved-relink")
        post_delete.connect(alias_changed, sender=EntityAlias, dispatch_uid="alias-deleted-relink")


def set_fingerprints(sender, instance, **kwargs) -> None:
    """Every save of an article (fixtures included) recomputes its fingerprints
    from its text: they can never disagree with it."""
    instance.set_fingerprints()
