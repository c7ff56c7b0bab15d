"""A W3C Reconciliation API (v0.2) service over our graph, so OpenRefine users can reconcile their tables.

- ``GET /reconcile`` (no ``queries``) → the service manifest (``versions``, ``name``, ``identifierSpace``,
  ``schemaSpace``, ``defaultTypes``, ``view``); JSONP with ``callback``.
- ``GET/POST /reconcile`` with ``queries`` (a JSON object, as a form or URL parameter) → for each key
  ``{"result": [{"id", "name", "score", "match", "type": [{"id", "name"}], "description", "features"}]}``.
  A key whose query is invalid (no ``query`` and no ``properties``, an unknown field, a bad ``limit``)
  gets ``{"result": [], "error": "…"}``; the other keys are answered.
- Properties understood: ``country`` (ISO code or name), ``lat``/``long`` or ``coordinates`` (``"lat,long"``),
  ``wikidata`` (a QID: identifiers are compared exactly). Types: ``Municipality``, ``AdministrativeArea``,
  ``Country``; ``type_strict`` ``should``/``any`` (default) or ``all``.

IDs are the part of our place IRI after ``gkid:place/`` (``Q20103``, ``jp/koya``): the manifest's
``identifierSpace`` turns them back into IRIs. ``match`` follows :func:`graphkit.wikidata.reconcile.reconcile`:
true only when the evidence is unambiguous, never from the name alone.

>>> from graphkit.store.open import open_graph
>>> service = ReconciliationService.from_store(open_graph(["data/seed/assisi-koya.ttl"]))
>>> out = service.reconcile_batch({"q0": {"query": "Koya", "properties": [{"pid": "country", "v": "JP"}]}})
>>> [(r["id"], r["name"], r["match"]) for r in out["q0"]["result"]]
[('Q1346907', 'Koya', True)]
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphkit.rdf.namespaces import GK, ID
from graphkit.store.embedded import Store
from graphkit.wikidata.gazetteer import ADMIN, COUNTRY, MUNICIPALITY, PlaceIndex
from graphkit.wikidata.graphplaces import read_graph_places
from graphkit.wikidata.reconcile import PlaceQuery, reconcile

PLACE_SPACE = str(ID) + "place/"
TYPES = {
    "Municipality": (MUNICIPALITY, "municipality"),
    "AdministrativeArea": (ADMIN, "administrative area"),
    "Country": (COUNTRY, "country"),
}
_KIND_TO_TYPE = {kind: tid for tid, (kind, _) in TYPES.items()}
_ALLOWED_KEYS = {"query", "type", "limit", "properties", "type_strict"}
MAX_QUERIES = 100
MAX_LIMIT = 50

#: (status, headers, body) — what a route handler returns.
Response = tuple[int, dict[str, str], bytes]
#: A route handler: (method, URL query parameters, request body, content type) → response.
Handler = Callable[[str, Mapping[str, list[str]], bytes, str], Response]


class QueryInvalid(ValueError):
    """One query of a batch is not valid (reported for its key only)."""


@dataclass
class ReconciliationService:
    """Reconcile against an index of our graph's places."""

    index: PlaceIndex
    countries: dict[str, str]
    name: str = "graphkit municipalities"

    @classmethod
    def from_store(cls, store: Store) -> ReconciliationService:
        """Index every municipality, administrative area and country of ``store``."""
        places = read_graph_places(store)
        countries: dict[str, str] = {}
        for p in places:
            if p.kind == COUNTRY and p.country:
                for n, _ in p.names:
                    countries[n.casefold()] = p.country
        return cls(PlaceIndex.from_entries(p.as_entry() for p in places), countries)

    def manifest(self) -> dict[str, Any]:
        return {
            "versions": ["0.2"],
            "name": self.name,
            "identifierSpace": PLACE_SPACE,
            "schemaSpace": str(GK._NS),
            "defaultTypes": [{"id": "Municipality", "name": "municipality"}],
            "view": {"url": PLACE_SPACE + "{{id}}"},
            "batchSize": MAX_QUERIES,
        }

    def reconcile_batch(self, queries: Any) -> dict[str, Any]:
        """Answer a batch ``{"q0": {...}, ...}``; an invalid query gets an error under its own key."""
        if not isinstance(queries, dict):
            raise QueryInvalid("queries must be a JSON object keyed q0, q1, …")
        if len(queries) > MAX_QUERIES:
            raise QueryInvalid(f"at most {MAX_QUERIES} queries per batch")
        out: dict[str, Any] = {}
        for key, q in queries.items():
            try:
                out[str(key)] = {"result": self.reconcile_one(q)}
            except QueryInvalid as e:
                out[str(key)] = {"result": [], "error": str(e)}
        return out

    def reconcile_one(self, q: Any) -> list[dict[str, Any]]:
        pq, limit, types, strict = self._parse(q)
        cands = reconcile(pq, self.index, limit=max(limit * 3, 10))
        results: list[dict[str, Any]] = []
        for c in cands:
            entry = self.index.get(c.key)
            if entry is None:
                continue
            tid = _KIND_TO_TYPE.get(entry.main_kind())
            if types and strict == "all" and tid not in types:
                continue
            score = c.score if not types or tid in types else max(0.0, c.score - 20)
            results.append(
                {
                    "id": c.key[len(PLACE_SPACE) :] if c.key.startswith(PLACE_SPACE) else c.key,
                    "name": entry.label,
                    "score": round(score, 1),
                    "match": bool(c.match and (not types or tid in types)),
                    "type": [{"id": tid, "name": TYPES[tid][1]}] if tid else [],
                    "description": ", ".join(x for x in (entry.country or "", entry.qid or "") if x),
                    "features": [
                        {"id": "name", "value": c.name},
                        {"id": "country", "value": bool(c.country_agrees)},
                        {"id": "distance_km", "value": c.distance_km if c.distance_km is not None else -1},
                        {"id": "shared_partners", "value": c.shared_partners},
                    ],
                }
            )
        results.sort(key=lambda r: (-r["score"], r["id"]))
        return results[:limit]

    def _parse(self, q: Any) -> tuple[PlaceQuery, int, set[str], str]:
        if not isinstance(q, dict):
            raise QueryInvalid("each query must be a JSON object")
        extra = set(q) - _ALLOWED_KEYS
        if extra:
            raise QueryInvalid(f"unknown field(s): {', '.join(sorted(extra))}")
        text = q.get("query")
        if text is not None and not isinstance(text, str):
            raise QueryInvalid("query must be a string")
        props = q.get("properties") or []
        if not isinstance(props, list) or not all(isinstance(p, dict) and "pid" in p and "v" in p for p in props):
            raise QueryInvalid("properties must be a list of {pid, v}")
        if not (text and text.strip()) and not props:
            raise QueryInvalid("a query needs a non-empty 'query' or 'properties'")
        limit = q.get("limit", 5)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise QueryInvalid(f"limit must be an integer from 1 to {MAX_LIMIT}")
        types_raw = q.get("type")
        types = {types_raw} if isinstance(types_raw, str) else set(types_raw or [])
        if not all(isinstance(t, str) for t in types):
            raise QueryInvalid("type must be a string or a list of strings")
        types = {t.rsplit("#", 1)[-1].rsplit(":", 1)[-1] for t in types}
        unknown = types - set(TYPES)
        if unknown:
            raise QueryInvalid(f"unknown type(s) {', '.join(sorted(unknown))}; known: {', '.join(TYPES)}")
        strict = q.get("type_strict", "any")
        if strict not in ("any", "should", "all"):
            raise QueryInvalid("type_strict must be any, should or all")
        country = lat = lon = qid = None
        names = [text] if text else []
        for p in props:
            pid, v = str(p["pid"]).strip().lower(), p["v"]
            v = v.get("id") if isinstance(v, dict) else v
            v = str(v).strip() if v is not None else ""
            if pid in ("country", "countrycode", "p17"):
                country = v.upper() if re.fullmatch(r"[A-Za-z]{2}", v) else self.countries.get(v.casefold())
                if country is None:
                    raise QueryInvalid(f"unknown country {v!r} (use an ISO 3166-1 alpha-2 code)")
            elif pid in ("coordinates", "p625"):
                lat, lon = _coords(v)
            elif pid in ("lat", "latitude"):
                lat = _number(v, -90, 90, "lat")
            elif pid in ("long", "lon", "longitude"):
                lon = _number(v, -180, 180, "long")
            elif pid in ("wikidata", "qid"):
                if not re.fullmatch(r"Q[1-9]\d*", v):
                    raise QueryInvalid(f"not a QID: {v!r}")
                qid = v
            elif pid in ("name", "label"):
                names.append(v)
            else:
                raise QueryInvalid(f"unknown property {p['pid']!r}; known: country, coordinates, lat, long, wikidata")
        kind = TYPES[next(iter(types))][0] if len(types) == 1 else None
        pq = PlaceQuery(tuple(names), country=country, kind=kind, lat=lat, lon=lon, identifier=qid)
        return pq, limit, types, strict

    # -- HTTP -----------------------------------------------------------------------------------

    def handle(self, method: str, params: Mapping[str, list[str]], body: bytes, content_type: str) -> Response:
        """A framework-neutral route handler for ``/reconcile`` (GET or POST form)."""
        values = {k: list(v) for k, v in params.items()}
        if method.upper() == "POST":
            ctype = (content_type or "").split(";")[0].strip().lower()
            if ctype in ("application/x-www-form-urlencoded", ""):
                for k, v in urllib.parse.parse_qs(body.decode("utf-8", errors="replace")).items():
                    values.setdefault(k, []).extend(v)
            elif ctype == "multipart/form-data":
                return _json(415, {"error": "send queries as application/x-www-form-urlencoded"})
            else:
                return _json(415, {"error": f"unsupported content type {ctype!r}"})
        elif method.upper() not in ("GET", "HEAD"):
            return _json(405, {"error": "use GET or POST"}, {"Allow": "GET, POST"})
        callback = _first(values, "callback")
        if callback is not None and not re.fullmatch(r"[A-Za-z_$][\w$.]{0,63}", callback):
            return _json(400, {"error": "invalid callback name"})
        raw = _first(values, "queries")
        if raw is None:
            return _json(200, self.manifest(), callback=callback)
        try:
            queries = json.loads(raw)
        except ValueError:
            return _json(400, {"error": "queries is not valid JSON"}, callback=callback)
        except RecursionError:
            return _json(400, {"error": "queries is nested too deeply to be a batch of queries"}, callback=callback)
        try:
            return _json(200, self.reconcile_batch(queries), callback=callback)
        except QueryInvalid as e:
            return _json(400, {"error": str(e)}, callback=callback)


