"""The ontology is published well, and the code's namespaces match it."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graphkit.paths import ONTOLOGY_DIR
from graphkit.rdf.namespaces import GK, VOCAB


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "graphkit.ttl")


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "vocab.ttl")


def test_header_has_version_and_licence(onto):
    header = URIRef("https://w3id.org/graphkit/ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    assert onto.value(header, OWL.versionInfo) is not None
    assert onto.value(header, URIRef("http://purl.org/dc/terms/license")) is not None


def test_every_term_is_labelled_and_commented(onto):
    ns = str(GK._NS)
    terms = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)}
    assert len(terms) > 50
    for t in terms:
        labels = {lbl.language for lbl in onto.objects(t, RDFS.label)}
        assert {"en", "it"} <= labels, t
        assert onto.value(t, RDFS.comment) is not None, t


def test_namespace_module_matches_ontology(onto):
    ns = str(GK._NS)
    in_ontology = {str(s)[len(ns) :] for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)}
    in_code = {k for k in GK.__annotations__}
    assert in_code == in_ontology


def test_reused_vocabularies(onto):
    text = (ONTOLOGY_DIR / "graphkit.ttl").read_text(encoding="utf-8")
    for ns in [
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/2006/time#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://purl.org/dc/terms/",
        "http://www.w3.org/2003/01/geo/wgs84_pos#",
        "https://schema.org/",
    ]:
        assert ns in text
    assert (GK.partnerOf, SKOS.closeMatch, URIRef("http://www.wikidata.org/prop/direct/P190")) in onto
    assert (GK.startDate, SKOS.closeMatch, URIRef("http://www.wikidata.org/prop/direct/P580")) in onto
    assert (GK.endDate, SKOS.closeMatch, URIRef("http://www.wikidata.org/prop/direct/P582")) in onto


@pytest.mark.parametrize("scheme", ["relation-type", "relation-status", "sector", "office-role", "event-type", "topic"])
def test_concept_schemes_have_it_en_ja_labels(vocab, scheme):
    concepts = list(vocab.subjects(SKOS.inScheme, VOCAB[scheme]))
    assert len(concepts) >= 4
    for c in concepts:
        langs = {lbl.language for lbl in vocab.objects(c, SKOS.prefLabel)}
        assert {"it", "en", "ja"} <= langs, c


def test_required_concepts_exist(vocab):
    def labels(scheme):
        return {
            str(lbl) for c in vocab.subjects(SKOS.inScheme, VOCAB[scheme]) for lbl in vocab.objects(c, SKOS.prefLabel)
        }

    assert {
        "twinning",
        "sister city",
        "friendship city",
        "memorandum of understanding",
        "protocollo d'intesa",
        "cooperation agreement",
        "pact of friendship",
    } <= labels("relation-type")
    assert {"proposed", "active", "suspended", "terminated"} <= labels("relation-status")
    assert {"culture", "tourism", "youth", "education", "economy"} <= labels("sector")
    assert {"mayor", "assessore"} <= labels("office-role")
