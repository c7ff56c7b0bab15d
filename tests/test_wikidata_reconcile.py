"""Reconciliation: names, the offline gazetteer index, ambiguous names, precision/recall, the seed QIDs."""

from __future__ import annotations

import pytest

from graphkit.rdf.namespaces import GK, ID, WD
from graphkit.wikidata.evaluate import eurocities_sample, evaluate, evaluate_shipped
from graphkit.wikidata.gazetteer import (
    EUROCITIES_SOURCE,
    MUNICIPALITY,
    PlaceEntry,
    PlaceIndex,
    build_gazetteer_index,
)
from graphkit.wikidata.names import name_similarity, split_name
from graphkit.wikidata.reconcile import PlaceQuery, reconcile

from .conftest import REPO
from .wikidata_fixture import gazetteer_index

SOURCES = REPO / "data" / "sources"


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return gazetteer_index()


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Frankfurt (Oder)", "Frankfurt (Oder)", 1.0),
        ("Frankfurt", "Frankfurt (Oder)", 0.8),
        ("Frankfurt", "Frankfurt am Main", 0.8),
        ("Frankfurt (Oder)", "Frankfurt am Main", 0.0),
        ("Ploiești", "Ploieşti", 1.0),  # comma below vs cedilla
        ("Kōya", "KOYA", 1.0),
        ("高野町", "高野", 1.0),
        ("Abashiri", "Abashiri-shi", 1.0),
        ("Comune di Assisi", "Assisi", 1.0),
        ("Ōta-ku", "Ōta", 0.0),  # a Tokyo ward is not the city of Ōta
        ("Suwa-gun", "Suwa", 0.8),  # a district
        ("Łódź", "Lodz", 1.0),
        ("Assisi{{!}}Assisi", "Assisi", 1.0),
        ("Rome", "Roma", 0.0),
        ("San Giovanni di Medua", "San", 0.0),  # a generic first word is not a partial name
    ],
)
def test_name_similarity(a, b, expected):
    assert name_similarity(split_name(a), split_name(b)) == expected


def test_gazetteer_index_counts_and_sources(index):
    assert index.counts["countries"] == 250
    assert index.counts["p190 labels"] == 10055
    assert index.counts["eurocities"] == 209
    assert 800 < index.counts["japanese municipalities"] < 980
    rome = index.get("Q220")
    assert rome.country == "IT" and {"eurocities-wikidata", "l3viathan-wikidata-p190"} <= rome.sources
    assert {"Rom", "Rome"} <= {n for n, _ in rome.names}
    # P190 partners are kept as evidence: Weimar lists Blois, Hämeenlinna, Trier, Siena, Zamość
    assert {"Q160927", "Q202158", "Q3138", "Q2751", "Q145972"} <= index.get("Q3955").partners


def test_duplicate_qid_in_japanese_file_is_resolved(index):
    """cities_JP.json gives Kōya's Q1346907 to Machida too; Machida has its own Q210628 (Machida-shi)."""
    koya = index.get("Q1346907")
    names = {n for n, _ in koya.names}
    assert "Kōya" in names and "高野" in names and not any("Machida" in n for n in names)
    assert koya.population == 2902 and abs(koya.lat - 34.213) < 0.01
    assert "Machida-shi" in {n for n, _ in index.get("Q210628").names}
    # unresolvable ones are left out and listed, not guessed
    assert index.conflicts and all("left out" in c for c in index.conflicts)
    assert index.counts["japanese QID conflicts left out"] == len(index.conflicts)


def test_frankfurt_alone_is_not_auto_matched(index):
    cands = reconcile(PlaceQuery(("Frankfurt",), country="DE", kind=MUNICIPALITY), index)
    assert {c.key for c in cands} >= {"Q1794", "Q4024"}
    assert not any(c.match for c in cands)


def test_frankfurt_am_main_with_coordinates_matches_and_oder_does_not_steal_it(index):
    cands = reconcile(PlaceQuery(("Frankfurt am Main",), country="DE", kind=MUNICIPALITY, lat=50.11, lon=8.68), index)
    assert cands[0].key == "Q1794" and cands[0].match
    oder = reconcile(PlaceQuery(("Frankfurt (Oder)",), country="DE", kind=MUNICIPALITY, lat=52.34, lon=14.55), index)
    assert oder[0].key == "Q4024"
    assert not any(c.match and c.key == "Q1794" for c in oder)


@pytest.mark.parametrize(
    ("country", "lat", "lon", "wrong"), [("ES", 37.88, -4.78, "Q44210"), ("AR", -31.42, -64.18, "Q5818")]
)
def test_cordoba_is_never_matched_to_the_other_country(index, country, lat, lon, wrong):
    cands = reconcile(PlaceQuery(("Córdoba",), country=country, kind=MUNICIPALITY, lat=lat, lon=lon), index)
    assert cands, "Córdoba has candidates"
    assert not any(c.match and c.key == wrong for c in cands)
    assert not any(c.match for c in cands)  # the shipped data does not say which Córdoba is which: review


