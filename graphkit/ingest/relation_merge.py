"""Assertions become relations: one relation per pair of places, with every source and every listing
party; self-pairs and repeats are counted, a row whose party could not be placed is a reject."""

from __future__ import annotations

from collections import Counter

from graphkit.ingest import l3viathan
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.mentions import Assertion
from graphkit.ingest.model import Place, Relation, UnionFind


def merge_relations(
    assertions: list[Assertion],
    statements: list[tuple[str, str, int]],
    owner: dict[int, int],
    uf: UnionFind,
    p_of_qid: dict[str, int],
    places: dict[int, Place],
    ledger: Ledger,
) -> list[Relation]:
    """One relation per pair of places, with every source and every listing party."""
    rels: dict[tuple[int, int], Relation] = {}
    repeats: Counter[str] = Counter()

    def add(source: str, a: int, b: int, where: object, row: Assertion | tuple[str, str]) -> None:
        """Add the pair as ``source`` states it (``row``, at ``where``: shown only for a self-pair or a repeat)."""
        key = (a, b) if a < b else (b, a)
        r = rels.get(key)
        if r is None and a != b:
            rels[key] = Relation(key[0], key[1], {source}, {a}, {source: _row_where(where, row)})
            return
        if r is None:
            item = _row_text(row)
            ledger.count("self-pair-dropped", item, places[a].main_label())
            same = places[a].main_label()
            ledger.reject(source, str(where), item, "self-pair", f"both names are the same place ({same})")
            return
        if source in r.sources:
            if repeats[source] < 6:
                ledger.count(
                    f"duplicate-pair-merged-{source}",
                    _row_text(row),
                    f"{places[key[0]].main_label()} – {places[key[1]].main_label()}",
                )
            repeats[source] += 1
        r.sources.add(source)
        r.listed_by.add(a)
        r.rows.setdefault(source, _row_where(where, row))

    find = uf.find
    for asr in assertions:
        pa, pb = owner.get(id(asr.lister)), owner.get(id(asr.partner))
        if pa is None or pb is None:
            ledger.reject(asr.source, asr.where, _row_text(asr), "relation-dropped", "a party could not be placed")
            continue
        ra, rb = find(pa), find(pb)
        if ra not in places or rb not in places:
            ledger.reject(asr.source, asr.where, _row_text(asr), "relation-dropped", "a party is not a place")
            continue
        add(asr.source, ra, rb, asr.where, asr)
    l3 = l3viathan.SOURCE_ID
    for s, d, line in statements:
        ps, pd = p_of_qid[s], p_of_qid[d]
        if ps not in places or pd not in places:  # an item found not to be a place (a language, a site)
            ledger.reject(l3, _row_where(line, (s, d)), _row_text((s, d)), "relation-dropped", "a party is not a place")
            continue
        add(l3, ps, pd, line, (s, d))
    for source, n in repeats.items():
        if n > 6:
            ledger.count(f"duplicate-pair-merged-{source}", n=n - 6)
    return list(rels.values())


def _row_where(where: object, row: Assertion | tuple[str, str]) -> str:
    """``file:line`` of a source row: an assertion's own, a P190 statement's line of ``relations.tsv``."""
    return row.where if isinstance(row, Assertion) else f"{l3viathan.RELATIONS_FILE}:{where}"


def _row_text(row: Assertion | tuple[str, str]) -> str:
    """A source row for the report: "Lister – Partner" as written, or the (QID, QID) of a P190 statement."""
    return f"{row.lister.raw} – {row.partner.raw}" if isinstance(row, Assertion) else str(row)
