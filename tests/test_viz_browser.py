"""The views in a real browser: Debian's headless Chromium, driven by Playwright, network blocked.

Each view is opened from file:// with every other request aborted (and recorded). Checked: no
console error, no request leaves the file, the canvas is drawn, the page's data has as many
nodes/edges as the graph, tooltips and the details panel show the right text, the search box
finds a municipality, filters work, hostile labels are inert text, non-Latin names display; the
maps draw country outlines, the Italy–Japan view names every town, places without coordinates are
listed in the side panel; a dossier shows the seed facts and every exported partner, with a map.
Each test saves a screenshot under out/screenshots/ (the path is printed). Chromium missing is a
failure (CI installs it with scripts/setup.sh --browser), never a skip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from graphkit.dossier import dossier_html, gather_dossier, resolve_municipality
from graphkit.rdf.files import write_text_atomic
from graphkit.relations.export import relation_rows
from graphkit.relations.read import read_relations
from graphkit.store.open import open_graph
from graphkit.synthetic.views import views_store
from graphkit.viz import country_view, ego_view, knowledge_view, world_view
from graphkit.viz.render import LABEL_TOP

from .conftest import REPO

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "out" / "screenshots"
SMALL = REPO / "tests" / "fixtures" / "viz-small.ttl"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>window.__pwned=1</script>"


@pytest.fixture(scope="session")
def small_store():
    return open_graph([SMALL, REPO / "ontology" / "vocab.ttl", REPO / "ontology" / "graphkit.ttl"])


@pytest.fixture(scope="session")
def world_store():
    store = views_store(3000, 4500, seed=11, special_names=True, hostile_names=True)
    return store


@dataclass
class Opened:
    page: object
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, script: str, arg: object = None):
        return self.page.evaluate(script, arg)  # type: ignore[attr-defined]


@pytest.fixture
def open_view(browser, tmp_path):
    pages = []

    def _open(view, name: str) -> Opened:
        path = view.write(tmp_path / f"{name}.html")
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        pages.append(page)
        opened = Opened(page)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(f"page error: {e}"))

        def on_dialog(d):
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                opened.requests.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("html[data-gk-ready='1']", state="attached", timeout=30_000)
        page.wait_for_selector("html[data-gk-complete='1']", state="attached", timeout=60_000)
        return opened

    yield _open
    for p in pages:
        p.close()


def screenshot(opened: Opened, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    opened.page.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
    print(f"screenshot: {path}")


def check_page(opened: Opened, nodes: int, edges: int) -> None:
    """No console error, no request, data counts as expected, and a drawn canvas."""
    assert opened.errors == []
    assert opened.requests == []
    data = opened.js(
        """() => [JSON.parse(document.getElementById('gk-nodes').textContent).length,
                 JSON.parse(document.getElementById('gk-edges').textContent).length,
                 gkView.nodes.length, gkView.edges.length]"""
    )
    assert data == [nodes, edges, nodes, edges]
    drawn = opened.js(
        """() => { const c = document.querySelector('#mynetwork canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0;
                   for (let i = 0; i < d.length; i += 4) {
                     if (d[i+3] > 0 && (d[i] < 200 || d[i+1] < 200 || d[i+2] < 200)) n++;
                   }
                   return n; }"""
    )
    assert drawn > 500, f"canvas looks blank ({drawn} coloured pixels)"


def node_id(opened: Opened, label: str) -> int:
    # the map and ego views draw their labels themselves: vis-network gets none, the name is in `name`
    ids = opened.js("(l) => gkView.nodes.getIds({filter: n => (n.name !== undefined ? n.name : n.label) === l})", label)
    assert len(ids) == 1, (label, ids)
    return ids[0]


def hover_tooltip(opened: Opened, nid: int) -> str:
    """Move the mouse onto a node and return the tooltip vis-network shows."""
    x, y = opened.js(
        """(id) => { const net = gkView.network; const d = net.canvasToDOM(net.getPosition(id));
                     const r = document.getElementById('mynetwork').getBoundingClientRect();
                     return [r.left + d.x, r.top + d.y]; }""",
        nid,
    )
    opened.page.mouse.move(x - 3, y - 3)  # type: ignore[attr-defined]
    opened.page.mouse.move(x, y)  # type: ignore[attr-defined]
    tip = opened.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)  # type: ignore[attr-defined]
    return tip.inner_text()


def click_node(opened: Opened, nid: int) -> str:
    x, y = opened.js(
        """(id) => { const net = gkView.network; const d = net.canvasToDOM(net.getPosition(id));
                     const r = document.getElementById('mynetwork').getBoundingClientRect();
                     return [r.left + d.x, r.top + d.y]; }""",
        nid,
    )
    opened.page.mouse.click(x, y)  # type: ignore[attr-defined]
    return opened.page.inner_text("#gk-details")  # type: ignore[attr-defined]


def search(opened: Opened, text: str) -> tuple[str, list[int], str]:
    opened.page.fill("#gk-search", text)  # type: ignore[attr-defined]
    opened.page.press("#gk-search", "Enter")  # type: ignore[attr-defined]
    status = opened.page.inner_text("#gk-search-status")  # type: ignore[attr-defined]
    return status, opened.js("() => gkView.network.getSelectedNodes()"), opened.page.inner_text("#gk-details")  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the views


def test_knowledge_view_of_the_seed(open_view, seed_store):
    view = knowledge_view(seed_store, "Assisi")
    opened = open_view(view, "knowledge-assisi")
    check_page(opened, *view.data.counts().values())
    screenshot(opened, "knowledge-assisi")  # the whole view, before any search moves it
    assert opened.page.inner_text("#gk-title") == "Assisi and its surroundings"
    legend = opened.page.inner_text("#gk-legend")
    assert "meeting" in legend and "office (post)" in legend and "agreement" in legend
    tip = hover_tooltip(opened, node_id(opened, "Kōya"))
    assert tip.splitlines()[:3] == ["Kōya", "municipality", "also: Koya, 高野町"]
    details = click_node(opened, node_id(opened, "Mayor of Assisi"))
    assert details.splitlines()[0] == "Mayor of Assisi" and "role: mayor" in details
    status, selected, details = search(opened, "embassy of japan")
    assert status == "1 match" and selected == [node_id(opened, "Embassy of Japan in Italy")]


def test_ego_view(open_view, small_store):
    view = ego_view(small_store, "Łódź", depth=2)
    opened = open_view(view, "ego-lodz")
    check_page(opened, 5, 4)
    screenshot(opened, "ego-lodz")  # the whole view, before any search moves it
    assert opened.page.inner_text("#gk-title") == "Łódź: partners to depth 2"
    tip = hover_tooltip(opened, node_id(opened, "São Paulo"))
    assert tip.splitlines()[:3] == ["São Paulo", "municipality · Brazil (BR)", "partners: 1"]
    status, selected, details = search(opened, "KOYA")
    assert status == "1 match" and selected == [node_id(opened, "Kōya")]
    assert details.splitlines()[:3] == ["Kōya", "municipality · Japan (JP)", "also: 高野町"]


def test_country_pair_view(open_view, small_store):
    view = country_view(small_store, "IT", "JP")
    opened = open_view(view, "countries-IT-JP")
    check_page(opened, 4, 2)
    screenshot(opened, "countries-IT-JP-small")  # the whole view, before any search moves it
    tip = hover_tooltip(opened, node_id(opened, "Kyoto"))
    assert "also: 京都市" in tip.splitlines()
    status, selected, details = search(opened, "高野町")
    assert status == "1 match" and details.splitlines()[0] == "Kōya"


def test_country_graph_view(open_view, world_store):
    view = country_view(world_store)
    opened = open_view(view, "countries")
    expected_pairs = len(
        world_store.query(
            """SELECT DISTINCT ?ca ?cb WHERE { ?r a gk:MunicipalRelation ; gk:party ?a , ?b .
                 ?a gk:country/gk:countryCode ?ca . ?b gk:country/gk:countryCode ?cb . FILTER(?ca < ?cb) }"""
        )
    )
    countries = len(world_store.query("SELECT DISTINCT ?c WHERE { ?m a gk:Municipality ; gk:country ?c }"))
    check_page(opened, countries, expected_pairs)
    screenshot(opened, "countries")  # the whole view, before any search moves it
    status, selected, details = search(opened, "Country JP")
    assert status == "1 match" and details.splitlines()[0] == "Country JP (JP)"


def test_world_view_search_and_filters(open_view, world_store):
    view = world_view(world_store)
    opened = open_view(view, "world")
    places = len(world_store.query("SELECT ?m WHERE { ?m a gk:Municipality }"))
    relations = len(world_store.query("SELECT ?r WHERE { ?r a gk:MunicipalRelation }"))
    check_page(opened, places, relations)
    # links were streamed in after the first drawing: all of them reached the network
    assert opened.js("() => gkView.network.body.data.edges.length") == relations
    sources = opened.page.inner_text("#gk-sources")  # type: ignore[attr-defined]
    assert "synthetic-0\nSynthetic list A" in sources  # tooltips cite the short name; the page lists the title
    status, selected, details = search(opened, "lodz")
    assert status == "1 match" and selected == [node_id(opened, "Łódź")]
    assert details.splitlines()[1] == "municipality · Country PL (PL)"
    for query, name in (("高野町", "高野町"), ("SAO PAULO", "São Paulo"), ("Łódź", "Łódź")):
        status, selected, details = search(opened, query)
        assert status == "1 match" and selected == [node_id(opened, name)] and details.splitlines()[0] == name
        assert opened.page.inner_text("#gk-search-results").startswith(name)  # type: ignore[attr-defined]
    # the country filter keeps relations with a party in the country, and their parties
    it_edges = len(
        world_store.query(
            """SELECT DISTINCT ?r WHERE { ?r a gk:MunicipalRelation ; gk:party ?p .
                 ?p gk:country/gk:countryCode "IT" }"""
        )
    )
    opened.page.select_option("#gk-filter-country", "IT")  # type: ignore[attr-defined]
    shown = opened.js("() => [gkView.network.body.data.edges.length, gkView.network.body.data.nodes.length]")
    assert shown[0] == it_edges and 0 < shown[1] < places
    assert opened.page.inner_text("#gk-filter-status") == f"showing {shown[1]} nodes, {it_edges} links"
    opened.page.select_option("#gk-filter-type", "twinning")  # type: ignore[attr-defined]
    twin_it = len(
        world_store.query(
            """SELECT DISTINCT ?r WHERE { ?r a gk:MunicipalRelation ; gk:relationType reltype:twinning ; gk:party ?p .
                 ?p gk:country/gk:countryCode "IT" }"""
        )
    )
    assert opened.js("() => gkView.network.body.data.edges.length") == twin_it
    screenshot(opened, "world-filtered")
    opened.page.select_option("#gk-filter-country", "")  # type: ignore[attr-defined]
    opened.page.select_option("#gk-filter-type", "")  # type: ignore[attr-defined]
    assert opened.js("() => gkView.network.body.data.edges.length") == relations
    assert opened.errors == [] and opened.requests == []
    screenshot(opened, "world-filters-cleared")


def test_hostile_labels_are_text_and_run_nothing(open_view, small_store):
    view = world_view(small_store)
    opened = open_view(view, "xss")
    check_page(opened, 11, 8)
    tip = hover_tooltip(opened, node_id(opened, XSS_IMG))
    assert tip.splitlines()[0] == XSS_IMG
    details = click_node(opened, node_id(opened, XSS_SCRIPT))
    assert details.splitlines()[0] == XSS_SCRIPT
    status, selected, details = search(opened, "onerror")
    assert status == "1 match" and details.splitlines()[0] == XSS_IMG
    results = opened.page.inner_text("#gk-search-results")  # type: ignore[attr-defined]
    assert XSS_IMG in results
    state = opened.js(
        """() => ({imgs: document.querySelectorAll('img').length,
                  scripts: document.querySelectorAll('script').length,
                  pwned: typeof window.__pwned})"""
    )
    assert state == {"imgs": 0, "scripts": 5, "pwned": "undefined"}
    assert opened.dialogs == [] and opened.errors == [] and opened.requests == []
    screenshot(opened, "xss-labels")


# ---------------------------------------------------------------- maps, labels, dossiers


@pytest.fixture(scope="session")
def world_relations(world):
    """The world dataset built from data/sources (conftest's ``world``), read once."""
    store = world[0]
    return store, read_relations(store)


@pytest.fixture
def open_file(browser):
    pages = []

    def _open(path) -> Opened:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        pages.append(page)
        opened = Opened(page)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(f"page error: {e}"))

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                opened.requests.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        return opened

    yield _open
    for p in pages:
        p.close()


def test_world_view_draws_the_basemap_and_labels_the_biggest_places(open_view, world_store):
    view = world_view(world_store)
    opened = open_view(view, "world-map")
    drawn = opened.js("() => gkView.mapPathsDrawn")
    assert drawn == len(view.data.basemap[0].paths) and drawn > 200  # every country outline, offline
    labelled = opened.js("() => gkView.labelled.map(l => l.name)")
    assert 20 <= len(labelled) <= LABEL_TOP  # the biggest places that fit, not 3000 labels
    sizes = opened.js("() => Object.fromEntries(gkView.nodes.get().map(n => [n.name, n.size]))")
    biggest = max(sizes.values())
    assert sizes[labelled[0]] == biggest  # the biggest place is labelled first
    status, selected, _ = search(opened, "lodz")
    opened.js("() => gkView.network.redraw()")
    assert status == "1 match" and opened.js("() => gkView.labelled[0].name") == "Łódź"  # the place found
    assert opened.errors == [] and opened.requests == []
    opened.js("() => gkView.network.fit({animation: false})")
    screenshot(opened, "world")


def test_italy_japan_view_names_every_town_over_the_two_countries(open_view, world_relations):
    store, data = world_relations
    view = country_view(data, "IT", "JP")
    opened = open_view(view, "countries-IT-JP")
    check_page(opened, *view.data.counts().values())
    names = opened.js("() => gkView.nodes.get().filter(n => n.x !== undefined).map(n => n.name).sort()")
    labelled = opened.js("() => gkView.labelled.map(l => l.name).sort()")
    assert len(names) > 40 and labelled == names  # every town of the view is named
    overlapping = opened.js("() => gkView.labelled.filter(l => l.overlaps).length")
    assert overlapping <= len(names) // 5, f"{overlapping} labels overlap another"
    layers = [layer.paths for layer in view.data.basemap]
    assert len(layers) == 2 and opened.js("() => gkView.mapPathsDrawn") == sum(len(p) for p in layers)
    screenshot(opened, "countries-IT-JP")


def test_places_without_coordinates_are_in_the_side_panel_not_a_block(open_view, small_store):
    view = world_view(small_store)
    opened = open_view(view, "unplaced")
    panel = opened.page.inner_text("#gk-unplaced")  # type: ignore[attr-defined]
    assert panel.splitlines() == ["Paris (FR)"]
    assert opened.js("() => gkView.filterUnplaced('xyz')") == 0
    assert opened.js("() => gkView.filterUnplaced('PAR')") == 1
    opened.page.click("#gk-unplaced button")  # type: ignore[attr-defined]
    details = opened.page.inner_text("#gk-details")  # type: ignore[attr-defined]
    assert details.splitlines()[0] == "Paris" and "position unknown: drawn at its country" in details
    paris = opened.js("() => gkView.nodes.get({filter: n => n.name === 'Paris'})[0]")
    assert paris["nc"] == 1 and paris["color"]["background"] == "#ffffff"  # a ring: position approximate
    assert opened.errors == [] and opened.requests == []


def test_dossier_of_assisi_shows_the_seed_facts_and_a_map(open_file, seed_store, tmp_path):
    data = read_relations(seed_store)
    d = gather_dossier(data, seed_store, resolve_municipality(data, "Assisi"))
    opened = open_file(write_text_atomic(tmp_path / "assisi.html", dossier_html(d)))
    text = opened.page.inner_text("main")  # type: ignore[attr-defined]
    for fact in (
        "Valter Stoppini", "Fabrizio Leggio", "Mayor of Assisi", "Japanese Cultural Institute in Rome",
        "Embassy of Japan in Italy", "Assisi – Kōya memorandum of understanding (2009), signed 2009",
        "il sindaco Valter Stoppini", "アッシジ", "Province of Perugia",
    ):  # fmt: skip
        assert fact in text, fact
    assert opened.page.inner_text("td.partner") == "Kōya JP"  # type: ignore[attr-defined]
    svg = opened.js(
        """() => { const paths = [...document.querySelectorAll('#dossier-map path.country')];
                   const it = document.querySelector('#dossier-map path.home[data-cc="IT"]').getBBox();
                   const arcs = document.querySelectorAll('#dossier-map path.arc').length;
                   const fill = getComputedStyle(document.querySelector('#dossier-map path.home')).fill;
                   return {paths: paths.length, itWidth: it.width, arcs: arcs, fill: fill}; }"""
    )
    assert svg["paths"] > 80 and svg["itWidth"] > 10 and svg["arcs"] == 1 and svg["fill"] == "rgb(226, 201, 143)"
    assert opened.errors == [] and opened.requests == []
    screenshot(opened, "dossier-assisi", full_page=True)


def test_dossier_lists_every_partner_of_the_relations_export(open_file, world_relations, tmp_path):
    store, data = world_relations
    rows = relation_rows(store)
    qids = [p.qid for p in data.places.values() if p.qid]
    once = {q for q in qids if qids.count(q) == 1} if len(qids) < 50 else set(qids)
    busiest = max((p for p in data.places.values() if p.qid in once), key=lambda p: (data.degree(p.iri), p.iri))
    d = gather_dossier(data, store, busiest.iri)
    opened = open_file(write_text_atomic(tmp_path / "busiest.html", dossier_html(d)))
    shown = opened.js(
        """() => Object.fromEntries([...document.querySelectorAll('tr[data-relation]')].map(
                   tr => [tr.dataset.relation, tr.querySelector('td.partner').innerText]))"""
    )
    # the export's rows for this place (by its QID), and the partner on the other side of each
    mine = {
        r["relation"]: (r["party2_label"], r["party2_country"])
        if r["party1_qid"] == busiest.qid
        else (r["party1_label"], r["party1_country"])
        for r in rows
        if busiest.qid in (r["party1_qid"], r["party2_qid"])
    }
    assert len(mine) > 20 and set(shown) == set(mine)  # every exported relation has its row
    partner_of = {r.iri: data.places[r.partners[0].iri] for r in d.relations}
    for rel, (label, country) in mine.items():
        partner = partner_of[rel]  # the export may name it in another language than the page: one of its names
        assert shown[rel] == f"{partner.label} {country}".strip() and label in (partner.label, *partner.names), (
            rel,
            label,
        )
    assert opened.errors == [] and opened.requests == []
    assert opened.js("() => document.querySelectorAll('#dossier-map path.country').length") > 50
    screenshot(opened, "dossier-busiest", full_page=False)
