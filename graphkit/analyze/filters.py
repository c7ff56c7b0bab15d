"""Honest filters: say when a filter matches nothing, and what would match; refuse unknown values.

The projections (:mod:`graphkit.analyze.projections`) take filters by relation type, status,
country and region. A filter that matches nothing would silently give an empty graph;
:func:`check_filters` instead returns one line per filter that matches nothing, listing the
values present in the graph with their counts, and raises :class:`~graphkit.errors.InputError`
for a value that cannot match anything in any graph (a relation type or status outside the
vocabulary, a malformed country code, a region that is not a place of the graph).

>>> from graphkit.store.open import open_graph
>>> from graphkit.relations.read import read_relations
>>> data = read_relations(open_graph(["data/seed/assisi-koya.ttl", "ontology/vocab.ttl"]))
>>> print(check_filters(data, relation_types=["twinning"])[0])
no relation of type twinning; relation types present: memorandum-of-understanding (1)
>>> check_filters(data, relation_types=["twining"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graphkit.errors.InputError: unknown relation type 'twining'; known: ..., twinning
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rdflib.namespace import Namespace

from graphkit.analyze.projections import analysis_kind, concept_iris, place_ref, selected_relations
from graphkit.errors import InputError
from graphkit.rdf.namespaces import RELSTATUS, RELTYPE
from graphkit.relations.labels import local_name
from graphkit.relations.read import Relation, RelationData
from graphkit.sparql.vocabulary import scheme_concepts

#: Values listed in a "what would match" line at most (the most frequent first).
SHOWN = 12


def check_filters(
    data: RelationData,
    *,
    relation_types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    region: str | None = None,
    include_areas: bool = False,
) -> list[str]:
    """Lines saying which filters match no relation (empty when every filter matches something).

    Each filter is tried alone first (``no relation of type twinning; relation types present: ...``);
    when each matches but not all together, one line says so. Raises InputError for unknown values.
    """
    kw = {"include_areas": include_areas}
    notes = []
    if relation_types is not None:
        types = list(relation_types)
        _check_known(types, RELTYPE, _vocabulary(data, RELTYPE), "relation type")
        if not selected_relations(data, relation_types=types, **kw):  # type: ignore[arg-type]
            present = Counter(t for r in _kept(data, include_areas) for t in r.types)
            notes.append(f"no relation of type {', '.join(types)}; relation types present: {_listing(present)}")
    if statuses is not None:
        stats = list(statuses)
        _check_known(stats, RELSTATUS, _vocabulary(data, RELSTATUS), "status")
        if not selected_relations(data, statuses=stats, **kw):  # type: ignore[arg-type]
            present = Counter(s for r in _kept(data, include_areas) for s in r.statuses)
            notes.append(f"no relation with status {', '.join(stats)}; statuses present: {_listing(present)}")
    if countries is not None:
        codes = [c.strip().upper() for c in countries]
        bad = [c for c in codes if len(c) != 2 or not c.isascii() or not c.isalpha()]
        if bad:
            raise InputError(f"{bad[0]!r} is not an ISO 3166-1 alpha-2 country code (e.g. IT, JP)")
        if not selected_relations(data, countries=codes, **kw):  # type: ignore[arg-type]
            present = Counter(
                cc for r in _kept(data, include_areas) for cc in {data.places[p].country for p in r.parties} if cc
            )
            notes.append(
                f"no relation with a party in {', '.join(codes)}; countries present (relations): {_listing(present)}"
            )
    if region is not None:
        area = place_ref(region)
        if area not in data.places and not any(area in v for v in data.located_in.values()):
            raise InputError(f"{region} is not a place of the graph (give the region's IRI or CURIE)")
        if not selected_relations(data, region=region, **kw):  # type: ignore[arg-type]
            notes.append(f"no relation with a party located in {region}")
    if not notes and any(f is not None for f in (relation_types, statuses, countries, region)):
        if not selected_relations(
            data,
            relation_types=relation_types,
            statuses=statuses,
            countries=countries,
            region=region,
            include_areas=include_areas,
        ):
            notes.append("each filter matches some relations, but no relation matches all of them together")
    return notes


def _kept(data: RelationData, include_areas: bool) -> list[Relation]:
    kinds = {"municipality", "area"} if include_areas else {"municipality"}
    return [r for r in data.relations if sum(analysis_kind(data.places[p]) in kinds for p in r.parties) >= 2]


def _listing(counts: Counter[str]) -> str:
    if not counts:
        return "none"
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:SHOWN]
    shown = [f"{local_name(v) if '/' in v else v} ({n:,})" for v, n in ranked]
    more = len(counts) - SHOWN
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _check_known(values: list[str], namespace: Namespace, known: frozenset[str], what: str) -> None:
    for value in values:
        iri = next(iter(concept_iris([value], namespace) or ()))
        if iri not in known:
            names = ", ".join(sorted(local_name(k) for k in known))
            raise InputError(f"unknown {what} {value!r}; known: {names}")


def _vocabulary(data: RelationData, namespace: Namespace) -> frozenset[str]:
    """The concepts of a scheme: in the graph (labels, relations) and in the shipped vocabulary."""
    base = str(namespace)
    in_graph = {c for c in data.concept_labels if c.startswith(base)}
    in_graph |= {t for r in data.relations for t in (*r.types, *r.statuses) if t.startswith(base)}
    return frozenset(in_graph.union(scheme_concepts(base)))


def country_pair_notes(data: RelationData, a: str, b: str) -> list[str]:
    """A line when no relation links countries ``a`` and ``b``, naming ``a``'s partner countries.

    >>> from graphkit.store.open import open_graph
    >>> from graphkit.relations.read import read_relations
    >>> data = read_relations(open_graph(["data/seed/assisi-koya.ttl"]))
    >>> country_pair_notes(data, "IT", "FR")
    ['no relation between IT and FR; countries IT has relations with: JP (1)']
    >>> country_pair_notes(data, "it", "jp")
    []
    """
    a, b = a.strip().upper(), b.strip().upper()
    if data.between_countries(a, b):
        return []
    partners: Counter[str] = Counter()
    for r in data.relations:
        codes = [data.places[p].country for p in r.parties]
        if a in codes:
            partners.update({c for c in codes if c and c != a} or ({a} if codes.count(a) > 1 else set()))
    return [f"no relation between {a} and {b}; countries {a} has relations with: {_listing(partners)}"]
