"""Load N-Triples text into a named graph of the store from a background thread, chunk by chunk.

pyoxigraph's ``Store.load`` parses and indexes without holding Python's global interpreter lock,
so while one chunk loads on the second core the main thread goes on writing the next one.
:class:`BackgroundLoader` takes chunks in order (a bounded queue), loads each into the same
named graph, and re-raises the first loading error in the thread that calls :meth:`~BackgroundLoader.close`;
after an error the later chunks are not loaded and the graph is left as it was before the first chunk.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> graph = ox.NamedNode("https://example.org/g")
>>> with BackgroundLoader(store, graph) as loader:
...     loader.put('<https://example.org/a> <https://example.org/p> "1" .\\n')
...     loader.put('<https://example.org/a> <https://example.org/p> "2" .\\n')
>>> len(store), loader.loaded
(2, 2)
"""

from __future__ import annotations

import queue
import threading
import time
from types import TracebackType

import pyoxigraph as ox

from graphkit.errors import ParseError

#: Chunks waiting to be loaded (each some 40,000 triples, a few MB): the writer waits beyond this. The
#: world's dozen chunks all fit, so the writer finishes early and goes on with other work while they load.
MAX_PENDING = 32
_STOP = None


class BackgroundLoader:
    """Loads N-Triples chunks into ``graph`` of ``store`` on a worker thread, in the order they are put.

    Use as a context manager (or call :meth:`close` after the last :meth:`put`): leaving the block
    waits for the last chunk and raises :class:`~graphkit.errors.ParseError` if any chunk failed to load.
    ``seconds`` is the CPU time the loading thread spent; ``loaded`` the number of chunks loaded.
    """

    def __init__(self, store: ox.Store, graph: ox.NamedNode, *, lenient: bool = True) -> None:
        self.store = store
        self.graph = graph
        self.lenient = lenient
        self.loaded = 0
        self.seconds = 0.0
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=MAX_PENDING)
        self._error: BaseException | None = None
        self._was_empty = True
        self._thread = threading.Thread(target=self._run, name="graphkit-rdf-loader", daemon=True)

    def start(self) -> BackgroundLoader:
        """Start the loading thread (done by the first :meth:`put`; starting twice is harmless)."""
        if not self._thread.is_alive() and self._thread.ident is None:
            self._was_empty = not any(True for _ in self.store.quads_for_pattern(None, None, None, self.graph))
            self._thread.start()
        return self

    def put(self, text: str) -> None:
        """Queue one chunk of N-Triples (whole lines) for loading; a no-op after a loading error."""
        if self._error is None and text:
            self.start()
            self._queue.put(text)

    def close(self) -> None:
        """Wait until every queued chunk is loaded; raise the first loading error, if any."""
        started = self._thread.ident is not None
        if started:
            self._queue.put(_STOP)
            self._thread.join()
        if self._error is not None:
            if started and self._was_empty:
                self.store.clear_graph(self.graph)  # no half-loaded graph
            if isinstance(self._error, SyntaxError):
                raise ParseError(f"generated N-Triples did not load: {self._error}") from self._error
            raise self._error

    def __enter__(self) -> BackgroundLoader:
        return self  # the thread starts with the first chunk

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc is not None:
            self._error = self._error or exc  # stop loading; the caller's error wins
            try:
                self.close()
            except BaseException:  # noqa: BLE001, S110 - the error already raised is the one to report
                pass
            return
        self.close()

    def _run(self) -> None:
        t = time.thread_time()
        try:
            while True:
                text = self._queue.get()
                if text is _STOP:
                    return
                if self._error is not None:
                    continue  # drain the queue so the writer never blocks
                try:
                    self.store.load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=self.graph, lenient=self.lenient)
                    self.loaded += 1
                except BaseException as e:  # noqa: BLE001 - handed to the caller's thread by close()
                    self._error = e
        finally:
            self.seconds = time.thread_time() - t
