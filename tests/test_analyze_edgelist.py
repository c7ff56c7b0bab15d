"""Reading plain edge lists (KONECT style) into the knowledge-graph model."""

from __future__ import annotations

import pytest

from graphkit.analyze.edgelist import edge_list_to_store, node_iri, read_edge_list
from graphkit.analyze.projections import municipality_graph
from graphkit.errors import InputError, ParseError
from graphkit.validate.validator import load_ontology, validate_graph


def write(tmp_path, text: str, name: str = "out.test"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_comments_blank_lines_extra_numeric_columns(tmp_path):
    path = write(
        tmp_path,
        "% sym unweighted\n% 4 3 3\n\n1 2\n  2\t3  \n# a comment\n3 1 1 1136070000\n\n1 2\n2 1\n4 4\n",
    )
    edges = read_edge_list(path)
    assert edges.pairs == [("1", "2"), ("2", "3"), ("3", "1")]
    assert edges.nodes == ["1", "2", "3"]
    assert (edges.duplicates, edges.self_loops, edges.lines) == (2, 1, 11)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("1 2\n3\n", 2),  # one id
        ("% c\n\n1 2\n2 3 heavy\n", 4),  # a non-numeric third column
        ("1 2\n1,2\n", 2),  # comma-separated
    ],
)
def test_bad_lines_name_the_line(tmp_path, text, line):
    path = write(tmp_path, text)
    with pytest.raises(ParseError, match=rf"out\.test:{line}: expected two node ids"):
        read_edge_list(path)


def test_not_utf8_and_missing_file(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"1 2\n\xff\xfe 3\n")
    with pytest.raises(ParseError, match=r"bad\.txt:2: not UTF-8"):
        read_edge_list(path)
    with pytest.raises(InputError, match="no such file"):
        read_edge_list(tmp_path / "missing.txt")


def test_empty_file_gives_an_empty_graph(tmp_path):
    edges = read_edge_list(write(tmp_path, "% nothing\n"))
    assert edges.pairs == [] and edges.lines == 1
    assert municipality_graph(edge_list_to_store(edges)).number_of_nodes() == 0


def test_into_the_model_and_back(tmp_path):
    edges = read_edge_list(write(tmp_path, "Łódź São_Paulo\nSão_Paulo a/b?c#d\n", name="cities.txt"))
    store = edge_list_to_store(edges)
    G = municipality_graph(store)
    assert sorted(d["label"] for _, d in G.nodes(data=True)) == sorted(["a/b?c#d", "Łódź", "São_Paulo"])
    assert G.has_edge(str(node_iri("cities-txt", "Łódź")), str(node_iri("cities-txt", "São_Paulo")))
    assert str(node_iri("cities-txt", "a/b?c#d")).endswith("/node/a%2Fb%3Fc%23d")
    [e] = [d for u, v, d in G.edges(data=True) if "a/b?c#d" in (G.nodes[u]["label"], G.nodes[v]["label"])]
    assert e["relation_types"] == ("reltype:partnership",) and e["n_sources"] == 1
    # the edge-list graph follows the contract: it validates against the project's shapes with the ontology
    report = validate_graph(store.to_rdflib(), ontology=load_ontology())
    assert report.conforms, report.summary()
