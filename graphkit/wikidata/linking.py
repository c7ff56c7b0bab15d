"""Link the graph's municipalities to Wikidata offline: review file, accepted links as RDF, a report.

The workflow:

1. :func:`link_graph` reconciles every municipality without ``gk:wikidata`` against an index (by default
   the gazetteers in ``data/sources/``), and :func:`write_linking_outputs` writes
   ``review.csv`` (the top candidates of every place, with their evidence; ``decision`` is ``accept``
   for automatic matches and empty otherwise), ``links.ttl`` (the automatic matches) and ``report.md``/
   ``report.json`` (the share of municipalities with a QID, before and after);
2. a person edits the ``decision`` column (``accept`` on one candidate per place, ``reject`` or empty);
3. :func:`apply_review` reads the edited file back and writes the accepted links as RDF — each link is
   the triple ``<place> gk:wikidata wd:Q…`` plus a reified statement with ``gk:matchScore``,
   ``gk:matchMethod`` (``automatic`` or ``reviewed``), ``prov:wasDerivedFrom`` the gazetteers that gave
   the candidate, and ``prov:generatedAtTime``. Put the file under ``data/`` and the next build has them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import PROV, RDF, RDFS

from graphkit.errors import InputError
from graphkit.rdf.files import csv_text, write_text_atomic
from graphkit.rdf.namespaces import GK, ID, PREFIXES, is_qid, wikidata_iri
from graphkit.runtime.progress import progress
from graphkit.store.embedded import Store
from graphkit.wikidata.gazetteer import MUNICIPALITY, PlaceIndex
from graphkit.wikidata.graphplaces import GraphPlace, read_graph_places
from graphkit.wikidata.reconcile import Candidate, reconcile

REVIEW_COLUMNS = (
    "place",
    "place_label",
    "place_country",
    "rank",
    "qid",
    "candidate_label",
    "candidate_country",
    "candidate_type",
    "score",
    "name_agreement",
    "distance_km",
    "shared_partners",
    "evidence",
    "sources",
    "auto_match",
    "decision",
)
ACCEPT = {"accept", "accepted", "yes", "y", "x", "ok", "match", "true", "1"}
REJECT = {"reject", "rejected", "no", "n", "false", "0", "-"}


@dataclass(frozen=True)
class PlaceLinking:
    """The outcome for one municipality."""

    place: GraphPlace
    candidates: tuple[Candidate, ...]
    status: str  # "already linked" | "matched" | "review" | "no candidate"
    note: str = ""


@dataclass
class LinkingRun:
    """Everything :func:`link_graph` decided, with counts."""

    results: list[PlaceLinking]
    index_counts: dict[str, int] = field(default_factory=dict)
    when: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    def counts(self) -> dict[str, int]:
        c = Counter(r.status for r in self.results)
        total = len(self.results)
        return {
            "municipalities": total,
            "already linked": c["already linked"],
            "matched now": c["matched"],
            "to review": c["review"],
            "no candidate": c["no candidate"],
        }

    def share_before(self) -> float:
        n = len(self.results)
        return self.counts()["already linked"] / n if n else 0.0

    def share_after(self) -> float:
        n = len(self.results)
        c = self.counts()
        return (c["already linked"] + c["matched now"]) / n if n else 0.0

    def matches(self) -> list[tuple[GraphPlace, Candidate]]:
        return [(r.place, r.candidates[0]) for r in self.results if r.status == "matched"]


def link_graph(store: Store, index: PlaceIndex, *, limit: int = 3, show_progress: bool = False) -> LinkingRun:
    """Reconcile every municipality of ``store`` that has no QID yet against ``index``.

    Two places matched to the same QID are both sent to review (our graph may hold a duplicate, or one
    of them is wrong), and so is a match to a QID that another place of the graph already carries.
    """
    places = [p for p in read_graph_places(store) if p.kind == MUNICIPALITY]
    taken: dict[str, str] = {p.qid: p.iri for p in places if p.qid}
    results: list[PlaceLinking] = []
    for place in progress(places, desc="reconciling", enabled=show_progress, total=len(places)):
        if place.qid:
            results.append(PlaceLinking(place, (), "already linked"))
            continue
        cands = tuple(reconcile(place.as_query(), index, limit=limit))
        if not cands:
            results.append(PlaceLinking(place, (), "no candidate"))
        else:
            results.append(PlaceLinking(place, cands, "matched" if cands[0].match else "review"))
    by_qid: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(results):
        if r.status == "matched" and r.candidates[0].qid:
            by_qid[r.candidates[0].qid].append(i)
    for qid, idxs in by_qid.items():
        note = ""
        if len(idxs) > 1:
            note = f"{qid} also matched by " + ", ".join(results[i].place.label for i in idxs)
        elif qid in taken:
            note = f"{qid} already belongs to {taken[qid]}"
        if note:
            for i in idxs:
                r = results[i]
                demoted = (replace(r.candidates[0], match=False),) + r.candidates[1:]
                results[i] = PlaceLinking(r.place, demoted, "review", note)
    return LinkingRun(results, dict(index.counts))


# --------------------------------------------------------------------------------------------
# Review file


def review_rows(run: LinkingRun) -> list[dict[str, str]]:
    """One row per candidate of every place to link (matched or to review), best first."""
    rows = []
    for r in run.results:
        for rank, c in enumerate(r.candidates, 1):
            evidence = _evidence(c) + ([r.note] if r.note and rank == 1 else [])
            rows.append(
                {
                    "place": r.place.iri,
                    "place_label": r.place.label,
                    "place_country": r.place.country or "",
                    "rank": str(rank),
                    "qid": c.qid or "",
                    "candidate_label": c.label,
                    "candidate_country": c.country or "",
                    "candidate_type": c.kind,
                    "score": f"{c.score:.1f}",
                    "name_agreement": f"{c.name:.2f}",
                    "distance_km": "" if c.distance_km is None else f"{c.distance_km:.1f}",
                    "shared_partners": str(c.shared_partners),
                    "evidence": "; ".join(evidence),
                    "sources": " ".join(c.sources),
                    "auto_match": "yes" if c.match else "no",
                    "decision": "accept" if c.match else "",
                }
            )
    return rows


def _evidence(c: Candidate) -> list[str]:
    out = [f"name {c.name:.2f} via {c.matched_name!r}"]
    if c.country_agrees:
        out.append(f"country {c.country}")
    if c.distance_km is not None:
        out.append(f"{c.distance_km:.1f} km")
    if c.shared_partners:
        out.append(f"{c.shared_partners} shared partner(s)")
    out += list(c.contradictions)
    if not c.supported:
        out.append("name only")
    return out


def render_review_csv(rows: Sequence[dict[str, str]], *, raw: bool = False) -> str:
    """The review rows as CSV text, safe to open in a spreadsheet: a cell a spreadsheet would run as a
    formula (``=HYPERLINK(...)``, ``-1+1``, ``@SUM``) gets a leading ``'`` unless ``raw`` (see
    :func:`graphkit.rdf.files.neutralise_formula`; numbers stay numbers).

    >>> print(render_review_csv([{"place_label": "=HYPERLINK(1)", "score": "-0.5"}]).splitlines()[1])
    ,'=HYPERLINK(1),,,,,,,-0.5,,,,,,,
    """
    table = [[row.get(c, "") for c in REVIEW_COLUMNS] for row in rows]
    return csv_text([REVIEW_COLUMNS, *table], raw=raw)


# --------------------------------------------------------------------------------------------
# Accepted links


@dataclass(frozen=True)
class AcceptedLink:
    """A link to store: place, QID, score, method, the sources the candidate came from."""

    place: str
    qid: str
    score: float
    method: str
    sources: tuple[str, ...] = ()
    evidence: str = ""


def links_from_run(run: LinkingRun) -> list[AcceptedLink]:
    """The automatic matches of a run, as links."""
    return [
        AcceptedLink(p.iri, c.qid, c.score, "automatic", c.sources, "; ".join(_evidence(c)))
        for p, c in run.matches()
        if c.qid
    ]


def read_review(path: str | Path) -> list[AcceptedLink]:
    """The accepted rows of an edited review file; raises :class:`InputError` on anything malformed.

    At most one candidate per place may be accepted; ``decision`` is ``accept`` (or yes/x/ok) to keep a
    link, ``reject``/no or empty to leave it out. Rows accepted without ``auto_match=yes`` are
    ``reviewed`` links; accepted automatic matches stay ``automatic``.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise InputError(f"{p}: cannot read the review file: {e}") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = {"place", "qid", "decision"} - set(reader.fieldnames or [])
    if missing:
        raise InputError(f"{p}: not a review file (missing column(s) {', '.join(sorted(missing))})")
    links: dict[str, AcceptedLink] = {}
    for lineno, row in enumerate(reader, start=2):
        decision = (row.get("decision") or "").strip().lower()
        if not decision or decision in REJECT:
            continue
        if decision not in ACCEPT:
            raise InputError(f"{p}:{lineno}: decision must be accept, reject or empty, got {row['decision']!r}")
        place, qid = (row.get("place") or "").strip(), (row.get("qid") or "").strip()
        if not place.startswith(str(ID)) or any(c in place for c in ' <>"{}|^`\\'):
            raise InputError(f"{p}:{lineno}: not a graphkit place IRI: {place!r}")
        if not is_qid(qid):
            raise InputError(f"{p}:{lineno}: not a Wikidata QID: {qid!r}")
        try:
            score = float(row.get("score") or 0)
        except ValueError:
            raise InputError(f"{p}:{lineno}: score must be a number, got {row.get('score')!r}") from None
        if place in links and links[place].qid != qid:
            raise InputError(f"{p}:{lineno}: two candidates accepted for {place} ({links[place].qid} and {qid})")
        method = "automatic" if (row.get("auto_match") or "").strip().lower() == "yes" else "reviewed"
        sources = tuple(s for s in (row.get("sources") or "").split() if s.replace("-", "").isalnum())
        links[place] = AcceptedLink(place, qid, score, method, sources, (row.get("evidence") or "").strip())
    return sorted(links.values(), key=lambda link: link.place)


