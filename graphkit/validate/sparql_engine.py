"""SHACL Core compiled to SPARQL: validate a large graph inside the store, in a few queries per shape.

Each shape with targets becomes a handful of SELECT queries that return only the violations. For
a property shape: one query checks every per-value constraint (class, datatype, node, or, pattern,
ranges, ...) on each *distinct* value of the property once, and a second, tiny one finds the focus
nodes of the values that failed (on a large graph a property has far fewer distinct values than
uses: 25,000 relations share a handful of relation types); ``sh:minCount`` is one pass over the
focus nodes, ``sh:maxCount`` one aggregate over the property; each property-pair constraint is one
query. Shapes with few focus nodes are checked starting from them instead. Shapes referenced by
``sh:node``, ``sh:not``, ``sh:and``, ``sh:or`` and ``sh:xone`` are inlined as ``EXISTS``
expressions, so nested property shapes are checked too. The class hierarchy (``rdfs:subClassOf*``)
is read from the store, where the build loads the ontology. The default graph is the union of
the named graphs; a triple stated in two graphs counts once.

Every constant comes from the shapes graph and is written with
:func:`graphkit.sparql.binding.term_to_sparql`, which escapes literals and refuses malformed IRIs.

Ill-typed literals: pyoxigraph keeps the lexical form of a literal that is not valid for its
datatype (``"2009-13-45"^^xsd:date``) but stores valid ones in a native encoding, so a value is
well-typed exactly when casting it to its own datatype gives back the same term. That check covers
every datatype pyoxigraph implements (numbers, booleans, dates and times, ``gYear``, ``gYearMonth``,
durations), which is stricter than pySHACL: rdflib does not check ``gYear``/``gYearMonth`` forms.
pyoxigraph stores the integer subtypes (``xsd:int``, ``xsd:long``, ...) as ``xsd:integer`` and
``xsd:dateTimeStamp`` as ``xsd:dateTime``, so ``sh:datatype`` with those is refused as unsupported.

>>> from rdflib import Graph
>>> from graphkit.validate.shapes import read_shapes
>>> from graphkit.store.embedded import EmbeddedStore
>>> model = read_shapes(Graph().parse(data='''
... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://x.org/> .
... @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
... ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:d ; sh:datatype xsd:date ] .''', format="turtle"))
>>> store = EmbeddedStore()
>>> store.load_data('''<https://x.org/a> a <https://x.org/C> ;
...     <https://x.org/d> "2009-13-45"^^<http://www.w3.org/2001/XMLSchema#date> .''', "ttl")
>>> [(str(r.focus), r.path_label, r.constraint.kind) for r in run_shapes(store, model)]
[('https://x.org/a', '<https://x.org/d>', 'datatype')]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from graphkit.errors import QueryError, one_line
from graphkit.rdf.namespaces import SH, curie
from graphkit.rdf.terms import to_rdflib
from graphkit.sparql.binding import term_to_sparql
from graphkit.sparql.results import SelectResult
from graphkit.store.embedded import Store
from graphkit.validate.shapes import Constraint, Shape, ShapePath, ShapesModel, UnsupportedShapesError

#: Datatypes whose lexical forms pyoxigraph validates (a cast to the datatype itself round-trips).
CHECKED_DATATYPES: frozenset[URIRef] = frozenset(
    rdfns.XSD[n]
    for n in (
        "boolean", "double", "float", "decimal", "integer", "date", "time", "dateTime", "duration",
        "yearMonthDuration", "dayTimeDuration", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay",
    )
)  # fmt: skip
#: Datatypes pyoxigraph stores as another datatype: ``sh:datatype`` cannot tell them apart in the store.
FOLDED_DATATYPES: dict[URIRef, URIRef] = {
    **{
        rdfns.XSD[n]: rdfns.XSD.integer
        for n in (
            "int", "long", "short", "byte", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
            "positiveInteger", "negativeInteger", "nonNegativeInteger", "nonPositiveInteger",
        )
    },
    rdfns.XSD.dateTimeStamp: rdfns.XSD.dateTime,
}  # fmt: skip
#: Constraints checked value by value (one FILTER per value node).
PER_VALUE: frozenset[str] = frozenset(
    {
        "class", "datatype", "nodeKind", "pattern", "minLength", "maxLength", "minInclusive",
        "minExclusive", "maxInclusive", "maxExclusive", "in", "languageIn", "node", "not", "and", "or", "xone",
    }
)  # fmt: skip
#: Up to this many focus nodes, a shape's queries start from the focus nodes, else from the values.
FEW_FOCUS_NODES = 2000
_XSD_STRING = str(rdfns.XSD.string)
_COMPARE = {"minInclusive": ">=", "minExclusive": ">", "maxInclusive": "<=", "maxExclusive": "<"}
_TYPE = f"{term_to_sparql(RDF.type)}/{term_to_sparql(RDFS.subClassOf)}*"
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}


@dataclass(frozen=True)
class RawResult:
    """One violation as the queries found it: the focus node, the shape and constraint, the value."""

    focus: Node
    shape: Shape
    constraint: Constraint
    value: Node | None
    path_label: str
    detail: str = ""  # e.g. the number of values found, or the duplicated language

    @property
    def message(self) -> str:
        """The shape's ``sh:message`` (the first, sorted), else a generated one."""
        return self.shape.messages[0] if self.shape.messages else default_message(self.constraint, self.detail)


