"""Views without a browser: what each view extracts from the graph, escaping, the page's offline
shape, files, notebook display, name resolution and the CLI. (The browser tests are in
test_viz_browser.py.)"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re

import pytest

from graphkit.errors import InputError
from graphkit.rdf.namespaces import place_iri
from graphkit.store.open import open_graph
from graphkit.synthetic.views import views_store
from graphkit.viz import (
    AmbiguousNameError,
    NameNotFoundError,
    country_view,
    ego_view,
    knowledge_view,
    read_relations,
    world_view,
)
from graphkit.viz.layout import geo_xy
from graphkit.viz.render import render_html
from graphkit.viz.safejson import fold, script_json

from .conftest import REPO, run_cli

SMALL = REPO / "tests" / "fixtures" / "viz-small.ttl"
HOSTILE = ["<img src=x onerror=alert(1)>", "</script><script>window.__pwned=1</script>"]


@pytest.fixture(scope="module")
def small_store():
    return open_graph([SMALL, REPO / "ontology" / "vocab.ttl", REPO / "ontology" / "graphkit.ttl"])


@pytest.fixture(scope="module")
def small_net(small_store):
    return read_relations(small_store)


def count(store, query: str) -> int:
    return int(store.query(query).rows[0][0])


def page_json(html: str, block: str):
    m = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', html, re.S)
    assert m, block
    return json.loads(m.group(1))


# ---------------------------------------------------------------- escaping


def test_script_json_escapes_everything_that_could_end_or_confuse_a_script():
    hostile = "</script><!-- <img src=x onerror=alert(1)> & \u2028\u2029"
    text = script_json({"t": hostile})
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == {"t": hostile}


def test_hostile_labels_never_appear_as_markup_in_the_page(small_store):
    html = world_view(small_store).html()
    for label in HOSTILE:
        assert label not in html
    assert "<img" not in html
    # ... yet the data carries them unchanged, as text
    labels = {n["label"] for n in page_json(html, "gk-nodes")}
    assert set(HOSTILE) <= labels
    # the only script elements are vis-network, the page script and the three JSON blocks
    assert len(re.findall(r"<script\b", html)) == 5


def test_heading_is_html_escaped():
    from graphkit.viz.model import ViewData

    html = render_html(ViewData(kind="demo", title="<b>Łódź</b> & 高野町"))
    assert "<title>&lt;b&gt;Łódź&lt;/b&gt; &amp; 高野町</title>" in html


def test_fold_matches_names_as_the_search_box_does():
    assert fold("ŁÓDŹ") == fold("lodz") == "lodz"
    assert fold("São  Paulo") == "sao paulo"
    assert fold("高野町") == "高野町"


# ---------------------------------------------------------------- offline page


def test_page_is_self_contained_and_its_csp_allows_exactly_its_own_scripts(small_store):
    html = ego_view(small_store, "Łódź").html()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "bootstrap" not in html.lower() and "tom-select" not in html.lower() and "<link" not in html
    assert "vis-network" in html and "@version 10.1.5" in html
    from html import unescape

    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp and "unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_writing_is_utf8_atomic_and_leaves_the_cwd_alone(small_store, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    target = tmp_path / "views" / "pair.html"
    view = country_view(small_store, "IT", "JP")
    assert view.write(target) == target
    assert list(cwd.iterdir()) == []  # no lib/, no index.html
    assert [p.name for p in target.parent.iterdir()] == ["pair.html"]  # no temp file left behind
    data = target.read_bytes()
    assert "高野町".encode() in data and data.decode("utf-8") == view.html()


def test_rendering_is_deterministic(small_store):
    assert ego_view(small_store, "Assisi", depth=2).html() == ego_view(small_store, "Assisi", depth=2).html()
    assert world_view(small_store).html() == world_view(small_store).html()


def _through_pyvis(view) -> str:
    """The page as pyvis renders it: a Network holding the lists in bulk, generate_html() with our template."""
    from pyvis.network import Network

    from graphkit.viz import render

    real = render._environment
    captured = {}

    def capture(globals_):
        captured["env"] = real(globals_)
        return captured["env"]

    render._environment = capture
    try:
        render.render_html(view)  # builds the same template globals
    finally:
        render._environment = real
    net = Network(height="100%", width="100%", directed=view.directed, heading=view.title, cdn_resources="in_line")
    net.nodes = [n.to_vis() for n in view.nodes]
    net.edges = [e.to_vis() for e in view.edges]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.options = render.vis_options(view)
    net.templateEnv = captured["env"]
    net.path = render.TEMPLATE_NAME
    return net.generate_html(name="view.html", notebook=False)


def test_the_page_is_what_pyvis_renders_from_the_same_lists_without_importing_it(small_store):
    import subprocess
    import sys

    for view in (world_view(small_store), ego_view(small_store, "Assisi", depth=2), country_view(small_store)):
        assert view.html() == _through_pyvis(view.data)
    code = (
        "import sys; from graphkit.store.open import open_graph; from graphkit.viz import ego_view; "
        f"ego_view(open_graph([{str(REPO / 'data' / 'seed' / 'assisi-koya.ttl')!r}]), 'Assisi').html(); "
        "print(sorted(m for m in ('pyvis', 'IPython', 'jsonpickle') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"  # a view is drawn without pyvis's imports


def test_notebook_display_is_an_isolated_iframe(small_store):
    view = knowledge_view(small_store, "Assisi")
    frame = view._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in frame
    assert "<script" not in frame  # the page is inside the attribute, escaped
    from html import unescape

    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert unescape(srcdoc) == view.html()
    assert view.display().data == frame


# ---------------------------------------------------------------- what each view shows


def test_world_has_every_place_and_relation_placed_by_coordinates(small_store):
    view = world_view(small_store)
    places = count(
        small_store,
        """SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
             { ?p a gk:Municipality } UNION { ?r a gk:MunicipalRelation ; gk:party ?p } }""",
    )
    relations = count(small_store, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a gk:MunicipalRelation }")
    assert view.data.counts() == {"nodes": places, "edges": relations} == {"nodes": 11, "edges": 8}
    by_label = {n.label: n for n in view.data.nodes}
    assert (by_label["Assisi"].x, by_label["Assisi"].y) == geo_xy(43.07, 12.6175)
    paris = by_label["Paris"]  # no coordinates: drawn (as a ring) in France, not in a block below the map
    assert paris.approximate and -5 * 40 < paris.x < 8 * 40 and -52 * 40 < paris.y < -44 * 40
    assert {o.key for o in view.data.country_filter} == {"IT", "JP", "PL", "BR", "DE", "FR"}
    assert {o.key: o.count for o in view.data.type_filter}["partnership"] == 4


def test_ego_network_depth_styles_and_sizes(small_store):
    one = ego_view(small_store, "Assisi", depth=1).data
    two = ego_view(small_store, "Assisi", depth=2).data
    assert sorted(n.label for n in one.nodes) == ["Assisi", "Kōya", "Łódź"]
    assert sorted(n.label for n in two.nodes) == sorted(
        ["Assisi", "Kōya", "Łódź", "São Paulo", "Frankfurt", "<img src=x onerror=alert(1)>"]
    )
    nodes = {n.label: n for n in two.nodes}
    assert nodes["Łódź"].size > nodes["São Paulo"].size  # 3 partners vs 1
    assert len({nodes[x].color for x in ("Assisi", "Kōya", "Łódź", "São Paulo")}) == 4  # one colour per country
    edges = {e.title.splitlines()[0]: e for e in two.edges}
    ended = edges["Assisi — Łódź"]
    assert ended.dashes and ended.title.splitlines()[1:3] == ["twinning · terminated", "1994 – 2022"]
    assert not edges["Assisi — Kōya"].dashes
    assert edges["Assisi — Kōya"].color != edges["Łódź — São Paulo"].color  # MoU vs generic partnership
    legend = [item.label for item in two.legend]
    assert "memorandum of understanding: 1" in legend and any(x.startswith("dashed") for x in legend)


def test_ego_layout_is_centred_and_big_egos_use_rings():
    store = views_store(1500, 3000, seed=3, special_names=True)
    view = ego_view(store, "Łódź", depth=2).data
    assert len(view.nodes) > 300  # over the force-layout limit: rings by hop distance
    centre = next(n for n in view.nodes if n.label == "Łódź")
    assert (centre.x, centre.y) == (0.0, 0.0)
    radii = {round((n.x**2 + n.y**2) ** 0.5) for n in view.nodes}
    assert len(radii) == 3  # the centre, partners, partners of partners


def test_country_pair_view_has_every_relation_between_the_two(small_store):
    view = country_view(small_store, "it", "JP").data
    expected = count(
        small_store,
        """SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {
             ?r a gk:MunicipalRelation ; gk:party ?a , ?b .
             ?a gk:country/gk:countryCode "IT" . ?b gk:country/gk:countryCode "JP" }""",
    )
    assert len(view.edges) == expected == 2
    assert sorted(n.label for n in view.nodes) == ["Assisi", "Florence", "Kyoto", "Kōya"]
    xs = {n.label: n.x for n in view.nodes}
    assert max(xs["Assisi"], xs["Florence"]) < 0 < min(xs["Kyoto"], xs["Kōya"])  # Italy left, Japan right
    kyoto_florence = next(e for e in view.edges if "Kyoto" in e.title)
    assert "listed by one side only: Kyoto" in kyoto_florence.title
    assert "since 1965" in kyoto_florence.title and "sources: test-list" in kyoto_florence.title
    assert view.sources == [("test-list", "Test list of partners")]  # the page lists the full titles


def test_country_graph_aggregates_relations_per_country_pair():
    store = views_store(400, 900, seed=5)
    view = country_view(store).data
    rows = store.query(
        """SELECT ?ca ?cb (COUNT(?r) AS ?n) WHERE {
             ?r a gk:MunicipalRelation ; gk:party ?a , ?b .
             ?a gk:country/gk:countryCode ?ca . ?b gk:country/gk:countryCode ?cb . FILTER(?ca < ?cb)
           } GROUP BY ?ca ?cb"""
    ).records()
    expected = {(r["ca"], r["cb"]): r["n"] for r in rows}
    code = {n.id: n.country for n in view.nodes}
    got = {tuple(sorted((code[e.source], code[e.target]))): int(e.title.splitlines()[1].split()[0]) for e in view.edges}
    assert got == expected
    widest = max(view.edges, key=lambda e: e.width)
    assert tuple(sorted((code[widest.source], code[widest.target]))) == max(expected, key=expected.get)


def test_knowledge_view_of_the_seed(seed_store):
    view = knowledge_view(seed_store, "Assisi").data
    labels = {n.label.split("\n")[0] for n in view.nodes}
    assert {
        "Assisi",
        "Kōya",
        "Assisi – Kōya memorandum of understanding",
        "Assisi – Kōya memorandum of understanding (2009)",
        "Meeting on relations between Italian and Japanese local governments, Rome",
        "Japanese Cultural Institute in Rome",
        "Embassy of Japan in Italy",
        "Valter Stoppini",
        "Fabrizio Leggio",
        "Mayor of Assisi",
        "Councillor for tourism of Assisi",
    } <= labels
    shapes = {n.group: n.shape for n in view.nodes}
    assert shapes["municipality"] == "dot" and shapes["meeting"] == "star" and shapes["person"] == "triangleDown"
    assert len({n.color for n in view.nodes if n.group in ("municipality", "meeting", "agreement")}) == 3
    by_id = {n.id: n.label.split("\n")[0] for n in view.nodes}
    links = {(by_id[e.source], e.label, by_id[e.target]) for e in view.edges}
    assert ("Assisi – Kōya memorandum of understanding", "formalised by",
            "Assisi – Kōya memorandum of understanding (2009)") in links  # fmt: skip
    assert ("Meeting on relations between Italian and Japanese local governments, Rome", "venue",
            "Japanese Cultural Institute in Rome") in links  # fmt: skip
    assert ("Mayor of Assisi", "post in", "Assisi") in links
    mou = next(n for n in view.nodes if n.label == "Assisi – Kōya memorandum of understanding (2009)")
    assert "signing date: 2009" in mou.title.splitlines()
    assert "sources: Assisi al centro del confronto istituzionale tra Italia e Giappone a Roma" in mou.title
    assert {"municipality", "agreement", "meeting", "person", "office (post)", "embassy / institute"} <= {
        item.label for item in view.legend
    }


def test_knowledge_view_leaves_out_sources_evidence_and_concepts(seed_store):
    keys = {n.key for n in knowledge_view(seed_store, "gkid:place/Q20103").data.nodes}
    assert not any(k.startswith(("gkid:source/", "gkid:evidence/", "reltype:", "sector:")) for k in keys)


# ---------------------------------------------------------------- names


def test_names_resolve_by_any_label_qid_or_curie(small_net):
    from graphkit.viz.resolve import resolve_place

    koya = str(place_iri(qid="Q1346907"))
    assert resolve_place(small_net, "kōya") == resolve_place(small_net, "高野町") == koya
    assert resolve_place(small_net, "Q1346907") == resolve_place(small_net, "gkid:place/Q1346907") == koya
    assert resolve_place(small_net, "LODZ") == str(place_iri(qid="Q580"))


def test_ambiguous_name_lists_every_candidate_with_country_and_iri(small_store):
    with pytest.raises(AmbiguousNameError) as e:
        ego_view(small_store, "Frankfurt")
    msg = str(e.value)
    assert "2 places" in msg and msg.count("Germany") == 2
    assert str(place_iri(qid="Q1794")) in msg and str(place_iri(qid="Q4024")) in msg
    assert ego_view(small_store, str(place_iri(qid="Q4024"))).data.counts() == {"nodes": 2, "edges": 1}


def test_unknown_names_and_codes_are_clear_errors(small_store):
    with pytest.raises(NameNotFoundError, match="no municipality named 'Frankfort'"):
        ego_view(small_store, "Frankfort")
    with pytest.raises(NameNotFoundError, match="similar names: Frankfurt"):
        ego_view(small_store, "Frank")
    with pytest.raises(InputError, match="not an ISO 3166-1"):
        country_view(small_store, "ITA", "JP")
    with pytest.raises(InputError, match="no country with code XX"):
        country_view(small_store, "IT", "XX")
    with pytest.raises(NameNotFoundError):
        knowledge_view(small_store, "Atlantis")


# ---------------------------------------------------------------- CLI


def test_cli_writes_views_under_out_views_and_reports_name_errors(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("view", "ego", "Łódź", "--depth", "2", "--graph", str(SMALL), "--out", str(out), check=True)
    written = out / "views" / "ego-lodz-k2.html"
    assert os.listdir(out / "views") == ["ego-lodz-k2.html"]
    assert f"wrote {written} (5 nodes, 4 edges)" in proc.stderr
    assert not (REPO / "lib").exists() and not (tmp_path / "lib").exists()
    proc = run_cli("view", "ego", "Frankfurt", "--graph", str(SMALL), "--out", str(out))
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Frankfurt (municipality, Germany)" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_cli("view", "countries", "IT", "--graph", str(SMALL), "--out", str(out))
    assert proc.returncode == 1 and "two country codes" in proc.stderr


def test_knowledge_view_follows_relations_from_the_entity_only(small_store):
    view = knowledge_view(small_store, "Assisi").data
    labels = {n.label for n in view.nodes}
    assert {"Assisi", "Kōya", "Łódź", "Italy", "Japan", "Poland"} <= labels
    assert "São Paulo" not in labels and "Frankfurt" not in labels  # Łódź's own partners: the ego view's job
    relations = [n for n in view.nodes if n.group == "municipal relation"]
    assert sorted(n.label for n in relations) == ["1994", "2009"]  # no label: the shape and the start year
    ended = next(n for n in relations if n.label == "1994")
    assert ended.title.splitlines()[:2] == ["Assisi — Łódź", "municipal relation"]
    assert "relation type: twinning" in ended.title and "status: terminated" in ended.title


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_spring_layout_is_networkx_spring_layout_bit_for_bit(seed):
    import random

    import networkx as nx

    from graphkit.viz.layout import LAYOUT_SEED, graph_layout
    from graphkit.viz.spring import spring_layout

    rng = random.Random(seed)
    n = rng.randint(81, 320)
    nodes = sorted(f"p{i:03d}" for i in range(n))
    edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(n // 2, 3 * n))]  # self-loops too
    edges.append(("p000", "extra"))  # a node only an edge names comes last, as in networkx
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    expected = nx.spring_layout(g, seed=LAYOUT_SEED, iterations=100)
    ours = spring_layout(nodes, edges, seed=LAYOUT_SEED, iterations=100)
    assert list(ours) == list(expected) and list(ours)[-1] == "extra"
    assert all(ours[k] == (float(x), float(y)) for k, (x, y) in expected.items())
    scale = 110.0 * (len(g) ** 0.5)
    cx, cy = expected["p000"]
    assert graph_layout(nodes, edges, center="p000") == {
        k: (round(float(x - cx) * scale, 1), round(float(y - cy) * scale, 1)) for k, (x, y) in expected.items()
    }


def test_rings_of_a_big_ego_are_networkx_breadth_first_order():
    import networkx as nx

    from graphkit.relations.read import read_relations
    from graphkit.viz.municipal import _bfs_parents
    from graphkit.viz.resolve import resolve_place

    net = read_relations(views_store(1500, 3000, seed=3, special_names=True))
    centre = resolve_place(net, "Łódź")
    for depth in (1, 2, 3):
        members, _ = net.ego(centre, depth)
        expected = list(nx.bfs_predecessors(net.graph().subgraph(members), centre, sort_neighbors=sorted))
        assert list(_bfs_parents(net, centre, members).items()) == expected
