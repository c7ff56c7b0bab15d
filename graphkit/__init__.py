"""graphkit: a knowledge graph of international municipal relations and the toolkit around it.

The public API is the handful of names below; everything else lives in one subpackage per job
(``rdf``, ``sparql``, ``store``, ``validate``, ``build``, ``relations``, ``ingest``, ``places``,
``text``, ``extract``, ``analyze``, ``viz``, ``wikidata``, ``server``, ``runtime``, ``cli``; see the
README's architecture notes). Names are imported when first used, so ``import graphkit`` is cheap
and nothing runs at import.

>>> import graphkit
>>> graphkit.__version__
'0.1.0'
>>> store = graphkit.open_graph(["data/seed/assisi-koya.ttl"])
>>> isinstance(store, graphkit.Store)
True
>>> row = graphkit.run_named_query(store, "mous").records()[0]
>>> sorted([row["party1Label"], row["party2Label"]]), row["signed"]
(['Assisi', 'Kōya'], '2009')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from graphkit.version import VERSION as __version__

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "build_graph": "graphkit.build.pipeline",
    "open_graph": "graphkit.store.open",
    "run_named_query": "graphkit.sparql.catalogue",
    "validate_store": "graphkit.validate.validator",
    "municipality_graph": "graphkit.analyze.projections",
    "network_stats": "graphkit.analyze.stats",
    "ego_view": "graphkit.viz.views",
    "world_view": "graphkit.viz.views",
    "Store": "graphkit.store.embedded",
    "GraphkitError": "graphkit.errors",
}

__all__ = [
    "GraphkitError",
    "Store",
    "__version__",
    "build_graph",
    "ego_view",
    "municipality_graph",
    "network_stats",
    "open_graph",
    "run_named_query",
    "validate_store",
    "world_view",
]

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
    from graphkit.analyze.projections import municipality_graph
    from graphkit.analyze.stats import network_stats
    from graphkit.build.pipeline import build_graph
    from graphkit.errors import GraphkitError
    from graphkit.sparql.catalogue import run_named_query
    from graphkit.store.embedded import Store
    from graphkit.store.open import open_graph
    from graphkit.validate.validator import validate_store
    from graphkit.viz.views import ego_view, world_view


def __getattr__(name: str) -> Any:
    """Load a public name from its module the first time it is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'graphkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
