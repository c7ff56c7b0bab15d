"""`graphkit query` against hostile queries: the SERVICE/FROM corpus with a live listener that must
never be contacted (unless --allow-service), deep nesting (no crash), --timeout and Ctrl-C on a real
runaway process, FROM honoured."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from graphkit.cli import main
from graphkit.rdf.namespaces import graph_iri

from .conftest import REPO, run_cli
from .ssrf_corpus import CORPUS, Listener, spell

SEED = ["--graph", "data/seed/assisi-koya.ttl", "--graph", "data/seed/evidence.ttl"]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize(("template", "reason", "live"), CORPUS, ids=[f"c{i:02d}" for i in range(len(CORPUS))])
def test_the_corpus_is_refused_by_the_cli_and_the_listener_never_contacted(template, reason, live, capsys):
    with Listener() as listener:
        assert main(["query", spell(template, listener.port), *SEED]) == 1
        err = capsys.readouterr().err
        time.sleep(0.05)
        assert listener.hits == []
    assert err.startswith("error: ") and err.count("\n") == 1 and "query file" not in err
    words = {"service": "SERVICE", "dataset": "not a graph of this store", "update": "read-only"}
    assert words[reason] in err


def test_allow_service_really_allows_it(capsys):
    with Listener() as listener:
        code = main(
            [
                "query",
                f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/s> {{ ?s ?p ?o }} }}",
                "--allow-service",
                *SEED,
            ]
        )
        time.sleep(0.1)
        assert listener.hits and listener.hits[0].startswith(b"POST /s")
    assert code == 1 and "query failed" in capsys.readouterr().err  # our listener hangs up: a clean error


def test_help_documents_the_service_refusal_and_the_time_limit(capsys):
    assert main(["query", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--allow-service" in out and "--timeout" in out and "SERVICE" in out


def test_from_and_from_named_choose_the_dataset(capsys):
    seed = graph_iri("file/assisi-koya.ttl")
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    assert main(["query", count.format(f"FROM <{seed}>"), "-f", "csv", *SEED]) == 0
    only_seed = int(capsys.readouterr().out.split()[1])
    assert main(["query", count.format(""), "-f", "csv", *SEED]) == 0
    everything = int(capsys.readouterr().out.split()[1])
    assert 0 < only_seed < everything
    q = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{seed}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert main(["query", q, "-f", "csv", *SEED]) == 0
    assert int(capsys.readouterr().out.split()[1]) == only_seed


def test_deep_nesting_is_a_clear_error_not_a_crash():
    deep = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000
    proc = run_cli("query", deep, *SEED)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("error: the query nests 5000 levels") and "Traceback" not in proc.stderr


def test_the_time_limit_stops_a_runaway():
    t0 = time.monotonic()
    proc = run_cli("query", RUNAWAY, "--timeout", "2", *SEED)
    elapsed = time.monotonic() - t0
    assert proc.returncode == 1
    assert "time limit of 2 s" in proc.stderr
    assert elapsed < 15


def test_ctrl_c_stops_a_runaway_promptly():
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphkit.cli", "query", RUNAWAY, *SEED],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(4)  # loaded and counting
        assert proc.poll() is None
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
        stopped_after = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130 and ("interrupted" in err or "aborted" in err)
    assert "Traceback" not in err
    assert stopped_after < 2
