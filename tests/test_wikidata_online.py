"""Enrichment, P190 comparison and QuickStatements export, with the real query text run against a local
oxigraph server loaded with the Wikidata-shaped fixture (tests/wikidata_fixture.py)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS

from graphkit.build.pipeline import assemble
from graphkit.rdf.namespaces import GK, ID, RELTYPE, WGS84
from graphkit.store.embedded import EmbeddedStore
from graphkit.validate.validator import load_ontology, validate_graph
from graphkit.wikidata.client import ClientConfig, WikidataClient
from graphkit.wikidata.compare import (
    COMPARISON_GRAPH,
    Comparison,
    Discrepancy,
    OurRelation,
    compare_graph_offline,
    compare_graph_with_wikidata,
    write_comparison,
)
from graphkit.wikidata.enrich import enrich_graph
from graphkit.wikidata.quickstatements import (
    Reference,
    qs_time,
    qs_url,
    quickstatements_for,
    statement_lines,
    wiki_references,
)

from .conftest import REPO, run_cli
from .wikidata_fixture import OxigraphServer, build_fixture_graph

pytestmark = pytest.mark.server
UA = "graphkit-tests/0.1 (https://example.org/graphkit; tests@example.org)"
FIXTURE = REPO / "tests" / "fixtures" / "wikidata-ours.ttl"
SEED = REPO / "data" / "seed" / "assisi-koya.ttl"


@pytest.fixture(scope="module")
def wdqs():
    server = OxigraphServer(build_fixture_graph().serialize(format="turtle"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def store():
    s, _ = assemble(REPO / "data", REPO / "out", steps=())
    s.load_file(FIXTURE)
    return s


@pytest.fixture()
def client(wdqs, tmp_path):
    return WikidataClient(ClientConfig(UA, endpoint=wdqs.endpoint, cache_dir=tmp_path / "cache"))


@pytest.fixture(scope="module")
def enrichment(wdqs, store, tmp_path_factory):
    c = WikidataClient(ClientConfig(UA, endpoint=wdqs.endpoint, cache_dir=tmp_path_factory.mktemp("cache")))
    return enrich_graph(store, c), c


@pytest.fixture(scope="module")
def comparison(wdqs, store, tmp_path_factory):
    c = WikidataClient(ClientConfig(UA, endpoint=wdqs.endpoint, cache_dir=tmp_path_factory.mktemp("cache")))
    return compare_graph_with_wikidata(store, c), c


def place(local: str) -> URIRef:
    return ID[f"place/{local}"]


# ---------------------------------------------------------------------------------- enrichment


def test_enrichment_is_batched(enrichment):
    result, c = enrichment
    assert result.items == 11  # 11 linked municipalities (seed + fixture)
    assert c.requests_sent == 2  # one facts query for all items, one for the new parents' labels


def test_enrichment_facts_for_weimar(enrichment):
    g = enrichment[0].graph
    weimar = place("Q3955")
    assert g.value(weimar, GK.population) == Literal(64131)  # the preferred-rank value
    assert g.value(weimar, WGS84.lat).toPython() == Decimal("50.983333")
    assert g.value(weimar, WGS84.long).toPython() == Decimal("11.316667")
    assert g.value(weimar, FOAF.homepage) == URIRef("http://www.weimar.de")
    labels = {(str(o), o.language) for o in g.objects(weimar, RDFS.label)}
    assert ("ヴァイマル", "ja") in labels and ("Weimar", "it") in labels
    assert ("Weimar", "en") not in labels  # we already had it
    # current administrative parent only (statements with an end time P582 are history)
    assert set(g.objects(weimar, GK.locatedIn)) == {place("Q1205")}
    assert (place("Q1205"), RDF.type, GK.AdministrativeArea) in g


def test_identifier_codes(enrichment):
    g = enrichment[0].graph
    assert g.value(place("Q20103"), GK.istatCode) == Literal("054001")
    assert g.value(place("Q1346907"), GK.japaneseLocalGovernmentCode) == Literal("303437")


def test_every_enriched_fact_is_sourced_with_the_retrieval_date(enrichment):
    result = enrichment[0]
    g = result.graph
    facts = [(s, p, o) for s, p, o in g if p not in (RDF.subject, RDF.predicate, RDF.object, RDF.type,
                                                       PROV.wasDerivedFrom, GK.retrieved, GK.wikidata)]
    facts = [t for t in facts if (t[0], RDF.type, GK.AdministrativeArea) not in g]
    assert len(facts) >= 10
    for s, p, o in facts:
        st = next((x for x in g.subjects(RDF.subject, s) if (x, RDF.predicate, p) in g and (x, RDF.object, o) in g),
                  None)
        assert st is not None, (s, p, o)
        assert (st, PROV.wasDerivedFrom, ID["source/wikidata"]) in g
        assert g.value(st, GK.retrieved).toPython() == result.retrieved == date.today()


def test_enrichment_keeps_our_values_and_the_graph_still_validates(enrichment, store):
    result = enrichment[0]
    g = result.graph
    koya = place("Q1346907")
    assert g.value(koya, GK.population) is None and g.value(koya, WGS84.lat) is None  # we had them
    assert result.kept_existing["population"] == 1 and result.differences == []  # Kōya agrees within 0.01°
    rome = place("Q220")
    assert g.value(rome, WGS84.lat).toPython() == Decimal("41.890000")
    both = EmbeddedStore()
    both.load_data(store.serialize("nq"), "nq")
    both.add_graph(g, ID["graph-test/enrichment"])
    report = validate_graph(both.to_rdflib(), ontology=load_ontology())
    assert report.conforms, report.summary()


# ---------------------------------------------------------------------------------- comparison


def test_comparison_counts(comparison):
    cmp, c = comparison
    assert c.requests_sent == 1
    assert cmp.not_twinning == 1  # Assisi–Kōya is a memorandum of understanding, not a twinning
    counts = cmp.counts()
    assert counts["missing-in-wikidata"] == 1
    assert counts["start-date-differs"] == 1
    assert counts["end-date-differs"] == 0


def _find(cmp: Comparison, kind: str, s: str, o: str) -> Discrepancy | None:
    return next((d for d in cmp.discrepancies if d.kind == kind and (d.subject, d.obj) == (s, o)), None)


def test_missing_in_wikidata_and_dates(comparison):
    cmp, _ = comparison
    missing = [d for d in cmp.discrepancies if d.kind == "missing-in-wikidata"][0]
    assert {missing.subject, missing.obj} == {"Q20103", "Q13666"}  # Assisi–Messina, from itwiki
    assert missing.relation == str(ID["relation/assisi-messina"])
    date_diff = [d for d in cmp.discrepancies if d.kind == "start-date-differs"][0]
    assert (date_diff.subject, date_diff.obj, date_diff.ours) == ("Q3955", "Q202158", "1971")
    assert date_diff.wikidata.startswith("1970-09-06")
    # Weimar–Blois: our 1995 agrees with Wikidata's 1995-02-18 at year precision
    assert not any(d.relation == str(ID["relation/weimar-blois"]) for d in cmp.discrepancies)


def test_one_direction_only_and_missing_in_graph(comparison):
    cmp, _ = comparison
    # Stenungsund lists Huittinen (P190), Huittinen does not list Stenungsund: the reverse is missing
    d = _find(cmp, "one-direction-only", "Q165285", "Q1001939")
    assert d is not None and d.relation == str(ID["relation/stenungsund-huittinen"])
    assert _find(cmp, "one-direction-only", "Q1001939", "Q165285") is None
    # Weimar lists Siena; we have the relation, but our Siena has no QID yet
    d = _find(cmp, "missing-in-graph", "Q3955", "Q2751")
    assert d is not None and "Q2751 is not linked" in d.note
    # Assisi lists Wadowice: we have no such relation
    assert _find(cmp, "missing-in-graph", "Q20103", "Q212856") is not None
    # reciprocal pairs are never reported as one-directional
    assert _find(cmp, "one-direction-only", "Q3955", "Q3138") is None
    assert _find(cmp, "one-direction-only", "Q3138", "Q3955") is None


def test_comparison_named_graph_is_queryable(comparison, tmp_path):
    cmp, _ = comparison
    written = write_comparison(cmp, tmp_path)
    assert [p.name for p in written] == ["p190-comparison.md", "p190-comparison.csv", "p190-comparison.trig"]
    s = EmbeddedStore()
    s.load_file(tmp_path / "p190-comparison.trig")
    assert s.graphs() == [COMPARISON_GRAPH]
    r = s.query(
        """SELECT ?kind (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d a gk:WikidataDiscrepancy ; gk:discrepancyKind ?kind } }
           GROUP BY ?kind""",
        bindings={"g": COMPARISON_GRAPH},
    )
    counts = {row["kind"]: row["n"] for row in r.records()}
    assert counts == {k: v for k, v in cmp.counts().items() if v}
    r = s.query(
        "SELECT ?ours ?wd WHERE { ?d gk:discrepancyKind 'start-date-differs' ; gk:ourValue ?ours ;"
        " gk:wikidataValue ?wd ; gk:concernsRelation ?rel }",
        bindings={"rel": ID["relation/weimar-hameenlinna"]},
    )
    assert r.records()[0]["ours"] == "1971"
    md = (tmp_path / "p190-comparison.md").read_text("utf-8")
    assert "| missing-in-wikidata | 1 |" in md


def test_offline_comparison_against_the_shipped_crawl(store):
    cmp = compare_graph_offline(store, REPO / "data" / "sources")
    assert cmp.counts()["missing-in-wikidata"] == 1  # Assisi–Messina is not in the 2016 crawl either
    assert _find(cmp, "one-direction-only", "Q165285", "Q1001939") is not None
    assert cmp.counts()["start-date-differs"] == 0  # the crawl has no dates


# ---------------------------------------------------------------------------------- QuickStatements

QID = re.compile(r"^Q[1-9]\d*$")
PROP = re.compile(r"^P[1-9]\d*$")
SOURCE_PROP = re.compile(r"^S[1-9]\d*$")
TIME = re.compile(r"^\+\d{4}-\d{2}-\d{2}T00:00:00Z/(9|10|11)$")
STRING = re.compile(r'^"[^"\t|\n]*"$')


WIKIS = ("https://en.wikipedia.org/wiki/", "https://it.wikipedia.org/wiki/")


def check_qs_line(line: str) -> dict[str, list[str]]:
    """Check one QuickStatements v1 line against the format's rules; return its parts."""
    assert "\n" not in line and "\r" not in line
    fields = line.split("\t")
    assert len(fields) >= 3 and len(fields) % 2 == 1, line
    item, prop, value = fields[:3]
    assert QID.match(item) and prop == "P190" and QID.match(value), line
    pairs = list(zip(fields[3::2], fields[4::2], strict=True))
    seen_source = False
    out: dict[str, list[str]] = {"qualifiers": [], "sources": []}
    for p, v in pairs:
        if SOURCE_PROP.match(p):
            seen_source = True
            out["sources"].append(p)
        else:
            assert PROP.match(p) and not seen_source, f"qualifier after a source: {line}"
            out["qualifiers"].append(p)
        if p in ("P580", "P582", "S813"):
            assert TIME.match(v), v
        elif p == "S4656":
            assert STRING.match(v) and v[1:].startswith(WIKIS), v
        elif p == "S143":
            assert v in ("Q328", "Q11920"), v
    # one reference per line, as Wikidata cites a Wikipedia import; never a code repository's URL
    assert out["sources"] == ["S143", "S4656", "S813"], line
    assert "S854" not in line and "github" not in line
    return out


