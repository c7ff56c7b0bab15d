"""Compare our relations with Wikidata's P190 (twinned administrative body) claims.

For every relation of ours whose two parties have QIDs, and every P190 claim made on or pointing to
one of our linked places, the comparison finds:

- ``missing-in-wikidata`` — our twinning that Wikidata states in neither direction;
- ``missing-in-graph`` — a P190 claim on one of our places whose partner we have no relation with;
- ``one-direction-only`` — P190 is symmetric, but only A→B is stated (the missing B→A is reported);
- ``start-date-differs`` / ``end-date-differs`` — our date and P580/P582 disagree at the coarser of the
  two precisions (our ``1995`` agrees with Wikidata's ``1995-02-18``).

Memoranda of understanding and cooperation agreements are not twinnings: they are counted apart, not
reported as missing. The claims come from the Query Service (:func:`fetch_p190_claims`) or, offline,
from the 2016 crawl shipped in ``data/sources/`` (:func:`p190_claims_from_crawl`, undated).

>>> compare_dates("1995", 9, "1995-02-18T00:00:00Z", 11)
True
>>> compare_dates("1995-03", 10, "1995-02-18T00:00:00Z", 11)
False
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import PROV, RDF, RDFS

from graphkit.rdf.files import write_text_atomic
from graphkit.rdf.namespaces import GK, ID, PREFIXES, RELTYPE, graph_iri, is_qid, wikidata_iri
from graphkit.store.embedded import Store
from graphkit.wikidata.client import WikidataClient

#: The named graph of the comparison.
COMPARISON_GRAPH = graph_iri("wikidata/p190-comparison")
NOT_TWINNING = (RELTYPE["memorandum-of-understanding"], RELTYPE["cooperation-agreement"])
#: Sources that are Wikidata itself (or a crawl of it): never a reference for a claim sent to Wikidata.
WIKIDATA_DERIVED = frozenset({str(ID["source/wikidata"]), str(ID["source/l3viathan-wikidata-p190"])})

P190_QUERY = """
SELECT ?item ?dir ?other ?start ?startPrecision ?end ?endPrecision WHERE {
  {
    ?item p:P190 ?st . ?st ps:P190 ?other . BIND("out" AS ?dir)
  } UNION {
    ?other p:P190 ?st . ?st ps:P190 ?item . BIND("in" AS ?dir)
  }
  FILTER NOT EXISTS { ?st wikibase:rank wikibase:DeprecatedRank }
  OPTIONAL { ?st pqv:P580 ?sv . ?sv wikibase:timeValue ?start ; wikibase:timePrecision ?startPrecision }
  OPTIONAL { ?st pqv:P582 ?ev . ?ev wikibase:timeValue ?end ; wikibase:timePrecision ?endPrecision }
}
"""

_OUR_RELATIONS = """
SELECT ?relation ?p1 ?p2 ?q1 ?q2 ?type ?start ?end ?source ?url ?retrieved WHERE {
  ?relation a gk:MunicipalRelation ; gk:party ?p1 , ?p2 .
  FILTER(STR(?p1) < STR(?p2))
  ?p1 gk:wikidata ?q1 . ?p2 gk:wikidata ?q2 .
  OPTIONAL { ?relation gk:relationType ?type }
  OPTIONAL { ?relation gk:startDate ?start }
  OPTIONAL { ?relation gk:endDate ?end }
  OPTIONAL { ?relation prov:wasDerivedFrom ?source .
             OPTIONAL { ?source schema:url ?url } OPTIONAL { ?source gk:retrieved ?retrieved } }
}
"""
_LINKED = "SELECT ?place ?q WHERE { ?place gk:wikidata ?q ; a gk:Municipality }"
_QID_LABELS = "SELECT ?q ?label WHERE { ?place gk:wikidata ?q ; rdfs:label ?label }"
#: Label languages in order of preference for the report ("" is a label without a language tag).
_LABEL_LANGS = ("en", "", "it", "ja")


@dataclass(frozen=True)
class P190Claim:
    """One P190 statement: ``subject`` lists ``obj`` as twinned, with optional start/end and precisions."""

    subject: str
    obj: str
    start: str | None = None
    start_precision: int | None = None
    end: str | None = None
    end_precision: int | None = None


@dataclass(frozen=True)
class OurRelation:
    """A relation of ours between two places with QIDs, with its dates and sources' URLs."""

    relation: str
    qids: tuple[str, str]
    places: tuple[str, str]
    types: frozenset[str]
    start: str | None
    end: str | None
    source_urls: tuple[tuple[str, str | None], ...]  # (url, retrieved date) of independent sources
    sources: frozenset[str] = frozenset()

    @property
    def independent(self) -> bool:
        """Supported by a source that is not itself derived from Wikidata (or with no sources recorded)."""
        return not self.sources or bool(self.sources - {str(s) for s in WIKIDATA_DERIVED})

    @property
    def is_twinning(self) -> bool:
        return not (self.types and self.types <= {str(t) for t in NOT_TWINNING})


