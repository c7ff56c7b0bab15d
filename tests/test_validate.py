"""SHACL shapes on valid and broken data."""

from __future__ import annotations

import pytest
from rdflib import Graph

from graphkit.validate.validator import load_ontology, validate_graph

from .conftest import REPO

PREFIXES = """
@base <https://w3id.org/graphkit/id/> .
@prefix gk: <https://w3id.org/graphkit/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix reltype: <https://w3id.org/graphkit/vocab/relation-type/> .
@prefix relstatus: <https://w3id.org/graphkit/vocab/relation-status/> .
@prefix sector: <https://w3id.org/graphkit/vocab/sector/> .
<place/a> a gk:Municipality ; rdfs:label "A" .
<place/b> a gk:Municipality ; rdfs:label "B" .
<source/s> a gk:SourceDocument ; <http://purl.org/dc/terms/title> "S" .
"""

GOOD_RELATION = """<relation/r> a gk:MunicipalRelation ; gk:party <place/a> , <place/b> ;
    gk:relationType reltype:twinning ; gk:startDate "2009"^^xsd:gYear ; prov:wasDerivedFrom <source/s> ."""


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(params=["sparql", "pyshacl"])
def engine(request) -> str:
    """Every test below runs on both validation engines."""
    return request.param


def _validate(ttl: str, ontology: Graph, engine: str):
    return validate_graph(Graph().parse(data=PREFIXES + ttl, format="turtle"), ontology=ontology, engine=engine)


def test_seed_data_conforms(ontology, engine):
    g = Graph()
    for f in (REPO / "data" / "seed").glob("*.ttl"):
        g.parse(f)
    report = validate_graph(g, ontology=ontology, engine=engine)
    assert report.conforms, report.summary()


def test_good_relation_conforms(ontology, engine):
    report = _validate(GOOD_RELATION, ontology, engine)
    assert report.conforms, report.summary()


#: (broken Turtle, path of the expected violation, words of its message, id) — also used by test_validate_engines.
BROKEN_RELATIONS = [
    (GOOD_RELATION.replace("gk:party <place/a> , <place/b>", "gk:party <place/a>"), "gk:party",
     "two distinct parties", "one-party"),
    (GOOD_RELATION.replace("gk:party <place/a> , <place/b>", "gk:party <place/a> , <place/a>"), "gk:party",
     "two distinct parties", "same-party-twice"),
    (GOOD_RELATION.replace(" ; prov:wasDerivedFrom <source/s>", ""), "prov:wasDerivedFrom", "source", "no-source"),
    (GOOD_RELATION.replace('"2009"^^xsd:gYear', '"2009-13-45"^^xsd:date'), "gk:startDate", "year or date",
     "malformed-date"),
    (GOOD_RELATION.replace('"2009"^^xsd:gYear', '"in 2009"'), "gk:startDate", "year or date", "text-date"),
    (GOOD_RELATION.replace("reltype:twinning", "sector:culture"), "gk:relationType", "relation type",
     "type-not-in-scheme"),
    (GOOD_RELATION.replace("gk:relationType reltype:twinning ;", ""), "gk:relationType", "relation type", "no-type"),
    (GOOD_RELATION + " <relation/r> gk:status sector:culture .", "gk:status", "status scheme", "bad-status"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("broken", "path", "words"), [c[:3] for c in BROKEN_RELATIONS], ids=[c[3] for c in BROKEN_RELATIONS]
)
def test_broken_relation_is_reported(ontology, engine, broken, path, words):
    report = _validate(broken, ontology, engine)
    assert not report.conforms
    hits = [v for v in report.violations if v.path_label == path]
    assert hits, report.summary()
    assert words in hits[0].message
    assert "relation/r" in hits[0].focus_node
    assert "relation/r" in report.summary() and words in report.summary()


def test_agreement_date_must_be_year_or_date(ontology, engine):
    ttl = """<agreement/x> a gk:Agreement ; gk:agreementType reltype:memorandum-of-understanding ;
        gk:signingDate "2009/05/17" ; prov:wasDerivedFrom <source/s> ."""
    report = _validate(ttl, ontology, engine)
    assert [v.path_label for v in report.violations] == ["gk:signingDate"]
    ok = _validate(ttl.replace('"2009/05/17"', '"2009-05-17"^^xsd:date'), ontology, engine)
    assert ok.conforms, ok.summary()


def test_participation_needs_agent_and_event(ontology, engine):
    ttl = """<event/e> a gk:Meeting ; rdfs:label "E" ; prov:wasDerivedFrom <source/s> .
        <participation/p> a gk:Participation ; prov:wasDerivedFrom <source/s> ."""
    report = _validate(ttl, ontology, engine)
    assert sorted(v.path_label for v in report.violations) == ["gk:inEvent", "gk:participant"]
    fixed = _validate(
        """<event/e> a gk:Meeting ; rdfs:label "E" ; prov:wasDerivedFrom <source/s> .
        <participation/p> a gk:Participation ; prov:wasDerivedFrom <source/s> ;
            gk:participant <place/a> ; gk:inEvent <event/e> .""",
        ontology,
        engine,
    )
    assert fixed.conforms, fixed.summary()


def test_evidence_quote_must_be_short(ontology, engine):
    long_quote = "x" * 500
    ttl = f"""<evidence/e> a gk:TextEvidence ; <http://www.w3.org/ns/oa#hasSource> <source/s> ;
        gk:sentenceNumber 1 ; <http://www.w3.org/ns/oa#start> 0 ; <http://www.w3.org/ns/oa#end> 500 ;
        <http://www.w3.org/ns/oa#exact> "{long_quote}" ."""
    report = _validate(ttl, ontology, engine)
    errors = [v.path_label for v in report.violations if v.severity == "Violation"]
    assert errors == ["oa:exact"]  # (and a warning: no gk:sentenceSha256)
