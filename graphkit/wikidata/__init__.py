"""Linking the graph to Wikidata: one module per job.

- :mod:`~graphkit.wikidata.client` — a polite Wikidata Query Service client (User-Agent, one request at
  a time, back-off on 429/503, time limit, GET→POST switch, on-disk cache, response body checks).
- :mod:`~graphkit.wikidata.gazetteer` — the offline index of QIDs built from the gazetteers shipped in
  ``data/sources/`` (Wikidata P190 graph, dr5hn countries/states/Japanese cities, Eurocities).
- :mod:`~graphkit.wikidata.reconcile` — candidates with a score, ``match`` only when unambiguous, the
  review CSV, and accepted links stored as RDF with score and provenance.
- :mod:`~graphkit.wikidata.evaluate` — precision and recall on a labelled sample.
- :mod:`~graphkit.wikidata.enrich` — facts about linked municipalities, each sourced to Wikidata.
- :mod:`~graphkit.wikidata.compare` — our relations against Wikidata's P190 claims.
- :mod:`~graphkit.wikidata.quickstatements` — QuickStatements v1 export of the missing claims.
- :mod:`~graphkit.wikidata.recon_api` — a W3C Reconciliation API v0.2 service over our graph.

Nothing is imported here, so ``import graphkit.wikidata`` stays cheap.
"""

from __future__ import annotations
