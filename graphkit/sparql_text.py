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
    out: list[tuple[str, int]] = []
    depth = 0
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            long = query.startswith(c * 3, i)
            delim = c * 3 if long else c
            j = i + len(delim)
            while j < n and not query.startswith(delim, j):
                j += 2 if query[j] == "\\" else 1
            i = j + len(delim)
            continue
        if c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", query[i:]):
            i = query.index(">", i) + 1
            continue
        if c == "{":
            if depth == 0:
                out.append(("{", i))
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                out.append(("}", i))
        elif depth == 0 and (c.isalpha()):
            m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", query[i:])
            assert m
            word = m.group()
            if i == 0 or query[i - 1] not in "?$:":
                out.append((word, i))
            i += len(word)
            continue
        i += 1
    return out
