"""Query results as plain data, and their renderings as table, CSV, TSV and JSON.

A SELECT gives a :class:`SelectResult` (variable names and rows of rdflib terms), an ASK an
:class:`AskResult`, a CONSTRUCT/DESCRIBE a :class:`GraphResult` (triples).

>>> from rdflib import Literal, URIRef
>>> r = SelectResult(("city", "n"), ((URIRef("https://x.org/a"), Literal(3)),))
>>> r.records()
[{'city': 'https://x.org/a', 'n': 3}]
>>> print(render(r, "csv").strip())
city,n
https://x.org/a,3
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graphkit.errors import InputError, QueryError
from graphkit.rdf.namespaces import curie

OutputFormat = TypingLiteral["table", "csv", "tsv", "json", "sparql-json"]
OUTPUT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "sparql-json")


@dataclass(frozen=True)
class SelectResult:
    """Rows of a SELECT: ``rows[i][j]`` is the term bound to ``variables[j]`` (or ``None``)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (numbers and booleans typed, others as text)."""
        return [{v: python_value(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """Plain values of one variable, in row order."""
        i = self.variables.index(name)
        return [python_value(row[i]) for row in self.rows]

    def strings(self) -> list[tuple[str | None, ...]]:
        """Rows as tuples of text: an IRI or a literal's lexical form, ``None`` where unbound.

        >>> SelectResult(("x", "y"), ((URIRef("https://x.org/a"), None),)).strings()
        [('https://x.org/a', None)]
        """
        return [tuple(None if t is None else str(t) for t in row) for row in self.rows]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (one column per variable)."""
        import pandas as pd

        return pd.DataFrame(self.records(), columns=list(self.variables))


@dataclass(frozen=True)
class AskResult:
    """The answer of an ASK query."""

    value: bool

    def __bool__(self) -> bool:
        return self.value


@dataclass(frozen=True)
class GraphResult:
    """The triples of a CONSTRUCT or DESCRIBE query."""

    triples: tuple[tuple[Node, Node, Node], ...]

    def __len__(self) -> int:
        return len(self.triples)

    def to_graph(self) -> Graph:
        """The triples as an rdflib Graph."""
        g = Graph()
        for t in self.triples:
            g.add(t)
        return g


QueryResult = SelectResult | AskResult | GraphResult


def python_value(term: Node | None) -> Any:
    """A term as a plain value: IRIs and strings as ``str``, numbers and booleans as Python values.

    >>> python_value(Literal("2009", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")))
    '2009'
    >>> python_value(Literal(2.5)), python_value(None)
    (2.5, None)
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float):
            return value
        if hasattr(value, "is_finite"):  # Decimal
            return float(value)
        return str(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def as_select(result: QueryResult) -> SelectResult:
    """``result`` as the rows of a SELECT query; :class:`~graphkit.errors.QueryError` if it is not one.

    >>> as_select(SelectResult(("x",), ())).variables
    ('x',)
    """
    if not isinstance(result, SelectResult):
        raise QueryError(f"expected the rows of a SELECT query, got {type(result).__name__}")
    return result


def as_ask(result: QueryResult) -> bool:
    """The answer of an ASK query; :class:`~graphkit.errors.QueryError` if ``result`` is not one.

    >>> as_ask(AskResult(True))
    True
    """
    if not isinstance(result, AskResult):
        raise QueryError(f"expected the answer of an ASK query, got {type(result).__name__}")
    return result.value


def as_graph(result: QueryResult) -> GraphResult:
    """The triples of a CONSTRUCT/DESCRIBE query; :class:`~graphkit.errors.QueryError` if ``result`` is not one.

    >>> len(as_graph(GraphResult(())))
    0
    """
    if not isinstance(result, GraphResult):
        raise QueryError(f"expected the triples of a CONSTRUCT or DESCRIBE query, got {type(result).__name__}")
    return result


def render(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as ``table``, ``csv``, ``tsv``, ``json`` (list of records) or ``sparql-json``."""
    if fmt not in OUTPUT_FORMATS:
        raise InputError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
    if isinstance(result, AskResult):
        if fmt in ("json", "sparql-json"):
            return json.dumps({"head": {}, "boolean": result.value}) + "\n"
        return ("true" if result.value else "false") + "\n"
    if isinstance(result, GraphResult):
        if fmt in ("json", "sparql-json"):
            return result.to_graph().serialize(format="json-ld")
        return result.to_graph().serialize(format="nt")
    if fmt == "csv":
        return _delimited(result, ",")
    if fmt == "tsv":
        return _tsv(result)
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "sparql-json":
        return json.dumps(_sparql_json(result), ensure_ascii=False) + "\n"
    return _table(result)


def _delimited(result: SelectResult, sep: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else _plain_text(t) for t in row])
    return buf.getvalue()


def _plain_text(term: Node) -> str:
    return "_:" + str(term) if isinstance(term, BNode) else str(term)


def _tsv(result: SelectResult) -> str:
    """SPARQL 1.1 TSV: header with ``?``, terms in N-Triples syntax."""
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else t.n3() for t in row))
    return "\n".join(lines) + "\n"


def _sparql_json(result: SelectResult) -> dict[str, Any]:
    bindings = []
    for row in result.rows:
        b: dict[str, Any] = {}
        for var, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, URIRef):
                b[var] = {"type": "uri", "value": str(term)}
            elif isinstance(term, BNode):
                b[var] = {"type": "bnode", "value": str(term)}
            else:
                assert isinstance(term, Literal)
                entry: dict[str, str] = {"type": "literal", "value": str(term)}
                if term.language:
                    entry["xml:lang"] = term.language
                elif term.datatype is not None:
                    entry["datatype"] = str(term.datatype)
                b[var] = entry
        bindings.append(b)
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def _table(result: SelectResult, max_width: int = 60) -> str:
    cells = [[_short(t, max_width) for t in row] for row in result.rows]
    headers = list(result.variables)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    sep = "  "
    out = [sep.join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    out.append(sep.join("-" * w for w in widths))
    out.extend(sep.join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells)
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def _short(term: Node | None, width: int) -> str:
    if term is None:
        return ""
    text = curie(term) if isinstance(term, URIRef) else _plain_text(term).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
