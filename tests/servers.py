"""Real local servers for the tests: `oxigraph serve`, `graphkit serve` and Virtuoso, on free loopback ports.

Every server is started by a fixture and stopped by its finaliser; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 30.0) -> None:
    """Wait until ``url`` answers (any HTTP status), failing if ``proc`` exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"no answer from {url} within {timeout} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server process (kill it if it does not stop within 10 s)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


SEED_FILES = ["ontology/graphkit.ttl", "ontology/vocab.ttl", "data/seed/assisi-koya.ttl", "data/seed/evidence.ttl"]


@contextlib.contextmanager
def serving_seed(time_limit: float) -> Iterator[str]:
    """`graphkit serve` (the real command) on the seed graph, ``time_limit`` seconds per query; its base URL.
    The server must have printed no traceback when it stops."""
    from .conftest import REPO

    port = free_port()
    args = [sys.executable, "-m", "graphkit.cli", "serve", "--port", str(port), "--timeout", str(time_limit)]
    for f in SEED_FILES:
        args += ["--graph", f]
    proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/", proc, timeout=60)
        yield base
    finally:
        stop(proc)
        err = proc.stderr.read().decode() if proc.stderr else ""
        assert "Traceback" not in err, err


def http(
    method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 30
):
    """(status, headers, body) of a request, whatever the status."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def post_query(base: str, query: str, accept: str | None = None, **extra: str):
    """POST a query form to ``base``/sparql; (status, headers, body)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    data = urllib.parse.urlencode({"query": query, **extra}).encode()
    return http("POST", base + "/sparql", data=data, headers=headers)


def oxigraph_binary() -> str:
    """The `oxigraph` CLI from the `oxigraph` PyPI package (a dev dependency)."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).is_file():
        pytest.fail("the oxigraph server binary is missing: run scripts/setup.sh (dev dependencies)")
    return found


@contextlib.contextmanager
def running_oxigraph() -> Iterator[str]:
    """An in-memory `oxigraph serve` (union default graph) on a free port; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/", proc)
        yield base
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def oxigraph_url() -> Iterator[str]:
    """Base URL of a session-wide oxigraph server (tests empty it with DROP ALL before use)."""
    with running_oxigraph() as base:
        yield base


# ---- OpenLink Virtuoso (Debian's virtuoso-opensource), started by scripts/virtuoso.sh ----------------

VIRTUOSO_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "virtuoso.sh"
#: The one reason the Virtuoso tests give when they are skipped.
NO_VIRTUOSO = "Debian's virtuoso-opensource cannot be installed here (scripts/virtuoso.sh install failed)"


class Virtuoso:
    """A Virtuoso server run by ``scripts/virtuoso.sh`` from its own data directory on free loopback ports."""

    #: ResultSetMaxRows of the test servers: above every catalogue query's rows on the tests' world slice.
    MAX_ROWS = 30_000

    def __init__(self, data_dir: Path, *, max_rows: int = MAX_ROWS, query_timeout: int = 30) -> None:
        self.dir = data_dir
        self.port = free_port()
        self.env = {
            **os.environ,
            "VIRTUOSO_DIR": str(data_dir),
            "VIRTUOSO_PORT": str(self.port),
            "VIRTUOSO_ISQL_PORT": str(free_port()),
            "VIRTUOSO_MAX_ROWS": str(max_rows),
            "VIRTUOSO_QUERY_TIMEOUT": str(query_timeout),
            "VIRTUOSO_BUFFERS": "10000",
            "PYTHON": sys.executable,
        }
        self.base = f"http://127.0.0.1:{self.port}"

    def run(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        """``scripts/virtuoso.sh ARGS`` for this server; fails the test on a non-zero exit."""
        proc = subprocess.run(
            ["bash", str(VIRTUOSO_SCRIPT), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"scripts/virtuoso.sh {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
        return proc

    @property
    def password(self) -> str:
        return (self.dir / "dba.password").read_text(encoding="ascii").strip()

    @property
    def pid(self) -> int | None:
        pidfile = self.dir / "virtuoso.pid"
        return int(pidfile.read_text()) if pidfile.is_file() else None

    def store(self, **options: object):  # type: ignore[no-untyped-def]
        """A RemoteStore on it: anonymous queries on /sparql, updates as dba on /sparql-auth."""
        from graphkit.store.remote import RemoteStore

        return RemoteStore(
            self.base + "/sparql",
            update_endpoint=self.base + "/sparql-auth",
            user="dba",
            password=self.password,
            **options,  # type: ignore[arg-type]
        )

    def clear(self) -> None:
        """Drop every graph that queries can see (Virtuoso's own, hidden from them, stay)."""
        store = self.store()
        for g in store.graphs():
            store.update(f"DROP SILENT GRAPH <{g}>")


def virtuoso_available() -> bool:
    """True when virtuoso-t is installed or ``scripts/virtuoso.sh install`` installs it."""
    if shutil.which("virtuoso-t") and shutil.which("isql-vt"):
        return True
    proc = subprocess.run(["bash", str(VIRTUOSO_SCRIPT), "install"], capture_output=True, text=True, timeout=900)
    return proc.returncode == 0 and shutil.which("virtuoso-t") is not None


@contextlib.contextmanager
def running_virtuoso(data_dir: Path, **options: int) -> Iterator[Virtuoso]:
    """Start Virtuoso with ``scripts/virtuoso.sh start``; stop it at the end and check that no process is left."""
    if not virtuoso_available():
        pytest.skip(NO_VIRTUOSO)
    server = Virtuoso(data_dir, **options)  # type: ignore[arg-type]
    try:
        server.run("start")
        yield server
    finally:
        pid = server.pid
        try:
            server.run("stop", timeout=120)
        finally:
            if pid is not None and _alive(pid):
                os.kill(pid, signal.SIGKILL)
                raise RuntimeError(f"scripts/virtuoso.sh stop left process {pid} running")


def _alive(pid: int) -> bool:
    """True when process ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A session-wide Virtuoso (tests empty it with :meth:`Virtuoso.clear` before use)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
