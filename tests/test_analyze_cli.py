"""`graphkit analyze` end to end through the real entry point: JSON keys and values, the report files,
escaping, clean errors, and write-back into the snapshot queried with `graphkit query`."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from graphkit.analyze.stats import STAT_KEYS
from graphkit.store.open import open_graph

from .conftest import REPO, run_cli

FIXTURES = REPO / "tests" / "fixtures" / "analyze"


def test_edges_json_has_exactly_the_keys_and_the_hand_checked_values():
    proc = run_cli("analyze", "--edges", str(FIXTURES / "perugia-assisi-slice.txt"), "--format", "json", "--no-report")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == list(STAT_KEYS)
    assert {k: data[k] for k in ("nodes", "edges", "max_degree", "lcc_nodes", "triangles", "diameter")} == {
        "nodes": 12, "edges": 11, "max_degree": 6, "lcc_nodes": 7, "triangles": 1, "diameter": 2,
    }  # fmt: skip
    assert data["transitivity"] == pytest.approx(3 / 23)
    assert data["mean_distance"] == pytest.approx(35 / 21)
    assert data["power_law_exponent"] == pytest.approx(1 + 12 / (math.log(6) + 4 * math.log(2)))
    assert "read " in proc.stderr and "11 edges, 12 nodes" in proc.stderr


def test_bad_edge_list_is_one_clean_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("% ok\n1 2\nonlyone\n", encoding="utf-8")
    proc = run_cli("analyze", "--edges", str(bad), "--no-report")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"error: {bad}:3: expected two node ids separated by whitespace (optionally followed by a numeric weight "
        "and timestamp), got 'onlyone'"
    ]
    assert proc.stdout == ""


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.images: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """The fixture KG copied into a fresh out dir as its snapshot, analysed with --write-back."""
    out = tmp_path_factory.mktemp("out")
    open_graph([FIXTURES / "small-kg.ttl"]).dump(out / "graph.nq")
    proc = run_cli("analyze", "--out", str(out), "--write-back", "--format", "markdown", "--top", "3")
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_markdown_table_and_report_files(analysed):
    out, proc = analysed
    assert "| Nodes (n) | nodes | 8 |" in proc.stdout
    assert "| Triangles (t) | triangles | 1 |" in proc.stdout
    report = out / "analysis"
    for name in ("degree_distribution", "partner_distances", "country_pairs"):
        assert (report / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        root = ET.parse(report / f"{name}.svg").getroot()
        assert root.tag.endswith("svg")
    assert json.loads((report / "stats.json").read_text(encoding="utf-8"))["edges"] == 7
    full = json.loads((report / "analysis.json").read_text(encoding="utf-8"))
    assert full["reciprocity"]["pairs_one_sided"] == 3
    assert [t["step"] for t in full["timings"]][1:3] == ["read relations (SPARQL)", "project municipality graph"]
    md = (report / "report.md").read_text(encoding="utf-8")
    assert "## Reciprocity (who lists whom)" in md and "![Degree distribution (log-log)](degree_distribution.svg)" in md
    assert "<script>" not in md and 'Aix &lt;script&gt;alert(1)&lt;/script&gt; &amp; "Provence"' in md


def test_html_report_escapes_labels(analysed):
    out, _ = analysed
    page = (out / "analysis" / "report.html").read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(page)
    assert "script" not in parser.tags  # the label "Aix <script>alert(1)</script> ..." stays text
    assert 'Aix <script>alert(1)</script> & "Provence"' in "".join(parser.text)
    assert sorted(parser.images) == ["country_pairs.svg", "degree_distribution.svg", "partner_distances.svg"]


def test_write_back_is_queryable_with_graphkit_query(analysed):
    out, proc = analysed
    assert "graph/analysis/network" in proc.stderr
    q = (
        "SELECT ?label ?degree WHERE { ?m gk:degree ?degree ; gk:wikidata wd:Q3437 ; rdfs:label ?label "
        "FILTER(LANG(?label) = 'en') }"
    )
    res = run_cli("query", q, "--format", "json", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == [{"label": "Perugia", "degree": 2}]
