"""One display label per node (gk:displayLabel): English, else the country's language, else any."""

from __future__ import annotations

from rdflib import URIRef

from graphkit.rdf.namespaces import place_iri
from graphkit.store.display_labels import choose_display_label

PARTNERS = """
SELECT ?partner (GROUP_CONCAT(DISTINCT LANG(?l); separator=",") AS ?langs) (SAMPLE(?d) AS ?display) WHERE {
  ?rel a gk:MunicipalRelation ; gk:party ?assisi , ?partner .
  FILTER(?partner != ?assisi)
  ?partner rdfs:label ?l .
  OPTIONAL { ?partner gk:displayLabel ?d }
} GROUP BY ?partner"""


def test_every_partner_of_assisi_in_the_world_has_one_display_label(world) -> None:  # type: ignore[no-untyped-def]
    store = world[0]
    rows = store.select(PARTNERS, bindings={"assisi": URIRef(place_iri(qid="Q20103"))}).strings()
    assert len(rows) >= 16
    assert [r for r in rows if r[2] is None] == []  # a query asking for the display label misses no partner
    italian_only = [r for r in rows if r[1] == "it"]
    assert italian_only, "some partners have only an Italian label in the sources"
    counts = store.select(
        "SELECT ?n (COUNT(?d) AS ?k) WHERE { ?n gk:displayLabel ?d } GROUP BY ?n HAVING (COUNT(?d) > 1)"
    )
    assert counts.rows == ()  # exactly one per node


def test_the_choice_prefers_english_then_the_countrys_language_then_untagged() -> None:
    assert choose_display_label([("Kyōto", "ja"), ("Kyoto", "en"), ("Kioto", "it")], "JP") == "Kyoto"
    assert choose_display_label([("京都市", "ja"), ("Kioto", "it")], "JP") == "京都市"
    assert choose_display_label([("Kioto", "it"), ("Kyoto", "")], "") == "Kyoto"
    assert choose_display_label([("Kioto", "it"), ("Kyoto", "pl")], "") == "Kioto"