@dataclass(frozen=True)
class Discrepancy:
    """One row of the comparison."""

    kind: str
    subject: str
    obj: str
    relation: str | None = None
    ours: str | None = None
    wikidata: str | None = None
    note: str = ""


@dataclass
class Comparison:
    """The outcome of :func:`compare_p190`."""

    discrepancies: list[Discrepancy]
    relations: list[OurRelation]
    claims_checked: int
    agreeing: int
    not_twinning: int
    endpoint: str
    retrieved: str
    labels: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        c = Counter(d.kind for d in self.discrepancies)
        return {
            k: c[k]
            for k in (
                "missing-in-wikidata",
                "missing-in-graph",
                "one-direction-only",
                "start-date-differs",
                "end-date-differs",
            )
        }


# --------------------------------------------------------------------------------------------
# Claims


def fetch_p190_claims(client: WikidataClient, qids: Iterable[str], *, chunk_size: int = 100) -> list[P190Claim]:
    """Every non-deprecated P190 statement made by or pointing to ``qids``, in batched queries."""
    items = [wikidata_iri(q) for q in sorted(set(qids))]
    claims: set[P190Claim] = set()
    for r in client.select_values(P190_QUERY, "item", items, chunk_size=chunk_size):
        for row in r.rows():
            item, other = _qid(row["item"]), _qid(row["other"])
            subject, obj = (item, other) if row["dir"] == "out" else (other, item)
            claims.add(
                P190Claim(
                    subject,
                    obj,
                    row.get("start"),
                    _int(row.get("startPrecision")),
                    row.get("end"),
                    _int(row.get("endPrecision")),
                )
            )
    return sorted(claims, key=lambda c: (c.subject, c.obj, c.start or "", c.end or ""))


def p190_claims_from_crawl(sources: str | Path = "data/sources") -> list[P190Claim]:
    """The undated P190 edges of the 2016 crawl shipped in ``data/sources/l3viathan-wikidata-p190``."""
    path = Path(sources) / "l3viathan-wikidata-p190" / "relations.tsv"
    out = set()
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and is_qid(parts[0]) and is_qid(parts[1]):
                out.add(P190Claim(parts[0], parts[1]))
    return sorted(out, key=lambda c: (c.subject, c.obj))


# --------------------------------------------------------------------------------------------
# Our side


def read_our_relations(store: Store) -> list[OurRelation]:
    """Relations whose two parties both carry a QID."""
    r = store.select(_OUR_RELATIONS)
    acc: dict[str, dict] = {}
    for row in r.records():
        d = acc.setdefault(
            row["relation"],
            {
                "places": (row["p1"], row["p2"]),
                "qids": (_qid(row["q1"]), _qid(row["q2"])),
                "types": set(),
                "start": None,
                "end": None,
                "urls": {},
            },
        )
        if row.get("type"):
            d["types"].add(row["type"])
        for k in ("start", "end"):
            if row.get(k) is not None and d[k] is None:
                d[k] = str(row[k])
        if row.get("source"):
            d.setdefault("sources", set()).add(str(row["source"]))
        if row.get("url") and str(row.get("source")) not in WIKIDATA_DERIVED:
            d["urls"][str(row["url"])] = str(row["retrieved"]) if row.get("retrieved") is not None else None
    return [
        OurRelation(
            rel,
            d["qids"],
            d["places"],
            frozenset(d["types"]),
            d["start"],
            d["end"],
            tuple(sorted(d["urls"].items())),
            frozenset(d.get("sources", ())),
        )
        for rel, d in sorted(acc.items())
    ]


