"""SHACL shapes on valid and broken data."""

from __future__ import annotations

import pytest
from rdflib import Graph

from graphkit.validate import load_ontology, validate_graph

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


def _validate(ttl: str, ontology: Graph):
    return validate_graph(Graph().parse(data=PREFIXES + ttl, format="turtle"), ontology=ontology)


def test_seed_data_conforms(ontology):
    g = Graph()
    for f in (REPO / "data" / "seed").glob("*.ttl"):
        g.parse(f)
    report = validate_graph(g, ontology=ontology)
    assert report.conforms, report.summary()


def test_good_relation_conforms(ontology):
    report = _validate(GOOD_RELATION, ontology)
    assert report.conforms, report.summary()


@pytest.mark.parametrize(
    ("broken", "path", "words"),
    [
        (
            GOOD_RELATION.replace("gk:party <place/a> , <place/b>", "gk:party <place/a>"),
            "gk:party",
            "two distinct parties",
        ),
        (
            GOOD_RELATION.replace("gk:party <place/a> , <place/b>", "gk:party <place/a> , <place/a>"),
            "gk:party",
            "two distinct parties",
        ),
        (GOOD_RELATION.replace(" ; prov:wasDerivedFrom <source/s>", ""), "prov:wasDerivedFrom", "source"),
        (GOOD_RELATION.replace('"2009"^^xsd:gYear', '"2009-13-45"^^xsd:date'), "gk:startDate", "year or date"),
        (GOOD_RELATION.replace('"2009"^^xsd:gYear', '"in 2009"'), "gk:startDate", "year or date"),
        (GOOD_RELATION.replace("reltype:twinning", "sector:culture"), "gk:relationType", "relation type"),
        (GOOD_RELATION.replace("gk:relationType reltype:twinning ;", ""), "gk:relationType", "relation type"),
        (GOOD_RELATION + " <relation/r> gk:status sector:culture .", "gk:status", "status scheme"),
    ],
    ids=[
        "one-party",
        "same-party-twice",
        "no-source",
        "malformed-date",
        "text-date",
        "type-not-in-scheme",
        "no-type",
        "bad-status",
    ],
)
def test_broken_relation_is_reported(ontology, broken, path, words):
    report = _validate(broken, ontology)
    assert not report.conforms
    hits = [v for v in report.violations if v.path_label == path]
    assert hits, report.summary()
    assert words in hits[0].message
    assert "relation/r" in hits[0].focus_node
    assert "relation/r" in report.summary() and words in report.summary()


def test_agreement_date_must_be_year_or_date(ontology):
    ttl = """<agreement/x> a gk:Agreement ; gk:agreementType reltype:memorandum-of-understanding ;
        gk:signingDate "2009/05/17" ; prov:wasDerivedFrom <source/s> ."""
    report = _validate(ttl, ontology)
    assert [v.path_label for v in report.violations] == ["gk:signingDate"]
    ok = _validate(ttl.replace('"2009/05/17"', '"2009-05-17"^^xsd:date'), ontology)
    assert ok.conforms, ok.summary()


def test_participation_needs_agent_and_event(ontology):
    ttl = """<event/e> a gk:Meeting ; rdfs:label "E" ; prov:wasDerivedFrom <source/s> .
        <participation/p> a gk:Participation ; prov:wasDerivedFrom <source/s> ."""
    report = _validate(ttl, ontology)
    assert sorted(v.path_label for v in report.violations) == ["gk:inEvent", "gk:participant"]
    fixed = _validate(
        """<event/e> a gk:Meeting ; rdfs:label "E" ; prov:wasDerivedFrom <source/s> .
        <participation/p> a gk:Participation ; prov:wasDerivedFrom <source/s> ;
            gk:participant <place/a> ; gk:inEvent <event/e> .""",
        ontology,
    )
    assert fixed.conforms, fixed.summary()


def test_evidence_quote_must_be_short(ontology):
    long_quote = "x" * 500
    ttl = f"""<evidence/e> a gk:TextEvidence ; <http://www.w3.org/ns/oa#hasSource> <source/s> ;
        gk:sentenceNumber 1 ; <http://www.w3.org/ns/oa#start> 0 ; <http://www.w3.org/ns/oa#end> 500 ;
        <http://www.w3.org/ns/oa#exact> "{long_quote}" ."""
    report = _validate(ttl, ontology)
    assert [v.path_label for v in report.violations] == ["oa:exact"]
