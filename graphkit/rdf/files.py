"""Files: RDF formats by name or extension, and atomic writes (temp file + rename).

>>> rdf_format_for("data/seed/a.ttl")
'ttl'
>>> rdf_format_for("x.jsonld"), rdf_format_for("dump.nq")
('jsonld', 'nq')
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from graphkit.errors import InputError

#: Our short format names and the file extensions that mean them.
RDF_EXTENSIONS: dict[str, str] = {
    ".ttl": "ttl",
    ".turtle": "ttl",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nq",
    ".nquads": "nq",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".json-ld": "jsonld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
RDF_FORMATS: tuple[str, ...] = ("ttl", "nt", "nq", "trig", "jsonld", "xml")
#: Formats that carry named graphs.
QUAD_FORMATS: frozenset[str] = frozenset({"nq", "trig"})


def rdf_format_for(path: str | Path) -> str:
    """The RDF format of a file, from its extension; raises InputError when unknown."""
    ext = Path(path).suffix.lower()
    try:
        return RDF_EXTENSIONS[ext]
    except KeyError:
        raise InputError(
            f"{path}: unknown RDF file extension {ext!r}; use one of {', '.join(sorted(RDF_EXTENSIONS))}"
        ) from None


def check_rdf_format(fmt: str) -> str:
    """Return ``fmt`` if it is a known RDF format name, else raise InputError."""
    if fmt not in RDF_FORMATS:
        raise InputError(f"unknown RDF format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}")
    return fmt


@contextlib.contextmanager
def atomic_writer(path: str | Path, mode: str = "w") -> Iterator[IO]:  # type: ignore[type-arg]
    """Open a temporary file next to ``path``; on success rename it over ``path``.

    If the block raises, the temporary file is removed and ``path`` is left as it was.
    Text mode writes UTF-8 with ``\\n`` line endings on every platform.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_writer(d / "x.txt") as f:
    ...     _ = f.write("Łódź")
    >>> (d / "x.txt").read_text(encoding="utf-8")
    'Łódź'
    """
    encoding, newline = (None, None) if "b" in mode else ("utf-8", "\n")
    with staged_file(path) as tmp, open(tmp, mode, encoding=encoding, newline=newline) as f:  # closed, then renamed
        yield f


@contextlib.contextmanager
def staged_file(path: str | Path) -> Iterator[Path]:
    """A temporary path next to ``path`` for a writer that wants a file name (e.g. pyoxigraph's dump);
    renamed over ``path`` when the block succeeds, removed when it raises.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with staged_file(d / "x.nq") as tmp:
    ...     _ = tmp.write_text("<a:b> <a:c> <a:d> .\\n")
    >>> sorted(p.name for p in d.iterdir())
    ['x.nq']
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(name, 0o644)
    try:
        yield Path(name)
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically, UTF-8; return the path."""
    with atomic_writer(path) as f:
        f.write(text)
    return Path(path)


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    with atomic_writer(path, "wb") as f:
        f.write(data)
    return Path(path)
