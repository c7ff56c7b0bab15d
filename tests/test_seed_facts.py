"""Every fact of the seed table (../shared/seed/README.md), checked through SPARQL, with its source."""

from __future__ import annotations

import pytest

from graphkit.sparql.results import SelectResult
from graphkit.text.sentences import split_sentences

GK = "https://w3id.org/graphkit/id/"

# (description, ASK pattern) — one per row of the seed table
SEED_FACTS = [
    (
        "Assisi, a comune in Umbria (Italy), took part in the meeting on Italian–Japanese local government relations",
        """?assisi gk:wikidata wd:Q20103 ; a gk:Municipality ; gk:country/gk:countryCode "IT" ;
               gk:locatedIn+ ?umbria . ?umbria gk:wikidata wd:Q1280 .
        ?p a gk:Participation ; gk:participant ?assisi ; gk:inEvent ?m .
        ?m a gk:Meeting ; gk:topic topic:local-government-relations .""",
    ),
    (
        "the meeting was hosted by the Istituto Giapponese di Cultura in Rome",
        """?m a gk:Meeting ; gk:venue ?inst . ?inst a gk:CulturalInstitute ;
        rdfs:label "Istituto Giapponese di Cultura di Roma"@it ; gk:locatedIn ?rome . ?rome gk:wikidata wd:Q220 .""",
    ),
    (
        "it was promoted by the Embassy of Japan in Italy",
        """?m a gk:Meeting ; gk:promotedBy ?e . ?e a gk:Embassy ; rdfs:label "Ambasciata del Giappone in Italia"@it ;
        gk:representsCountry/gk:countryCode "JP" ; gk:accreditedTo/gk:countryCode "IT" .""",
    ),
    (
        "Assisi was represented by the mayor Valter Stoppini",
        """?p gk:participant ?v ; gk:onBehalfOf ?assisi ; gk:inPost ?post ; gk:inEvent ?m .
        ?v foaf:name "Valter Stoppini" ; org:holds ?post . ?post org:role role:mayor ; org:postIn ?assisi .
        ?assisi gk:wikidata wd:Q20103 .""",
    ),
    (
        "and by the councillor for tourism Fabrizio Leggio",
        """?p gk:participant ?f ; gk:onBehalfOf ?assisi ; gk:inPost ?post ; gk:inEvent ?m .
        ?f foaf:name "Fabrizio Leggio" ; org:holds ?post .
        ?post org:role role:councillor ; gk:portfolio sector:tourism ; org:postIn ?assisi .
        ?assisi gk:wikidata wd:Q20103 .""",
    ),
    (
        "other unnamed administrators, officials and bodies took part",
        """?p gk:participant ?g ; gk:inEvent ?m . ?g a gk:ParticipantGroup .""",
    ),
    (
        "Assisi has a relation with Kōya (Wakayama, Japan), a UNESCO World Heritage site",
        """?r a gk:MunicipalRelation ; gk:party ?a , ?k . ?a gk:wikidata wd:Q20103 .
        ?k gk:wikidata wd:Q1346907 ; gk:heritageDesignation heritage:unesco-world-heritage ;
           gk:locatedIn ?wak ; gk:country/gk:countryCode "JP" ; rdfs:label "高野町"@ja .
        ?wak gk:wikidata wd:Q131314 .""",
    ),
    (
        "the relation is formalised by a memorandum of understanding signed in 2009",
        """?r a gk:MunicipalRelation ; gk:relationType reltype:memorandum-of-understanding ; gk:formalisedBy ?ag .
        ?ag gk:agreementType reltype:memorandum-of-understanding ; gk:signingDate "2009"^^xsd:gYear .
        reltype:memorandum-of-understanding skos:prefLabel "protocollo d'intesa"@it .""",
    ),
    (
        "topics: twinning procedures, delegation exchanges, youth programmes, 2026 Italy–Japan initiatives",
        """?m a gk:Meeting ; gk:topic topic:twinning-procedures , topic:delegation-exchange ,
        topic:youth-programmes , topic:bilateral-initiatives .""",
    ),
    (
        "sectors of new cooperation: culture and tourism",
        """?m a gk:Meeting ; gk:sector sector:culture , sector:tourism .""",
    ),
]


@pytest.mark.parametrize(("fact", "pattern"), SEED_FACTS, ids=[f[0][:50] for f in SEED_FACTS])
def test_seed_fact_is_in_the_graph(seed_store, fact, pattern):
    assert seed_store.query(f"ASK {{ {pattern} }}").value, fact


def test_a_wrong_fact_is_not_in_the_graph(seed_store):
    # guards against ASK patterns that would match anything
    assert not seed_store.query('ASK { ?ag gk:signingDate "2010"^^xsd:gYear }').value
    assert not seed_store.query("ASK { ?p org:role role:mayor ; org:postIn ?x . ?x gk:wikidata wd:Q1346907 }").value


