"""Locate facts in a source text: sentences, character offsets and short quotes.

The graph cites a source text the way a Web Annotation text-quote selector does: the sentence
number, the character offsets (Unicode code points, ``start`` inclusive, ``end`` exclusive) and a
short quoted phrase. The text itself stays outside the graph.

Example:
    >>> text = "Title line\\n\\nFirst sentence. Second one here."
    >>> [s.number for s in split_sentences(text)]
    [1, 2, 3]
    >>> q = locate_quote(text, "Second one")
    >>> (q.sentence, q.start, q.end, text[q.start:q.end])
    (3, 28, 38, 'Second one')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphkit.errors import InputError

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ\"“«])")
#: Abbreviations before a name whose full stop ends no sentence ("Sen. Karen Olsen", "dott. Mario Rossi").
_TITLES = frozenset(
    {"mr", "ms", "mrs", "dr", "st", "sen", "rep", "gov", "ald", "hon", "rev", "prof"}
    | {"dott", "avv", "sig", "ing", "cllr"}
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text: its 1-based number and its span in the text."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Quote:
    """Where a phrase occurs: sentence number and character span."""

    sentence: int
    start: int
    end: int
    exact: str


def split_sentences(text: str) -> list[Sentence]:
    """Split a text into numbered sentences.

    Paragraphs are separated by line breaks; a title or heading on its own line counts as one
    sentence; inside a paragraph a sentence ends at ``.``, ``!`` or ``?`` followed by white space
    and an upper-case letter.

    >>> [(s.number, s.start, s.end) for s in split_sentences("A b.\\nC d. E f.")]
    [(1, 0, 4), (2, 5, 9), (3, 10, 14)]
    """
    sentences: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        offset = para.start()
        body = para.group()
        begin = 0
        for brk in _SENTENCE_END.finditer(body):
            if _before_a_name(body[: brk.start()]):
                continue
            _append(sentences, offset + begin, offset + brk.start(), text)
            begin = brk.end()
        _append(sentences, offset + begin, offset + len(body), text)
    return sentences


def _before_a_name(before: str) -> bool:
    """Whether the full stop ending ``before`` closes an initial ("Karen S.", "the U.S.") or a title
    ("Sen.", "dott."), not a sentence."""
    if not before.endswith("."):
        return False
    word = before.rsplit(None, 1)[-1][:-1]
    last = word.rsplit(".", 1)[-1]
    return (len(last) == 1 and last.isupper()) or (last.lower() in _TITLES and last == word)


def _append(sentences: list[Sentence], start: int, end: int, text: str) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(len(sentences) + 1, start, end))


def locate_quote(text: str, phrase: str, occurrence: int = 1) -> Quote:
    """Find the ``occurrence``-th ``phrase`` in ``text`` and return its sentence and offsets.

    Raises :class:`~graphkit.errors.InputError` when the phrase is absent or crosses a sentence
    boundary.

    >>> locate_quote("One. Two three.", "three").sentence
    2
    """
    pos = -1
    for _ in range(occurrence):
        pos = text.find(phrase, pos + 1)
        if pos < 0:
            raise InputError(f"phrase not found in the text: {phrase!r}")
    end = pos + len(phrase)
    for sentence in split_sentences(text):
        if sentence.start <= pos and end <= sentence.end:
            return Quote(sentence.number, pos, end, phrase)
    raise InputError(f"phrase crosses a sentence boundary: {phrase!r}")
