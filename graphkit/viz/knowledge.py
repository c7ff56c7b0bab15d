"""The knowledge view of one entity: the entity, the things it is linked to, and their links.

A breadth-first walk over the graph from the entity, in both directions, to ``depth`` hops.
Nodes that only connect others (a relation, a participation, a status period) do not count as
a hop, so from Assisi the walk reaches Kōya through the MoU, and the meeting's venue and promoter
through Assisi's participation. What is a node: resources of the graph's own namespace
(``gkid:``); sources, evidence and reified statements are not nodes but are cited in tooltips;
concepts (relation type, status, sector, ...) and literals (dates, codes) are tooltip lines.
Incoming ``gk:country``/``gk:locatedIn`` links are not followed (a country would pull in every
municipality); the materialised ``gk:partnerOf`` is left out (the relation node shows it); and
relations are followed from the entity itself only (partners' own partners are the ego view's).

>>> from graphkit.build.pipeline import assemble
>>> store, _ = assemble("data", "out", steps=())
>>> v = knowledge_data(store, str(place_iri(qid="Q20103")))
>>> labels = {n.label for n in v.nodes}
>>> {"Assisi", "Kōya", "Embassy of Japan in Italy", "Valter Stoppini", "Mayor of Assisi"} <= labels
True
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import cast

from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import FOAF, PROV, SKOS
from rdflib.term import Node

from graphkit.errors import InputError
from graphkit.rdf.namespaces import GK, ID, OA, WD, curie, place_iri  # noqa: F401  (place_iri: doctest)
from graphkit.relations.labels import best_label
from graphkit.relations.read import concept_label_map, source_title_map
from graphkit.store.embedded import Store
from graphkit.viz.layout import graph_layout
from graphkit.viz.model import LegendItem, ViewData, ViewEdge, ViewNode
from graphkit.viz.safejson import clean_text, fold
from graphkit.viz.style import class_style, degree_size

#: Classes whose nodes link others and do not count as a hop.
CONNECTOR_CLASSES = frozenset(str(c) for c in (GK.MunicipalRelation, GK.Participation, GK.StatusPeriod))
#: Resources that are never nodes (cited in tooltips instead).
HIDDEN_CLASSES = frozenset(str(c) for c in (GK.SourceDocument, GK.TextEvidence, RDF.Statement, SKOS.Concept))
#: Properties not drawn as edges.
SKIPPED_PROPERTIES = frozenset(
    str(p) for p in (RDF.type, PROV.wasDerivedFrom, GK.partnerOf, RDF.subject, RDF.predicate, RDF.object, OA.hasSource)
)
#: Incoming links not followed (they fan out to every member of a country or region).
NOT_FOLLOWED_INCOMING = frozenset(str(p) for p in (GK.country, GK.locatedIn, GK.accreditedTo, GK.representsCountry))
#: Literal properties left out of tooltips (the label is the title already; comments are long).
QUIET_PROPERTIES = frozenset(str(p) for p in (RDFS.label, FOAF.name, RDFS.comment))

_Q_OUT = "SELECT ?p ?o WHERE { ?s ?p ?o }"
_Q_IN = "SELECT ?s ?p WHERE { ?s ?p ?o }"
_Q_PROPERTY_LABELS = """
SELECT ?p ?label WHERE {
  VALUES ?k { owl:ObjectProperty owl:DatatypeProperty rdf:Property owl:AnnotationProperty }
  ?p a ?k ; rdfs:label ?label .
}"""
_Q_CLASS_LABELS = "SELECT ?c ?label WHERE { ?c a owl:Class ; rdfs:label ?label . }"


@dataclass
class _Entity:
    iri: str
    classes: set[str] = field(default_factory=set)
    labels: list[Literal] = field(default_factory=list)
    attributes: list[tuple[str, str]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (subject, property, object)


def knowledge_data(store: Store, iri: str, *, depth: int = 2, max_nodes: int = 200) -> ViewData:
    """The neighbourhood of ``iri`` to ``depth`` hops (at most ``max_nodes`` nodes, nearest first)."""
    if depth < 1:
        raise InputError(f"depth must be at least 1, got {depth}")
    root = _describe(store, iri)
    if not root.classes and not root.links:
        raise InputError(f"nothing in the graph is about {iri}")
    entities: dict[str, _Entity] = {iri: root}
    hops = {iri: 0}
    queue = deque([iri])
    while queue:
        current = queue.popleft()
        ent = entities[current]
        for s, _, o in ent.links:
            other = o if s == current else s
            if other in hops or not _is_candidate(other):
                continue
            described = _describe(store, other)
            if described.classes & HIDDEN_CLASSES:
                continue
            if str(GK.MunicipalRelation) in described.classes and hops[current] > 0:
                continue  # partners' own partnerships are the ego view's job, not this one's
            step = 0 if described.classes & CONNECTOR_CLASSES else 1
            if hops[current] + step > depth:
                continue
            if len(entities) >= max_nodes:
                queue.clear()
                break
            hops[other] = hops[current] + step
            entities[other] = described
            if step == 0:
                queue.appendleft(other)
            else:
                queue.append(other)
    return _to_view(store, iri, entities, depth)


def _is_candidate(iri: str) -> bool:
    return iri.startswith(str(ID))


def _describe(store: Store, iri: str) -> _Entity:
    ent = _Entity(iri)
    node = URIRef(iri)
    out_result = store.select(_Q_OUT, bindings={"s": node})
    for p, o in sorted(out_result.rows, key=lambda r: (str(r[0]), str(r[1]))):
        ps = str(p)
        if ps == str(RDF.type):
            ent.classes.add(str(o))
        elif ps == str(RDFS.label):
            ent.labels.append(cast(Literal, o))
        elif ps == str(PROV.wasDerivedFrom):
            ent.sources.add(str(o))
        elif ps in SKIPPED_PROPERTIES or isinstance(o, BNode):
            continue
        elif isinstance(o, URIRef) and _is_candidate(str(o)):
            ent.links.append((iri, ps, str(o)))
        elif ps not in QUIET_PROPERTIES:
            ent.attributes.append((ps, str(o)))
    in_result = store.select(_Q_IN, bindings={"o": node})
    for s, p in sorted(in_result.rows, key=lambda r: (str(r[0]), str(r[1]))):
        ps = str(p)
        if isinstance(s, URIRef) and ps not in SKIPPED_PROPERTIES and ps not in NOT_FOLLOWED_INCOMING:
            if _is_candidate(str(s)):
                ent.links.append((str(s), ps, iri))
    # A triple stated in several named graphs comes back once per graph: keep one.
    ent.links = list(dict.fromkeys(ent.links))
    ent.attributes = list(dict.fromkeys(ent.attributes))
    return ent


def _to_view(store: Store, root: str, entities: dict[str, _Entity], depth: int) -> ViewData:
    prop_labels = _labels(store, _Q_PROPERTY_LABELS)
    class_labels = _labels(store, _Q_CLASS_LABELS)
    concepts = concept_label_map(store)
    sources = source_title_map(store)
    iris = sorted(entities, key=lambda i: (i != root, i))
    ids = {iri: n for n, iri in enumerate(iris)}
    names = {iri: best_label(entities[iri].labels, fallback=iri) for iri in iris}
    for iri in iris:  # an unlabelled relation is named after its parties
        ent = entities[iri]
        if not ent.labels and str(GK.MunicipalRelation) in ent.classes:
            parties = sorted({names[o] for s, p, o in ent.links if p == str(GK.party) and s == iri and o in names})
            if parties:
                names[iri] = " — ".join(parties)

    # One edge per pair of nodes (parallel links merged, e.g. org:holds / org:heldBy).
    pair_props: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for ent in entities.values():
        for s, p, o in ent.links:
            if s in entities and o in entities and s != o:
                key = (s, o) if s < o else (o, s)
                pair_props[key][p].add("fwd" if key == (s, o) else "back")
    degree: dict[str, int] = defaultdict(int)
    for a, b in pair_props:
        degree[a] += 1
        degree[b] += 1
    positions = graph_layout(iris, list(pair_props), center=root, spacing=85.0)

    title = f"{names[root]} and its surroundings"
    view = ViewData(kind="knowledge", title=title, subtitle=f"links to depth {depth}", directed=True)
    legend: dict[str, LegendItem] = {}
    for iri in iris:
        ent = entities[iri]
        cls, legend_text, shape, colour = class_style(ent.classes)
        legend.setdefault(legend_text, LegendItem(legend_text, colour, shape))
        connector = bool(ent.classes & CONNECTOR_CLASSES)
        # Unlabelled connectors (participations, relations) stay unlabelled: the shape says what they are.
        unnamed = ent.classes & {str(GK.Participation), str(GK.MunicipalRelation)}
        label = names[iri] if ent.labels else ("" if unnamed else _spaced(names[iri]))
        year = next((v for p, v in ent.attributes if p in _DATE_PROPERTIES), "")
        if year and year[:4] not in label:
            label = f"{label}\n({year})" if label else year
        x, y = positions.get(iri, (0.0, 0.0))
        size = 28.0 if iri == root else degree_size(degree[iri], base=6 if connector else 10, per=2.5)
        view.nodes.append(
            ViewNode(
                id=ids[iri], key=curie(URIRef(iri)), label=label, x=x, y=y, size=size, color=colour, shape=shape,
                title=_entity_title(ent, names[iri], cls, class_labels, prop_labels, concepts, sources, names),
                group=legend_text, search="|".join(dict.fromkeys(fold(clean_text(x)) for x in ent.labels)),
            )
        )  # fmt: skip
    for n, ((a, b), props) in enumerate(sorted(pair_props.items())):
        texts = [_prop_label(p, prop_labels) for p in sorted(props)]
        directions = set().union(*props.values())
        arrows = "to;from" if directions == {"fwd", "back"} else "to"
        src, dst = (a, b) if directions != {"back"} else (b, a)
        edge_title = f"{names[src]} → {' / '.join(texts)} → {names[dst]}"
        view.edges.append(
            ViewEdge(id=n, source=ids[src], target=ids[dst], title=edge_title, label=" / ".join(texts),
                     color="#8a8a8a", width=1.2, kind=" / ".join(texts), arrows=arrows)
        )  # fmt: skip
    view.legend = sorted(legend.values(), key=lambda item: item.label)
    view.legend.append(LegendItem("link, labelled with its property", "#8a8a8a", "line"))
    return view


_DATE_PROPERTIES = frozenset(str(p) for p in (GK.signingDate, GK.startDate))


def _entity_title(
    ent: _Entity,
    name: str,
    cls: str,
    class_labels: dict[str, str],
    prop_labels: dict[str, str],
    concepts: dict[str, str],
    sources: dict[str, str],
    names: dict[str, str],
) -> str:
    lines = [name]
    kind = class_labels.get(cls) or (cls.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if cls else "resource")
    lines.append(kind)
    other = sorted({clean_text(x) for x in ent.labels} - {name})[:4]
    if other:
        lines.append("also: " + ", ".join(other))
    for p, value in ent.attributes:
        text = concepts.get(value) or (curie(URIRef(value)) if value.startswith(str(WD)) else value)
        lines.append(f"{_prop_label(p, prop_labels)}: {clean_text(text, limit=160)}")
    if ent.sources:
        lines.append("sources: " + "; ".join(sorted(sources.get(s, s.rsplit("/", 1)[-1]) for s in ent.sources)))
    lines.append(curie(URIRef(ent.iri)))
    return "\n".join(lines)


def _spaced(local: str) -> str:
    return local.replace("-", " ")


def _labels(store: Store, query: str) -> dict[str, str]:
    by: dict[str, list[Node | None]] = defaultdict(list)
    for x, label in store.select(query).rows:
        by[str(x)].append(label)
    return {k: best_label(v, fallback=k) for k, v in by.items()}


def _prop_label(p: str, labels: dict[str, str]) -> str:
    if p in labels:
        return labels[p]
    local = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()
