"""Files: RDF formats by name or extension, safe writes of every output, CSV safe for spreadsheets.

Every output goes through :func:`staged_file` (or :func:`atomic_writer`, :func:`write_text_atomic`):
the content is written to a temporary file first and only then published, so a failed write leaves
nothing half-written and the previous file as it was. How it is published depends on what the
target is (:func:`output_target`):

* a regular file, or a name that does not exist yet: the temporary file (next to it) is renamed
  over it — atomic;
* a symbolic link to a regular file: the file it points to is replaced the same way; the link stays;
* ``-``: the content goes to standard output;
* a character device, a FIFO or a link into ``/dev`` or ``/proc`` (``/dev/null``, ``/dev/full``,
  ``/dev/stdout``, a terminal): the content is written into it, never renamed over it;
* a directory, a block device (a disk) or a socket: refused.

Every failure (disk full, no permission, a name too long, a read-only or virtual file system) is an
:class:`~graphkit.errors.OutputError` with one line naming the file and what to do.

CSV and TSV written for people (:func:`csv_text`) are opened in spreadsheets, where a cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula
(``=HYPERLINK(...)`` runs on a click). As OWASP's "CSV Injection" page advises, such a text cell
gets a leading ``'`` (:func:`neutralise_formula`); numbers (``-3.5``) are left as they are, and
``raw=True`` writes every cell as it is (for programs, not spreadsheets).

>>> rdf_format_for("data/seed/a.ttl")
'ttl'
>>> rdf_format_for("x.jsonld"), rdf_format_for("dump.nq")
('jsonld', 'nq')
>>> output_target("/dev/null").kind, output_target("-").kind
('device', 'stdout')
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import errno
import hashlib
import io
import os
import re
import shutil
import stat
import sys
import tempfile
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from graphkit.errors import GraphkitWarning, InputError, OutputError

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


#: The output name that means standard output (``-o -``).
STDOUT = "-"
#: Longest file name (in UTF-8 bytes) the writers make up themselves (most file systems allow 255).
MAX_NAME_BYTES = 120

TargetKind = Literal["file", "device", "stdout"]


@dataclass(frozen=True)
class OutputTarget:
    """Where an output goes: ``kind`` ``file`` (renamed into place at ``path``), ``device`` (written
    into ``path``: a character device, a FIFO, a terminal, ``/dev/stdout``) or ``stdout`` (``-``)."""

    kind: TargetKind
    path: Path
    given: str

    @property
    def display(self) -> str:
        """The name to show in messages: what the user gave (``standard output`` for ``-``)."""
        return "standard output" if self.given == STDOUT else self.given


def output_target(path: str | Path) -> OutputTarget:
    """What writing to ``path`` means (see the module docstring); OutputError for what is refused.

    >>> import tempfile, pathlib, os
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "real.csv").write_text("old")
    3
    >>> os.symlink(d / "real.csv", d / "link.csv")
    >>> t = output_target(d / "link.csv")
    >>> t.kind, t.path == d / "real.csv"
    ('file', True)
    >>> output_target(d)
    Traceback (most recent call last):
    ...
    graphkit.errors.OutputError: ... is a directory; give a file name to write to
    """
    given = str(path)
    if given == STDOUT:
        return OutputTarget("stdout", Path(STDOUT), given)
    p = Path(path)
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return OutputTarget("file", p, given)
    except OSError as e:
        raise output_error(given, e) from None
    if stat.S_ISREG(st.st_mode):
        return OutputTarget("file", p, given)
    if stat.S_ISLNK(st.st_mode):
        real = Path(os.path.realpath(p))
        if not (_is_special(p) or _is_special(real)):
            try:
                st = os.stat(real)
            except FileNotFoundError:
                return OutputTarget("file", real, given)  # a dangling link: make the file it names
            except OSError as e:
                raise output_error(given, e) from None
            if stat.S_ISREG(st.st_mode):
                return OutputTarget("file", real, given)
        else:
            with contextlib.suppress(OSError):
                st = os.stat(p)
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{given}: is a directory; give a file name to write to")
    if stat.S_ISBLK(st.st_mode):
        raise OutputError(f"{given}: is a block device (a disk); refusing to write onto it, give a file name")
    if stat.S_ISSOCK(st.st_mode):
        raise OutputError(f"{given}: is a socket; give a file name to write to")
    if _is_our_stdout(st):
        return OutputTarget("stdout", p, given)  # /dev/stdout, /proc/self/fd/1: the stream we already hold
    return OutputTarget("device", p, given)


def _is_our_stdout(st: os.stat_result) -> bool:
    """True when ``st`` is the file our standard output is open on (not for terminals and devices
    such as /dev/null that anything may share)."""
    if stat.S_ISCHR(st.st_mode):
        return False
    try:
        out = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (out.st_dev, out.st_ino) == (st.st_dev, st.st_ino)


def _is_special(p: Path) -> bool:
    """True for a path in ``/dev`` or ``/proc`` (devices, ``/proc/self/fd/1``): never renamed over."""
    parts = Path(os.path.abspath(p)).parts
    return len(parts) > 1 and parts[1] in ("dev", "proc")


_ADVICE: dict[int, str] = {
    errno.ENOSPC: "no space left on the device; free some space or write elsewhere",
    errno.EDQUOT: "disk quota exceeded; free some space or write elsewhere",
    errno.EFBIG: "file too large for this file system; write elsewhere",
    errno.EACCES: "permission denied; choose a writable location",
    errno.EPERM: "operation not permitted; choose a writable location",
    errno.EROFS: "read-only file system; choose a writable location",
    errno.ENAMETOOLONG: "file name too long; choose a shorter name",
    errno.ENOENT: "no such directory, or one that cannot hold files; choose a writable location",
    errno.ENOTDIR: "a part of the path is not a directory; check the path",
    errno.EISDIR: "is a directory; give a file name to write to",
    errno.EIO: "input/output error on the device; check the disk or write elsewhere",
    errno.ENXIO: "no such device; give a file name to write to",
    errno.EPIPE: "the reader of the output went away",
}


_RUST_ERRNO = re.compile(r"\(os error (\d+)\)")


def errno_of(e: OSError) -> int:
    """``e.errno``, or the number in "... (os error 28)" that Rust libraries (pyoxigraph) put in the
    message of an OSError without an errno; 0 when there is none.

    >>> errno_of(OSError("No space left on device (os error 28)")), errno_of(OSError(2, "No such file"))
    (28, 2)
    """
    if e.errno:
        return int(e.errno)
    m = _RUST_ERRNO.search(str(e))
    return int(m.group(1)) if m else 0


def output_error(name: str | Path, e: OSError) -> OutputError:
    """One :class:`~graphkit.errors.OutputError` line for a failed write of ``name``, with what to do.

    >>> import errno
    >>> output_error("out/graph.nq", OSError(errno.ENOSPC, "No space left on device"))
    OutputError('out/graph.nq: cannot write: no space left on the device; free some space or write elsewhere')
    """
    shown = "standard output" if str(name) == STDOUT else str(name)
    advice = _ADVICE.get(errno_of(e)) or f"{e.strerror or e}; check the path"
    return OutputError(f"{shown}: cannot write: {advice}")


#: How much of an RDF file :func:`inspect_rdf_file` reads to find its prefix declarations.
PREFIX_SCAN_BYTES = 1 << 20
_TURTLE_PREFIX = re.compile(r"(?:@prefix|(?i:prefix))\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>")
_XML_PREFIX = re.compile(r"xmlns:([A-Za-z_][\w.-]*)\s*=\s*[\"']([^\"']*)[\"']")


def inspect_rdf_file(path: str | Path, fmt: str) -> int:
    """Look at an RDF file before it is parsed: return how many bytes to skip (3 for a UTF-8
    byte-order mark, which Turtle parsers refuse; else 0), and warn (:class:`~graphkit.errors.GraphkitWarning`)
    when a prefix graphkit predeclares (``gk:``, ``gkid:``, ``rdfs:``...) is bound to another namespace:
    its terms would silently not be graphkit's.

    >>> import tempfile, pathlib, warnings
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.ttl"
    >>> _ = f.write_bytes(b"\\xef\\xbb\\xbf@prefix gk: <https://w3id.org/graphkit/ontology/> .\\n")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     inspect_rdf_file(f, "ttl")
    3
    >>> print(str(caught[0].message).split(": ", 1)[1].replace("; ", ";\\n"))
    prefix gk: is bound to <https://w3id.org/graphkit/ontology/>, not graphkit's <https://w3id.org/graphkit/ontology#>;
    fix the @prefix line (its terms are not graphkit's)
    """
    try:
        with open(path, "rb") as f:
            head = f.read(PREFIX_SCAN_BYTES)
    except OSError:
        return 0  # the loader reports it
    skip = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    pattern = {"ttl": _TURTLE_PREFIX, "trig": _TURTLE_PREFIX, "xml": _XML_PREFIX}.get(fmt)
    if pattern is not None:
        from graphkit.rdf.namespaces import PREFIXES

        text = head[skip:].decode("utf-8", "replace")
        for name, iri in dict.fromkeys(pattern.findall(text)):
            expected = PREFIXES.get(name)
            if expected is not None and iri != expected and ":" in iri:
                warnings.warn(
                    f"{path}: prefix {name}: is bound to <{iri}>, not graphkit's <{expected}>; "
                    "fix the @prefix line (its terms are not graphkit's)",
                    GraphkitWarning,
                    stacklevel=2,
                )
    return skip


def warn_if_outside(path: str | Path, root: str | Path) -> bool:
    """Warn (:class:`~graphkit.errors.GraphkitWarning`) and return True when ``path`` is, through a
    symbolic link, a file outside ``root`` (e.g. ``data/x.ttl -> /etc/...``): it is read, but the user
    should know that data comes from elsewhere.

    >>> import tempfile, pathlib, os, warnings
    >>> d, elsewhere = pathlib.Path(tempfile.mkdtemp()), pathlib.Path(tempfile.mkdtemp()) / "x.ttl"
    >>> _ = elsewhere.write_text("")
    >>> os.symlink(elsewhere, d / "x.ttl")
    >>> with warnings.catch_warnings(record=True):
    ...     warn_if_outside(d / "x.ttl", d), warn_if_outside(elsewhere, elsewhere.parent)
    (True, False)
    """
    p, top = Path(path), Path(root).resolve()
    real = p.resolve()
    if real == top or top in real.parents:
        return False
    warnings.warn(
        f"{p}: is a symbolic link to {real}, outside {root}; read anyway (copy the file in to silence this)",
        GraphkitWarning,
        stacklevel=2,
    )
    return True


@contextlib.contextmanager
def atomic_writer(path: str | Path, mode: str = "w") -> Iterator[IO]:  # type: ignore[type-arg]
    """Open a temporary file for ``path``; on success publish it (see the module docstring).

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
    with staged_file(path) as tmp, open(tmp, mode, encoding=encoding, newline=newline) as f:  # closed, then published
        yield f


@contextlib.contextmanager
def staged_file(path: str | Path) -> Iterator[Path]:
    """A temporary path for a writer that wants a file name (e.g. pyoxigraph's dump), published to
    ``path`` when the block succeeds (renamed over a regular file, copied into a device or standard
    output), removed when it raises. Write failures become an :class:`~graphkit.errors.OutputError`
    naming ``path``.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with staged_file(d / "x.nq") as tmp:
    ...     _ = tmp.write_text("<a:b> <a:c> <a:d> .\\n")
    >>> sorted(p.name for p in d.iterdir())
    ['x.nq']
    """
    target = output_target(path)
    tmp = _make_temp(target)
    try:
        try:
            yield tmp
        except OSError as e:
            if _is_write_failure(e, tmp):
                raise output_error(target.display, e) from None
            raise
        _publish(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _make_temp(target: OutputTarget) -> Path:
    """An empty temporary file: next to a regular target (same file system, for the rename), else in
    the system's temporary directory."""
    if target.kind == "file":
        folder = target.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise output_error(target.display, e) from None
        prefix = "." + _shorten(target.path.name, MAX_NAME_BYTES) + "."
    else:
        folder, prefix = Path(tempfile.gettempdir()), ".graphkit-output."
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
        os.close(fd)
        os.chmod(name, 0o644)
    except OSError as e:
        raise output_error(target.display, e) from None
    return Path(name)


_WRITE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENAMETOOLONG, errno.EIO}
)