@dataclass(frozen=True)
class _Query:
    """A compiled query and how to read its rows.

    A ``values`` query with ``locate`` runs in two steps: the query checks each distinct value of
    the property once and returns the values that break a rule; ``locate`` (text before and after
    a ``VALUES`` list of those values) then finds their focus nodes. A ``count`` query with
    ``check`` counts values per subject over the whole graph; ``check`` then keeps the subjects that
    are focus nodes. ``fallback`` does the work in one pass, for when a node to list is a blank
    node (which a query cannot name).
    """

    text: str
    shape: Shape
    constraints: tuple[Constraint, ...]
    kind: str  # "values" / "missing" (a flag column per constraint), "count", "focus", "pair", "lang", "closed"
    locate: tuple[str, str] | None = None
    fallback: str = ""
    check: tuple[str, str] | None = None  # keeps the rows whose ?this is a focus node (VALUES list in between)
    flag_shapes: tuple[Shape, ...] = ()  # "missing": the property shape of each flag


def run_shapes(store: Store, model: ShapesModel) -> list[RawResult]:
    """Run every compiled query on ``store`` (its default graph) and collect the violations."""
    check_patterns(store, model)
    results: list[RawResult] = []
    for q in compile_shapes(model, store):
        r = _select(store, q.text)
        if r.rows and q.locate is not None:
            r = _locate(store, q, r)
        elif r.rows and q.check is not None:
            r = _check_focus(store, q, r)
        results.extend(_read(q, r))
    return results


def _locate(store: Store, q: _Query, r: SelectResult) -> SelectResult:
    """The focus nodes of the flagged values in ``r`` (rows: this, value, the value's flags)."""
    assert q.locate is not None
    flagged: dict[Node | None, tuple[Node | None, ...]] = {row[0]: row[1:] for row in r.rows}
    if any(isinstance(v, BNode) for v in flagged):
        return _select(store, q.fallback)
    found: list[tuple[Node | None, ...]] = []
    values = sorted(flagged, key=str)
    for i in range(0, len(values), 1000):
        listing = " ".join(term_to_sparql(cast(Node, v)) for v in values[i : i + 1000])
        located = _select(store, q.locate[0] + listing + q.locate[1])
        found += [(this, value, *flagged[value]) for this, value in located.rows]
    return SelectResult(("this", "value", *r.variables[1:]), tuple(found))


def _check_focus(store: Store, q: _Query, r: SelectResult) -> SelectResult:
    """The rows of ``r`` whose ``?this`` is a focus node of the query's shape."""
    assert q.check is not None
    col = r.variables.index("this")
    candidates = sorted({row[col] for row in r.rows}, key=str)
    if any(isinstance(c, BNode) for c in candidates):
        return _select(store, q.fallback)
    keep: set[Node | None] = set()
    for i in range(0, len(candidates), 1000):
        listing = " ".join(term_to_sparql(cast(Node, c)) for c in candidates[i : i + 1000])
        keep |= {row[0] for row in _select(store, q.check[0] + listing + q.check[1]).rows}
    return SelectResult(r.variables, tuple(row for row in r.rows if row[col] in keep))


def _select(store: Store, text: str) -> SelectResult:
    """Run a SELECT; on the embedded store, terms come back exactly as stored (rdflib would
    normalise some lexical forms, e.g. ``"tru"^^xsd:boolean`` to ``"false"``)."""
    raw = getattr(store, "oxigraph", None)
    if raw is None:
        r = store.select(text)
        return r
    try:
        solutions = raw.query(text, use_default_graph_as_union=True)
    except (SyntaxError, OSError) as e:
        raise QueryError(f"validation query failed: {one_line(e)}") from None
    names = tuple(v.value for v in solutions.variables)
    return SelectResult(names, tuple(tuple(_exact(sol[i]) for i in range(len(names))) for sol in solutions))


