"""Write the snapshot (``out/graph.nq``) while the build loads the graph, instead of dumping the
whole store after it.

A build step that writes its own N-Triples (the world dataset: ~470k triples in chunks) hands each
chunk to the store and to a :class:`SnapshotSink`, which appends it to the snapshot file as N-Quads
(the graph name added to each line). When the graph is complete, :meth:`SnapshotSink.finish` adds
every other graph (ontology, curated Turtle: a few thousand quads) from the store. The copying is
done while the store is still indexing the last chunks, when a core is otherwise idle; a dump of
the whole store would take ~0.5 s of CPU after it, when both cores are busy validating and querying.

The chunks must be whole N-Triples lines, one triple per line, each ending in `` .`` and a newline,
with newlines inside literals escaped (as :mod:`graphkit.ingest.rdf` writes them).

>>> import io
>>> from rdflib import URIRef
>>> from graphkit.store.embedded import EmbeddedStore
>>> store = EmbeddedStore()
>>> store.load_data('<https://x.org/o> <https://x.org/p> "ontology" .', "nt", graph=URIRef("https://x.org/g/onto"))
>>> chunk = '<https://x.org/a> <https://x.org/p> "a . b" .\\n'
>>> store.load_data(chunk, "nt", graph=URIRef("https://x.org/g/world"))
>>> out = io.BytesIO()
>>> sink = SnapshotSink(out)
>>> sink.add_ntriples(chunk, "https://x.org/g/world")
>>> sink.finish(store)
2
>>> print(out.getvalue().decode(), end="")
<https://x.org/a> <https://x.org/p> "a . b" <https://x.org/g/world> .
<https://x.org/o> <https://x.org/p> "ontology" <https://x.org/g/onto> .
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

import pyoxigraph as ox

from graphkit.store.embedded import EmbeddedStore


class SnapshotSink:
    """The N-Quads snapshot being written: streamed graphs first, then the rest from the store.

    ``quads`` counts the lines written. Use from one thread at a time (the build's main thread
    copies the world's chunks while the store indexes the last ones, then calls :meth:`finish`).
    """

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.streamed: set[str] = set()
        self.quads = 0

    def add_ntriples(self, text: str, graph: str) -> None:
        """Append a chunk of N-Triples lines as N-Quads in ``graph`` (an IRI)."""
        if not text:
            return
        if not text.endswith(" .\n"):
            raise ValueError("a snapshot chunk must be whole N-Triples lines, each ending in ' .' and a newline")
        self.streamed.add(graph)
        self.file.write(text.replace(" .\n", f" <{graph}> .\n").encode("utf-8"))
        self.quads += text.count("\n")

    def finish(self, store: EmbeddedStore) -> int:
        """Append every graph of ``store`` that was not streamed (and its default graph); returns
        :attr:`quads`, which equals ``len(store)`` when the streamed text held no triple twice."""
        raw = store.oxigraph
        rest = [g for g in raw.named_graphs() if g.value not in self.streamed]
        for graph in sorted(rest, key=lambda g: g.value):
            self._serialize(raw.quads_for_pattern(None, None, None, graph))
        self._serialize(raw.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        self.file.flush()
        return self.quads

    def _serialize(self, quads: Iterable[ox.Quad]) -> None:
        def counted() -> Iterator[ox.Quad]:
            for q in quads:
                self.quads += 1
                yield q

        ox.serialize(counted(), self.file, format=ox.RdfFormat.N_QUADS)