def test_administrative_hierarchy_and_qids(seed_store):
    rows = seed_store.query("""
        SELECT ?qid ?chain WHERE {
          VALUES ?qid { wd:Q20103 wd:Q1346907 }
          ?m gk:wikidata ?qid .
          { SELECT ?m (GROUP_CONCAT(STRAFTER(STR(?wq), "entity/"); separator=">") AS ?chain) WHERE {
              ?m gk:locatedIn+ ?up . ?up gk:wikidata ?wq } GROUP BY ?m }
        }""").records()
    chains = {r["qid"].rsplit("/", 1)[1]: set(r["chain"].split(">")) for r in rows}
    assert chains == {"Q20103": {"Q16240", "Q1280", "Q38"}, "Q1346907": {"Q131314", "Q17"}}


# Each fact of the table, as a triple, and the words of the article that must back it.
TRACED = [
    (
        "event/rome-italy-japan-local-government-meeting",
        "gk:promotedBy",
        "org/embassy-of-japan-in-italy",
        2,
        "Ambasciata del Giappone",
    ),
    (
        "event/rome-italy-japan-local-government-meeting",
        "gk:venue",
        "org/japanese-cultural-institute-rome",
        2,
        "Istituto Giapponese di Cultura",
    ),
    ("participation/stoppini-at-rome-meeting", "gk:participant", "person/valter-stoppini", 3, "Valter Stoppini"),
    ("participation/leggio-at-rome-meeting", "gk:participant", "person/fabrizio-leggio", 3, "Fabrizio Leggio"),
    ("relation/assisi-koya", "gk:relationType", None, 8, "protocollo d’intesa"),
    ("agreement/assisi-koya-mou-2009", "gk:signingDate", None, 8, "2009"),
    ("place/Q1346907", "gk:heritageDesignation", None, 7, "UNESCO"),
    ("event/rome-italy-japan-local-government-meeting", "gk:sector", None, 11, "culturale e turistico"),
]


@pytest.mark.parametrize(("subject", "prop", "obj", "sentence", "words"), TRACED)
def test_fact_traced_to_sentence_and_offsets(seed_store, article_text, subject, prop, obj, sentence, words):
    r = seed_store.query(
        """SELECT ?n ?start ?end ?quote ?title ?lang WHERE {
             ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?ev .
             ?ev gk:sentenceNumber ?n ; oa:start ?start ; oa:end ?end ; oa:exact ?quote ; oa:hasSource ?src .
             ?src dct:title ?title ; dct:language ?lang ; a prov:Entity , gk:SourceDocument .
             FILTER(!BOUND(?obj) || ?o = ?obj)
           }""",
        bindings={"s": _iri(subject), "p": _curie(prop), **({"obj": _iri(obj)} if obj else {})},
    )
    assert isinstance(r, SelectResult) and len(r) >= 1
    rec = r.records()[0]
    assert rec["n"] == sentence
    assert rec["lang"] == "it"
    assert rec["title"] == article_text.splitlines()[0]
    assert article_text[rec["start"] : rec["end"]] == rec["quote"]
    assert words in rec["quote"]
    s = split_sentences(article_text)[sentence - 1]
    assert s.start <= rec["start"] < rec["end"] <= s.end


def test_every_evidence_quote_matches_the_article(seed_store, article_text):
    rows = seed_store.query(
        "SELECT ?n ?start ?end ?quote WHERE { ?e a gk:TextEvidence ; gk:sentenceNumber ?n ; "
        "oa:start ?start ; oa:end ?end ; oa:exact ?quote }"
    ).records()
    assert len(rows) >= 15
    sentences = split_sentences(article_text)
    for r in rows:
        assert article_text[r["start"] : r["end"]] == r["quote"]
        s = sentences[r["n"] - 1]
        assert s.start <= r["start"] and r["end"] <= s.end
        assert len(r["quote"]) <= 120  # a short quote, never the article


def test_every_seed_node_has_a_source(seed_store):
    missing = seed_store.query("""
        SELECT ?x WHERE { GRAPH <https://w3id.org/graphkit/graph/seed/assisi-koya.ttl> { ?x a ?c }
          FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?src }
          FILTER NOT EXISTS { ?x a gk:SourceDocument } }""").records()
    assert missing == []


def test_every_seed_fact_statement_points_to_an_existing_triple(seed_store):
    dangling = seed_store.query("""
        SELECT ?s ?p ?o WHERE { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
          FILTER NOT EXISTS { GRAPH <https://w3id.org/graphkit/graph/seed/assisi-koya.ttl> { ?s ?p ?o } } }
    """).records()
    assert dangling == []


def test_article_text_is_not_copied_into_the_project(article_text):
    from tests.conftest import REPO

    long_sentence = split_sentences(article_text)[1]
    needle = article_text[long_sentence.start : long_sentence.start + 80]
    for path in list((REPO / "data").rglob("*")) + list((REPO / "ontology").rglob("*")):
        if path.is_file() and path.stat().st_size < 50_000_000:
            assert needle not in path.read_text(encoding="utf-8", errors="ignore"), path


def _iri(local: str):
    from rdflib import URIRef

    return URIRef(GK + local)


def _curie(c: str):
    from graphkit.rdf.namespaces import expand

    return expand(c)
