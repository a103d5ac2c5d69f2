"""Every page, the admin's included, carries the Content-Security-Policy."""

from django.test import TestCase


class ContentSecurityPolicyHeaderTests(TestCase):
    fixtures = ["seed_articles"]

    def test_site_and_admin_pages_send_a_strict_policy(self):
        for url in ("/", "/articles/1/", "/admin/login/"):
            with self.subTest(url):
                policy = self.client.get(url)["Content-Security-Policy"]
                directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
                self.assertEqual(directives["default-src"], "'self'")
                self.assertEqual(directives["script-src"], "'self'")
                self.assertEqual(directives["frame-ancestors"], "'none'")
                self.assertNotIn("unsafe-inline", policy)