SOURCES = REPO / "data" / "sources"
TWIN = frozenset({str(RELTYPE.twinning)})
HEKMAN = frozenset({str(ID["source/hekman-twincities"])})
EN_REF = Reference("Q328", "https://en.wikipedia.org/wiki/List_of_twin_towns_and_sister_cities_in_Germany",
                   date(2026, 2, 8))


def test_quickstatements_lines_follow_the_format(comparison, store):
    cmp, _ = comparison
    qs = quickstatements_for(cmp, wiki_references(store, cmp.relations, SOURCES))
    lines = qs.text.splitlines()
    assert qs.text.endswith("\n") and lines
    for line in lines:
        check_qs_line(line)
    # both directions of the missing twinning (Assisi–Messina, typed twinning, read from itwiki's Assisi page;
    # English Wikipedia's lists do not name the pair, so no enwiki reference), dated by the itwiki snapshot
    assert lines == [
        'Q13666\tP190\tQ20103\tS143\tQ11920\tS4656\t"https://it.wikipedia.org/wiki/Assisi"\tS813\t+2025-10-01T00:00:00Z/11',
        'Q20103\tP190\tQ13666\tS143\tQ11920\tS4656\t"https://it.wikipedia.org/wiki/Assisi"\tS813\t+2025-10-01T00:00:00Z/11',
    ]
    assert qs.statements == 2
    # Stenungsund–Huittinen is only a "partnership" (the English list does not say twinning): left out, counted
    assert not any(ln.startswith("Q165285\tP190\tQ1001939\t") for ln in lines)
    assert qs.left_out == {
        "partnership: the source does not say it is a twinning or sister city (not P190)": 1,
        "memorandum or cooperation agreement: not a twinning (not compared)": 1,
    }
    assert "left out 1 relation(s): partnership: the source does not say" in qs.summary()
    assert date.today().isoformat() not in qs.text


