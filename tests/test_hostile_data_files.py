"""Hostile RDF data files and names: odd file names, a byte-order mark, a misbound ``gk:``, a symlink
out of ``data/``, a 100,000-character label, a name that starts with ``<`` — through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graphkit.rdf.namespaces import graph_iri

from .conftest import REPO, run_cli

SEED = REPO / "data" / "seed" / "assisi-koya.ttl"
GK = "https://w3id.org/graphkit/ontology#"
ID = "https://w3id.org/graphkit/id/"


def _two_places(path: Path, label1: str, label2: str = "Roma") -> Path:
    esc = label1.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(
        f"""@prefix gk: <{GK}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ID}place/h1> a gk:Municipality ; rdfs:label "{esc}" .
<{ID}place/h2> a gk:Municipality ; rdfs:label "{label2}" .
<{ID}relation/h> a gk:MunicipalRelation ; gk:party <{ID}place/h1>, <{ID}place/h2> .
""",
        encoding="utf-8",
    )
    return path


def test_graph_iri_percent_encodes_what_an_iri_cannot_hold():
    assert str(graph_iri("seed/my file <1>.ttl")) == "https://w3id.org/graphkit/graph/seed/my%20file%20%3C1%3E.ttl"
    assert str(graph_iri('a"b{c}|d\\e^f`g#h?i%j')) == (
        "https://w3id.org/graphkit/graph/a%22b%7Bc%7D%7Cd%5Ce%5Ef%60g%23h%3Fi%25j"
    )
    assert str(graph_iri("seed/Kōya.ttl")).endswith("/seed/Kōya.ttl")


def test_a_data_file_named_with_spaces_and_brackets_builds(tmp_path):
    data = tmp_path / "data"
    (data / "seed").mkdir(parents=True)
    shutil.copy(SEED, data / "seed" / "my file <1>.ttl")
    proc = run_cli("build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    graphs = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))["graphs"]
    assert graphs["https://w3id.org/graphkit/graph/seed/my%20file%20%3C1%3E.ttl"] > 100
    info = run_cli("info", "--graph", str(data / "seed" / "my file <1>.ttl"))
    assert info.returncode == 0 and "graph/file/my%20file%20%3C1%3E.ttl" in info.stdout


def test_a_turtle_file_with_a_utf8_bom_is_read(tmp_path):
    f = tmp_path / "bom.ttl"
    f.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes())
    plain = run_cli("query", "mous", "--graph", str(SEED), "-f", "csv", check=True).stdout
    with_bom = run_cli("query", "mous", "--graph", str(f), "-f", "csv", check=True)
    assert with_bom.stdout == plain and "Kōya,Assisi" in plain


def test_gk_bound_to_a_wrong_namespace_is_a_warning(tmp_path):
    f = tmp_path / "typo.ttl"
    f.write_text(
        f"@prefix gk: <https://w3id.org/graphkit/ontology/> .\n<{ID}place/x> a gk:Municipality .\n", encoding="utf-8"
    )
    proc = run_cli("info", "--graph", str(f))
    assert proc.returncode == 0
    assert proc.stderr.splitlines() == [
        f"warning: {f}: prefix gk: is bound to <https://w3id.org/graphkit/ontology/>, not graphkit's <{GK}>; "
        "fix the @prefix line (its terms are not graphkit's)"
    ]
    right = run_cli("info", "--graph", str(SEED))
    assert "warning" not in right.stderr


def test_a_symlink_out_of_data_is_read_with_a_warning(tmp_path):
    data = tmp_path / "data"
    (data / "seed").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SEED, elsewhere / "story.ttl")
    (data / "seed" / "story.ttl").symlink_to(elsewhere / "story.ttl")
    proc = run_cli("build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {data / 'seed' / 'story.ttl'}: is a symbolic link to {elsewhere / 'story.ttl'}, outside {data}; "
        "read anyway (copy the file in to silence this)"
    ]


def test_a_view_of_a_100k_character_label_gets_a_short_file_name(tmp_path):
    label = "A" * 100_000
    graph = _two_places(tmp_path / "long.ttl", label)
    out = tmp_path / "out"
    proc = run_cli("view", "entity", label, "--graph", str(graph), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[:300]
    (written,) = (out / "views").iterdir()
    assert written.name.startswith("entity-aaaa") and written.name.endswith(".html")
    assert len(written.name.encode()) <= 120
    assert len(proc.stderr) < 400  # the message names the short file, not the label


@pytest.mark.parametrize("label", ["<Roma>", "<img src=x onerror=alert(1)>", "<b>Assisi</b>"])
def test_view_looks_up_a_name_starting_with_angle_bracket(tmp_path, label):
    graph = _two_places(tmp_path / "lt.ttl", label)
    for kind in ("entity", "ego"):
        target = tmp_path / f"{kind}.html"
        proc = run_cli("view", kind, label, "--graph", str(graph), "-o", str(target))
        assert proc.returncode == 0, proc.stderr
        assert target.is_file()
    iri = run_cli("view", "entity", f"<{ID}place/h2>", "--graph", str(graph), "-o", str(tmp_path / "iri.html"))
    assert iri.returncode == 0, iri.stderr