def links_graph(links: Sequence[AcceptedLink], when: datetime | None = None) -> Graph:
    """The links as RDF: ``<place> gk:wikidata wd:Q`` and a reified statement with score and provenance."""
    g = Graph()
    for prefix in ("gk", "gkid", "wd", "prov", "rdfs", "xsd"):
        g.bind(prefix, PREFIXES[prefix])
    stamp = Literal((when or datetime.now(UTC)).replace(microsecond=0).isoformat(), datatype=rdfns.XSD.dateTime)
    for link in links:
        place, item = URIRef(link.place), wikidata_iri(link.qid)
        g.add((place, GK.wikidata, item))
        node = ID["link/wikidata/" + hashlib.sha1(f"{link.place}|{link.qid}".encode()).hexdigest()[:16]]
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, RDF.subject, place))
        g.add((node, RDF.predicate, GK.wikidata))
        g.add((node, RDF.object, item))
        g.add((node, GK.matchScore, Literal(f"{link.score:.1f}", datatype=rdfns.XSD.decimal)))
        g.add((node, GK.matchMethod, Literal(link.method)))
        g.add((node, PROV.generatedAtTime, stamp))
        for s in link.sources:
            g.add((node, PROV.wasDerivedFrom, ID[f"source/{s}"]))
        if link.evidence:
            g.add((node, RDFS.comment, Literal(link.evidence)))
    return g


