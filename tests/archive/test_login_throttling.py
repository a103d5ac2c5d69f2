"""Sign-ins are throttled (django-axes): a user name guessed at from one
address is refused for a while after ARCHIVE_LOGIN_FAILURE_LIMIT wrong
passwords, on the journalists' sign-in and the admin's alike."""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase

PAGES = {"journalists": "/accounts/login/", "admin": "/admin/login/"}


class LoginThrottlingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        users = get_user_model().objects
        cls.karima = users.create_user("karima", "k@example.org", "Souss-Massa-2026!")
        cls.editor = users.create_superuser("editor", "e@example.org", "Draa-Tafilalet-2026!")
        users.create_user("youssef", "y@example.org", "Oriental-2026!")

    def sign_in(self, page: str, username: str, password: str, **headers):
        return self.client.post(page, {"username": username, "password": password}, **headers)

    def test_wrong_passwords_lock_the_name_from_that_address(self):
        for name, page in PAGES.items():
            with self.subTest(name):
                username, password = (
                    ("editor", "Draa-Tafilalet-2026!")
                    if name == "admin"
                    else ("karima", "Souss-Massa-2026!")
                )
                for _ in range(settings.AXES_FAILURE_LIMIT - 1):
                    self.assertEqual(self.sign_in(page, username, "wrong").status_code, 200)
                refused = self.sign_in(page, username, "wrong")
                self.assertEqual(refused.status_code, 429)
                # Even the right password is refused now, with a clear page.
                locked = self.sign_in(page, username, password, HTTP_ACCEPT_LANGUAGE="en")
                self.assertEqual(locked.status_code, 429)
                self.assertEqual(locked["Retry-After"], "900")
                self.assertContains(locked, "Too many failed sign-ins", status_code=429)
                self.assertContains(locked, "paused for 15 minutes", status_code=429)
                self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_page_speaks_the_readers_language(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.sign_in(PAGES["journalists"], "karima", "wrong")
        arabic = self.sign_in(PAGES["journalists"], "karima", "wrong", HTTP_ACCEPT_LANGUAGE="ar")
        self.assertEqual(arabic.status_code, 429)
        self.assertContains(arabic, 'lang="ar"', status_code=429)
        self.assertNotContains(arabic, "Too many failed sign-ins", status_code=429)

    def test_other_names_and_addresses_are_not_locked(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.sign_in(PAGES["journalists"], "karima", "wrong")
        # A colleague behind the same address signs in.
        colleague = self.sign_in(PAGES["journalists"], "youssef", "Oriental-2026!")
        self.assertEqual(colleague.status_code, 302)
        self.client.logout()
        # Karima from another address is not locked out by the guesser.
        elsewhere = self.sign_in(
            PAGES["journalists"], "karima", "Souss-Massa-2026!", REMOTE_ADDR="10.1.2.3"
        )
        self.assertEqual(elsewhere.status_code, 302)

    def test_a_success_resets_the_count_and_the_pause_ends(self):
        page = PAGES["journalists"]
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.sign_in(page, "karima", "wrong")
        self.assertEqual(self.sign_in(page, "karima", "Souss-Massa-2026!").status_code, 302)
        self.client.logout()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.assertEqual(self.sign_in(page, "karima", "wrong").status_code, 200)
        self.assertEqual(self.sign_in(page, "karima", "wrong").status_code, 429)
        # The cool-off passes (the attempts are dated in the database).
        AccessAttempt.objects.update(
            attempt_time=datetime.datetime.now(datetime.UTC)
            - settings.AXES_COOLOFF_TIME
            - datetime.timedelta(minutes=1)
        )
        self.assertEqual(self.sign_in(page, "karima", "Souss-Massa-2026!").status_code, 302)
