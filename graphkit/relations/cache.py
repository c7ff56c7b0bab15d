"""The read model of the last build, cached beside its snapshot as JSON lines, read lazily.

Reading ~23k places and ~35k relations from the world graph takes seconds (the queries, then
labels cleaned and joined in Python). This file (``out/graph.relations.jsonl``) gives a new process
what one view or dossier needs in a few tens of milliseconds: it holds one JSON value per line —

- a header: the key (the snapshot's size and modification time in nanoseconds, the cache format,
  graphkit's version), the SHA-256 of the lines below it, the counts and the small tables (strings
  many rows share, country names, concept labels, source titles, ``gk:locatedIn``);
- the columns read at once: every place's IRI, label, kind, country and QID, and every relation's
  parties (enough for partners, degrees, ego networks, ranks and exact-label look-ups);
- the folded names of every place (:func:`graphkit.relations.labels.fold`, for finding a place by
  name without folding 46k names in every process), read on first use;
- one line per place, then one line per relation, each decoded only when that place or relation
  is looked at (:class:`PlaceTable`, :class:`RelationTable`).

Any difference in the key (a new build, ``graphkit analyze --write-back``) makes the file stale and
it is read again from the build. It is written atomically (temporary file, then rename). A file
that cannot be read, whose digest does not match its lines, or whose header and columns do not fit
field by field is ignored, never trusted: it is plain JSON (no pickle, nothing executed). A line
decoded later that does not fit (only a file made by hand with a recomputed digest can have one)
is a :class:`CacheError` naming the file to delete.

>>> import tempfile
>>> from pathlib import Path
>>> from graphkit.relations.model import Place, Relation, RelationData
>>> snap = Path(tempfile.mkdtemp()) / "graph.nq"
>>> _ = snap.write_text("")
>>> a, b = Place("https://x.org/a", "A", "municipality", "IT", 43.1, 12.6), Place("https://x.org/b", "B", "region")
>>> data = RelationData({a.iri: a, b.iri: b}, (Relation("https://x.org/r", (a.iri, b.iri), years=(2009,)),))
>>> save(data, snap).name
'graph.relations.jsonl'
>>> loaded = load(snap)
>>> loaded == data, loaded.named("a"), loaded.degree(a.iri), loaded.places[b.iri].kind
(True, ['https://x.org/a'], 1, 'region')
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar, cast, overload

from graphkit.errors import StoreError
from graphkit.relations.model import Place, Relation, RelationData, folded_name_index

#: Bump when the layout of the file or of the read model changes (or :func:`~graphkit.relations.labels.fold`):
#: older files become stale.
CACHE_FORMAT = 6  # 6: place and relation labels are the graph's gk:displayLabel
CACHE_SUFFIX = ".relations.jsonl"
#: The name earlier versions wrote (one JSON document); removed when the cache is written.
LEGACY_SUFFIX = ".relations.json"
#: Lines before the place rows: header, columns, parties, folded names.
_HEAD_LINES = 4


class CacheError(StoreError):
    """A line of the read-model cache does not fit (the file was altered by hand)."""


def cache_path(snapshot: str | Path) -> Path:
    """Where the cache of ``snapshot`` lives: ``out/graph.nq`` → ``out/graph.relations.jsonl``.

    >>> cache_path("out/graph.nq").as_posix()
    'out/graph.relations.jsonl'
    """
    return Path(snapshot).with_suffix(CACHE_SUFFIX)


def stamp(snapshot: str | Path) -> dict[str, Any] | None:
    """What a cache of ``snapshot`` is keyed by (None when there is no snapshot): take it before reading."""
    try:
        st = Path(snapshot).stat()
    except OSError:
        return None
    from graphkit.version import VERSION as __version__

    return {"format": CACHE_FORMAT, "graphkit": __version__, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def save(
    data: RelationData,
    snapshot: str | Path,
    *,
    key: dict[str, Any] | None = None,
    notify: Callable[[str], None] | None = None,
) -> Path | None:
    """Write the cache of ``data`` read from ``snapshot`` (whose :func:`stamp` was ``key`` before it
    was read; default: now). None when the snapshot changed meanwhile or the file cannot be written."""
    from graphkit.errors import OutputError
    from graphkit.rdf.files import write_bytes_atomic

    snap = Path(snapshot)
    key = key if key is not None else stamp(snap)
    if key is None:
        return None
    blob = encode(data, key)
    try:
        path = write_bytes_atomic(cache_path(snap), blob)
    except (OutputError, OSError) as e:
        if notify is not None:
            notify(f"note: could not cache the network beside {snap} ({e}); the next command reads the graph again")
        return None
    if stamp(snap) != key:  # the snapshot changed while it was being read: the file would lie
        os.unlink(path)
        return None
    legacy = snap.with_suffix(LEGACY_SUFFIX)
    if legacy.is_file():
        legacy.unlink(missing_ok=True)
    return path


def load(snapshot: str | Path) -> RelationData | None:
    """The cached read model of ``snapshot``, or None when there is none or it does not match."""
    snap = Path(snapshot)
    key = stamp(snap)
    if key is None:
        return None
    path = cache_path(snap)
    try:
        return decode(path.read_bytes(), key, source=str(path))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


# ---------------------------------------------------------------- writing


def _line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode(data: RelationData, key: dict[str, Any]) -> bytes:
    """The file's bytes: header, columns, parties, folded names, a line per place, a line per relation.
    Strings many rows share (kinds, countries, languages, sources, types, statuses) and tuples of them
    are stored once in the header and referred to by number; places by their number."""
    strings: dict[str, int] = {}
    tuples: dict[tuple[int, ...], int] = {}
    kinds: dict[tuple[int, ...], int] = {}

    def s(x: str) -> int:
        return strings.setdefault(x, len(strings))

    def ts(xs: Sequence[str]) -> int:
        return tuples.setdefault(tuple(s(x) for x in xs), len(tuples))

    places = list(data.places.values())
    order = {p.iri: i for i, p in enumerate(places)}
    columns = {
        "iri": [p.iri for p in places],
        "label": [p.label for p in places],
        "kind": [s(p.kind) for p in places],
        "country": [s(p.country) for p in places],
        "qid": [p.qid for p in places],
    }
    place_rows = [
        _line([p.lat, p.lon, p.population, list(p.names), ts(p.sources), p.geonames_id, p.region,
               [x for t, lang in p.labels for x in (t, s(lang))], [x for t, lang in p.alt_labels for x in (t, s(lang))],
               p.betweenness, p.community])
        for p in places
    ]  # fmt: skip
    sizes: list[int] = []
    flat: list[int] = []
    relation_rows: list[bytes] = []
    for r in data.relations:
        sizes.append(len(r.parties))
        flat.extend(order[p] for p in r.parties)
        kind = (ts(r.types), ts(r.type_labels), s(r.status), s(r.status_label), ts(r.statuses))
        relation_rows.append(
            _line([r.iri, kinds.setdefault(kind, len(kinds)), r.start, r.end, ts(r.sources),
                   [order[p] for p in r.listed_by if p in order], r.label, list(r.years)])
        )  # fmt: skip
    names = {k: [order[i] for i in v] for k, v in folded_name_index(places).items()}
    body = b"\n".join(
        [_line(columns), _line({"sizes": sizes, "flat": flat}), _line(names), *place_rows, *relation_rows, b""]
    )
    header = {
        "key": key,
        "digest": hashlib.sha256(body).hexdigest(),
        "places": len(places),
        "relations": len(relation_rows),
        "description": data.description,
        "strings": list(strings),
        "tuples": [list(t) for t in tuples],
        "kinds": [list(k) for k in kinds],
        "countries": dict(data.countries),
        "concept_labels": dict(data.concept_labels),
        "source_titles": dict(data.source_titles),
        "located_in": {k: list(v) for k, v in data.located_in.items()},
    }
    return _line(header) + b"\n" + body


# ---------------------------------------------------------------- reading


def decode(blob: bytes, key: dict[str, Any], *, source: str = "the read-model cache") -> RelationData | None:
    """The read model in ``blob`` (:func:`encode`'s bytes) when it was written for ``key``; None when
    not. Raises ValueError, KeyError, TypeError or IndexError when the header or columns do not fit."""
    end = blob.find(b"\n")
    header = json.loads(blob[:end])
    if not isinstance(header, dict) or header.get("key") != key:
        return None
    body = memoryview(blob)[end + 1 :]
    if hashlib.sha256(body).hexdigest() != _str(header["digest"]):
        return None
    lines = blob[end + 1 :].split(b"\n")
    n_places, n_relations = _int(header["places"]), _int(header["relations"])
    if len(lines) != _HEAD_LINES - 1 + n_places + n_relations + 1 or lines[-1]:
        return None
    strings = [_str(x) for x in header["strings"]]
    tuples = [tuple(strings[_int(i)] for i in t) for t in header["tuples"]]
    kinds = [
        (tuples[t], tuples[tl], strings[st], strings[sl], tuples[sts])
        for t, tl, st, sl, sts in map(_ints, header["kinds"])
    ]

    columns = json.loads(lines[0])
    iris = _strs(columns["iri"], n_places)
    eager = {
        "label": _strs(columns["label"], n_places),
        "kind": [strings[i] for i in _ints(columns["kind"], n_places)],
        "country": [strings[i] for i in _ints(columns["country"], n_places)],
        "qid": _strs(columns["qid"], n_places),
    }
    parties = json.loads(lines[1])
    sizes, flat = _ints(parties["sizes"], n_relations), _ints(parties["flat"])
    if sum(sizes) != len(flat) or any(i < 0 or i >= n_places for i in flat):
        raise ValueError("relation parties out of range")
    party_lists: list[tuple[str, ...]] = []
    at = 0
    for n in sizes:
        party_lists.append(tuple(iris[i] for i in flat[at : at + n]))
        at += n

    places = PlaceTable(iris, eager, lines, strings, tuples, source)
    relations = RelationTable(party_lists, lines, _HEAD_LINES - 1 + n_places, kinds, tuples, iris, source)
    return RelationData(
        places=places,
        relations=relations,
        countries={_str(k): _str(v) for k, v in header["countries"].items()},
        concept_labels={_str(k): _str(v) for k, v in header["concept_labels"].items()},
        source_titles={_str(k): _str(v) for k, v in header["source_titles"].items()},
        located_in={_str(k): tuple(map(_str, v)) for k, v in header["located_in"].items()},
        description=_str(header["description"]),
    )


class PlaceTable(Mapping[str, Place]):
    """The places of the cache by IRI, in their order: a :class:`Place` is decoded from its line when
    first looked up; the columns (label, kind, country, QID) and folded names without decoding any."""

    def __init__(
        self,
        iris: list[str],
        columns: dict[str, list[Any]],
        lines: list[bytes],
        strings: list[str],
        tuples: list[tuple[str, ...]],
        source: str,
    ) -> None:
        self._iris = iris
        self._at = {iri: i for i, iri in enumerate(iris)}
        self._columns = columns
        self._lines = lines
        self._strings = strings
        self._tuples = tuples
        self._source = source
        self._rows = _LazyRows(lines, _HEAD_LINES - 1, len(iris), self._place, "place", source)
        self._names: dict[str, list[str]] | None = None

    def __getitem__(self, iri: str) -> Place:
        return self._rows.get(self._at[iri])

    def _place(
        self, i: int, lat: Any, lon: Any, pop: Any, names: Any, sources: Any, geonames: Any, region: Any,
        labels: Any, alts: Any, btw: Any, com: Any,
    ) -> Place:  # fmt: skip
        get = self._strings.__getitem__
        c = self._columns
        return Place(
            self._iris[i], c["label"][i], c["kind"][i], c["country"][i], _opt(lat, float), _opt(lon, float),
            _opt(pop, int), c["qid"][i], tuple(map(_str, names)), self._tuples[_int(sources)], _opt(geonames, int),
            _str(region), tuple(zip(map(_str, labels[::2]), map(get, map(_int, labels[1::2])), strict=True)),
            tuple(zip(map(_str, alts[::2]), map(get, map(_int, alts[1::2])), strict=True)), _opt(btw, float),
            _opt(com, int),
        )  # fmt: skip

    def __contains__(self, iri: object) -> bool:
        return iri in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._iris)

    def __len__(self) -> int:
        return len(self._iris)

    def column(self, name: str) -> list[Any] | None:
        """Every place's ``name`` attribute in order, for the columns stored apart (else None)."""
        if name == "iri":
            return list(self._iris)
        values = self._columns.get(name)
        return list(values) if values is not None else None

    def folded_names(self) -> dict[str, list[str]]:
        """Folded name → IRIs of the places with that name (read from the file once)."""
        if self._names is None:
            try:
                raw = json.loads(self._lines[_HEAD_LINES - 2])
                iris = self._iris
                self._names = {_str(k): [iris[_int(i)] for i in v] for k, v in raw.items()}
            except (ValueError, KeyError, TypeError, IndexError, AttributeError) as e:
                raise CacheError(f"{self._source} is damaged (names: {e}): delete it and run again") from e
        return self._names


class RelationTable(Sequence[Relation]):
    """The relations of the cache in their order: a :class:`Relation` is decoded from its line when
    first looked at; every relation's parties (:meth:`party_lists`) without decoding any."""

    def __init__(
        self,
        party_lists: list[tuple[str, ...]],
        lines: list[bytes],
        first_line: int,
        kinds: list[tuple[Any, ...]],
        tuples: list[tuple[str, ...]],
        iris: list[str],
        source: str,
    ) -> None:
        self._parties = party_lists
        self._lines = lines
        self._first = first_line
        self._kinds = kinds
        self._tuples = tuples
        self._iris = iris
        self._source = source
        self._rows = _LazyRows(lines, first_line, len(party_lists), self._relation, "relation", source)

    def party_lists(self) -> list[tuple[str, ...]]:
        """Every relation's parties (sorted IRIs), in order (do not modify)."""
        return self._parties

    def __len__(self) -> int:
        return len(self._parties)

    @overload
    def __getitem__(self, i: int) -> Relation: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Relation]: ...

    def __getitem__(self, i: int | slice) -> Relation | Sequence[Relation]:
        if isinstance(i, slice):
            return tuple(self[j] for j in range(*i.indices(len(self))))
        if i < 0:
            i += len(self._parties)
        if not 0 <= i < len(self._parties):
            raise IndexError("relation index out of range")
        return self._rows.get(i)

    def _relation(
        self, i: int, iri: Any, kind: Any, start: Any, end: Any, sources: Any, listed_by: Any, label: Any, years: Any
    ) -> Relation:
        types, type_labels, status, status_label, statuses = self._kinds[_int(kind)]
        iris = self._iris
        return Relation(
            _str(iri), self._parties[i], types, type_labels, status, status_label, _str(start), _str(end),
            self._tuples[_int(sources)], tuple(iris[_int(p)] for p in listed_by), _str(label), statuses,
            tuple(map(_int, years)),
        )  # fmt: skip

    def __iter__(self) -> Iterator[Relation]:
        return iter(self._rows.all())  # a walk over every relation: the rest are read at once

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside, compared by value

    def __repr__(self) -> str:
        return f"<RelationTable: {len(self)} relations>"


