"""Run a query given the way a user types it: a catalogue name, a ``.rq`` file, or SPARQL text.

>>> resolve_query_spec("SELECT * WHERE { ?s ?p ?o }").name
'inline'
>>> resolve_query_spec("mous").name
'mous'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from graphkit.sparql.catalogue import NamedQuery, bind_parameters, get_query, load_query_file
from graphkit.sparql.results import QueryResult
from graphkit.store.embedded import Store

_SPARQL_START = re.compile(r"^\s*(#[^\n]*\n\s*)*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def resolve_query_spec(spec: str) -> NamedQuery:
    """A catalogue query, a query file, or inline text (with no declared parameters)."""
    if _SPARQL_START.match(spec):
        return NamedQuery("inline", "inline query", "", (), (), spec)
    if spec.endswith(".rq") or "/" in spec or Path(spec).is_file():
        return load_query_file(spec) if _has_header(spec) else _bare_file(spec)
    return get_query(spec)


def _has_header(path: str) -> bool:
    try:
        return "# title:" in Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # let load_query_file report the problem


def _bare_file(path: str) -> NamedQuery:
    return NamedQuery(Path(path).stem, Path(path).stem, "", (), (), Path(path).read_text(encoding="utf-8"))


def run_query_spec(store: Store, spec: str, params: Mapping[str, str] | None = None) -> QueryResult:
    """Resolve ``spec`` and run it with ``params`` bound as typed RDF terms."""
    query = resolve_query_spec(spec)
    return store.query(query.text, bindings=bind_parameters(query, params or {}))
