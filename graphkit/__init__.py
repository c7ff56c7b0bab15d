"""graphkit: a knowledge graph of international municipal relations and the toolkit around it.

Modules, one job each: :mod:`graphkit.namespaces` (prefixes, IRIs), :mod:`graphkit.store`
(embedded store), :mod:`graphkit.build` (build + validate), :mod:`graphkit.catalogue` (named
queries), :mod:`graphkit.validate` (SHACL), :mod:`graphkit.results` (tables, CSV, JSON).
Nothing runs at import.

>>> import graphkit
>>> graphkit.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"