def test_wiki_references_name_the_list_page_and_the_snapshot_date(store):
    rel = OurRelation(str(ID["relation/weimar-trier"]), ("Q3955", "Q3138"), (str(ID["place/Q3955"]),
                      str(ID["place/Q3138"])), TWIN, None, None, (), HEKMAN)  # fmt: skip
    refs = wiki_references(store, [rel], SOURCES)
    assert refs == {rel.relation: [EN_REF]}  # Weimar is listed on the page of Germany (twin_cities_raw.csv)


@pytest.mark.parametrize(
    ("ours", "expected"),
    [
        ("1995", "+1995-01-01T00:00:00Z/9"),
        ("1995-03", "+1995-03-01T00:00:00Z/10"),
        ("1995-03-18", "+1995-03-18T00:00:00Z/11"),
    ],
)
def test_start_date_qualifier_has_the_right_precision(ours, expected):
    rel = OurRelation("r", ("Q1", "Q2"), ("a", "b"), TWIN, ours, None, (), HEKMAN)
    cmp = Comparison([Discrepancy("missing-in-wikidata", "Q1", "Q2", "r")], [rel], 0, 0, 0, "", "")
    lines = quickstatements_for(cmp, {"r": [EN_REF]}).text.splitlines()
    ref = f'S143\tQ328\tS4656\t"{EN_REF.url}"\tS813\t+2026-02-08T00:00:00Z/11'
    assert lines == [f"Q1\tP190\tQ2\tP580\t{expected}\t{ref}", f"Q2\tP190\tQ1\tP580\t{expected}\t{ref}"]
    for line in lines:
        assert check_qs_line(line)["qualifiers"] == ["P580"]
    assert qs_time(ours) == expected


