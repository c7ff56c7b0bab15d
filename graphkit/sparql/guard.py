"""Decide whether a SPARQL query may run, on the parsed query rather than its text.

Every query the endpoint (``graphkit serve``) or ``graphkit query`` runs passes :func:`guard_query`
first. The decision is made on rdflib's parse of the query (the SPARQL 1.1 grammar), never on a
scan of the text, so that no spelling hides a clause: not a prefixed name with a middle dot or a
combining mark followed by an escaped quote, not a comment, not mixed case, not a sub-select.

- **Depth first**: a query nested deeper than :data:`MAX_DEPTH` braces, brackets and parentheses
  is refused *before* any parser sees it (a few thousand nested ``{`` overflow the stack of
  pyoxigraph's parser and kill the process).
- **One text for both parsers**: ``\\uXXXX``/``\\UXXXXXXXX`` escapes are expanded (as the SPARQL
  grammar says, before parsing) until none is left, and :attr:`CheckedQuery.text` — the text
  that was checked — is the text to run, so the engine never reads an escape differently.
- **Refused**: updates (``LOAD``, ``INSERT``, ``CLEAR`` …), ``SERVICE`` in any position (unless
  ``allow_service``), ``FROM``/``FROM NAMED`` and protocol graph parameters naming anything but
  a graph of the store (``file:`` IRIs, web addresses), and anything rdflib cannot parse.

The guard is one layer: processes that run queries are also cut off the network
(:mod:`graphkit.sparql.sandbox`), so a query the guard let through by mistake still reaches no host.

>>> checked = guard_query("SELECT ?s WHERE { ?s a gk:Municipality }", graphs=())
>>> checked.form, checked.default_graphs
('SELECT', ())
>>> try:
...     guard_query("SELECT * { BIND(gk:a·\\\\' AS ?z) SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", graphs=())
... except RefusedQuery as e:
...     print(e.reason, "-", e)
service - SERVICE (federated query) is not allowed: graphkit never contacts other hosts for a query
>>> nesting_depth('SELECT * { { ?s ?p "}}}" } }')
2
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphkit.errors import QueryError, one_line
from graphkit.rdf.namespaces import PREFIXES

#: Deepest nesting of ``{ }``, ``( )`` and ``[ ]`` accepted (the catalogue's deepest query uses 7).
MAX_DEPTH = 64

#: What a refusal is about; the endpoint maps it to an HTTP status (update: 403, others: 400).
REASONS = ("syntax", "depth", "update", "service", "dataset")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_LOCAL_ESC = re.compile(r"\\(.)")
_SERVICE_WORD = re.compile(r"service", re.IGNORECASE)
_UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
_NO_SERVICE = "SERVICE (federated query) is not allowed: graphkit never contacts other hosts for a query"


class RefusedQuery(QueryError):
    """A query graphkit will not run; ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the guard: the text to run and what the parse says about it."""

    text: str
    form: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    uses_service: bool = False

    @property
    def has_dataset(self) -> bool:
        """True when the query names its own dataset (FROM / FROM NAMED): then it, not the union of
        all graphs, is the default graph."""
        return bool(self.default_graphs or self.named_graphs)


def expand_escapes(text: str) -> str:
    """``text`` with every codepoint escape expanded, repeatedly, until none is left.

    >>> expand_escapes(r'"a\\u0022 b"'), expand_escapes(r"\\u005Cu0041")
    ('"a" b"', 'A')
    """
    while True:
        try:
            expanded = _ESCAPE.sub(_codepoint, text)
        except ValueError as e:
            raise RefusedQuery("syntax", f"malformed SPARQL query: {e}") from None
        if expanded == text:
            return text
        text = expanded


def _codepoint(m: re.Match[str]) -> str:
    value = int(m.group(1) or m.group(2), 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        raise ValueError(f"invalid codepoint escape {m.group(0)}")
    return chr(value)


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` in ``text``, outside strings and comments.

    Leans towards counting too much: an opening bracket counts wherever it is (a string or an
    IRI included), a closing one only outside strings and comments, so no quoting trick makes a
    deep query look shallow.

    >>> nesting_depth("SELECT * { { ?s ?p ?o } FILTER((1)) }"), nesting_depth('ASK { "{" }')
    (3, 2)
    """
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "})]":
            depth = max(0, depth - 1)
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c in "\"'":
            end = _string_end(text, i)
            inner = text[i:end]
            # opening brackets inside the string still count (conservative); closing ones do not
            for ch in inner:
                if ch in "{([":
                    depth += 1
                    deepest = max(deepest, depth)
            i = end
            continue
        i += 1
    return deepest


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal starting at ``start`` (or the end of the text)."""
    quote = text[start]
    long = text.startswith(quote * 3, start)
    delim = quote * 3 if long else quote
    i = start + len(delim)
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if not long and c in "\n\r":
            return i  # a short string never spans lines: the parser will report it
        if text.startswith(delim, i):
            return i + len(delim)
        i += 1
    return n


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse ``text`` when it nests deeper than ``limit`` (before any parser sees it)."""
    depth = nesting_depth(text)
    if depth > limit:
        raise RefusedQuery(
            "depth",
            f"the query nests {depth} levels of braces/brackets/parentheses; at most {limit} are accepted",
        )


