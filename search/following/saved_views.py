"""Saved searches: thin views over search.following.saved (journalists' accounts)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.interface import interface_language
from search.following import saved as service
from search.models import AlertFrequency, SavedSearch


def _own(request: HttpRequest, pk: int) -> SavedSearch:
    return get_object_or_404(SavedSearch, pk=pk, user=request.user)


@login_required
def saved_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {
            "saved": saved,
            "new": service.new_matches(saved),
            "changed": service.expansion_changed(saved),
            "feed": service.feed_url(saved),
        }
        for saved in request.user.saved_searches.all()
    ]
    return render(
        request, "search/saved_list.html", {"rows": rows, "alerts": AlertFrequency.choices}
    )


@login_required
@require_POST
def saved_create(request: HttpRequest) -> HttpResponse:
    params = service.search_params(request.POST)
    if not params:
        messages.error(request, _("There is nothing to save: search first."))
        return redirect("search:search")
    saved = service.saved_search_create(
        user=request.user,
        name=request.POST.get("name", ""),
        params=params,
        language=interface_language(),
    )
    messages.success(request, _("Search saved: %(name)s") % {"name": saved.name})
    return redirect("search:saved")


@login_required
def saved_open(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(service.saved_search_open(_own(request, pk), language=interface_language()))


@login_required
@require_POST
def saved_alert(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _own(request, pk)
    alert = request.POST.get("alert")
    if alert in AlertFrequency.values:
        service.saved_search_alert(saved, alert, language=interface_language())
        messages.success(request, _("Alert changed: %(name)s") % {"name": saved.name})
    return redirect("search:saved")


@login_required
@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _own(request, pk)
    saved.delete()
    messages.success(request, _("Deleted: %(name)s") % {"name": saved.name})
    return redirect("search:saved")