@contextlib.contextmanager
def writing_into(folder: str | Path) -> Iterator[None]:
    """Turn a failed write in the block (disk full, no permission, read-only file system) into one
    :class:`~graphkit.errors.OutputError` naming ``folder``, for writers that stage many files there.

    >>> import errno
    >>> with writing_into("out"):
    ...     raise OSError(errno.ENOSPC, "No space left on device")
    Traceback (most recent call last):
    ...
    graphkit.errors.OutputError: out: cannot write: no space left on the device; free some space or write elsewhere
    """
    try:
        yield
    except OSError as e:
        if errno_of(e) in _WRITE_ERRNOS:
            raise output_error(folder, e) from None
        raise


def _is_write_failure(e: OSError, tmp: Path) -> bool:
    """An OSError raised while writing the temporary file (not, say, while reading an input)."""
    if e.filename is not None:
        return str(e.filename) == str(tmp)
    return errno_of(e) in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO)


def _publish(tmp: Path, target: OutputTarget) -> None:
    """Move the finished temporary file to its target (rename), or copy it into a device / stdout."""
    try:
        if target.kind == "file":
            os.replace(tmp, target.path)
        elif target.kind == "device":
            with open(tmp, "rb") as src, open(target.path, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        else:
            with open(tmp, "rb") as src:
                _copy_to_stdout(src)
    except BrokenPipeError:
        raise
    except OSError as e:
        raise output_error(target.display, e) from None


def _copy_to_stdout(src: IO[bytes]) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a notebook's or a test's text stream
        sys.stdout.write(src.read().decode("utf-8"))
    else:
        shutil.copyfileobj(src, buffer, 1 << 20)
        buffer.flush()
    sys.stdout.flush()


def write_stdout(text: str) -> None:
    """Print ``text`` to standard output now (flushed); a failed write (``/dev/full``, a closed
    stream) is an :class:`~graphkit.errors.OutputError` naming standard output.

    >>> write_stdout("ok\\n")
    ok
    """
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        raise output_error(STDOUT, e) from None


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically, UTF-8; return the path (``-``: standard output)."""
    with atomic_writer(path) as f:
        f.write(text)
    return Path(path)


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    with atomic_writer(path, "wb") as f:
        f.write(data)
    return Path(path)


def safe_file_name(label: str, suffix: str = "", *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A file name made from ``label`` (any text, e.g. a place's name): letters, digits, ``-`` and
    ``_`` kept, everything else ``-``; cut to ``max_bytes`` of UTF-8 (with a short hash of the whole
    label, so different long labels stay different) and never empty, hidden or a path.

    >>> safe_file_name("Assisi", ".html")
    'Assisi.html'
    >>> safe_file_name("../etc/passwd <x>", ".html")
    'etc-passwd-x.html'
    >>> long = safe_file_name("A" * 100_000, ".html")
    >>> len(long.encode()) <= 120, long.endswith(".html"), long != safe_file_name("A" * 99_999, ".html")
    (True, True, True)
    """
    text = unicodedata.normalize("NFC", label)
    slug = re.sub(r"[^\w-]+", "-", text).strip("-_.") or "unnamed"
    room = max_bytes - len(suffix.encode())
    if len(slug.encode()) > room:
        digest = hashlib.sha1(label.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        slug = _shorten(slug, room - len(digest) - 1).rstrip("-_") + "-" + digest
    return slug + suffix


def _shorten(name: str, max_bytes: int) -> str:
    """``name`` cut to at most ``max_bytes`` of UTF-8, on a character boundary."""
    return name.encode("utf-8", "surrogatepass")[:max_bytes].decode("utf-8", "ignore")


#: First characters that make a spreadsheet read a cell as a formula (OWASP: = + - @ tab CR), and
#: their full-width forms, which some spreadsheets also accept.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def neutralise_formula(value: str) -> str:
    """``value`` with a leading ``'`` when a spreadsheet would take it for a formula; numbers unchanged.

    >>> print(neutralise_formula('=HYPERLINK("http://x.example","click")'))
    '=HYPERLINK("http://x.example","click")
    >>> neutralise_formula("@SUM(A1)"), neutralise_formula("-3.5"), neutralise_formula("Assisi")
    ("'@SUM(A1)", '-3.5', 'Assisi')
    """
    if value and value[0] in FORMULA_TRIGGERS and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[object]], *, delimiter: str = ",", raw: bool = False) -> str:
    """Rows (the header first) as CSV text, ``\\n`` line ends; ``None`` is an empty cell. Text cells
    are :func:`neutralise_formula`-d unless ``raw``; numbers (int, float) are written as numbers.

    >>> print(csv_text([("city", "n"), ("=1+2", -3), ("Kōya", None)]), end="")
    city,n
    '=1+2,-3
    Kōya,
    >>> print(csv_text([("city",), ("=1+2",)], raw=True), end="")
    city
    =1+2
    >>> csv_text([("a",), ("x\\ry",)])
    'a\\n"x\\ry"\\n'
    """
    # "\r\n" as the writer's terminator makes it quote a cell holding a lone "\r" or "\n" (with "\n" it
    # would write a bare "\r", which readers and spreadsheets take for a new row); each row then ends in "\n"
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    lines = []
    for row in rows:
        writer.writerow([_cell(v, raw) for v in row])
        lines.append(buf.getvalue()[:-2])
        buf.seek(0)
        buf.truncate()
    return "\n".join(lines) + "\n" if lines else ""


def _cell(value: object, raw: bool) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and not raw:
        return neutralise_formula(value)
    return value