def linked_qids(store: Store) -> dict[str, str]:
    """QID → place IRI for every linked municipality."""
    r = store.select(_LINKED)
    return {_qid(row["q"]): row["place"] for row in r.records()}


# --------------------------------------------------------------------------------------------
# The comparison


def compare_dates(ours: str, our_precision: int, theirs: str, their_precision: int) -> bool:
    """True when two dates agree at the coarser precision (9 year, 10 month, 11 day)."""
    p = min(our_precision, their_precision, 11)
    width = {9: 4, 10: 7, 11: 10}.get(p, 4)
    return ours.lstrip("+")[:width] == theirs.lstrip("+")[:width]


def our_precision(value: str) -> int:
    """Precision of an xsd:gYear / gYearMonth / date value.

    >>> our_precision("1995"), our_precision("1995-02"), our_precision("1995-02-18")
    (9, 10, 11)
    """
    return {4: 9, 7: 10}.get(len(value.lstrip("-")), 11)


def compare_p190(
    relations: Sequence[OurRelation],
    claims: Sequence[P190Claim],
    linked: dict[str, str],
    *,
    endpoint: str = "",
    retrieved: str = "",
) -> Comparison:
    """Find the discrepancies between our relations and the P190 claims (see the module docstring)."""
    stated: dict[tuple[str, str], list[P190Claim]] = defaultdict(list)
    for c in claims:
        stated[(c.subject, c.obj)].append(c)
    ours_pairs: dict[frozenset[str], OurRelation] = {}
    out: list[Discrepancy] = []
    agreeing = not_twinning = 0
    for rel in relations:
        a, b = rel.qids
        if a == b:
            continue
        ours_pairs.setdefault(frozenset((a, b)), rel)
        if not rel.is_twinning:
            not_twinning += 1
            continue
        ab, ba = stated.get((a, b), []), stated.get((b, a), [])
        if not ab and not ba:
            out.append(
                Discrepancy("missing-in-wikidata", a, b, rel.relation, rel.start, None, "neither direction is stated")
            )
            continue
        agreeing += 1
        for wd_claims, (s, o) in ((ab, (a, b)), (ba, (b, a))):
            for c in wd_claims:
                if (
                    rel.start
                    and c.start
                    and not compare_dates(rel.start, our_precision(rel.start), c.start, c.start_precision or 11)
                ):
                    out.append(Discrepancy("start-date-differs", s, o, rel.relation, rel.start, c.start))
                if (
                    rel.end
                    and c.end
                    and not compare_dates(rel.end, our_precision(rel.end), c.end, c.end_precision or 11)
                ):
                    out.append(Discrepancy("end-date-differs", s, o, rel.relation, rel.end, c.end))
    for s, o in sorted(stated):
        if (o, s) not in stated and (s in linked or o in linked):
            ours = ours_pairs.get(frozenset((s, o)))
            out.append(
                Discrepancy(
                    "one-direction-only",
                    o,
                    s,
                    ours.relation if ours else None,
                    None,
                    None,
                    f"{s} lists {o}, but {o} does not list {s}",
                )
            )
    seen_pairs: set[frozenset[str]] = set()
    for s, o in sorted(stated):
        pair = frozenset((s, o))
        if pair in seen_pairs or pair in ours_pairs or not (s in linked or o in linked):
            continue
        seen_pairs.add(pair)
        start = stated[(s, o)][0].start
        if s in linked and o in linked:
            note = "both places are in our graph, with no relation between them"
        else:
            if s not in linked:  # our place first
                s, o = o, s
            note = f"{o} is not linked to any place of ours (absent, or not reconciled yet)"
        out.append(Discrepancy("missing-in-graph", s, o, None, None, start, note))
    out.sort(key=lambda d: (d.kind, d.subject, d.obj, d.ours or "", d.wikidata or ""))
    checked = sum(len(v) for v in stated.values())
    return Comparison(out, list(relations), checked, agreeing, not_twinning, endpoint, retrieved)