def apply_review(
    review: str | Path, output: str | Path, *, store: Store | None = None, when: datetime | None = None
) -> list[AcceptedLink]:
    """Read an edited review file and write its accepted links as Turtle to ``output`` (atomically).

    With ``store`` (the current graph), a link to a place that is not in the graph, or that already has
    another QID, is refused.
    """
    links = read_review(review)
    if store is not None:
        known = {p.iri: p for p in read_graph_places(store)}
        for link in links:
            place = known.get(link.place)
            if place is None:
                raise InputError(f"{link.place} is not a place of the graph (was the graph rebuilt?)")
            if place.qid and place.qid != link.qid:
                raise InputError(f"{link.place} already has {place.qid}; the review accepts {link.qid}")
    write_text_atomic(output, links_graph(links, when).serialize(format="turtle"))
    return links


# --------------------------------------------------------------------------------------------
# Outputs of a run


def linking_report(run: LinkingRun) -> str:
    """A Markdown report: counts, shares before/after, the index, examples of matches and reviews."""
    c = run.counts()
    lines = [
        "# Linking municipalities to Wikidata (offline)",
        "",
        f"Run at {run.when.isoformat()}. Index built from the gazetteers in data/sources/.",
        "",
        "| | count |",
        "|---|---:|",
    ]
    lines += [f"| {k} | {v} |" for k, v in c.items()]
    lines += [
        "",
        f"**Share of municipalities with a QID: {run.share_before():.1%} before, {run.share_after():.1%} "
        f"with the automatic matches** (the rest is in review.csv).",
        "",
        "Index: " + ", ".join(f"{k} {v}" for k, v in run.index_counts.items()),
        "",
    ]
    matched = run.matches()[:15]
    if matched:
        lines += ["## Automatic matches (first 15)", "", "| place | QID | score | evidence |", "|---|---|---:|---|"]
        lines += [
            f"| {_md(p.label)} ({p.country or '?'}) | {c.qid} | {c.score:.1f} | {_md('; '.join(_evidence(c)))} |"
            for p, c in matched
        ]
        lines.append("")
    review = [r for r in run.results if r.status == "review"][:15]
    if review:
        lines += [
            "## To review (first 15)",
            "",
            "| place | best candidate | score | why not automatic |",
            "|---|---|---:|---|",
        ]
        for r in review:
            best = r.candidates[0]
            why = r.note or "; ".join(_evidence(best))
            lines.append(
                f"| {_md(r.place.label)} ({r.place.country or '?'}) | {best.qid} {_md(best.label)} | "
                f"{best.score:.1f} | {_md(why)} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_linking_outputs(run: LinkingRun, directory: str | Path) -> list[Path]:
    """Write review.csv, links.ttl, report.md and report.json into ``directory``."""
    d = Path(directory)
    written = [
        write_text_atomic(d / "review.csv", render_review_csv(review_rows(run))),
        write_text_atomic(d / "links.ttl", links_graph(links_from_run(run), run.when).serialize(format="turtle")),
        write_text_atomic(d / "report.md", linking_report(run)),
    ]
    summary = {
        "when": run.when.isoformat(),
        "counts": run.counts(),
        "share_with_qid_before": round(run.share_before(), 4),
        "share_with_qid_after": round(run.share_after(), 4),
        "index": run.index_counts,
    }
    written.append(write_text_atomic(d / "report.json", json.dumps(summary, indent=2) + "\n"))
    return written


def run_offline_linking(
    store: Store,
    sources: str | Path = "data/sources",
    out_dir: str | Path = "out/linking",
    *,
    show_progress: bool = False,
) -> tuple[LinkingRun, list[Path]]:
    """Build the gazetteer index, link every municipality of ``store``, write the outputs (``graphkit link``)."""
    from graphkit.wikidata.gazetteer import build_gazetteer_index

    index = build_gazetteer_index(sources)
    run = link_graph(store, index, show_progress=show_progress)
    return run, write_linking_outputs(run, out_dir)
