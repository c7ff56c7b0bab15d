"""SHACL validation with readable reports, by two engines over ``ontology/shapes.ttl``.

* ``sparql`` (the default, ``auto``): the shapes are compiled to SPARQL queries that run inside the
  embedded pyoxigraph store (:mod:`graphkit.validate.sparql_engine`); the world graph (~470k triples) takes
  about a second of CPU, where pySHACL takes minutes (``bench/bench_validate.py``). It checks the
  SHACL Core subset listed in :mod:`graphkit.validate.shapes` and refuses, with a list, any rule it
  cannot check.
* ``pyshacl``: the reference implementation, on an rdflib copy of the graph (slow on large graphs).

Both produce the same :class:`ValidationReport` of :class:`Violation` objects, and agree on our
shapes and data (``tests/test_validate_engines.py``); the SPARQL engine is stricter on the lexical
form of ``xsd:gYear``/``xsd:gYearMonth`` literals, which rdflib does not check.

>>> from rdflib import Graph
>>> data = Graph().parse(data='''
... @prefix gk: <https://w3id.org/graphkit/ontology#> .
... <https://x.org/r> a gk:MunicipalRelation ; gk:party <https://x.org/a> .''', format="turtle")
>>> report = validate_graph(data)
>>> report.conforms, report.engine
(False, 'sparql')
>>> sorted({v.path_label for v in report.violations})
['gk:party', 'gk:relationType', 'prov:wasDerivedFrom']
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from graphkit.errors import InputError
from graphkit.paths import ONTOLOGY_DIR, SHAPES_FILE, ontology_files
from graphkit.rdf.namespaces import SH, curie, graph_iri
from graphkit.store.embedded import EmbeddedStore, Store

ENGINES = ("auto", "sparql", "pyshacl")
#: Violations listed per rule in :meth:`ValidationReport.summary` (the full list is in ``full_text``).
SUMMARY_LIMIT = 20


@dataclass(frozen=True)
class Violation:
    """One failed rule: which node, which property, what is wrong and how to fix it."""

    focus_node: str
    path_label: str
    message: str
    severity: str
    value: str | None
    shape: str
    component: str = ""

    def line(self) -> str:
        """One human-readable line."""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus_node} [{self.path_label}] {self.message}{value}"

    def brief(self) -> str:
        """The node and the offending value, for a listing under its rule."""
        value = f"  (value: {self.value})" if self.value else ""
        severity = "" if self.severity == "Violation" else f"{self.severity}: "
        return f"{severity}{self.focus_node}{value}"

    @property
    def rule(self) -> str:
        """The rule this violation broke, as a report groups it: ``[path] message``."""
        return f"[{self.path_label}] {self.message}" if self.path_label else self.message


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph against the shapes."""

    conforms: bool
    violations: tuple[Violation, ...]
    focus_count: int
    engine: str = ""

    def by_rule(self) -> dict[str, list[Violation]]:
        """Violations grouped by rule, the most frequent rule first."""
        groups: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[v.rule].append(v)
        return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    def summary(self, limit: int | None = SUMMARY_LIMIT) -> str:
        """The verdict, the count per rule, then at most ``limit`` violations per rule (``None``: all).

        >>> v = Violation("gkid:relation/r", "gk:party", "Needs two parties.", "Violation", None, "")
        >>> print(ValidationReport(False, (v, v, v), 1).summary(limit=2), end="")
        The graph does NOT conform: 3 result(s) on 1 node(s), 1 rule(s).
        By rule:
              3 × [gk:party] Needs two parties.
        <BLANKLINE>
        [gk:party] Needs two parties. (3)
          gkid:relation/r
          gkid:relation/r
          … and 1 more (the full list is in the report and in out/validation.txt)
        """
        if not self.violations:
            return "The graph conforms to the SHACL shapes: no violations.\n"
        groups = self.by_rule()
        verdict = "conforms, with warnings" if self.conforms else "does NOT conform"
        lines = [
            f"The graph {verdict}: {len(self.violations)} result(s) on {self.focus_count} node(s), "
            f"{len(groups)} rule(s).",
            "By rule:",
        ]
        lines += [f"  {len(vs):>5} × {rule}" for rule, vs in groups.items()]
        for rule, vs in groups.items():
            lines += ["", f"{rule} ({len(vs)})"]
            shown = vs if limit is None else vs[:limit]
            lines += ["  " + v.brief() for v in shown]
            if len(vs) > len(shown):
                lines.append(
                    f"  … and {len(vs) - len(shown)} more (the full list is in the report and in out/validation.txt)"
                )
        return "\n".join(lines) + "\n"

    def full_text(self) -> str:
        """The summary with every violation listed (what ``out/validation.txt`` holds)."""
        return self.summary(limit=None)


