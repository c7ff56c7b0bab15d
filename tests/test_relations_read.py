"""The one read model: what it reads from a small KG, its cache beside the snapshot (fresh, stale,
corrupt), ego networks through networkx, and the single list of place classes."""

from __future__ import annotations

import json
import os
import re

import pytest

from graphkit.rdf.namespaces import ID
from graphkit.relations import cache
from graphkit.relations.model import PLACE_CLASSES, place_class_values
from graphkit.relations.read import read_last_build, read_relations
from graphkit.store.open import open_graph

from .conftest import REPO

KG = REPO / "tests" / "fixtures" / "analyze" / "small-kg.ttl"
VOCAB = REPO / "ontology" / "vocab.ttl"


def p(local: str) -> str:
    return str(ID["place/" + local])


ASSISI, PERUGIA, KOYA, KYOTO, TUEBINGEN, AIX, PARIS, UMBRIA = (
    p("Q20103"), p("Q3437"), p("Q1346907"), p("Q34600"), p("Q3806"), p("fr/aix-en-provence"), p("Q90"), p("Q1280"),
)  # fmt: skip


@pytest.fixture(scope="module")
def data():
    return read_relations(open_graph([KG, VOCAB]))


def test_places_carry_what_views_analyses_and_exports_show(data):
    koya = data.places[KOYA]
    assert (koya.label, koya.kind, koya.country, koya.qid) == ("Kōya", "municipality", "JP", "")
    assert (koya.lat, koya.lon, koya.population) == (34.213, 135.622, 2902)
    assert data.places[ASSISI].qid == "Q20103"
    assert data.places[TUEBINGEN].label == "Tübingen"  # only a @de label
    assert data.places[AIX].label.startswith("Aix <script>")  # markup kept as text
    assert data.places[PARIS].lat is None and data.places[AIX].population is None
    assert data.places[UMBRIA].kind == "region" and data.places[UMBRIA].is_area
    assert PERUGIA in data.located_in and UMBRIA in data.within(PERUGIA)
    assert ("Tübingen", "de") in data.places[TUEBINGEN].labels


def test_relations_keep_every_type_status_year_and_lister(data):
    pt = [r for r in data.relations if set(r.parties) == {PERUGIA, TUEBINGEN}]
    assert len(pt) == 2 and sorted(r.first_year for r in pt) == [1984, 2000]
    assert {t.rsplit("/", 1)[-1] for r in pt for t in r.types} == {"twinning", "partnership"}
    twinning = next(r for r in pt if r.first_year == 1984)
    assert twinning.type_key.endswith("/twinning") and twinning.type_labels == ("twinning",)
    assert twinning.listed_by == (PERUGIA,)
    assert all(r.parties == tuple(sorted(r.parties)) for r in data.relations)
    assert [r.iri for r in data.relations] == sorted(r.iri for r in data.relations)


def test_ego_is_networkx_ego_graph(data):
    members, relations = data.ego(ASSISI, 2)
    assert members == {ASSISI, KOYA, KYOTO}  # Assisi – Kōya – Kyoto (Rome is three hops away)
    assert {frozenset(r.parties) for r in relations} == {frozenset((ASSISI, KOYA)), frozenset((KOYA, KYOTO))}
    assert data.degree(KOYA) == 2 and data.partners(KOYA) == {ASSISI, KYOTO}


def test_every_place_adds_places_that_are_party_to_nothing():
    store = open_graph([KG, VOCAB])
    default, every = read_relations(store), read_relations(store, every_place=True)
    extra = set(every.places) - set(default.places)
    assert extra and all(every.places[i].kind != "municipality" for i in extra)
    assert every.relations == default.relations


@pytest.fixture
def build(tmp_path):
    """A 'last build': the small KG as an N-Quads snapshot in an out directory."""
    out = tmp_path / "out"
    out.mkdir()
    open_graph([KG, VOCAB]).dump(out / "graph.nq", fmt="nq")
    return out


def _header(path):
    with open(path, "rb") as f:
        return json.loads(f.readline())


