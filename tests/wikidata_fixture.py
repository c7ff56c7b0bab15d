"""A Wikidata-shaped RDF fixture built from the data shipped in data/sources/, and a local oxigraph server.

The fixture follows the WDQS RDF model: ``wdt:`` truthy claims, full statements ``p:``/``ps:``/``pq:``
with ``pqv:`` time values (``wikibase:timeValue``/``wikibase:timePrecision``), ``wikibase:rank``,
``rdfs:label`` in several languages, ``skos:altLabel`` aliases, P31, P17, P131, P625 as
``geo:wktLiteral``, P1082, P856, P190 with P580 qualifiers.

Items:
- Weimar (Q3955) from the real wbgetentities JSON of the L3viathan crawl (tests/fixtures/, CC0; 5 dated
  P190 statements);
- Weimar's partners and some other items with labels from l3viathan names.tsv and P190 statements from
  l3viathan relations.tsv (undated);
- Rome, Assisi (eurocities / l3viathan), Kōya (dr5hn JP: ja/it/en labels, coordinates, population, P429
  is not in the shipped data so none is invented).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "data" / "sources"
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
PQV = Namespace("http://www.wikidata.org/prop/qualifier/value/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SCHEMA = Namespace("http://schema.org/")

#: Items whose P190 statements come from relations.tsv (besides Weimar, which has its full entity).
P190_ITEMS = (
    "Q3138", "Q2751", "Q202158", "Q160927", "Q145972", "Q20103", "Q13666", "Q1001939", "Q165285",
    "Q1000336", "Q1004149",
)


def names() -> dict[str, str]:
    out = {}
    with (SOURCES / "l3viathan-wikidata-p190" / "names.tsv").open(encoding="utf-8") as f:
        for line in f:
            qid, _, label = line.rstrip("\n").partition("\t")
            out[qid] = label
    return out


def relations() -> set[tuple[str, str]]:
    with (SOURCES / "l3viathan-wikidata-p190" / "relations.tsv").open(encoding="utf-8") as f:
        return {tuple(line.split()[:2]) for line in f if line.strip()}  # type: ignore[misc]


def _time_literal(value: str) -> Literal:
    # Wikidata JSON writes unknown month/day as 00; the RDF export writes 01.
    sign, rest = value[0], value[1:]
    date, _, _ = rest.partition("T")
    y, m, d = date.split("-")
    m = "01" if m == "00" else m
    d = "01" if d == "00" else d
    return Literal(f"{'' if sign == '+' else '-'}{y}-{m}-{d}T00:00:00Z", datatype=XSD.dateTime)


def _add_statement(g: Graph, item: URIRef, pid: str, value, *, rank: str = "NormalRank", start=None, end=None) -> None:
    digest = hashlib.sha1(f"{value}|{start}".encode()).hexdigest()[:12]
    st = URIRef(f"{WD}statement/{item.split('/')[-1]}-{pid}-{digest}")
    g.add((item, P[pid], st))
    g.add((st, PS[pid], value))
    g.add((st, WIKIBASE.rank, WIKIBASE[rank]))
    if rank != "DeprecatedRank":
        g.add((item, WDT[pid], value))
    for qualifier, when in (("P580", start), ("P582", end)):
        if when is None:
            continue
        time_value, precision = when
        g.add((st, PQ[qualifier], _time_literal(time_value)))
        node = BNode()
        g.add((st, PQV[qualifier], node))
        g.add((node, WIKIBASE.timeValue, _time_literal(time_value)))
        g.add((node, WIKIBASE.timePrecision, Literal(precision)))


def add_entity_json(g: Graph, entity: dict) -> None:
    """Add a wbgetentities entity (labels, aliases, P31/P17/P131/P625/P1082/P856/P190) in the WDQS model."""
    item = WD[entity["id"]]
    for lang, lab in entity.get("labels", {}).items():
        g.add((item, RDFS.label, Literal(lab["value"], lang=lang)))
    for lang, aliases in (entity.get("aliases") or {}).items():
        for a in aliases:
            g.add((item, SKOS.altLabel, Literal(a["value"], lang=lang)))
    claims = entity.get("claims", {})
    for pid in ("P31", "P17", "P131", "P190"):
        for c in claims.get(pid, []):
            dv = c["mainsnak"].get("datavalue")
            if not dv:
                continue
            start, end = _qualifier_time(c, "P580"), _qualifier_time(c, "P582")
            _add_statement(g, item, pid, WD[dv["value"]["id"]], rank=_rank(c), start=start, end=end)
    for c in claims.get("P625", []):
        v = c["mainsnak"]["datavalue"]["value"]
        wkt = Literal(f"Point({v['longitude']} {v['latitude']})", datatype=GEO.wktLiteral)
        _add_statement(g, item, "P625", wkt, rank=_rank(c))
    for c in claims.get("P1082", []):
        v = c["mainsnak"]["datavalue"]["value"]
        _add_statement(g, item, "P1082", Literal(int(v["amount"].lstrip("+")), datatype=XSD.decimal), rank=_rank(c))
    for c in claims.get("P856", []):
        _add_statement(g, item, "P856", URIRef(c["mainsnak"]["datavalue"]["value"]), rank=_rank(c))


def _qualifier_time(claim: dict, pid: str) -> tuple[str, int] | None:
    snaks = claim.get("qualifiers", {}).get(pid, [])
    if snaks and snaks[0].get("datavalue"):
        v = snaks[0]["datavalue"]["value"]
        return v["time"], v["precision"]
    return None


def _rank(claim: dict) -> str:
    return {"preferred": "PreferredRank", "deprecated": "DeprecatedRank"}.get(claim.get("rank", ""), "NormalRank")


def build_fixture_graph() -> Graph:
    """The Wikidata-shaped fixture graph (see the module docstring)."""
    g = Graph()
    entity = json.loads((REPO / "tests" / "fixtures" / "weimar_Q3955_entity.json").read_text("utf-8"))
    add_entity_json(g, entity["entities"]["Q3955"])
    labels = names()
    rels = relations()
    for qid in P190_ITEMS:
        g.add((WD[qid], RDFS.label, Literal(labels[qid], lang="de")))
        # every statement made by the item, and every statement pointing to it (as the crawl has them)
        for src, dst in sorted(rels):
            if qid in (src, dst) and src != "Q3955":  # Weimar's own statements come from its entity JSON
                _add_statement(g, WD[src], "P190", WD[dst])
                for q in (src, dst):
                    if q in labels:
                        g.add((WD[q], RDFS.label, Literal(labels[q], lang="de")))
    members = json.loads((SOURCES / "eurocities-wikidata" / "members-wikidata-enriched.json").read_text("utf-8"))
    for m in members["members"]:
        if m["wikidata_id"] in ("Q220", "Q1794"):
            item = WD[m["wikidata_id"]]
            g.add((item, RDFS.label, Literal(m["wikidata_name"], lang="en")))
            _add_statement(g, item, "P17", WD[m["country"]])
            _add_statement(g, item, "P31", WD.Q515)
            wkt = Literal(f"Point({m['longitude']} {m['latitude']})", datatype=GEO.wktLiteral)
            _add_statement(g, item, "P625", wkt)
            _add_statement(g, item, "P1082", Literal(int(m["population"]), datatype=XSD.decimal))
    g.add((WD.Q220, RDFS.label, Literal("Roma", lang="it")))
    # Identifier claims: the shipped data has none, so these two are TEST VALUES in the right format
    # (ISTAT: 6 digits, province 054 + comune 001; Japanese LG code: 6 digits), not facts from a source.
    _add_statement(g, WD.Q20103, "P635", Literal("054001"))
    _add_statement(g, WD.Q1346907, "P429", Literal("303437"))
    g.add((WD.Q220, RDFS.label, Literal("ローマ", lang="ja")))
    for c in json.loads((SOURCES / "dr5hn-csc-wikidata" / "cities_JP.json").read_text("utf-8")):
        if c["name"] == "Kōya":
            item = WD[c["wikiDataId"]]
            g.add((item, RDFS.label, Literal(c["name"], lang="en")))
            for lang in ("it", "ja"):
                g.add((item, RDFS.label, Literal(c["translations"][lang], lang=lang)))
            _add_statement(g, item, "P17", WD.Q17)
            _add_statement(g, item, "P31", WD.Q1059478)
            wkt = Literal(f"Point({float(c['longitude'])} {float(c['latitude'])})", datatype=GEO.wktLiteral)
            _add_statement(g, item, "P625", wkt)
            _add_statement(g, item, "P1082", Literal(c["population"], datatype=XSD.decimal))
    with (SOURCES / "dr5hn-csc-wikidata" / "states.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["wikiDataId"] == "Q131314":
                _add_statement(g, WD.Q1346907, "P131", WD.Q131314)
                g.add((WD.Q131314, RDFS.label, Literal(row["name"] + " Prefecture", lang="en")))
                g.add((WD.Q131314, RDFS.label, Literal(row["native"], lang="ja")))
    return g


@functools.lru_cache(maxsize=1)
def gazetteer_index():  # type: ignore[no-untyped-def]
    """The full offline index from data/sources, built once per test session (read-only for tests)."""
    from graphkit.wikidata.gazetteer import build_gazetteer_index

    return build_gazetteer_index(SOURCES)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve`` on 127.0.0.1 (in memory), loaded with Turtle through the Graph Store Protocol."""

    def __init__(self, turtle: str) -> None:
        self.port = free_port()
        exe = REPO / ".venv" / "bin" / "oxigraph"
        cmd = [str(exe) if exe.exists() else "oxigraph", "serve", "--bind", f"127.0.0.1:{self.port}"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(self.base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.05)
        req = urllib.request.Request(
            self.base + "/store?default", data=turtle.encode(), method="POST", headers={"Content-Type": "text/turtle"}
        )
        urllib.request.urlopen(req, timeout=20).read()

    @property
    def endpoint(self) -> str:
        return self.base + "/query"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
