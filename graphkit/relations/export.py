"""The relations as a flat table: one row per relation with both parties' labels, countries and QIDs.

Columns (:data:`COLUMNS`): ``relation`` (IRI), ``type`` (the relation type's prefixed name),
``party1_label``, ``party1_country`` (ISO 3166-1 alpha-2), ``party1_qid``, the same for party 2,
``sources`` (``;``-separated prefixed names of the supporting source nodes), ``listed_by``
(``1``/``2``/``1;2``: which parties' lists name the relation). Parties are in IRI order. Labels are
each party's ``gk:displayLabel`` (:mod:`graphkit.store.display_labels`: English, else the language
of its country, else untagged, else any).

>>> from graphkit.store.open import open_graph
>>> rows = relation_rows(open_graph(["data/seed/assisi-koya.ttl"]))
>>> {k: rows[0][k] for k in ("party1_label", "party1_country", "party2_label", "party2_qid")}
{'party1_label': 'Kōya', 'party1_country': 'JP', 'party2_label': 'Assisi', 'party2_qid': 'Q20103'}
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from rdflib import Literal, URIRef

from graphkit.errors import InputError, QueryError
from graphkit.rdf.files import csv_text
from graphkit.rdf.namespaces import curie
from graphkit.store.embedded import EmbeddedStore, Store

COLUMNS: tuple[str, ...] = (
    "relation",
    "type",
    "party1_label",
    "party1_country",
    "party1_qid",
    "party2_label",
    "party2_country",
    "party2_qid",
    "sources",
    "listed_by",
)
FORMATS: tuple[str, ...] = ("csv", "json")

_RELATIONS = """
SELECT ?relation ?type ?party ?source ?lister WHERE {
  ?relation a gk:MunicipalRelation ; gk:party ?party .
  OPTIONAL { ?relation gk:relationType ?type }
  OPTIONAL { ?relation prov:wasDerivedFrom ?source }
  OPTIONAL { ?relation gk:listedBy ?lister }
}"""
_PARTIES = """
SELECT ?party ?label ?code ?wd WHERE {
  { SELECT DISTINCT ?party WHERE { ?relation a gk:MunicipalRelation ; gk:party ?party } }
  OPTIONAL { ?party gk:displayLabel ?label }
  OPTIONAL { ?party gk:country/gk:countryCode ?code }
  OPTIONAL { ?party gk:wikidata ?wd }
}"""
_LANG_RANK = {"en": 0, "it": 1, None: 2}


def _plain_rows(store: Store, text: str) -> list[tuple[Any, ...]]:
    """Rows whose cells are ``str`` for IRIs and ``(text, language)`` for literals (None when unbound).

    On the embedded store this reads pyoxigraph's terms directly (turning 150k cells into rdflib
    terms costs seconds); any other store goes through :meth:`Store.query`.
    """
    if isinstance(store, EmbeddedStore):
        import pyoxigraph as ox

        from graphkit.rdf.namespaces import PREFIXES

        solutions = store.oxigraph.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("a table needs a SELECT query")
        width = range(len(solutions.variables))
        lit = ox.Literal

        def cell(t: Any) -> Any:
            if t is None:
                return None
            return (t.value, t.language) if isinstance(t, lit) else t.value

        return [tuple(cell(sol[i]) for i in width) for sol in solutions]
    r = store.select(text)
    return [
        tuple(None if v is None else (str(v), v.language) if isinstance(v, Literal) else str(v) for v in row)
        for row in r.rows
    ]


def relation_rows(store: Store) -> list[dict[str, str]]:
    """One dict per relation (keys :data:`COLUMNS`), sorted by relation IRI."""
    info: dict[str, dict[str, Any]] = {}
    for party, label, code, wd in _plain_rows(store, _PARTIES):
        p = info.get(party)
        if p is None:
            p = info[party] = {"label": None, "rank": 9, "code": "", "qid": ""}
        if label is not None:
            rank = _LANG_RANK.get(label[1], 3)
            if rank < p["rank"] or (rank == p["rank"] and label[0] < p["label"]):
                p["label"], p["rank"] = label[0], rank
        if code is not None:
            p["code"] = code[0]
        if wd is not None:
            p["qid"] = wd.rsplit("/", 1)[-1]
    rels: dict[str, list[Any]] = {}
    for rel, typ, party, source, lister in _plain_rows(store, _RELATIONS):
        r = rels.get(rel)
        if r is None:
            r = rels[rel] = [None, set(), set(), set()]
        r[1].add(party)
        if typ is not None:
            r[0] = typ
        if source is not None:
            r[2].add(source)
        if lister is not None:
            r[3].add(lister)
    short: dict[str, str] = {}
    rows = []
    for iri in sorted(rels):
        typ, party_set, sources, listers = rels[iri]
        parties = sorted(party_set)
        row = {"relation": iri, "type": _short(typ, short) if typ else ""}
        for n, party in enumerate(parties[:2], 1):
            p = info.get(party, {})
            row[f"party{n}_label"] = p.get("label") or party
            row[f"party{n}_country"] = p.get("code", "")
            row[f"party{n}_qid"] = p.get("qid", "")
        row["sources"] = ";".join(sorted(_short(x, short) for x in sources))
        row["listed_by"] = ";".join(str(n) for n, party in enumerate(parties[:2], 1) if party in listers)
        rows.append({c: row.get(c, "") for c in COLUMNS})
    return rows


def _short(iri: str, cache: dict[str, str]) -> str:
    if iri not in cache:
        cache[iri] = curie(URIRef(iri))
    return cache[iri]


def relations_dataframe(store: Store) -> Any:
    """The relations as a pandas DataFrame (columns :data:`COLUMNS`)."""
    import pandas as pd

    return pd.DataFrame(relation_rows(store), columns=list(COLUMNS))


def render_relations(rows: list[dict[str, str]], fmt: str, *, raw: bool = False) -> str:
    """The rows as CSV (with a header) or a JSON array of objects. In CSV a label that a spreadsheet
    would run as a formula (``=HYPERLINK(...)``, ``@SUM(...)``) gets a leading ``'`` unless ``raw``
    (see :func:`graphkit.rdf.files.neutralise_formula`).

    >>> print(render_relations([{c: "x" for c in COLUMNS}], "csv").splitlines()[0])
    relation,type,party1_label,party1_country,party1_qid,party2_label,party2_country,party2_qid,sources,listed_by
    >>> print(render_relations([{**{c: "" for c in COLUMNS}, "party1_label": "=1+1"}], "csv").splitlines()[1])
    ,,'=1+1,,,,,,,
    """
    if fmt == "csv":
        return csv_text(itertools.chain([COLUMNS], ([r.get(c, "") for c in COLUMNS] for r in rows)), raw=raw)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    raise InputError(f"unknown table format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_relations(store: Store, fmt: str = "csv", *, raw: bool = False) -> str:
    """The relations table of ``store`` as CSV or JSON text (``raw``: CSV cells as they are)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown table format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return render_relations(relation_rows(store), fmt, raw=raw)