def test_urls_cannot_break_the_line_or_the_field():
    nasty = 'https://example.org/a|b\tc d"e\nf'
    quoted = qs_url(nasty)
    assert quoted == '"https://example.org/a%7Cb%09c%20d%22e%0Af"'
    line = statement_lines("Q1", "Q2", None, [Reference("Q328", nasty, date(2026, 1, 1))])
    assert len(line) == 1 and len(line[0].split("\t")) == 9
    with pytest.raises(Exception, match="not an http"):
        qs_url("javascript:alert(1)")
    with pytest.raises(Exception, match="not QIDs"):
        statement_lines("Q1\tP31", "Q2", None, [])
    with pytest.raises(Exception, match="not a QID for S143"):
        statement_lines("Q1", "Q2", None, [Reference("Q1\tP31", "https://x.org", date(2026, 1, 1))])


@pytest.mark.parametrize(
    ("types", "references", "reason"),
    [
        ({"memorandum-of-understanding"}, [EN_REF], "memorandum-of-understanding: not a twinning or sister city"),
        ({"pact-of-friendship"}, [EN_REF], "pact-of-friendship: not a twinning or sister city"),
        ({"twinning", "cooperation-agreement"}, [EN_REF], "typed both as a twinning and as another kind"),
        ({"sister-city"}, [], "no Wikipedia page to cite (S143/S4656)"),
    ],
)
def test_what_is_left_out_and_why(types, references, reason):
    t = frozenset(str(RELTYPE[k]) for k in types)
    rel = OurRelation("r", ("Q1", "Q2"), ("a", "b"), t, None, None, (), HEKMAN)
    cmp = Comparison([Discrepancy("missing-in-wikidata", "Q1", "Q2", "r")], [rel], 0, 0, 0, "", "")
    qs = quickstatements_for(cmp, {"r": references})
    assert qs.text == "" and qs.statements == 0
    assert list(qs.left_out.values()) == [1] and next(iter(qs.left_out)).startswith(reason), qs.left_out


