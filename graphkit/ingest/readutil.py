"""Reading the raw source files robustly: encodings, malformed rows, and what was left out.

Source files come from scrapers and other people's repositories, so a reader must expect the worst
and lose nothing silently:

* **Encoding.** A byte-order mark decides (UTF-8, UTF-16, UTF-32); then an ``encoding:`` line in
  the folder's ``SOURCE.md`` (:func:`graphkit.ingest.sources.declared_encoding`); then UTF-16/32
  without a mark is recognised by its zero bytes; then UTF-8 if the file's first 64 KB are valid
  UTF-8; else the file is read as Windows-1252 (Latin-1 for the few bytes it leaves undefined) and a
  note says so. A line that is not valid in the chosen encoding is rejected with its line number.
* **Malformed rows** are skipped and *reported*, each with its line number (or line range): too few
  or too many columns, NUL bytes, undecodable bytes, an implausible field (one of the columns the
  reader uses longer than :data:`MAX_FIELD_CHARS`), and a record that spans several lines (an
  unterminated quote swallowing the rows after it: the line with the quote is rejected, and the lines
  it swallowed are read again one by one, so only the broken line is lost).
* **Unreadable or missing files** raise :class:`~graphkit.errors.InputError`, one line naming the file.
* **Streaming.** Rows are read one at a time (memory stays flat whatever the file's size); values of
  the columns read repeat a lot (countries), so they are shared, not copied per row.

Reports go to the :class:`ReadLog` of the enclosing :func:`collecting` block (the world build turns
them into lines of ``out/rejects.csv``); outside one, each becomes a :class:`ReadProblemWarning`.

>>> parse_float("43.07"), parse_float(""), parse_float("n/a")
(43.07, None, None)
>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "pairs.csv"
>>> _ = f.write_bytes(b'city,country\\nS\\xe8te,France\\nRoma,"Italia\\nKyoto,Japan\\nNara,Japan,extra\\n')
>>> with collecting() as log:
...     rows = list(read_csv_rows(f, required=("city", "country")))
>>> rows
[{'city': 'Sète', 'country': 'France'}, {'city': 'Kyoto', 'country': 'Japan'}]
>>> [(p.where, p.reason) for p in log.problems]
[('pairs.csv:3-5', 'unterminated-quote'), ('pairs.csv:5', 'wrong-column-count')]
>>> log.notes
[('encoding-detected', 'pairs.csv', 'cp1252')]
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import csv
import functools
import io
import json
import math
import operator
import os
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graphkit.errors import GraphkitWarning, InputError, ParseError
from graphkit.ingest.ledger import Ledger
from graphkit.rdf.files import warn_if_outside
from graphkit.runtime.forks import ForkedWorker, Job

#: Longest plausible value of a column a reader uses (a place name, a country, a QID, a coordinate).
MAX_FIELD_CHARS = 300
#: Bytes looked at to recognise a file's encoding.
SNIFF_BYTES = 64 * 1024
#: Distinct values remembered for sharing (then forgotten, and sharing starts again).
_SHARE_LIMIT = 100_000


class ReadProblemWarning(GraphkitWarning):
    """A row skipped or a value dropped while reading a source file, outside a :func:`collecting` block."""


@dataclass(frozen=True)
class ReadProblem:
    """A row (or value) of a source file left out, where it was and why.

    >>> p = ReadProblem("data/sources/x/a.csv", 12, 33, "unterminated-quote", "a quote is not closed")
    >>> p.source, p.where, p.message
    ('x', 'a.csv:12-33', 'data/sources/x/a.csv, lines 12-33: a quote is not closed')
    """

    path: str
    first_line: int
    last_line: int
    reason: str
    detail: str
    text: str = ""

    @property
    def source(self) -> str:
        """The source dataset: the name of the file's folder (``data/sources/<id>/``)."""
        return Path(self.path).parent.name

    @property
    def lines(self) -> str:
        """``12`` or ``12-33``."""
        if self.last_line > self.first_line:
            return f"{self.first_line}-{self.last_line}"
        return str(self.first_line)

    @property
    def where(self) -> str:
        """``file.csv:12`` or ``file.csv:12-33``."""
        return f"{Path(self.path).name}:{self.lines}"

    @property
    def message(self) -> str:
        """One line for a person."""
        word = "lines" if self.last_line > self.first_line else "line"
        return f"{self.path}, {word} {self.lines}: {self.detail}"


