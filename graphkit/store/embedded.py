"""The store interface, and the embedded store (pyoxigraph, in memory) behind it.

Every part of graphkit talks to a :class:`Store`: load RDF into named graphs, run SPARQL with
safely bound parameters, dump. :class:`EmbeddedStore` is the default; a remote SPARQL 1.1 endpoint
implements the same protocol.

Why pyoxigraph: on a ~300k-triple graph it parses in under a second and answers joins in
milliseconds, where rdflib's in-memory store takes ~10 s to parse and seconds per aggregate.
rdflib stays the term API and the SHACL engine's graph (:meth:`EmbeddedStore.to_rdflib`).

>>> from rdflib import Literal, URIRef
>>> store = EmbeddedStore()
>>> store.load_data('<https://x.org/a> <https://x.org/p> "1" .', "nt", graph=URIRef("https://x.org/g"))
>>> len(store), store.graphs()
(1, [rdflib.term.URIRef('https://x.org/g')])
>>> store.select("SELECT ?o WHERE { ?s ?p ?o }", bindings={"s": URIRef("https://x.org/a")}).records()
[{'o': '1'}]
>>> store.ask("ASK { ?s ?p '1' }")
True
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from graphkit.errors import InputError, ParseError, QueryError, ReadOnlyStoreError, StoreError, one_line
from graphkit.rdf.files import QUAD_FORMATS, check_rdf_format, inspect_rdf_file, rdf_format_for, staged_file
from graphkit.rdf.namespaces import PREFIXES
from graphkit.rdf.terms import to_oxigraph, to_rdflib
from graphkit.sparql.binding import bind_values
from graphkit.sparql.results import AskResult, GraphResult, QueryResult, SelectResult, as_ask, as_graph, as_select

_OX_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


class TypedQueries:
    """``select``/``ask``/``construct``: :meth:`query` with the result type checked (one place, for every store).

    A class that defines ``query`` (as every :class:`Store` does) gets them by inheriting this one.
    """

    def query(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> QueryResult:
        raise NotImplementedError

    def select(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> SelectResult:
        """Run a SELECT query; its rows (a :class:`~graphkit.errors.QueryError` for another kind of query)."""
        return as_select(self.query(sparql, bindings=bindings, union_default_graph=union_default_graph))

    def ask(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True) -> bool:
        """Run an ASK query; its answer."""
        return as_ask(self.query(sparql, bindings=bindings, union_default_graph=union_default_graph))

    def construct(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> GraphResult:
        """Run a CONSTRUCT or DESCRIBE query; its triples."""
        return as_graph(self.query(sparql, bindings=bindings, union_default_graph=union_default_graph))


@runtime_checkable
class Store(Protocol):
    """What graphkit needs from a triple store (embedded or remote)."""

    def load_file(self, path: str | Path, *, graph: URIRef | None = None, fmt: str | None = None) -> None:
        """Load an RDF file; triples go into ``graph`` (quads keep their own graphs)."""

    def load_data(self, data: str | bytes, fmt: str, *, graph: URIRef | None = None) -> None:
        """Load RDF text in format ``fmt``."""

    def add_graph(self, triples: Graph, graph: URIRef) -> None:
        """Add the triples of an rdflib Graph to the named graph ``graph``."""

    def query(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> QueryResult:
        """Run a SPARQL query; ``bindings`` pre-bind variables to RDF terms (never text substitution)."""

    def select(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> SelectResult:
        """Run a SELECT query; its rows (see :class:`TypedQueries`)."""

    def ask(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True) -> bool:
        """Run an ASK query; its answer."""

    def construct(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> GraphResult:
        """Run a CONSTRUCT or DESCRIBE query; its triples."""

    def graphs(self) -> list[URIRef]:
        """The named graphs, sorted."""

    def dump(self, path: str | Path, *, fmt: str | None = None, graph: URIRef | None = None) -> Path:
        """Write the store (or one graph) to ``path`` atomically."""

    def __len__(self) -> int:
        """Number of quads."""


class EmbeddedStore(TypedQueries):
    """An in-memory pyoxigraph store. Queries see the union of all graphs as the default graph.

    :meth:`from_oxigraph` wraps an existing pyoxigraph store instead, e.g. the read-only on-disk
    index of :mod:`graphkit.store.index`; writes to a read-only store raise :class:`ReadOnlyStoreError`.
    """

    def __init__(self) -> None:
        self._store = ox.Store()
        self._read_only: str | None = None  # what the read-only store is, for the error message

    @classmethod
    def from_oxigraph(cls, store: ox.Store, *, read_only: bool = False, name: str = "this store") -> EmbeddedStore:
        """Wrap ``store`` (in memory or on disk); ``read_only=True`` refuses every write with a clear error.

        >>> ro = EmbeddedStore.from_oxigraph(ox.Store(), read_only=True, name="the index")
        >>> ro.read_only
        True
        >>> ro.load_data('<https://x.org/a> <https://x.org/p> "1" .', "nt")
        Traceback (most recent call last):
        ...
        graphkit.errors.ReadOnlyStoreError: the index is read-only; open the graph writable to change it
        """
        wrapped = cls.__new__(cls)
        wrapped._store = store
        wrapped._read_only = name if read_only else None
        return wrapped

    @property
    def read_only(self) -> bool:
        """True when writes are refused (a store opened read-only, such as the on-disk index)."""
        return self._read_only is not None

    def _check_writable(self) -> None:
        if self._read_only is not None:
            raise ReadOnlyStoreError(f"{self._read_only} is read-only; open the graph writable to change it")

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store`, for callers that need its full API."""
        return self._store

    def __len__(self) -> int:
        return len(self._store)

    def load_file(
        self, path: str | Path, *, graph: URIRef | None = None, fmt: str | None = None, trusted: bool = False
    ) -> None:
        """Load an RDF file. ``trusted=True`` skips IRI re-validation, for files graphkit wrote itself.
        A UTF-8 byte-order mark is skipped; a predeclared prefix bound elsewhere is warned about
        (:func:`~graphkit.rdf.files.inspect_rdf_file`)."""
        p = Path(path)
        if not p.is_file():
            raise InputError(f"{p}: no such file")
        fmt = check_rdf_format(fmt) if fmt else rdf_format_for(p)
        skip = 0 if trusted else inspect_rdf_file(p, fmt)
        try:
            f = p.open("rb")
        except OSError as e:
            raise InputError(f"{p}: cannot read it ({e.strerror or e}); make it readable or leave it out") from None
        with f:
            f.seek(skip)
            self._load(f, fmt, graph, source=str(p), base_iri=p.resolve().as_uri(), lenient=trusted)

    def load_data(self, data: str | bytes, fmt: str, *, graph: URIRef | None = None) -> None:
        self._load(data, check_rdf_format(fmt), graph, source="<data>", base_iri=None)

    def _load(
        self,
        data: str | bytes | IO[bytes],
        fmt: str,
        graph: URIRef | None,
        *,
        source: str,
        base_iri: str | None,
        lenient: bool = False,
    ) -> None:
        self._check_writable()
        to_graph = None if fmt in QUAD_FORMATS or graph is None else ox.NamedNode(str(graph))
        try:
            self._store.load(data, format=_OX_FORMATS[fmt], to_graph=to_graph, base_iri=base_iri, lenient=lenient)
        except SyntaxError as e:
            raise ParseError(f"{source}: not valid {fmt}: {one_line(e)}") from None
        except (ValueError, OSError) as e:
            raise ParseError(f"{source}: {one_line(e)}") from None

    def add_graph(self, triples: Graph, graph: URIRef) -> None:
        self._check_writable()
        g = ox.NamedNode(str(graph))
        self._store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), g) for s, p, o in triples)

    def add_quads(self, quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> None:
        """Add ``(s, p, o, graph)`` tuples of rdflib terms."""
        self._check_writable()
        self._store.extend(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(g))) for s, p, o, g in quads
        )

    def query(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> QueryResult:
        text = bind_values(sparql, bindings) if bindings else sparql
        try:
            result = self._store.query(text, use_default_graph_as_union=union_default_graph, prefixes=PREFIXES)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL query: {one_line(e)}") from None
        except OSError as e:
            raise QueryError(f"query failed: {one_line(e)}") from None
        return convert_oxigraph_result(result)

    def clear_graph(self, graph: URIRef) -> None:
        """Remove every quad of the named graph ``graph`` (nothing happens when there is none)."""
        self._check_writable()
        name = ox.NamedNode(str(graph))
        if name in set(self._store.named_graphs()):
            self._store.remove_graph(name)

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, path: str | Path, *, fmt: str | None = None, graph: URIRef | None = None) -> Path:
        fmt = check_rdf_format(fmt) if fmt else rdf_format_for(path)
        with staged_file(path) as tmp:
            self.write_file(tmp, fmt, graph=graph)
        return Path(path)

    def write_file(self, path: str | Path, fmt: str = "nq", *, graph: URIRef | None = None) -> None:
        """Write the store (or one graph) to ``path`` in format ``fmt``, in place (see :meth:`dump` for
        an atomic write). pyoxigraph writes the file itself and releases the GIL meanwhile, so this can
        run in a thread beside Python work."""
        check_rdf_format(fmt)
        if graph is None and fmt not in QUAD_FORMATS:
            Path(path).write_bytes(self.serialize(fmt))
        else:
            self._dump_to(str(path), fmt, graph)

    def serialize(self, fmt: str, *, graph: URIRef | None = None) -> bytes:
        """The store (or one graph) as bytes in format ``fmt``; triple formats merge all graphs."""
        check_rdf_format(fmt)
        buf = io.BytesIO()
        if graph is None and fmt not in QUAD_FORMATS:
            merged = EmbeddedStore()
            merged._store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in self._store)
            merged._dump_to(buf, fmt, ox.DefaultGraph())
        else:
            self._dump_to(buf, fmt, graph)
        return buf.getvalue()

    def _dump_to(self, output: str | IO[bytes], fmt: str, graph: URIRef | ox.DefaultGraph | None) -> None:
        """pyoxigraph's dump of everything (``graph`` None) or of one graph, with our prefixes for Turtle/TriG."""
        source = ox.NamedNode(str(graph)) if isinstance(graph, URIRef) else graph
        prefixes = PREFIXES if fmt in ("ttl", "trig") else None
        self._store.dump(output, format=_OX_FORMATS[fmt], from_graph=source, prefixes=prefixes)

    def to_rdflib(self, graphs: Iterable[URIRef] | None = None) -> Graph:
        """The union of ``graphs`` (default: all) as an rdflib Graph, e.g. for pySHACL."""
        g = Graph()
        selected = None if graphs is None else {ox.NamedNode(str(x)) for x in graphs}
        for q in self._store:
            if selected is None or q.graph_name in selected:
                g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return g


def convert_oxigraph_result(result: object) -> QueryResult:
    """A pyoxigraph query result as graphkit's plain result types."""
    try:
        if isinstance(result, ox.QueryBoolean):
            return AskResult(bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            rows = tuple(tuple(to_rdflib(sol[i]) for i in range(len(variables))) for sol in result)
            return SelectResult(variables, rows)
        if isinstance(result, ox.QueryTriples):
            return GraphResult(
                tuple((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result)
            )
    except OSError as e:
        raise QueryError(f"query failed: {one_line(e)}") from None
    raise QueryError(f"unexpected query result {type(result).__name__}")


def open_snapshot(path: str | Path) -> EmbeddedStore:
    """Open a graph written by ``graphkit build`` (an N-Quads snapshot) as an embedded store.

    Raises StoreError with a hint when there is no snapshot yet.
    """
    p = Path(path)
    if not p.is_file():
        raise StoreError(f"no built graph at {p}: build the graph first, or name the RDF files to open")
    store = EmbeddedStore()
    store.load_file(p, trusted=True)  # our own escaped N-Quads: ~2x faster without IRI re-validation
    return store
