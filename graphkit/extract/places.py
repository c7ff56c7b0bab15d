"""Place names → graph IRIs: an index of the graph's place labels (every language), and a resolver
that falls back to the places gazetteer and never guesses between candidates.

The index is read from the last build once and cached next to the gazetteer's cache (keyed by the
snapshot's path, size and time; :mod:`marshal` form), so a new process has it in a fraction of a second.

>>> from graphkit.store.open import open_graph
>>> index = PlaceIndex.from_store(open_graph(["data/seed/assisi-koya.ttl"]))
>>> [p.iri.rsplit("/", 1)[-1] for p in index.lookup("Kōya")], index.country_iri("JP").rsplit("/", 1)[-1]
(['Q1346907'], 'Q17')
>>> resolver = PlaceResolver(index, gazetteer=None)
>>> ref = resolver.resolve("Koya", country="JP")
>>> (ref.name, ref.via, ref.country, ref.kind)
('Koya', 'graph', 'JP', 'municipality')
>>> resolver.resolve("Nowhereville").resolved
False
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from graphkit.errors import StoreError
from graphkit.extract.model import VIA_GAZETTEER, VIA_GRAPH, PlaceRef
from graphkit.places.gazetteer import GazetteerPlace, normalise_name
from graphkit.relations.model import place_class_values

if TYPE_CHECKING:
    from graphkit.store import Store

CACHE_FORMAT = 3
MUNICIPALITY, ADMIN, COUNTRY = "municipality", "admin", "country"


class GazetteerLike(Protocol):
    """What the resolver needs of :class:`graphkit.places.gazetteer.Gazetteer`."""

    def candidates(self, name: str, country: str | None = None) -> list[GazetteerPlace]: ...


@dataclass(frozen=True)
class IndexedPlace:
    """A place of the graph: IRI, kind (municipality, admin, country), country code, names.

    ``names`` holds (text, language, is_label): rdfs:label (True) and skos:altLabel (False).
    """

    iri: str
    kind: str
    country: str | None
    names: tuple[tuple[str, str, bool], ...]

    def label(self, language: str = "en") -> tuple[str, str]:
        """The graph's rdfs:label in ``language``, else English, else any: (text, language)."""
        labels = [(n, lg) for n, lg, pref in self.names if pref] or [(n, lg) for n, lg, _ in self.names]
        for lang in (language, "en", "it", ""):
            for name, lg in labels:
                if lg == lang:
                    return name, lg
        return labels[0] if labels else (self.iri, "")


# Simple patterns, joined in Python: several times faster in the embedded store than one query
# with OPTIONAL, COALESCE and UNION (the first run after a build reads every place's labels).
_PLACE_TYPES = """
SELECT ?place ?class WHERE {
  $PLACE_CLASSES
  ?place a ?class
}
""".replace("$PLACE_CLASSES", place_class_values())
_LABELS = "SELECT ?place ?name WHERE { ?place rdfs:label ?name }"
_ALT_LABELS = "SELECT ?place ?name WHERE { ?place skos:altLabel ?name }"
_COUNTRY_OF = "SELECT ?place ?cc WHERE { ?place gk:country ?c . ?c gk:countryCode ?cc }"
_OWN_CODE = "SELECT ?place ?cc WHERE { ?place gk:countryCode ?cc }"
_PARTNERS = "SELECT DISTINCT ?a ?b WHERE { ?a gk:partnerOf ?b }"
_KIND = {"Municipality": MUNICIPALITY, "Country": COUNTRY}