T = TypeVar("T")

#: After this many places (or relations) read one by one, the rest are read in one go: one JSON
#: parse of them all is several times faster than a parse per line (the world view reads them all;
#: an ego view or a dossier, a few hundred).
BULK_AFTER = 2000


class _LazyRows(Generic[T]):
    """Rows of the cache file made into objects (``make(i, *row)``) when first asked for; after
    :data:`BULK_AFTER` of them, or when all are asked for, the rest are parsed in one go."""

    def __init__(self, lines: list[bytes], first: int, n: int, make: Callable[..., T], what: str, source: str) -> None:
        self._lines, self._first, self._make, self._what, self._source = lines, first, make, what, source
        self._made: list[T | None] = [None] * n
        self._lookups = 0

    def get(self, i: int) -> T:
        """Row ``i``'s object."""
        made = self._made[i]
        if made is None:
            self._lookups += 1
            if self._lookups == BULK_AFTER:  # most rows will be asked for: read the rest at once
                self.all()
            made = self._made[i]
            if made is None:
                made = self._made[i] = self._from(i, json.loads, self._lines[self._first + i])
        return made

    def all(self) -> list[T]:
        """Every row's object, in order."""
        todo = [i for i, made in enumerate(self._made) if made is None]
        if todo:
            rows = _load_rows([self._lines[self._first + i] for i in todo], self._source)
            for i, row in zip(todo, rows, strict=True):
                self._made[i] = self._from(i, _given, row)
        return cast(list[T], self._made)  # none is None any more

    def _from(self, i: int, load: Callable[[Any], Any], line: Any) -> T:
        try:
            return self._make(i, *load(line))
        except (ValueError, KeyError, TypeError, IndexError) as e:
            raise CacheError(f"{self._source} is damaged ({self._what} {i}: {e}): delete it and run again") from e


def _load_rows(lines: list[bytes], source: str) -> list[Any]:
    """The JSON rows of ``lines`` parsed in one go (a damaged line: :class:`CacheError`)."""
    try:
        rows = json.loads(b"[" + b",".join(lines) + b"]")
    except ValueError as e:
        raise CacheError(f"{source} is damaged ({e}): delete it and run again") from e
    if type(rows) is not list or len(rows) != len(lines):
        raise CacheError(f"{source} is damaged (a line holds more than one row): delete it and run again")
    return rows


def _given(row: Any) -> Any:
    return row


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _strs(values: Any, n: int) -> list[str]:
    if type(values) is not list or len(values) != n or not all(type(v) is str for v in values):
        raise TypeError("expected a list of strings")
    return values


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def _ints(values: Any, n: int | None = None) -> list[int]:
    if type(values) is not list or (n is not None and len(values) != n) or not all(type(v) is int for v in values):
        raise TypeError("expected a list of integers")
    return values


def _opt(value: Any, kind: type) -> Any:
    if value is None:
        return None
    if type(value) is not int and type(value) is not float:
        raise TypeError(f"expected a number, got {value!r}")
    return kind(value)
