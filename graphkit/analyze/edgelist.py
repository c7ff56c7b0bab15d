"""Any network in, same pipeline: read a plain edge list into the knowledge-graph model.

The format is the one network repositories publish (KONECT's ``out.*`` files, SNAP, ...): one
edge per line, two node ids separated by whitespace; lines starting with ``%`` or ``#`` are
comments; blank lines are skipped. KONECT files may carry a weight and a timestamp after the two
ids: extra columns are accepted when they are numbers, and ignored. Anything else is an error that
names the file and line. Self-loops are skipped (a relation needs two distinct parties) and
repeated pairs count once; both are reported.

:func:`edge_list_to_store` writes the network as the KG does its own: every id becomes a
``gk:Municipality`` labelled with the id, every distinct pair a ``gk:MunicipalRelation``
(``reltype:partnership``, both parties, ``gk:partnerOf`` both ways) derived from a
``gk:SourceDocument`` standing for the file, all in one named graph, so
:func:`graphkit.analyze.projections.municipality_graph` reads it back unchanged.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "out.toy"
>>> _ = p.write_text("% sym unweighted\\n1 2\\n2 3 1 946684800\\n\\n# repeated\\n2 1\\n3 3\\n")
>>> edges = read_edge_list(p)
>>> edges.pairs, edges.duplicates, edges.self_loops
([('1', '2'), ('2', '3')], 1, 1)
>>> from graphkit.analyze.projections import municipality_graph
>>> G = municipality_graph(edge_list_to_store(edges))
>>> G.number_of_nodes(), G.number_of_edges()
(3, 2)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graphkit.errors import InputError, ParseError
from graphkit.rdf.namespaces import GK, ID, RELTYPE, graph_iri, slugify
from graphkit.store.embedded import EmbeddedStore

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class EdgeList:
    """The distinct pairs of an edge-list file, in first-seen order, and what was skipped."""

    path: Path
    pairs: list[tuple[str, str]]
    lines: int
    self_loops: int
    duplicates: int

    @property
    def name(self) -> str:
        """A slug for the file, used in IRIs and graph names (``out.twin`` → ``out-twin``)."""
        return slugify(self.path.name)

    @property
    def nodes(self) -> list[str]:
        """Node ids in first-seen order."""
        return list(dict.fromkeys(n for pair in self.pairs for n in pair))


def read_edge_list(path: str | Path) -> EdgeList:
    """Read an edge list (see the module docstring); bad lines raise ParseError with the line number."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    pairs: list[tuple[str, str]] = []
    seen: set[frozenset[str]] = set()
    loops = dups = lineno = 0
    with p.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                raise ParseError(f"{p}:{lineno}: not UTF-8 text") from None
            if not line or line[0] in "%#":
                continue
            tokens = line.split()
            if len(tokens) < 2 or not all(_NUMBER.match(t) for t in tokens[2:]):
                shown = line if len(line) <= 80 else line[:77] + "..."
                raise ParseError(
                    f"{p}:{lineno}: expected two node ids separated by whitespace (optionally followed by "
                    f"a numeric weight and timestamp), got {shown!r}"
                )
            u, v = tokens[0], tokens[1]
            if u == v:
                loops += 1
                continue
            key = frozenset((u, v))
            if key in seen:
                dups += 1
                continue
            seen.add(key)
            pairs.append((u, v))
    return EdgeList(p, pairs, lineno, loops, dups)


def node_iri(network: str, node_id: str) -> URIRef:
    """The IRI of a node of an edge-list network (ids are percent-encoded)."""
    return ID[f"edgelist/{network}/node/{quote(node_id, safe='')}"]


def edge_list_to_store(edges: EdgeList, store: EmbeddedStore | None = None) -> EmbeddedStore:
    """Add the network to ``store`` (a new one by default) as the named graph ``graph/edgelist/<name>``."""
    store = store or EmbeddedStore()
    name = edges.name
    graph = graph_iri(f"edgelist/{name}")
    source = ID[f"source/edgelist/{name}"]

    def quads():
        yield source, RDF.type, GK.SourceDocument, graph
        yield source, RDF.type, PROV.Entity, graph
        yield source, DCTERMS.title, Literal(f"edge list {edges.path.name}"), graph
        yield source, GK.fileName, Literal(edges.path.name), graph
        for node in edges.nodes:
            iri = node_iri(name, node)
            yield iri, RDF.type, GK.Municipality, graph
            yield iri, RDFS.label, Literal(node), graph
            yield iri, PROV.wasDerivedFrom, source, graph
        for i, (u, v) in enumerate(edges.pairs, start=1):
            rel = ID[f"edgelist/{name}/relation/{i}"]
            a, b = node_iri(name, u), node_iri(name, v)
            yield rel, RDF.type, GK.MunicipalRelation, graph
            yield rel, GK.party, a, graph
            yield rel, GK.party, b, graph
            yield rel, GK.relationType, RELTYPE.partnership, graph
            yield rel, PROV.wasDerivedFrom, source, graph
            yield a, GK.partnerOf, b, graph
            yield b, GK.partnerOf, a, graph

    store.add_quads(quads())
    return store