def load_shapes(path: str | Path = SHAPES_FILE) -> Graph:
    """The SHACL shapes graph."""
    return Graph().parse(str(path), format="turtle")


def load_ontology() -> Graph:
    """The ontology and vocabularies, which validation needs for class hierarchy and schemes."""
    g = Graph()
    for f in ontology_files():
        g.parse(str(f), format="turtle")
    return g


def ontology_graphs() -> list[URIRef]:
    """The named graphs the build loads the ontology files into."""
    return [graph_iri("ontology/" + f.relative_to(ONTOLOGY_DIR).as_posix()) for f in ontology_files()]


def ensure_ontology(store: EmbeddedStore) -> None:
    """Load the ontology into ``store`` unless it is there (a snapshot has it; loose ``--graph`` files do not)."""
    present = set(store.graphs())
    for f, g in zip(ontology_files(), ontology_graphs(), strict=True):
        if g not in present:
            store.load_file(f, graph=g)


def validate_store(store: Store, *, shapes: Graph | str | Path | None = None, engine: str = "auto") -> ValidationReport:
    """Validate the whole store (its default graph: the union of every named graph, ontology included).

    ``engine`` is ``"sparql"`` (also ``"auto"``), which runs inside the store, or ``"pyshacl"``, which
    copies the store into rdflib first. Raises :class:`~graphkit.validate.shapes.UnsupportedShapesError`
    when the SPARQL engine meets a rule it cannot check.
    """
    engine = _check_engine(engine)
    shapes_graph = _shapes(shapes)
    with _quiet_rdflib():
        return _validate_store(store, shapes_graph, engine)


def _validate_store(store: Store, shapes_graph: Graph, engine: str) -> ValidationReport:
    if engine == "pyshacl":
        if not isinstance(store, EmbeddedStore):
            raise InputError("the pyshacl engine needs an embedded store (it copies the graph into rdflib)")
        return validate_graph(store.to_rdflib(), shapes=shapes_graph, ontology=Graph(), engine="pyshacl")
    from graphkit.validate.shapes import read_shapes
    from graphkit.validate.sparql_engine import run_shapes

    raw = run_shapes(store, read_shapes(shapes_graph))
    labels = _labels(store, {r.focus for r in raw})
    violations = [
        Violation(
            focus_node=_describe(r.focus, labels.get(r.focus, [])),
            path_label=r.path_label,
            message=r.message,
            severity=r.shape.severity,
            value=None if r.value is None else _short(r.value),
            shape=r.shape.source_shape,
            component=r.constraint.component,
        )
        for r in raw
    ]
    return _report(violations, "sparql")


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | str | Path | None = None,
    ontology: Graph | None = None,
    engine: str = "auto",
) -> ValidationReport:
    """Validate ``data`` (plus the ontology, for subclasses and concept schemes) against the shapes."""
    engine = _check_engine(engine)
    onto = ontology if ontology is not None else load_ontology()
    with _quiet_rdflib():
        return _validate_graph(data, shapes, onto, engine)


def _validate_graph(data: Graph, shapes: Graph | str | Path | None, onto: Graph, engine: str) -> ValidationReport:
    if engine == "sparql":
        store = EmbeddedStore()
        store.add_graph(data, graph_iri("validate/data"))
        if len(onto):
            store.add_graph(onto, graph_iri("validate/ontology"))
        return validate_store(store, shapes=shapes, engine="sparql")
    import pyshacl

    combined = Graph()
    for t in data:
        combined.add(t)
    for t in onto:
        combined.add(t)
    conforms, results, _text = pyshacl.validate(
        combined,
        shacl_graph=_shapes(shapes),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
    )
    return _report(_pyshacl_violations(results, combined), "pyshacl")


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's log lines (with tracebacks) about ill-typed literals: the report covers them."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        logger.setLevel(level)


