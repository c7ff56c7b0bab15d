"""An Italian-only name and an English-only name of the same place (Firenze = Florence): same
country and kind, a few km apart, alike names, each the other's best."""

from __future__ import annotations

from collections import defaultdict

from graphkit.ingest import yuboski
from graphkit.ingest.clean import name_similarity
from graphkit.ingest.geonames import different_places
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.model import Place, UnionFind
from graphkit.places.gazetteer import Gazetteer
from graphkit.places.geodesy import haversine_km

#: An Italian-only and an English-only name this close, in the same country and alike, are one place.
CROSS_LANGUAGE_KM = 7.0
CROSS_LANGUAGE_SIMILARITY = 0.6
#: ... but beyond this distance the names must be nearly the same (Lisbona ~ Lisbon at 4 km, not
#: Rofrano ~ Alfano, two comuni 4 km apart, or Menaggio ~ Bellagio across Lake Como).
CROSS_LANGUAGE_NEAR_KM = 2.5
CROSS_LANGUAGE_FAR_SIMILARITY = 0.82

_ITALIAN_ONLY = {yuboski.SOURCE_ID}


def cross_language_alike(similarity: float, km: float) -> bool:
    """Are an Italian and an English name this similar, this far apart, one place?

    >>> cross_language_alike(0.62, 0.4), cross_language_alike(0.62, 4.0)  # Venezia/Venice; Rofrano/Alfano
    (True, False)
    >>> cross_language_alike(0.92, 4.0)  # Lisbona/Lisbon
    True
    """
    if similarity < CROSS_LANGUAGE_SIMILARITY or km > CROSS_LANGUAGE_KM:
        return False
    return km <= CROSS_LANGUAGE_NEAR_KM or similarity >= CROSS_LANGUAGE_FAR_SIMILARITY


def merge_cross_language(
    places: dict[int, Place], uf: UnionFind, ledger: Ledger, gazetteer: Gazetteer | None = None
) -> None:
    """An Italian-only place and an English-only place of the same kind and country within
    :data:`CROSS_LANGUAGE_KM` whose names are alike (Firenze ~ Florence, Milano ~ Milan: similarity
    at least :data:`CROSS_LANGUAGE_SIMILARITY`, and nearly equal beyond :data:`CROSS_LANGUAGE_NEAR_KM`;
    see :func:`cross_language_alike`), each the other's best, are one place, unless the ``gazetteer``
    knows them as two places (Bruxelles and Ixelles: :func:`~graphkit.ingest.geonames.different_places`)."""
    italian = [p for p in places.values() if p.sources == _ITALIAN_ONLY and p.best_coords() and not p.parent_hint]
    english = [
        p
        for p in places.values()
        if "hekman-twincities" in p.sources and "it" not in p.labels and p.best_coords() and not p.parent_hint
    ]
    e_grid, i_grid = _Grid(english), _Grid(italian)

    def best(p: Place, grid: _Grid) -> tuple[Place, float] | None:
        cands = []
        for q, km in grid.within(p.best_coords(), CROSS_LANGUAGE_KM):  # type: ignore[arg-type]
            if q.iso != p.iso or q.kind != p.kind:
                continue
            sim = max(name_similarity(a, b) for a in p.folds() for b in q.folds())
            if cross_language_alike(sim, km):
                cands.append((sim, -km, q.id, q))
        if not cands:
            return None
        top = max(cands)
        return top[3], -top[1]

    for p in italian:
        found = best(p, e_grid)
        if found is None:
            continue
        q, km = found
        back = best(q, i_grid)
        if back is None or back[0] is not p:
            continue
        it_name = next(iter(p.labels["it"]))
        if gazetteer is not None and (two := different_places(gazetteer, p, q)) is not None:
            en_name = next(iter(q.labels.get("en", {"?": 1})))
            ledger.count(
                "geonames-two-places-not-merged",
                f"{it_name} ≠ {en_name} ({p.iso})",
                f"GeoNames {two[0].geonames_id} {two[0].name} / {two[1].geonames_id} {two[1].name}",
            )
            continue
        uf.union(p.id, q.id)
        it_name = next(iter(p.labels["it"]))
        en_name = next(iter(q.labels.get("en", {"?": 1})))
        ledger.count("italian-english-same-place", f"{it_name} = {en_name} ({p.iso})", f"{km:.1f} km")


class _Grid:
    """Places bucketed by 0.1° cells, for nearest-neighbour lookups within a few km."""

    def __init__(self, places: list[Place]) -> None:
        self.cells: dict[tuple[int, int], list[Place]] = defaultdict(list)
        for p in places:
            c = p.best_coords()
            assert c is not None
            self.cells[(int(c[0] * 10 // 1), int(c[1] * 10 // 1))].append(p)

    def within(self, c: tuple[float, float], max_km: float) -> list[tuple[Place, float]]:
        """Places within ``max_km`` (at most about 7 km: the cell neighbourhood)."""
        ci, cj = int(c[0] * 10 // 1), int(c[1] * 10 // 1)
        out = []
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for p in self.cells.get((ci + di, cj + dj), ()):
                    km = haversine_km(*c, *p.best_coords())  # type: ignore[misc]
                    if km <= max_km:
                        out.append((p, km))
        return out