def test_cordoba_with_known_countries_matches_the_right_one():
    idx = PlaceIndex.from_entries(
        [
            PlaceEntry("Q5818", (("Córdoba", "es"),), "ES", kind=MUNICIPALITY, lat=37.88, lon=-4.78),
            PlaceEntry("Q44210", (("Córdoba", "es"),), "AR", kind=MUNICIPALITY, lat=-31.42, lon=-64.18),
        ]
    )
    es = reconcile(PlaceQuery(("Cordoba",), country="ES", kind=MUNICIPALITY), idx)
    assert [(c.key, c.match) for c in es][:1] == [("Q5818", True)]
    assert "country AR ≠ ES" in es[1].contradictions
    unknown = reconcile(PlaceQuery(("Córdoba",)), idx)
    assert not any(c.match for c in unknown)


def test_an_admin_area_is_not_matched_to_a_municipality(index):
    """'Siena' the municipality must not take the province of Siena's QID (dr5hn states)."""
    cands = reconcile(
        PlaceQuery(("Siena",), country="IT", kind=MUNICIPALITY, lat=43.318, lon=11.331,
                   partner_qids=frozenset({"Q3955"})),
        index,
    )
    assert cands[0].key == "Q2751" and cands[0].match and cands[0].shared_partners == 1
    province = [c for c in cands if c.kind == "admin"]
    assert province and not province[0].match and province[0].contradictions


def test_precision_and_recall_on_held_out_eurocities():
    results = {r.sample: r for r in evaluate_shipped(SOURCES)}
    euro = results["eurocities (held out)"]
    jp = results["dr5hn Japan (held out)"]
    assert euro.size == 206 and jp.size > 600
    assert euro.precision >= 0.95 and jp.precision >= 0.95
    assert euro.recall >= 0.40
    assert jp.reachable_recall >= 0.5


def test_held_out_means_held_out():
    idx = build_gazetteer_index(SOURCES, exclude=[EUROCITIES_SOURCE])
    assert all(EUROCITIES_SOURCE not in e.sources for e in idx.entries.values())
    sample = eurocities_sample(SOURCES)
    # the query carries the website name only, never the Wikidata label
    lodz = next(s for s in sample if s.truth == "Q580")
    assert lodz.query.names == ("Lodz",)
    # with a QID excluded, that place cannot be matched
    idx2 = build_gazetteer_index(SOURCES, exclude=[EUROCITIES_SOURCE], exclude_qids=["Q580"])
    res = evaluate([lodz], idx2, "one")
    assert res.reachable == 0 and res.correct == 0


SEED_QIDS = {
    "Q20103": ("Municipality", "Assisi"),
    "Q1346907": ("Municipality", "Kōya"),
    "Q220": ("Municipality", "Rome"),
    "Q38": ("Country", "Italy"),
    "Q17": ("Country", "Japan"),
    "Q1280": ("Region", "Umbria"),
    "Q16240": ("Province", "Perugia"),
    "Q131314": ("Prefecture", "Wakayama"),
}


@pytest.mark.parametrize("qid", sorted(SEED_QIDS))
def test_seed_places_carry_their_qids_and_the_gazetteers_agree(seed_store, index, qid):
    cls, name = SEED_QIDS[qid]
    place = ID[f"place/{qid}"]
    r = seed_store.query("ASK { ?p a ?c ; gk:wikidata ?q }", bindings={"p": place, "c": GK[cls], "q": WD[qid]})
    assert bool(r), f"{place} should be a gk:{cls} with gk:wikidata wd:{qid}"
    entry = index.get(qid)
    assert entry is not None, f"{qid} is in the shipped gazetteers"
    bases = {split_name(n).base for n, _ in entry.names}
    assert split_name(name).base in bases or any(b.startswith(split_name(name).base) for b in bases)


def test_embassy_institute_and_officials_stay_unlinked(seed_store):
    r = seed_store.query(
        """SELECT ?x WHERE { ?x gk:wikidata ?q .
             { ?x a gk:Embassy } UNION { ?x a gk:CulturalInstitute } UNION { ?x a foaf:Person } }"""
    )
    assert len(r) == 0
    # ... and they are there to be linked (the query above is not vacuous)
    n = seed_store.query(
        "SELECT (COUNT(?x) AS ?n) WHERE { { ?x a gk:Embassy } UNION { ?x a gk:CulturalInstitute } "
        "UNION { ?x a foaf:Person } }"
    )
    assert n.column("n") == [4]
