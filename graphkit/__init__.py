"""graphkit: a knowledge graph of international municipal relations and the toolkit around it.

Modules, one job each: :mod:`graphkit.rdf.namespaces` (prefixes, IRIs), :mod:`graphkit.store.embedded`
(embedded store), :mod:`graphkit.build.pipeline` (build + validate), :mod:`graphkit.sparql.catalogue` (named
queries), :mod:`graphkit.validate.validator` (SHACL), :mod:`graphkit.sparql.results` (tables, CSV, JSON).
Nothing runs at import.

>>> import graphkit
>>> graphkit.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"