def test_a_sister_city_is_exported():
    t = frozenset({str(RELTYPE["sister-city"])})
    rel = OurRelation("r", ("Q1", "Q2"), ("a", "b"), t, None, None, (), HEKMAN)
    cmp = Comparison([Discrepancy("missing-in-wikidata", "Q1", "Q2", "r")], [rel], 0, 0, 0, "", "")
    assert quickstatements_for(cmp, {"r": [EN_REF]}).statements == 2


# ---------------------------------------------------------------------------------- CLI


def test_cli_online_commands(wdqs, tmp_path):
    common = ["--graph", str(SEED), "--graph", str(FIXTURE), "--out", str(tmp_path), "--endpoint", wdqs.endpoint,
              "--cache-dir", str(tmp_path / "cache"), "--user-agent", UA]
    proc = run_cli("wikidata", "compare", *common, check=True)
    assert re.search(r"missing-in-wikidata\s+1", proc.stdout)
    proc = run_cli("wikidata", "quickstatements", *common, check=True)
    assert (tmp_path / "wikidata" / "p190.qs").read_text("utf-8").count("\n") == 2
    assert "2 P190 statement(s) in 2 command(s)" in proc.stdout and "left out 1 relation(s): partnership" in proc.stdout
    md = (tmp_path / "wikidata" / "p190-comparison.md").read_text("utf-8")
    assert "| Q13666 (Messina) | Q20103 (Assisi) |" in md  # labels next to the QIDs
    proc = run_cli("wikidata", "enrich", *common, check=True)
    g = Graph().parse(tmp_path / "wikidata" / "enrichment.ttl")
    assert g.value(place("Q3955"), GK.population) == Literal(64131)


def test_cli_refuses_to_go_online_without_a_user_agent(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "GRAPHKIT_USER_AGENT"}
    proc = subprocess.run(
        [sys.executable, "-m", "graphkit.cli", "wikidata", "compare", "--graph", str(SEED), "--endpoint",
         "http://127.0.0.1:9/sparql"],
        cwd=REPO, capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 1 and "User-Agent is required" in proc.stderr and "Traceback" not in proc.stderr


def test_a_relation_known_only_from_wikidata_is_not_sent_back_to_it():
    crawl = str(ID["source/l3viathan-wikidata-p190"])
    rel = OurRelation("r", ("Q1", "Q2"), ("a", "b"), TWIN, None, None, (), frozenset({crawl}))
    cmp = Comparison([Discrepancy("one-direction-only", "Q2", "Q1", "r")], [rel], 0, 0, 0, "", "")
    qs = quickstatements_for(cmp, {})
    assert qs.text == "" and list(qs.left_out) == ["only Wikidata (or its crawl) says so: nothing independent to cite"]
    both = OurRelation("r", ("Q1", "Q2"), ("a", "b"), TWIN, None, None, (), frozenset({crawl}) | HEKMAN)
    cmp = Comparison([Discrepancy("one-direction-only", "Q2", "Q1", "r")], [both], 0, 0, 0, "", "")
    assert quickstatements_for(cmp, {"r": [EN_REF]}).text.splitlines() == [
        f'Q2\tP190\tQ1\tS143\tQ328\tS4656\t"{EN_REF.url}"\tS813\t+2026-02-08T00:00:00Z/11'
    ]
