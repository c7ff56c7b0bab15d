"""QuickStatements v1 export of the P190 claims Wikidata lacks, fit to upload.

Format (https://www.wikidata.org/wiki/Help:QuickStatements): one command per line, fields separated by
TAB: ``item⇥property⇥value``, then qualifier pairs (``P580⇥+1995-02-18T00:00:00Z/11``), then source
pairs whose property starts with ``S``.

- Only twinnings: a relation is exported as P190 when its type is ``reltype:twinning`` or
  ``reltype:sister-city`` (with ``reltype:partnership`` beside them at most). Memoranda, friendship pacts,
  cooperation agreements, and partnerships whose source does not say which kind, are left out and counted.
- References as Wikidata cites Wikipedia imports (:mod:`graphkit.wikidata.wiki_sources`): ``S143`` the
  project (English Wikipedia Q328, Italian Wikipedia Q11920), ``S4656`` the list page the pair was read
  from, ``S813`` the dataset's retrieval date from its ``SOURCE.md`` (never today, never a code
  repository). A relation with no Wikipedia page to cite is left out and counted.
- P190 is symmetric: a relation Wikidata lacks gives A→B and B→A; a claim stated one way gives the
  missing reverse. Times carry their precision: ``/9`` year, ``/10`` month, ``/11`` day.
- All S-pairs on one line form ONE reference; a relation read from two wikis gets one line per wiki.
- A relation whose only sources are Wikidata itself (or its crawl) is not exported: nothing to cite.
- Strings are double-quoted; inside a URL, characters that would break the line or the field (TAB,
  newline, ``|``, ``"``, space) are percent-encoded, and a value that is not an http(s) URL is dropped.

>>> qs_time("1995")
'+1995-01-01T00:00:00Z/9'
>>> qs_time("1995-02"), qs_time("1995-02-18")
('+1995-02-01T00:00:00Z/10', '+1995-02-18T00:00:00Z/11')
>>> qs_url("https://example.org/a|b\\tc d")
'"https://example.org/a%7Cb%09c%20d"'
>>> ref = Reference("Q11920", "https://it.wikipedia.org/wiki/Assisi", date(2025, 10, 1))
>>> statement_lines("Q20103", "Q13666", None, [ref])[0].split("\\t")[3:]
['S143', 'Q11920', 'S4656', '"https://it.wikipedia.org/wiki/Assisi"', 'S813', '+2025-10-01T00:00:00Z/11']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graphkit.errors import InputError
from graphkit.rdf.namespaces import RELTYPE, is_qid
from graphkit.store.embedded import Store
from graphkit.wikidata.client import WikidataClient
from graphkit.wikidata.compare import Comparison, OurRelation
from graphkit.wikidata.wiki_sources import WIKI_SOURCES, list_page_url, page_for, pair_pages, retrieval_date

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_UNSAFE_IN_URL = {"\t": "%09", "\n": "%0A", "\r": "%0D", "|": "%7C", '"': "%22", " ": "%20"}
#: The relation types exported as P190, and the one that may stand beside them (the kind unstated).
TWINNING_TYPES = frozenset({str(RELTYPE.twinning), str(RELTYPE["sister-city"])})
UNSTATED_TYPE = str(RELTYPE.partnership)
_PARTY_LABELS = """
SELECT ?relation ?party ?label WHERE {
  ?relation a gk:MunicipalRelation ; gk:party ?party . ?party rdfs:label ?label .
}
"""


@dataclass(frozen=True)
class Reference:
    """One reference group: the Wikimedia project (S143), the page (S4656) and when it was retrieved (S813)."""

    project: str
    url: str
    retrieved: date


@dataclass
class QuickStatements:
    """The commands, how many P190 statements they add, and the relations left out with the reason."""

    text: str
    statements: int
    left_out: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """What was written and what was left out, one line each (for the CLI)."""
        lines = [f"{self.statements} P190 statement(s) in {self.text.count(chr(10))} command(s)"]
        lines += [f"left out {n} relation(s): {why}" for why, n in sorted(self.left_out.items(), key=lambda x: -x[1])]
        return "\n".join(lines) + "\n"


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
    lines = []
    for r in references:
        if not is_qid(r.project):
            raise InputError(f"not a QID for S143: {r.project!r}")
        lines.append(
            "\t".join(head + ["S143", r.project, "S4656", qs_url(r.url), "S813", qs_time(r.retrieved.isoformat())])
        )
    return lines


def left_out_reason(rel: OurRelation | None, references: Sequence[Reference]) -> str | None:
    """Why a relation is not exported as P190 (None: it is)."""
    if rel is None:
        return "no relation of ours behind the claim"
    types = set(rel.types)
    if not types & TWINNING_TYPES:
        kinds = ", ".join(sorted(t.rsplit("/", 1)[-1] for t in types)) or "no type"
        if types == {UNSTATED_TYPE}:
            return "partnership: the source does not say it is a twinning or sister city (not P190)"
        return f"{kinds}: not a twinning or sister city (not P190)"
    if types - TWINNING_TYPES - {UNSTATED_TYPE}:
        return "typed both as a twinning and as another kind of relation"
    if not rel.independent:
        return "only Wikidata (or its crawl) says so: nothing independent to cite"
    if not references:
        return "no Wikipedia page to cite (S143/S4656): not read from English or Italian Wikipedia's lists"
    return None


def quickstatements_for(cmp: Comparison, references: Mapping[str, Sequence[Reference]]) -> QuickStatements:
    """The commands adding every P190 claim Wikidata lacks (both directions) for the twinnings among
    ``cmp``'s discrepancies; ``references`` maps a relation IRI to its references (:func:`wiki_references`)."""
    by_relation = {r.relation: r for r in cmp.relations}
    out = QuickStatements("", 0)
    if cmp.not_twinning:
        out.left_out["memorandum or cooperation agreement: not a twinning (not compared)"] += cmp.not_twinning
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
        refs = list(references.get(d.relation or "", ()))
        why = left_out_reason(rel, refs)
        if why:
            out.left_out[why] += 1
            continue
        assert rel is not None
        for s, o in pairs:
            if (s, o) not in done:
                done.add((s, o))
                out.statements += 1
                lines += statement_lines(s, o, rel.start, refs)
    out.text = "".join(line + "\n" for line in lines)
    return out


