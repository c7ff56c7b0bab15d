"""The facts the read model does not carry, read with a few SPARQL queries bound to the place.

Every query takes the municipality as the typed parameter ``?place`` (bound by the store as a
``VALUES`` block, :mod:`graphkit.sparql.binding`; nothing from the user is pasted into the text):
its names in every language and the areas it lies in, its posts and their holders
(``org:postIn``/``org:role``/``org:heldBy``), the meetings it or someone on its behalf took part in
(``gk:Participation``), its relations' status history, agreements (signing date, signatories)
and sectors, and the evidence of each of those statements (``gk:TextEvidence``: the quoted span and
its sentence number, for facts taken from an article).

>>> from rdflib import URIRef
>>> from graphkit.build.pipeline import assemble
>>> from graphkit.rdf.namespaces import place_iri
>>> store, _ = assemble("data", "out", steps=())
>>> assisi = str(place_iri(qid="Q20103"))
>>> [(o.role, o.holders) for o in offices(store, assisi, Labels({}))]
[('councillor', ('Fabrizio Leggio',)), ('mayor', ('Valter Stoppini',))]
>>> ev = evidence(store, assisi, Labels({}))
>>> [e.citation() for e in ev.get((str(ID["post/assisi-mayor"]), str(ORG.role)), [])]
['sentence 3: «il sindaco Valter Stoppini» (Assisi al centro del confronto istituzionale tra Italia e Giappone a Roma)']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import ORG  # noqa: F401  (ORG is used in the doctest)
from rdflib.term import Node

from graphkit.dossier.model import Agreement, Evidence, Meeting, Name, Office, Participant, Source, StatusPeriod
from graphkit.rdf.namespaces import GK, ID  # noqa: F401  (ID is used in the doctest)
from graphkit.relations.labels import best_label, clean_text, local_name
from graphkit.store.embedded import Store

#: Evidence of the statements about the place, its relations and their agreements and status
#: periods, its posts and their holders, its participations and their meetings.
_Q_EVIDENCE = """
SELECT ?s ?p ?o ?ev ?exact ?sentence ?src WHERE {
  { ?s gk:party? ?place } UNION { ?s ^gk:statusPeriod/gk:party ?place } UNION { ?s org:postIn ?place }
  UNION { ?s org:holds/org:postIn ?place } UNION { ?s gk:participant|gk:onBehalfOf ?place }
  UNION { ?s ^gk:inEvent/(gk:participant|gk:onBehalfOf) ?place }
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?ev .
  ?ev oa:exact ?exact .
  OPTIONAL { ?ev oa:hasSource ?src }
  OPTIONAL { ?ev gk:sentenceNumber ?sentence }
}"""
_Q_NAMES = "SELECT ?name WHERE { ?place rdfs:label|skos:altLabel ?name }"
_Q_AREAS = """
SELECT ?area ?label ?class WHERE {
  ?place gk:locatedIn+ ?area .
  OPTIONAL { ?area rdfs:label ?label }
  OPTIONAL { ?area a ?class }
}"""
_Q_PLACE_FACTS = """
SELECT ?p ?o WHERE {
  ?place ?p ?o .
  FILTER(isLiteral(?o) || ?p = gk:heritageDesignation)
}"""
_Q_PROPERTY_LABELS = """
SELECT ?p ?label WHERE {
  VALUES ?k { owl:ObjectProperty owl:DatatypeProperty }
  ?p a ?k ; rdfs:label ?label .
}"""
_Q_SOURCES = """
SELECT ?src ?title ?url ?licence ?file ?kind WHERE {
  ?src a gk:SourceDocument .
  OPTIONAL { ?src dct:title ?title }
  OPTIONAL { ?src schema:url ?url }
  OPTIONAL { ?src dct:license ?licence }
  OPTIONAL { ?src gk:fileName ?file }
  OPTIONAL { ?src a ?kind . FILTER(?kind = schema:NewsArticle) }
}"""
_Q_PERIODS = """
SELECT ?rel ?period ?status ?start ?end ?reason WHERE {
  ?rel gk:party ?place ; gk:statusPeriod ?period .
  OPTIONAL { ?period gk:statusValue ?status }
  OPTIONAL { ?period gk:startDate ?start }
  OPTIONAL { ?period gk:endDate ?end }
  OPTIONAL { ?period gk:statusReason ?reason }
}"""
_Q_SECTORS = "SELECT ?rel ?sector WHERE { ?rel gk:party ?place ; gk:sector ?sector . }"
_Q_RECORDS = "SELECT ?rel ?record WHERE { ?rel gk:party ?place ; gk:sourceRecord ?record . }"
_Q_AGREEMENTS = """
SELECT ?rel ?ag ?label ?type ?date ?who ?whoLabel ?approver ?approverLabel WHERE {
  ?rel gk:party ?place ; gk:formalisedBy ?ag .
  OPTIONAL { ?ag rdfs:label ?label }
  OPTIONAL { ?ag gk:agreementType ?type }
  OPTIONAL { ?ag gk:signingDate ?date }
  OPTIONAL { ?ag gk:signatory ?who . OPTIONAL { ?who rdfs:label ?whoLabel } }
  OPTIONAL { ?ag gk:approvedBy ?approver . OPTIONAL { ?approver rdfs:label ?approverLabel } }
}"""
_Q_OFFICES = """
SELECT ?post ?label ?role ?portfolio ?person ?personLabel WHERE {
  ?post org:postIn ?place .
  OPTIONAL { ?post rdfs:label ?label }
  OPTIONAL { ?post org:role ?role }
  OPTIONAL { ?post gk:portfolio ?portfolio }
  OPTIONAL { { ?post org:heldBy ?person } UNION { ?person org:holds ?post }
             OPTIONAL { ?person rdfs:label ?personLabel } }
}"""
_Q_MEETINGS = """
SELECT DISTINCT ?event ?p ?o ?oLabel WHERE {
  ?part gk:participant|gk:onBehalfOf ?place ; gk:inEvent ?event .
  ?event ?p ?o .
  OPTIONAL { ?o rdfs:label ?oLabel }
}"""
_Q_PARTICIPANTS = """
SELECT DISTINCT ?event ?part ?who ?whoLabel ?behalf ?behalfLabel ?post ?postLabel WHERE {
  ?mine gk:participant|gk:onBehalfOf ?place ; gk:inEvent ?event .
  ?part gk:inEvent ?event ; gk:participant ?who .
  OPTIONAL { ?who rdfs:label ?whoLabel }
  OPTIONAL { ?part gk:onBehalfOf ?behalf . OPTIONAL { ?behalf rdfs:label ?behalfLabel } }
  OPTIONAL { ?part gk:inPost ?post . OPTIONAL { ?post rdfs:label ?postLabel } }
}"""

#: Place properties shown elsewhere in the dossier (or not at all), left out of its list of facts.
_NOT_FACTS = frozenset(
    str(p)
    for p in (
        GK.population,
        GK.countryCode,
        GK.geonamesId,
        GK.wikidata,
        GK.degree,
        GK.betweenness,
        GK.community,
        GK.displayLabel,
    )
) | {  # fmt: skip
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2003/01/geo/wgs84_pos#lat",
    "http://www.w3.org/2003/01/geo/wgs84_pos#long",
    "http://www.w3.org/2000/01/rdf-schema#comment",
}
_KEYS = {
    str(GK.eventType): "type",
    str(GK.heldIn): "held_in",
    str(GK.venue): "venue",
    str(GK.promotedBy): "promoted_by",
    str(GK.topic): "topic",
    str(GK.sector): "sector",
    str(GK.startDate): "date",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
}


@dataclass
class Labels:
    """Labels of concepts (from the read model) and of properties (read once from the ontology)."""

    concepts: Mapping[str, str]
    properties: dict[str, str] = field(default_factory=dict)

    def concept(self, iri: str) -> str:
        """``memorandum of understanding`` for ``reltype:memorandum-of-understanding``."""
        return self.concepts.get(iri) or local_name(iri).replace("-", " ")

    def prop(self, iri: str) -> str:
        """The ontology's label of a property, else its local name."""
        return self.properties.get(iri) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local_name(iri)).lower()


