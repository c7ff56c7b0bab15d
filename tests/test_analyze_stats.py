"""The statistics table against values known independently: hand-derived on a path, a star, K4 and a
real slice of the twin-town network, and KONECT's published figures for the Zachary karate club.
Both backends (networkx, igraph) must give the same answers."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations

import networkx as nx
import pytest

from graphkit.analyze import centrality, communities, reciprocity, stats
from graphkit.analyze.edgelist import read_edge_list
from graphkit.errors import InputError

from .conftest import REPO

SLICE = REPO / "tests" / "fixtures" / "analyze" / "perugia-assisi-slice.txt"
BACKENDS = ["networkx", "igraph"]


def slice_graph() -> nx.Graph:
    return nx.Graph(read_edge_list(SLICE).pairs)


def karate() -> nx.Graph:
    return nx.Graph(nx.karate_club_graph().edges())  # structure only


# Expected values, derived by hand (see the comments) -------------------------------------------
EXPECTED = {
    # a-b-c-d: degrees 1,2,2,1; distances 1,1,1,2,2,3; edge-end degree pairs give r = -1/2;
    # γ = 1 + 4/(2 ln 2); Gini = 2(1+2+6+8)/(4*6) - 5/4 = 1/6.
    "path4": dict(
        nodes=4, edges=3, max_degree=2, mean_degree=1.5, lcc_nodes=4, triangles=0, transitivity=0.0,
        assortativity=-0.5, diameter=3, mean_distance=10 / 6, power_law_exponent=1 + 4 / (2 * math.log(2)),
        gini=1 / 6,
    ),
    # a centre and 5 leaves: 5 pairs at distance 1, 10 at distance 2; every edge joins degree 5 to 1 (r = -1);
    # γ = 1 + 6/ln 5; Gini = 2(15 + 30)/(6*10) - 7/6 = 1/3.
    "star5": dict(
        nodes=6, edges=5, max_degree=5, mean_degree=10 / 6, lcc_nodes=6, triangles=0, transitivity=0.0,
        assortativity=-1.0, diameter=2, mean_distance=25 / 15, power_law_exponent=1 + 6 / math.log(5), gini=1 / 3,
    ),
    # K4: every triple closed; all degrees equal, so assortativity and γ are undefined and Gini is 0.
    "k4": dict(
        nodes=4, edges=6, max_degree=3, mean_degree=3.0, lcc_nodes=4, triangles=4, transitivity=1.0,
        assortativity=None, diameter=1, mean_distance=1.0, power_law_exponent=None, gini=0.0,
    ),
    # The real slice: degrees Perugia 6, Assisi 4, Aix 2, Tübingen 2, eight leaves. Wedges 15+6+1+1 = 23,
    # one triangle → c = 3/23. LCC = Perugia's 7 cities, 7 edges, every other pair at distance 2 → 35/21.
    # r = (Σ 2 d_u d_v/22 - μ²)/(Σ d³/22 - μ²) with Σ d_u d_v = 68, Σ d² = 68, Σ d³ = 304 → -1632/2064.
    # γ = 1 + 12/(ln 6 + 4 ln 2); Gini = 2*190/(12*22) - 13/12.
    "slice": dict(
        nodes=12, edges=11, max_degree=6, mean_degree=22 / 12, lcc_nodes=7, triangles=1, transitivity=3 / 23,
        assortativity=float(Fraction(-1632, 2064)), diameter=2, mean_distance=35 / 21,
        power_law_exponent=1 + 12 / (math.log(6) + 4 * math.log(2)), gini=2 * 190 / (12 * 22) - 13 / 12,
    ),
    # Zachary karate club, KONECT's published statistics (konect.cc/networks/ucidata-zachary), rounded as
    # published; the mean distance is the exact one (2702/1122), see test_karate_mean_distance_is_exact.
    "karate": dict(
        nodes=34, edges=78, max_degree=17, mean_degree=4.58824, lcc_nodes=34, triangles=45, transitivity=0.255682,
        assortativity=-0.475613, diameter=5, mean_distance=2702 / 1122, power_law_exponent=1.78096, gini=0.385370,
    ),
}  # fmt: skip

GRAPHS = {
    "path4": lambda: nx.path_graph(4),
    "star5": lambda: nx.star_graph(5),
    "k4": lambda: nx.complete_graph(4),
    "slice": slice_graph,
    "karate": karate,
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_statistics_table_matches_known_values(name, backend):
    got = stats.network_stats(GRAPHS[name](), backend=backend).as_dict()
    assert list(got) == list(stats.STAT_KEYS)
    for key, want in EXPECTED[name].items():
        if want is None:
            assert got[key] is None, key
        elif isinstance(want, int) and not isinstance(want, bool):
            assert got[key] == want, key
        else:
            assert got[key] == pytest.approx(want, abs=5e-6), key


def test_karate_tail_power_law_matches_konect():
    fit = stats.tail_power_law(d for _, d in karate().degree())
    assert fit.xmin == 2  # KONECT: "2.1610 (dmin = 2)"
    assert fit.exponent == pytest.approx(2.161, abs=5e-4)
    assert fit.tail_size == 33


def test_karate_mean_distance_is_exact():
    """KONECT publishes 2.44326 (an approximation of the distance distribution); exact BFS gives 2702/1122."""
    G = karate()
    total = sum(sum(d.values()) for _, d in nx.all_pairs_shortest_path_length(G))
    assert total == 2702
    assert stats.distances(G, backend="igraph").mean_distance == pytest.approx(2702 / 1122)


def test_brute_force_on_a_random_graph_with_components():
    """An independent brute-force computation of every statistic on a random graph with several components."""
    G = nx.gnm_random_graph(40, 45, seed=7)
    G.remove_nodes_from([u for u, d in list(G.degree()) if d == 0])
    nodes = list(G)
    tri = sum(1 for a, b, c in combinations(nodes, 3) if G.has_edge(a, b) and G.has_edge(b, c) and G.has_edge(a, c))
    deg = dict(G.degree())
    s = sum(d * (d - 1) // 2 for d in deg.values())
    lcc = max(nx.connected_components(G), key=len)
    # Floyd–Warshall on the LCC
    idx = {u: i for i, u in enumerate(lcc)}
    inf = float("inf")
    dist = [[0 if i == j else inf for j in range(len(lcc))] for i in range(len(lcc))]
    for u, v in G.subgraph(lcc).edges():
        dist[idx[u]][idx[v]] = dist[idx[v]][idx[u]] = 1
    for k in range(len(lcc)):
        for i in range(len(lcc)):
            for j in range(len(lcc)):
                if dist[i][k] + dist[k][j] < dist[i][j]:
                    dist[i][j] = dist[i][k] + dist[k][j]
    off = [dist[i][j] for i in range(len(lcc)) for j in range(len(lcc)) if i != j]
    xs = [deg[u] for u, v in G.edges()] + [deg[v] for u, v in G.edges()]
    ys = [deg[v] for u, v in G.edges()] + [deg[u] for u, v in G.edges()]
    mx = sum(xs) / len(xs)
    r = sum((x - mx) * (y - mx) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    ds = list(deg.values())
    gini = sum(abs(a - b) for a in ds for b in ds) / (2 * len(ds) ** 2 * (sum(ds) / len(ds)))
    dmin = min(ds)
    gamma = 1 + len(ds) / sum(math.log(d / dmin) for d in ds)
    want = dict(
        nodes=len(nodes), edges=G.number_of_edges(), max_degree=max(ds),
        mean_degree=2 * G.number_of_edges() / len(nodes),
        lcc_nodes=len(lcc), triangles=tri, transitivity=3 * tri / s, assortativity=r, diameter=max(off),
        mean_distance=sum(off) / len(off), power_law_exponent=gamma, gini=gini,
    )  # fmt: skip
    assert nx.number_connected_components(G) > 1
    for backend in BACKENDS:
        got = stats.network_stats(G, backend=backend).as_dict()
        assert got == pytest.approx(want), backend


def test_transitivity_functions_agree_with_the_table():
    G = karate()
    assert stats.transitivity(G, backend="networkx") == pytest.approx(stats.transitivity(G, backend="igraph"))
    assert stats.transitivity(G) == pytest.approx(stats.network_stats(G).transitivity)
    assert stats.transitivity(nx.path_graph(2)) is None


def test_sampled_distances_are_marked_estimated():
    G = nx.cycle_graph(200)  # every node has eccentricity 100; mean distance exactly 100*100/199
    s = stats.network_stats(G, exact_distance_limit=50)
    assert set(s.estimated) == {"power_law_exponent", "diameter", "mean_distance"}
    assert s.diameter == 100 and s.mean_distance == pytest.approx(100 * 100 / 199)
    assert stats.network_stats(G).estimated == ("power_law_exponent",)


def test_empty_graph_and_directed_graph():
    s = stats.network_stats(nx.Graph())
    assert (s.nodes, s.edges, s.mean_degree, s.diameter, s.gini) == (0, 0, None, None, None)
    with pytest.raises(InputError):
        stats.network_stats(nx.DiGraph([(1, 2)]))


# Both backends agree ------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [karate, slice_graph, lambda: nx.gnm_random_graph(60, 90, seed=3)])
def test_centralities_agree_between_backends(make):
    G = make()
    for fn in (centrality.betweenness, centrality.eigenvector):
        a, b = fn(G, backend="networkx"), fn(G, backend="igraph")
        assert a.keys() == b.keys()
        assert max(abs(a[u] - b[u]) for u in a) < 1e-6, fn.__name__


def test_betweenness_known_values():
    # Star: the centre lies on all C(5,2) = 10 leaf pairs → normalised 1; path a-b-c-d: b on (a,c),(a,d) → 2/3.
    assert centrality.betweenness(nx.star_graph(5))[0] == pytest.approx(1.0)
    b = centrality.betweenness(nx.path_graph(4))
    assert b == pytest.approx({0: 0.0, 1: 2 / 3, 2: 2 / 3, 3: 0.0})


def test_louvain_backends_agree_on_clear_structure():
    G = nx.ring_of_cliques(5, 5)  # five K5 joined in a ring: the cliques are the communities
    expected = sorted(sorted(range(i * 5, i * 5 + 5)) for i in range(5))
    for backend in BACKENDS:
        p = communities.louvain(G, backend=backend, seed=1)
        assert sorted(sorted(c) for c in p.communities) == expected, backend
    qs = [communities.louvain(G, backend=b).modularity for b in BACKENDS]
    assert qs[0] == pytest.approx(qs[1])
    assert qs[0] == pytest.approx(nx.community.modularity(G, [set(c) for c in expected]))


def test_louvain_on_karate_is_reproducible_and_good():
    G = karate()
    for backend in BACKENDS:
        first, again = communities.louvain(G, backend=backend, seed=7), communities.louvain(G, backend=backend, seed=7)
        assert first.communities == again.communities
        assert first.modularity > 0.41  # the best known modularity of karate is 0.4198
        assert sorted(first.membership) == sorted(G)


def test_triad_census_backends_agree():
    D = nx.gnp_random_graph(15, 0.2, seed=5, directed=True)
    a = reciprocity.triad_census(D, backend="networkx")
    assert a == reciprocity.triad_census(D, backend="igraph")
    assert sum(a.values()) == math.comb(15, 3)


def test_triad_census_hand_checked():
    # a↔b, b→c: one mutual dyad, one asymmetric dyad leaving the mutual pair, one null dyad → type 111U
    D = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    census = reciprocity.triad_census(D)
    assert census["111U"] == 1 and sum(census.values()) == 1