class PlaceIndex:
    """The graph's places by normalised label, with each place's partners (for tie-breaking)."""

    def __init__(
        self,
        places: Iterable[IndexedPlace],
        partners: dict[str, frozenset[str]] | None = None,
        by_key: dict[str, list[str]] | None = None,
    ) -> None:
        self.places: dict[str, IndexedPlace] = {p.iri: p for p in places}
        self.partners = partners or {}
        self._by_key: dict[str, list[str]] = by_key if by_key is not None else {}
        self._countries: dict[str, str] = {}
        for p in self.places.values():
            if by_key is None:
                for name, _, _ in p.names:
                    key = normalise_name(name)
                    if key and p.iri not in self._by_key.setdefault(key, []):
                        self._by_key[key].append(p.iri)
            if p.kind == COUNTRY and p.country:
                self._countries.setdefault(p.country, p.iri)
        self.max_words = max((k.count(" ") + 1 for k in self._by_key), default=1)

    def __len__(self) -> int:
        return len(self.places)

    def lookup(self, name: str) -> list[IndexedPlace]:
        """Places with this label (case, accents and punctuation ignored)."""
        return [self.places[i] for i in self._by_key.get(normalise_name(name), ())]

    def has_key(self, key: str) -> bool:
        """Whether a normalised name (see :func:`normalise_name`) is a label."""
        return key in self._by_key

    def country_iri(self, code: str) -> str | None:
        """The IRI of the country with this ISO code, when the graph has it."""
        return self._countries.get(code.upper())

    def partners_of(self, iri: str) -> frozenset[str]:
        return self.partners.get(iri, frozenset())

    @classmethod
    def from_store(cls, store: Store) -> PlaceIndex:
        """Every municipality, administrative area and country of ``store``, with its labels."""
        info: dict[str, dict[str, Any]] = {}
        for place, klass in _rows(store, _PLACE_TYPES):
            d = info.setdefault(place[0], {"kinds": set(), "cc": None, "names": []})
            d["kinds"].add(_KIND.get(klass[0].rsplit("#", 1)[-1], ADMIN))
        for query in (_COUNTRY_OF, _OWN_CODE):  # the country's code first, else the place's own
            for place, cc in _rows(store, query):
                row = info.get(place[0])
                if row is not None and row["cc"] is None:
                    row["cc"] = cc[0]
        for query, pref in ((_LABELS, True), (_ALT_LABELS, False)):
            for place, name in _rows(store, query):
                row = info.get(place[0])
                entry = (name[0], name[1], pref)
                if row is not None and entry not in row["names"]:
                    row["names"].append(entry)
        places = [
            IndexedPlace(
                iri, next(k for k in (MUNICIPALITY, ADMIN, COUNTRY) if k in d["kinds"]), d["cc"], tuple(d["names"])
            )
            for iri, d in sorted(info.items())
        ]
        partners: dict[str, set[str]] = {}
        for a, b in _rows(store, _PARTNERS):
            partners.setdefault(a[0], set()).add(b[0])
        return cls(places, {k: frozenset(v) for k, v in partners.items()})

    def to_bytes(self) -> bytes:
        """The index in :mod:`marshal` form (plain data, no code), with the name keys precomputed."""
        return marshal.dumps(
            {
                "format": CACHE_FORMAT,
                "places": [(p.iri, p.kind, p.country, tuple(p.names)) for p in self.places.values()],
                "partners": {k: tuple(sorted(v)) for k, v in self.partners.items()},
                "keys": self._by_key,
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> PlaceIndex:
        raw = marshal.loads(data)
        if not isinstance(raw, dict) or raw.get("format") != CACHE_FORMAT:
            raise ValueError("old cache format")
        places = [IndexedPlace(i, k, c, names) for i, k, c, names in raw["places"]]
        return cls(places, {k: frozenset(v) for k, v in raw["partners"].items()}, raw["keys"])


def _rows(store: Store, query: str) -> Iterable[tuple[tuple[str, str], ...]]:
    """The rows of a SELECT query as (text, language) pairs; straight from pyoxigraph when the store
    is the embedded one (converting a hundred thousand terms to rdflib costs seconds)."""
    raw = getattr(store, "oxigraph", None)
    if raw is None:
        for row in store.select(query).rows:
            yield tuple((str(t), getattr(t, "language", None) or "") for t in row)
        return
    from graphkit.rdf.namespaces import PREFIXES

    for solution in raw.query(query, use_default_graph_as_union=True, prefixes=PREFIXES):
        yield tuple((t.value, getattr(t, "language", None) or "") for t in solution)


def load_place_index(
    graph_files: Sequence[str | Path] = (), *, out_dir: str | Path = "out", cache: bool = True
) -> PlaceIndex:
    """The place index of ``graph_files``, or of the last build in ``out_dir`` (cached after the
    first read). StoreError when there is neither."""
    from graphkit.paths import default_snapshot
    from graphkit.store.open import open_graph

    if graph_files:
        return PlaceIndex.from_store(open_graph(list(graph_files)))
    snapshot = default_snapshot(out_dir)
    if not snapshot.is_file():
        raise StoreError(f"{snapshot}: no build to resolve places with; build the graph first, or name the graph files")
    cached = _cache_path(snapshot)
    if cache:
        try:
            return PlaceIndex.from_bytes(cached.read_bytes())
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            pass
    index = PlaceIndex.from_store(open_graph(out_dir=out_dir, use_index=True))
    if cache:
        from graphkit.rdf.files import write_bytes_atomic

        try:
            write_bytes_atomic(cached, index.to_bytes())
        except OSError:
            pass  # a read-only cache directory only costs the next start-up time
    return index


def _cache_path(snapshot: Path) -> Path:
    from graphkit.places.gazetteer import cache_dir

    st = snapshot.stat()
    key = hashlib.sha1(f"{snapshot.resolve()}|{st.st_size}|{st.st_mtime_ns}|{CACHE_FORMAT}".encode()).hexdigest()[:16]
    return cache_dir() / f"extract-places-{key}.marshal"


class PlaceResolver:
    """Resolve a name (with the country the text gives, if any) to one place, or leave it unresolved.

    Order: the graph's labels; among several graph candidates, the one that is already a partner of
    ``near`` (the article's own town) when exactly one is; then the gazetteer (loaded on first use),
    only when it has exactly one candidate.
    """

    def __init__(
        self,
        index: PlaceIndex,
        gazetteer: GazetteerLike | Callable[[], GazetteerLike | None] | None = None,
    ) -> None:
        self.index = index
        self._gazetteer = gazetteer
        self._loaded: GazetteerLike | None = None

    def gazetteer(self) -> GazetteerLike | None:
        if self._loaded is None and self._gazetteer is not None:
            g = self._gazetteer
            self._loaded = g if hasattr(g, "candidates") else g()  # type: ignore[operator]
        return self._loaded

    def graph_candidates(self, name: str, kinds: Iterable[str] = (MUNICIPALITY, ADMIN)) -> list[IndexedPlace]:
        allowed = set(kinds)
        return [p for p in self.index.lookup(name) if p.kind in allowed]

    def ref(self, name: str, place: IndexedPlace, language: str = "en") -> PlaceRef:
        """A resolved reference to a graph place, carrying the graph's own label."""
        label, lang = place.label(language)
        return PlaceRef(
            name,
            place.iri,
            country=place.country,
            kind=place.kind,
            via=VIA_GRAPH,
            label=label,
            label_lang=lang,
            country_node=self.country_node(place.country, language) if place.kind != COUNTRY else None,
        )

    def country_node(self, code: str | None, language: str = "en") -> tuple[str, str, str] | None:
        """The graph's node for a country code: (IRI, label, label language)."""
        iri = self.index.country_iri(code) if code else None
        if iri is None:
            return None
        return (iri, *self.index.places[iri].label(language))

    def resolve(
        self,
        name: str,
        *,
        country: str | None = None,
        near: str | None = None,
        kinds: Iterable[str] = (MUNICIPALITY, ADMIN),
        use_gazetteer: bool = True,
        language: str = "en",
    ) -> PlaceRef:
        """One place for ``name``, or an unresolved :class:`PlaceRef` counting the candidates."""
        cands = self.graph_candidates(name, kinds)
        if country:
            in_country = [p for p in cands if p.country == country]
            cands = in_country if in_country else ([] if any(p.country for p in cands) else cands)
        if len(cands) > 1:
            municipal = [p for p in cands if p.kind == MUNICIPALITY]
            if len(municipal) == 1:
                cands = municipal
        if len(cands) > 1 and near:
            partners = [p for p in cands if p.iri in self.index.partners_of(near)]
            if len(partners) == 1:
                cands = partners
        if len(cands) == 1:
            return self.ref(name, cands[0], language)
        if cands:  # several: the country they all lie in, if one ("Springfield": two in the US)
            shared = {p.country for p in cands}
            common = country or (shared.pop() if len(shared) == 1 else None)
            return PlaceRef(name, None, country=common, candidates=len(cands))
        gz = self.gazetteer() if use_gazetteer else None
        if gz is None:
            return PlaceRef(name, None, country=country)
        found = gz.candidates(name, country)
        if len(found) != 1:
            return PlaceRef(name, None, country=country, candidates=len(found))
        from graphkit.rdf.namespaces import place_iri

        g = found[0]
        return PlaceRef(
            name,
            str(place_iri(country=g.country, name=g.name)),
            country=g.country,
            kind=MUNICIPALITY,
            via=VIA_GAZETTEER,
            geonames_id=g.geonames_id,
            lat=g.lat,
            lon=g.lon,
            label=g.name,
            label_lang="",
            country_node=self.country_node(g.country, language),
        )


def default_gazetteer() -> GazetteerLike | None:
    """The places gazetteer, or None when it cannot be loaded (then names the graph lacks stay names)."""
    if os.environ.get("GRAPHKIT_NO_GAZETTEER"):
        return None
    try:
        from graphkit.places.gazetteer import shared_gazetteer

        return shared_gazetteer()
    except Exception:  # noqa: BLE001 - an optional data set: without it names stay unresolved
        return None