def _exact(term: object) -> Node | None:
    """A pyoxigraph term as an rdflib term, keeping a literal's lexical form as it is (``None`` when unbound)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    return to_rdflib(term)


def compile_shapes(model: ShapesModel, store: Store) -> list[_Query]:
    """The SPARQL queries for every top-level shape; raises :class:`UnsupportedShapesError` on what cannot run.

    ``store`` supplies the class hierarchy (``rdfs:subClassOf``) for targets and ``sh:class``.
    """
    compiler = _Compiler(store)
    out: list[_Query] = []
    for shape in model.top_level:
        out.extend(compiler.shape_queries(shape))
    if compiler.problems:
        raise UnsupportedShapesError(
            "the SPARQL SHACL engine cannot check: "
            + "; ".join(sorted(set(compiler.problems)))
            + ". Change the shapes or validate with engine 'pyshacl'."
        )
    return out


def check_patterns(store: Store, model: ShapesModel) -> None:
    """Refuse ``sh:pattern`` regular expressions the store's regex engine does not accept.

    An invalid expression would make every FILTER fail silently, hiding the rule.
    """
    bad = []
    for shape in model.shapes.values():
        for c in shape.constraints:
            if c.kind == "pattern":
                pattern, flags = term_to_sparql(Literal(c.value)), term_to_sparql(Literal(c.flags))
                r = _select(store, f'SELECT (REGEX("", {pattern}, {flags}) AS ?ok) WHERE {{}}')
                if not r.rows or r.rows[0][0] is None:
                    bad.append(f"sh:pattern {c.value!r} (flags {c.flags!r}) on {shape.label}")
    if bad:
        raise UnsupportedShapesError(
            "the SPARQL engine's regular expressions (Rust regex syntax, flags i s m x q) do not accept: "
            + "; ".join(bad)
            + ". Rewrite them, or validate with engine 'pyshacl'."
        )


class _Compiler:
    """Turns shapes into SPARQL text; fresh variable names keep nested EXISTS scopes apart."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._n = itertools.count()
        self.problems: list[str] = []
        self._stack: list[Shape] = []
        self._closures: dict[URIRef, list[Node]] = {}
        self._few = False

    def var(self, name: str = "v") -> str:
        return f"?{name}{next(self._n)}"

    def term(self, t: Node, where: str) -> str:
        if isinstance(t, BNode):
            self.problems.append(f"a blank node constant in {where}")
            return "<urn:invalid>"
        return term_to_sparql(t)

    def closure(self, cls: URIRef) -> list[Node]:
        """``cls`` and its subclasses in the store (``rdfs:subClassOf*``)."""
        if cls not in self._closures:
            r = _select(
                self.store,
                f"SELECT DISTINCT ?c WHERE {{ ?c {term_to_sparql(RDFS.subClassOf)}* {term_to_sparql(cls)} }}",
            )
            found = {cast(Node, row[0]) for row in r.rows} | {cls}  # ?c is always bound
            self._closures[cls] = sorted(found, key=lambda n: (n != cls, str(n)))
        return self._closures[cls]

    def instance_of(self, x: str, cls: URIRef) -> str:
        """An expression: the node in ``x`` is an instance of ``cls`` or of one of its subclasses."""
        classes = self.closure(cls)
        if any(isinstance(c, BNode) for c in classes):
            return f"EXISTS {{ {x} {_TYPE} {term_to_sparql(cls)} }}"
        if len(classes) == 1:
            return f"EXISTS {{ {x} {term_to_sparql(RDF.type)} {term_to_sparql(cls)} }}"
        t = self.var("t")
        listing = ", ".join(term_to_sparql(c) for c in classes)
        return f"EXISTS {{ {x} {term_to_sparql(RDF.type)} {t} FILTER({t} IN ({listing})) }}"

    # ---------------------------------------------------------------- top-level queries
    def shape_queries(self, shape: Shape) -> list[_Query]:
        """The queries for one top-level shape: none when it has no focus node (but always compiled,
        so that a rule the engine cannot check is reported even before data needs it)."""
        focus, is_focus = self.focus(shape), self.focus_test(shape, "?this")
        count = _select(self.store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {focus} }}").rows[0][0]
        n = int(count.toPython()) if isinstance(count, Literal) else 0
        self._few = n <= FEW_FOCUS_NODES
        queries = list(self._shape_queries(shape, focus, is_focus))
        return queries if n else []

    def _shape_queries(self, shape: Shape, focus: str, is_focus: str) -> Iterator[_Query]:
        if shape.is_property:
            yield from self.property_queries(shape, focus, is_focus)
            yield from self.missing_query(shape, [shape], focus)
        else:
            yield from self.constraint_queries(shape, focus, is_focus)
            props = [p for p in shape.properties if not p.deactivated]
            for prop in props:
                yield from self.property_queries(prop, focus, is_focus)
            yield from self.missing_query(shape, props, focus)

    def missing_query(self, shape: Shape, props: list[Shape], focus: str) -> Iterator[_Query]:
        """One pass over the focus nodes for every ``sh:minCount 1`` of the property shapes ``props``."""
        pairs = [(p, c) for p in props for c in p.constraints if c.kind == "minCount" and c.value == 1]
        if not pairs:
            return
        binds = " ".join(
            f"BIND(NOT EXISTS {{ ?this {_path_of(p).sparql} {self.var()} }} AS ?f{i})" for i, (p, _) in enumerate(pairs)
        )
        flags = " ".join(f"?f{i}" for i in range(len(pairs)))
        cond = " || ".join(f"?f{i}" for i in range(len(pairs)))
        text = f"SELECT DISTINCT ?this {flags} WHERE {{ {focus} {binds} FILTER({cond}) }}"
        yield _Query(text, shape, tuple(c for _, c in pairs), "missing", flag_shapes=tuple(p for p, _ in pairs))

    def focus(self, shape: Shape) -> str:
        """A pattern binding ``?this`` to each focus node of ``shape``."""
        t = shape.targets
        if not (t.nodes or t.subjects_of or t.objects_of) and len(t.classes) == 1:
            classes = self.closure(t.classes[0])
            if len(classes) == 1:
                return f"?this {term_to_sparql(RDF.type)} {term_to_sparql(classes[0])} ."
        parts = []
        if t.nodes:
            parts.append("{ VALUES ?this { " + " ".join(self.term(n, shape.label) for n in t.nodes) + " } }")
        for cls in t.classes:
            classes = self.closure(cls)
            if any(isinstance(c, BNode) for c in classes):
                parts.append(f"{{ ?this {_TYPE} {term_to_sparql(cls)} }}")
            else:
                c = self.var("c")
                listing = " ".join(term_to_sparql(x) for x in classes)
                parts.append(f"{{ VALUES {c} {{ {listing} }} ?this {term_to_sparql(RDF.type)} {c} }}")
        parts += [f"{{ ?this {term_to_sparql(p)} {self.var('any')} }}" for p in t.subjects_of]
        parts += [f"{{ {self.var('any')} {term_to_sparql(p)} ?this }}" for p in t.objects_of]
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    def focus_test(self, shape: Shape, x: str) -> str:
        """An expression: the node in ``x`` is a focus node of ``shape``."""
        t = shape.targets
        tests = [f"sameTerm({x}, {self.term(n, shape.label)})" for n in t.nodes]
        tests += [self.instance_of(x, c) for c in t.classes]
        tests += [f"EXISTS {{ {x} {term_to_sparql(p)} {self.var('any')} }}" for p in t.subjects_of]
        tests += [f"EXISTS {{ {self.var('any')} {term_to_sparql(p)} {x} }}" for p in t.objects_of]
        return " || ".join(tests) or "false"

    def property_queries(self, prop: Shape, focus: str, is_focus: str) -> Iterator[_Query]:
        assert prop.path is not None
        path = prop.path.sparql
        yield from self.constraint_queries(prop, focus, is_focus)
        for c in prop.constraints:
            n = c.number if c.kind in ("minCount", "maxCount") else 0
            if c.kind == "minCount" and n > 1:  # minCount 1: see missing_query
                text = (
                    f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})"
                )
                yield _Query(text, prop, (c,), "count")
            elif c.kind == "maxCount":
                count = (
                    f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ ?this {path} ?v }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {n})"
                )
                one_pass = f"SELECT ?this ?n WHERE {{ {{ {count} }} FILTER({is_focus}) }}"
                check = ("SELECT ?this WHERE { VALUES ?this { ", f" }} FILTER({is_focus}) }}")
                yield _Query(count, prop, (c,), "count", check=check, fallback=one_pass)

    def constraint_queries(self, shape: Shape, focus: str, is_focus: str) -> Iterator[_Query]:
        """Queries for the constraints of ``shape`` other than the counts."""
        per_value = [c for c in shape.constraints if c.kind in PER_VALUE]
        path = shape.path
        if per_value and path is None:
            binds, flags, cond = self.flags(per_value, "?this", shape)
            text = f"SELECT DISTINCT ?this (?this AS ?value) {flags} WHERE {{ {focus} {binds} FILTER({cond}) }}"
            yield _Query(text, shape, tuple(per_value), "values")
        elif per_value and path is not None and (path.predicate is None or self._few):
            yield self.one_pass(shape, per_value, focus)
        elif per_value:
            yield from self.value_queries(shape, per_value, is_focus)
        for c in shape.constraints:
            if c.kind == "hasValue":
                missing = self.has_value_missing(c, "?this", shape)
                yield _Query(f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({missing}) }}", shape, (c,), "focus")
            elif c.kind in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
                body = self.pair_pattern(c, "?this", shape, "?value", "?other")
                if path is None:
                    yield _Query(f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {body} }}", shape, (c,), "pair")
                else:
                    text = f"SELECT DISTINCT ?this ?value WHERE {{ {body} FILTER({is_focus}) }}"
                    yield _Query(text, shape, (c,), "pair")
            elif c.kind == "uniqueLang":
                assert path is not None
                text = (
                    f"SELECT DISTINCT ?this ?lang WHERE {{ ?this {path.sparql} ?a . ?this {path.sparql} ?b . "
                    'FILTER(!sameTerm(?a, ?b) && isLiteral(?a) && lang(?a) != "" && lang(?a) = lang(?b)) '
                    f"FILTER({is_focus}) BIND(lang(?a) AS ?lang) }}"
                )
                yield _Query(text, shape, (c,), "lang")
            elif c.kind == "closed":
                allowed = self.closed_allowed(shape, c)
                text = (
                    f"SELECT DISTINCT ?this ?path ?value WHERE {{ {focus} ?this ?path ?value "
                    f"FILTER(?path NOT IN ({allowed})) }}"
                )
                yield _Query(text, shape, (c,), "closed")

    def flags(self, constraints: list[Constraint], v: str, shape: Shape) -> tuple[str, str, str]:
        """BIND clauses setting ``?f<i>`` when the value in ``v`` breaks constraint ``i``, the flag
        variables, and the condition that one of them is set."""
        binds = " ".join(
            f"BIND(COALESCE({self.value_expr(c, v, shape)}, true) AS ?f{i})" for i, c in enumerate(constraints)
        )
        names = " ".join(f"?f{i}" for i in range(len(constraints)))
        return binds, names, " || ".join(f"?f{i}" for i in range(len(constraints)))

    def one_pass(self, shape: Shape, constraints: list[Constraint], focus: str) -> _Query:
        """Check the values of each focus node (few focus nodes, or a complex path)."""
        assert shape.path is not None
        binds, flags, cond = self.flags(constraints, "?value", shape)
        text = (
            f"SELECT DISTINCT ?this ?value {flags} WHERE {{ {focus} ?this {shape.path.sparql} ?value . "
            f"{binds} FILTER({cond}) }}"
        )
        return _Query(text, shape, tuple(constraints), "values")

    def value_queries(self, shape: Shape, per_value: list[Constraint], is_focus: str) -> Iterator[_Query]:
        """Check the values of the property over the whole graph, then locate the focus nodes of the bad ones.

        ``sh:class`` subtracts the instances of the class from the distinct values (one hash join);
        constraints that nest shapes (EXISTS per value) run once per distinct value; cheap tests on
        the term itself run on every triple, which spares building the set of distinct values.
        """
        assert shape.path is not None
        path = shape.path.sparql
        locate = (
            "SELECT DISTINCT ?this ?value WHERE { VALUES ?value { ",
            f" }} ?this {path} ?value . FILTER({is_focus}) }}",
        )
        distinct = f"{{ SELECT DISTINCT ?value WHERE {{ ?any {path} ?value }} }}"
        classes = [c for c in per_value if c.kind == "class" and self.nameable(c.iri)]
        nested = [c for c in per_value if c.kind in ("node", "not", "and", "or", "xone") and c not in classes]
        cheap = [c for c in per_value if c not in classes and c not in nested]
        for c in classes:
            listing = " ".join(term_to_sparql(x) for x in self.closure(c.iri))
            t = self.var("t")
            text = (
                f"SELECT ?value (true AS ?f0) WHERE {{ {distinct} "
                f"MINUS {{ VALUES {t} {{ {listing} }} ?value {term_to_sparql(RDF.type)} {t} }} }}"
            )
            yield _Query(text, shape, (c,), "values", locate, self.one_pass_text(shape, [c], is_focus))
        if nested:
            binds, flags, cond = self.flags(nested, "?value", shape)
            text = f"SELECT ?value {flags} WHERE {{ {distinct} {binds} FILTER({cond}) }}"
            yield _Query(text, shape, tuple(nested), "values", locate, self.one_pass_text(shape, nested, is_focus))
        if cheap:
            binds, flags, cond = self.flags(cheap, "?value", shape)
            text = f"SELECT DISTINCT ?value {flags} WHERE {{ ?any {path} ?value . {binds} FILTER({cond}) }}"
            yield _Query(text, shape, tuple(cheap), "values", locate, self.one_pass_text(shape, cheap, is_focus))

    def nameable(self, cls: URIRef) -> bool:
        """Whether ``cls`` and its subclasses are IRIs (a query can list them)."""
        return all(isinstance(x, URIRef) for x in self.closure(cls))

    def one_pass_text(self, shape: Shape, constraints: list[Constraint], is_focus: str) -> str:
        """The one-pass query driven by the property rather than the focus nodes (fallback for blank values)."""
        assert shape.path is not None
        binds, flags, cond = self.flags(constraints, "?value", shape)
        return (
            f"SELECT DISTINCT ?this ?value {flags} WHERE {{ ?this {shape.path.sparql} ?value . "
            f"{binds} FILTER({cond}) FILTER({is_focus}) }}"
        )

    # ---------------------------------------------------------------- expressions
    def value_nodes(self, shape: Shape, x: str) -> tuple[str, str]:
        """(pattern, variable): the value nodes of ``shape`` for the focus node in ``x``."""
        if shape.path is None:
            return "", x
        v = self.var()
        return f"{x} {shape.path.sparql} {v} .", v

    def value_expr(self, c: Constraint, v: str, shape: Shape) -> str:
        """A boolean expression, true when the value node in ``v`` violates ``c`` (never an error)."""
        k, where = c.kind, shape.label
        if k == "class":
            return f"!({self.instance_of(v, c.iri)})"
        if k == "datatype":
            return f"!({self.datatype_ok(c.iri, v, where)})"
        if k == "nodeKind":
            kind = c.iri
            if kind not in _NODE_KINDS:
                self.problems.append(f"sh:nodeKind {kind} on {where}")
                return "false"
            return "!(" + _NODE_KINDS[kind].format(v=v) + ")"
        if k == "pattern":
            regex = f"REGEX(STR({v}), {term_to_sparql(Literal(c.value))}, {term_to_sparql(Literal(c.flags))})"
            return f"COALESCE(isBlank({v}) || !{regex}, true)"
        if k in ("minLength", "maxLength"):
            op = "<" if k == "minLength" else ">"
            return f"COALESCE(isBlank({v}) || STRLEN(STR({v})) {op} {c.number}, true)"
        if k in _COMPARE:
            return f"!COALESCE({v} {_COMPARE[k]} {self.term(c.term, where)}, false)"
        if k == "in":
            members = [f"sameTerm({v}, {self.term(m, where)})" for m in c.terms]
            return "!(" + (" || ".join(members) or "false") + ")"
        if k == "languageIn":
            tags = [f"langMatches(lang({v}), {term_to_sparql(Literal(str(t)))})" for t in c.terms]
            return f"!COALESCE(isLiteral({v}) && ({' || '.join(tags) or 'false'}), false)"
        if k == "node":
            return f"({self.violates(c.shape, v)})"
        if k == "not":
            return f"!({self.violates(c.shape, v)})"
        if k == "and":
            return "(" + (" || ".join(f"({self.violates(s, v)})" for s in c.shapes) or "false") + ")"
        if k == "or":
            return "(" + (" && ".join(f"({self.violates(s, v)})" for s in c.shapes) or "true") + ")"
        if k == "xone":
            ones = " + ".join(f"IF({self.violates(s, v)}, 0, 1)" for s in c.shapes) or "0"
            return f"(({ones}) != 1)"
        raise AssertionError(k)

    def datatype_ok(self, dt: URIRef, v: str, where: str) -> str:
        if dt in FOLDED_DATATYPES:
            self.problems.append(
                f"sh:datatype {curie(dt)} on {where} (the store keeps such values as {curie(FOLDED_DATATYPES[dt])}; "
                f"use sh:datatype {curie(FOLDED_DATATYPES[dt])} with sh:minInclusive/sh:maxInclusive)"
            )
            return "true"
        if dt == RDF.langString:
            return f'COALESCE(isLiteral({v}) && lang({v}) != "", false)'
        if dt == RDFS.Literal:
            return f"isLiteral({v})"
        d = term_to_sparql(dt)
        same = f"isLiteral({v}) && sameTerm(datatype({v}), {d})"
        if dt in CHECKED_DATATYPES:
            return f"COALESCE({same} && sameTerm({v}, {d}({v})), false)"
        return f"COALESCE({same}, false)"

    def violates(self, shape: Shape, x: str) -> str:
        """A boolean expression, true when the node in ``x`` does not conform to ``shape``."""
        if shape.deactivated:
            return "false"
        if shape in self._stack:
            self.problems.append(f"the recursive shape {shape.label}")
            return "false"
        self._stack.append(shape)
        try:
            parts = []
            nodes, v = self.value_nodes(shape, x)
            per_value = [self.value_expr(c, v, shape) for c in shape.constraints if c.kind in PER_VALUE]
            if per_value:
                cond = " || ".join(f"COALESCE({e}, true)" for e in per_value)
                parts.append(f"EXISTS {{ {nodes} FILTER({cond}) }}" if nodes else cond)
            for c in shape.constraints:
                parts.extend(self.other_expr(c, shape, x))
            parts += [f"({self.violates(p, x)})" for p in shape.properties]
            return " || ".join(parts) or "false"
        finally:
            self._stack.pop()

    def other_expr(self, c: Constraint, shape: Shape, x: str) -> list[str]:
        """Expressions for the constraints that are not per value, for a nested shape."""
        k = c.kind
        if k in ("minCount", "maxCount"):
            n = c.number
            need = n if k == "minCount" else n + 1
            if need == 0:
                return ["false"] if k == "minCount" else []
            assert shape.path is not None
            vs = [self.var() for _ in range(need)]
            triples = " ".join(f"{x} {shape.path.sparql} {v} ." for v in vs)
            distinct = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2)]
            body = triples + (f" FILTER({' && '.join(distinct)})" if distinct else "")
            return [f"NOT EXISTS {{ {body} }}" if k == "minCount" else f"EXISTS {{ {body} }}"]
        if k == "hasValue":
            return [self.has_value_missing(c, x, shape)]
        if k in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
            return [f"EXISTS {{ {self.pair_pattern(c, x, shape, self.var(), self.var('w'))} }}"]
        if k == "uniqueLang":
            assert shape.path is not None
            a, b, p = self.var(), self.var(), shape.path.sparql
            return [
                f"EXISTS {{ {x} {p} {a} . {x} {p} {b} . "
                f'FILTER(!sameTerm({a}, {b}) && isLiteral({a}) && lang({a}) != "" && lang({a}) = lang({b})) }}'
            ]
        if k == "closed":
            p, o = self.var("p"), self.var("o")
            return [f"EXISTS {{ {x} {p} {o} FILTER({p} NOT IN ({self.closed_allowed(shape, c)})) }}"]
        return []

    def has_value_missing(self, c: Constraint, x: str, shape: Shape) -> str:
        value = self.term(c.term, shape.label)
        if shape.path is None:
            return f"!sameTerm({x}, {value})"
        return f"NOT EXISTS {{ {x} {shape.path.sparql} {value} }}"

    def pair_pattern(self, c: Constraint, x: str, shape: Shape, v: str, w: str) -> str:
        """A pattern binding ``v`` to each value node that breaks a property-pair constraint."""
        other = self.term(c.term, shape.label)
        path = shape.path.sparql if shape.path else None
        mine = f"{x} {path} {v} ." if path else f"BIND({x} AS {v})"
        if c.kind == "disjoint":
            return f"{mine} {x} {other} {v} ."
        if c.kind == "equals":
            back = f"{x} {path} {v}" if path else f"FILTER(sameTerm({x}, {v}))"
            return (
                f"{{ {mine} FILTER NOT EXISTS {{ {x} {other} {v} }} }} "
                f"UNION {{ {x} {other} {v} FILTER NOT EXISTS {{ {back} }} }}"
            )
        op = "<" if c.kind == "lessThan" else "<="
        return f"{mine} {x} {other} {w} . FILTER(!COALESCE({v} {op} {w}, false))"

    def closed_allowed(self, shape: Shape, c: Constraint) -> str:
        allowed = {p.path.predicate for p in shape.properties if p.path is not None and p.path.predicate is not None}
        allowed |= {x for x in c.terms if isinstance(x, URIRef)}
        return ", ".join(term_to_sparql(p) for p in sorted(allowed, key=str)) or "<urn:none>"