@dataclass
class ReadLog:
    """What the readers reported inside one :func:`collecting` block: problems, and notes
    ``(rule, file, what)`` such as ``("encoding-detected", "a.csv", "cp1252")``."""

    problems: list[ReadProblem] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)


_LOG: contextvars.ContextVar[ReadLog | None] = contextvars.ContextVar("graphkit_read_log", default=None)


@contextlib.contextmanager
def collecting() -> Iterator[ReadLog]:
    """Collect what the readers report in this block (this thread) into a :class:`ReadLog`."""
    log = ReadLog()
    token = _LOG.set(log)
    try:
        yield log
    finally:
        _LOG.reset(token)


def report(problem: ReadProblem) -> None:
    """Record a problem in the current :func:`collecting` block, or warn when there is none."""
    log = _LOG.get()
    if log is None:
        warnings.warn(problem.message, ReadProblemWarning, stacklevel=3)
    else:
        log.problems.append(problem)


def note(rule: str, file: str, what: str) -> None:
    """Record something a reader decided (not a loss), e.g. the encoding it recognised."""
    log = _LOG.get()
    if log is None:
        warnings.warn(f"{file}: {rule}: {what}", ReadProblemWarning, stacklevel=3)
    else:
        log.notes.append((rule, file, what))


def replay(log: ReadLog) -> None:
    """Report everything in ``log`` again here (what a worker process collected, see :class:`ReadingWorker`)."""
    for p in log.problems:
        report(p)
    for n in log.notes:
        note(*n)


def record(log: ReadLog, ledger: Ledger) -> None:
    """Put what ``log`` holds into the world's ledger: each problem a reject (``out/rejects.csv``),
    each note a rule count (``out/quality.md``)."""
    for p in log.problems:
        ledger.reject(p.source, p.where, p.text, p.reason, p.detail)
    for rule, file, what in log.notes:
        ledger.count(rule, file, what)


@dataclass(frozen=True)
class _Logged:
    """A job's result with what it reported (it travels back from the worker process with it)."""

    value: Any
    log: ReadLog


def _run_logged(fn: Callable[..., Any], *args: Any) -> _Logged:
    with collecting() as log:
        value = fn(*args)
    return _Logged(value, log)


class ReadingWorker(ForkedWorker):
    """A :class:`~graphkit.runtime.forks.ForkedWorker` for reading jobs: what a job reports in the
    worker process is reported again here, in the calling process, when its result is taken.

    >>> job = functools.partial(checked_coordinates, path=Path("a.csv"), line=3)
    >>> with collecting() as log, ReadingWorker([("c", job, ("95", "1"))], parallel=False) as w:
    ...     w.get("c") is None
    True
    >>> [(p.where, p.reason) for p in log.problems]
    [('a.csv:3', 'invalid-coordinates')]
    """

    def __init__(self, jobs: Sequence[Job], *, parallel: bool | None = None) -> None:
        wrapped = [(name, functools.partial(_run_logged, fn), args) for name, fn, args in jobs]
        super().__init__(wrapped, parallel=parallel)
        self._replayed: set[str] = set()

    def get(self, name: str) -> Any:
        """The job's result; what it reported goes to this process's :func:`collecting` block (once)."""
        result = super().get(name)
        if not isinstance(result, _Logged):
            return result
        if name not in self._replayed:
            self._replayed.add(name)
            replay(result.log)
        return result.value


# ---------------------------------------------------------------- files and encodings


def source_file(folder: Path, name: str) -> Path:
    """``folder/name``, or an InputError naming the missing input. A symbolic link that leads out of
    the data folder is read, with a warning that says where it leads."""
    p = folder / name
    if not p.is_file():
        raise InputError(f"{p}: missing source file (the world build reads data/sources/)")
    warn_if_outside(p, Path(os.path.abspath(folder)).parent.parent)
    return p


