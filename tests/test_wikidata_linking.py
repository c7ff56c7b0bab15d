"""Offline linking of the graph: review file, accepted links with score and provenance, the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib import namespace as rdfns
from rdflib.namespace import PROV, RDF

from graphkit.build.pipeline import assemble
from graphkit.errors import InputError
from graphkit.rdf.namespaces import GK, ID, WD
from graphkit.validate.validator import load_ontology, validate_graph
from graphkit.wikidata.linking import (
    apply_review,
    link_graph,
    read_review,
    render_review_csv,
    review_rows,
    write_linking_outputs,
)

from .conftest import REPO, run_cli
from .wikidata_fixture import gazetteer_index

FIXTURE = REPO / "tests" / "fixtures" / "wikidata-ours.ttl"
SEED = REPO / "data" / "seed" / "assisi-koya.ttl"


@pytest.fixture(scope="module")
def store():
    s, _ = assemble(REPO / "data", REPO / "out", steps=())
    s.load_file(FIXTURE)
    return s


@pytest.fixture(scope="module")
def run(store):
    return link_graph(store, gazetteer_index())


def _status(run, suffix):
    return next(r for r in run.results if r.place.iri.endswith("/place/" + suffix))


def test_counts_and_share(run):
    assert run.counts() == {
        "municipalities": 19,
        "already linked": 11,
        "matched now": 4,
        "to review": 3,
        "no candidate": 1,
    }
    assert run.share_before() == pytest.approx(11 / 19)
    assert run.share_after() == pytest.approx(15 / 19)


@pytest.mark.parametrize(
    ("place", "status", "qid"),
    [
        ("de/frankfurt-am-main", "matched", "Q1794"),
        ("de/frankfurt", "review", "Q1794"),  # Frankfurt (Oder) is also in Germany: not automatic
        ("es/cordoba", "review", None),
        ("ar/cordoba", "review", None),
        ("it/siena", "matched", "Q2751"),  # not the province of Siena; Weimar is a shared partner
        ("jp/kamakura", "matched", "Q200267"),
        ("xx/formula", "no candidate", None),
    ],
)
def test_decisions(run, place, status, qid):
    r = _status(run, place)
    assert r.status == status
    if qid:
        assert r.candidates[0].qid == qid
    if status == "review":
        assert not any(c.match for c in r.candidates)


def test_two_places_matching_one_qid_go_to_review(store):
    index = gazetteer_index()
    s, _ = assemble(REPO / "data", REPO / "out", steps=())
    s.load_data(
        FIXTURE.read_text("utf-8")
        + '\n<https://w3id.org/graphkit/id/place/de/frankfurt-2> a <https://w3id.org/graphkit/ontology#Municipality> ;'
        ' <http://www.w3.org/2000/01/rdf-schema#label> "Frankfurt am Main"@de ;'
        ' <http://www.w3.org/2003/01/geo/wgs84_pos#lat> 50.12 ;'
        ' <http://www.w3.org/2003/01/geo/wgs84_pos#long> 8.67 .\n',
        "ttl",
    )
    run2 = link_graph(s, index)
    a, b = _status(run2, "de/frankfurt-am-main"), _status(run2, "de/frankfurt-2")
    assert a.status == b.status == "review" and "Q1794 also matched by" in a.note


def test_review_csv_is_editable_and_round_trips(run, tmp_path):
    rows = review_rows(run)
    text = render_review_csv(rows)
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == len(rows) and parsed[0].keys() >= {"place", "qid", "score", "evidence", "decision"}
    auto = [r for r in parsed if r["auto_match"] == "yes"]
    assert {r["qid"] for r in auto} == {"Q1794", "Q2751", "Q200267", "Q2828134"}
    assert all(r["decision"] == "accept" for r in auto)
    assert all(r["decision"] == "" for r in parsed if r["auto_match"] == "no")
    # a person accepts the Spanish Córdoba's first candidate? No: picks Q5818 by hand, rejects Abashiri
    for r in parsed:
        if r["place"].endswith("/es/cordoba") and r["qid"] == "Q5818":
            r["decision"] = "accept"
        if r["place"].endswith("/jp/abashiri"):
            r["decision"] = "reject"
    edited = tmp_path / "review.csv"
    with edited.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(parsed[0]))
        w.writeheader()
        w.writerows(parsed)
    links = read_review(edited)
    by_place = {link.place.rsplit("/place/", 1)[1]: link for link in links}
    assert set(by_place) == {"de/frankfurt-am-main", "it/siena", "jp/kamakura", "es/cordoba"}
    assert by_place["es/cordoba"].method == "reviewed" and by_place["it/siena"].method == "automatic"
    assert by_place["it/siena"].sources == ("l3viathan-wikidata-p190",)


def test_applied_links_carry_score_and_provenance_and_validate(run, store, tmp_path):
    written = write_linking_outputs(run, tmp_path)
    assert [p.name for p in written] == ["review.csv", "links.ttl", "report.md", "report.json"]
    out = tmp_path / "wikidata-links.ttl"
    links = apply_review(tmp_path / "review.csv", out, store=store)
    g = Graph().parse(out)
    siena = ID["place/it/siena"]
    assert (siena, GK.wikidata, WD.Q2751) in g
    st = next(g.subjects(RDF.subject, siena))
    assert (st, RDF.type, RDF.Statement) in g and (st, RDF.object, WD.Q2751) in g
    assert g.value(st, GK.matchScore) == Literal("58.0", datatype=rdfns.XSD.decimal)
    assert str(g.value(st, GK.matchMethod)) == "automatic"
    assert (st, PROV.wasDerivedFrom, ID["source/l3viathan-wikidata-p190"]) in g
    assert g.value(st, PROV.generatedAtTime).datatype == rdfns.XSD.dateTime
    assert len(links) == 4
    # the graph plus the links still conforms to the shapes
    store.load_file(out, graph=ID["graph-test/links"])
    try:
        report = validate_graph(store.to_rdflib(), ontology=load_ontology())
        assert report.conforms, report.summary()
    finally:
        store.oxigraph.remove_graph(__import__("pyoxigraph").NamedNode(str(ID["graph-test/links"])))
    report_md = (tmp_path / "report.md").read_text("utf-8")
    assert "57.9% before, 78.9% with the automatic matches" in report_md


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"place": "https://w3id.org/graphkit/id/place/x", "qid": "Q0", "decision": "accept"}, "not a Wikidata QID"),
        ({"place": "http://evil.example/x", "qid": "Q1", "decision": "accept"}, "not a graphkit place IRI"),
        ({"place": "https://w3id.org/graphkit/id/place/x> <y", "qid": "Q1", "decision": "yes"}, "not a graphkit"),
        ({"place": "https://w3id.org/graphkit/id/place/x", "qid": "Q1", "decision": "maybe"}, "decision must be"),
    ],
)
def test_bad_review_rows_are_refused_with_the_line(tmp_path, row, message):
    path = tmp_path / "r.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["place", "qid", "score", "decision"])
        w.writeheader()
        w.writerow({"score": "50", **row})
    with pytest.raises(InputError, match=message) as e:
        read_review(path)
    assert ":2:" in str(e.value)


def test_two_accepted_candidates_for_one_place_are_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "place,qid,score,decision\n"
        "https://w3id.org/graphkit/id/place/es/cordoba,Q5818,52,accept\n"
        "https://w3id.org/graphkit/id/place/es/cordoba,Q44210,50,accept\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="two candidates accepted"):
        read_review(path)


def test_a_formula_label_stays_text_in_the_review_file():
    text = render_review_csv([{"place": "p", "place_label": '=HYPERLINK("x")', "score": "-3"}])
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["place_label"] == "'=HYPERLINK(\"x\")" and row["score"] == "-3"


def test_cli_link_and_apply(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("link", "--graph", str(SEED), "--graph", str(FIXTURE), "--out", str(out), check=True)
    assert "Share with a QID: 57.9% before, 78.9% after." in proc.stdout
    assert (out / "linking" / "review.csv").is_file() and (out / "linking" / "report.json").is_file()
    target = tmp_path / "links.ttl"
    proc = run_cli("link", "apply", str(out / "linking" / "review.csv"), "-o", str(target), "--no-check", check=True)
    assert "4 link(s) written" in proc.stdout
    assert len(set(Graph().parse(target).subject_objects(GK.wikidata))) == 4
    bad = run_cli("link", "apply", str(tmp_path / "missing.csv"), "--no-check")
    assert bad.returncode == 1 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr


def test_two_nodes_with_one_wikidata_item_fail_validation() -> None:
    """Issue 14: a review decision that gives a second node a QID another node has is caught."""
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, RDFS

    from graphkit.rdf.namespaces import GK, place_iri, wikidata_iri
    from graphkit.validate.validator import validate_graph

    g = Graph()
    for iri in (place_iri(qid="Q58719"), place_iri(country="IT", name="mondragone")):
        g.add((iri, RDF.type, GK.Municipality))
        g.add((iri, RDFS.label, Literal("Mondragone", lang="it")))
        g.add((iri, GK.wikidata, wikidata_iri("Q58719")))
    for engine in ("sparql", "pyshacl"):
        report = validate_graph(g, engine=engine)
        found = [v for v in report.violations if "same Wikidata item" in v.message]
        assert not report.conforms and len(found) == 1, (engine, report.summary())
        assert "Q58719" in str(found[0].focus_node)
    g.remove((place_iri(country="IT", name="mondragone"), GK.wikidata, None))
    report = validate_graph(g, engine="sparql")
    assert not [v for v in report.violations if "same Wikidata item" in v.message]


def _small_world(data: Path) -> None:
    """A data folder with a few real rows: the English list's Salta (AR, no QID) with two partners,
    and the Wikidata crawl's Salta (Q36307, no country) with its three (the full gazetteers)."""
    import shutil

    src, dst = REPO / "data" / "sources", data / "sources"
    for folder in ("dr5hn-csc-wikidata", "eurocities-wikidata", "geonames"):
        shutil.copytree(src / folder, dst / folder)
    (dst / "l3viathan-wikidata-p190").mkdir(parents=True)
    shutil.copy(src / "l3viathan-wikidata-p190" / "names.tsv", dst / "l3viathan-wikidata-p190")
    lines = (src / "l3viathan-wikidata-p190" / "relations.tsv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if "Q36307" in line.split("\t")]
    assert len(kept) == 6
    (dst / "l3viathan-wikidata-p190" / "relations.tsv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    (dst / "hekman-twincities").mkdir()
    shutil.copy(src / "hekman-twincities" / "geocode_cache.json", dst / "hekman-twincities")
    for name in ("twin_cities_raw.csv", "twin_cities_geocoded.csv"):
        lines = (src / "hekman-twincities" / name).read_text(encoding="utf-8").splitlines()
        rows = [lines[0]] + [line for line in lines[1:] if line.startswith("Salta,Argentina,")]
        assert len(rows) == 3
        (dst / "hekman-twincities" / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
    (dst / "yuboski-itwiki-gemellaggi").mkdir()
    for name in ("twinings.csv", "twinings_fails.csv"):
        head = (src / "yuboski-itwiki-gemellaggi" / name).read_text(encoding="utf-8").splitlines()[0]
        (dst / "yuboski-itwiki-gemellaggi" / name).write_text(head + "\n", encoding="utf-8")


def test_an_accepted_link_to_a_qid_another_node_has_merges_the_two_nodes(tmp_path) -> None:
    from graphkit.build.pipeline import build_graph
    from graphkit.store.embedded import EmbeddedStore

    data = tmp_path / "data"
    _small_world(data)
    build_graph(data, tmp_path / "out1")
    before = EmbeddedStore()
    before.load_file(tmp_path / "out1" / "graph.nq")
    listed, crawled = ID["place/ar/salta"], ID["place/Q36307"]
    partners = "SELECT ?p WHERE { ?r gk:party ?x , ?p . FILTER(?p != ?x) }"
    was = {
        place: {str(row[0]) for row in before.select(partners, bindings={"x": place}).rows}
        for place in (listed, crawled)
    }
    assert len(was[listed]) == 2 and len(was[crawled]) == 3  # two nodes, five partners
    assert not before.ask("ASK { ?x gk:wikidata ?q }", bindings={"x": listed})

    review = tmp_path / "review.csv"
    with review.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["place", "qid", "score", "decision", "auto_match", "sources", "evidence"])
        w.writerow([str(listed), "Q36307", "88.0", "accept", "", "l3viathan-wikidata-p190", "same name"])
    apply_review(review, data / "linking" / "wikidata-links.ttl", store=before)

    build_graph(data, tmp_path / "out2")  # validates: one node per Wikidata item
    after = EmbeddedStore()
    after.load_file(tmp_path / "out2" / "graph.nq")
    assert {str(r[0]) for r in after.select(partners, bindings={"x": crawled}).rows} == was[listed] | was[crawled]
    assert not after.ask("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", bindings={"x": listed})
    country = after.select("SELECT ?c WHERE { ?x gk:country/gk:countryCode ?c }", bindings={"x": crawled}).rows
    assert [str(r[0]) for r in country] == ["AR"]  # the list's country, on the merged node
    holders = after.select("SELECT DISTINCT ?x WHERE { ?x gk:wikidata ?q }", bindings={"q": WD["Q36307"]}).rows
    assert [str(r[0]) for r in holders] == [str(crawled)]
    assert after.ask("ASK { ?s rdf:subject ?x ; gk:matchMethod 'reviewed' }", bindings={"x": crawled})
    quality = (tmp_path / "out2" / "quality.md").read_text(encoding="utf-8")
    assert "accepted-link-merged" in quality
