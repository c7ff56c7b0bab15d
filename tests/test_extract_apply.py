"""The review round trip: extract → CSV with decisions → apply → a named graph per article under
data/articles/ that validates with SHACL and answers the catalogue queries; and the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from graphkit.build.pipeline import load_ontology_into
from graphkit.cli import main
from graphkit.errors import InputError
from graphkit.extract.apply import apply_review
from graphkit.extract.pipeline import Extractor
from graphkit.extract.places import PlaceIndex, PlaceResolver
from graphkit.extract.review import review_rows, write_review
from graphkit.extract.run import Article, render
from graphkit.rdf.namespaces import GK, ID, RDF
from graphkit.sparql.catalogue import run_named_query
from graphkit.store.open import open_graph
from graphkit.validate.validator import validate_graph

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
SEED_GRAPH = Path(__file__).parent.parent / "data" / "seed" / "assisi-koya.ttl"
ARTICLE = """Assisi e Koya rinnovano l'amicizia

Il sindaco di Assisi Valter Stoppini ha firmato a Roma un protocollo d'intesa con la città giapponese di Koya nel 2009.
Alla riunione, promossa dall'Ambasciata del Giappone in Italia, hanno preso parte il sindaco Valter Stoppini \
e l'assessore al turismo Fabrizio Leggio.
Assisi è gemellata anche con Nowhereville.
"""


@pytest.fixture(scope="module")
def resolver() -> PlaceResolver:
    return PlaceResolver(PlaceIndex.from_store(open_graph([SEED_GRAPH])), None)


def review_csv(tmp: Path, resolver: PlaceResolver, decide: dict[str, str]) -> Path:
    ex = Extractor(resolver).extract(
        ARTICLE, file="assisi-koya.it.txt", url="https://example.org/news/1", published="2024-03-05"
    )
    rows = review_rows(ex.to_dict(), "assisi-koya-it")
    for row in rows:
        row["decision"] = decide.get(row["id"], "")
    path = tmp / "review.csv"
    path.write_text(write_review(rows), encoding="utf-8")
    return path


def test_candidates_of_the_article(resolver: PlaceResolver) -> None:
    ex = Extractor(resolver).extract(ARTICLE, published="2024-03-05")
    summary = {r.id: ([p.name for p in r.parties], r.type, r.status, r.date) for r in ex.relations}
    assert summary == {
        "r1": (["Assisi", "Koya"], "memorandum-of-understanding", "active", "2009"),
        "r2": (["Assisi", "Nowhereville"], "twinning", "active", None),
    }
    assert ex.relations[1].parties[1].iri is None
    assert [(p.participant, p.kind) for p in ex.participations] == [
        ("Valter Stoppini", "person"),
        ("Fabrizio Leggio", "person"),
    ]


def test_round_trip_writes_only_accepted_facts_that_validate_and_answer_queries(
    tmp_path: Path, resolver: PlaceResolver
) -> None:
    review = review_csv(
        tmp_path,
        resolver,
        {"r1": "accept", "o1": "accept", "o2": "reject", "m1": "accept", "p1": "accept", "r2": "reject"},
    )
    report = apply_review(review, data_dir=tmp_path / "data")
    out = tmp_path / "data" / "articles" / "assisi-koya-it.ttl"
    assert report.written == {str(out): 4} and (report.rejected, report.undecided) == (2, 1)
    g = Graph().parse(out)
    assert validate_graph(g).conforms or all(v.severity != "Violation" for v in validate_graph(g).violations)
    source = ID["source/article/assisi-koya-it"]
    assert (source, RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")) in g
    assert str(g.value(source, URIRef("https://schema.org/url"))) == "https://example.org/news/1"
    assert str(g.value(source, URIRef("https://schema.org/datePublished"))) == "2024-03-05"
    # nothing from rejected or undecided rows: no Leggio (o2 rejected, p2 undecided), no Nowhereville
    text = out.read_text(encoding="utf-8")
    assert "Leggio" not in text and "Nowhereville" not in text
    # every fact is a reified statement with a text evidence in the source
    statements = list(g.subjects(RDF.type, RDF.Statement))
    assert statements and all(
        (
            g.value(
                g.value(s, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")),
                URIRef("http://www.w3.org/ns/oa#hasSource"),
            )
        )
        == source
        for s in statements
    )
    store = open_graph([SEED_GRAPH, out])
    load_ontology_into(store)
    mous = run_named_query(store, "mous", {})
    assert ("assisi-koya-it" in str(row[0]) and str(row[4]) == "2009" for row in mous.rows)
    assert any("assisi-koya-it" in str(row[0]) and str(row[4]) == "2009" for row in mous.rows)
    reps = run_named_query(
        store, "representatives", {"municipality": URIRef("https://w3id.org/graphkit/id/place/Q20103")}
    )
    assert any(str(row[1]) == "Valter Stoppini" and "assisi-koya-it" in str(row[2]) for row in reps.rows)
    years = run_named_query(store, "agreements-per-year", {})
    assert [(str(r[0]), str(r[1]), str(r[2])) for r in years.rows].count(("2009", "IT", "JP")) == 1


def test_apply_is_deterministic(tmp_path: Path, resolver: PlaceResolver) -> None:
    review = review_csv(tmp_path, resolver, {"r1": "accept", "o1": "accept"})
    apply_review(review, data_dir=tmp_path / "a")
    apply_review(review, data_dir=tmp_path / "b")
    a = (tmp_path / "a" / "articles" / "assisi-koya-it.ttl").read_bytes()
    assert a == (tmp_path / "b" / "articles" / "assisi-koya-it.ttl").read_bytes()


def test_nothing_without_a_decision(tmp_path: Path, resolver: PlaceResolver) -> None:
    report = apply_review(review_csv(tmp_path, resolver, {}), data_dir=tmp_path / "data")
    assert report.written == {} and not (tmp_path / "data" / "articles").exists()


def test_unresolved_party_needs_an_iri_from_the_reviewer(tmp_path: Path, resolver: PlaceResolver) -> None:
    review = review_csv(tmp_path, resolver, {"r2": "accept"})
    with pytest.raises(InputError, match="party 'Nowhereville' is unresolved"):
        apply_review(review, data_dir=tmp_path / "data")
    rows = list(csv.DictReader(io.StringIO(review.read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["id"] == "r2")
    row["party_iris"] = "gkid:place/Q20103 gkid:place/Q1346907"
    review.write_text(write_review(rows), encoding="utf-8")
    apply_review(review, data_dir=tmp_path / "data")
    g = Graph().parse(tmp_path / "data" / "articles" / "assisi-koya-it.ttl")
    parties = {str(o).rsplit("/", 1)[-1] for o in g.objects(None, GK.party)}
    assert parties == {"Q20103", "Q1346907"}


def test_participation_needs_its_meeting(tmp_path: Path, resolver: PlaceResolver) -> None:
    with pytest.raises(InputError, match="meeting m1, which is not accepted"):
        apply_review(review_csv(tmp_path, resolver, {"p1": "accept"}), data_dir=tmp_path / "data")


@pytest.mark.parametrize("decision", ["maybe", "acceptt"])
def test_bad_decision_is_an_input_error(tmp_path: Path, resolver: PlaceResolver, decision: str) -> None:
    with pytest.raises(InputError, match=f"decision '{decision}' must be accept or reject"):
        apply_review(review_csv(tmp_path, resolver, {"r1": decision}), data_dir=tmp_path / "data")


def test_turtle_output_is_the_applied_modelling(resolver: PlaceResolver) -> None:
    ex = Extractor(resolver).extract(ARTICLE, published="2024-03-05")
    g = Graph().parse(data=render([(Article("a.txt", "a"), ex)], "ttl"), format="turtle")
    assert len(list(g.subjects(RDF.type, GK.MunicipalRelation))) == 1  # the unresolved Nowhereville left out
    assert len(list(g.subjects(RDF.type, GK.TextEvidence))) >= 5


# ---------- the command line, through the real entry point ----------


@pytest.fixture
def no_gazetteer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHKIT_NO_GAZETTEER", "1")


def test_cli_json_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str], no_gazetteer: None) -> None:
    article = tmp_path / "assisi.it.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code = main(["extract", str(article), "--graph", str(SEED_GRAPH), "--published", "2024-03-05", "--title", "T"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"source", "relations", "offices", "meetings", "participations"}
    r = data["relations"][0]
    assert (r["parties"], r["type"], r["year"], r["status"]) == (
        ["Assisi", "Koya"],
        "memorandum-of-understanding",
        2009,
        "active",
    )
    assert r["party_iris"] == [
        "https://w3id.org/graphkit/id/place/Q20103",
        "https://w3id.org/graphkit/id/place/Q1346907",
    ]
    assert set(r["evidence"]) >= {"sentence", "start", "end", "quote"} and r["evidence"]["sentence"] == 2
    o = data["offices"][0]
    assert (o["person"], o["office"], o["role"], o["body"]) == (
        "Valter Stoppini",
        "sindaco",
        "https://w3id.org/graphkit/vocab/office-role/mayor",
        "Assisi",
    )
    assert o["body_iri"] == "https://w3id.org/graphkit/id/place/Q20103"
    assert data["source"]["title"] == "T"


def test_cli_csv_then_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str], no_gazetteer: None) -> None:
    article = tmp_path / "assisi.it.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    review = tmp_path / "review.csv"
    assert main(["extract", str(article), "--graph", str(SEED_GRAPH), "--format", "csv", "-o", str(review)]) == 0
    rows = list(csv.DictReader(io.StringIO(review.read_text(encoding="utf-8"))))
    assert rows[0]["decision"] == "" and {r["kind"] for r in rows} == {"relation", "office", "meeting", "participation"}
    rows[0]["decision"] = "accept"
    review.write_text(write_review(rows), encoding="utf-8")
    assert main(["extract", "apply", str(review), "--data", str(tmp_path / "data")]) == 0
    assert "1 accepted" in capsys.readouterr().out
    assert (tmp_path / "data" / "articles" / "assisi-it.ttl").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "missing.txt", "--graph", str(SEED_GRAPH)], "error: missing.txt: no such file"),
        (["extract", "apply", "missing.csv"], "error: missing.csv: cannot read the review table"),
        (
            ["extract", str(FIXTURES / "protocollo-todi.it.txt"), "--graph", str(SEED_GRAPH), "--published", "soon"],
            "is not a date",
        ),
    ],
)
def test_cli_errors_are_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], no_gazetteer: None
) -> None:
    assert main(args) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