def open_source(path: Path) -> IO[bytes]:
    """``path`` opened for reading bytes; an InputError naming the file when it cannot be read."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a data file") from None
    except PermissionError:
        raise InputError(f"{path}: cannot read it (permission denied); make it readable or remove it") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read it ({e.strerror or e})") from None


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(path: Path, head: bytes | None = None) -> tuple[str, str]:
    """The codec to read ``path`` with and how it was decided (``bom``, ``declared``, ``zero bytes``,
    ``utf-8``, ``guessed``). See the module docstring for the order.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_text("name\\nKōya\\n", encoding="utf-16")
    >>> detect_encoding(f)
    ('utf-16', 'bom')
    >>> _ = f.write_bytes("name\\nKōya\\n".encode("utf-16-le"))
    >>> detect_encoding(f)
    ('utf-16-le', 'zero bytes')
    """
    from graphkit.ingest.sources import declared_encoding

    if head is None:
        with open_source(path) as f:
            head = _read_head(f, path)
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, "bom"
    declared = declared_encoding(path)
    if declared:
        return declared, "declared"
    wide = _wide_encoding(head)
    if wide:
        return wide, "zero bytes"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SNIFF_BYTES)
        return "utf-8", "utf-8"
    except UnicodeDecodeError:
        return "cp1252", "guessed"


def _read_head(f: IO[bytes], path: Path) -> bytes:
    try:
        return f.read(SNIFF_BYTES)
    except OSError as e:
        raise InputError(f"{path}: cannot read it ({e.strerror or e})") from None


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, from where the zero bytes of ASCII text fall."""
    sample = head[:4096]
    n = len(sample) // 4 * 4
    if n < 8:
        return None
    q = n // 4
    zeros = [sample[i:n:4].count(0) / q for i in range(4)]
    if zeros[1] > 0.9 and zeros[2] > 0.9 and zeros[3] > 0.9:
        return "utf-32-le"
    if zeros[0] > 0.9 and zeros[1] > 0.9 and zeros[2] > 0.9:
        return "utf-32-be"
    odd, even = (zeros[1] + zeros[3]) / 2, (zeros[0] + zeros[2]) / 2
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes the codec could not decode (errors="surrogateescape")


class _Lines:
    """The lines of a file as text, one at a time (decoded by Python's text layer, in C), with what
    the current record used: ``taken`` (its lines), ``bad`` (numbers of its lines with bytes invalid
    in the encoding; ``cp1252`` falls back to Latin-1 for the five bytes it leaves undefined) and
    ``nul`` (numbers of its lines with a NUL byte). :meth:`take` starts the next record."""

    def __init__(self, f: IO[bytes], path: Path, codec: str) -> None:
        self.path, self.codec = path, codec
        self.count = 0  # lines read so far
        self.taken: list[str] = []
        self.bad: list[int] = []
        self.nul: list[int] = []
        self._latin_fallback = codecs.lookup(codec).name == "cp1252"
        self._text = io.TextIOWrapper(f, encoding=codec, errors="surrogateescape", newline="")

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        try:
            line = self._text.readline()
        except OSError as e:
            raise InputError(f"{self.path}: cannot read it ({e.strerror or e})") from None
        if not line:
            raise StopIteration
        self.count += 1
        if not line.isascii() and _ESCAPED.search(line):
            if self._latin_fallback:
                line = _ESCAPED.sub(lambda m: chr(ord(m.group()) - 0xDC00), line)
            else:
                self.bad.append(self.count)
                line = _ESCAPED.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", line)
        if "\0" in line:
            self.nul.append(self.count)
        self.taken.append(line)
        return line

    def take(self) -> int:
        """Forget the record just read (its ``taken``, ``bad``, ``nul``); return its first line number."""
        first = self.count - len(self.taken) + 1
        self.taken = []
        if self.bad:
            self.bad = []
        if self.nul:
            self.nul = []
        return first


@contextlib.contextmanager
def text_lines(path: Path) -> Iterator[_Lines]:
    """The decoded lines of ``path`` (see :func:`detect_encoding`), one at a time."""
    with open_source(path) as f:
        head = _read_head(f, path)
        codec, how = detect_encoding(path, head)
        if how == "guessed":
            note("encoding-detected", path.name, codec)
        f.seek(0)
        yield _Lines(f, path, codec)


# ---------------------------------------------------------------- CSV


@dataclass(frozen=True)
class _Checks:
    """What makes a row acceptable: its width, and which columns must look like short values."""

    width: int
    checked: tuple[int, ...]
    names: tuple[str, ...]


