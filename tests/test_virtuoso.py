"""OpenLink Virtuoso (Debian's virtuoso-opensource) as the team's shared endpoint: scripts/virtuoso.sh
starts it on loopback with its own password, `graphkit push` and the script's bulk loader publish a
build (twice: no duplicates), every catalogue query gives the embedded store's rows on the seed and on
a slice of the world build, and a result past the server's limits is an error, never silently short.

One server for the session (tests/servers.py); it is stopped at the end and no process may be left."""

from __future__ import annotations

import re
import stat
import zlib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graphkit.build.pipeline import assemble
from graphkit.errors import QueryError, StoreError
from graphkit.rdf.namespaces import graph_iri
from graphkit.sparql.catalogue import list_queries, run_named_query
from graphkit.sparql.results import SelectResult
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.remote import RemoteStore

from .conftest import REPO, run_cli
from .servers import Virtuoso, virtuoso  # noqa: F401 - a fixture

pytestmark = pytest.mark.server

EX = "https://example.org/"
#: The session server's ResultSetMaxRows (tests/servers.py).
LIMIT = Virtuoso.MAX_ROWS
_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\((?:[^;()]|\([^()]*\))*;\s*separator\s*=\s*"((?:[^"\\]|\\.)*)"\s*\)\s*AS\s*\?(\w+)', re.I
)


def comparable(result: SelectResult, query_text: str) -> Counter[tuple[object, ...]]:
    """The rows as a multiset, each GROUP_CONCAT cell as the sorted list of its parts: SPARQL leaves
    the order of the parts to the engine (and Virtuoso drops a language tag the parts share)."""
    seps = {var: sep for sep, var in _CONCAT.findall(query_text)}
    at = {i: seps[v] for i, v in enumerate(result.variables) if v in seps}
    return Counter(
        tuple(tuple(sorted(str(c).split(at[i]))) if i in at and c is not None else c for i, c in enumerate(row))
        for row in result.rows
    )


def catalogue_differences(local: EmbeddedStore, remote: RemoteStore) -> list[str]:
    """Names (with the first differing row) of the catalogue queries whose rows differ."""
    problems = []
    for q in list_queries():
        expected = run_named_query(local, q.name)
        got = run_named_query(remote, q.name)
        assert isinstance(expected, SelectResult) and isinstance(got, SelectResult)
        a, b = comparable(expected, q.text), comparable(got, q.text)
        if a != b:
            problems.append(f"{q.name}: {len(expected)} vs {len(got)} rows, e.g. {list((a - b) or (b - a))[:1]}")
    return problems


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EmbeddedStore]:
    """The seed build (ontology + curated seed, display labels) as out/graph.nq."""
    from graphkit.store.display_labels import materialise_display_labels

    out = tmp_path_factory.mktemp("seed-out")
    store, _ = assemble(REPO / "data", out, steps=())
    materialise_display_labels(store)
    store.dump(out / "graph.nq")
    return out, store


def test_the_server_is_private_to_its_data_dir_and_loopback(virtuoso: Virtuoso) -> None:  # noqa: F811
    pwfile = virtuoso.dir / "dba.password"
    assert stat.S_IMODE(pwfile.stat().st_mode) == 0o600
    assert len(virtuoso.password) == 16 and virtuoso.password != "dba"
    ini = (virtuoso.dir / "virtuoso.ini").read_text(encoding="utf-8")
    ports = re.findall(r"^ServerPort\s*=\s*(\S+)$", ini, re.M)
    assert sorted(ports) == sorted([f"127.0.0.1:{virtuoso.port}", f"127.0.0.1:{virtuoso.env['VIRTUOSO_ISQL_PORT']}"])
    virtuoso.clear()
    # the default admin password is refused; the anonymous endpoint cannot write
    base = virtuoso.base
    with pytest.raises(StoreError, match="credentials"):
        RemoteStore(base + "/sparql", update_endpoint=base + "/sparql-auth", user="dba", password="dba").update(
            f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> 1 }} }}"
        )
    with pytest.raises((QueryError, StoreError)):
        RemoteStore(base + "/sparql", update_endpoint=base + "/sparql").update(
            f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> 1 }} }}"
        )
    # Virtuoso's own metadata graphs are not in what anonymous queries see
    anonymous = RemoteStore(base + "/sparql")
    assert len(anonymous) == 0 and anonymous.graphs() == []
    assert anonymous.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records() == [{"n": 0}]
    # start again: the running server is kept, its endpoints printed
    again = virtuoso.run("start")
    assert f"{base}/sparql-auth" in again.stdout and "already running" in again.stderr
    assert "running (pid" in virtuoso.run("status").stdout


def test_graphkit_push_twice_and_every_catalogue_query_on_the_seed(
    virtuoso: Virtuoso,  # noqa: F811
    seed_out: tuple[Path, EmbeddedStore],
) -> None:
    out, local = seed_out
    virtuoso.clear()
    args = ["push", "--endpoint", virtuoso.base + "/sparql", "--update-endpoint", virtuoso.base + "/sparql-auth"]
    args += ["--user", "dba", "--password", virtuoso.password, "--out", str(out)]
    n_graphs = len(local.graphs())
    for _ in range(2):  # each named graph is replaced: a second push does not duplicate
        proc = run_cli(*args, check=True)
        assert f"Pushed {len(local)} triples in {n_graphs} named graphs to {virtuoso.base}/sparql-graph-crud-auth" in (
            proc.stdout
        )
        # not on a terminal: a line per named graph on stderr (no silent wait)
        assert len(re.findall(rf"^push: graph \d+/{n_graphs} https://", proc.stderr, re.M)) == n_graphs
    remote = virtuoso.store()
    assert len(remote) == len(local) and remote.graphs() == local.graphs()
    assert catalogue_differences(local, remote) == []
    # the reified statements' blank nodes came through intact
    assert run_named_query(remote, "fact-sources").records() == run_named_query(local, "fact-sources").records()


