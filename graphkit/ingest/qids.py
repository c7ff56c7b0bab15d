"""Find the Wikidata QID of places named in Wikipedia lists, using the shape of the P190 graph.

The Wikidata crawl (l3viathan) has QIDs and mostly German labels but no countries or coordinates;
the Wikipedia lists have English and Italian names but no QIDs. Two graphs of the same relations,
so a place is matched to a QID when:

1. *anchor*: a relation A–B of the lists and a P190 edge Qa–Qb agree on **both** names
   (after folding: "Kyōto" = "Kyoto"); one matching name alone is too weak (there are many Romes);
2. *propagation*: an unmatched place whose matched partners' QIDs share a P190 neighbour Q is
   matched to Q when at least two of its partners point there (or one, with a similar name:
   "Florenz" ~ "Florence"), the choice is the best for both sides, and the countries agree.

>>> adj = {0: {1, 2}, 1: {0}, 2: {0}}
>>> names = {0: {"kyoto"}, 1: {"florence"}, 2: {"paris"}}
>>> wd_adj = {"Q34600": {"Q2044", "Q90"}, "Q2044": {"Q34600"}, "Q90": {"Q34600"}}
>>> wd_names = {"Q34600": {"kyoto"}, "Q2044": {"florenz"}, "Q90": {"paris"}}
>>> sorted(match_by_structure(adj, names, {}, wd_adj, wd_names, {}, {}).items())
[(0, 'Q34600'), (1, 'Q2044'), (2, 'Q90')]

Propagation: "Roma", a partner of Kyoto and Paris, is the crawl's "Rom" (two votes, similar names);
a veto on names known to name places far apart (``apart``) keeps such a match out:

>>> adj = {0: {1, 2, 3}, 1: {0}, 2: {0, 3}, 3: {0, 2}}; names[3] = {"roma"}; wd_names["Q220"] = {"rom"}
>>> wd_adj = {"Q34600": {"Q2044", "Q90", "Q220"}, "Q2044": {"Q34600"}, "Q90": {"Q34600", "Q220"},
...           "Q220": {"Q34600", "Q90"}}
>>> match_by_structure(adj, names, {}, wd_adj, wd_names, {}, {})[3]
'Q220'
>>> 3 in match_by_structure(adj, names, {}, wd_adj, wd_names, {}, {}, apart=lambda p, q: q == "Q220")
False
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from graphkit.ingest.clean import name_similarity

MAX_ROUNDS = 12


def _mutual_best(votes: dict[int, Counter[str]]) -> dict[int, str]:
    """Accept (place, qid) pairs that are each other's unique best by votes."""
    best_for_qid: dict[str, list[tuple[int, int]]] = defaultdict(list)
    chosen: dict[int, tuple[str, int]] = {}
    for p, c in votes.items():
        top = c.most_common(2)
        if len(top) == 2 and top[0][1] == top[1][1]:
            continue
        chosen[p] = top[0]
        best_for_qid[top[0][0]].append((top[0][1], p))
    out = {}
    for q, cands in best_for_qid.items():
        cands.sort(reverse=True)
        if len(cands) == 1 or cands[0][0] > cands[1][0]:
            out[cands[0][1]] = q
    return out


