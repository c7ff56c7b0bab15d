"""The merged world's data: :class:`Place`, :class:`Relation`, :class:`World`, and the union-find
that records which places turned out to be one (:class:`UnionFind`, :func:`fold_unions`).

>>> p = Place(0, "IT", "municipality", "firenze")
>>> p.add_label("it", "Firenze"); p.add_label("en", "Florence")
>>> sorted(p.folds()), p.main_label()
(['firenze', 'florence'], 'Florence')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphkit.ingest.countries import CountryTable, fold
from graphkit.ingest.ledger import Ledger
from graphkit.places.gazetteer import GazetteerPlace


@dataclass(slots=True)
class Place:
    """One merged place."""

    id: int
    iso: str
    kind: str
    key_name: str
    labels: dict[str, dict[str, int]] = field(default_factory=dict)
    coords: list[tuple[int, tuple[float, float], str]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    qid: str = ""
    population: int | None = None
    parent_hint: str = ""
    parent: int | None = None
    #: the source of ``population`` (a source id, "seed" or "geonames")
    population_source: str = ""
    #: the GeoNames place this is (country, coordinates, population, admin1), when the gazetteer says so
    geonames: GazetteerPlace | None = None
    #: QIDs of Wikidata items merged into this place besides ``qid`` (a Swedish kommun and its town)
    other_qids: set[str] = field(default_factory=set)

    _folds: set[str] | None = None

    def add_label(self, lang: str, text: str, n: int = 1) -> None:
        """Count one spelling of the name in a language (``""`` = language unknown)."""
        if text:
            d = self.labels.get(lang)
            if d is None:
                d = self.labels[lang] = {}
            d[text] = d.get(text, 0) + n
            self._folds = None

    def folds(self) -> set[str]:
        """Folded spellings of every label."""
        if self._folds is None:
            self._folds = {fold(t) for c in self.labels.values() for t in c} - {""}
        return self._folds

    def best_coords(self) -> tuple[float, float] | None:
        """The coordinates from the most trusted source."""
        if not self.coords:
            return None
        if len(self.coords) == 1:
            return self.coords[0][1]
        return min(self.coords)[1]

    def main_label(self) -> str:
        """The name to show in the report: the most frequent English, else Italian, unknown-language
        or Japanese spelling, else the key name."""
        for lang in ("en", "it", "", "ja"):
            if self.labels.get(lang):
                d = self.labels[lang]
                return max(d, key=d.__getitem__)
        return self.key_name


@dataclass(slots=True)
class Relation:
    """One merged relation between two places."""

    a: int
    b: int
    sources: set[str] = field(default_factory=set)
    listed_by: set[int] = field(default_factory=set)
    #: The first row of each source that states the relation: source id -> "file:line".
    rows: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    """The merged world: places (by id), relations, the country table and the ledger."""

    places: dict[int, Place]
    relations: list[Relation]
    table: CountryTable
    ledger: Ledger
    existing: dict[str, dict[str, object]] = field(default_factory=dict)


class UnionFind:
    """Disjoint sets over place ids (the smaller id represents the set).

    >>> uf = UnionFind(); uf.union(3, 5); uf.union(5, 1)
    3
    1
    >>> uf.find(3), uf.find(4)
    (1, 4)
    """

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            ra, rb = min(ra, rb), max(ra, rb)
            self.parent[rb] = ra
        return ra


def fold_unions(places: dict[int, Place], uf: UnionFind) -> None:
    """Fold merged places into their set's representative (labels, coordinates, sources)."""
    for pid in sorted(places):
        root = uf.find(pid)
        if root == pid or pid not in places:
            continue
        src, dst = places.pop(pid), places[root]
        for lang, c in src.labels.items():
            for t, n in c.items():
                dst.add_label(lang, t, n)
        dst.coords += src.coords
        dst.sources |= src.sources
        if dst.qid and src.qid and src.qid != dst.qid:
            dst.other_qids.add(src.qid)
        dst.qid = dst.qid or src.qid
        dst.other_qids |= src.other_qids
        if not dst.population and src.population:
            dst.population, dst.population_source = src.population, src.population_source
        dst.geonames = dst.geonames or src.geonames
        dst.parent_hint = dst.parent_hint or src.parent_hint
        if dst.kind == "municipality" and src.kind != "municipality":
            dst.kind = src.kind