def _read(q: _Query, r: SelectResult) -> Iterator[RawResult]:
    cols = {name: i for i, name in enumerate(r.variables)}
    label = q.shape.path.label if q.shape.path else ""
    for row in r.rows:
        focus = cast(Node, row[cols["this"]])  # ?this is always bound
        if q.kind == "missing":
            for i, (shape, c) in enumerate(zip(q.flag_shapes, q.constraints, strict=True)):
                if _true(row[cols[f"f{i}"]]):
                    yield RawResult(focus, shape, c, None, shape.path.label if shape.path else "", detail="0")
        elif q.kind == "values":
            value = row[cols["value"]]
            for i, c in enumerate(q.constraints):
                if _true(row[cols[f"f{i}"]]):
                    yield RawResult(focus, q.shape, c, value, label)
        elif q.kind == "count":
            n = int(str(row[cols["n"]]))
            for c in q.constraints:
                low = c.kind == "minCount" and n < c.number
                high = c.kind == "maxCount" and n > c.number
                if low or high:
                    yield RawResult(focus, q.shape, c, None, label, detail=str(n))
        elif q.kind == "focus":
            yield RawResult(focus, q.shape, q.constraints[0], None, label)
        elif q.kind == "pair":
            yield RawResult(focus, q.shape, q.constraints[0], row[cols["value"]], label)
        elif q.kind == "lang":
            yield RawResult(focus, q.shape, q.constraints[0], None, label, detail=str(row[cols["lang"]]))
        elif q.kind == "closed":
            path = cast(URIRef, row[cols["path"]])  # bound to a predicate in every row of a closed-shape query
            yield RawResult(focus, q.shape, q.constraints[0], row[cols["value"]], curie(path))


