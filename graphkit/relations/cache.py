"""The read model of the last build, cached beside its snapshot as compact JSON.

Reading ~23k places and ~35k relations from the world graph takes seconds (the queries, then
labels cleaned and joined in Python); loading them back from this file takes a fraction of a second,
so a new ``graphkit view`` process starts at once. The file (``out/graph.relations.json``) records
the snapshot's size and modification time (in nanoseconds), the cache format and graphkit's
version: any difference (a new build, ``graphkit analyze --write-back``) makes it stale and it is
read again from the build. It is written atomically (temporary file, then rename); a file that
cannot be read or does not fit is ignored, never trusted: it is plain JSON, checked field by field.

>>> import tempfile
>>> from pathlib import Path
>>> from graphkit.relations.model import Place, Relation, RelationData
>>> snap = Path(tempfile.mkdtemp()) / "graph.nq"
>>> _ = snap.write_text("")
>>> a, b = Place("https://x.org/a", "A", "municipality", "IT", 43.1, 12.6), Place("https://x.org/b", "B", "region")
>>> data = RelationData({a.iri: a, b.iri: b}, (Relation("https://x.org/r", (a.iri, b.iri), years=(2009,)),))
>>> save(data, snap).name
'graph.relations.json'
>>> load(snap) == data
True
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graphkit.relations.model import Place, Relation, RelationData

#: Bump when the layout of the file or of the read model changes: older files become stale.
CACHE_FORMAT = 4
CACHE_SUFFIX = ".relations.json"


def cache_path(snapshot: str | Path) -> Path:
    """Where the cache of ``snapshot`` lives: ``out/graph.nq`` → ``out/graph.relations.json``.

    >>> cache_path("out/graph.nq").as_posix()
    'out/graph.relations.json'
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
    from graphkit.rdf.files import write_text_atomic

    snap = Path(snapshot)
    key = key if key is not None else stamp(snap)
    if key is None:
        return None
    text = json.dumps({"key": key, **encode(data)}, ensure_ascii=False, separators=(",", ":"))
    try:
        path = write_text_atomic(cache_path(snap), text)
    except (OutputError, OSError) as e:
        if notify is not None:
            notify(f"note: could not cache the network beside {snap} ({e}); the next command reads the graph again")
        return None
    if stamp(snap) != key:  # the snapshot changed while it was being read: the file would lie
        os.unlink(path)
        return None
    return path


def load(snapshot: str | Path) -> RelationData | None:
    """The cached read model of ``snapshot``, or None when there is none or it does not match."""
    snap = Path(snapshot)
    key = stamp(snap)
    try:
        raw = json.loads(cache_path(snap).read_text(encoding="utf-8"))
        if key is None or not isinstance(raw, dict) or raw.get("key") != key:
            return None
        return decode(raw)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def encode(data: RelationData) -> dict[str, Any]:
    """The read model as JSON-ready data. Repeated values are stored once and referred to by number:
    strings (kinds, countries, sources, types), tuples of strings (a relation's sources, its types
    and status); a relation's parties by their place's number."""
    strings: dict[str, int] = {}
    tuples: dict[tuple[int, ...], int] = {}
    kinds: dict[tuple[int, ...], int] = {}

    def s(x: str) -> int:
        return strings.setdefault(x, len(strings))

    def ts(xs: Sequence[str]) -> int:
        return tuples.setdefault(tuple(s(x) for x in xs), len(tuples))

    order = {iri: i for i, iri in enumerate(data.places)}
    places = [
        [p.iri, p.label, s(p.kind), s(p.country), p.lat, p.lon, p.population, p.qid, ts(p.names), ts(p.sources),
         p.geonames_id, p.region, [x for t, lang in p.labels for x in (t, s(lang))],
         [x for t, lang in p.alt_labels for x in (t, s(lang))], p.betweenness, p.community]
        for p in data.places.values()
    ]  # fmt: skip
    relations = []
    for r in data.relations:
        kind = (ts(r.types), ts(r.type_labels), s(r.status), s(r.status_label), ts(r.statuses))
        relations.append(
            [r.iri, [order[p] for p in r.parties], kinds.setdefault(kind, len(kinds)), r.start, r.end, ts(r.sources),
             [order[p] for p in r.listed_by if p in order], r.label, list(r.years)]
        )  # fmt: skip
    return {
        "description": data.description,
        "strings": list(strings),
        "tuples": [list(t) for t in tuples],
        "kinds": [list(k) for k in kinds],
        "places": places,
        "relations": relations,
        "countries": dict(data.countries),
        "concept_labels": dict(data.concept_labels),
        "source_titles": dict(data.source_titles),
        "located_in": {k: list(v) for k, v in data.located_in.items()},
    }


def decode(raw: dict[str, Any]) -> RelationData:
    """The read model from :func:`encode`'s data (KeyError, IndexError or TypeError when it does not fit)."""
    strings = [_str(x) for x in raw["strings"]]
    tuples = [tuple(strings[i] for i in t) for t in raw["tuples"]]
    kinds = [(tuples[t], tuples[tl], strings[st], strings[sl], tuples[sts]) for t, tl, st, sl, sts in raw["kinds"]]
    get, tup = strings.__getitem__, tuples.__getitem__

    places: dict[str, Place] = {}
    for row in raw["places"]:
        iri, label, kind, cc, lat, lon, pop, qid, names, sources, geonames, region, labels, alts, btw, com = row
        places[iri] = Place(
            _str(iri), _str(label), get(kind), get(cc), _opt(lat, float), _opt(lon, float), _opt(pop, int),
            _str(qid), tup(names), tup(sources), _opt(geonames, int), _str(region),
            tuple(zip(map(_str, labels[::2]), map(get, labels[1::2]), strict=True)),
            tuple(zip(map(_str, alts[::2]), map(get, alts[1::2]), strict=True)), _opt(btw, float), _opt(com, int),
        )  # fmt: skip
    iri_at = list(places).__getitem__
    relations = []
    for iri, parties, kind, start, end, sources, listed_by, label, years in raw["relations"]:
        types, type_labels, status, status_label, statuses = kinds[kind]
        relations.append(
            Relation(
                _str(iri),
                tuple(map(iri_at, parties)),
                types,
                type_labels,
                status,
                status_label,
                _str(start),
                _str(end),
                tup(sources),
                tuple(map(iri_at, listed_by)),
                _str(label),
                statuses,
                tuple(map(_int, years)),
            )  # fmt: skip
        )
    return RelationData(
        places=places,
        relations=tuple(relations),
        countries={_str(k): _str(v) for k, v in raw["countries"].items()},
        concept_labels={_str(k): _str(v) for k, v in raw["concept_labels"].items()},
        source_titles={_str(k): _str(v) for k, v in raw["source_titles"].items()},
        located_in={_str(k): tuple(map(_str, v)) for k, v in raw["located_in"].items()},
        description=_str(raw["description"]),
    )


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def _opt(value: Any, kind: type) -> Any:
    if value is None:
        return None
    if type(value) is not int and type(value) is not float:
        raise TypeError(f"expected a number, got {value!r}")
    return kind(value)
