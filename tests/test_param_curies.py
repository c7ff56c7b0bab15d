"""`--param` takes a gkid: IRI in every form a user writes it (issue 17, item 8): `gkid:place/Q20103` as
the README shows it, `gkid:place\\/Q20103` as SPARQL requires inside a query, or the full IRI."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from graphkit.errors import ParameterError, QueryError
from graphkit.sparql.catalogue import bind_parameters, get_query, iri_from_text, run_named_query
from graphkit.sparql.results import as_select

from .conftest import REPO, run_cli

ASSISI = URIRef("https://w3id.org/graphkit/id/place/Q20103")
FORMS = [
    "gkid:place/Q20103",
    "gkid:place\\/Q20103",
    "https://w3id.org/graphkit/id/place/Q20103",
    "<https://w3id.org/graphkit/id/place/Q20103>",
    " gkid:place/Q20103 ",
]


@pytest.mark.parametrize("form", FORMS)
def test_every_form_is_the_same_iri(form):
    assert iri_from_text(form.strip()) == ASSISI


def test_other_local_name_escapes_are_undone():
    assert str(iri_from_text("gkid:org/embassy\\-of\\-japan")) == "https://w3id.org/graphkit/id/org/embassy-of-japan"
    assert str(iri_from_text("wd:Q20103")) == "http://www.wikidata.org/entity/Q20103"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("gkidd:place/Q20103", "unknown prefix 'gkidd:'"),
        ("place/Q20103", "expected an absolute IRI (https://...) or a prefixed name such as gkid:place/Q20103"),
        ("gkid:place/Q20103> . ?s ?p ?o", "an IRI cannot contain spaces"),
        ("<https://x.org/a b>", "expected an absolute IRI"),
    ],
)
def test_bad_values_are_one_line_errors(raw, words):
    with pytest.raises(ParameterError) as e:
        bind_parameters(get_query("representatives"), {"municipality": raw})
    assert words in str(e.value) and "\n" not in str(e.value)
    assert str(e.value).startswith("parameter 'municipality' (iri): ")


@pytest.mark.parametrize("form", FORMS)
def test_the_catalogue_query_gives_the_same_rows_for_every_form(seed_store, form):
    rows = as_select(run_named_query(seed_store, "representatives", {"municipality": form})).records()
    assert sorted(r["personName"] for r in rows) == ["Fabrizio Leggio", "Valter Stoppini"]
    assert rows == as_select(run_named_query(seed_store, "representatives")).records()  # the default: Assisi


def test_in_query_text_only_the_escaped_form_is_a_prefixed_name(seed_store):
    assert seed_store.query("ASK { gkid:place\\/Q20103 gk:wikidata wd:Q20103 }").value
    with pytest.raises(QueryError):
        seed_store.query("ASK { gkid:place/Q20103 gk:wikidata wd:Q20103 }")


def test_the_catalogue_documents_the_forms():
    q = get_query("representatives")
    assert q.param("municipality").default == "gkid:place/Q20103"
    doc = iri_from_text.__doc__ or ""
    assert "gkid:place\\/Q20103" in doc and "gkid:place/Q20103" in doc


def test_cli_accepts_the_escaped_form(tmp_path):
    seed = REPO / "data" / "seed"
    args = ["query", "representatives", "--graph", str(seed / "assisi-koya.ttl"), "-f", "csv"]
    plain = run_cli(*args, "--param", "municipality=gkid:place/Q20103", cwd=tmp_path)
    escaped = run_cli(*args, "--param", "municipality=gkid:place\\/Q20103", cwd=tmp_path)
    assert plain.returncode == escaped.returncode == 0, plain.stderr + escaped.stderr
    assert "Stoppini" in plain.stdout and escaped.stdout == plain.stdout
