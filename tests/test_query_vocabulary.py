"""Query parameters with a closed vocabulary: an unknown value is a one-line error naming the known
ones; a query that returns nothing says which values the graph holds (graphkit.sparql.vocabulary)."""

from __future__ import annotations

import pytest

from graphkit.errors import ParameterError
from graphkit.sparql.catalogue import bind_parameters, get_query, run_named_query
from graphkit.sparql.vocabulary import empty_result_note

from .conftest import REPO, run_cli

SEED = ("--graph", str(REPO / "data" / "seed" / "assisi-koya.ttl"), "--graph", str(REPO / "ontology" / "vocab.ttl"))


def test_unknown_concept_is_a_one_line_error_naming_the_scheme() -> None:
    proc = run_cli("query", "ended-relations", "--param", "status=relstatus:actve", *SEED)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: parameter 'status': relstatus:actve is not a concept of its scheme")
    assert "relstatus:suspended" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_unknown_country_code_is_refused() -> None:
    proc = run_cli("query", "active-relations-between-countries", "--param", "countryB=XX", *SEED)
    assert proc.returncode == 1 and "XX is not an ISO 3166-1 alpha-2 country code" in proc.stderr


def test_an_empty_result_lists_what_the_graph_holds() -> None:
    proc = run_cli("query", "relation-sectors", "--param", "sector=sector:sport", "-f", "csv", *SEED)
    assert proc.returncode == 0
    assert proc.stdout.strip() == "relation,party1Label,party2Label,sectors"
    note = "note: no rows; sector=sector:sport: values in the graph: sector:culture (2), sector:tourism (2)"
    assert proc.stderr.strip() == note


def test_countries_present_are_listed_with_counts(seed_store) -> None:  # type: ignore[no-untyped-def]
    query = get_query("active-relations-between-countries")
    bindings = bind_parameters(query, {"countryA": "FR", "countryB": "DE"})
    result = run_named_query(seed_store, query.name, {"countryA": "FR", "countryB": "DE"})
    note = empty_result_note(seed_store, query.params, bindings, result)
    assert note is not None and note.startswith("note: no rows; countryA=FR: values in the graph: ")
    assert "IT (" in note and "JP (" in note


def test_known_values_pass_and_unknown_ones_do_not() -> None:
    query = get_query("ended-relations")
    assert str(bind_parameters(query, {"status": "relstatus:suspended"})["status"]).endswith("/suspended")
    with pytest.raises(ParameterError, match="relstatus:nope is not a concept"):
        bind_parameters(query, {"status": "relstatus:nope"})