def test_bulk_push_twice_and_every_catalogue_query_on_a_world_slice(
    virtuoso: Virtuoso,  # noqa: F811
    world,  # noqa: ANN001 - the session's world build (conftest)
    tmp_path: Path,
) -> None:
    store = world[0]
    full = store.dump(tmp_path / "world.nq")
    world_graph = f"<{graph_iri('world')}>"
    # a fifth of the world's subjects (every triple about them) and every other graph in full
    kept = [
        line
        for line in full.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.rstrip().endswith(f"{world_graph} .") or zlib.crc32(line.split(" ", 1)[0].encode()) % 5 == 0
    ]
    slice_file = tmp_path / "slice.nq"
    slice_file.write_text("".join(kept), encoding="utf-8")
    local = EmbeddedStore()
    local.load_file(slice_file)
    assert len(local) > 90_000
    virtuoso.clear()
    for _ in range(2):
        proc = virtuoso.run("push", str(slice_file))
        assert "with the bulk loader in" in proc.stdout
    remote = virtuoso.store(timeout=120)
    assert len(remote) == len(local) and remote.graphs() == local.graphs()
    assert catalogue_differences(local, remote) == []


def test_gyear_dates_decimals_and_language_tags_come_back_as_loaded(virtuoso: Virtuoso) -> None:  # noqa: F811
    ttl = (
        f'<{EX}a> <{EX}since> "2009"^^<{XSD}gYear> ; <{EX}on> "2009-05-01"^^<{XSD}date> ; <{EX}lat> 43.07 ;'
        f' <{EX}hex> "0FB7"^^<{XSD}hexBinary> ; <{EX}n> 16 ;'
        f' <{EX}label> "Assisi"@it , "Assisi"@en-GB , "高野町"@ja , "plain" .'
    )
    local = EmbeddedStore()
    local.load_data(ttl, "ttl", graph=URIRef(EX + "g"))
    virtuoso.clear()
    remote = virtuoso.store()
    remote.load_data(ttl, "ttl", graph=URIRef(EX + "g"))
    everything = f"SELECT ?p ?o WHERE {{ <{EX}a> ?p ?o }}"
    assert Counter(remote.query(everything).rows) == Counter(local.query(everything).rows)
    by_year = "SELECT ?s WHERE { ?s <https://example.org/since> ?y }"
    year = {"y": Literal("2009", datatype=XSD.gYear)}
    assert remote.query(by_year, bindings=year).records() == [{"s": EX + "a"}]
    by_label = "SELECT ?l WHERE { ?s <https://example.org/label> ?l FILTER(LANGMATCHES(LANG(?l), 'en')) }"
    assert remote.query(by_label).rows == local.query(by_label).rows == ((Literal("Assisi", lang="en-gb"),),)


def test_results_past_the_servers_limits_are_errors(virtuoso: Virtuoso, tmp_path: Path) -> None:  # noqa: F811
    virtuoso.clear()
    remote = virtuoso.store()
    lines = "".join(f"<{EX}n{i}> <{EX}v> {i} .\n" for i in range(LIMIT + 1000))
    remote.load_data(lines, "ttl", graph=URIRef(EX + "big"))
    assert len(remote) == LIMIT + 1000
    everything = "SELECT ?s ?v WHERE { ?s <https://example.org/v> ?v }"
    # past ResultSetMaxRows: Virtuoso would return LIMIT rows and a header
    with pytest.raises(QueryError, match=f"limit of {LIMIT} rows"):
        remote.query(everything)
    # Virtuoso cuts a CONSTRUCT at the same limit without a header: the limit announced above stands in
    assert remote.max_rows == LIMIT
    with pytest.raises(QueryError, match=f"limit of {LIMIT} rows"):
        remote.query("CONSTRUCT { ?s <https://example.org/v> ?v } WHERE { ?s <https://example.org/v> ?v }")
    assert len(remote.query(everything + f" LIMIT {LIMIT - 1}")) == LIMIT - 1
    proc = run_cli("query", everything, "--endpoint", virtuoso.base + "/sparql", "-f", "csv")
    assert proc.returncode == 1 and f"limit of {LIMIT} rows" in proc.stderr and proc.stdout == ""
    # an "anytime" query (timeout parameter) that runs out of time answers 200 with partial rows
    slow = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}v> ?x . ?b <{EX}v> ?y FILTER(?x + ?y = -1) }}"
    anytime = RemoteStore(virtuoso.base + "/sparql?timeout=500")
    with pytest.raises(QueryError, match="incomplete results"):
        anytime.query(slow)
    # past the cost estimate limit: refused before running
    costly = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
    with pytest.raises(QueryError, match="cost limit"):
        remote.query(costly)