def test_last_build_is_cached_beside_the_snapshot_and_read_back_identically(build, data):
    first = read_last_build(build)
    cached = build / "graph.relations.jsonl"
    assert cached.is_file()
    assert _header(cached)["key"]["size"] == (build / "graph.nq").stat().st_size
    second = read_last_build(build)
    assert isinstance(second.places, cache.PlaceTable)  # read back from the cache, lazily
    assert second == first
    assert second.places == data.places and second.relations == data.relations
    assert list(second.places) == list(data.places) and list(second.relations) == list(data.relations)


def test_the_cached_model_answers_like_the_read_one(build, data):
    read_last_build(build)
    cached = read_last_build(build)
    assert isinstance(cached.relations, cache.RelationTable)
    for iri in data.places:
        assert cached.partners(iri) == data.partners(iri) and cached.degree(iri) == data.degree(iri)
        assert cached.relations_of(iri) == data.relations_of(iri)
        for depth in (1, 2, 3):
            assert cached.ego(iri, depth) == data.ego(iri, depth)
    assert cached.named("koya") == data.named("koya") == [KOYA]  # Kōya, folded
    assert sorted(cached.name_keys()) == sorted(data.name_keys())
    for column in ("label", "kind", "country", "qid", "iri", "lat"):
        assert cached.place_column(column) == data.place_column(column)
    assert cached.located_in == data.located_in and cached.source_titles == data.source_titles


def test_ego_matches_networkx_ego_graph_on_every_place(data):
    import networkx as nx

    G = data.graph()
    for iri in data.places:
        for depth in (1, 2, 3):
            members, relations = data.ego(iri, depth)
            assert members == set(nx.ego_graph(G, iri, radius=depth))
            assert relations == [r for r in data.relations if all(p in members for p in r.parties)]
    with pytest.raises(nx.NodeNotFound):
        data.ego("https://x.org/not-a-place", 1)


def test_a_changed_snapshot_makes_the_cache_stale(build):
    read_last_build(build)
    snap = build / "graph.nq"
    store = open_graph([snap])
    store.oxigraph.update(  # a new display label, as a new build would materialise it
        "DELETE WHERE { GRAPH ?g { <https://w3id.org/graphkit/id/place/Q3806> "
        "<https://w3id.org/graphkit/ontology#displayLabel> ?old } } ;"
        "INSERT DATA { GRAPH <https://x.org/g> { <https://w3id.org/graphkit/id/place/Q3806> "
        '<https://w3id.org/graphkit/ontology#displayLabel> "Tuebingen (en)" } }'
    )
    store.dump(snap, fmt="nq")
    assert cache.load(snap) is None  # stale: the snapshot's size and time differ
    assert read_last_build(build).places[TUEBINGEN].label == "Tuebingen (en)"


def _rewrite(path, edit):
    """Apply ``edit`` to the file's lines (header parsed), keeping the snapshot's key valid."""
    lines = path.read_bytes().split(b"\n")
    header = json.loads(lines[0])
    edit(header, lines)
    lines[0] = json.dumps(header).encode()
    path.write_bytes(b"\n".join(lines))


def _wrong_label_type(header, lines):  # the right key, but a place label that is a number
    columns = json.loads(lines[1])
    columns["label"][0] = 42
    lines[1] = json.dumps(columns).encode()


def _one_byte_changed(header, lines):  # a place row altered: the digest no longer matches
    lines[5] = lines[5].replace(b"null", b"1", 1) if b"null" in lines[5] else lines[5] + b" "


def _truncated(header, lines):
    del lines[-3:]


