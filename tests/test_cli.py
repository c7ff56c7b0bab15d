"""The CLI end to end, through the real entry point."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from .conftest import REPO, run_cli


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A build of the seed story (data/seed only, no world sources) into a fresh out dir.

    The world dataset's build is tested in tests/test_ingest_*.py; here the CLI is tested on a graph
    whose every row is known.
    """
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(REPO / "data" / "seed", data / "seed")
    out = tmp_path_factory.mktemp("out")
    proc = run_cli("build", "--data", str(data), "--out", str(out), check=True)
    return out, proc


def test_build_writes_snapshot_summary_and_headline_results(built):
    out, proc = built
    assert "Validation: conforms." in proc.stdout
    assert (out / "graph.nq").stat().st_size > 10_000
    summary = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert summary["conforms"] is True and summary["quads"] > 1000
    with (out / "queries" / "mous.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["party1Label"], r["party2Label"], r["signed"]) for r in rows] == [("Kōya", "Assisi", "2009")]


def test_query_csv_and_json_are_machine_readable(built):
    out, _ = built
    proc = run_cli("query", "representatives", "--format", "csv", "--out", str(out), check=True)
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert sorted((r["personName"], r["roleLabel"], r["portfolioLabel"]) for r in rows) == [
        ("Fabrizio Leggio", "councillor with a portfolio", "tourism"),
        ("Valter Stoppini", "mayor", ""),
    ]
    proc = run_cli("query", "events-promoted-by", "-f", "json", "--out", str(out), check=True)
    data = json.loads(proc.stdout)
    assert {d["venueLabel"] for d in data} == {"Japanese Cultural Institute in Rome"}
    assert {d["participantLabel"] for d in data} >= {"Valter Stoppini", "Fabrizio Leggio", "Assisi"}


def test_inline_query_and_sparql_json(built):
    out, _ = built
    proc = run_cli(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?r a gk:MunicipalRelation }",
        "-f",
        "sparql-json",
        "--out",
        str(out),
        check=True,
    )
    data = json.loads(proc.stdout)
    assert data["head"]["vars"] == ["n"]
    assert data["results"]["bindings"][0]["n"]["value"] == "1"


def test_query_with_param_from_file(built, tmp_path):
    out, _ = built
    proc = run_cli(
        "query",
        "fact-sources",
        "--param",
        "subject=gkid:agreement/assisi-koya-mou-2009",
        "-f",
        "json",
        "--out",
        str(out),
        check=True,
    )
    rows = json.loads(proc.stdout)
    assert {r["quote"] for r in rows} == {"formalizzato dal protocollo d’intesa siglato nel 2009"}
    assert {r["sentence"] for r in rows} == {8}


def test_info_and_export(built, tmp_path):
    out, _ = built
    proc = run_cli("info", "--out", str(out), check=True)
    assert "gk:MunicipalRelation" in proc.stdout and "named graphs: 5" in proc.stdout
    assert "graph/display-labels" in proc.stdout
    for fmt, ext in [("ttl", "ttl"), ("nt", "nt"), ("nq", "nq"), ("jsonld", "jsonld")]:
        target = tmp_path / f"g.{ext}"
        run_cli("export", "graph", "--format", fmt, "-o", str(target), "--out", str(out), check=True)
        from rdflib import Dataset, Graph

        if fmt == "nq":
            ds = Dataset()
            ds.parse(target, format="nquads")
            assert len(list(ds.graphs())) >= 4
        else:
            g = Graph().parse(target, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
            assert len(g) > 1000


def test_validate_reports_and_exits_nonzero(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        """@prefix gk: <https://w3id.org/graphkit/ontology#> .
<https://example.org/r> a gk:MunicipalRelation ; gk:party <https://example.org/a> .""",
        encoding="utf-8",
    )
    proc = run_cli("validate", "--graph", str(bad))
    assert proc.returncode == 1
    assert "does NOT conform" in proc.stdout
    assert "at least two distinct parties" in proc.stdout and "<https://example.org/r>" in proc.stdout
    assert "Traceback" not in proc.stderr
    ok = run_cli(
        "validate", "--graph", str(REPO / "data/seed/assisi-koya.ttl"), "--graph", str(REPO / "data/seed/evidence.ttl")
    )
    assert ok.returncode == 0, ok.stdout


def test_broken_turtle_fails_cleanly_and_writes_nothing(built, tmp_path):
    out, _ = built
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "seed", data / "seed")
    (data / "extra.ttl").write_text("<https://example.org/a> <https://example.org/p> .\n", encoding="utf-8")
    target = tmp_path / "out"
    shutil.copytree(out, target)
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    proc = run_cli("build", "--data", str(data), "--out", str(target))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "extra.ttl" in lines[0]
    after = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["query", "no-such-query"], "no query named 'no-such-query'"),
        (["query", "representatives", "--param", "municipality=not an iri"], "not valid"),
        (["query", "representatives", "--param", "nope=1"], "has no parameter 'nope'"),
        (["query", "SELECT ?x WHERE { ?x"], "malformed SPARQL"),
        (["info", "--out", "/nonexistent-dir"], "run `graphkit build` first"),
        (["info", "--graph", "/nonexistent.ttl"], "no such file"),
    ],
)
def test_errors_are_one_clear_line(built, args, words):
    out, _ = built
    proc = run_cli(*args, *([] if "--out" in args or "--graph" in args else ["--out", str(out)]))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert words in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_every_command_has_help():
    from graphkit.cli import load_commands

    cli = load_commands()

    def walk(group, prefix):
        for name, cmd in group.commands.items():
            yield [*prefix, name], cmd
            if hasattr(cmd, "commands"):
                yield from walk(cmd, [*prefix, name])

    for path, cmd in walk(cli, []):
        assert cmd.help and len(cmd.help) > 30, path
        proc = run_cli(*path, "--help")
        assert proc.returncode == 0 and "Usage:" in proc.stdout, path
