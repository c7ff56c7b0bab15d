"""Views as objects: build one from the graph, show it in a notebook, or write it to a file.

>>> from graphkit.build.pipeline import assemble
>>> store, _ = assemble("data", "out", steps=())
>>> view = knowledge_view(store, "Assisi")
>>> view
<View knowledge 'Assisi and its surroundings': 23 nodes, 38 edges>
>>> html = view.html()                      # a string; nothing written
>>> html.startswith("<!DOCTYPE html>"), "<script src" in html, "<link" in html
(True, False, False)
>>> view._repr_html_().startswith("<iframe")  # what Jupyter / VS Code display
True
"""

from __future__ import annotations

import html as html_lib
from pathlib import Path
from typing import Any

from graphkit.rdf.files import write_text_atomic
from graphkit.relations.read import RelationData, read_relations
from graphkit.store.embedded import Store
from graphkit.viz.knowledge import knowledge_data
from graphkit.viz.model import ViewData
from graphkit.viz.municipal import country_graph_data, country_pair_data, ego_data, world_data
from graphkit.viz.render import render_html
from graphkit.viz.resolve import resolve_entity, resolve_place


class View:
    """A rendered view: :meth:`html` gives the page, :meth:`write` saves it, notebooks display it."""

    def __init__(self, data: ViewData) -> None:
        self.data = data
        self._html: str | None = None

    def __repr__(self) -> str:
        c = self.data.counts()
        return f"<View {self.data.kind} {self.data.title!r}: {c['nodes']} nodes, {c['edges']} edges>"

    def html(self) -> str:
        """The self-contained HTML page (rendered once, then cached)."""
        if self._html is None:
            self._html = render_html(self.data)
        return self._html

    def write(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8, atomically; parent folders are created). Returns the path."""
        return write_text_atomic(path, self.html())

    def iframe(self, *, height: int = 650) -> str:
        """The page in a sandboxed ``<iframe srcdoc>``: scripts run, but isolated from the notebook page."""
        doc = html_lib.escape(self.html(), quote=True)
        return (
            f'<iframe srcdoc="{doc}" sandbox="allow-scripts" style="width:100%;height:{int(height)}px;'
            f'border:1px solid #ddd" title="{html_lib.escape(self.data.title, quote=True)}"></iframe>'
        )

    def _repr_html_(self) -> str:
        return self.iframe()

    def display(self, *, height: int = 650) -> Any:
        """An IPython display object (needs IPython, present in every notebook kernel)."""
        import warnings

        from IPython.display import HTML

        with warnings.catch_warnings():  # IPython suggests IFrame(src=...), which would need a file or a URL
            warnings.simplefilter("ignore", UserWarning)
            return HTML(self.iframe(height=height))


def knowledge_view(store: Store, entity: str, *, depth: int = 2, max_nodes: int = 200) -> View:
    """The entity named ``entity`` (a name, IRI, CURIE or QID) and what it is linked to."""
    return View(knowledge_data(store, resolve_entity(store, entity), depth=depth, max_nodes=max_nodes))


def _network(source: Store | RelationData, network: RelationData | None) -> RelationData:
    if network is not None:
        return network
    return source if isinstance(source, RelationData) else read_relations(source)


def ego_view(source: Store | RelationData, name: str, *, depth: int = 1, network: RelationData | None = None) -> View:
    """A municipality's partners (and theirs, to ``depth``), from a store or its read model
    (:func:`graphkit.relations.read.read_last_build` reads the last build's at once)."""
    net = _network(source, network)
    return View(ego_data(net, resolve_place(net, name), depth))


def country_view(
    source: Store | RelationData,
    a: str | None = None,
    b: str | None = None,
    *,
    network: RelationData | None = None,
) -> View:
    """Relations between countries ``a`` and ``b`` (ISO codes); with no codes, the aggregated country graph."""
    net = _network(source, network)
    if a is None and b is None:
        return View(country_graph_data(net))
    if a is None or b is None:
        from graphkit.errors import InputError

        raise InputError("give two country codes (e.g. IT JP), or none for the graph of all countries")
    return View(country_pair_data(net, a, b))


def world_view(source: Store | RelationData, *, network: RelationData | None = None) -> View:
    """Every municipality and relation, placed by coordinates, with search and filters."""
    return View(world_data(_network(source, network)))