def inspect_query(text: str, prefixes: Mapping[str, str] | None = None) -> CheckedQuery:
    """Parse ``text`` (after the depth check) and describe it; refuses updates and unparsable text.

    >>> q = inspect_query("SELECT * FROM gkid:a FROM NAMED <urn:x:b> WHERE { SERVICE ?u { ?s ?p ?o } }")
    >>> q.form, q.default_graphs, q.named_graphs, q.uses_service
    ('SELECT', ('https://w3id.org/graphkit/id/a',), ('urn:x:b',), True)
    """
    check_depth(text)
    text = expand_escapes(text)
    check_depth(text)
    tree = _parse(text)
    prologue_part, query = tree[0], tree[1]
    form = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
    if getattr(query, "name", None) not in form:
        raise RefusedQuery("syntax", "malformed SPARQL query: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    default: list[str] = []
    named: list[str] = []
    clauses = query["datasetClause"] if "datasetClause" in query else []
    if clauses:
        from rdflib.plugins.sparql.algebra import translatePrologue

        prologue = translatePrologue(prologue_part, None, dict(prefixes if prefixes is not None else PREFIXES))
        for clause in clauses:
            is_named = "named" in clause  # (CompValue.get answers the key itself when it is missing)
            iri = clause["named"] if is_named else clause["default"]
            (named if is_named else default).append(_resolve(prologue, iri))
    service = any(getattr(node, "name", None) == "ServiceGraphPattern" for node in _walk(query))
    return CheckedQuery(text, form[query.name], tuple(default), tuple(named), service)


def _parse(text: str) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 12_000))  # 64 levels take ~3,000 frames of rdflib's parser
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "does not look like a valid URI" warnings: the engine decides
    try:
        try:
            return parseQuery(text)
        except RecursionError:
            raise RefusedQuery("depth", "the query nests too deeply to be parsed") from None
        except Exception as e:  # noqa: BLE001 - pyparsing's and rdflib's errors alike
            error = one_line(e)
        try:
            parseUpdate(text)
        except Exception:  # noqa: BLE001 - not an update either: report the query's error
            raise RefusedQuery("syntax", f"malformed SPARQL query: {error}") from None
        raise RefusedQuery("update", "SPARQL Update is not accepted: queries here are read-only")
    finally:
        quiet.setLevel(level)
        sys.setrecursionlimit(limit)


def _resolve(prologue: Any, iri: Any) -> str:
    if getattr(iri, "name", None) == "pname":
        local = _PN_LOCAL_ESC.sub(r"\1", str(iri.localname or ""))
        try:
            return str(prologue.resolvePName(iri.prefix, local))
        except Exception as e:  # noqa: BLE001 - an undeclared prefix
            raise RefusedQuery("syntax", f"malformed SPARQL query: {one_line(e)}") from None
    return str(prologue.absolutize(iri))


