"""Gather a municipality's dossier: the read model for its partners and relations, a few bound SPARQL
queries for the facts it does not carry (:mod:`graphkit.dossier.facts`), the network figures, the
Wikidata comparison, and the map.

>>> from graphkit.build.pipeline import assemble
>>> from graphkit.relations.read import read_relations
>>> store, _ = assemble("data", "out", steps=())
>>> data = read_relations(store)
>>> d = gather_dossier(data, store, resolve_municipality(data, "Q1346907"))
>>> d.identity.label, [p.label for p in d.partners], d.relations[0].agreements[0].signing_date
('Kōya', ['Assisi'], '2009')
>>> resolve_municipality(data, "Atlantis")
Traceback (most recent call last):
...
graphkit.viz.resolve.NameNotFoundError: no municipality named 'Atlantis' in the graph
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from graphkit.dossier import facts
from graphkit.dossier.mapsvg import dossier_map, nearby_map
from graphkit.dossier.model import Dossier, Evidence, Identity, RelationEntry, Source, WikidataDifference
from graphkit.dossier.network import NetworkIndex, figures, place_ref, shared_partners
from graphkit.dossier.wikidata import differences
from graphkit.errors import InputError
from graphkit.rdf.namespaces import is_qid, place_iri
from graphkit.relations.labels import local_name
from graphkit.relations.model import Relation, RelationData
from graphkit.store.embedded import Store
from graphkit.viz.resolve import NameNotFoundError, resolve_place


def resolve_municipality(data: RelationData, name: str) -> str:
    """The IRI of the place called ``name``: a QID (``Q1346907``), an IRI or CURIE, or a name in any
    language (a name several places share is an error that lists them, with their IRIs)."""
    text = name.strip()
    exact = [iri for iri, label in zip(data.places, data.place_column("label"), strict=True) if label == text]
    if len(exact) == 1:  # the common case, without folding every name of the graph
        return exact[0]
    if is_qid(text):
        matches = sorted(iri for iri, qid in zip(data.places, data.place_column("qid"), strict=True) if qid == text)
        if len(matches) == 1:
            return matches[0]
        if str(place_iri(qid=text)) in data.places:
            return str(place_iri(qid=text))
        if not matches:
            raise NameNotFoundError(f"no place with Wikidata id {text} in the graph")
    return resolve_place(data, name)


def gather_dossier(
    data: RelationData,
    store: Store,
    iri: str,
    *,
    out_dir: str | Path | None = None,
    network: NetworkIndex | None = None,
    sources: Sequence[Source] | None = None,
    property_labels: dict[str, str] | None = None,
) -> Dossier:
    """Everything the dossier of ``iri`` shows. ``store`` answers the seed-depth queries (the build's
    on-disk index is fastest); ``out_dir`` is where a Wikidata comparison would be; ``network``
    (:meth:`NetworkIndex.of`), ``sources`` and ``property_labels`` can be shared by many dossiers
    (:func:`~graphkit.dossier.write.write_country_dossiers` does)."""
    if iri not in data.places:
        raise InputError(f"{iri} is not a place of the graph")
    net = network if network is not None and network.data is data else NetworkIndex.of(data)
    place = data.places[iri]
    props = property_labels if property_labels is not None else facts.property_labels(store)
    labels = facts.Labels(data.concept_labels, props)
    all_sources = tuple(sources) if sources is not None else facts.sources(store)
    ev = facts.evidence(store, iri, labels)
    rels = list(net.relations.get(iri, ()))
    history = facts.status_history(store, iri, labels, ev) if rels else {}
    sectors = facts.sectors(store, iri, labels) if rels else {}
    agreements = facts.agreements(store, iri, labels, ev) if rels else {}
    records = facts.source_records(store, iri) if rels else {}
    titles = {s.iri: s for s in all_sources}

    entries = []
    for r in sorted(rels, key=lambda r: (_partner_key(data, r, iri), r.iri)):
        partners = tuple(place_ref(net, p) for p in r.parties if p != iri)
        entries.append(
            RelationEntry(
                iri=r.iri,
                label=r.label,
                partners=partners,
                types=r.type_labels,
                status=r.status_label,
                start=r.start,
                end=r.end,
                history=history.get(r.iri, ()),
                agreements=agreements.get(r.iri, ()),
                sectors=sectors.get(r.iri, ()),
                sources=r.sources,
                listing=listing(data, r),
                evidence=facts.collect(ev, r.iri) + _dataset_evidence(data, r, titles, records.get(r.iri, {})),
            )
        )
    identity = Identity(
        iri=iri,
        label=place.label,
        kind=place.kind,
        country=place.country,
        country_name=data.country_name(place.country) if place.country else "",
        areas=facts.areas(store, iri) or (((place.region, "area"),) if place.region else ()),
        population=place.population,
        qid=place.qid,
        geonames_id=place.geonames_id,
        lat=place.lat,
        lon=place.lon,
        names=facts.names(store, iri),
        facts=facts.place_facts(store, iri, labels),
        sources=place.sources,
    )
    offices = facts.offices(store, iri, labels, ev)
    meetings = facts.meetings(store, iri, labels, ev)
    wikidata, where = differences(store, place.qid, out_dir)
    dossier = Dossier(
        identity=identity,
        relations=tuple(entries),
        offices=offices,
        meetings=meetings,
        network=figures(net, iri, store),
        shared=shared_partners(net, iri),
        wikidata=wikidata,
        wikidata_note=where,
        graph_description=data.description,
    )
    cited = set(identity.sources) | {s for e in entries for s in e.sources}
    cited |= {e.source for e in _all_evidence(dossier) if e.source}
    centre = place_ref(net, iri)
    main = dossier_map(centre, dossier.partners)
    return replace(
        dossier,
        map=main,
        nearby=nearby_map(centre, dossier.partners, main),
        sources=tuple(titles.get(s, Source(s, local_name(s))) for s in sorted(cited)),
        wikidata=_named(wikidata, data) if wikidata is not None else None,
    )


def listing(data: RelationData, r: Relation) -> str:
    """Whose own partner lists name the relation: ``listed by both sides``, ``listed by X only``, or
    '' when no per-side list was read (e.g. a fact from an article)."""
    if not r.listed_by:
        return ""
    if set(r.parties) <= set(r.listed_by):
        return "listed by both sides" if len(r.parties) == 2 else "listed by every party"
    names = ", ".join(data.places[p].label for p in r.listed_by if p in data.places)
    return f"listed by {names} only (one side)"


def _partner_key(data: RelationData, r: Relation, iri: str) -> tuple[str, str]:
    others = [data.places[p] for p in r.parties if p != iri]
    first = min(others, key=lambda p: (p.label.casefold(), p.iri)) if others else None
    return (first.label.casefold(), first.country) if first else ("", "")


def _dataset_evidence(
    data: RelationData, r: Relation, sources: Mapping[str, Source], rows: Mapping[str, str]
) -> tuple[Evidence, ...]:
    """A dataset that lists the relation: its title, whose list it is (when the dataset is per-side
    lists) and the row that states it (``data/sources/<source>/<file>:<line>``)."""
    out = []
    listed = ", ".join(data.places[p].label for p in r.listed_by if p in data.places)
    for s in r.sources:
        src = sources.get(s)
        if src is None or src.is_article:
            continue
        detail = f"the relation is in the list of {listed}" if listed else "the relation is in this dataset"
        row = rows.get(local_name(s))
        if row:
            detail += f"; row {row}"
        out.append(Evidence(source=s, source_title=src.title, kind="dataset", detail=detail, url=src.url))
    return tuple(out)


def _all_evidence(d: Dossier) -> list[Evidence]:
    out: list[Evidence] = []
    for r in d.relations:
        out += r.evidence
        for h in r.history:
            out += h.evidence
        for a in r.agreements:
            out += a.evidence
    for o in d.offices:
        out += o.evidence
    for m in d.meetings:
        out += m.evidence
        for p in m.participants:
            out += p.evidence
    return out


def _named(diffs: tuple[WikidataDifference, ...], data: RelationData) -> tuple[WikidataDifference, ...]:
    """The differences with the other place's label where the graph has a place with that QID."""
    wanted = {d.other_qid for d in diffs}
    names: dict[str, str] = {}
    for qid, label in zip(data.place_column("qid"), data.place_column("label"), strict=True):
        if qid in wanted:
            names.setdefault(qid, label)
    return tuple(replace(d, other_label=names.get(d.other_qid, "")) for d in diffs)
