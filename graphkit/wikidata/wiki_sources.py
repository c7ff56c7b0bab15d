"""Our datasets that were read from Wikipedia, as Wikidata wants them cited.

A P190 claim taken from Wikipedia is referenced with ``S143`` (imported from Wikimedia project: English
Wikipedia Q328, Italian Wikipedia Q11920), ``S4656`` (Wikimedia import URL: the page the pair was read
from) and ``S813`` (retrieved: when the dataset was taken, from its ``SOURCE.md``), never with the URL
of the code repository that scraped it.

- ``hekman-twincities`` read English Wikipedia's "List of twin towns and sister cities in <country>"
  pages: the page of a pair is the one its ``country1`` names (``twin_cities_raw.csv``).
- ``yuboski-itwiki-gemellaggi`` read the *Gemellaggi* section of each Italian comune's article: the page
  is the comune's (``comune_start_name`` is the article's title).

>>> list_page_url("hekman-twincities", "Georgia (country)")
'https://en.wikipedia.org/wiki/List_of_twin_towns_and_sister_cities_in_Georgia_(country)'
>>> list_page_url("yuboski-itwiki-gemellaggi", "Alba (comune italiano)")
'https://it.wikipedia.org/wiki/Alba_(comune_italiano)'
>>> norm_name("Chambly (Oise){{!}}Chambly"), norm_name("  Città  di Castello ")
('chambly', 'città di castello')
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graphkit.errors import InputError


@dataclass(frozen=True)
class WikiSource:
    """A dataset read from a Wikimedia project: its folder, the project's QID and its wiki's base URL."""

    id: str
    project_qid: str
    project: str
    wiki: str
    pairs_file: str
    delimiter: str
    columns: tuple[str, str, str]  # (lister, partner, page) columns of the pairs file


WIKI_SOURCES: dict[str, WikiSource] = {
    s.id: s
    for s in (
        WikiSource("hekman-twincities", "Q328", "English Wikipedia", "https://en.wikipedia.org/wiki/",
                   "twin_cities_raw.csv", ",", ("city1", "city2", "country1")),
        WikiSource("yuboski-itwiki-gemellaggi", "Q11920", "Italian Wikipedia", "https://it.wikipedia.org/wiki/",
                   "twinings.csv", "|", ("comune_start_name", "comune_end_name", "comune_start_name")),
    )
}  # fmt: skip

#: Countries whose English name takes "the" in the title of their list page.
_WITH_THE = frozenset({"Czech Republic", "Faroe Islands", "Netherlands", "United Kingdom", "United States"})
_MARKUP = re.compile(r"\{\{!\}\}.*$")
_BRACKETS = re.compile(r"\([^)]*\)")


def norm_name(name: str) -> str:
    """A place name as the lists and our labels are compared: NFC, no ``(…)`` or ``{{!}}`` part, casefolded."""
    text = _BRACKETS.sub(" ", _MARKUP.sub("", unicodedata.normalize("NFC", name)))
    return " ".join(text.split()).casefold()


def list_page_url(source_id: str, page: str) -> str:
    """The URL of the Wikipedia page a dataset read a pair from (``page``: country or article title)."""
    src = WIKI_SOURCES[source_id]
    if source_id == "hekman-twincities":
        title = "List of twin towns and sister cities in " + ("the " if page in _WITH_THE else "") + page
    else:
        title = page
    return src.wiki + title.replace(" ", "_")


def retrieval_date(source_dir: str | Path) -> date:
    """When a dataset was taken, from its ``SOURCE.md``: a ``Retrieved: YYYY-MM-DD`` line, else the last
    ``(YYYY-MM-DD)`` date of its ``Repo:`` line (the date of the snapshot)."""
    path = Path(source_dir) / "SOURCE.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.__class__.__name__}") from e
    m = re.search(r"^\W*Retrieved:\s*(\d{4}-\d{2}-\d{2})", text, re.MULTILINE | re.IGNORECASE)
    if m:
        return date.fromisoformat(m.group(1))
    for line in text.splitlines():
        if "Repo:" in line:
            found = re.findall(r"\((\d{4}-\d{2}-\d{2})\)", line)
            if found:
                return date.fromisoformat(found[-1])
    raise InputError(f"{path} gives no retrieval date: add a line '- Retrieved: YYYY-MM-DD'")


def pair_pages(sources_dir: str | Path, source_id: str) -> dict[frozenset[str], set[str]]:
    """{normalised pair of names: the pages (country or article title) that list the pair} for a dataset."""
    src = WIKI_SOURCES[source_id]
    path = Path(sources_dir) / source_id / src.pairs_file
    lister, partner, page = src.columns
    pages: dict[frozenset[str], set[str]] = defaultdict(set)
    try:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter=src.delimiter):
                a, b, p = (row.get(c) or "" for c in (lister, partner, page))
                if a and b and p:
                    pages[frozenset((norm_name(a), norm_name(b)))].add(p.strip())
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.__class__.__name__}; is data/sources complete?") from e
    return pages


def page_for(pages: dict[frozenset[str], set[str]], names_a: Iterable[str], names_b: Iterable[str]) -> str | None:
    """The first (sorted) page listing any name of one party with any name of the other, or None.

    >>> page_for({frozenset({"assisi", "messina"}): {"Assisi"}}, ["Assisi"], ["Messina", "Messina (ME)"])
    'Assisi'
    """
    found: set[str] = set()
    bs = {norm_name(b) for b in names_b}
    for a in {norm_name(x) for x in names_a}:
        for b in bs:
            found |= pages.get(frozenset((a, b)), set())
    return min(found) if found else None