def wiki_references(
    store: Store, relations: Sequence[OurRelation], sources: str | Path = "data/sources"
) -> dict[str, list[Reference]]:
    """Relation IRI → one reference per Wikipedia dataset among its sources that lists the pair: the
    project, the list page (found in the dataset's own file by the parties' names) and the retrieval date."""
    wanted = {r.relation: r for r in relations if _source_ids(r) & WIKI_SOURCES.keys()}
    labels: dict[str, dict[str, set[str]]] = {}
    if wanted:
        for relation, party, label in store.select(_PARTY_LABELS).rows:
            if str(relation) in wanted:
                labels.setdefault(str(relation), {}).setdefault(str(party), set()).add(str(label))
    out: dict[str, list[Reference]] = {}
    for source_id, src in WIKI_SOURCES.items():
        users = {iri: r for iri, r in wanted.items() if source_id in _source_ids(r)}
        if not users:
            continue
        pages, retrieved = pair_pages(sources, source_id), retrieval_date(Path(sources) / source_id)
        for iri, r in users.items():
            names = labels.get(iri, {})
            page = page_for(pages, names.get(r.places[0], ()), names.get(r.places[1], ()))
            if page:
                out.setdefault(iri, []).append(Reference(src.project_qid, list_page_url(source_id, page), retrieved))
    return out


def _source_ids(rel: OurRelation) -> set[str]:
    return {s.rsplit("/", 1)[-1] for s in rel.sources}


def run_quickstatements(
    store: Store, client: WikidataClient | None, output: str | Path, *, sources: str | Path = "data/sources"
) -> QuickStatements:
    """Compare with Wikidata (or the shipped crawl), write the commands to ``output``, say what was left out."""
    from graphkit.rdf.files import write_text_atomic
    from graphkit.wikidata.compare import compare_graph_offline, compare_graph_with_wikidata

    cmp = compare_graph_with_wikidata(store, client) if client is not None else compare_graph_offline(store, sources)
    qs = quickstatements_for(cmp, wiki_references(store, cmp.relations, sources))
    write_text_atomic(output, qs.text)
    return qs
