"""A Whoosh phrase whose words stand at given distances.

The analyzer gives no term for a stop word but keeps its position
(`search.language.analysis.words`), so "ministre de l'Intérieur" is ministr at 0 and
interieur at 2. Whoosh's own Phrase asks for consecutive positions (or a
slop shared by every gap); this asks for each gap exactly, as PostgreSQL's
`<N>` operator does, so both engines find the same phrases.
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh import query as wq
from whoosh.query.spans import SpanNear2, bisect_spans


class GappedPhrase(SpanNear2):
    """Terms of one field, each exactly `gaps[i]` positions after the one
    before it (gaps[i] ≥ 1)."""

    def __init__(self, fieldname: str, terms: Sequence[str], gaps: Sequence[int]) -> None:
        if len(gaps) != len(terms) - 1 or min(gaps, default=1) < 1:
            raise ValueError("one gap of at least 1 between each two terms")
        self.fieldname = fieldname
        self.terms = tuple(terms)
        self.gaps = tuple(gaps)
        super().__init__(
            [wq.Term(fieldname, term) for term in terms], slop=max(gaps), mindist=min(gaps)
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.terms!r}, {self.gaps!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GappedPhrase) and (self.fieldname, self.terms, self.gaps) == (
            other.fieldname,
            other.terms,
            other.gaps,
        )

    def __hash__(self) -> int:
        return hash((self.fieldname, self.terms, self.gaps))

    def apply(self, fn):
        return self  # its leaves are fixed terms: nothing to rewrite

    def matcher(self, searcher, context=None):
        matchers = [q.matcher(searcher, context) for q in self.qs]
        return GappedPhrase.Matcher(matchers, self.gaps)

    class Matcher(SpanNear2.SpanNear2Matcher):
        def __init__(self, ms, gaps):
            self.gaps = gaps
            super().__init__(ms, slop=max(gaps), ordered=True, mindist=min(gaps))

        def copy(self):
            return type(self)([m.copy() for m in self.ms], self.gaps)

        def _get_spans(self):
            spans = self.ms[0].spans()
            for matcher, gap in zip(self.ms[1:], self.gaps, strict=True):
                following = matcher.spans()
                joined = set()
                for span in spans:
                    # The next term must start exactly `gap` after this span ends.
                    j = bisect_spans(following, span.end + gap)
                    if j < len(following) and following[j].start == span.end + gap:
                        joined.add(span.to(following[j]))
                spans = sorted(joined)
                if not spans:
                    return []
            return spans
