"""Review decisions applied: the links ``graphkit link apply`` wrote (``<place> gk:wikidata wd:Q…``,
under ``data/``) given to the world's places, and two nodes one link makes the same item merged.

The build loads ``data/linking/wikidata-links.ttl`` with the other RDF files, before the world step.
The world step reads the links by place IRI (:func:`read_accepted_links`), and once its own
places are final (their IRIs are the ones the review file named) :func:`apply_accepted_links` gives
each linked place its QID, or, when another node already has that QID, merges the two (labels,
coordinates, sources, and so every relation of both). The link's triples then name the node the
place became (:func:`retarget_links`): one node per Wikidata item, as ``gks:OneNodePerWikidataItemShape``
requires.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
from rdflib.namespace import RDF

from graphkit.ingest.ledger import Ledger
from graphkit.ingest.model import Place, UnionFind, fold_unions
from graphkit.ingest.rdf import iris_of_places
from graphkit.rdf.namespaces import GK, ID, is_qid
from graphkit.store.embedded import EmbeddedStore

# subjects with gk:wikidata that are not typed places: the links files' (the seed's places are typed)
_LINKS = """SELECT ?place ?wd WHERE {
  ?place gk:wikidata ?wd .
  FILTER NOT EXISTS { ?place a ?class }
}"""
_RDF_SUBJECT = ox.NamedNode(str(RDF.subject))


def read_accepted_links(store: EmbeddedStore) -> dict[str, str]:
    """Place IRI → QID of every accepted link in ``store`` (a subject with ``gk:wikidata`` that no
    file types: the seed's own places are typed and are not links).

    >>> s = EmbeddedStore()
    >>> s.load_data('@prefix gk: <https://w3id.org/graphkit/ontology#> . '
    ...             '<https://w3id.org/graphkit/id/place/hr/sarajevo> gk:wikidata '
    ...             '<http://www.wikidata.org/entity/Q11194> .', "ttl")
    >>> read_accepted_links(s)
    {'https://w3id.org/graphkit/id/place/hr/sarajevo': 'Q11194'}
    """
    out = {}
    for place, wd in store.select(_LINKS).rows:
        qid = str(wd).rsplit("/", 1)[-1]
        if str(place).startswith(str(ID["place/"])) and is_qid(qid):
            out[str(place)] = qid
    return out


def apply_accepted_links(
    places: dict[int, Place], uf: UnionFind, links: Mapping[str, str], ledger: Ledger
) -> dict[str, int]:
    """Give each linked place its QID; a place linked to a QID another node holds is merged into it.

    Returns link IRI → the id of the place it now is. A link whose IRI names no place (the data
    changed since the review) is a reject ``accepted-link-place-missing``; a link to a place that has
    another QID by now is a reject ``accepted-link-conflict`` (the review is checked against the
    build it was made from: see :func:`graphkit.wikidata.linking.apply_review`).

    >>> a, b = Place(0, "BA", "municipality", "sarajevo", qid="Q11194"), Place(1, "HR", "municipality", "sarajevo")
    >>> a.add_label("en", "Sarajevo"); b.add_label("it", "Sarajevo")
    >>> places, uf, led = {0: a, 1: b}, UnionFind(), Ledger()
    >>> apply_accepted_links(places, uf, {"https://w3id.org/graphkit/id/place/hr/sarajevo": "Q11194"}, led)
    {'https://w3id.org/graphkit/id/place/hr/sarajevo': 0}
    >>> list(places), places[0].qid, sorted(places[0].labels), led.rules["accepted-link-merged"].count
    ([0], 'Q11194', ['en', 'it'], 1)
    """
    if not links:
        return {}
    by_iri = {iri: pid for pid, iri in iris_of_places(places).items()}
    holder: dict[str, int] = {}
    for p in places.values():
        for q in (p.qid, *p.other_qids):
            if q:
                holder.setdefault(q, p.id)
    found: dict[str, int] = {}
    for iri, qid in sorted(links.items()):
        pid = by_iri.get(iri)
        if pid is None:
            ledger.reject("linking", iri, qid, "accepted-link-place-missing", "no place has this IRI now")
            continue
        p = places[uf.find(pid)]
        other = holder.get(qid)
        if p.qid == qid or other == p.id:
            found[iri] = p.id
            continue
        if p.qid:
            ledger.reject("linking", iri, qid, "accepted-link-conflict", f"the place has {p.qid} now")
            continue
        if other is None:
            p.qid = qid
            holder[qid] = p.id
            ledger.count("qid-from-accepted-link", f"{p.main_label()} ({p.iso or '?'})", qid)
        else:
            into = places[uf.find(other)]
            ledger.count(
                "accepted-link-merged",
                f"{p.main_label()} ({p.iso or '?'}, {iri.rsplit('/', 2)[-2]}/{iri.rsplit('/', 1)[-1]})",
                f"{into.main_label()} ({into.iso or '?'}, {qid})",
            )
            uf.union(into.id, p.id)
        found[iri] = p.id
    _fold_keeping_qids(places, uf, holder)
    return {iri: uf.find(pid) for iri, pid in found.items()}


def _fold_keeping_qids(places: dict[int, Place], uf: UnionFind, holder: dict[str, int]) -> None:
    """:func:`fold_unions`, the merged node keeping the QID its holder had (the link's item)."""
    keep = {uf.find(pid): places[pid].qid for pid in holder.values() if pid in places and places[pid].qid}
    fold_unions(places, uf)
    for root, q in keep.items():
        p = places[root]
        if p.qid != q:
            p.other_qids = (p.other_qids | {p.qid}) - {q, ""}
            p.qid = q


def retarget_links(store: EmbeddedStore, moved: Mapping[str, str]) -> int:
    """Make the links' triples name the node each linked place became (old IRI → new IRI): its
    ``gk:wikidata`` triple and the ``rdf:subject`` of the link's statement. Returns the triples changed.

    >>> s = EmbeddedStore()
    >>> s.load_data('@prefix gk: <https://w3id.org/graphkit/ontology#> . '
    ...             '<https://w3id.org/graphkit/id/place/hr/sarajevo> gk:wikidata '
    ...             '<http://www.wikidata.org/entity/Q11194> .', "ttl")
    >>> retarget_links(s, {"https://w3id.org/graphkit/id/place/hr/sarajevo":
    ...                    "https://w3id.org/graphkit/id/place/Q11194"})
    1
    >>> read_accepted_links(s)
    {'https://w3id.org/graphkit/id/place/Q11194': 'Q11194'}
    """
    raw = store.oxigraph
    wikidata = ox.NamedNode(str(GK.wikidata))
    changed = 0
    for old, new in sorted(moved.items()):
        if old == new:
            continue
        before, after = ox.NamedNode(old), ox.NamedNode(new)
        quads = list(raw.quads_for_pattern(before, wikidata, None, None))
        quads += list(raw.quads_for_pattern(None, _RDF_SUBJECT, before, None))
        for q in quads:
            raw.remove(q)
            if q.subject == before:
                raw.add(ox.Quad(after, q.predicate, q.object, q.graph_name))
            else:
                raw.add(ox.Quad(q.subject, q.predicate, after, q.graph_name))
            changed += 1
    return changed