def _check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r}; choose one of {', '.join(ENGINES)}")
    return "sparql" if engine == "auto" else engine


def _shapes(shapes: Graph | str | Path | None) -> Graph:
    if shapes is None:
        return load_shapes()
    return shapes if isinstance(shapes, Graph) else load_shapes(shapes)


def _report(violations: list[Violation], engine: str) -> ValidationReport:
    violations.sort(key=lambda v: (v.focus_node, v.path_label, v.message, v.value or "", v.component))
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms, tuple(violations), len({v.focus_node for v in violations}), engine)


def _pyshacl_violations(results: Graph, data: Graph) -> list[Violation]:
    from graphkit.validate.shapes import path_label

    out = []
    top_level = {r for rep in results.subjects(RDF.type, SH.ValidationReport) for r in results.objects(rep, SH.result)}
    for r in top_level:
        focus = results.value(r, SH.focusNode)
        msgs = sorted(str(m) for m in results.objects(r, SH.resultMessage))
        severity = results.value(r, SH.resultSeverity)
        value = results.value(r, SH.value)
        shape = results.value(r, SH.sourceShape)
        component = results.value(r, SH.sourceConstraintComponent)
        out.append(
            Violation(
                focus_node=describe_node(focus, data),
                path_label=path_label(results, results.value(r, SH.resultPath)),
                message=msgs[0] if msgs else "constraint not met",
                severity=curie(severity).removeprefix("sh:") if isinstance(severity, URIRef) else "Violation",
                value=None if value is None else _short(value),
                shape=curie(shape) if isinstance(shape, URIRef) else "",
                component=curie(component) if isinstance(component, URIRef) else "",
            )
        )
    return out


def describe_node(node: Node | None, data: Graph) -> str:
    """A node as ``<iri> "label"`` so a person can find it (the English label when there is one)."""
    if node is None:
        return "?"
    labels = list(data.objects(node, RDFS.label)) if isinstance(node, URIRef) else []
    return _describe(node, labels)


def _describe(node: Node, labels: list[Node]) -> str:
    name = curie(node) if isinstance(node, URIRef) else ("[blank node]" if isinstance(node, BNode) else _short(node))
    label = pick_label(labels)
    return f'{name} "{label}"' if label is not None else name


def pick_label(labels: Iterable[Node]) -> str | None:
    """The label to show: English first, then one without language, then the first by language and text.

    >>> pick_label([Literal("Roma", lang="it"), Literal("Rome", lang="en")])
    'Rome'
    """
    lits = [x for x in labels if isinstance(x, Literal)]
    if not lits:
        return None
    rank = {"en": 0, None: 1}
    best = min(lits, key=lambda x: (rank.get(x.language, 2), x.language or "", str(x)))
    return str(best)


def _labels(store: Store, nodes: set[Node]) -> dict[Node, list[Node]]:
    """``rdfs:label`` values of the IRIs among ``nodes``, in batches."""
    from graphkit.sparql.binding import term_to_sparql

    iris = sorted(n for n in nodes if isinstance(n, URIRef))
    out: dict[Node, list[Node]] = defaultdict(list)
    for i in range(0, len(iris), 2000):
        values = " ".join(term_to_sparql(n) for n in iris[i : i + 2000])
        r = store.select(f"SELECT ?n ?l WHERE {{ VALUES ?n {{ {values} }} ?n {term_to_sparql(RDFS.label)} ?l }}")
        for n, label in r.rows:
            out[cast(Node, n)].append(cast(Node, label))  # both always bound
    return out


def _short(value: Node) -> str:
    text = value.n3() if isinstance(value, Literal) else (curie(value) if isinstance(value, URIRef) else "[]")
    return text if len(text) < 80 else text[:79] + "…"
