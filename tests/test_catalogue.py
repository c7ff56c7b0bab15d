"""Every catalogue query has a header, parses, and binds its parameters as typed terms."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graphkit.errors import InputError, ParameterError
from graphkit.sparql.catalogue import Parameter, bind_parameters, convert_parameter, get_query, list_queries
from graphkit.store.embedded import EmbeddedStore

QUERIES = list_queries()


@pytest.mark.parametrize("q", QUERIES, ids=[q.name for q in QUERIES])
def test_query_has_header_and_parses(q):
    assert q.title and q.description and q.examples
    empty = EmbeddedStore()
    raw = {p.name: p.default for p in q.params if p.default not in (None, "?")}
    empty.query(q.text, bindings=bind_parameters(q, raw))  # parses and runs on an empty store


@pytest.mark.parametrize(
    ("ptype", "raw", "term"),
    [
        ("iri", "gkid:place/Q20103", URIRef("https://w3id.org/graphkit/id/place/Q20103")),
        ("iri", "<https://example.org/x>", URIRef("https://example.org/x")),
        ("country", "jp", Literal("JP")),
        ("integer", "7", Literal("7", datatype=XSD.integer)),
        ("year", "2009", Literal("2009", datatype=XSD.gYear)),
        ("qid", "Q17", URIRef("http://www.wikidata.org/entity/Q17")),
        ("string", 'Kōya" } #', Literal('Kōya" } #')),
    ],
)
def test_parameter_types(ptype, raw, term):
    assert convert_parameter(Parameter("x", ptype, None, ""), raw) == term


@pytest.mark.parametrize(
    ("ptype", "raw"),
    [
        ("iri", "not an iri"),
        ("iri", "https://x.org/a> } #"),
        ("country", "ITA"),
        ("integer", "7.5"),
        ("year", "09"),
        ("qid", "Q0"),
        ("date", "2009-13-01"),
        ("boolean", "maybe"),
    ],
)
def test_bad_parameter_values_are_clear_errors(ptype, raw):
    with pytest.raises(ParameterError, match="is not valid"):
        convert_parameter(Parameter("x", ptype, None, ""), raw)


def test_unknown_and_missing_parameters():
    q = get_query("representatives")
    with pytest.raises(ParameterError, match="has no parameter"):
        bind_parameters(q, {"nope": "1"})
    with pytest.raises(InputError, match="no query named"):
        get_query("nope")
    with pytest.raises(InputError, match="not a query name"):
        get_query("../etc/passwd")


def test_a_catalogue_this_user_cannot_read_is_a_clean_error(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from graphkit.errors import InputError
    from graphkit.sparql.catalogue import get_query

    def denied(self: Path) -> bool:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "is_file", denied)
    with pytest.raises(InputError, match=r"mous\.rq: cannot read the query catalogue \(Permission denied\)"):
        get_query("mous", tmp_path)
