"""Views of the municipal network: ego network, country pair, aggregated country graph, whole world.

Each function turns a :class:`~graphkit.relations.read.RelationData` into a
:class:`~graphkit.viz.model.ViewData` with fixed positions (physics stays off in the page):
coordinates for the world and country pairs, a seeded layout for ego networks, mean coordinates
of each country's municipalities for the country graph.

>>> from graphkit.store.open import open_graph
>>> net = read_relations(open_graph(["data/seed/assisi-koya.ttl", "ontology/vocab.ttl"]))
>>> v = country_pair_data(net, "IT", "JP")
>>> v.counts(), sorted(n.label for n in v.nodes)
({'nodes': 2, 'edges': 1}, ['Assisi', 'Kōya'])
>>> print(v.edges[0].title)
Assisi — Kōya
memorandum of understanding · active
since 2009
sources: seed-article
>>> v.sources[0]
('seed-article', 'Assisi al centro del confronto istituzionale tra Italia e Giappone a Roma')
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import cast

from rdflib import URIRef

from graphkit.errors import InputError
from graphkit.rdf.namespaces import ID, curie
from graphkit.relations.read import Place, Relation, RelationData, read_relations  # noqa: F401 (doctest)
from graphkit.viz.layout import GEO_SCALE, geo_xy, graph_layout, grid_positions, radial_layout
from graphkit.viz.maps import pair_map, world_map
from graphkit.viz.model import FilterOption, LegendItem, ViewData, ViewEdge, ViewNode
from graphkit.viz.safejson import fold
from graphkit.viz.style import DASHED_STATUSES, OTHER_COLOUR, country_colours, degree_size, relation_style

#: Ego networks up to this many nodes get a force layout; bigger ones a radial one (rings by hops).
FORCE_LAYOUT_MAX = 300
#: Countries named in a legend; the rest are summed up as "other countries".
LEGEND_COUNTRIES = 12
DASH_PATTERN = [6, 5]


def world_data(net: RelationData) -> ViewData:
    """Every place and relation, placed by coordinates over the countries' outlines (places without
    coordinates at their country, see :func:`graphkit.viz.maps.world_map`)."""
    iris = sorted(net.places)
    geo = world_map({i: _xy(net.places[i]) for i in iris})
    title = "All municipal relations"
    view = _build(net, iris, net.relations, geo.positions, kind="world", title=title, approximate=geo.approximate)
    view.basemap = geo.layers
    view.large = True
    view.country_filter = _country_options(net, view)
    view.type_filter = _type_options(net, net.relations)
    return view


def ego_data(net: RelationData, center: str, depth: int = 1) -> ViewData:
    """``center``, its partners, their partners ... to ``depth`` hops, laid out around ``center``."""
    if depth < 1:
        raise InputError(f"an ego network needs a depth of at least 1, got {depth}")
    if center not in net.places:
        raise InputError(f"{center} is not a municipality or relation party in the graph")
    members, relations = net.ego(center, depth)
    iris = sorted(members)
    if len(iris) <= FORCE_LAYOUT_MAX:
        pos = graph_layout(iris, [p for r in relations for p in r.pairs()], center=center)
    else:
        pos = radial_layout(center, *_rings(net, center, members))  # type: ignore[arg-type]  # dict invariance
    place = net.places[center]
    view = _build(
        net,
        iris,
        relations,
        cast(dict[str, tuple[float, float]], pos),
        kind="ego",
        title=f"{place.label}: partners to depth {depth}",
        subtitle=f"{place.kind}, {net.country_name(place.country)} ({place.country})" if place.country else place.kind,
    )
    view.type_filter = _type_options(net, relations)
    return view


def country_pair_data(net: RelationData, a: str, b: str) -> ViewData:
    """Every relation between a place in country ``a`` and one in country ``b`` (ISO codes).

    Each country's places keep their geographic arrangement, scaled into a panel of its own
    (``a`` on the left, ``b`` on the right), so both countries stay readable.
    """
    a, b = _check_code(net, a), _check_code(net, b)
    relations = net.between_countries(a, b)
    iris = sorted({p for r in relations for p in r.parties})
    geo = pair_map({i: _xy(net.places[i]) for i in iris}, a, b)
    title = f"{net.country_name(a)} – {net.country_name(b)}: {len(relations)} relations"
    view = _build(net, iris, relations, geo.positions, kind="country-pair", title=title, approximate=geo.approximate)
    view.basemap = geo.layers
    view.type_filter = _type_options(net, relations)
    return view


def country_graph_data(net: RelationData) -> ViewData:
    """Countries as nodes (placed at the mean coordinates of their places), one edge per country pair
    with its width growing with the number of relations between them."""
    pair_count: Counter[tuple[str, str]] = Counter()
    pair_types: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    domestic: Counter[str] = Counter()
    involved: dict[str, set[str]] = defaultdict(set)
    for r in net.relations:
        for x, y in r.pairs():
            cx, cy = net.places[x].country or "?", net.places[y].country or "?"
            involved[cx].add(x)
            involved[cy].add(y)
            if cx == cy:
                domestic[cx] += 1
                continue
            key = (cx, cy) if cx < cy else (cy, cx)
            pair_count[key] += 1
            pair_types[key][_type_text(net, r)] += 1
    codes = sorted(involved)
    colours = country_colours({cc: len(involved[cc]) for cc in codes})
    degree: Counter[str] = Counter()
    for (x, y), n in pair_count.items():
        degree[x] += n
        degree[y] += n
    centroid = _country_centroids(net, codes)
    missing = [cc for cc in codes if cc not in centroid]
    centroid.update(
        zip(missing, grid_positions(len(missing), x0=-180 * GEO_SCALE, y0=95 * GEO_SCALE, step=200), strict=True)
    )
    view = ViewData(kind="countries", title=f"Relations between countries ({len(pair_count)} country pairs)")
    view.basemap = world_map({}).layers
    ids = {cc: i for i, cc in enumerate(codes)}
    for cc in codes:
        name = net.country_name(cc) if cc != "?" else "unknown country"
        partners = sum(1 for k in pair_count if cc in k)
        title = "\n".join(
            [
                f"{name} ({cc})",
                f"places with relations: {len(involved[cc])}",
                f"international relations: {degree[cc]} with {partners} countries",
                f"domestic relations: {domestic[cc]}",
            ]
        )
        px, py = centroid[cc]
        view.nodes.append(
            ViewNode(
                id=ids[cc], key=cc, label=f"{name} ({cc})" if cc != "?" else name, title=title, x=px, y=py,
                size=degree_size(degree[cc], base=8, per=2.0, cap=60), color=colours[cc], shape="dot",
                country=cc, search=_fold_all(name, cc),
            )
        )  # fmt: skip
    for i, ((x, y), n) in enumerate(sorted(pair_count.items())):
        kinds = ", ".join(f"{t} {c}" for t, c in sorted(pair_types[(x, y)].items(), key=lambda kv: (-kv[1], kv[0])))
        title = f"{net.country_name(x)} — {net.country_name(y)}\n{n} relation{'s' if n != 1 else ''}\n{kinds}"
        width = 1.0 + 2.0 * math.log2(n)
        view.edges.append(ViewEdge(id=i, source=ids[x], target=ids[y], title=title, width=round(width, 2),
                                   color="#5b7fa6", kind=""))  # fmt: skip
    view.legend = [
        LegendItem("country (size: number of international relations)", "#1f77b4"),
        LegendItem("relations between two countries (width grows with the count)", "#5b7fa6", "line"),
    ]
    view.country_filter = [FilterOption(cc, f"{net.country_name(cc)} ({cc})", len(involved[cc])) for cc in codes]
    return view


# ---------------------------------------------------------------- building blocks


def _build(
    net: RelationData,
    iris: list[str],
    relations: Sequence[Relation],
    positions: dict[str, tuple[float, float]],
    *,
    kind: str,
    title: str,
    subtitle: str = "",
    approximate: set[str] | frozenset[str] = frozenset(),
) -> ViewData:
    view = ViewData(kind=kind, title=title, subtitle=subtitle)
    places = {iri: net.places[iri] for iri in iris}  # each looked up once: the world view has 22k
    counts = Counter(p.country or "?" for p in places.values())
    colours = country_colours(dict(counts))
    ids = {iri: n for n, iri in enumerate(iris)}
    for iri, place in places.items():
        x, y = positions.get(iri, (None, None))
        title = place_title(net, place)
        unplaced = iri in approximate or (x is None and kind in ("world", "country-pair"))
        if unplaced:
            title += "\nposition unknown: " + ("drawn at its country" if x is not None else "not drawn")
        view.nodes.append(
            ViewNode(
                id=ids[iri], key=short_iri(iri), label=place.label, title=title, x=x, y=y, approximate=unplaced,
                size=degree_size(net.degree(iri)), color=colours[place.country or "?"],
                shape="dot" if place.kind == "municipality" else "square", country=place.country,
                search=search_key(place),
            )
        )  # fmt: skip
    n = 0
    for r in relations:
        colour, dashed = relation_style(r.type_key, r.status)
        for a, b in r.pairs():
            view.edges.append(
                ViewEdge(
                    id=n, source=ids[a], target=ids[b], title=relation_title(net, r, places[a], places[b]),
                    color=colour,
                    width=1.5 if kind != "world" else 1.0, dashes=DASH_PATTERN if dashed else False,
                    kind=type_filter_key(r.type_key),
                )
            )  # fmt: skip
            n += 1
    view.legend = _legend(net, counts, colours, relations, any(p.kind != "municipality" for p in places.values()))
    cited = {s for p in places.values() for s in p.sources} | {s for r in relations for s in r.sources}
    named = sorted((net.source_name(s), net.source_titles.get(s, net.source_name(s))) for s in cited)
    view.sources = list(dict(named).items())
    return view


def _rings(net: RelationData, center: str, members: set[str]) -> tuple[list[list[str]], dict[str, str]]:
    """Nodes by hop distance from ``center`` (first ring sorted by country and name), and who reached whom
    (breadth-first, neighbours in IRI order)."""
    parent = _bfs_parents(net, center, members)
    hops = {center: 0}
    rings: list[list[str]] = []
    for q, p in parent.items():  # in breadth-first order
        hops[q] = hops[p] + 1
        if hops[q] > len(rings):
            rings.append([])
        rings[hops[q] - 1].append(q)
    if rings:
        rings[0].sort(key=lambda i: (net.places[i].country, net.places[i].label, i))
    return rings, parent


def _bfs_parents(net: RelationData, center: str, members: set[str]) -> dict[str, str]:
    """Who reached whom, breadth-first from ``center`` within ``members``, neighbours in IRI order (as
    ``networkx.bfs_predecessors(subgraph, center, sort_neighbors=sorted)``), in breadth-first order."""
    parent: dict[str, str] = {}
    seen = {center}
    queue = [center]
    for node in queue:  # the list grows while it is walked: a queue
        for q in sorted(p for p in net.partners(node) if p in members):
            if q not in seen:
                seen.add(q)
                parent[q] = node
                queue.append(q)
    return parent


def place_title(net: RelationData, place: Place) -> str:
    """Tooltip text of a place: name, kind and country, partners, population, coordinates, sources."""
    lines = [place.label]
    country = f"{net.country_name(place.country)} ({place.country})" if place.country else "country unknown"
    lines.append(f"{place.kind} · {country}")
    other = [n for n in place.names if n != place.label][:4]
    if other:
        lines.append("also: " + ", ".join(other))
    lines.append(f"partners: {net.degree(place.iri)}")
    if place.population is not None:
        lines.append(f"population: {place.population:,}")
    if place.lat is not None and place.lon is not None:
        lines.append(f"coordinates: {place.lat:.4f}, {place.lon:.4f}")
    if place.sources:
        lines.append("sources: " + "; ".join(sorted({net.source_name(s) for s in place.sources})))
    return "\n".join(lines)


def relation_title(net: RelationData, r: Relation, a: Place, b: Place) -> str:
    """Tooltip text of a relation between parties ``a`` and ``b``: the two (by name), type and status,
    dates, sources."""
    first, second = sorted((a.label, b.label), key=lambda s: (_fold(s), s))
    lines = [f"{first} — {second}"]
    kind = _type_text(net, r)
    lines.append(kind + (f" · {r.status_label}" if r.status_label else ""))
    if r.start and r.end:
        lines.append(f"{r.start} – {r.end}")
    elif r.start:
        lines.append(f"since {r.start}")
    elif r.end:
        lines.append(f"until {r.end}")
    if r.listed_by and len(r.listed_by) < len(r.parties):
        lines.append(
            "listed by one side only: " + ", ".join(net.places[p].label for p in r.listed_by if p in net.places)
        )
    if r.sources:
        lines.append("sources: " + "; ".join(sorted({net.source_name(s) for s in r.sources})))
    return "\n".join(lines)


def _type_text(net: RelationData, r: Relation) -> str:
    if not r.type_key:
        return "relation (type not given)"
    return net.concept_labels.get(r.type_key, r.type_key.rsplit("/", 1)[-1])


def _legend(
    net: RelationData, counts: Counter[str], colours: dict[str, str], relations: Sequence[Relation], has_areas: bool
) -> list[LegendItem]:
    items = []
    ordered = sorted(counts, key=lambda c: (-counts[c], c))
    for cc in ordered[:LEGEND_COUNTRIES]:
        name = net.country_name(cc) if cc != "?" else "unknown country"
        items.append(LegendItem(f"{name} ({cc}): {counts[cc]}", colours[cc]))
    if len(ordered) > LEGEND_COUNTRIES:
        rest = sum(counts[c] for c in ordered[LEGEND_COUNTRIES:])
        items.append(LegendItem(f"{len(ordered) - LEGEND_COUNTRIES} other countries: {rest}", OTHER_COLOUR))
    if has_areas:
        items.append(LegendItem("region / province / other non-municipal party", OTHER_COLOUR, "square"))
    types = Counter(r.type_key for r in relations)
    for t in sorted(types, key=lambda k: (-types[k], k)):
        colour, _ = relation_style(t, "")
        label = net.concept_labels.get(t, t.rsplit("/", 1)[-1]) if t else "type not given"
        items.append(LegendItem(f"{label}: {types[t]}", colour, "line"))
    if any(r.status in DASHED_STATUSES for r in relations):
        items.append(LegendItem("dashed: ended, suspended, dormant or proposed", "#555555", "line", dashes=True))
    items.append(LegendItem("node size: number of partners", "#cccccc"))
    return items


def _country_options(net: RelationData, view: ViewData) -> list[FilterOption]:
    counts = Counter(n.country for n in view.nodes if n.country)
    return [
        FilterOption(cc, f"{net.country_name(cc)} ({cc})", counts[cc])
        for cc in sorted(counts, key=lambda c: (net.country_name(c), c))
    ]


def type_filter_key(type_iri: str) -> str:
    """The short key of a relation type in the page (``twinning`` for ``reltype:twinning``)."""
    return type_iri.rsplit("/", 1)[-1] if type_iri else "none"


def _type_options(net: RelationData, relations: Iterable[Relation]) -> list[FilterOption]:
    counts = Counter(r.type_key for r in relations)
    return [
        FilterOption(
            type_filter_key(t), net.concept_labels.get(t, t.rsplit("/", 1)[-1]) if t else "type not given", counts[t]
        )
        for t in sorted(counts, key=lambda k: (-counts[k], k))
    ]


def _xy(place: Place) -> tuple[float | None, float | None, str]:
    return place.lat, place.lon, place.country


def _country_centroids(net: RelationData, codes: list[str]) -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for p in net.places.values():
        if p.lat is not None and p.lon is not None and p.country:
            s = sums[p.country]
            s[0] += p.lat
            s[1] += p.lon
            s[2] += 1
    return {cc: geo_xy(sums[cc][0] / sums[cc][2], sums[cc][1] / sums[cc][2]) for cc in codes if cc in sums}


def _check_code(net: RelationData, code: str) -> str:
    cc = code.strip().upper()
    if len(cc) != 2 or not cc.isalpha():
        raise InputError(f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. IT, JP)")
    if cc not in net.countries and cc not in net.place_column("country"):
        raise InputError(f"no country with code {cc} in the graph")
    return cc


_fold = functools.lru_cache(maxsize=1 << 16)(fold)


def search_key(place: Place) -> str:
    """Folded names of a place, separated by ``|``, for the page's search box."""
    return "|".join(dict.fromkeys(_fold(n) for n in (place.label, *place.names) if n))


def short_iri(iri: str) -> str:
    """``gkid:place/Q20103`` for a graphkit id (the common case, without a prefix search), else a CURIE.

    >>> short_iri("https://w3id.org/graphkit/id/place/Q20103")
    'gkid:place/Q20103'
    """
    base = str(ID)
    return "gkid:" + iri[len(base) :] if iri.startswith(base) else curie(URIRef(iri))


def _fold_all(*names: str) -> str:
    return "|".join(dict.fromkeys(fold(n) for n in names if n))
