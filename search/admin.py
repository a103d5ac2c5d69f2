"""Staff view of the index's health: failed writes, and a repair job on demand."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from search.models import IndexBacklog
from search.tasks import enqueue_repair


@admin.register(IndexBacklog)
class IndexBacklogAdmin(admin.ModelAdmin):
    list_display = ["article_id", "error", "failed_at"]
    change_list_template = "admin/search/indexbacklog/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        repair = path(
            "repair/",
            self.admin_site.admin_view(self.repair_view),
            name="search_indexbacklog_repair",
        )
        return [repair, *super().get_urls()]

    def repair_view(self, request):
        if request.method != "POST" or not request.user.is_staff:
            return redirect("admin:search_indexbacklog_changelist")
        job = enqueue_repair(user=request.user)
        self.message_user(
            request, _("The index check and repair runs in the background."), messages.INFO
        )
        return redirect("admin:archive_job_change", job.pk)
