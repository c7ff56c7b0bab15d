"""QuickStatements v1 export of the P190 claims Wikidata lacks.

Format (https://www.wikidata.org/wiki/Help:QuickStatements): one command per line, fields separated by
TAB: ``item⇥property⇥value``, then qualifier pairs (``P580⇥+1995-02-18T00:00:00Z/11``), then source
pairs whose property starts with ``S`` (``S854⇥"https://…"⇥S813⇥+2026-11-25T00:00:00Z/11``).

- P190 is symmetric: a relation Wikidata lacks gives A→B and B→A; a claim stated one way gives the
  missing reverse.
- Times carry their precision: ``/9`` year, ``/10`` month, ``/11`` day.
- All S-pairs on one line form ONE reference; a relation with several sources gets one line per source
  (the ``!S`` syntax for separate groups is unreliable), never several URLs merged into one reference.
- A relation whose only sources are Wikidata itself (or its crawl) is not exported: nothing to cite.
- Strings are double-quoted; inside a URL, characters that would break the line or the field (TAB,
  newline, ``|``, ``"``, space) are percent-encoded, and a value that is not an http(s) URL is dropped.

>>> qs_time("1995")
'+1995-01-01T00:00:00Z/9'
>>> qs_time("1995-02"), qs_time("1995-02-18")
('+1995-02-01T00:00:00Z/10', '+1995-02-18T00:00:00Z/11')
>>> qs_url("https://example.org/a|b\\tc d")
'"https://example.org/a%7Cb%09c%20d"'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graphkit.errors import InputError
from graphkit.rdf.namespaces import is_qid
from graphkit.store.embedded import Store
from graphkit.wikidata.client import WikidataClient
from graphkit.wikidata.compare import Comparison, OurRelation

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_UNSAFE_IN_URL = {"\t": "%09", "\n": "%0A", "\r": "%0D", "|": "%7C", '"': "%22", " ": "%20"}


@dataclass(frozen=True)
class Reference:
    """One reference group: a source URL and when it was retrieved."""

    url: str
    retrieved: date


def qs_time(value: str) -> str:
    """A date of ours (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as a QuickStatements time with precision."""
    m = _DATE.match(value.strip().lstrip("+"))
    if not m:
        raise InputError(f"not a date: {value!r}")
    y, mo, d = m.groups()
    if d:
        return f"+{y}-{mo}-{d}T00:00:00Z/11"
    if mo:
        return f"+{y}-{mo}-01T00:00:00Z/10"
    return f"+{y}-01-01T00:00:00Z/9"


def qs_url(url: str) -> str:
    """A URL as a quoted QuickStatements string that cannot break the line or the field."""
    u = url.strip()
    if not re.match(r"^https?://", u, re.IGNORECASE):
        raise InputError(f"not an http(s) URL: {url!r}")
    return '"' + "".join(_UNSAFE_IN_URL.get(c, c) for c in u) + '"'


def statement_lines(subject: str, obj: str, start: str | None, references: Sequence[Reference]) -> list[str]:
    """``subject P190 obj`` with its P580 qualifier, once per reference group (once if none)."""
    if not (is_qid(subject) and is_qid(obj)):
        raise InputError(f"not QIDs: {subject!r}, {obj!r}")
    head = [subject, "P190", obj]
    if start:
        head += ["P580", qs_time(start)]
    if not references:
        return ["\t".join(head)]
    return [
        "\t".join(head + ["S854", qs_url(r.url), "S813", qs_time(r.retrieved.isoformat())])
        for r in references
    ]


def references_for(rel: OurRelation | None, default_retrieved: date) -> list[Reference]:
    """One reference per source URL of a relation (retrieved: the source's date, else the default)."""
    if rel is None:
        return []
    refs = []
    for url, retrieved in rel.source_urls:
        if not re.match(r"^https?://", url or "", re.IGNORECASE):
            continue
        when = default_retrieved
        if retrieved:
            try:
                when = date.fromisoformat(retrieved[:10])
            except ValueError:
                pass
        refs.append(Reference(url, when))
    return refs


def quickstatements_for(cmp: Comparison, *, retrieved: date | None = None) -> str:
    """The QuickStatements v1 commands adding every P190 claim Wikidata lacks (both directions)."""
    today = retrieved or date.today()
    by_relation = {r.relation: r for r in cmp.relations}
    lines: list[str] = []
    done: set[tuple[str, str]] = set()
    for d in cmp.discrepancies:
        if d.kind == "missing-in-wikidata":
            pairs = [(d.subject, d.obj), (d.obj, d.subject)]
        elif d.kind == "one-direction-only" and d.relation:
            # only where our own data supports the relation; otherwise it is Wikidata's claim to fix
            pairs = [(d.subject, d.obj)]
        else:
            continue
        rel = by_relation.get(d.relation) if d.relation else None
        if rel is not None and not rel.independent:
            continue  # only Wikidata-derived sources say so: nothing independent to cite
        start = rel.start if rel else None
        for s, o in pairs:
            if (s, o) in done:
                continue
            done.add((s, o))
            lines += statement_lines(s, o, start, references_for(rel, today))
    return "".join(line + "\n" for line in lines)


def run_quickstatements(
    store: Store, client: WikidataClient | None, output: str | Path, *, sources: str | Path = "data/sources"
) -> int:
    """Compare with Wikidata (or the shipped crawl) and write the commands to ``output``; the line count."""
    from graphkit.rdf.files import write_text_atomic
    from graphkit.wikidata.compare import compare_graph_offline, compare_graph_with_wikidata

    cmp = compare_graph_with_wikidata(store, client) if client is not None else compare_graph_offline(store, sources)
    text = quickstatements_for(cmp)
    write_text_atomic(output, text)
    return text.count("\n")
