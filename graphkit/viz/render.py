"""Render a :class:`~graphkit.viz.model.ViewData` as one self-contained HTML page.

The page is graphkit's own Jinja template (``templates/view.html``) given the node and edge lists
and heading as pyvis's ``Network.generate_html()`` gives them to a template (pyvis's own template
always loads Bootstrap from a CDN and its ``local`` mode writes a ``lib/`` folder into the working
directory). The template is rendered directly rather than through a ``pyvis.network.Network``:
importing pyvis imports networkx, IPython and jsonpickle (~0.3 s of CPU in every new process) for
no part of the page (tests check the page is the one pyvis renders from the same lists). The page:

- inlines vis-network (``vendor/``) and graphkit's page script and CSS: no network reference;
- embeds nodes, edges and settings as JSON in ``<script type="application/json">`` blocks,
  escaped for that position (:func:`~graphkit.viz.safejson.script_json`);
- HTML-escapes the heading (autoescaping template), sets every other text with ``textContent``
  or vis-network's ``innerText`` tooltips, so labels are always text;
- carries a Content-Security-Policy that allows only its own two inline scripts (by hash) and
  no request at all, as a second line of defence;
- draws with physics off at the positions computed in Python, and marks itself ready
  (``data-gk-ready`` on ``<html>``) after the first drawing; large views (the world) draw their
  nodes first and stream the links in chunks, then mark ``data-gk-complete`` (small views mark
  both at once).

>>> from graphkit.viz.model import DEFAULT_EDGE_COLOUR, ViewData, ViewNode
>>> v = ViewData(kind="demo", title="<b>Łódź</b>")
>>> v.nodes.append(ViewNode(id=0, key="k", label="</script><img src=x onerror=alert(1)>", title="t", x=0, y=0))
>>> html = render_html(v)
>>> "<img src=x" in html, "&lt;b&gt;Łódź&lt;/b&gt;" in html, "http://" in html.split("<script>")[0]
(False, True, False)
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.viz.model import DEFAULT_EDGE_COLOUR, ViewData
from graphkit.viz.safejson import script_json

VIZ_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = VIZ_DIR / "templates"
VENDOR_DIR = VIZ_DIR / "vendor"
VIS_FILE = VENDOR_DIR / "vis-network.min.js"
TEMPLATE_NAME = "view.html"
#: Large views give vis-network their links in chunks of this many, after the nodes are drawn.
EDGE_CHUNK = 50_000
#: Views with at most this many nodes label every node (placed to avoid each other); larger ones
#: label the :data:`LABEL_TOP` biggest places in sight (by number of partners) and the one found.
LABEL_ALL_MAX = 300
LABEL_TOP = 70


@functools.lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vendored vis-network bundle, ready to inline (source-map comment removed)."""
    if not VIS_FILE.is_file():
        raise GraphkitError(f"vendored vis-network is missing: {VIS_FILE}")
    text = VIS_FILE.read_text(encoding="utf-8")
    text = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise GraphkitError(f"{VIS_FILE} contains text that would end an inline <script>; cannot inline it")
    return text


@functools.lru_cache(maxsize=1)
def vis_network_version() -> str:
    """The version in the vendored bundle's header, e.g. ``10.1.5``."""
    m = re.search(r"@version\s+(\S+)", vis_network_js()[:2000])
    return m.group(1) if m else "unknown"


@functools.lru_cache(maxsize=1)
def _page_assets() -> tuple[str, str]:
    return (
        (TEMPLATE_DIR / "view.js").read_text(encoding="utf-8"),
        (TEMPLATE_DIR / "view.css").read_text(encoding="utf-8"),
    )


def _csp(*scripts: str) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'" for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def vis_options(view: ViewData) -> dict[str, Any]:
    """vis-network options for a view: physics off, fixed positions, lighter drawing for big views."""
    large = view.large
    options: dict[str, Any] = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14 if view.kind == "knowledge" else 12, "face": "system-ui, sans-serif"},
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {
            "smooth": False,
            "width": 1,
            "color": {"color": DEFAULT_EDGE_COLOUR, "highlight": "#d62728", "hover": "#d62728"},
            "selectionWidth": 2,
            "font": {"size": 10, "align": "middle", "color": "#555", "strokeWidth": 3},
            "arrows": {"to": {"enabled": False}},
        },
        "interaction": {
            "hover": not large,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
    }
    if view.kind == "knowledge":
        options["nodes"]["widthConstraint"] = {"maximum": 170}
        options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.6}}
    if large:
        options["nodes"]["borderWidth"] = 0
        options["edges"]["color"]["opacity"] = 0.3  # the map under the links stays readable
        options["edges"]["width"] = 0.6
    return options


def label_policy(view: ViewData) -> dict[str, Any]:
    """How the page labels nodes: ``vis`` (vis-network's own labels: the knowledge view, whose boxes
    hold their text), ``all`` (every node, up to :data:`LABEL_ALL_MAX` nodes) or ``top`` (the biggest
    places in sight and the one searched for).

    >>> label_policy(ViewData(kind="world", title="w"))
    {'mode': 'all', 'top': 70}
    """
    if view.kind == "knowledge":
        return {"mode": "vis"}
    return {"mode": "all" if len(view.nodes) <= LABEL_ALL_MAX else "top", "top": LABEL_TOP}


def _environment(globals_: dict[str, Any]) -> Any:
    from jinja2 import Environment, FileSystemLoader
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True)
    env.filters["script_json"] = lambda value: Markup(script_json(value))
    env.globals["gk"] = globals_
    return env


def render_html(view: ViewData) -> str:
    """The view as a complete HTML document (a string; nothing is written anywhere)."""
    from markupsafe import Markup

    page_js, css = _page_assets()
    vis_js = vis_network_js()
    nodes = [n.to_vis() for n in view.nodes]
    edges = [e.to_vis() for e in view.edges]
    options = vis_options(view)
    config = {
        "kind": view.kind,
        "options": options,
        "legend": [item.to_json() for item in view.legend],
        "sources": [list(s) for s in view.sources],
        "filters": {
            "countries": [o.to_json() for o in view.country_filter],
            "types": [o.to_json() for o in view.type_filter],
        },
        "focusScale": 1.6 if view.large else 1.2,
        "progressive": view.large,
        "edgeChunk": EDGE_CHUNK,
        "labels": label_policy(view),
        "basemap": [layer.to_json() for layer in view.basemap],
    }
    env = _environment(
        {
            "kind": view.kind,
            "subtitle": view.subtitle,
            "node_count": len(view.nodes),
            "edge_count": len(view.edges),
            "config": config,
            "css": Markup(css),
            "vis_js": Markup(vis_js),
            "page_js": Markup(page_js),
            "vis_version": vis_network_version(),
            "csp": _csp(vis_js, page_js),
            "has_country_filter": bool(view.country_filter),
            "has_type_filter": bool(view.type_filter),
            "has_sources": bool(view.sources),
            "has_map": bool(view.basemap),
            "unplaced": sum(1 for n in view.nodes if n.approximate or n.x is None or n.y is None),
        }
    )
    # what pyvis's generate_html() passes to a template (the template reads nodes, edges and heading)
    return env.get_template(TEMPLATE_NAME).render(nodes=nodes, edges=edges, heading=view.title)
