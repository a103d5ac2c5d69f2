"""Broken plurals (search/language/data/broken_plurals.tsv): a plural finds its
singular and back, at indexing and query time, through whichever engine the
suite runs with; words spelled like a plural, or merely containing one, stay
apart; the table never merges two entities of the register."""

import json
from pathlib import Path

import pytest
from django.test import SimpleTestCase

from archive.models import Entity
from archive.services import article_create
from search.language.analysis import BROKEN_PLURALS
from tests.search.helpers import IndexedTestCase, assert_pairs

# Labelled pairs, shared with bench/beat_checks.py: "merged" (query, written
# in an article) must meet both ways; "apart" (spelled like a plural, or
# containing one, and another word) never.
PAIRS = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "broken_plural_pairs.json").read_text(
        encoding="utf-8"
    )
)
MERGED = [tuple(pair) for pair in PAIRS["merged"]]
APART = [tuple(pair) for pair in PAIRS["apart"]]


class TableTests(SimpleTestCase):
    def test_plurals_meet_their_singulars_and_look_alikes_stay_apart(self):
        assert_pairs(self, MERGED, APART)

    def test_no_plural_becomes_a_stop_word_or_a_one_letter_term(self):
        for plural, stem in BROKEN_PLURALS.items():
            with self.subTest(plural=plural):
                self.assertGreaterEqual(len(stem), 2)


@pytest.mark.search
class EntityListTests(SimpleTestCase):
    """0 false merges on the entity list: no two entities of the seed
    register (fixtures/seed_entities.json) share their analysed names through the
    analyzer's tables (this one and the French inflections) unless they shared
    them before."""

    def test_the_tables_merge_no_two_entities(self):
        from search.language import analysis

        register = json.loads(
            (Path(__file__).resolve().parents[2] / "fixtures" / "seed_entities.json").read_text(
                encoding="utf-8"
            )
        )
        names = [
            (item["pk"], item["fields"]["name"])
            for item in register
            if item["model"] == "archive.entity"
        ]
        names += [
            (item["fields"]["entity"], item["fields"]["alias"])
            for item in register
            if item["model"] == "archive.entityalias"
        ]
        self.assertGreater(len(names), 20)

        def terms(text: str) -> tuple[str, ...]:
            return tuple(analysis.analyze(text))

        with_table = {}
        for owner, name in names:
            with_table.setdefault(terms(name), set()).add(str(owner))
        with analysis.without_tables():
            without_table = {}
            for owner, name in names:
                without_table.setdefault(terms(name), set()).add(str(owner))
        shared_now = {frozenset(o) for o in with_table.values() if len(o) > 1}
        shared_before = {frozenset(o) for o in without_table.values() if len(o) > 1}
        self.assertLessEqual(shared_now, shared_before)


@pytest.mark.search
class BrokenPluralSearchTests(IndexedTestCase):
    """Through the configured engine (the CI runs Whoosh and PostgreSQL)."""

    @classmethod
    def setUpTestData(cls):
        cls.children = article_create(
            title="إنقاذ الأطفال",
            body="أنقذت البحرية الأطفال من القوارب قرب الحدود.",
            language="ar",
        )
        cls.child = article_create(
            title="طفل وحيد", body="وصل طفل على متن قارب إلى الشاطئ قرب حد المدينة.", language="ar"
        )
        cls.civil = article_create(
            title="المجتمع المدني", body="دعا المجتمع المدني إلى الحوار.", language="ar"
        )

    def test_singular_finds_the_plural_and_back(self):
        self.assertEqual(self.found("طفل"), {self.children.pk, self.child.pk})
        self.assertEqual(self.found("الأطفال"), {self.children.pk, self.child.pk})
        self.assertEqual(self.found("قوارب"), {self.children.pk, self.child.pk})
        self.assertEqual(self.found("حدود"), {self.children.pk, self.child.pk})

    def test_a_look_alike_is_not_found(self):
        self.assertEqual(self.found("مدن"), {self.child.pk})
        self.assertEqual(self.found("مدني"), {self.civil.pk})
        self.assertFalse(Entity.objects.exists())  # no entity expansion involved