@pytest.mark.parametrize(
    "corrupt",
    ["not json", '{"key": null}', "[]", "", "__WRONG_TYPES__", "__ONE_BYTE__", "__TRUNCATED__"],
)
def test_a_corrupt_or_foreign_cache_is_ignored_never_trusted(build, corrupt):
    read_last_build(build)
    cached = build / "graph.relations.jsonl"
    stamp = os.stat(build / "graph.nq")
    edits = {"__WRONG_TYPES__": _wrong_label_type, "__ONE_BYTE__": _one_byte_changed, "__TRUNCATED__": _truncated}
    if corrupt in edits:
        _rewrite(cached, edits[corrupt])
    else:
        cached.write_text(corrupt, encoding="utf-8")
    os.utime(build / "graph.nq", ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert cache.load(build / "graph.nq") is None
    assert read_last_build(build).places[KOYA].label == "Kōya"


def test_a_hand_made_row_with_a_matching_digest_is_an_error_naming_the_file(build):
    import hashlib

    read_last_build(build)
    cached = build / "graph.relations.jsonl"
    stamp = os.stat(build / "graph.nq")

    def bad_row(header, lines):
        lines[4] = b'["not a latitude"' + lines[4][lines[4].index(b",") :]
        header["digest"] = hashlib.sha256(b"\n".join(lines[1:])).hexdigest()

    _rewrite(cached, bad_row)
    os.utime(build / "graph.nq", ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    data = cache.load(build / "graph.nq")
    assert data is not None  # header, digest and columns fit: rows are decoded when looked at
    first = next(iter(data.places))
    with pytest.raises(cache.CacheError, match=r"graph\.relations\.jsonl is damaged \(place 0: .*delete it"):
        data.places[first]


@pytest.mark.parametrize("bulk_after", [1, 3])
def test_rows_read_in_one_go_are_the_rows_read_one_by_one(build, data, monkeypatch, bulk_after):
    """Past ``BULK_AFTER`` lookups the rest of the rows are parsed in one go (the world view reads
    every row): the same places and relations, in the same order, as decoding each line."""
    monkeypatch.setattr(cache, "BULK_AFTER", bulk_after)
    read_last_build(build)
    cached = read_last_build(build)
    assert [cached.places[i] for i in data.places] == list(data.places.values())
    assert [cached.relations[i] for i in range(len(data.relations))] == list(data.relations)
    again = read_last_build(build)
    assert list(again.relations) == list(data.relations)  # a walk over them all reads them at once


def test_a_damaged_row_read_in_one_go_is_an_error_naming_the_file(build, monkeypatch):
    import hashlib

    monkeypatch.setattr(cache, "BULK_AFTER", 1)
    read_last_build(build)
    cached = build / "graph.relations.jsonl"
    stamp = os.stat(build / "graph.nq")

    def bad_row(header, lines):
        lines[5] = lines[5] + b", 1"  # two values on one line
        header["digest"] = hashlib.sha256(b"\n".join(lines[1:])).hexdigest()

    _rewrite(cached, bad_row)
    os.utime(build / "graph.nq", ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    data = cache.load(build / "graph.nq")
    assert data is not None
    with pytest.raises(cache.CacheError, match=r"graph\.relations\.jsonl is damaged .*delete it"):
        list(data.places.values())


def test_a_cache_that_cannot_be_written_is_a_note_not_an_error(build):
    (build / "graph.relations.jsonl").mkdir()  # something in the way that is not a file
    notes: list[str] = []
    assert read_last_build(build, notify=notes.append).places[KOYA].label == "Kōya"
    assert len(notes) == 1 and "could not cache" in notes[0] and "graph.relations.jsonl" in notes[0]


def test_the_file_of_earlier_versions_is_removed_when_the_cache_is_written(build):
    legacy = build / "graph.relations.json"
    legacy.write_text('{"key": null}', encoding="utf-8")
    read_last_build(build)
    assert not legacy.exists() and (build / "graph.relations.jsonl").is_file()


def test_place_classes_are_typed_out_once():
    assert PLACE_CLASSES[0] == ("Municipality", "municipality")
    assert place_class_values("c").count("<https://w3id.org/graphkit/ontology#") == len(PLACE_CLASSES)
    typed_out = re.compile(r"gk:Prefecture|ontology#Prefecture")
    # the one list, and the two tables that map each class to a style or an ingest kind
    allowed = {"graphkit/relations/model.py", "graphkit/viz/style.py", "graphkit/ingest/rdf.py"}
    for path in sorted((REPO / "graphkit").rglob("*.py")):
        name = path.relative_to(REPO).as_posix()
        if name not in allowed:
            assert not typed_out.search(path.read_text(encoding="utf-8")), name
    assert not (REPO / "graphkit" / "viz" / "network.py").exists()
