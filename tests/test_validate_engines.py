"""The SPARQL SHACL engine against pySHACL (the reference): same results on the same graphs.

A result is compared as (focus node, path, constraint component, value, message). Every targeted
case also names the results it must produce, so agreement cannot come from both engines missing
the same violation.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph

from graphkit.rdf.namespaces import graph_iri
from graphkit.store.embedded import EmbeddedStore
from graphkit.synthetic.world import world_ntriples
from graphkit.validate import sparql_engine as shacl_sparql
from graphkit.validate.shapes import UnsupportedShapesError
from graphkit.validate.validator import ValidationReport, Violation, validate_graph, validate_store

from .test_validate import BROKEN_RELATIONS, PREFIXES

SH_PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def key(v: Violation) -> tuple[str, str, str, str | None, str]:
    return (v.focus_node, v.path_label, v.component, v.value, v.message)


def assert_agree(sparql: ValidationReport, reference: ValidationReport) -> None:
    assert sparql.engine == "sparql" and reference.engine == "pyshacl"
    mine, theirs = Counter(map(key, sparql.violations)), Counter(map(key, reference.violations))
    assert mine == theirs, f"only SPARQL: {mine - theirs}\nonly pySHACL: {theirs - mine}"
    assert sparql.conforms == reference.conforms


def both(data: Graph, shapes: Graph | None = None, ontology: Graph | None = None) -> ValidationReport:
    """Validate with both engines, check they agree, return the SPARQL report."""
    onto = ontology if ontology is not None else Graph()
    sparql = validate_graph(data, shapes=shapes, ontology=onto, engine="sparql")
    reference = validate_graph(data, shapes=shapes, ontology=onto, engine="pyshacl")
    assert_agree(sparql, reference)
    return sparql


def both_store(data_ttl: str, shapes: Graph) -> ValidationReport:
    """Load Turtle into the store (as the build does), validate with both engines, return the SPARQL report."""
    store = EmbeddedStore()
    store.load_data(SH_PREFIXES + data_ttl, "ttl", graph=graph_iri("case"))
    sparql = validate_store(store, shapes=shapes, engine="sparql")
    assert_agree(sparql, validate_store(store, shapes=shapes, engine="pyshacl"))
    return sparql


def local(v: Violation) -> str:
    return v.focus_node.split("/")[-1].split(">")[0].split(" ")[0]


# ---------------------------------------------------------------- our shapes, our data
def test_seed_store_agrees(seed_store):
    sparql = validate_store(seed_store, engine="sparql")
    reference = validate_store(seed_store, engine="pyshacl")
    assert_agree(sparql, reference)
    assert sparql.conforms and not sparql.violations


@pytest.mark.parametrize(
    ("broken", "path", "words"), [c[:3] for c in BROKEN_RELATIONS], ids=[c[3] for c in BROKEN_RELATIONS]
)
def test_broken_relations_agree(broken, path, words, ontology_graph):
    report = both(Graph().parse(data=PREFIXES + broken, format="turtle"), ontology=ontology_graph)
    assert any(v.path_label == path and words in v.message for v in report.violations), report.summary()


def test_mid_size_generated_graph_agrees():
    """~3000 relations and 1500 municipalities with 2% defects of every kind, validated from the store."""
    store = EmbeddedStore()
    store.load_data(world_ntriples(places=1500, relations=3000, countries=40, seed=7, broken=0.02), "nt",
                    graph=graph_iri("synthetic"))  # fmt: skip
    from graphkit.validate.validator import ensure_ontology

    ensure_ontology(store)
    sparql = validate_store(store, engine="sparql")
    reference = validate_store(store, engine="pyshacl")
    assert_agree(sparql, reference)
    rules = {v.path_label for v in sparql.violations}
    assert {"gk:party", "gk:relationType", "gk:startDate", "prov:wasDerivedFrom", "wgs84:lat", "gk:wikidata",
            "gk:countryCode"} <= rules  # fmt: skip
    assert len(sparql.violations) > 30


@pytest.fixture(scope="module")
def ontology_graph() -> Graph:
    from graphkit.validate.validator import load_ontology

    return load_ontology()


def test_a_triple_in_two_named_graphs_counts_once():
    """The default graph is the union of the named graphs: the same statement twice is one value."""
    shapes = Graph().parse(
        data=SH_PREFIXES
        + """ex:S sh:targetClass ex:Rel ; sh:property [ sh:path ex:party ; sh:minCount 2 ; sh:message "two" ] ;
               sh:property [ sh:path ex:type ; sh:maxCount 1 ; sh:message "one" ] .""",
        format="turtle",
    )
    store = EmbeddedStore()
    store.load_data(SH_PREFIXES + "ex:r1 a ex:Rel ; ex:party ex:a ; ex:type ex:t . ex:r2 a ex:Rel ; ex:party ex:a .",
                    "ttl", graph=graph_iri("one"))  # fmt: skip
    store.load_data(SH_PREFIXES + "ex:r1 a ex:Rel ; ex:party ex:a ; ex:type ex:t . ex:r2 a ex:Rel ; ex:party ex:b .",
                    "ttl", graph=graph_iri("two"))  # fmt: skip
    sparql = validate_store(store, shapes=shapes, engine="sparql")
    assert_agree(sparql, validate_store(store, shapes=shapes, engine="pyshacl"))
    assert [(local(v), v.message) for v in sparql.violations] == [("r1", "two")]


# ---------------------------------------------------------------- one case per constraint type
# (name, shapes, data, expected {(focus local name, component)})
CASES = [
    (
        "cardinality",
        """ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
            sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:message "two p" ] ;
            sh:property [ sh:path ex:q ; sh:maxCount 1 ; sh:message "one q" ] ;
            sh:property [ sh:path ex:r ; sh:minCount 1 ; sh:message "an r" ] .""",
        """ex:SubThing rdfs:subClassOf ex:Thing .
           ex:ok a ex:Thing ; ex:p ex:a , ex:b ; ex:q ex:x ; ex:r 1 .
           ex:bad a ex:SubThing ; ex:p ex:a ; ex:q ex:x , ex:y .
           [ a ex:Thing ; ex:p ex:a , ex:b ; ex:q ex:x , ex:y ; ex:r 2 ] .""",
        {("bad", "MinCount"), ("bad", "MaxCount"), ("[blank", "MaxCount")},
    ),
    (
        "implicit-class-target",
        """ex:Town a rdfs:Class , sh:NodeShape ;
               sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "name" ] .""",
        """ex:Village rdfs:subClassOf ex:Town . ex:t1 a ex:Town ; ex:name "T" . ex:t2 a ex:Village .""",
        {("t2", "MinCount")},
    ),
    (
        "class-with-subclasses",
        """ex:S sh:targetClass ex:Holder ;
               sh:property [ sh:path ex:owner ; sh:class ex:Agent ; sh:message "agent" ] .""",
        """ex:Person rdfs:subClassOf ex:Agent . ex:Mayor rdfs:subClassOf ex:Person .
           ex:alice a ex:Mayor .
           ex:ok a ex:Holder ; ex:owner ex:alice .
           ex:lit a ex:Holder ; ex:owner "alice" .
           ex:untyped a ex:Holder ; ex:owner ex:nobody .""",
        {("lit", "Class"), ("untyped", "Class")},
    ),
    (
        "datatype-and-ill-typed",
        """ex:S sh:targetSubjectsOf ex:date ;
               sh:property [ sh:path ex:date ; sh:datatype xsd:date ; sh:message "date" ] .
           ex:T sh:targetSubjectsOf ex:n ; sh:property [ sh:path ex:n ; sh:datatype xsd:integer ; sh:message "int" ] .
           ex:U sh:targetSubjectsOf ex:s ; sh:property [ sh:path ex:s ; sh:datatype xsd:string ; sh:message "str" ] .
           ex:V sh:targetSubjectsOf ex:l ;
               sh:property [ sh:path ex:l ; sh:datatype rdf:langString ; sh:message "lang" ] .""",
        """ex:d1 ex:date "2009-05-17"^^xsd:date . ex:d2 ex:date "2009-13-45"^^xsd:date .
           ex:d3 ex:date "2009-05-17" . ex:d4 ex:date ex:iri . ex:d5 ex:date "2009-02-30"^^xsd:date .
           ex:n1 ex:n 5 . ex:n2 ex:n "abc"^^xsd:integer . ex:n3 ex:n 5.0 .
           ex:s1 ex:s "x" . ex:s2 ex:s "x"@en . ex:l1 ex:l "x"@en . ex:l2 ex:l "x" .""",
        {
            ("d2", "Datatype"),
            ("d3", "Datatype"),
            ("d4", "Datatype"),
            ("d5", "Datatype"),
            ("n2", "Datatype"),
            ("n3", "Datatype"),
            ("s2", "Datatype"),
            ("l2", "Datatype"),
        },
    ),
    (
        "nodeKind",
        """ex:S sh:targetSubjectsOf ex:i ; sh:property [ sh:path ex:i ; sh:nodeKind sh:IRI ; sh:message "iri" ] .
           ex:T sh:targetSubjectsOf ex:l ; sh:property [ sh:path ex:l ; sh:nodeKind sh:Literal ; sh:message "lit" ] .
           ex:U sh:targetSubjectsOf ex:n ;
               sh:property [ sh:path ex:n ; sh:nodeKind sh:BlankNodeOrIRI ; sh:message "node" ] .""",
        """ex:i1 ex:i ex:x . ex:i2 ex:i "x" . ex:i3 ex:i [ ex:p 1 ] .
           ex:l1 ex:l "x" . ex:l2 ex:l ex:x . ex:n1 ex:n [ ex:p 1 ] . ex:n2 ex:n 3 .""",
        {("i2", "NodeKind"), ("i3", "NodeKind"), ("l2", "NodeKind"), ("n2", "NodeKind")},
    ),
    (
        "pattern-flags-lengths",
        """ex:S sh:targetSubjectsOf ex:code ; sh:property [ sh:path ex:code ; sh:pattern "^ab[0-9]+$" ; sh:flags "i" ;
               sh:minLength 3 ; sh:maxLength 5 ; sh:message "code" ] .""",
        """ex:c1 ex:code "AB12" . ex:c2 ex:code "xab12" . ex:c3 ex:code "ab123456" . ex:c4 ex:code "ab" .""",
        {("c2", "Pattern"), ("c3", "MaxLength"), ("c4", "Pattern"), ("c4", "MinLength")},
    ),
    (
        "ranges",
        """ex:S sh:targetSubjectsOf ex:v ; sh:property [ sh:path ex:v ; sh:minInclusive 0 ; sh:maxExclusive 10 ;
               sh:message "0..10" ] .
           ex:T sh:targetSubjectsOf ex:w ; sh:property [ sh:path ex:w ; sh:minExclusive 0 ; sh:maxInclusive 1.5 ;
               sh:message "0..1.5" ] .
           ex:U sh:targetSubjectsOf ex:when ; sh:property [ sh:path ex:when ;
               sh:minInclusive "2000-01-01"^^xsd:date ; sh:message "since 2000" ] .""",
        """ex:v1 ex:v 0 . ex:v2 ex:v 10 . ex:v3 ex:v -1 . ex:v4 ex:v "abc" . ex:v5 ex:v 9.99 .
           ex:w1 ex:w 0 . ex:w2 ex:w 1.5 . ex:w3 ex:w 1.6 .
           ex:t1 ex:when "2001-05-01"^^xsd:date . ex:t2 ex:when "1999-12-31"^^xsd:date .""",
        {
            ("v2", "MaxExclusive"),
            ("v3", "MinInclusive"),
            ("v4", "MinInclusive"),
            ("v4", "MaxExclusive"),
            ("w1", "MinExclusive"),
            ("w3", "MaxInclusive"),
            ("t2", "MinInclusive"),
        },
    ),
    (
        "in-and-hasValue",
        """ex:S sh:targetSubjectsOf ex:colour ; sh:property [ sh:path ex:colour ; sh:in ( ex:red ex:green "blue" ) ;
               sh:message "colour" ] .
           ex:T sh:targetNode ex:h1 , ex:h2 , ex:ghost ; sh:property [ sh:path ex:tag ; sh:hasValue ex:required ;
               sh:message "tag" ] .""",
        """ex:k1 ex:colour ex:red . ex:k2 ex:colour "blue" . ex:k3 ex:colour ex:blue . ex:k4 ex:colour "red" .
           ex:h1 ex:tag ex:required , ex:other . ex:h2 ex:tag ex:other .""",
        {("k3", "In"), ("k4", "In"), ("h2", "HasValue"), ("ghost", "HasValue")},
    ),
    (
        "nested-node-shape",
        """ex:S sh:targetClass ex:Event ; sh:property [ sh:path ex:venue ; sh:node ex:Venue ; sh:message "venue" ] .
           ex:Venue a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string ] ;
               sh:property [ sh:path ex:city ; sh:class ex:City ; sh:maxCount 1 ] .""",
        """ex:rome a ex:City . ex:milan a ex:City .
           ex:good a ex:Event ; ex:venue ex:v1 . ex:v1 ex:name "Hall" ; ex:city ex:rome .
           ex:noname a ex:Event ; ex:venue ex:v2 . ex:v2 ex:city ex:rome .
           ex:badcity a ex:Event ; ex:venue ex:v3 . ex:v3 ex:name "Hall" ; ex:city ex:nowhere .
           ex:twocities a ex:Event ; ex:venue ex:v4 . ex:v4 ex:name "Hall" ; ex:city ex:rome , ex:milan .
           ex:litvenue a ex:Event ; ex:venue "somewhere" .""",
        {("noname", "Node"), ("badcity", "Node"), ("twocities", "Node"), ("litvenue", "Node")},
    ),
    (
        "logic-or-and-not-xone",
        """ex:S sh:targetSubjectsOf ex:when ; sh:property [ sh:path ex:when ;
               sh:or ( [ sh:datatype xsd:gYear ] [ sh:datatype xsd:date ] ) ; sh:message "year or date" ] .
           ex:T sh:targetSubjectsOf ex:who ; sh:property [ sh:path ex:who ;
               sh:and ( [ sh:class ex:Person ] [ sh:nodeKind sh:IRI ] ) ; sh:message "iri person" ] .
           ex:U sh:targetSubjectsOf ex:notx ; sh:property [ sh:path ex:notx ; sh:not [ sh:class ex:Banned ] ;
               sh:message "not banned" ] .
           ex:V sh:targetSubjectsOf ex:one ; sh:property [ sh:path ex:one ;
               sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) ; sh:message "A xor B" ] .""",
        """ex:a1 ex:when "2009"^^xsd:gYear . ex:a2 ex:when "2009-05-17"^^xsd:date . ex:a3 ex:when "May 2009" .
           ex:p1 a ex:Person . ex:b1 ex:who ex:p1 . ex:b2 ex:who ex:x . ex:b3 ex:who [ a ex:Person ] .
           ex:bad a ex:Banned . ex:n1 ex:notx ex:p1 . ex:n2 ex:notx ex:bad .
           ex:ab a ex:A , ex:B . ex:onlya a ex:A . ex:x1 ex:one ex:onlya . ex:x2 ex:one ex:ab . ex:x3 ex:one ex:p1 .""",
        {("a3", "Or"), ("b2", "And"), ("b3", "And"), ("n2", "Not"), ("x2", "Xone"), ("x3", "Xone")},
    ),
    (
        "property-pairs",
        """ex:S sh:targetClass ex:Span ;
               sh:property [ sh:path ex:start ; sh:lessThan ex:end ; sh:message "start < end" ] ;
               sh:property [ sh:path ex:low ; sh:lessThanOrEquals ex:high ; sh:message "low <= high" ] ;
               sh:property [ sh:path ex:label ; sh:equals ex:name ; sh:message "label = name" ] ;
               sh:property [ sh:path ex:label ; sh:disjoint ex:alias ; sh:message "label != alias" ] .""",
        """ex:s1 a ex:Span ; ex:start 1 ; ex:end 2 ; ex:low 3 ; ex:high 3 ;
               ex:label "a" ; ex:name "a" ; ex:alias "b" .
           ex:s2 a ex:Span ; ex:start 2 ; ex:end 2 ; ex:low 4 ; ex:high 3 ;
               ex:label "a" ; ex:name "b" ; ex:alias "a" .""",
        {("s2", "LessThan"), ("s2", "LessThanOrEquals"), ("s2", "Equals"), ("s2", "Disjoint")},
    ),
    (
        "languages",
        """ex:S sh:targetClass ex:City ; sh:property [ sh:path ex:name ; sh:languageIn ( "en" "it" ) ;
               sh:uniqueLang true ; sh:message "names" ] .""",
        """ex:c1 a ex:City ; ex:name "Rome"@en , "Roma"@it .
           ex:c2 a ex:City ; ex:name "Rome"@en , "Rom"@de , "Roma" .
           ex:c3 a ex:City ; ex:name "Rome"@en , "Rome city"@en .""",
        {("c2", "LanguageIn"), ("c3", "UniqueLang")},
    ),
    (
        "paths-inverse-sequence-targets",
        """ex:S sh:targetClass ex:Region ; sh:property [ sh:path [ sh:inversePath ex:locatedIn ] ; sh:minCount 1 ;
               sh:message "has a town" ] .
           ex:T sh:targetObjectsOf ex:twin ; sh:property [ sh:path ( ex:country ex:code ) ; sh:minCount 1 ;
               sh:message "country code" ] .""",
        """ex:r1 a ex:Region . ex:r2 a ex:Region . ex:town ex:locatedIn ex:r1 .
           ex:a ex:twin ex:b , ex:c . ex:b ex:country ex:it . ex:it ex:code "IT" . ex:c ex:country ex:xx .""",
        {("r2", "MinCount"), ("c", "MinCount")},
    ),
    (
        "severity-deactivated-closed",
        """ex:S sh:targetClass ex:Doc ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ; sh:message "closed" ;
               sh:property [ sh:path ex:title ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "title" ] ;
               sh:property [ sh:path ex:page ; sh:maxCount 1 ; sh:deactivated true ; sh:message "off" ] .""",
        """ex:d1 a ex:Doc ; ex:title "T" ; ex:page 1 , 2 . ex:d2 a ex:Doc ; ex:page 1 ; ex:extra "x" .""",
        {("d2", "MinCount"), ("d2", "Closed")},
    ),
]


@pytest.mark.parametrize("strategy", ["from-focus", "from-values"])
@pytest.mark.parametrize(("name", "shapes", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_constraint_cases_agree(name, shapes, data, expected, strategy, monkeypatch):
    """Each case both ways the SPARQL engine plans a shape: from its focus nodes (few of them) or from
    the distinct values of each property (many focus nodes, as in the world graph)."""
    if strategy == "from-values":
        monkeypatch.setattr(shacl_sparql, "FEW_FOCUS_NODES", 0)
    shapes_graph = Graph().parse(data=SH_PREFIXES + shapes, format="turtle")
    report = both_store(data, shapes_graph)
    found = {(local(v), v.component.removeprefix("sh:").removesuffix("ConstraintComponent")) for v in report.violations}
    assert found == expected, report.summary()


def test_severity_warning_keeps_conformance():
    shapes = Graph().parse(
        data=SH_PREFIXES + CASES[-1][1].replace("sh:closed true ; sh:ignoredProperties ( rdf:type ) ;", ""),
        format="turtle",
    )
    data = Graph().parse(data=SH_PREFIXES + "ex:d a ex:Doc ; ex:page 1 , 2 .", format="turtle")
    for engine in ("sparql", "pyshacl"):
        report = validate_graph(data, shapes=shapes, ontology=Graph(), engine=engine)
        assert report.conforms and [v.severity for v in report.violations] == ["Warning"]
        assert "conforms, with warnings" in report.summary()


def test_default_messages_without_sh_message():
    shapes = Graph().parse(
        data=SH_PREFIXES
        + "ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:datatype xsd:date ] .",
        format="turtle",
    )
    data = Graph().parse(data=SH_PREFIXES + 'ex:t a ex:T ; ex:p "x" .', format="turtle")
    sparql = validate_graph(data, shapes=shapes, ontology=Graph(), engine="sparql")
    reference = validate_graph(data, shapes=shapes, ontology=Graph(), engine="pyshacl")
    assert {key(v)[:4] for v in sparql.violations} == {key(v)[:4] for v in reference.violations}
    assert sorted(v.message for v in sparql.violations) == [
        "Needs at least 2 value(s); found 1.",
        "The value must be a well-formed literal of datatype xsd:date.",
    ]


# ---------------------------------------------------------------- what the SPARQL engine refuses or does differently
@pytest.mark.parametrize(
    ("shape", "words"),
    [
        (
            "sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:C ] ; sh:qualifiedMinCount 1 ]",
            "sh:qualifiedValueShape",
        ),
        ("sh:property [ sh:path ex:p ; sh:datatype xsd:int ]", "xsd:int"),
        ('sh:property [ sh:path ex:p ; sh:pattern "(?<=a)b" ]', "(?<=a)b"),
        ('sh:sparql [ sh:select "SELECT $this WHERE {}" ]', "sh:sparql"),
        ("sh:property [ sh:path ex:p ; sh:minCont 1 ]", "sh:minCont"),
        ("sh:minCount 1", "node shape"),
    ],
    ids=["qualified", "folded-datatype", "regex-lookbehind", "sparql-constraint", "typo", "count-on-node-shape"],
)
def test_unsupported_rules_are_listed(shape, words):
    shapes = Graph().parse(data=SH_PREFIXES + f"ex:S sh:targetClass ex:T ; {shape} .", format="turtle")
    data = Graph().parse(data=SH_PREFIXES + "ex:t a ex:T .", format="turtle")
    with pytest.raises(UnsupportedShapesError) as err:
        validate_graph(data, shapes=shapes, ontology=Graph(), engine="sparql")
    assert words in str(err.value) and "pyshacl" in str(err.value)


def test_unsupported_rule_is_reported_even_without_data():
    shapes = Graph().parse(
        data=SH_PREFIXES + "ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:datatype xsd:long ] .",
        format="turtle",
    )
    with pytest.raises(UnsupportedShapesError, match="xsd:long"):
        validate_graph(Graph(), shapes=shapes, ontology=Graph(), engine="sparql")


def test_sparql_engine_checks_year_forms_that_rdflib_accepts():
    """rdflib (so pySHACL) does not check xsd:gYear/xsd:gYearMonth lexical forms; the store does."""
    shapes = Graph().parse(
        data=SH_PREFIXES + "ex:S sh:targetSubjectsOf ex:y ; sh:property [ sh:path ex:y ; sh:datatype xsd:gYear ] .",
        format="turtle",
    )
    data = Graph().parse(data=SH_PREFIXES + 'ex:ok ex:y "2009"^^xsd:gYear . ex:bad ex:y "20x9"^^xsd:gYear .',
                         format="turtle")  # fmt: skip
    sparql = validate_graph(data, shapes=shapes, ontology=Graph(), engine="sparql")
    reference = validate_graph(data, shapes=shapes, ontology=Graph(), engine="pyshacl")
    assert [local(v) for v in sparql.violations] == ["bad"]
    assert reference.conforms


def test_ill_typed_value_is_reported_as_written():
    """Both engines flag "tru"^^xsd:boolean; pySHACL's rdflib copy shows it as "false", the SPARQL engine as written."""
    shapes = Graph().parse(
        data=SH_PREFIXES + "ex:S sh:targetSubjectsOf ex:b ; sh:property [ sh:path ex:b ; sh:datatype xsd:boolean ] .",
        format="turtle",
    )
    store = EmbeddedStore()
    store.load_data(SH_PREFIXES + 'ex:ok ex:b true . ex:bad ex:b "tru"^^xsd:boolean .', "ttl", graph=graph_iri("b"))
    for strategy in (2000, 0):
        shacl_sparql.FEW_FOCUS_NODES, saved = strategy, shacl_sparql.FEW_FOCUS_NODES
        try:
            sparql = validate_store(store, shapes=shapes, engine="sparql")
        finally:
            shacl_sparql.FEW_FOCUS_NODES = saved
        reference = validate_store(store, shapes=shapes, engine="pyshacl")
        assert [key(v)[:3] for v in sparql.violations] == [key(v)[:3] for v in reference.violations]
        assert [(local(v), v.value) for v in sparql.violations] == [
            ("bad", '"tru"^^<http://www.w3.org/2001/XMLSchema#boolean>')
        ]