def property_labels(store: Store) -> dict[str, str]:
    """English labels of the ontology's properties."""
    by: dict[str, list[Node | None]] = defaultdict(list)
    for p, label in store.select(_Q_PROPERTY_LABELS).rows:
        by[str(p)].append(label)
    return {p: best_label(v, fallback=p) for p, v in by.items()}


def _place(iri: str) -> dict[str, Node]:
    return {"place": URIRef(iri)}


def _text(term: Node | None) -> str:
    return clean_text(str(term)) if term is not None else ""


def evidence(store: Store, place: str, labels: Labels) -> dict[tuple[str, str], list[Evidence]]:
    """The evidence of each statement ``(subject, predicate)`` around ``place`` (see the module docstring)."""
    titles = {s.iri: s.title for s in sources(store)}
    out: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    seen: set[tuple[str, str, str, str]] = set()
    for s, p, o, ev, exact, sentence, src in store.select(_Q_EVIDENCE, bindings=_place(place)).rows:
        key = (str(s), str(p), str(o), str(ev))
        if key in seen:
            continue
        seen.add(key)
        source = str(src) if src is not None else ""
        out[(str(s), str(p))].append(
            Evidence(
                source=source,
                source_title=titles.get(source, local_name(source) if source else "unknown source"),
                quote=_text(exact),
                sentence=int(str(sentence)) if sentence is not None and str(sentence).isdigit() else None,
                fact=labels.prop(str(p)),
            )
        )
    for items in out.values():
        items.sort(key=lambda e: (e.sentence or 0, e.quote))
    return dict(out)


