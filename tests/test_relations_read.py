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


def test_last_build_is_cached_beside_the_snapshot_and_read_back_identically(build, data):
    first = read_last_build(build)
    cached = build / "graph.relations.json"
    assert cached.is_file()
    assert json.loads(cached.read_text(encoding="utf-8"))["key"]["size"] == (build / "graph.nq").stat().st_size
    second = read_last_build(build)
    assert second == first
    assert second.places == data.places and second.relations == data.relations


def test_a_changed_snapshot_makes_the_cache_stale(build):
    read_last_build(build)
    snap = build / "graph.nq"
    store = open_graph([snap])
    store.oxigraph.update(
        "INSERT DATA { GRAPH <https://x.org/g> { <https://w3id.org/graphkit/id/place/Q3806> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "Tuebingen (en)"@en } }'
    )
    store.dump(snap, fmt="nq")
    assert cache.load(snap) is None  # stale: the snapshot's size and time differ
    assert read_last_build(build).places[TUEBINGEN].label == "Tuebingen (en)"


@pytest.mark.parametrize(
    "corrupt",
    ["not json", '{"key": null}', "[]", "__WRONG_TYPES__"],
)
def test_a_corrupt_or_foreign_cache_is_ignored_never_trusted(build, corrupt):
    read_last_build(build)
    cached = build / "graph.relations.json"
    if corrupt == "__WRONG_TYPES__":  # the right key, but a place label that is a number
        raw = json.loads(cached.read_text(encoding="utf-8"))
        raw["places"][0][1] = 42
        corrupt = json.dumps(raw)
    stamp = os.stat(build / "graph.nq")
    cached.write_text(corrupt, encoding="utf-8")
    os.utime(build / "graph.nq", ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert cache.load(build / "graph.nq") is None
    assert read_last_build(build).places[KOYA].label == "Kōya"


def test_a_cache_that_cannot_be_written_is_a_note_not_an_error(build):
    (build / "graph.relations.json").mkdir()  # something in the way that is not a file
    notes: list[str] = []
    assert read_last_build(build, notify=notes.append).places[KOYA].label == "Kōya"
    assert len(notes) == 1 and "could not cache" in notes[0] and "graph.relations.json" in notes[0]


def test_place_classes_are_typed_out_once():
    assert PLACE_CLASSES[0] == ("Municipality", "municipality")
    assert place_class_values("c").count("<https://w3id.org/graphkit/ontology#") == len(PLACE_CLASSES)
    typed_out = re.compile(r"gk:Prefecture|ontology#Prefecture")
    readers = [
        "graphkit/relations/read.py",
        "graphkit/analyze/projections.py",
        "graphkit/wikidata/graphplaces.py",
        "graphkit/viz/municipal.py",
        "graphkit/viz/views.py",
    ]
    for path in readers:
        assert not typed_out.search((REPO / path).read_text(encoding="utf-8")), path
    assert not (REPO / "graphkit" / "viz" / "network.py").exists()