def test_summary_groups_by_rule_and_caps_the_listing():
    store = EmbeddedStore()
    store.load_data(world_ntriples(places=300, relations=400, countries=10, seed=3, broken=0.5), "nt",
                    graph=graph_iri("synthetic"))  # fmt: skip
    from graphkit.validate.validator import ensure_ontology

    ensure_ontology(store)
    report = validate_store(store)
    groups = report.by_rule()
    biggest_rule, biggest = next(iter(groups.items()))
    assert len(biggest) > 5
    text = report.summary(limit=5)
    assert f"{len(biggest):>5} × {biggest_rule}" in text
    assert f"… and {len(biggest) - 5} more" in text
    assert text.count(biggest[0].message) < len(biggest) + 1
    full = report.full_text()
    assert all(v.brief() in full for v in report.violations)


# ---------------------------------------------------------------- where the report goes
BROKEN_TTL = """@prefix gk: <https://w3id.org/graphkit/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/r> a gk:MunicipalRelation ; gk:party <https://example.org/a> ;
    gk:startDate "2009-13-45"^^xsd:date .
"""


def test_cli_engine_and_limit(tmp_path):
    from .conftest import run_cli

    bad = tmp_path / "bad.ttl"
    bad.write_text(BROKEN_TTL, encoding="utf-8")
    outputs = {}
    for engine in ("sparql", "pyshacl"):
        proc = run_cli("validate", "--graph", str(bad), "--engine", engine, "--limit", "1")
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        outputs[engine] = proc.stdout
    assert outputs["sparql"] == outputs["pyshacl"]
    text = outputs["sparql"]
    assert "2 × [gk:party] A relation needs at least two distinct parties" in text
    assert "… and 1 more" in text
    assert '(value: "2009-13-45"^^<http://www.w3.org/2001/XMLSchema#date>)' in text


def test_failed_build_writes_every_violation(tmp_path):
    import shutil

    from graphkit.build.pipeline import build_graph
    from graphkit.errors import ValidationError

    from .conftest import REPO

    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "seed", data / "seed")
    lines = [f"<https://example.org/r{i}> a gk:MunicipalRelation ." for i in range(30)]
    (data / "broken.ttl").write_text(BROKEN_TTL + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        build_graph(data, tmp_path / "out", steps=())
    report = err.value.report
    assert isinstance(report, ValidationReport) and report.engine == "sparql"
    written = (tmp_path / "out" / "validation.txt").read_text(encoding="utf-8")
    assert written == report.full_text()
    assert all(f"<https://example.org/r{i}>" in written for i in range(30))
    assert "… and" in report.summary() and "… and" not in written
    assert not (tmp_path / "out" / "graph.nq").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["validation.txt"]  # no temp snapshot left