def collect(ev: Mapping[tuple[str, str], list[Evidence]], subject: str) -> tuple[Evidence, ...]:
    """Every evidence item about ``subject`` (any predicate), once each, in sentence order."""
    items = {(e.source, e.quote, e.sentence, e.fact): e for (s, _), lst in ev.items() if s == subject for e in lst}
    return tuple(sorted(items.values(), key=lambda e: (e.sentence or 0, e.quote, e.fact)))


def names(store: Store, place: str) -> tuple[Name, ...]:
    """Every label and alternative name of the place with its language, by language then text."""
    found = set()
    for (term,) in store.select(_Q_NAMES, bindings=_place(place)).rows:
        lang = term.language if isinstance(term, Literal) and term.language else ""
        found.add(Name(_text(term), lang.lower()))
    return tuple(sorted(found, key=lambda n: (_lang_rank(n.lang), n.lang, n.text)))


def _lang_rank(lang: str) -> int:
    return {"it": 0, "en": 1, "ja": 2}.get(lang.split("-")[0], 3 if lang else 4)


def areas(store: Store, place: str) -> tuple[tuple[str, str], ...]:
    """The areas the place lies in (``gk:locatedIn``, transitively) as ``(label, class)``, smallest first."""
    by: dict[str, list[Node | None]] = defaultdict(list)
    classes: dict[str, set[str]] = defaultdict(set)
    for area, label, cls in store.select(_Q_AREAS, bindings=_place(place)).rows:
        by[str(area)].append(label)
        if cls is not None:
            classes[str(area)].add(local_name(str(cls)))
    order = {"District": 0, "Province": 1, "Prefecture": 1, "Region": 2, "AdministrativeArea": 3, "Country": 4}
    out = []
    for area_iri, area_labels in by.items():
        best = min((c for c in classes[area_iri] if c in order), key=lambda c: order[c], default="AdministrativeArea")
        kind = "administrative area" if best == "AdministrativeArea" else best.lower()
        out.append((order[best], best_label(area_labels, fallback=area_iri), kind))
    return tuple((label, kind) for _, label, kind in sorted(set(out)))


def place_facts(store: Store, place: str, labels: Labels) -> tuple[tuple[str, str], ...]:
    """Other facts about the place (codes, heritage designations, ...) as ``(property label, value)``."""
    out = set()
    for p, o in store.select(_Q_PLACE_FACTS, bindings=_place(place)).rows:
        if str(p) in _NOT_FACTS:
            continue
        value = labels.concept(str(o)) if isinstance(o, URIRef) else _text(o)
        out.add((labels.prop(str(p)), value))
    return tuple(sorted(out))


