"""The places as a flat table: one row per place (municipalities, areas, countries) with what the graph
knows of it — the table analysts load into pandas.

Columns (:data:`COLUMNS`): ``iri``, ``label`` (English, else Italian, else without language, else
any), ``kind`` (``municipality``, ``district``, ``province``, ``region``, ``prefecture``, ``area``,
``country``), ``country`` (ISO 3166-1 alpha-2), ``lat``, ``lon``, ``population``, ``qid``,
``geonames_id``, ``sources`` (``;``-separated prefixed names of the source nodes).

>>> from graphkit.store.open import open_graph
>>> rows = {r["label"]: r for r in place_rows(open_graph(["data/seed/assisi-koya.ttl"]))}
>>> {k: rows["Assisi"][k] for k in ("kind", "country", "qid")}
{'kind': 'municipality', 'country': 'IT', 'qid': 'Q20103'}
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from rdflib import URIRef

from graphkit.errors import InputError
from graphkit.rdf.files import csv_text
from graphkit.rdf.namespaces import curie
from graphkit.relations.export import _plain_rows
from graphkit.relations.model import place_class_values
from graphkit.store.embedded import Store

COLUMNS: tuple[str, ...] = (
    "iri",
    "label",
    "kind",
    "country",
    "lat",
    "lon",
    "population",
    "qid",
    "geonames_id",
    "sources",
)
FORMATS = ("csv", "json")
#: Place classes and the kind each is called in the table (the most specific wins).
KINDS = {
    "Municipality": "municipality",
    "District": "district",
    "Province": "province",
    "Region": "region",
    "Prefecture": "prefecture",
    "AdministrativeArea": "area",
    "Country": "country",
}
_PLACES = """
SELECT ?p ?class ?cc ?own ?lat ?lon ?pop ?wd ?gid WHERE {
  $PLACE_CLASSES
  ?p a ?class .
  OPTIONAL { ?p gk:country/gk:countryCode ?cc }
  OPTIONAL { ?p gk:countryCode ?own }
  OPTIONAL { ?p wgs84:lat ?lat ; wgs84:long ?lon }
  OPTIONAL { ?p gk:population ?pop }
  OPTIONAL { ?p gk:wikidata ?wd }
  OPTIONAL { ?p gk:geonamesId ?gid }
}""".replace("$PLACE_CLASSES", place_class_values())
_LABELS = """
SELECT ?p ?l WHERE {
  $PLACE_CLASSES
  ?p a ?class ; rdfs:label ?l .
}""".replace("$PLACE_CLASSES", place_class_values())
_SOURCES = """
SELECT DISTINCT ?p ?s WHERE {
  $PLACE_CLASSES
  ?p a ?class ; prov:wasDerivedFrom ?s .
}""".replace("$PLACE_CLASSES", place_class_values())
_LANG_RANK = {"en": 0, "it": 1, None: 2, "": 2}


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    return cell[0] if isinstance(cell, tuple) else str(cell)


def place_rows(store: Store) -> list[dict[str, str]]:
    """One row per place (columns :data:`COLUMNS`), ordered by IRI."""
    rows: dict[str, dict[str, str]] = {}
    rank: dict[str, int] = {}
    order = list(KINDS)
    for p, cls, cc, own, lat, lon, pop, wd, gid in _plain_rows(store, _PLACES):
        kind_name = str(cls).rsplit("#", 1)[-1]
        row = rows.get(p)
        if row is None:
            row = rows[p] = {c: "" for c in COLUMNS}
            row["iri"] = p
            rank[p] = len(order)
        position = order.index(kind_name)
        if position < rank[p]:
            rank[p], row["kind"] = position, KINDS[kind_name]
        for col, cell in (
            ("country", cc or own),
            ("lat", lat),
            ("lon", lon),
            ("population", pop),
            ("geonames_id", gid),
        ):
            row[col] = row[col] or _text(cell)
        if wd is not None and not row["qid"]:
            row["qid"] = str(wd).rsplit("/", 1)[-1]
    best: dict[str, tuple[int, str]] = {}
    for p, label in _plain_rows(store, _LABELS):
        if p in rows and label is not None:
            text, lang = label if isinstance(label, tuple) else (str(label), None)
            key = (_LANG_RANK.get(lang, 3), text)
            if p not in best or key < best[p]:
                best[p] = key
    for p, (_, text) in best.items():
        rows[p]["label"] = text
    sources: dict[str, list[str]] = {}
    for p, s in _plain_rows(store, _SOURCES):
        if p in rows and s is not None:
            sources.setdefault(p, []).append(curie(URIRef(str(s))))
    for p, ss in sources.items():
        rows[p]["sources"] = ";".join(sorted(ss))
    return [rows[p] for p in sorted(rows)]


def render_places(rows: list[dict[str, str]], fmt: str, *, raw: bool = False) -> str:
    """The rows as CSV (a header first; labels a spreadsheet would run as formulas neutralised unless
    ``raw``) or as a JSON array of objects.

    >>> print(render_places([{c: "x" for c in COLUMNS}], "csv").splitlines()[0])
    iri,label,kind,country,lat,lon,population,qid,geonames_id,sources
    """
    if fmt == "csv":
        return csv_text(itertools.chain([COLUMNS], ([r.get(c, "") for c in COLUMNS] for r in rows)), raw=raw)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    raise InputError(f"unknown table format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_places(store: Store, fmt: str = "csv", *, raw: bool = False) -> str:
    """The places table of ``store`` as CSV or JSON text (``raw``: CSV cells as they are)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown table format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return render_places(place_rows(store), fmt, raw=raw)


def places_dataframe(store: Store) -> Any:
    """The places as a pandas DataFrame (columns :data:`COLUMNS`)."""
    import pandas as pd

    return pd.DataFrame(place_rows(store), columns=list(COLUMNS))
