"""Hostile SERVICE / FROM / LOAD spellings, and a live listener that records every connection.

Each entry of :data:`CORPUS` is ``(template, reason, live)``: ``{url}`` is replaced by the
listener's URL (``http://127.0.0.1:PORT/sparql``), ``{base}`` by ``http://127.0.0.1:PORT/``,
``{port}`` by the port; ``reason`` is what the guard must refuse it for; ``live`` says that
pyoxigraph, run without graphkit's guard and seal, really contacts the listener with it (checked
by tests/test_guard.py, so the corpus cannot rot into harmless text; pyoxigraph 0.5 cannot run
``SERVICE ?var`` at all, and an invalid local name stops its parser).
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType

GK = "PREFIX gk: <https://w3id.org/graphkit/ontology#> "
SPO = "{ ?s ?p ?o }"

CORPUS: list[tuple[str, str, bool]] = [
    # SERVICE, spelled every way we could think of
    ("SELECT * WHERE { SERVICE <{url}> " + SPO + " }", "service", True),
    ("select * where { service <{url}> " + SPO + " }", "service", True),
    ("SeLeCt * { sErViCe <{url}> " + SPO + " }", "service", True),
    ("SELECT * { SERVICE SILENT <{url}> " + SPO + " }", "service", True),
    ("SELECT * { ?s ?p ?o OPTIONAL { service silent <{url}> { ?s ?q ?v } } }", "service", True),
    ("SELECT * { VALUES ?u { <{url}> } SERVICE ?u " + SPO + " }", "service", False),
    ("SELECT * { BIND(<{url}> AS ?u) SERVICE ?u " + SPO + " }", "service", False),
    ("SELECT * { SERVICE ?u " + SPO + " } VALUES ?u { <{url}> }", "service", False),
    (GK + "SELECT * WHERE { BIND(gk:a·\\' AS ?z) SERVICE <{url}> " + SPO + " }", "service", True),
    (GK + "SELECT * WHERE { BIND(gk:a\u0301\\' AS ?z) SERVICE <{url}> " + SPO + " }", "service", True),
    (GK + "SELECT * WHERE { BIND(gk:a\u00b7\u0301\\'\\\" AS ?z) SERVICE <{url}> " + SPO + " }", "service", False),
    ("SELECT * { # it's \"quoted\n SERVICE <{url}> " + SPO + " }", "service", True),
    ("SELECT * { SERVICE#comment }\n<{url}>{?s ?p ?o} }", "service", True),
    ("SELECT*{SERVICE<{url}>{?s?p?o}}", "service", True),
    ("SELECT * {\tSERVICE\t\n<{url}>\r\n" + SPO + " }", "service", True),
    ("PREFIX ev: <{base}> SELECT * { SERVICE ev:sparql " + SPO + " }", "service", True),
    ("PREFIX ev: <{base}> SELECT * { SERVICE ev:sp\\.arql " + SPO + " }", "service", True),
    ("PREFIX x: <http://example.org/> PREFIX x: <{base}> SELECT * { SERVICE x:sparql " + SPO + " }", "service", True),
    ("BASE <{base}> SELECT * { SERVICE <sparql> " + SPO + " }", "service", True),
    ("SELECT * { SERVICE <http://127.0.0.1:{port}/\\u0073parql> " + SPO + " }", "service", True),
    ("SELECT * { SERVICE <http://localhost:{port}/sparql> " + SPO + " }", "service", True),
    ("SELECT * { { SELECT * { SERVICE <{url}> " + SPO + " } } }", "service", True),
    ("SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?a ?b ?c } } }", "service", True),
    ("SELECT * { ?s ?p ?o MINUS { SERVICE <{url}> { ?s ?b ?c } } }", "service", True),
    ("SELECT * { { ?s ?p ?o } UNION { SERVICE <{url}> " + SPO + " } }", "service", True),
    ("SELECT * { GRAPH ?g { ?s ?p ?o } SERVICE <{url}> { ?a ?b ?c } }", "service", True),
    ("ASK { SERVICE <{url}> " + SPO + " }", "service", True),
    ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> " + SPO + " }", "service", True),
    ("DESCRIBE ?s WHERE { SERVICE <{url}> " + SPO + " }", "service", True),
    ('SELECT * { BIND("a\\"b" AS ?x) SERVICE <{url}> ' + SPO + " }", "service", True),
    ('SELECT * { BIND("""a " "" b""" AS ?x) SERVICE <{url}> ' + SPO + " }", "service", True),
    ("SELECT * { BIND('it\\'s' AS ?x) SERVICE <{url}> " + SPO + " }", "service", True),
    ("SELECT * { SERVICE <{url}> { SERVICE <{url}> " + SPO + " } }", "service", True),
    ("SELECT * { { SELECT * { { ?s ?p ?o } UNION { OPTIONAL { SERVICE <{url}> { ?s ?q ?v } } } } } }", "service", True),
    ('SELECT * { BIND("x\\u0022 AS ?a) SERVICE <{url}> ' + SPO + ' BIND(\\u0022" AS ?b) }', "service", False),
    ('SELECT ?x { BIND("\\u0022" AS ?x) SERVICE <{url}> ' + SPO + " }", "service", True),
    # FROM / FROM NAMED: only graphs of the store may be named
    ("SELECT * FROM <file:///etc/passwd> WHERE " + SPO, "dataset", False),
    ("SELECT * FROM NAMED <file:///etc/hostname> WHERE { GRAPH ?g " + SPO + " }", "dataset", False),
    ("PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE " + SPO, "dataset", False),
    (GK + "SELECT * FROM <file:///etc/passwd> WHERE { BIND(gk:a·\\' AS ?z) ?s ?p ?o }", "dataset", False),
    (GK + "SELECT * FROM <file:///etc/passwd> WHERE { BIND(gk:a\u0301\\' AS ?z) ?s ?p ?o }", "dataset", False),
    ("BASE <file:///etc/> SELECT * FROM <passwd> WHERE " + SPO, "dataset", False),
    ("select * from named <{base}x.ttl> where { graph ?g " + SPO + " }", "dataset", False),
    ("SELECT * FROM <{base}data.ttl> WHERE " + SPO, "dataset", False),
    ("SELECT * FROM <\\u0066ile:///etc/passwd> WHERE " + SPO, "dataset", False),
    ("SELECT * FROM#c\n<file:///etc/passwd> WHERE " + SPO, "dataset", False),
    ("ASK FROM <file:///etc/passwd> " + SPO, "dataset", False),
    ("CONSTRUCT { ?s ?p ?o } FROM <file:///etc/passwd> WHERE " + SPO, "dataset", False),
    ("DESCRIBE ?s FROM NAMED <{url}> WHERE " + SPO, "dataset", False),
    # updates (LOAD would fetch the URL)
    ("LOAD <{url}>", "update", False),
    ("load silent <{url}> into graph <urn:x:g>", "update", False),
    ("INSERT { ?s ?p ?o } WHERE { SERVICE <{url}> " + SPO + " }", "update", False),
]


def spell(template: str, port: int) -> str:
    """A corpus entry for a listener on ``port``."""
    base = f"http://127.0.0.1:{port}/"
    return template.replace("{url}", base + "sparql").replace("{base}", base).replace("{port}", str(port))


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection (and its first bytes), then closes it."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = int(self._sock.getsockname()[1])
        self.hits: list[bytes] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.hits.append(conn.recv(200) or b"(connected)")
                except OSError:
                    self.hits.append(b"(connected)")

    def close(self) -> None:
        self._sock.close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
