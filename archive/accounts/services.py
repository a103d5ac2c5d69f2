"""Sign-up: an account is created inactive and becomes usable only from the
link mailed to its address, so nobody can take an address that is not
theirs. The link is Django's password-reset token (it expires with
PASSWORD_RESET_TIMEOUT and stops working once the account has been used:
the token hashes the last login)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _


def signup_open() -> bool:
    return settings.ARCHIVE_SIGNUP_OPEN


def confirmation_link(user: AbstractBaseUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("signup_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.ARCHIVE_SITE_URL.rstrip("/") + path


@transaction.atomic
def signup_create(*, username: str, email: str, password: str) -> AbstractBaseUser:
    """An inactive account and the e-mail that confirms it (sent after the
    commit, so a failed save sends nothing). An earlier sign-up with the same
    address that was never confirmed is replaced (its e-mail may have been
    lost)."""
    users = get_user_model().objects
    users.filter(email__iexact=email, is_active=False, last_login=None).delete()
    user = users.create_user(username=username, email=email, password=password, is_active=False)
    link = confirmation_link(user)
    body = render_to_string("registration/signup_email.txt", {"user": user, "link": link})
    subject = _("Confirm your account at the Moroccan news archive")
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return user


def signup_confirm(uidb64: str, token: str) -> AbstractBaseUser | None:
    """Activate the account the link names; None for a wrong or expired link."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = get_user_model().objects.get(pk=pk)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None
    if not default_token_generator.check_token(user, token):
        return None
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def accounts_context(request) -> dict:
    """Template context (a context processor): whether visitors may sign up,
    and whom to ask for an account when they may not."""
    return {
        "signup_open": signup_open(),
        "accounts_contact": settings.ARCHIVE_ACCOUNTS_CONTACT,
    }
