"""The sign-up form: Django's own (user name, password rules) with an e-mail
address, required and not already used by another account."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        # An account never confirmed does not hold its address (the new
        # sign-up replaces it: archive.accounts.services).
        users = get_user_model().objects.filter(email__iexact=email)
        if users.exclude(is_active=False, last_login=None).exists():
            raise forms.ValidationError(
                _("An account already uses this address: sign in, or reset its password.")
            )
        return email
