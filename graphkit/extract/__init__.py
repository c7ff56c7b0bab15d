"""Articles → candidate facts with sentence-level evidence, reviewed, then applied to the graph.

``graphkit extract`` reads news items and council records (Italian, English; a language is a
lexicon file in ``lexicons/``) and proposes relations, officials, meetings and participations, each
with the sentence, offsets and a short quote that state it; ``graphkit extract apply`` writes the
facts a reviewer accepted as one named graph per article under ``data/articles/``.

Modules: :mod:`~graphkit.extract.lexicon` (word lists), :mod:`~graphkit.extract.annotate` (tokens,
sentences, cues), :mod:`~graphkit.extract.places` (names → graph IRIs), :mod:`~graphkit.extract.dates`,
:mod:`~graphkit.extract.mentions`, :mod:`~graphkit.extract.relations`, :mod:`~graphkit.extract.officials`,
:mod:`~graphkit.extract.meetings`, :mod:`~graphkit.extract.pipeline` (one article),
:mod:`~graphkit.extract.review` (CSV), :mod:`~graphkit.extract.facts` (RDF), :mod:`~graphkit.extract.apply`.
"""