def match_by_structure(
    adjacency: dict[int, set[int]],
    names: dict[int, set[str]],
    countries: dict[int, str],
    wd_adjacency: dict[str, set[str]],
    wd_names: dict[str, set[str]],
    wd_countries: dict[str, str],
    fixed: dict[int, str],
    *,
    exclusive: bool = True,
    apart: Callable[[int, str], bool] | None = None,
) -> dict[int, str]:
    """Place id → QID for the places the two graphs identify (``fixed`` ones are kept and used as anchors).

    ``countries`` / ``wd_countries`` are the known ISO codes: a match across different known
    countries is never made. With ``exclusive=False`` a QID already held by a ``fixed`` place may
    be given to another place too (an Italian-named duplicate of an English-named place).
    ``apart(place, qid)``, if given, vetoes a propagated match whose names are known to name
    different places (the lists' Samarkand and the crawl's "Kairo" share three partners).
    """
    assigned = dict(fixed)
    taken = {q: p for p, q in assigned.items()} if exclusive else {}

    def compatible(p: int, q: str) -> bool:
        a, b = countries.get(p), wd_countries.get(q)
        return not (a and b and a != b)

    name_index: dict[str, set[str]] = defaultdict(set)
    for q, ns in wd_names.items():
        for n in ns:
            name_index[n].add(q)
    # 1. anchors: both names of a relation agree with both ends of a P190 edge
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    partner_names: dict[str, set[str]] = {}  # QID → every name of its P190 partners
    no_names: set[str] = set()
    for a, partners in adjacency.items():
        if a in assigned:
            continue
        for na in names.get(a, ()):
            for qa in name_index.get(na, ()):
                if qa in taken or not compatible(a, qa):
                    continue
                around = partner_names.get(qa)
                if around is None:
                    around = partner_names[qa] = set().union(
                        *(wd_names.get(qb, no_names) for qb in wd_adjacency.get(qa, ()))
                    )
                for b in partners:
                    if not around.isdisjoint(names.get(b, ())):
                        votes[a][qa] += 1
    for p, q in _mutual_best(votes).items():
        if q not in taken:
            assigned[p], taken[q] = q, p
    # 2. propagation through matched partners; each round looks only at the partners of new matches
    frontier = {n for p in assigned for n in adjacency.get(p, ()) if n not in assigned}
    for _ in range(MAX_ROUNDS):
        votes = {}
        for p in frontier:
            c: Counter[str] = Counter()
            iso = countries.get(p)
            for pn in adjacency.get(p, ()):
                qn = assigned.get(pn)
                if qn is not None:  # compatible(p, q), inlined: this loop is hot
                    c.update(
                        q
                        for q in wd_adjacency.get(qn, ())
                        if q not in taken and not (iso and (wd_iso := wd_countries.get(q)) and wd_iso != iso)
                    )
            if c:
                votes[p] = c
        accepted = {}
        for p, q in _mutual_best(votes).items():
            if apart is not None and apart(p, q):
                continue
            support = votes[p][q]
            if support >= 3:
                accepted[p] = q
                continue
            sim = max((name_similarity(a, b) for a in names.get(p, ()) for b in wd_names.get(q, ())), default=0.0)
            if (support >= 2 and sim >= 0.3) or sim >= 0.6:
                accepted[p] = q
        new = []
        for p, q in accepted.items():
            if q not in taken:
                assigned[p], taken[q] = q, p
                new.append(p)
        if not new:
            break
        frontier = {n for p in new for n in adjacency.get(p, ()) if n not in assigned}
    return {p: q for p, q in assigned.items() if p not in fixed}


def match_by_unique_name(
    place_names: dict[int, set[str]],
    qid_names: dict[str, set[str]],
    corroborated: Callable[[int, str], bool],
) -> dict[int, str]:
    """Match what is left by name alone, carefully: a place and a QID whose folded name is unique
    on both sides (no other unmatched place or QID has it) and that ``corroborated(place, qid)``
    confirms (the build checks that their partners share a country).

    A place whose names point to two different QIDs is ambiguous and left alone.

    >>> match_by_unique_name({1: {"vinci"}, 2: {"manta"}}, {"Q82884": {"vinci"}, "Q990738": {"manta"}},
    ...                      lambda p, q: q == "Q82884")
    {1: 'Q82884'}
    >>> match_by_unique_name({1: {"alfano", "rofrano"}}, {"Q80554": {"alfano"}, "Q81453": {"rofrano"}},
    ...                      lambda p, q: True)
    {}
    """
    places_by: dict[str, set[int]] = defaultdict(set)
    for pid, names in place_names.items():
        for n in names:
            places_by[n].add(pid)
    qids_by: dict[str, set[str]] = defaultdict(set)
    for q, names in qid_names.items():
        for n in names:
            qids_by[n].add(q)
    candidates: dict[int, set[str]] = defaultdict(set)  # place → QIDs its unique names point to
    for n, pids in places_by.items():
        qs = qids_by.get(n, set())
        if len(pids) == 1 and len(qs) == 1:
            candidates[next(iter(pids))].add(next(iter(qs)))
    out: dict[int, str] = {}
    used: set[str] = set()
    for pid in sorted(candidates):  # sorted: the result never depends on set order (hash seed)
        qs = candidates[pid]
        if len(qs) != 1:
            continue  # two names of one place point to two different QIDs: ambiguous, leave it
        q = next(iter(qs))
        if q not in used and corroborated(pid, q):
            out[pid] = q
            used.add(q)
    return out
