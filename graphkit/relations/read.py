"""Read the graph's places and relations into the one read model, :class:`RelationData`.

:func:`read_relations` runs five fixed queries (place classes come from :data:`PLACE_CLASSES`,
nothing from the user goes into them) and joins the rows in Python. :func:`read_last_build` reads
the last build: from a compact cache beside the snapshot when it matches the snapshot (a new
process gets the world's ~23k places and ~35k relations in a fraction of a second), else from
the snapshot, writing the cache for the next time.

>>> from graphkit.store.open import open_graph
>>> data = read_relations(open_graph(["data/seed/assisi-koya.ttl", "ontology/vocab.ttl"]))
>>> assisi = data.places[str(place_iri(qid="Q20103"))]
>>> assisi.label, assisi.kind, assisi.country, assisi.qid
('Assisi', 'municipality', 'IT', 'Q20103')
>>> [(r.type_labels, r.status_label, r.start) for r in data.relations]
[(('memorandum of understanding',), 'active', '2009')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import cast

from graphkit.paths import DEFAULT_OUT_DIR, default_snapshot
from graphkit.rdf.namespaces import PREFIXES, place_iri  # noqa: F401  (place_iri is used in the doctest)
from graphkit.relations.labels import Text, best_label, clean_text, local_name
from graphkit.relations.model import (
    AREA_KINDS,
    OTHER_KIND,
    PLACE_CLASSES,
    Place,
    Relation,
    RelationData,
    class_kinds,
    place_class_values,
)
from graphkit.store.embedded import EmbeddedStore, Store

__all__ = [
    "PLACE_CLASSES",
    "Place",
    "Relation",
    "RelationData",
    "concept_label_map",
    "open_relations",
    "place_class_values",
    "read_last_build",
    "read_relations",
    "source_title_map",
]

Cell = str | Text | None

_Q_PLACES = f"""
SELECT ?place ?class WHERE {{
  {place_class_values("class")}
  ?place a ?class .
}}"""
_Q_PLACE_ATTRS = f"""
SELECT ?place ?what ?value WHERE {{
  {place_class_values("class")}
  VALUES (?p ?what) {{
    (rdfs:label "label") (gk:displayLabel "display") (skos:altLabel "alt") (gk:countryCode "code")
    (wgs84:lat "lat") (wgs84:long "lon")
    (gk:population "population") (gk:wikidata "qid") (prov:wasDerivedFrom "source") (gk:locatedIn "in")
    (gk:betweenness "betweenness") (gk:community "community")
  }}
  ?place a ?class ; ?p ?value .
}}"""
_Q_PLACE_COUNTRY = "SELECT ?place ?cc WHERE { ?place gk:country ?c . ?c gk:countryCode ?cc . }"
_Q_RELATIONS = """
SELECT ?rel ?what ?value WHERE {
  VALUES (?p ?what) {
    (gk:party "party") (gk:relationType "type") (gk:status "status") (gk:startDate "start") (gk:endDate "end")
    (prov:wasDerivedFrom "source") (gk:listedBy "listedBy") (rdfs:label "label") (gk:displayLabel "display")
  }
  ?rel a gk:MunicipalRelation ; ?p ?value .
}"""
_Q_LABELS = """
SELECT ?what ?s ?label WHERE {
  { ?s a gk:Country ; gk:countryCode ?code ; rdfs:label ?label . BIND("country" AS ?what) }
  UNION { ?s a skos:Concept ; skos:prefLabel ?label . BIND("concept" AS ?what) }
  UNION { ?s a gk:SourceDocument ; dct:title ?label . BIND("source" AS ?what) }
}"""
_Q_COUNTRY_CODES = "SELECT ?s ?code WHERE { ?s a gk:Country ; gk:countryCode ?code . }"


def select_cells(store: Store, sparql: str) -> list[tuple[Cell, ...]]:
    """Rows of a SELECT as plain cells: ``str`` for an IRI or an untagged literal, :class:`Text` for a
    language-tagged literal, None when unbound. On the embedded store this reads pyoxigraph's terms
    directly (the world graph has ~500k cells to read; building rdflib terms would dominate).

    >>> from graphkit.store.open import open_graph
    >>> store = open_graph(["data/seed/assisi-koya.ttl"])
    >>> select_cells(store, 'SELECT ?p ?l WHERE { ?p gk:wikidata wd:Q20103 ; rdfs:label ?l FILTER(LANG(?l) = "en") }')
    [('https://w3id.org/graphkit/id/place/Q20103', Text('Assisi', 'en'))]
    """
    if isinstance(store, EmbeddedStore):
        import pyoxigraph as ox

        named = ox.NamedNode
        result = cast(
            ox.QuerySolutions, store.oxigraph.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
        )
        return [
            tuple(
                None if t is None else t.value if type(t) is named or not t.language else Text(t.value, t.language)
                for t in sol
            )
            for sol in result
        ]

    return [
        tuple(None if t is None else Text(str(t), t.language) if getattr(t, "language", None) else str(t) for t in row)  # type: ignore[attr-defined]
        for row in store.select(sparql).rows
    ]


def read_relations(store: Store, *, description: str = "knowledge graph", every_place: bool = False) -> RelationData:
    """Every municipality, every party of a relation and every relation with two parties or more.

    ``every_place``: also every other instance of a place class (regions, countries, ... that are
    party to no relation), as Wikidata linking needs."""
    kinds = class_kinds()
    found: dict[str, tuple[int, str]] = {}
    for place, cls in select_cells(store, _Q_PLACES):
        cand = kinds[str(cls)]
        key = str(place)
        if key not in found or cand < found[key]:
            found[key] = cand
    rel_attrs: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    for rel, what, value in select_cells(store, _Q_RELATIONS):
        rel_attrs[str(rel)][str(what)].append(value)
    parties = {p for a in rel_attrs.values() for p in map(str, a.get("party", ()))}
    wanted = {iri for iri, (_, kind) in found.items() if every_place or kind == "municipality"} | parties
    attrs: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    for place, what, value in select_cells(store, _Q_PLACE_ATTRS):
        attrs[str(place)][str(what)].append(value)
    country = _first(select_cells(store, _Q_PLACE_COUNTRY))
    labels: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    for what, s, label in select_cells(store, _Q_LABELS):
        labels[str(what)][str(s)].append(label)
    countries: dict[str, list[Cell]] = defaultdict(list)
    for s, code in select_cells(store, _Q_COUNTRY_CODES):
        countries[str(code).upper()].extend(labels["country"].get(str(s), ()))
    concepts = {c: best_label(ls, fallback=c) for c, ls in labels["concept"].items()}

    located_in = {iri: tuple(sorted({str(v) for v in a["in"]})) for iri, a in attrs.items() if a.get("in")}
    places = {
        iri: _place(iri, found.get(iri), attrs.get(iri, {}), country.get(iri), attrs, found, located_in)
        for iri in sorted(wanted)
    }
    return RelationData(
        places=places,
        relations=tuple(_relations(rel_attrs, places, concepts)),
        countries={cc: best_label(ls, fallback=cc) for cc, ls in sorted(countries.items())},
        concept_labels=concepts,
        source_titles={s: best_label(ts, fallback=s) for s, ts in sorted(labels["source"].items())},
        located_in=located_in,
        description=description,
    )


def _place(
    iri: str,
    rank_kind: tuple[int, str] | None,
    a: dict[str, list[Cell]],
    country: Cell,
    attrs: dict[str, dict[str, list[Cell]]],
    found: dict[str, tuple[int, str]],
    located_in: dict[str, tuple[str, ...]],
) -> Place:
    kind = rank_kind[1] if rank_kind else OTHER_KIND
    label_cells = a.get("label", [])
    names = {clean_text(str(x)) for x in label_cells}
    if kind == "municipality":
        names |= {clean_text(str(x)) for x in a.get("alt", [])}
    code = country if country is not None else min(map(str, a.get("code", [])), default="")
    lat, lon = _number(a.get("lat"), float), _number(a.get("lon"), float)
    return Place(
        iri=iri,
        label=_display(a, fallback=iri),
        kind=kind,
        country=str(code).upper(),
        lat=lat if lon is not None else None,
        lon=lon if lat is not None else None,
        population=cast("int | None", _number(a.get("population"), int)),
        qid=local_name(min(map(str, a["qid"]))) if a.get("qid") else "",
        names=tuple(sorted(names)),
        sources=tuple(sorted({str(s) for s in a.get("source", [])})),
        region=_region(iri, attrs, found, located_in),
        labels=_with_lang(label_cells),
        alt_labels=_with_lang(a.get("alt", [])),
        betweenness=cast("float | None", _number(a.get("betweenness"), float)),
        community=cast("int | None", _number(a.get("community"), int)),
    )


def _display(attrs: dict[str, list[Cell]], *, fallback: str) -> str:
    """The node's ``gk:displayLabel`` (the build's one display label, as the catalogue queries show it);
    for a graph without it, the best of its labels."""
    shown = attrs.get("display")
    return clean_text(min(map(str, shown))) if shown else best_label(attrs.get("label", []), fallback=fallback)


def _with_lang(cells: list[Cell]) -> tuple[tuple[str, str], ...]:
    """Distinct ``(text, language)`` pairs, English first, then by language and text."""
    pairs = {(str(c[0]), str(c[1])) if isinstance(c, Text) else (str(c), "") for c in cells if c is not None}
    return tuple(sorted(pairs, key=lambda x: (x[1] != "en", x[1], x[0])))


def _region(
    iri: str, attrs: dict[str, dict[str, list[Cell]]], found: dict[str, tuple[int, str]], located_in: dict
) -> str:
    """The label of the most specific administrative area ``iri`` lies in directly ('' when none)."""
    areas = [(found[x][0], x) for x in located_in.get(iri, ()) if x in found and found[x][1] in AREA_KINDS]
    if not areas:
        return ""
    area = min(areas)[1]
    return best_label(attrs.get(area, {}).get("label", []), fallback=area)


def _relations(
    rel_attrs: dict[str, dict[str, list[Cell]]], places: dict[str, Place], concepts: dict[str, str]
) -> Iterable[Relation]:
    for iri in sorted(rel_attrs):
        a = rel_attrs[iri]
        ps = tuple(sorted({p for p in map(str, a.get("party", ())) if p in places}))
        if len(ps) < 2:
            continue
        types = tuple(sorted({str(t) for t in a.get("type", [])}))
        statuses = tuple(sorted({str(s) for s in a.get("status", [])}))
        status = statuses[0] if statuses else ""
        starts = [str(v) for v in a.get("start", [])]
        yield Relation(
            iri=iri,
            parties=ps,
            types=types,
            type_labels=tuple(concepts.get(t, local_name(t)) for t in types),
            status=status,
            status_label=concepts.get(status, local_name(status)) if status else "",
            start=min(starts, default=""),
            end=min((str(v) for v in a.get("end", [])), default=""),
            sources=tuple(sorted({str(s) for s in a.get("source", [])})),
            listed_by=tuple(sorted({str(x) for x in a.get("listedBy", [])})),
            label=_display(a, fallback=""),
            statuses=statuses,
            years=tuple(sorted({y for v in starts if (y := _year(v)) is not None})),
        )


def concept_label_map(store: Store) -> dict[str, str]:
    """English preferred labels of the SKOS concepts (relation types, statuses, sectors, ...), by IRI."""
    return _labels_of(store, "concept")


def source_title_map(store: Store) -> dict[str, str]:
    """Titles of the source documents (English preferred), by IRI."""
    return _labels_of(store, "source")


def _labels_of(store: Store, what: str) -> dict[str, str]:
    by: dict[str, list[Cell]] = defaultdict(list)
    for kind, s, label in select_cells(store, _Q_LABELS):
        if kind == what:
            by[str(s)].append(label)
    return {s: best_label(labels, fallback=s) for s, labels in sorted(by.items())}


def _first(rows: Iterable[tuple[Cell, ...]]) -> dict[str, Cell]:
    """The smallest value of each subject (deterministic whatever the row order)."""
    out: dict[str, Cell] = {}
    for s, v in rows:
        key = str(s)
        if key not in out or str(v) < str(out[key]):
            out[key] = v
    return out


def _year(value: str) -> int | None:
    """The year of an ``xsd:date``/``gYear``/``dateTime`` lexical form (``-0044`` is 44 BC).

    >>> _year("1984-05-02"), _year("2000"), _year("-0044"), _year("spring")
    (1984, 2000, -44, None)
    """
    text = value.strip()
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-")[:4]
    return sign * int(digits) if len(digits) == 4 and digits.isdigit() else None


def _number(values: list[Cell] | None, kind: type) -> float | int | None:
    """The smallest parseable value as ``kind`` (int accepts ``"2902.0"``), None when there is none."""
    parsed = []
    for v in values or ():
        try:
            x = float(str(v))
        except ValueError:
            continue
        if x == x and abs(x) != float("inf"):  # not NaN or infinite
            parsed.append(int(x) if kind is int else x)
    return min(parsed) if parsed else None


def read_last_build(
    out_dir: str | Path = DEFAULT_OUT_DIR,
    *,
    use_cache: bool = True,
    notify: Callable[[str], None] | None = None,
) -> RelationData:
    """The read model of the last build in ``out_dir`` (``graphkit build``).

    From the cache beside the snapshot (``out/graph.relations.jsonl``) when it matches the snapshot;
    else read from the snapshot, and the cache written (atomically) for the next call.
    ``use_cache=False`` always reads the snapshot. (The on-disk index of ``graphkit index`` is not
    used here: these queries read most of the graph, which it answers slower than memory does.)
    """
    from graphkit.relations import cache

    snapshot = default_snapshot(out_dir)
    if use_cache:
        data = cache.load(snapshot)
        if data is not None:
            return data
    from graphkit.store.embedded import open_snapshot

    key = cache.stamp(snapshot)
    data = read_relations(open_snapshot(snapshot), description=f"knowledge graph {snapshot}")
    if use_cache:
        cache.save(data, snapshot, key=key, notify=notify)
    return data


def open_relations(
    paths: Sequence[str | Path] | None = None,
    *,
    out_dir: str | Path = DEFAULT_OUT_DIR,
    notify: Callable[[str], None] | None = None,
) -> RelationData:
    """The read model of the RDF files ``paths``, or of the last build in ``out_dir`` when none
    (:func:`read_last_build`: cached, so a new process has it at once)."""
    if not paths:
        return read_last_build(out_dir, notify=notify)
    from graphkit.store.open import open_graph

    return read_relations(open_graph(list(paths)), description="knowledge graph " + ", ".join(map(str, paths)))