def _path_of(shape: Shape) -> ShapePath:
    """The path of a property shape (node shapes have none)."""
    if shape.path is None:
        raise TypeError(f"{shape.label}: a node shape has no path")
    return shape.path


def _true(flag: Node | None) -> bool:
    return isinstance(flag, Literal) and str(flag) == "true"


def default_message(c: Constraint, detail: str = "") -> str:
    """A readable message for a constraint whose shape has no ``sh:message``.

    >>> default_message(Constraint("minCount", 2), "1")
    'Needs at least 2 value(s); found 1.'
    """
    k, v = c.kind, c.value
    found = f"; found {detail}" if detail else ""
    names = _names(v)
    texts = {
        "minCount": f"Needs at least {v} value(s){found}.",
        "maxCount": f"Allows at most {v} value(s){found}.",
        "class": f"The value must be an instance of {names}.",
        "datatype": f"The value must be a well-formed literal of datatype {names}.",
        "nodeKind": f"The value must be of node kind {names}.",
        "pattern": f"The value must match the pattern {v!r}" + (f" (flags {c.flags!r})." if c.flags else "."),
        "minLength": f"The value must be at least {v} characters long.",
        "maxLength": f"The value must be at most {v} characters long.",
        "minInclusive": f"The value must be >= {names}.",
        "minExclusive": f"The value must be > {names}.",
        "maxInclusive": f"The value must be <= {names}.",
        "maxExclusive": f"The value must be < {names}.",
        "in": f"The value must be one of: {names}.",
        "languageIn": f"The language must be one of: {names}.",
        "node": f"The value must conform to the shape {names}.",
        "not": f"The value must not conform to the shape {names}.",
        "and": f"The value must conform to all of the shapes {names}.",
        "or": f"The value must conform to at least one of the shapes {names}.",
        "xone": f"The value must conform to exactly one of the shapes {names}.",
        "hasValue": f"Must have the value {names}.",
        "equals": f"The values must be the same as those of {names}.",
        "disjoint": f"The values must differ from those of {names}.",
        "lessThan": f"Each value must be less than every value of {names}.",
        "lessThanOrEquals": f"Each value must be less than or equal to every value of {names}.",
        "uniqueLang": f"Only one value per language is allowed; more than one in {detail!r}.",
        "closed": "This property is not allowed on this (closed) shape.",
    }
    return texts[k]


def _names(v: object) -> str:
    if isinstance(v, Shape):
        return v.label
    if isinstance(v, URIRef):
        return curie(v)
    if isinstance(v, Literal):
        return v.n3() if v.datatype else str(v)
    if isinstance(v, Sequence) and not isinstance(v, str):
        return ", ".join(_names(x) for x in v)
    return str(v)