def compare_graph_with_wikidata(store: Store, client: WikidataClient) -> Comparison:
    """Read our relations, fetch the P190 claims of every linked place (batched), compare."""
    relations = read_our_relations(store)
    linked = linked_qids(store)
    qids = set(linked) | {q for r in relations for q in r.qids}
    claims = fetch_p190_claims(client, qids)
    when = datetime.now(UTC).date().isoformat()
    cmp = compare_p190(relations, claims, linked, endpoint=client.config.endpoint, retrieved=when)
    cmp.labels = qid_labels(store)
    return cmp


def compare_graph_offline(store: Store, sources: str | Path = "data/sources") -> Comparison:
    """The same comparison against the shipped 2016 P190 crawl (no dates, so no date checks)."""
    relations = read_our_relations(store)
    linked = linked_qids(store)
    qids = set(linked) | {q for r in relations for q in r.qids}
    claims = [c for c in p190_claims_from_crawl(sources) if c.subject in qids or c.obj in qids]
    cmp = compare_p190(
        relations, claims, linked, endpoint="data/sources/l3viathan-wikidata-p190 (2016)", retrieved="2016-09-10"
    )
    cmp.labels = qid_labels(store, sources)
    return cmp


def qid_labels(store: Store, sources: str | Path | None = None) -> dict[str, str]:
    """QID → a label for the report: our place's label (English first), else the shipped crawl's
    (``names.tsv``, mostly German; read when ``sources`` is given)."""
    best: dict[str, tuple[int, str]] = {}
    for row in store.select(_QID_LABELS).rows:
        q, label = _qid(str(row[0])), row[1]
        lang = getattr(label, "language", None) or ""
        rank = _LABEL_LANGS.index(lang) if lang in _LABEL_LANGS else len(_LABEL_LANGS)
        if q not in best or (rank, str(label)) < best[q]:
            best[q] = (rank, str(label))
    labels = {q: text for q, (_, text) in best.items()}
    names = Path(sources) / "l3viathan-wikidata-p190" / "names.tsv" if sources is not None else None
    if names is not None and names.is_file():
        with names.open(encoding="utf-8") as f:
            for line in f:
                q, _, name = line.rstrip("\n").partition("\t")
                if is_qid(q) and name.strip() and q not in labels:
                    labels[q] = name.strip()
    return labels


# --------------------------------------------------------------------------------------------
# Outputs


def comparison_rows(cmp: Comparison) -> list[dict[str, str]]:
    return [
        {
            "kind": d.kind,
            "subject": d.subject,
            "object": d.obj,
            "relation": d.relation or "",
            "ours": d.ours or "",
            "wikidata": d.wikidata or "",
            "note": d.note,
        }
        for d in cmp.discrepancies
    ]


def comparison_csv(cmp: Comparison) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(
        buf, fieldnames=["kind", "subject", "object", "relation", "ours", "wikidata", "note"], lineterminator="\n"
    )
    w.writeheader()
    w.writerows(comparison_rows(cmp))
    return buf.getvalue()


