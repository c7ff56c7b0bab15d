"""Safe parameter binding for SPARQL text: a ``VALUES`` block of validated RDF terms.

Parameters are RDF terms (rdflib ``URIRef``/``Literal``), serialised by :func:`term_to_sparql`,
which escapes every literal and rejects an IRI or language tag that could break out of its token.
The block is placed at the start of the query's WHERE group, so it constrains the pattern the way
rdflib's ``initBindings`` does, and the same text works on any SPARQL 1.1 endpoint.

>>> from rdflib import Literal
>>> q = "SELECT ?city WHERE { ?city <https://x.org/cc> ?cc }"
>>> print(bind_values(q, {"cc": Literal('JP" } #')}))
SELECT ?city WHERE { VALUES (?cc) { ("JP\\" } #") } ?city <https://x.org/cc> ?cc }
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graphkit.errors import ParameterError, QueryError

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def iri_to_sparql(iri: str) -> str:
    """``<iri>``, refusing characters that are not allowed inside an IRI reference.

    >>> iri_to_sparql("https://x.org/a")
    '<https://x.org/a>'
    """
    if not iri or _IRI_FORBIDDEN.search(iri):
        raise ParameterError(f"not a valid IRI: {iri!r}")
    return f"<{iri}>"


def term_to_sparql(term: Node) -> str:
    """An RDF term in SPARQL syntax, escaped so that it is always exactly one term.

    >>> term_to_sparql(Literal("Ploiești\\n"))
    '"Ploiești\\\\n"'
    >>> term_to_sparql(Literal("2009", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")))
    '"2009"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    if isinstance(term, URIRef):
        return iri_to_sparql(str(term))
    if isinstance(term, Literal):
        body = '"' + "".join(_ESCAPES.get(c, c) for c in str(term)) + '"'
        if term.language:
            if not _LANG.match(term.language):
                raise ParameterError(f"not a valid language tag: {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{body}^^{iri_to_sparql(str(term.datatype))}"
        return body
    if isinstance(term, BNode):
        raise ParameterError("a blank node cannot be a query parameter")
    raise ParameterError(f"not an RDF term: {term!r}")


def bind_values(query: str, bindings: Mapping[str, Node]) -> str:
    """Return ``query`` with a ``VALUES`` block binding each variable to its term."""
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VARNAME.match(name):
            raise ParameterError(f"not a valid variable name: {name!r}")
    values = " ".join(term_to_sparql(bindings[n]) for n in names)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }} "
    pos = where_brace_position(query)
    return query[: pos + 1] + " " + block + query[pos + 1 :].lstrip(" ")


def where_brace_position(query: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (skipping strings, IRIs, comments).

    >>> q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    >>> where_brace_position(q)
    29
    """
    tokens = list(_top_level_tokens(query))
    is_construct = any(t.upper() == "CONSTRUCT" for t, _ in tokens if t not in "{}")
    seen_where = False
    skipped_template = False
    for tok, pos in tokens:
        up = tok.upper()
        if up == "WHERE":
            seen_where = True
        elif tok == "{":
            if is_construct and not seen_where and not skipped_template:
                skipped_template = True
                continue
            return pos
    raise QueryError("cannot find the WHERE clause of the query")


def _top_level_tokens(query: str) -> list[tuple[str, int]]:
    """Keywords and braces at nesting depth 0, ignoring strings, IRIs and comments."""
    return [
        (t.text, t.pos)
        for t in tokenize(query)
        if t.depth == 0 and (t.kind == "word" or (t.kind == "punct" and t.text in ("{", "}")))
    ]


@dataclass(frozen=True)
class Token:
    """A lexical token of SPARQL text: ``kind`` is one of ``word`` (a keyword or function name), ``pname``
    (a prefixed name such as ``gk:party`` or ``rdf:``), ``iri`` (``<...>``, brackets included), ``var``,
    ``string``, ``number`` or ``punct``. ``depth`` is the brace nesting depth at the token (for ``{``,
    the depth outside it)."""

    kind: str
    text: str
    pos: int
    depth: int


_WORD = re.compile(r"[^\W\d][\w-]*(?:\.[\w-]+)*", re.UNICODE)
_PNAME = re.compile(r"(?:[^\W\d][\w.-]*)?:(?:[\w:%-]|\\.|\.(?=[\w:%-]))*", re.UNICODE)
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_VAR = re.compile(r"[?$][\w]+", re.UNICODE)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?")


def tokenize(query: str) -> list[Token]:
    """Split SPARQL text into tokens, skipping whitespace and comments (never confused by ``#``, braces or
    keywords inside strings and IRIs).

    >>> [(t.kind, t.text) for t in tokenize('SELECT ?s { ?s rdfs:label "a } # b" } # done')]
    [('word', 'SELECT'), ('var', '?s'), ('punct', '{'), ('var', '?s'), ('pname', 'rdfs:label'), \
('string', '"a } # b"'), ('punct', '}')]
    """
    out: list[Token] = []
    depth = 0
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
            continue
        if c == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            delim = c * 3 if query.startswith(c * 3, i) else c
            j = i + len(delim)
            while j < n and not query.startswith(delim, j):
                j += 2 if query[j] == "\\" else 1
            end = min(n, j + len(delim))
            out.append(Token("string", query[i:end], i, depth))
            i = end
            continue
        m = _IRIREF.match(query, i) if c == "<" else None
        if m is None and c in "?$":
            m = _VAR.match(query, i)
            kind = "var"
        elif m is not None:
            kind = "iri"
        else:
            m = _PNAME.match(query, i)
            kind = "pname"
            if m is None:
                m = _WORD.match(query, i)
                kind = "word"
            if m is None:
                m = _NUMBER.match(query, i)
                kind = "number"
        if m is not None and m.end() > i:
            out.append(Token(kind, m.group(), i, depth))
            i = m.end()
            continue
        if c == "}":
            depth = max(0, depth - 1)
        out.append(Token("punct", c, i, depth))
        if c == "{":
            depth += 1
        i += 1
    return out


#: The SPARQL Update operations (a request that starts with one of these is an update, not a query).
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(query: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, or ``UPDATE`` for a SPARQL Update request.

    >>> query_form("PREFIX select: <https://x.org/> # ASK\\nCONSTRUCT WHERE { ?s select:p ?o }")
    'CONSTRUCT'
    >>> query_form("prefix x: <https://x.org/> insert data { x:a x:b x:c }")
    'UPDATE'
    """
    for t in tokenize(query):
        if t.kind != "word":
            continue
        up = t.text.upper()
        if up in QUERY_FORMS:
            return up
        if up in UPDATE_KEYWORDS:
            return "UPDATE"
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def prefix_declarations(tokens: list[Token]) -> dict[str, str]:
    """The ``PREFIX p: <iri>`` declarations among ``tokens``, as ``{"p": "iri"}``."""
    out: dict[str, str] = {}
    for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if a.kind == "word" and a.text.upper() == "PREFIX" and b.kind == "pname" and c.kind == "iri":
            out[b.text[:-1]] = c.text[1:-1]
    return out


def dataset_clauses(query: str, prefixes: Mapping[str, str] | None = None) -> list[tuple[bool, str]]:
    """The ``FROM`` / ``FROM NAMED`` graphs a query names, as ``(named, iri)``; prefixed names are
    expanded with the query's own declarations, then ``prefixes``.

    >>> dataset_clauses("SELECT * FROM <file:///etc/passwd> FROM NAMED g:x WHERE { ?s ?p ?o }", {"g": "https://g/"})
    [(False, 'file:///etc/passwd'), (True, 'https://g/x')]
    """
    tokens = tokenize(query)
    known = dict(prefixes or {})
    known.update(prefix_declarations(tokens))
    out: list[tuple[bool, str]] = []
    for i, t in enumerate(tokens):
        if t.kind != "word" or t.text.upper() != "FROM":
            continue
        j = i + 1
        named = j < len(tokens) and tokens[j].kind == "word" and tokens[j].text.upper() == "NAMED"
        j += 1 if named else 0
        if j >= len(tokens):
            raise QueryError("FROM without a graph IRI")
        g = tokens[j]
        if g.kind == "iri":
            out.append((named, g.text[1:-1]))
        elif g.kind == "pname" and g.text.split(":", 1)[0] in known:
            p, local = g.text.split(":", 1)
            out.append((named, known[p] + local))
        else:
            raise QueryError(f"FROM{' NAMED' if named else ''} must be followed by a graph IRI, not {g.text!r}")
    return out
