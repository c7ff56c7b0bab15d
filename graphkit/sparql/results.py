"""Query results as plain data, and their renderings as table, CSV, TSV and JSON.

A SELECT gives a :class:`SelectResult` (variable names and rows of rdflib terms), an ASK an
:class:`AskResult`, a CONSTRUCT/DESCRIBE a :class:`GraphResult` (triples).

Labels come from untrusted sources, so the renderings are safe where they are read: CSV and TSV
cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) get a
leading ``'`` (OWASP's advice, see :func:`graphkit.rdf.files.neutralise_formula`; numbers stay
numbers; ``raw=True`` writes them as they are), and the table escapes terminal control characters
(``ESC]0;…BEL`` would retitle the terminal, ``ESC[2J`` clear it) as ``\x1b``-style text.

>>> from rdflib import Literal, URIRef
>>> r = SelectResult(("city", "n"), ((URIRef("https://x.org/a"), Literal(3)),))
>>> r.records()
[{'city': 'https://x.org/a', 'n': 3}]
>>> print(render(r, "csv").strip())
city,n
https://x.org/a,3
>>> hostile = SelectResult(("label",), ((Literal("=HYPERLINK(1)"),), (Literal("\\x1b]0;owned\\x07"),)))
>>> print(render(hostile, "csv").splitlines()[1])
'=HYPERLINK(1)
>>> print(render(hostile, "table").splitlines()[3])
\\x1b]0;owned\\x07
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graphkit.errors import InputError, QueryError
from graphkit.rdf.files import csv_text, neutralise_formula
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


def render(result: QueryResult, fmt: str = "table", *, raw: bool = False) -> str:
    """Render a result as ``table``, ``csv``, ``tsv``, ``json`` (list of records) or ``sparql-json``.
    ``raw``: CSV/TSV cells exactly as in the graph (no ``'`` before a would-be formula)."""
    if fmt not in OUTPUT_FORMATS:
        raise InputError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
    if isinstance(result, AskResult):
        if fmt in ("json", "sparql-json"):
            return json.dumps({"head": {}, "boolean": result.value}) + "\n"
        return ("true" if result.value else "false") + "\n"
    if isinstance(result, GraphResult):
        if fmt in ("json", "sparql-json"):
            return result.to_graph().serialize(format="json-ld")
        text = result.to_graph().serialize(format="nt")
        return _NT_CONTROLS.sub(_nt_escape, text) if fmt == "table" else text
    if fmt == "csv":
        return _delimited(result, ",", raw)
    if fmt == "tsv":
        return _tsv(result, raw)
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "sparql-json":
        return json.dumps(_sparql_json(result), ensure_ascii=False) + "\n"
    return _table(result)


def _delimited(result: SelectResult, sep: str, raw: bool) -> str:
    rows = (tuple(None if t is None else _plain_text(t) for t in row) for row in result.rows)
    return csv_text(itertools.chain([result.variables], rows), delimiter=sep, raw=raw)


def _plain_text(term: Node) -> str:
    return "_:" + str(term) if isinstance(term, BNode) else str(term)


def _tsv(result: SelectResult, raw: bool = False) -> str:
    """SPARQL 1.1 TSV: header with ``?``, terms in N-Triples syntax; a literal whose text a spreadsheet
    would take for a formula gets a ``'`` inside its quotes (unless ``raw``)."""
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else _tsv_term(t, raw) for t in row))
    return "\n".join(lines) + "\n"


def _tsv_term(term: Node, raw: bool) -> str:
    text = term.n3()
    if raw or not isinstance(term, Literal):
        return text
    safe = neutralise_formula(str(term))
    return text if safe == str(term) else text[0] + "'" + text[1:]


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
    text = escape_controls(text)
    return text if len(text) <= width else text[: width - 1] + "…"


#: Characters a terminal may act on: C0 and C1 controls, DEL, and the bidirectional overrides and
#: isolates that reorder what is shown ("Trojan Source").
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """``text`` with every terminal control character written as a visible escape (``\\x1b``,
    ``\\u202e``), so that printing it cannot retitle, clear or reorder the terminal.

    >>> escape_controls("Assisi\\x1b[2J\\u202e")
    'Assisi\\\\x1b[2J\\\\u202e'
    """
    return _CONTROLS.sub(_escape_one, text)


_NT_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _nt_escape(m: re.Match[str]) -> str:
    """A control character as an N-Triples escape (the triples printed to a terminal stay valid)."""
    return f"\\u{ord(m.group()):04X}"


def _escape_one(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
