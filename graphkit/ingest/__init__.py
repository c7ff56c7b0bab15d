"""The world twinning dataset: read, clean and merge the raw sources in ``data/sources/`` into the graph.

One module per job:

* readers, one per source: :mod:`~graphkit.ingest.hekman` (English Wikipedia pair list, raw and
  geocoded), :mod:`~graphkit.ingest.yuboski` (Italian Wikipedia gemellaggi), :mod:`~graphkit.ingest.l3viathan`
  (Wikidata P190 crawl), :mod:`~graphkit.ingest.dr5hn` (countries, divisions, Japanese municipalities),
  :mod:`~graphkit.ingest.eurocities` (Eurocities members with QIDs);
* :mod:`~graphkit.ingest.countries` (ISO table, aliases), :mod:`~graphkit.ingest.geo` (distances,
  nearest country), :mod:`~graphkit.ingest.clean` (the cleaning rules, each a small function);
* :mod:`~graphkit.ingest.mentions` (rows → cleaned mentions and assertions),
  :mod:`~graphkit.ingest.merge` (places and relations across sources), :mod:`~graphkit.ingest.qids`
  (QIDs from the shape of the Wikidata P190 graph);
* :mod:`~graphkit.ingest.rdf` (N-Triples text), :mod:`~graphkit.ingest.report` (quality report,
  rejects), :mod:`~graphkit.build.world_step` (the build step registered in ``graphkit.build.pipeline.BUILD_STEPS``),
  :mod:`~graphkit.ingest.ledger` (what every rule did), :mod:`~graphkit.ingest.sources` (citations);
* speed, without changing the result: :mod:`~graphkit.runtime.forks` (source files read by a forked
  worker process meanwhile), :mod:`~graphkit.ingest.loader` (N-Triples loaded into the store chunk by
  chunk from a background thread, while the rest is merged and written).

>>> from graphkit.ingest.clean import resolve_country, split_disambiguator
>>> split_disambiguator("Shibuya (Tokyo)")
('Shibuya', 'Tokyo')
"""
