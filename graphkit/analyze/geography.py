"""Where partners are: great-circle distances, country homophily and mixing, population assortativity.

- :func:`partner_distances`: haversine distance in km (mean Earth radius 6371.0088 km) for every
  edge whose two ends have coordinates.
- :func:`country_homophily`: share of domestic pairs among pairs whose countries are both known,
  and Newman's nominal assortativity by country.
- :func:`country_pair_matrix` / :func:`top_country_pairs`: pairs of municipalities per pair of
  countries (the diagonal holds domestic pairs).
- :func:`population_assortativity`: Pearson correlation of the populations at both ends of the
  edges (both orientations, Newman's numeric assortativity) over the edges where both are known,
  on raw and on log10 populations (populations are heavy-tailed; the log version is the one to read).

>>> round(haversine_km(0, 0, 0, 1), 3)  # one degree of the equator: 2π·6371.0088/360
111.195
>>> round(haversine_km(43.07, 12.6175, 34.213, 135.622))  # Assisi – Kōya
9658
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graphkit.places.geodesy import haversine_km


def _coords(G: nx.Graph, u: Any) -> tuple[float, float] | None:
    lat, lon = G.nodes[u].get("lat"), G.nodes[u].get("lon")
    return None if lat is None or lon is None else (float(lat), float(lon))


def partner_distances(G: nx.Graph) -> list[float]:
    """Great-circle km of every edge with coordinates at both ends, in edge order."""
    out = []
    for u, v in G.edges():
        a, b = _coords(G, u), _coords(G, v)
        if a is not None and b is not None:
            out.append(haversine_km(*a, *b))
    return out


@dataclass(frozen=True)
class DistanceSummary:
    """Summary of partner distances (km); ``missing`` edges lack coordinates at one end."""

    count: int
    missing: int
    mean: float | None
    median: float | None
    p10: float | None
    p90: float | None
    maximum: float | None
    share_within_500km: float | None


def _quantile(xs: Sequence[float], q: float) -> float:
    """Linear-interpolation quantile of sorted ``xs`` (numpy's default)."""
    pos = (len(xs) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def distance_summary(G: nx.Graph, distances: Sequence[float] | None = None) -> DistanceSummary:
    """Count, mean, median, 10th/90th percentiles, maximum and share under 500 km."""
    ds = sorted(partner_distances(G) if distances is None else distances)
    missing = G.number_of_edges() - len(ds)
    if not ds:
        return DistanceSummary(0, missing, None, None, None, None, None, None)
    return DistanceSummary(
        len(ds),
        missing,
        sum(ds) / len(ds),
        _quantile(ds, 0.5),
        _quantile(ds, 0.1),
        _quantile(ds, 0.9),
        ds[-1],
        sum(1 for d in ds if d <= 500) / len(ds),
    )


@dataclass(frozen=True)
class Homophily:
    """Domestic vs international pairs and the nominal assortativity by country."""

    domestic_pairs: int
    international_pairs: int
    unknown_pairs: int
    domestic_share: float | None
    country_assortativity: float | None


def country_homophily(G: nx.Graph) -> Homophily:
    """Share of same-country pairs and Newman's assortativity coefficient by country.

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "IT", "b": "IT", "c": "JP", "d": "JP"}, "country")
    >>> h = country_homophily(G)
    >>> h.domestic_pairs, h.international_pairs, round(h.domestic_share, 3), round(h.country_assortativity, 3)
    (2, 1, 0.667, 0.333)
    """
    domestic = international = unknown = 0
    for u, v in G.edges():
        a, b = G.nodes[u].get("country"), G.nodes[v].get("country")
        if a is None or b is None:
            unknown += 1
        elif a == b:
            domestic += 1
        else:
            international += 1
    known = domestic + international
    r = None
    if known:
        H = G.subgraph(u for u, c in G.nodes(data="country") if c is not None)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = nx.attribute_assortativity_coefficient(H, "country")
        r = None if math.isnan(value) else float(value)
    return Homophily(domestic, international, unknown, domestic / known if known else None, r)


def country_pair_counts(G: nx.Graph) -> Counter[tuple[str, str]]:
    """Municipality pairs per unordered pair of country codes (``(a, b)`` with ``a <= b``)."""
    counts: Counter[tuple[str, str]] = Counter()
    for u, v in G.edges():
        a, b = G.nodes[u].get("country"), G.nodes[v].get("country")
        if a is not None and b is not None:
            counts[(a, b) if a <= b else (b, a)] += 1
    return counts


def top_country_pairs(G: nx.Graph, n: int = 10) -> list[tuple[str, str, int]]:
    """The ``n`` country pairs with most municipality pairs (ties by codes).

    >>> G = nx.Graph([("a", "b"), ("c", "b"), ("a", "c")])
    >>> nx.set_node_attributes(G, {"a": "IT", "b": "JP", "c": "IT"}, "country")
    >>> top_country_pairs(G)
    [('IT', 'JP', 2), ('IT', 'IT', 1)]
    """
    counts = country_pair_counts(G)
    return [(a, b, c) for (a, b), c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def country_pair_matrix(G: nx.Graph, countries: Sequence[str] | None = None) -> Any:
    """A symmetric pandas DataFrame of pairs between countries (all, or the given ones, in order)."""
    import pandas as pd

    counts = country_pair_counts(G)
    codes = list(countries) if countries is not None else sorted({c for pair in counts for c in pair})
    frame = pd.DataFrame(0, index=codes, columns=codes, dtype=int)
    wanted = set(codes)
    for (a, b), c in counts.items():
        if a in wanted and b in wanted:
            frame.loc[a, b] = c
            frame.loc[b, a] = c
    return frame


def busiest_countries(G: nx.Graph, n: int = 20) -> list[str]:
    """Countries by number of relation ends (sum of degrees of their municipalities), most first."""
    ends: Counter[str] = Counter()
    for u, d in G.degree():
        c = G.nodes[u].get("country")
        if c is not None and d:
            ends[c] += d
    return [c for c, _ in sorted(ends.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


@dataclass(frozen=True)
class PopulationAssortativity:
    """Population assortativity over the ``edges`` whose two ends have a population."""

    edges: int
    raw: float | None
    log10: float | None


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return None if sxx == 0 or syy == 0 else sxy / math.sqrt(sxx * syy)


def population_assortativity(G: nx.Graph) -> PopulationAssortativity:
    """Do big cities twin with big cities? Pearson r of populations at both ends (both orientations).

    >>> G = nx.Graph([("a", "b"), ("c", "d"), ("a", "d")])
    >>> nx.set_node_attributes(G, {"a": 1000, "b": 2000, "c": 10, "d": 20}, "population")
    >>> p = population_assortativity(G)
    >>> p.edges, round(p.raw, 4) == round(nx.numeric_assortativity_coefficient(G, "population"), 4)
    (3, True)
    """
    xs: list[float] = []
    ys: list[float] = []
    for u, v in G.edges():
        a, b = G.nodes[u].get("population"), G.nodes[v].get("population")
        if a is None or b is None or a <= 0 or b <= 0:
            continue
        xs += [float(a), float(b)]
        ys += [float(b), float(a)]
    logs_x = [math.log10(x) for x in xs]
    logs_y = [math.log10(y) for y in ys]
    return PopulationAssortativity(len(xs) // 2, _pearson(xs, ys), _pearson(logs_x, logs_y))
