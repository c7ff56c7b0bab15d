"""Interactive HTML views of the graph: one self-contained, offline file per view.

Views: :func:`knowledge_view` (an entity and its surroundings), :func:`ego_view` (a
municipality's partners to depth k), :func:`country_view` (two countries, or all countries
aggregated), :func:`world_view` (everything, placed by coordinates). Each returns a
:class:`View`: ``view.html()`` is the page, ``view.write(path)`` saves it, and in a notebook the
view displays itself (an isolated iframe). Nothing is written to the working directory.

>>> from graphkit.build.pipeline import assemble
>>> store, _ = assemble("data", "out", steps=())
>>> country_view(store, "IT", "JP").data.counts()
{'nodes': 2, 'edges': 1}
"""

from __future__ import annotations

from graphkit.relations.read import RelationData, read_last_build, read_relations
from graphkit.viz.resolve import AmbiguousNameError, NameNotFoundError
from graphkit.viz.views import View, country_view, ego_view, knowledge_view, world_view

__all__ = [
    "AmbiguousNameError",
    "NameNotFoundError",
    "RelationData",
    "View",
    "country_view",
    "ego_view",
    "knowledge_view",
    "read_last_build",
    "read_relations",
    "world_view",
]