def comparison_markdown(cmp: Comparison, *, examples: int = 20) -> str:
    lines = [
        "# Our relations compared with Wikidata P190",
        "",
        f"Claims from {cmp.endpoint or 'the Query Service'}, retrieved {cmp.retrieved}.",
        f"{len(cmp.relations)} relations of ours have two parties with QIDs; {cmp.not_twinning} of them are "
        "MoUs or cooperation agreements (not twinnings, not compared); "
        f"{cmp.agreeing} are in Wikidata; {cmp.claims_checked} P190 claims checked.",
        "",
        "| discrepancy | count |",
        "|---|---:|",
    ]
    lines += [f"| {k} | {v} |" for k, v in cmp.counts().items()]
    for kind in cmp.counts():
        rows = [d for d in cmp.discrepancies if d.kind == kind][:examples]
        if not rows:
            continue
        lines += ["", f"## {kind}", "", "| subject | object | ours | Wikidata | note |", "|---|---|---|---|---|"]
        for d in rows:
            subject, obj = _labelled(d.subject, cmp.labels), _labelled(d.obj, cmp.labels)
            lines.append(f"| {subject} | {obj} | {_cell(d.ours or '')} | {_cell(d.wikidata or '')} | {_cell(d.note)} |")
    return "\n".join(lines) + "\n"


def _labelled(qid: str, labels: dict[str, str]) -> str:
    """``Q20103 (Assisi)`` for a Markdown cell (the label escaped), or the bare QID when none is known.

    >>> _labelled("Q1", {"Q1": "A|<b>"}), _labelled("Q2", {})
    ('Q1 (A\\\\|&lt;b&gt;)', 'Q2')
    """
    label = labels.get(qid)
    return f"{qid} ({_cell(label)})" if label else qid


def _cell(text: str) -> str:
    """Text safe in one Markdown table cell: one line, no HTML, no cell break."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def comparison_graph(cmp: Comparison) -> Graph:
    """The discrepancies as ``gk:WikidataDiscrepancy`` nodes (to be loaded as :data:`COMPARISON_GRAPH`)."""
    g = Graph()
    for prefix in ("gk", "gkid", "wd", "prov", "rdfs", "xsd"):
        g.bind(prefix, PREFIXES[prefix])
    source = ID["source/wikidata"]
    for d in cmp.discrepancies:
        key = hashlib.sha1(f"{d.kind}|{d.subject}|{d.obj}|{d.relation}|{d.ours}|{d.wikidata}".encode()).hexdigest()
        node = ID[f"wikidata-discrepancy/{key[:16]}"]
        g.add((node, RDF.type, GK.WikidataDiscrepancy))
        g.add((node, GK.discrepancyKind, Literal(d.kind)))
        g.add((node, GK.wikidataSubject, wikidata_iri(d.subject)))
        g.add((node, GK.wikidataObject, wikidata_iri(d.obj)))
        if d.relation:
            g.add((node, GK.concernsRelation, URIRef(d.relation)))
        if d.ours:
            g.add((node, GK.ourValue, Literal(d.ours)))
        if d.wikidata:
            g.add((node, GK.wikidataValue, Literal(d.wikidata)))
        if d.note:
            g.add((node, RDFS.comment, Literal(d.note)))
        g.add((node, PROV.wasDerivedFrom, source))
        if cmp.retrieved:
            g.add((node, GK.retrieved, Literal(cmp.retrieved, datatype=rdfns.XSD.date)))
    return g


def write_comparison(cmp: Comparison, directory: str | Path) -> list[Path]:
    """``p190-comparison.md``, ``.csv`` and ``.trig`` (the named graph) in ``directory``."""
    d = Path(directory)
    written = [
        write_text_atomic(d / "p190-comparison.md", comparison_markdown(cmp)),
        write_text_atomic(d / "p190-comparison.csv", comparison_csv(cmp)),
    ]
    from graphkit.store.embedded import EmbeddedStore

    trig = EmbeddedStore()
    trig.add_graph(comparison_graph(cmp), COMPARISON_GRAPH)
    trig.dump(d / "p190-comparison.trig", fmt="trig")
    written.append(d / "p190-comparison.trig")
    return written


def _qid(iri: str) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def run_comparison(
    store: Store, client: WikidataClient | None, out_dir: str | Path, *, sources: str | Path = "data/sources"
) -> tuple[Comparison, list[Path]]:
    """Compare (online with ``client``, else against the shipped crawl) and write the report files."""
    cmp = compare_graph_with_wikidata(store, client) if client is not None else compare_graph_offline(store, sources)
    return cmp, write_comparison(cmp, out_dir)
