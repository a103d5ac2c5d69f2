from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.search.helpers import IndexedTestCase


class LinkedSeedsStaffTestCase(IndexedTestCase):
    """Seed articles and entities, linked and indexed, with a logged-in editor."""

    fixtures = ["seed_articles", "seed_entities"]
    reindex_each_test = True

    @classmethod
    def setUpTestData(cls):
        call_command("link_entities", "--all", verbosity=0)
        cls.staff = get_user_model().objects.create_superuser(
            "editor", "e@example.org", "pw-editor-1234"
        )

    def setUp(self):
        super().setUp()
        self.client.force_login(self.staff)
