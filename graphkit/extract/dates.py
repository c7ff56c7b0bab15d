"""Dates in text, as precise as the text: "3 maggio 1960", "January 3, 2012", "maggio 2012", "nel 2009".

Month names come from the lexicon; a year alone is a four-digit number from 1800 to 2099. A date
preceded by a "since" word of the lexicon ("dal", "dal lontano", "since") is marked ``since``: it
starts an ongoing state ("gemellate dal 1975").

>>> from graphkit.extract.lexicon import load_lexicon
>>> it, en = load_lexicon("it"), load_lexicon("en")
>>> [(d.value, d.since) for d in find_dates("firmato il 3 maggio 1960, gemellate dal lontano 1983", it)]
[('1960-05-03', False), ('1983', True)]
>>> [d.value for d in find_dates("On January 3, 2012 and in May 2014, then 4th of July 2015.", en)]
['2012-01-03', '2014-05', '2015-07-04']
>>> [d.value for d in find_dates("il 15/03/2010 e nel 2009 (ore 2000 persone)", it)]
['2010-03-15', '2009']
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from graphkit.extract.lexicon import Lexicon

_YEAR = r"(1[89]\d\d|20\d\d)"


@dataclass(frozen=True)
class DateMention:
    """A date in the text: ISO value (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), span, and whether a
    "since" word precedes it."""

    value: str
    start: int
    end: int
    since: bool = False

    @property
    def year(self) -> int:
        return int(self.value[:4])


def _month_and_day(months: tuple[tuple[str, int], ...]) -> tuple[str, str]:
    """The regular expressions of a month name of the lexicon and of a day of the month."""
    names = "|".join(sorted((re.escape(m) for m, _ in months), key=len, reverse=True))
    return rf"(?P<month>{names})\.?", r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|º|°)?"


@functools.lru_cache(maxsize=8)
def _patterns(months: tuple[tuple[str, int], ...]) -> tuple[re.Pattern[str], ...]:
    month, day = _month_and_day(months)
    return (
        re.compile(rf"\b{day}\s+(?:of\s+)?{month},?\s+(?P<year>{_YEAR[1:-1]})\b", re.IGNORECASE),
        re.compile(rf"\b{month}\s+{day},?\s+(?P<year>{_YEAR[1:-1]})\b", re.IGNORECASE),
        re.compile(rf"\b{month},?\s+(?P<year>{_YEAR[1:-1]})\b", re.IGNORECASE),
        re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
        re.compile(r"\b(?P<day>[0-3]?\d)[/.](?P<mnum>[01]?\d)[/.](?P<year>(?:1[89]|20)\d\d)\b"),
        re.compile(r"(?<![\d/.,-])\b(?P<year>(?:1[89]|20)\d\d)\b(?![\d/.,]\d)"),
    )


def find_dates(text: str, lexicon: Lexicon, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Every date in ``text[start:end]`` (offsets into ``text``), in order, without overlaps."""
    end = len(text) if end is None else end
    window = text[start:end]
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern in _patterns(tuple(sorted(lexicon.months.items()))):
        for m in pattern.finditer(window):
            s, e = m.start() + start, m.end() + start
            if any(s < te and ts < e for ts, te in taken):
                continue
            value = _value(m, lexicon)
            if value is None or (len(value) == 4 and not _year_context(text, s, e, lexicon)):
                continue
            taken.append((s, e))
            found.append(DateMention(value, s, e, _after_since(text, s, lexicon)))
    return sorted(found, key=lambda d: d.start)


@functools.lru_cache(maxsize=8)
def _yearless_patterns(months: tuple[tuple[str, int], ...]) -> tuple[re.Pattern[str], ...]:
    month, day = _month_and_day(months)
    return (
        re.compile(rf"\b{day}\s+(?:of\s+)?{month}\b(?!\s*,?\s*\d)", re.IGNORECASE),
        re.compile(rf"\b{month}\s+{day}\b(?!\s*,?\s*\d)", re.IGNORECASE),
    )


def complete_yearless(text: str, lexicon: Lexicon, dates: list[DateMention], reference: dt.date) -> list[DateMention]:
    """``dates`` with the day-and-month dates the text gives without a year ("il 12 novembre", "On
    8 March") added, in the year of ``reference`` (the article's publication): a news item tells
    of the days around it. A day more than six months after the reference falls in the year before
    (a January item on "12 December").

    >>> from graphkit.extract.lexicon import load_lexicon
    >>> en = load_lexicon("en")
    >>> text = "On 8 March the mayors signed; on December 12, 2019 they met; on 20 December they talked."
    >>> [d.value for d in complete_yearless(text, en, find_dates(text, en), dt.date(2024, 3, 12))]
    ['2024-03-08', '2019-12-12', '2023-12-20']
    """
    taken = [(d.start, d.end) for d in dates]
    found = list(dates)
    for pattern in _yearless_patterns(tuple(sorted(lexicon.months.items()))):
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            month = lexicon.months.get(m.group("month").lower())
            if month is None or m.group("month") == "may":  # "the council may 3 ...": a verb
                continue
            day = _day_in(reference.year, month, int(m.group("day")))
            if day is not None and (day - reference).days > 183:
                day = _day_in(reference.year - 1, month, int(m.group("day")))
            if day is None:
                continue
            taken.append((s, e))
            found.append(DateMention(day.isoformat(), s, e))  # never "since": "dal 17 al 19 maggio" is a stay
    return sorted(found, key=lambda d: d.start)


def _day_in(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when the year has no such day (29 February)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _value(m: re.Match[str], lexicon: Lexicon) -> str | None:
    groups = m.groupdict()
    year = int(groups["year"])
    month = lexicon.months.get(groups["month"].lower()) if groups.get("month") else None
    if month is None and groups.get("mnum"):
        month = int(groups["mnum"])
    if month is None:
        return f"{year:04d}"
    if not groups.get("day"):
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, int(groups["day"])).isoformat()
    except ValueError:
        return None


def _year_context(text: str, s: int, e: int, lexicon: Lexicon) -> bool:
    """A bare number reads as a year after a date or since word, or before punctuation ("nel 2009",
    "since 1975", "(2009)"), not in "2000 persone"."""
    if re.match(r"\s*(?:[.,;:)!?\u2013\u2014-]|$)", text[e : e + 2]):
        return True
    words = re.findall(r"[^\W\d]+'?", text[max(0, s - 30) : s].replace("\u2019", "'").lower())
    cues = set(lexicon.date_words) | set(lexicon.since_words)
    return (
        not words
        or any(" ".join(words[-k:]) in cues for k in (1, 2, 3) if len(words) >= k)
        or _after_since(text, s, lexicon)
    )


def _after_since(text: str, pos: int, lexicon: Lexicon) -> bool:
    words = re.findall(r"[^\W\d]+'?", text[max(0, pos - 40) : pos].replace("\u2019", "'").lower())
    cues = set(lexicon.since_words)
    for _ in range(2):  # "dal lontano 1983", "since the 3rd of": one filler word may stand between
        if any(" ".join(words[-k:]) in cues for k in (1, 2, 3) if len(words) >= k):
            return True
        words = words[:-1]
    return False
