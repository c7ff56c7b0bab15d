"""Find the entity a user names: an IRI, a CURIE (``gkid:place/Q20103``), a QID, or a name.

Names match any label (case- and accent-insensitive). A name that fits several entities is an
error that lists them with country and IRI, so the user can pass the IRI instead.

>>> from graphkit.store.open import open_graph
>>> from graphkit.relations.read import read_relations
>>> net = read_relations(open_graph(["data/seed/assisi-koya.ttl"]))
>>> resolve_place(net, "koya") == resolve_place(net, "高野町") == resolve_place(net, "Q1346907")
True
>>> resolve_place(net, "Atlantis")
Traceback (most recent call last):
...
graphkit.viz.resolve.NameNotFoundError: no municipality named 'Atlantis' in the graph
"""

from __future__ import annotations

import re
from typing import cast

from rdflib import Literal, URIRef

from graphkit.errors import InputError
from graphkit.rdf.namespaces import ID, PREFIXES, expand, is_qid, place_iri
from graphkit.relations.labels import best_label
from graphkit.relations.read import RelationData
from graphkit.store.embedded import Store
from graphkit.viz.safejson import fold

_Q_BY_LABEL = """
SELECT DISTINCT ?e WHERE {
  ?e rdfs:label|skos:altLabel|foaf:name ?l .
  FILTER(LCASE(STR(?l)) = LCASE(STR(?name)))
}"""
_Q_ALL_LABELS = "SELECT ?e ?l WHERE { ?e rdfs:label|skos:altLabel|foaf:name ?l . }"
_Q_EXISTS = "ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }"
_Q_BY_QID = "SELECT ?e WHERE { ?e gk:wikidata ?wd . }"
_Q_DESCRIBE = """
SELECT ?label ?cc ?t WHERE {
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e gk:country/gk:countryCode ?cc }
  OPTIONAL { ?e a ?t }
}"""
_HIDDEN_LOCAL = ("source/", "evidence/")


class NameNotFoundError(InputError):
    """No entity has that name."""


class AmbiguousNameError(InputError):
    """Several entities have that name; the message lists them."""


def resolve_place(net: RelationData, name: str) -> str:
    """The IRI of the municipality (or relation party) called ``name``."""
    direct = _as_iri(name)
    if direct is not None:
        if direct not in net.places:
            raise NameNotFoundError(f"{_shown(name, quote=False)} is not a municipality in the graph")
        return direct
    key = fold(name)
    if not key:
        raise InputError("give a municipality name (or its IRI)")
    exact = sorted(net.named(key))  # folded names are indexed once (stored in the read model's cache)
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        listing = "; ".join(
            f"{net.places[i].label} ({net.places[i].kind}, {net.country_name(net.places[i].country)}) {i}"
            for i in exact
        )
        raise AmbiguousNameError(f"{_shown(name)} matches {len(exact)} places: {listing}. Pass the IRI to choose one.")
    close = sorted({net.places[i].label for k in net.name_keys() if k.startswith(key) for i in net.named(k)})[:8]
    hint = f"; similar names: {', '.join(close)}" if close else ""
    raise NameNotFoundError(f"no municipality named {_shown(name)} in the graph{hint}")


def resolve_entity(store: Store, name: str) -> str:
    """The IRI of any entity of the graph called ``name`` (a municipality, a meeting, a person, ...)."""
    direct = _as_iri(name)
    if direct is not None:
        if not store.query(_Q_EXISTS, bindings={"e": URIRef(direct)}):
            if is_qid(name.strip()):
                rows = store.select(_Q_BY_QID, bindings={"wd": URIRef(PREFIXES["wd"] + name.strip())}).rows
                if len(rows) == 1:
                    return str(rows[0][0])
            raise NameNotFoundError(f"nothing in the graph is about {_shown(name, quote=False)}")
        return direct
    if not name.strip():
        raise InputError("give the name of an entity (or its IRI)")
    by_label = store.select(_Q_BY_LABEL, bindings={"name": Literal(name.strip())})
    found = {str(r[0]) for r in by_label.rows}
    found = {f for f in found if _is_entity(f)}
    if not found:
        key = fold(name)
        all_labels = store.select(_Q_ALL_LABELS)
        found = {str(e) for e, label in all_labels.rows if _is_entity(str(e)) and fold(cast(str, label)) == key}
    if len(found) == 1:
        return found.pop()
    if not found:
        raise NameNotFoundError(f"nothing in the graph is named {_shown(name)}")
    listing = "; ".join(_describe(store, iri) for iri in sorted(found))
    raise AmbiguousNameError(f"{_shown(name)} matches {len(found)} entities: {listing}. Pass the IRI to choose one.")


def _describe(store: Store, iri: str) -> str:
    rows = store.select(_Q_DESCRIBE, bindings={"e": URIRef(iri)}).rows
    label = best_label([r[0] for r in rows], fallback=iri)
    cc = sorted({str(r[1]) for r in rows if r[1] is not None})
    kinds = sorted({str(r[2]).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for r in rows if r[2] is not None})
    extra = ", ".join([*kinds[:2], *cc])
    return f"{label} ({extra}) {iri}" if extra else f"{label} {iri}"


def _is_entity(iri: str) -> bool:
    return iri.startswith(str(ID)) and not iri[len(str(ID)) :].startswith(_HIDDEN_LOCAL)


def _shown(name: str, *, quote: bool = True, limit: int = 80) -> str:
    """``name`` for an error message: cut to ``limit`` characters (a 100,000-character label stays one short line)."""
    cut = name if len(name) <= limit else name[: limit - 1] + f"… ({len(name):,} characters)"
    return repr(cut) if quote else cut


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def _as_iri(name: str) -> str | None:
    text = name.strip()
    if is_qid(text):
        return str(place_iri(qid=text))
    if text.startswith(("http://", "https://")):
        return text
    if text.startswith("<") and text.endswith(">") and _ABSOLUTE_IRI.fullmatch(text[1:-1]):
        return text[1:-1]  # "<https://...>"; a label such as "<Roma>" or "<b>x</b>" is looked up as a name
    prefix, sep, _ = text.partition(":")
    if sep and prefix in PREFIXES and " " not in text:
        return str(expand(text))
    return None
