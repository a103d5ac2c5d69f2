"""The archive's analyzer (`search.language.analysis`) as a Whoosh analyzer.

Whoosh pickles the analyzer into the index's schema, so this class keeps no
unpicklable state; all the analysis is in the pure module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from whoosh.analysis import Analyzer, Token

from search.language.analysis import STOP_WORDS, WORD, index_terms, normalize_word


class BilingualAnalyzer(Analyzer):
    """The whole pipeline in one generator (Whoosh chains one generator per
    filter; merged, a token costs a regex match and one cached look-up).

    Accepts Whoosh's analyzer options: positions, chars, keeporiginal,
    removestops, start_pos, start_char, tokenize, mode ("index" adds the
    second reading of ambiguous clitics) and no_morph (normalised, unstemmed
    words).
    """

    def has_morph(self) -> bool:
        return True  # it stems; with no_morph=True it gives the unstemmed words

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        unstemmed = no_morph or kwargs.get("nomorph", False)
        index = mode == "index"
        matches: Iterable[re.Match[str] | _WholeValue] = (
            WORD.finditer(value) if tokenize else [_WholeValue(value)]
        )
        # Every word has its own position, stop words included
        # (search.language.analysis.words): phrases keep their gaps.
        for pos, match in enumerate(matches, start_pos):
            word = match.group()
            texts: tuple[str, ...]
            if unstemmed:
                normal = normalize_word(word)
                texts = (normal,) if normal and normal not in STOP_WORDS else ()
            else:
                texts = index_terms(word, index)
            if not texts:
                if removestops:
                    continue
                token.stopped, texts = True, (normalize_word(word),)
            else:
                token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            token.boost = 1.0
            for text in texts:
                token.text = text
                yield token


class _WholeValue:
    """A stand-in regex match for tokenize=False (the value is one token)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def group(self) -> str:
        return self.value

    def start(self) -> int:
        return 0

    def end(self) -> int:
        return len(self.value)


def bilingual_analyzer() -> BilingualAnalyzer:
    """The analyzer for the archive's text fields (index and query alike)."""
    return BilingualAnalyzer()