def numbered_rows(
    path: Path,
    *,
    delimiter: str = ",",
    required: tuple[str, ...] = (),
    checked: tuple[str, ...] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line number, row as a dict)`` for every well-formed row of a CSV file (see the module
    docstring for what is skipped and reported). ParseError when a ``required`` column is missing.
    ``checked``: the columns whose length is checked (default: ``required``)."""
    with text_lines(path) as lines:
        reader = csv.reader(lines, delimiter=delimiter)
        header = _header(reader, lines, path)
        missing = [c for c in required if c not in header]
        if missing:
            raise ParseError(f"{path}: missing column(s) {', '.join(missing)}")
        names = tuple(checked if checked is not None else required)
        checks = _Checks(len(header), tuple(header.index(c) for c in names if c in header), names)
        for line, row in _good_rows(reader, lines, path, delimiter, checks):
            yield line, dict(zip(header, row, strict=False))


def read_csv_rows(path: Path, *, delimiter: str = ",", required: tuple[str, ...] = ()) -> Iterator[dict[str, str]]:
    """The well-formed rows of a CSV file as dicts (see :func:`numbered_rows`)."""
    for _, row in numbered_rows(path, delimiter=delimiter, required=required):
        yield row


def numbered_tuples(path: Path, columns: tuple[str, ...], *, delimiter: str = ",") -> Iterator[tuple[Any, ...]]:
    """The values of ``columns`` (in that order) of each well-formed row, then its line number:
    ``(value, ..., line)``; faster and smaller than dicts. Repeated values are shared."""
    with text_lines(path) as lines:
        reader = csv.reader(lines, delimiter=delimiter)
        header = _header(reader, lines, path)
        missing = [c for c in columns if c not in header]
        if missing:
            raise ParseError(f"{path}: missing column(s) {', '.join(missing)}")
        idx = [header.index(c) for c in columns]
        checks = _Checks(len(header), tuple(idx), columns)
        shared = _Shared()  # recent values: a name repeats on the rows around it, a country everywhere
        share = shared.__getitem__
        pick = operator.itemgetter(*idx) if len(idx) > 1 else (lambda row: (row[idx[0]],))
        for line, row in _good_rows(reader, lines, path, delimiter, checks):
            if len(shared) >= _SHARE_LIMIT:
                shared.clear()
            yield (*map(share, pick(row)), line)


class _Shared(dict[str, str]):
    """``shared[value]`` is the first equal string seen (kept), so repeated values are stored once."""

    def __missing__(self, key: str) -> str:
        self[key] = key
        return key


def read_csv_tuples(path: Path, columns: tuple[str, ...], *, delimiter: str = ",") -> Iterator[tuple[str, ...]]:
    """The values of ``columns`` (in that order) of each well-formed row (see :func:`numbered_tuples`)."""
    for t in numbered_tuples(path, columns, delimiter=delimiter):
        yield t[:-1]


def _header(reader: Any, lines: _Lines, path: Path) -> list[str]:
    try:
        header = next(reader, None)
    except csv.Error as e:
        raise ParseError(f"{path}, line 1: not a CSV header: {e}") from None
    broken = bool(lines.bad or lines.nul) or len(lines.taken) > 1
    lines.take()
    if not header:
        raise ParseError(f"{path}: empty file, expected a header line")
    if broken:
        raise ParseError(f"{path}, line 1: malformed header; check the file's encoding and quotes")
    return [h.strip() for h in header]


def _good_rows(
    reader: Any, lines: _Lines, path: Path, delimiter: str, checks: _Checks
) -> Iterator[tuple[int, list[str]]]:
    """The rows that pass :func:`_row_problem`; the others are reported. A record spanning several
    lines (or one csv cannot parse) loses only its first line: the lines it swallowed are read again."""
    width = checks.width
    while True:
        try:
            row = next(reader)
            error = None
        except StopIteration:
            return
        except csv.Error as e:
            row, error = None, str(e)
        taken = lines.taken
        if row is not None and len(taken) == 1:
            if len(row) == width and not lines.bad and not lines.nul and len(taken[0]) <= MAX_FIELD_CHARS:
                yield lines.take(), row  # the common case: nothing to look at
                continue
            bad, nul = lines.bad, lines.nul
            first = lines.take()
            if row:  # not a blank line
                problem = _row_problem(row, checks, bool(bad), bool(nul))
                if problem is None:
                    yield first, row
                else:
                    _report_row(path, first, first, taken, *problem)
            continue
        # several lines in one record, or a csv error: an unterminated quote, most likely
        undecodable = set(lines.bad)
        first = lines.take()
        if row is not None and not row:
            continue
        last = first + len(taken) - 1
        why = error or f"a quote opened on line {first} is not closed before line {last}"
        _report_row(
            path, first, last, taken[:1], "unterminated-quote",
            f"{why}; line {first} skipped, the {len(taken) - 1} line(s) after it read on their own",
        )  # fmt: skip
        for n, text in enumerate(taken[1:], first + 1):
            yield from _reparse_line(text, n, n in undecodable, path, delimiter, checks)


def _reparse_line(
    text: str, n: int, bad: bool, path: Path, delimiter: str, checks: _Checks
) -> Iterator[tuple[int, list[str]]]:
    """One physical line read as a record by itself (after an unterminated quote before it)."""
    try:
        row = next(csv.reader([text], delimiter=delimiter, strict=True), [])
    except csv.Error as e:
        _report_row(path, n, n, [text], "unterminated-quote", f"cannot be read on its own: {e}")
        return
    if not row:
        return
    problem = _row_problem(row, checks, bad, "\0" in text)
    if problem is None:
        yield n, row
    else:
        _report_row(path, n, n, [text], *problem)


def _row_problem(row: list[str], checks: _Checks, bad: bool, nul: bool) -> tuple[str, str] | None:
    """``(reason, detail)`` when a one-line row is malformed, else None."""
    if bad:
        return "undecodable-bytes", "bytes not valid in the file's encoding; declare it in SOURCE.md (encoding: NAME)"
    if len(row) != checks.width and not (len(row) > checks.width and not any(row[checks.width :])):
        return "wrong-column-count", f"{len(row)} field(s), the header has {checks.width}"
    if nul:
        i = next(i for i, value in enumerate(row) if "\0" in value)
        return "nul-byte", f"a NUL byte in field {i + 1}"
    for name, i in zip(checks.names, checks.checked, strict=False):
        value = row[i]
        if len(value) > MAX_FIELD_CHARS:
            return "implausible-field", f"{name} is {len(value):,} characters long (more than {MAX_FIELD_CHARS})"
        if "\n" in value or "\r" in value:
            return "implausible-field", f"{name} holds a line break"
    return None


def _report_row(path: Path, first: int, last: int, taken: list[str], reason: str, detail: str) -> None:
    text = " ".join("".join(taken).split())
    if len(text) > 120:
        text = text[:119] + "…"
    report(ReadProblem(str(path), first, last, reason, detail, text.replace("\0", "\\0")))


# ---------------------------------------------------------------- plain lines, JSON, values


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, text without the line break)`` of every non-blank line of a text file whose
    bytes decode and hold no NUL (those are reported and skipped)."""
    with text_lines(path) as lines:
        for text in lines:
            bad, nul = lines.bad, lines.nul
            first = lines.take()
            body = text.rstrip("\r\n")
            if bad:
                _report_row(path, first, first, [body], "undecodable-bytes", "bytes not valid in the file's encoding")
            elif nul:
                _report_row(path, first, first, [body], "nul-byte", "a NUL byte in the line")
            elif body.strip():
                yield first, body