def _walk(node: Any) -> Iterator[Any]:
    """Every node of a parse tree, depth first, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Mapping):
            stack.extend(current.values())
        elif isinstance(current, list | tuple) or type(current).__name__ == "ParseResults":
            stack.extend(current)


def _has_service_keyword(text: str) -> bool:
    """Whether SERVICE appears as a keyword (not inside a string, an IRI, a name or a comment).

    >>> _has_service_keyword("SELECT * { service <http://x/> { ?s ?p ?o } }")
    True
    >>> _has_service_keyword('SELECT ("SERVICE" AS ?x) {}')
    False
    """
    from graphkit.sparql.binding import tokenize

    try:
        words = {tok.text.upper() for tok in tokenize(text) if tok.kind == "word"}
    except QueryError:  # text the tokenizer cannot read: the parse below decides
        return False
    return "SERVICE" in words and not words & _UPDATE_WORDS  # an update is refused as one, below


def guard_query(
    text: str,
    *,
    graphs: Collection[str] | None,
    default_graphs: Collection[str] = (),
    named_graphs: Collection[str] = (),
    allow_service: bool = False,
    prefixes: Mapping[str, str] | None = None,
) -> CheckedQuery:
    """The checked query, or :class:`RefusedQuery` saying why it may not run.

    ``graphs`` are the names of the store's graphs: every FROM / FROM NAMED IRI and every
    ``default_graphs``/``named_graphs`` (the protocol's ``default-graph-uri``/``named-graph-uri``)
    must be one of them (None: do not check graph names).

    >>> try:
    ...     guard_query("ASK FROM <file:///etc/passwd> { ?s ?p ?o }", graphs={"urn:g"})
    ... except RefusedQuery as e:
    ...     print(e.reason, "-", str(e)[:52])
    dataset - FROM <file:///etc/passwd>: not a graph of this store
    """
    if not allow_service and _has_service_keyword(text):
        # refused at once: rdflib takes seconds to fail on some SERVICE queries (nested ones). The token scan
        # only ever refuses; what it misses (escapes, odd names) is refused on the parse below.
        raise RefusedQuery("service", _NO_SERVICE)
    try:
        checked = inspect_query(text, prefixes)
    except RefusedQuery as e:
        if e.reason not in ("syntax", "depth") or nesting_depth(text) > MAX_DEPTH:
            raise
        if _SERVICE_WORD.search(text) is None:
            raise
        if not allow_service:  # rdflib cannot parse some SERVICE queries (nested, or after a '#'): still refused
            raise RefusedQuery("service", _NO_SERVICE) from None
        checked = _allowed_unparsed(text, prefixes)
    if checked.uses_service and not allow_service:
        raise RefusedQuery("service", _NO_SERVICE)
    if graphs is not None:
        wanted = [(False, g) for g in (*checked.default_graphs, *default_graphs)]
        wanted += [(True, g) for g in (*checked.named_graphs, *named_graphs)]
        for is_named, iri in wanted:
            if iri not in graphs:
                raise RefusedQuery(
                    "dataset",
                    f"FROM{' NAMED' if is_named else ''} <{iri}>: not a graph of this store; graphkit never loads "
                    "graphs from files or the web",
                )
    return checked


def _allowed_unparsed(text: str, prefixes: Mapping[str, str] | None) -> CheckedQuery:
    """With SERVICE allowed, a query rdflib cannot parse (rdflib fails on some valid SERVICE queries)
    is described by graphkit's tokenizer instead; the engine's own parser then decides."""
    from graphkit.sparql.binding import dataset_clauses, query_form

    text = expand_escapes(text)
    form = query_form(text)
    if form == "UPDATE":
        raise RefusedQuery("update", "SPARQL Update is not accepted: queries here are read-only")
    clauses = dataset_clauses(text, prefixes if prefixes is not None else PREFIXES)
    default = tuple(iri for named, iri in clauses if not named)
    named = tuple(iri for is_named, iri in clauses if is_named)
    return CheckedQuery(text, form, default, named, True)
