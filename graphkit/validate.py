"""SHACL validation with readable reports (pySHACL over ``ontology/shapes.ttl``).

>>> from rdflib import Graph
>>> data = Graph().parse(data='''
... @prefix gk: <https://w3id.org/graphkit/ontology#> .
... <https://x.org/r> a gk:MunicipalRelation ; gk:party <https://x.org/a> .''', format="turtle")
>>> report = validate_graph(data)
>>> report.conforms
False
>>> sorted({v.path_label for v in report.violations})
['gk:party', 'gk:relationType', 'prov:wasDerivedFrom']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from graphkit.namespaces import SH, curie
from graphkit.paths import SHAPES_FILE, ontology_files


@dataclass(frozen=True)
class Violation:
    """One failed rule: which node, which property, what is wrong and how to fix it."""

    focus_node: str
    path_label: str
    message: str
    severity: str
    value: str | None
    shape: str

    def line(self) -> str:
        """One human-readable line."""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus_node} [{self.path_label}] {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph against the shapes."""

    conforms: bool
    violations: tuple[Violation, ...]
    focus_count: int

    def summary(self) -> str:
        """A short multi-line text: verdict, counts per rule, then every violation."""
        if self.conforms:
            return "The graph conforms to the SHACL shapes: no violations.\n"
        by_rule = Counter(v.message for v in self.violations)
        lines = [f"The graph does NOT conform: {len(self.violations)} violation(s)."]
        lines.append("By rule:")
        lines.extend(f"  {n:>5} × {msg}" for msg, n in by_rule.most_common())
        lines.append("Violations:")
        lines.extend("  " + v.line() for v in self.violations)
        return "\n".join(lines) + "\n"


def load_shapes(path: str | Path = SHAPES_FILE) -> Graph:
    """The SHACL shapes graph."""
    return Graph().parse(str(path), format="turtle")


def load_ontology() -> Graph:
    """The ontology and vocabularies, which validation needs for class hierarchy and schemes."""
    g = Graph()
    for f in ontology_files():
        g.parse(str(f), format="turtle")
    return g


def validate_graph(data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (plus the ontology, for subclasses and concept schemes) against the shapes."""
    import pyshacl

    shapes_graph = shapes if shapes is not None else load_shapes()
    combined = Graph()
    for t in data:
        combined.add(t)
    for t in ontology if ontology is not None else load_ontology():
        combined.add(t)
    conforms, results, _text = pyshacl.validate(
        combined,
        shacl_graph=shapes_graph,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
    )
    violations = _violations(results, combined)
    focus = {v.focus_node for v in violations}
    return ValidationReport(bool(conforms), tuple(violations), len(focus))


def _violations(results: Graph, data: Graph) -> list[Violation]:
    out = []
    top_level = {r for rep in results.subjects(RDF.type, SH.ValidationReport) for r in results.objects(rep, SH.result)}
    for r in top_level:
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        msgs = sorted(str(m) for m in results.objects(r, SH.resultMessage))
        severity = results.value(r, SH.resultSeverity)
        value = results.value(r, SH.value)
        shape = results.value(r, SH.sourceShape)
        out.append(
            Violation(
                focus_node=describe_node(focus, data),
                path_label=curie(path) if isinstance(path, URIRef) else "",
                message=msgs[0] if msgs else "constraint not met",
                severity=curie(severity).removeprefix("sh:") if isinstance(severity, URIRef) else "Violation",
                value=None if value is None else _short(value),
                shape=curie(shape) if isinstance(shape, URIRef) else "",
            )
        )
    out.sort(key=lambda v: (v.focus_node, v.path_label, v.message))
    return out


def describe_node(node: Node | None, data: Graph) -> str:
    """A node as ``<iri> "label"`` so a person can find it."""
    if node is None:
        return "?"
    label = data.value(node, RDFS.label)
    name = curie(node) if isinstance(node, URIRef) else ("[blank node]" if isinstance(node, BNode) else str(node))
    return f'{name} "{label}"' if label is not None else name


def _short(value: Node) -> str:
    text = value.n3() if isinstance(value, Literal) else (curie(value) if isinstance(value, URIRef) else "[]")
    return text if len(text) < 80 else text[:79] + "…"
