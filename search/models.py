"""What the search app keeps in the database: articles whose index write failed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexBacklog(models.Model):
    """An article whose latest change could not be written to the search index.

    Written when an index write still fails after its retries, so that the
    failure is never silent: the admin shows the count, and `check_index
    --repair` (or the background repair job) writes these articles again and
    deletes the rows.
    """

    # Not a foreign key: the row must outlive a deleted article (whose document
    # still has to leave the index).
    article_id = models.BigIntegerField(_("article id"), unique=True)
    error = models.CharField(_("error"), max_length=500)
    failed_at = models.DateTimeField(_("failed at"), auto_now=True)

    class Meta:
        ordering = ["failed_at"]
        verbose_name = _("article waiting for the index")
        verbose_name_plural = _("articles waiting for the index")

    def __str__(self) -> str:
        return f"#{self.article_id}"