def read_json(path: Path) -> Any:
    """A JSON file (UTF-8, -16 or -32, with or without a byte-order mark), or ParseError."""
    with open_source(path) as f:
        try:
            data = f.read()
        except OSError as e:
            raise InputError(f"{path}: cannot read it ({e.strerror or e})") from None
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise ParseError(f"{path}: not valid JSON: {e}") from None


def parse_float(text: object) -> float | None:
    """A finite float from text (or a number), else None."""
    if text is None or text == "":
        return None
    try:
        x = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def parse_coordinates(lat: object, lon: object) -> tuple[float, float] | None:
    """A (lat, lon) pair when both parse and are in range; (0, 0) counts as missing.

    >>> parse_coordinates("43.07", "12.6"), parse_coordinates("95", "1"), parse_coordinates("0", "0")
    ((43.07, 12.6), None, None)
    """
    a, b = parse_float(lat), parse_float(lon)
    if a is None or b is None or not (-90 <= a <= 90 and -180 <= b <= 180) or (a == 0 and b == 0):
        return None
    return (a, b)


def checked_coordinates(lat: str, lon: str, *, path: Path, line: int, what: str = "") -> tuple[float, float] | None:
    """:func:`parse_coordinates`, reporting values that are given but unusable (latitude 200, ``abc``)
    as an ``invalid-coordinates`` problem at ``line``: the row is kept, its coordinates are not.

    >>> with collecting() as log:
    ...     checked_coordinates("200", "12.5", path=Path("s/a.csv"), line=7, what="Assisi")
    >>> log.problems[0].where, log.problems[0].detail
    ('a.csv:7', 'coordinates (200, 12.5) out of range or not numbers: not used')
    """
    c = parse_coordinates(lat, lon)
    if c is None and (lat.strip() or lon.strip()):
        a, b = parse_float(lat), parse_float(lon)
        if not (a == 0 and b == 0):
            report(
                ReadProblem(
                    str(path),
                    line,
                    line,
                    "invalid-coordinates",
                    f"coordinates ({lat.strip()}, {lon.strip()}) out of range or not numbers: not used",
                    what,
                )  # fmt: skip
            )
    return c
