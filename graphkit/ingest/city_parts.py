"""City parts: a place written "Neukölln (Berlin)" is a part of the city in brackets."""

from __future__ import annotations

from collections import defaultdict

from graphkit.ingest.countries import fold
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.model import Place


def link_city_parts(places: dict[int, Place], ledger: Ledger) -> None:
    """A place written "Neukölln (Berlin)" is a part of the city in brackets: a gk:District located in it."""
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p in places.values():
        if p.kind == "municipality" and not p.parent_hint:
            for f in p.folds():
                by_name[(p.iso, f)].append(p.id)
    for p in places.values():
        if not p.parent_hint or p.kind == "country":
            continue
        cands = sorted(set(by_name.get((p.iso, fold(p.parent_hint)), [])))
        if len(cands) == 1 and cands[0] != p.id:
            p.parent = cands[0]
            if p.kind == "municipality":
                p.kind = "district"
            ledger.count("city-part-typed-district", f"{p.main_label()} ({p.parent_hint})", "gk:District")
