"""Labels as plain text: cleaning, folding for search, and the one rule that picks a display label.

Every reader of the graph (views, analysis, exports, linking) shows a node by the label
:func:`best_label` picks: English, else a label without a language tag, else the first by
language code then text. Labels are cleaned with :func:`clean_text` (markup is kept as literal
characters: it is shown as text, never parsed).

>>> best_label([Text("Roma", "it"), Text("Rome", "en")], fallback="x")
'Rome'
>>> fold("Łódź") == fold("lodz")
True
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_ENGLISH = ("en", "en-gb", "en-us")


class Text(tuple):
    """A literal as ``(text, language)``: the lexical form and the language tag ('' when none).

    >>> t = Text("Kōya", "en")
    >>> str(t), t.lang
    ('Kōya', 'en')
    """

    __slots__ = ()

    def __new__(cls, text: str, lang: str = "") -> Text:
        return tuple.__new__(cls, (text, lang))

    def __str__(self) -> str:
        return str(self[0])

    def __repr__(self) -> str:
        return f"Text({self[0]!r}, {self[1]!r})"

    @property
    def lang(self) -> str:
        """The language tag, '' when none."""
        return str(self[1])


def clean_text(value: object, *, limit: int = 300) -> str:
    """A label or tooltip line as plain text: NFC, control characters dropped, whitespace collapsed,
    cut at ``limit`` characters. Markup stays as literal characters (it is shown, never parsed).

    >>> clean_text("  São\\x00 Paulo\\n<b>x</b> ")
    'São Paulo <b>x</b>'
    >>> clean_text("a" * 10, limit=4)
    'aaa…'
    """
    text = unicodedata.normalize("NFC", str(value))
    if not text.isprintable():  # the common case (printable text) skips the per-character pass
        text = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in "\t\n")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fold(text: str) -> str:
    """Case- and accent-insensitive key for matching names (as the views' search box does).

    >>> fold("Łódź") == fold("lodz"), fold("São Paulo"), fold("高野町")
    (True, 'sao paulo', '高野町')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.translate(_FOLD_EXTRA).split())


# Letters NFKD does not decompose into a base letter + combining mark.
_FOLD_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"})


def local_name(iri: str) -> str:
    """The last path segment (or fragment) of an IRI: ``hekman-twincities`` for a source's IRI.

    >>> local_name("https://w3id.org/graphkit/id/source/hekman-twincities")
    'hekman-twincities'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def best_label(labels: Iterable[object], *, fallback: str) -> str:
    """The English label, else an untagged one, else the first by language then text; cleaned as text.

    Takes :class:`Text` cells, rdflib literals (anything with ``.language``) or plain strings
    (untagged). With no label, the local name of ``fallback`` (an IRI), or ''.

    >>> best_label([Text("Koya", "it"), Text("Kōya", "en")], fallback="x")
    'Kōya'
    >>> best_label([Text("Roma", "it"), "Rome"], fallback="x")
    'Rome'
    >>> best_label([], fallback="https://w3id.org/graphkit/id/place/jp/koya")
    'koya'
    """
    best: tuple[int, str, str] | None = None
    for x in labels:
        if x is None:
            continue
        if isinstance(x, Text):
            text, lang = x[0], x[1].lower()
        else:
            text, lang = str(x), (getattr(x, "language", None) or "").lower()
        rank = (0 if lang in _ENGLISH else 1 if not lang else 2, lang, text)
        if best is None or rank < best:
            best = rank
    if best is None:
        return clean_text(local_name(fallback)) if fallback else ""
    return clean_text(best[2])
