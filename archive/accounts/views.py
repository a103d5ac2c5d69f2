"""Sign-up pages: thin views over archive.accounts.services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from archive.accounts import services
from archive.accounts.forms import SignupForm


def signup(request: HttpRequest) -> HttpResponse:
    """Open sign-up (ARCHIVE_SIGNUP_OPEN): the form, then "check your
    e-mail". Closed: who creates accounts, and how to reach them."""
    if not services.signup_open():
        return render(
            request,
            "registration/signup_closed.html",
            {"contact": settings.ARCHIVE_ACCOUNTS_CONTACT},
        )
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.signup_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        return render(
            request, "registration/signup_sent.html", {"email": form.cleaned_data["email"]}
        )
    return render(request, "registration/signup.html", {"form": form})


def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = services.signup_confirm(uidb64, token)
    if user is None:
        return render(request, "registration/signup_invalid.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your account is ready: you are signed in."))
    return redirect(settings.LOGIN_REDIRECT_URL)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a sign-in it refuses (settings: AXES_LOCKOUT_CALLABLE):
    429 with Retry-After, on a page in the reader's language, for the
    journalists' sign-in and the admin's alike."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
