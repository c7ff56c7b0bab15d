"""Read a SHACL shapes graph into plain Python objects (the SHACL Core subset graphkit validates).

Shapes are read generically from any shapes graph: node and property shapes, their targets, paths
and constraint parameters. Anything in the ``sh:`` namespace that the SPARQL engine cannot check
is collected and reported at once by :class:`UnsupportedShapesError`, so no rule is ever dropped
silently.

>>> from rdflib import Graph
>>> shapes = read_shapes(Graph().parse(data='''
... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://x.org/> .
... ex:S a sh:NodeShape ; sh:targetClass ex:C ;
...     sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "needs ex:p" ] .''', format="turtle"))
>>> [(s.label, s.targets.classes) for s in shapes.top_level]
[('<https://x.org/S>', (rdflib.term.URIRef('https://x.org/C'),))]
>>> prop = shapes.top_level[0].properties[0]
>>> prop.path.sparql, [(c.kind, c.value) for c in prop.constraints], prop.messages
('<https://x.org/p>', [('minCount', 1)], ('needs ex:p',))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from graphkit.errors import InputError
from graphkit.rdf.namespaces import SH, curie
from graphkit.sparql.binding import iri_to_sparql


class UnsupportedShapesError(InputError):
    """The shapes use SHACL features the SPARQL engine cannot check (the message lists each one)."""


#: Constraint parameters the SPARQL engine checks, by local name in ``sh:``.
SUPPORTED_PARAMETERS: frozenset[str] = frozenset(
    {
        "class", "datatype", "nodeKind", "minCount", "maxCount",
        "minExclusive", "minInclusive", "maxExclusive", "maxInclusive",
        "minLength", "maxLength", "pattern", "flags", "languageIn", "uniqueLang",
        "equals", "disjoint", "lessThan", "lessThanOrEquals",
        "not", "and", "or", "xone", "node", "hasValue", "in", "closed", "ignoredProperties",
    }
)  # fmt: skip
#: Structure and documentation: read (or deliberately ignored), never a constraint.
STRUCTURAL: frozenset[str] = frozenset(
    {
        "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "path", "property",
        "message", "severity", "deactivated", "name", "description", "order", "group", "defaultValue",
    }
)  # fmt: skip
#: The SHACL constraint component that reports each parameter (the ``sh:sourceConstraintComponent``).
COMPONENTS: dict[str, str] = {
    "class": "Class", "datatype": "Datatype", "nodeKind": "NodeKind", "minCount": "MinCount",
    "maxCount": "MaxCount", "minExclusive": "MinExclusive", "minInclusive": "MinInclusive",
    "maxExclusive": "MaxExclusive", "maxInclusive": "MaxInclusive", "minLength": "MinLength",
    "maxLength": "MaxLength", "pattern": "Pattern", "languageIn": "LanguageIn", "uniqueLang": "UniqueLang",
    "equals": "Equals", "disjoint": "Disjoint", "lessThan": "LessThan", "lessThanOrEquals": "LessThanOrEquals",
    "not": "Not", "and": "And", "or": "Or", "xone": "Xone", "node": "Node", "hasValue": "HasValue",
    "in": "In", "closed": "Closed",
}  # fmt: skip
#: Parameters only a property shape may have.
PROPERTY_ONLY: frozenset[str] = frozenset({"minCount", "maxCount", "uniqueLang", "lessThan", "lessThanOrEquals"})
_PATH_OPERATORS = {"zeroOrMorePath": "*", "oneOrMorePath": "+", "zeroOrOnePath": "?"}


@dataclass(frozen=True)
class ShapePath:
    """A SHACL property path: its SPARQL property-path text and a short label for reports."""

    sparql: str
    label: str
    predicate: URIRef | None = None  # set when the path is a single IRI


@dataclass(frozen=True)
class Targets:
    """The focus nodes of a shape: explicit nodes, instances of classes, subjects/objects of predicates."""

    nodes: tuple[Node, ...] = ()
    classes: tuple[URIRef, ...] = ()
    subjects_of: tuple[URIRef, ...] = ()
    objects_of: tuple[URIRef, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.nodes or self.classes or self.subjects_of or self.objects_of)


@dataclass(frozen=True)
class Constraint:
    """One constraint parameter of a shape, e.g. ``minCount 2`` or ``node <Shape>``.

    ``value`` is an int (counts, lengths), a bool (uniqueLang, closed), an RDF term, a tuple of
    terms (in, languageIn, ignoredProperties), a :class:`Shape` (node, not) or a tuple of shapes
    (and, or, xone); ``flags`` goes with ``pattern``.
    """

    kind: str
    value: object
    flags: str = ""

    @property
    def number(self) -> int:
        """The value of a count or length constraint (``minCount 2`` -> 2).

        >>> Constraint("minCount", 2).number
        2
        """
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise TypeError(f"sh:{self.kind} holds {self.value!r}, not a number")
        return self.value

    @property
    def term(self) -> Node:
        """The value of a constraint that takes one RDF term (``class``, ``datatype``, ``hasValue``, ranges, ...)."""
        if not isinstance(self.value, Node):
            raise TypeError(f"sh:{self.kind} holds {self.value!r}, not an RDF term")
        return self.value

    @property
    def iri(self) -> URIRef:
        """The value of a constraint that takes an IRI (``class``, ``datatype``, ``equals``, ...)."""
        if not isinstance(self.value, URIRef):
            raise TypeError(f"sh:{self.kind} holds {self.value!r}, not an IRI")
        return self.value

    @property
    def terms(self) -> tuple[Node, ...]:
        """The values of a list constraint (``in``, ``languageIn``, ``ignoredProperties``).

        >>> Constraint("in", (URIRef("https://x.org/a"),)).terms
        (rdflib.term.URIRef('https://x.org/a'),)
        """
        if not isinstance(self.value, tuple) or not all(isinstance(v, Node) for v in self.value):
            raise TypeError(f"sh:{self.kind} holds {self.value!r}, not a list of RDF terms")
        return self.value

    @property
    def shape(self) -> Shape:
        """The shape of ``node`` and ``not``."""
        if not isinstance(self.value, Shape):
            raise TypeError(f"sh:{self.kind} holds {self.value!r}, not a shape")
        return self.value

    @property
    def shapes(self) -> tuple[Shape, ...]:
        """The shapes of ``and``, ``or`` and ``xone``."""
        if not isinstance(self.value, tuple) or not all(isinstance(v, Shape) for v in self.value):
            raise TypeError(f"sh:{self.kind} holds {self.value!r}, not a list of shapes")
        return self.value

    @property
    def component(self) -> str:
        """The constraint component as a CURIE, e.g. ``sh:MinCountConstraintComponent``."""
        return f"sh:{COMPONENTS[self.kind]}ConstraintComponent"


@dataclass(eq=False)
class Shape:
    """A node shape (``path is None``) or a property shape, with its constraints and nested property shapes."""

    node: Node
    label: str
    path: ShapePath | None = None
    targets: Targets = field(default_factory=Targets)
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    messages: tuple[str, ...] = ()
    severity: str = "Violation"
    deactivated: bool = False

    @property
    def is_property(self) -> bool:
        return self.path is not None

    @property
    def source_shape(self) -> str:
        """The shape as a CURIE for reports (empty for a blank node)."""
        return curie(self.node) if isinstance(self.node, URIRef) else ""


@dataclass
class ShapesModel:
    """Every shape read from a shapes graph; ``top_level`` are those with targets (and not deactivated)."""

    shapes: dict[Node, Shape]
    top_level: list[Shape]


def read_shapes(graph: Graph) -> ShapesModel:
    """Read every shape of ``graph``; raise :class:`UnsupportedShapesError` listing what cannot be checked."""
    reader = _Reader(graph)
    for node in sorted(_shape_nodes(graph), key=str):
        reader.shape(node)
    if reader.problems:
        listing = "; ".join(sorted(set(reader.problems)))
        raise UnsupportedShapesError(
            f"the SPARQL SHACL engine cannot check {len(set(reader.problems))} rule(s) of the shapes: {listing}. "
            "Rewrite them with the supported SHACL Core constraints, or validate with engine 'pyshacl'."
        )
    top = [s for s in reader.done.values() if s.targets and not s.deactivated]
    return ShapesModel(dict(reader.done), sorted(top, key=lambda s: (s.label, str(s.node))))


def _shape_nodes(g: Graph) -> set[Node]:
    """Nodes that are shapes: typed as such, with targets, or referenced where a shape is expected."""
    nodes: set[Node] = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        nodes |= set(g.subjects(p, None))
    for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
        nodes |= set(g.objects(None, p))
    for p in (SH["and"], SH["or"], SH.xone):
        for lst in g.objects(None, p):
            nodes |= set(Collection(g, lst))
    return nodes


class _Reader:
    """Reads shapes one by one, memoised, so nested references resolve to the same object."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.done: dict[Node, Shape] = {}
        self.problems: list[str] = []

    def shape(self, node: Node) -> Shape:
        if node in self.done:
            return self.done[node]
        g = self.g
        path_node = g.value(node, SH.path)
        label = curie(node) if isinstance(node, URIRef) else "[property shape]" if path_node else "[node shape]"
        shape = Shape(node=node, label=label)
        self.done[node] = shape  # registered before reading children: recursion resolves to this object
        if path_node is not None:
            shape.path = self.path(path_node, where=label)
            shape.label = f"{label} [{shape.path.label}]" if isinstance(node, URIRef) else f"[{shape.path.label}]"
        elif (node, RDF.type, SH.PropertyShape) in g:
            self.problems.append(f"{label} is a sh:PropertyShape without sh:path")
        shape.targets = self.targets(node)
        shape.messages = tuple(sorted(str(m) for m in g.objects(node, SH.message)))
        severity = g.value(node, SH.severity)
        shape.severity = curie(severity).removeprefix("sh:") if isinstance(severity, URIRef) else "Violation"
        deactivated = g.value(node, SH.deactivated)
        shape.deactivated = isinstance(deactivated, Literal) and deactivated.toPython() is True
        shape.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        if shape.properties and shape.is_property:
            self.problems.append(f"sh:property on the property shape {label} (use sh:node with a node shape)")
        self.constraints(shape)
        return shape

    def targets(self, node: Node) -> Targets:
        g = self.g
        classes = list(g.objects(node, SH.targetClass))
        if (node, RDF.type, RDFS.Class) in g or (node, RDF.type, OWL.Class) in g:
            classes.append(node)  # an implicit class target
        return Targets(
            nodes=tuple(sorted(g.objects(node, SH.targetNode), key=str)),
            classes=tuple(sorted(self.iris(classes, "sh:targetClass", node), key=str)),
            subjects_of=tuple(sorted(self.iris(g.objects(node, SH.targetSubjectsOf), "sh:targetSubjectsOf", node))),
            objects_of=tuple(sorted(self.iris(g.objects(node, SH.targetObjectsOf), "sh:targetObjectsOf", node))),
        )

    def iris(self, values: Iterable[Node], param: str, node: Node) -> list[URIRef]:
        out = []
        for v in values:
            if isinstance(v, URIRef):
                out.append(v)
            else:
                self.problems.append(f"{param} {v.n3()} on {_where(node)} is not an IRI")
        return out

    def constraints(self, shape: Shape) -> None:
        g, node, where = self.g, shape.node, shape.label
        flags = [str(f) for f in g.objects(node, SH.flags)]
        for p, o in sorted(g.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
            if not str(p).startswith(str(SH)):
                continue
            name = str(p)[len(str(SH)) :]
            if name in STRUCTURAL or name in ("flags", "ignoredProperties"):
                continue
            if name not in SUPPORTED_PARAMETERS:
                self.problems.append(f"sh:{name} on {where}")
                continue
            if name in PROPERTY_ONLY and not shape.is_property:
                self.problems.append(f"sh:{name} on the node shape {where} (allowed on property shapes only)")
                continue
            value = self.parameter(name, o, node, where)
            if value is not None:
                shape.constraints.append(Constraint(name, value, flags[0] if name == "pattern" and flags else ""))
        if len(flags) > 1:
            self.problems.append(f"more than one sh:flags on {where}")

    def parameter(self, name: str, o: Node, node: Node, where: str) -> object | None:
        g = self.g
        if name in ("minCount", "maxCount", "minLength", "maxLength"):
            if isinstance(o, Literal) and isinstance(o.toPython(), int) and not isinstance(o.toPython(), bool):
                return int(o.toPython())
            self.problems.append(f"sh:{name} {o.n3()} on {where} is not an integer")
            return None
        if name in ("uniqueLang", "closed"):
            if isinstance(o, Literal) and isinstance(o.toPython(), bool):
                if name == "closed" and o.toPython():
                    ignored = [x for lst in g.objects(node, SH.ignoredProperties) for x in Collection(g, lst)]
                    return tuple(self.iris(ignored, "sh:ignoredProperties", node))
                return o.toPython() or None
            self.problems.append(f"sh:{name} {o.n3()} on {where} is not a boolean")
            return None
        if name in ("node", "not"):
            return self.shape(o)
        if name in ("and", "or", "xone"):
            return tuple(self.shape(m) for m in Collection(g, o))
        if name in ("in", "languageIn"):
            members = tuple(Collection(g, o))
            if any(isinstance(m, BNode) for m in members):
                self.problems.append(f"sh:{name} on {where} lists a blank node (a query cannot name it)")
                return None
            if name == "languageIn" and not all(isinstance(m, Literal) for m in members):
                self.problems.append(f"sh:languageIn on {where} must list language tags as strings")
                return None
            return members
        if name in ("class", "datatype", "equals", "disjoint", "lessThan", "lessThanOrEquals", "nodeKind"):
            if isinstance(o, URIRef):
                return self.iris([o], f"sh:{name}", o)[0]
            self._not_iri(name, o, where)
            return None
        if name == "pattern":
            return str(o)
        if isinstance(o, BNode):  # hasValue and the range bounds
            self.problems.append(f"sh:{name} on {where} is a blank node (a query cannot name it)")
            return None
        return o

    def _not_iri(self, name: str, o: Node, where: str) -> None:
        self.problems.append(f"sh:{name} {o.n3()} on {where} is not an IRI")

    def path(self, node: Node, *, where: str) -> ShapePath:
        """The SPARQL property path for a SHACL path node (predicate, inverse, sequence, alternative, repeats)."""
        g = self.g
        if isinstance(node, URIRef):
            return ShapePath(iri_to_sparql(str(node)), curie(node), node)
        if isinstance(node, Literal):
            self.problems.append(f"sh:path {node.n3()} on {where} is a literal")
            return ShapePath("<urn:invalid>", "?")
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            inner = self.path(inverse, where=where)
            return ShapePath(f"^({inner.sparql})", f"^{_group(inner.label)}")
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            parts = [self.path(m, where=where) for m in Collection(g, alternatives)]
            return ShapePath("(" + "|".join(p.sparql for p in parts) + ")", "|".join(_group(p.label) for p in parts))
        for name, op in _PATH_OPERATORS.items():
            inner_node = g.value(node, SH[name])
            if inner_node is not None:
                inner = self.path(inner_node, where=where)
                return ShapePath(f"({inner.sparql}){op}", f"{_group(inner.label)}{op}")
        if g.value(node, RDF.first) is not None:
            parts = [self.path(m, where=where) for m in Collection(g, node)]
            return ShapePath("(" + "/".join(p.sparql for p in parts) + ")", "/".join(_group(p.label) for p in parts))
        self.problems.append(f"the sh:path of {where} is not a SHACL path")
        return ShapePath("<urn:invalid>", "?")


def _group(label: str) -> str:
    return label if label.replace(":", "").replace("_", "").replace("-", "").isalnum() else f"({label})"


def _where(node: Node) -> str:
    return curie(node) if isinstance(node, URIRef) else "a blank-node shape"


def path_label(graph: Graph, node: Node | None) -> str:
    """A SHACL path as a short label (``gk:party``, ``^gk:party``, ``gk:a/gk:b``), read from ``graph``.

    >>> from rdflib import URIRef
    >>> path_label(Graph(), URIRef("https://w3id.org/graphkit/ontology#party"))
    'gk:party'
    """
    if node is None:
        return ""
    reader = _Reader(graph)
    return reader.path(node, where="a result").label if not reader.problems else ""
