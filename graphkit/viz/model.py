"""What a view shows, independent of how it is drawn: nodes, edges, legend, filters.

Extraction (``network``, ``knowledge``) produces a :class:`ViewData`; the renderer
(``render``) turns it into a self-contained HTML page. Every text field is plain text: the page
shows it with ``textContent``/``innerText`` and the canvas, never as HTML.

>>> v = ViewData(kind="demo", title="Demo")
>>> v.nodes.append(ViewNode(id=0, key="https://x.org/a", label="A", title="A\\ncity", x=0.0, y=0.0))
>>> v.counts()
{'nodes': 1, 'edges': 0}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphkit.viz.safejson import fold

DEFAULT_EDGE_COLOUR = "#8a8a8a"


@dataclass
class ViewNode:
    """One node: ``id`` is the page's id; ``key`` names the entity (CURIE); ``title`` the tooltip text."""

    id: int
    key: str
    label: str
    title: str
    x: float | None = None
    y: float | None = None
    size: float = 10.0
    color: str = "#1f77b4"
    shape: str = "dot"
    country: str = ""
    group: str = ""
    search: str = ""
    #: The place has no coordinates of its own: drawn at its country (or not at all when x/y are None),
    #: listed in the page's panel of places without coordinates.
    approximate: bool = False

    def to_vis(self) -> dict[str, Any]:
        """The node as a vis-network item (extra keys ``iri``/``cc``/``grp``/``q`` are for the page script;
        ``shape`` is left out when it is the default dot)."""
        d: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "title": self.title,
            "size": round(self.size, 1),
            "color": self.color,
            "iri": self.key,
        }
        if self.shape != "dot":
            d["shape"] = self.shape
        if self.x is not None and self.y is not None:
            d["x"] = round(self.x, 1)
            d["y"] = round(self.y, 1)
        if self.country:
            d["cc"] = self.country
        if self.group:
            d["grp"] = self.group
        if self.search and self.search != fold(self.label):
            d["q"] = self.search
        if self.approximate:
            d["nc"] = 1
        return d


@dataclass
class ViewEdge:
    """One edge between two node ids; ``kind`` is the relation type (or property) key used by filters."""

    id: int
    source: int
    target: int
    title: str
    label: str = ""
    color: str = DEFAULT_EDGE_COLOUR
    width: float = 1.0
    dashes: bool | list[int] = False
    kind: str = ""
    arrows: str = ""

    def to_vis(self) -> dict[str, Any]:
        """The edge as a vis-network item (``k`` is the filter key for the page script)."""
        d: dict[str, Any] = {"id": self.id, "from": self.source, "to": self.target, "title": self.title}
        if self.color != DEFAULT_EDGE_COLOUR:
            d["color"] = self.color
        if self.width != 1.0:
            d["width"] = self.width
        if self.label:
            d["label"] = self.label
        if self.dashes:
            d["dashes"] = self.dashes
        if self.kind:
            d["k"] = self.kind
        if self.arrows:
            d["arrows"] = self.arrows
        return d


@dataclass(frozen=True)
class LegendItem:
    """One legend row: a node swatch (``shape``) or an edge swatch (``shape='line'``)."""

    label: str
    color: str
    shape: str = "dot"
    dashes: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "color": self.color, "shape": self.shape, "dashes": self.dashes}


@dataclass(frozen=True)
class FilterOption:
    """One choice of a filter drop-down: the key the page matches on and the text it shows."""

    key: str
    label: str
    count: int

    def to_json(self) -> list[Any]:
        return [self.key, self.label, self.count]


@dataclass(frozen=True)
class MapLayer:
    """Country outlines drawn under the nodes: SVG path data ``(code, name, d)`` in the view's canvas
    units, the colour of countries to stress (e.g. the two of a country pair), and an optional clip
    rectangle ``(x0, y0, x1, y1)`` (a country panel draws only inside its own)."""

    paths: tuple[tuple[str, str, str], ...]
    highlight: tuple[tuple[str, str], ...] = ()
    clip: tuple[float, float, float, float] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"paths": [list(p) for p in self.paths], "highlight": dict(self.highlight), "clip": self.clip}


@dataclass
class ViewData:
    """Everything a view page shows."""

    kind: str
    title: str
    subtitle: str = ""
    nodes: list[ViewNode] = field(default_factory=list)
    edges: list[ViewEdge] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    country_filter: list[FilterOption] = field(default_factory=list)
    type_filter: list[FilterOption] = field(default_factory=list)
    large: bool = False
    directed: bool = False
    #: (short name, full title) of the sources the tooltips cite by short name.
    sources: list[tuple[str, str]] = field(default_factory=list)
    #: Country outlines under the nodes (geographic views), drawn in order.
    basemap: list[MapLayer] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of nodes and edges."""
        return {"nodes": len(self.nodes), "edges": len(self.edges)}
