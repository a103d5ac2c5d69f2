"""Accounts: sign-up closed by default (the pages say whom to ask), and open
sign-up with e-mail confirmation when ARCHIVE_SIGNUP_OPEN is on."""

import re

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase, override_settings

SIGNUP = "/accounts/signup/"


def signup_form(**fields) -> dict[str, str]:
    return {
        "username": "karima",
        "email": "karima@example.org",
        "password1": "Souss-Massa-2026!",
        "password2": "Souss-Massa-2026!",
        **fields,
    }


class ClosedSignupTests(TestCase):
    def test_the_pages_say_whom_to_ask_and_create_nothing(self):
        page = self.client.get(SIGNUP)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Les comptes sont créés par les administrateurs")
        self.assertNotContains(page, 'name="password1"')
        self.client.post(SIGNUP, signup_form())
        self.assertFalse(get_user_model().objects.exists())
        self.assertEqual(mail.outbox, [])
        login = self.client.get("/accounts/login/")
        self.assertContains(login, "Pas encore de compte ?")
        self.assertContains(login, "Les comptes sont créés par les administrateurs")
        self.assertNotContains(login, f'href="{SIGNUP}"')

    @override_settings(ARCHIVE_ACCOUNTS_CONTACT="redaction@example.org")
    def test_a_contact_address_becomes_a_link(self):
        login = BeautifulSoup(self.client.get("/accounts/login/").content, "html.parser")
        link = login.select_one(".no-account a")
        self.assertEqual(link["href"], "mailto:redaction@example.org")
        self.assertEqual(link.get_text(), "redaction@example.org")

    @override_settings(ARCHIVE_ACCOUNTS_CONTACT="<script>alert(1)</script>")
    def test_the_contact_is_escaped(self):
        page = self.client.get(SIGNUP).content.decode()
        self.assertNotIn("<script>alert", page)
        self.assertIn("&lt;script&gt;", page)


@override_settings(ARCHIVE_SIGNUP_OPEN=True)
class OpenSignupTests(TestCase):
    def sign_in(self, username: str, password: str) -> bool:
        """Through the sign-in page, as a reader does (and as the throttling sees it)."""
        response = self.client.post(
            "/accounts/login/", {"username": username, "password": password}
        )
        return response.status_code == 302 and "_auth_user_id" in self.client.session

    def confirmation_link(self, message) -> str:
        return (
            re.search(r"https?://\S+", message.body).group(0).replace("http://127.0.0.1:8000", "")
        )

    def test_an_account_works_once_its_address_is_confirmed(self):
        self.assertContains(self.client.get("/accounts/login/"), f'href="{SIGNUP}"')
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(SIGNUP, signup_form())
        self.assertContains(response, "karima@example.org")
        user = get_user_model().objects.get(username="karima")
        self.assertFalse(user.is_active)
        self.assertFalse(user.is_staff)
        self.assertFalse(self.sign_in("karima", "Souss-Massa-2026!"))  # not before confirming
        self.assertEqual([m.to for m in mail.outbox], [["karima@example.org"]])
        link = self.confirmation_link(mail.outbox[0])

        confirmed = self.client.get(link)
        self.assertRedirects(confirmed, "/search/saved/")
        user.refresh_from_db()
        self.assertTrue(user.is_active)
        self.assertEqual(self.client.get("/search/saved/").status_code, 200)  # signed in
        # The link is spent once the account has been used.
        self.client.logout()
        self.assertEqual(self.client.get(link).status_code, 400)
        self.assertTrue(self.sign_in("karima", "Souss-Massa-2026!"))

    def test_a_wrong_link_is_refused_clearly(self):
        response = self.client.get("/accounts/signup/MQ/not-a-token/")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Ce lien ne peut pas servir", status_code=400)
        self.assertEqual(self.client.get("/accounts/signup/%%%/x/").status_code, 400)

    def test_bad_forms_are_refused_with_reasons(self):
        get_user_model().objects.create_user("samira", "samira@example.org", "pw-samira-1234")
        cases = {
            "an address in use": signup_form(email="SAMIRA@example.org"),
            "a user name in use": signup_form(username="samira"),
            "passwords apart": signup_form(password2="autre-chose-2026"),
            "a weak password": signup_form(password1="123", password2="123"),
            "no address": signup_form(email=""),
        }
        for case, form in cases.items():
            with self.subTest(case):
                response = self.client.post(SIGNUP, form)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(
                    BeautifulSoup(response.content, "html.parser").select(".form-errors")
                )
        self.assertEqual(get_user_model().objects.count(), 1)
        self.assertEqual(mail.outbox, [])

    def test_signing_up_again_replaces_an_unconfirmed_account(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(SIGNUP, signup_form())
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(SIGNUP, signup_form(username="karima2"))
        users = get_user_model().objects.filter(email="karima@example.org")
        self.assertEqual([u.username for u in users], ["karima2"])
        self.assertEqual(len(mail.outbox), 2)
        # The first link no longer opens anything.
        self.assertEqual(self.client.get(self.confirmation_link(mail.outbox[0])).status_code, 400)
        self.assertRedirects(
            self.client.get(self.confirmation_link(mail.outbox[1])), "/search/saved/"
        )
