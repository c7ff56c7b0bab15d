"""What every rule sees of an article: tokens and cues, places, dates, the article's own town, and
how to cite a span of it as evidence.

>>> text = "Titolo\\n\\nUna frase breve. Un'altra frase."
>>> evidence_for(text, [(1, 0, 6), (2, 8, 24), (3, 25, 40)], 8, 24)  # doctest: +ELLIPSIS
Evidence(sentence=2, start=8, end=24, quote='Una frase breve.', sentence_sha256='...')
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graphkit.extract.annotate import Annotated
from graphkit.extract.dates import DateMention
from graphkit.extract.lexicon import Lexicon
from graphkit.extract.mentions import PlaceMention
from graphkit.extract.model import Evidence, PlaceRef
from graphkit.extract.places import PlaceResolver
from graphkit.text.evidence import sentence_digest

MAX_QUOTE = 120


@dataclass
class Context:
    """The article as the extraction rules read it."""

    doc: Annotated
    lex: Lexicon
    resolver: PlaceResolver
    places: list[PlaceMention]
    dates: list[DateMention]
    home: PlaceRef | None
    reference_year: int
    person_tokens: set[int] = field(default_factory=set)
    #: The article's publication year when given (``--published``): the year of "signed on Monday".
    published_year: int | None = None
    #: The publication day when given in full: a day a few weeks from it is news ("il 12 novembre").
    published_on: dt.date | None = None
    #: Where an official of a town speaks or acts (the character where the office's evidence starts)
    #: and that town: "ha ricordato il sindaco Mingozzi, citando i gemellaggi con X" is Faenza's list.
    speakers: list[tuple[int, PlaceRef]] = field(default_factory=list)
    #: The people of those offices by surname, with their town ("il sindaco Mingozzi" after "Giorgio Mingozzi").
    surnames: dict[str, PlaceRef] = field(default_factory=dict)

    def phrase_at(self, i: int, phrases: Iterable[str]) -> int | None:
        """The token after the longest of ``phrases`` (one or several words, lower case) starting at
        token ``i``, or None: at "Assenti giustificati (4): ...", ``phrase_at(i, ("assenti", "assenti
        giustificati"))`` is the token of "(" (the longer phrase wins)."""
        best = None
        for phrase in phrases:
            words = phrase.split()
            found = [t.lower for t in self.doc.tokens[i : i + len(words)]] == words
            if found and (best is None or i + len(words) > best):
                best = i + len(words)
        return best

    def place_starting(self, i: int) -> PlaceMention | None:
        for m in self.places:
            if m.first == i:
                return m
        return None

    def places_in(self, first: int, last: int) -> list[PlaceMention]:
        return [m for m in self.places if first <= m.first and m.last <= last]

    def date_starting_at(self, start_char: int) -> DateMention | None:
        for d in self.dates:
            if d.start == start_char:
                return d
        return None

    def dates_between(self, start_char: int, end_char: int) -> list[DateMention]:
        return [d for d in self.dates if start_char <= d.start and d.end <= end_char]

    def evidence(self, start: int, end: int, focus: tuple[int, int] | None = None) -> Evidence:
        spans = [(s.number, s.start, s.end) for s in self.doc.sentences]
        return evidence_for(self.doc.text, spans, start, end, focus)


def evidence_for(
    text: str, sentences: Sequence[tuple[int, int, int]], start: int, end: int, focus: tuple[int, int] | None = None
) -> Evidence:
    """Evidence for ``text[start:end]``: its sentence and a quote of at most 120 characters (around
    ``focus`` when the span is longer), never crossing the sentence."""
    starts = [s for _, s, _ in sentences]
    k = max(0, bisect.bisect_right(starts, start) - 1)
    number, s_start, s_end = sentences[k]
    start, end = max(start, s_start), min(end, s_end)
    if end - start > MAX_QUOTE:
        f0, f1 = focus or (start, start + MAX_QUOTE)
        f0, f1 = max(f0, start), min(f1, end)
        if f1 - f0 > MAX_QUOTE:
            f1 = f0 + MAX_QUOTE
        pad = (MAX_QUOTE - (f1 - f0)) // 2
        start = max(start, f0 - pad)
        end = min(end, start + MAX_QUOTE)
    quote = text[start:end]
    stripped = quote.rstrip(" ,;:")
    end -= len(quote) - len(stripped)
    lead = len(stripped) - len(stripped.lstrip(" ,;:"))
    return Evidence(number, start + lead, end, text[start + lead : end], sentence_digest(text[s_start:s_end]))
