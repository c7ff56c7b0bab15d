"""Tokens, sentences and lexicon cues of a text (spaCy's blank pipeline and ``PhraseMatcher``).

Sentences are the project's own (:func:`graphkit.text.sentences.split_sentences`), so sentence
numbers agree with the curated evidence; spaCy only tokenizes and matches the lexicon's phrases
(case-insensitive, ``’`` read as ``'``).

>>> from graphkit.extract.lexicon import load_lexicon
>>> matcher = CueMatcher(load_lexicon("it"))
>>> doc = matcher.annotate("Titolo\\n\\nIl sindaco di Assisi ha firmato il protocollo d’intesa.")
>>> [(c.kind, c.value, c.phrase) for c in doc.cues_in("offices", 1) + doc.cues_in("relation_types", 1)]
[('offices', 'mayor', 'sindaco'), ('relation_types', 'memorandum-of-understanding', "protocollo d'intesa")]
>>> [t.text for t in doc.sentence_tokens(1)][:4]
['Il', 'sindaco', 'di', 'Assisi']
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graphkit.extract.lexicon import Lexicon
from graphkit.text.sentences import Sentence, split_sentences

#: Lexicon tables matched as phrases: kind → attribute of :class:`Lexicon`.
CUE_TABLES: tuple[str, ...] = (
    "relation_types",
    "relation_words",
    "relation_anaphora",
    "status_cues",
    "offices",
    "portfolios",
    "meetings",
    "venue_cues",
    "promoter_cues",
    "participate_cues",
    "topics",
    "sectors",
    "heritage",
    "countries",
    "organisations",
    "body_prefixes",
    "since_words",
)


@dataclass(frozen=True)
class Token:
    """A token: its text, lower-cased form (``'`` for every apostrophe), span, sentence (0-based), index;
    ``glued``: the token continues the previous one's word ("an" of "Xi'an", "-" and "Smith" of
    "Piedmont-Smith"), so a name may neither start nor end between them."""

    text: str
    lower: str
    start: int
    end: int
    sent: int
    i: int
    glued: bool = False

    @property
    def is_title(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True)
class Cue:
    """A lexicon phrase found in the text: table, concept (or the phrase), tokens ``[first, last)``."""

    kind: str
    value: str
    phrase: str
    first: int
    last: int
    start: int
    end: int
    sent: int


class Annotated:
    """A text with its tokens, sentences and cues (by table and sentence)."""

    def __init__(self, text: str, tokens: list[Token], sentences: list[Sentence], cues: list[Cue]) -> None:
        self.text = text
        self.tokens = tokens
        self.sentences = sentences
        self._sent_first: list[int] = []
        self._sent_last: list[int] = []
        for n in range(len(sentences)):
            idx = [t.i for t in tokens if t.sent == n]
            self._sent_first.append(idx[0] if idx else 0)
            self._sent_last.append(idx[-1] + 1 if idx else 0)
        self._cues: dict[tuple[str, int], list[Cue]] = {}
        self._cue_at: dict[tuple[str, int], Cue] = {}
        for c in cues:
            self._cues.setdefault((c.kind, c.sent), []).append(c)
            self._cue_at.setdefault((c.kind, c.first), c)

    def sentence_tokens(self, n: int) -> list[Token]:
        """Tokens of sentence ``n`` (0-based)."""
        return self.tokens[self._sent_first[n] : self._sent_last[n]]

    def sentence_range(self, n: int) -> range:
        return range(self._sent_first[n], self._sent_last[n])

    def cues_in(self, kind: str, sent: int) -> list[Cue]:
        return self._cues.get((kind, sent), [])

    def cue_at(self, kind: str, token: int) -> Cue | None:
        """The cue of ``kind`` that starts at token index ``token``."""
        return self._cue_at.get((kind, token))

    def covering(self, kind: str, token: int) -> Cue | None:
        """The cue of ``kind`` that contains token index ``token``."""
        if not 0 <= token < len(self.tokens):
            return None
        for c in self.cues_in(kind, self.tokens[token].sent):
            if c.first <= token < c.last:
                return c
        return None

    def span_text(self, first: int, last: int) -> str:
        """The original text from token ``first`` to token ``last - 1``."""
        return self.text[self.tokens[first].start : self.tokens[last - 1].end]


def _as_in_text(phrase: str) -> str:
    """A lexicon phrase as a text would have it for the tokenizer: before a word ("all'" + "x"), and an
    abbreviation capitalised before a word ("State Sen. x": spaCy keeps "Sen." whole only so)."""
    if phrase.endswith("'"):
        return phrase + "x"
    if phrase.endswith("."):
        return phrase.title() + " x"
    return phrase


class CueMatcher:
    """spaCy's blank pipeline for the lexicon's language, with one PhraseMatcher label per table."""

    def __init__(self, lexicon: Lexicon) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.lexicon = lexicon
        self.nlp = spacy.blank(lexicon.language)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._values: dict[str, dict[str, str]] = {}
        for kind in CUE_TABLES:
            table: Any = getattr(lexicon, kind)
            values = dict(table) if isinstance(table, dict) else {p: p for p in table}
            self._values[kind] = {k: str(v) for k, v in values.items()}
            phrases = sorted(values)
            tokenizer: Any = self.nlp.tokenizer
            docs = list(tokenizer.pipe(_as_in_text(p) for p in phrases))
            self.matcher.add(kind, [self._trim(d, p) for d, p in zip(docs, phrases, strict=True)])

    @staticmethod
    def _trim(doc: Any, phrase: str) -> Any:
        """A phrase ending in an apostrophe ("all'") or a full stop ("state sen.") was tokenized before a
        word, as in a text ("Sen." stays one token there): drop the word."""
        if phrase.endswith(("'", ".")) and len(doc) > 1 and doc[-1].text == "x":
            return doc[: len(doc) - 1].as_doc()
        return doc

    def annotate(self, text: str) -> Annotated:
        """Tokenize ``text``, number its sentences and find every lexicon phrase."""
        normal = text.replace("\u2019", "'").replace("\u2018", "'")
        doc = self.nlp.make_doc(normal)
        sentences = split_sentences(text)
        starts = [s.start for s in sentences]
        tokens: list[Token] = []
        index_of: dict[int, int] = {}
        for t in doc:
            if t.is_space:
                continue
            n = bisect.bisect_right(starts, t.idx) - 1
            if n < 0 or t.idx >= sentences[n].end:
                continue
            index_of[t.i] = len(tokens)
            glued = bool(tokens) and _glued(tokens[-1], t.idx, t.lower_, n, self.lexicon.elisions)
            tokens.append(Token(text[t.idx : t.idx + len(t)], t.lower_, t.idx, t.idx + len(t), n, len(tokens), glued))
        cues = _longest_first(self._cues(doc, tokens, index_of))
        return Annotated(text, tokens, sentences, cues)

    def _cues(self, doc: Any, tokens: list[Token], index_of: dict[int, int]) -> Iterable[Cue]:
        strings = self.nlp.vocab.strings
        for match_id, s, e in self.matcher(doc):
            if s not in index_of or e - 1 not in index_of:
                continue
            first, last = index_of[s], index_of[e - 1] + 1
            if tokens[first].sent != tokens[last - 1].sent:
                continue
            kind = strings[match_id]
            phrase = " ".join(doc[s:e].text.lower().split())
            value = self._values[kind].get(phrase, phrase)
            yield Cue(kind, value, phrase, first, last, tokens[first].start, tokens[last - 1].end, tokens[first].sent)


def _glued(prev: Token, start: int, lower: str, sent: int, elisions: frozenset[str]) -> bool:
    """Whether a token at ``start`` continues ``prev``'s word: no space between, and joined by a hyphen
    ("Dong" "-" "han") or by an apostrophe that is not an elided article or preposition ("Xi'" "an",
    "Sant'" "Angelo"; not "dell'" "Emilia", nor the English possessive "'s")."""
    if prev.end != start or prev.sent != sent or not lower[:1].isalnum() and lower != "-":
        return False
    if lower == "-" or prev.lower == "-":
        return prev.lower != "-" or prev.glued
    return prev.lower.endswith("'") and len(prev.lower) > 1 and prev.lower not in elisions


def _longest_first(cues: Iterable[Cue]) -> list[Cue]:
    """Per table, keep the longest of overlapping matches (the first on a tie)."""
    kept: list[Cue] = []
    taken: dict[str, list[tuple[int, int]]] = {}
    family = {"relation_words": "relation_types"}  # a type phrase beats a bare relation word inside it
    for c in sorted(cues, key=lambda c: (-(c.last - c.first), c.first)):
        group = family.get(c.kind, c.kind)
        spans = taken.setdefault(group, [])
        if any(c.first < e and s < c.last for s, e in spans):
            continue
        spans.append((c.first, c.last))
        kept.append(c)
    return sorted(kept, key=lambda c: (c.first, c.kind))