def _first(values: Mapping[str, list[str]], name: str) -> str | None:
    got = values.get(name)
    return got[0] if got else None


def _coords(v: str) -> tuple[float, float]:
    parts = [p for p in re.split(r"[,\s]+", v) if p]
    if len(parts) != 2:
        raise QueryInvalid(f"coordinates must be 'lat,long', got {v!r}")
    return _number(parts[0], -90, 90, "lat"), _number(parts[1], -180, 180, "long")


def _number(v: str, lo: float, hi: float, what: str) -> float:
    try:
        x = float(v)
    except ValueError:
        raise QueryInvalid(f"{what} must be a number, got {v!r}") from None
    if not lo <= x <= hi:
        raise QueryInvalid(f"{what} out of range: {x}")
    return x


def _json(status: int, data: Any, headers: dict[str, str] | None = None, *, callback: str | None = None) -> Response:
    text = json.dumps(data, ensure_ascii=False)
    h = {"Access-Control-Allow-Origin": "*"}
    if callback:
        h["Content-Type"] = "application/javascript; charset=utf-8"
        text = f"{callback}({text});"
    else:
        h["Content-Type"] = "application/json; charset=utf-8"
    return status, h | (headers or {}), text.encode("utf-8")


def reconciliation_handler(store: Store) -> Handler:
    """A framework-neutral ``/reconcile`` handler over the places of ``store`` (``graphkit serve`` uses
    :mod:`graphkit.server.reconcile`)."""
    return ReconciliationService.from_store(store).handle