def sources(store: Store) -> tuple[Source, ...]:
    """Every source document of the graph, with its title, web address, licence and file name."""
    by: dict[str, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for src, title, url, licence, file, kind in store.select(_Q_SOURCES).rows:
        d = by[str(src)]
        for key, value in (("title", title), ("url", url), ("licence", licence), ("file", file), ("kind", kind)):
            if value is not None:
                d[key].append(value)
    out = []
    for iri, d in sorted(by.items()):
        out.append(
            Source(
                iri=iri,
                title=best_label(d.get("title", []), fallback=iri),
                url=min((str(u) for u in d.get("url", [])), default=""),
                licence=min((str(u) for u in d.get("licence", [])), default=""),
                file=min((str(u) for u in d.get("file", [])), default=""),
                is_article=bool(d.get("kind")),
            )
        )
    return tuple(out)


def status_history(
    store: Store, place: str, labels: Labels, ev: Mapping[tuple[str, str], list[Evidence]]
) -> dict[str, tuple[StatusPeriod, ...]]:
    """Each relation's status periods, oldest first."""
    out: dict[str, list[StatusPeriod]] = defaultdict(list)
    for rel, period, status, start, end, reason in store.select(_Q_PERIODS, bindings=_place(place)).rows:
        out[str(rel)].append(
            StatusPeriod(
                status=labels.concept(str(status)) if status is not None else "status not given",
                start=_text(start),
                end=_text(end),
                reason=_text(reason),
                evidence=collect(ev, str(period)),
            )
        )
    return {rel: tuple(sorted(set(ps), key=lambda p: (p.start, p.end, p.status))) for rel, ps in out.items()}


def sectors(store: Store, place: str, labels: Labels) -> dict[str, tuple[str, ...]]:
    """Each relation's sectors (labels)."""
    out: dict[str, set[str]] = defaultdict(set)
    for rel, sector in store.select(_Q_SECTORS, bindings=_place(place)).rows:
        out[str(rel)].add(labels.concept(str(sector)))
    return {rel: tuple(sorted(s)) for rel, s in out.items()}


def source_records(store: Store, place: str) -> dict[str, dict[str, str]]:
    """Each relation's dataset rows: relation IRI -> source id -> ``file:line`` under ``data/sources``.

    >>> from graphkit.store.embedded import EmbeddedStore
    >>> s = EmbeddedStore()
    >>> s.load_data('''@prefix gk: <https://w3id.org/graphkit/ontology#> .
    ... <https://x.org/r> gk:party <https://x.org/a> ;
    ...     gk:sourceRecord "hekman-twincities/twin_cities_raw.csv:12" .''', "ttl")
    >>> source_records(s, "https://x.org/a")
    {'https://x.org/r': {'hekman-twincities': 'twin_cities_raw.csv:12'}}
    """
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for rel, record in store.select(_Q_RECORDS, bindings=_place(place)).rows:
        source, _, where = str(record).partition("/")
        if where:
            out[str(rel)][source] = where
    return dict(out)


def agreements(
    store: Store, place: str, labels: Labels, ev: Mapping[tuple[str, str], list[Evidence]]
) -> dict[str, tuple[Agreement, ...]]:
    """Each relation's agreements, with type, signing date, signatories and approving bodies."""
    rows: dict[tuple[str, str], dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    names_of: dict[str, list[Node]] = defaultdict(list)
    for rel, ag, label, typ, date, who, who_label, appr, appr_label in store.select(
        _Q_AGREEMENTS, bindings=_place(place)
    ).rows:
        d = rows[(str(rel), str(ag))]
        for key, value in (("label", label), ("type", typ), ("date", date), ("who", who), ("approver", appr)):
            if value is not None:
                d[key].append(value)
        for node, lab in ((who, who_label), (appr, appr_label)):
            if node is not None and lab is not None:
                names_of[str(node)].append(lab)
    out: dict[str, list[Agreement]] = defaultdict(list)
    for (rel_iri, ag_iri), d in sorted(rows.items()):

        def named(nodes: Iterable[Node]) -> tuple[str, ...]:
            return tuple(sorted({best_label(names_of.get(str(n), []), fallback=str(n)) for n in nodes}))

        out[rel_iri].append(
            Agreement(
                iri=ag_iri,
                label=best_label(d.get("label", []), fallback=ag_iri),
                type_label=", ".join(sorted({labels.concept(str(t)) for t in d.get("type", [])})),
                signing_date=min((_text(x) for x in d.get("date", [])), default=""),
                signatories=named(d.get("who", [])),
                approved_by=named(d.get("approver", [])),
                evidence=collect(ev, ag_iri),
            )
        )
    return {rel: tuple(ags) for rel, ags in out.items()}


def offices(
    store: Store, place: str, labels: Labels, ev: Mapping[tuple[str, str], list[Evidence]] | None = None
) -> tuple[Office, ...]:
    """The posts in the place (``org:postIn``), their role, portfolio and holders, by label."""
    by: dict[str, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    person_names: dict[str, list[Node]] = defaultdict(list)
    for post, label, role, portfolio, person, person_label in store.select(_Q_OFFICES, bindings=_place(place)).rows:
        d = by[str(post)]
        for key, value in (("label", label), ("role", role), ("portfolio", portfolio), ("person", person)):
            if value is not None:
                d[key].append(value)
        if person is not None and person_label is not None:
            person_names[str(person)].append(person_label)
    out = []
    for post_iri, d in by.items():
        people = sorted({str(p) for p in d.get("person", [])})
        evid = collect(ev, post_iri) + tuple(e for p in people for e in collect(ev, p)) if ev else ()
        out.append(
            Office(
                iri=post_iri,
                label=best_label(d.get("label", []), fallback=post_iri),
                role=", ".join(sorted({labels.concept(str(r)) for r in d.get("role", [])})),
                portfolio=tuple(sorted({labels.concept(str(r)) for r in d.get("portfolio", [])})),
                holders=tuple(sorted(best_label(person_names.get(p, []), fallback=p) for p in people)),
                evidence=tuple(dict.fromkeys(evid)),
            )
        )
    return tuple(sorted(out, key=lambda o: (o.label, o.iri)))


def meetings(
    store: Store, place: str, labels: Labels, ev: Mapping[tuple[str, str], list[Evidence]]
) -> tuple[Meeting, ...]:
    """The meetings the place, or someone on its behalf, took part in, with who was there."""
    attrs: dict[str, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    object_labels: dict[str, list[Node]] = defaultdict(list)
    for event, p, o, o_label in store.select(_Q_MEETINGS, bindings=_place(place)).rows:
        key = _KEYS.get(str(p))
        if key and o is not None:
            attrs[str(event)][key].append(o)
        if o_label is not None:
            object_labels[str(o)].append(o_label)

    def name(node: Node) -> str:
        if isinstance(node, Literal):
            return _text(node)
        return best_label(object_labels.get(str(node), []), fallback="") or labels.concept(str(node))

    people = _participants(store, place, ev)
    out = []
    for event_iri, d in attrs.items():
        out.append(
            Meeting(
                iri=event_iri,
                label=best_label(d.get("label", []), fallback=event_iri),
                event_type=", ".join(sorted({name(t) for t in d.get("type", [])})),
                date=min((_text(x) for x in d.get("date", [])), default=""),
                held_in=", ".join(sorted({name(x) for x in d.get("held_in", [])})),
                venue=", ".join(sorted({name(x) for x in d.get("venue", [])})),
                promoted_by=tuple(sorted({name(x) for x in d.get("promoted_by", [])})),
                topics=tuple(sorted({name(x) for x in d.get("topic", [])})),
                sectors=tuple(sorted({name(x) for x in d.get("sector", [])})),
                participants=people.get(event_iri, ()),
                evidence=collect(ev, event_iri),
            )
        )
    return tuple(sorted(out, key=lambda m: (m.date, m.label)))


def _participants(
    store: Store, place: str, ev: Mapping[tuple[str, str], list[Evidence]]
) -> dict[str, tuple[Participant, ...]]:
    rows: dict[tuple[str, str], dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for event, part, who, who_l, behalf, behalf_l, post, post_l in store.select(
        _Q_PARTICIPANTS, bindings=_place(place)
    ).rows:
        d = rows[(str(event), str(part))]
        for key, value in (("who", who_l or who), ("behalf", behalf_l or behalf), ("post", post_l or post)):
            if value is not None:
                d[key].append(value)
    out: dict[str, list[Participant]] = defaultdict(list)
    for (event_iri, part_iri), d in sorted(rows.items()):
        out[event_iri].append(
            Participant(
                who=best_label(d.get("who", []), fallback=""),
                on_behalf_of=best_label(d.get("behalf", []), fallback=""),
                post=best_label(d.get("post", []), fallback=""),
                evidence=collect(ev, part_iri),
            )
        )
    return {e: tuple(sorted(ps, key=lambda p: (p.on_behalf_of == "", p.who))) for e, ps in out.items()}
