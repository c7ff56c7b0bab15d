"""Each cleaning rule of graphkit.ingest on real examples taken from the shipped sources.

Every example is first looked up in the raw files, so the tests prove the rule handles what the
sources really contain (not an invented string).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from graphkit.ingest import dr5hn, hekman, l3viathan, yuboski
from graphkit.ingest.clean import (
    choose_label,
    classify_kind,
    country_from_name,
    dedupe_qid_claims,
    garbled_japanese_name,
    is_type_hint,
    japan_base_name,
    learn_country_names,
    normalize_unicode,
    resolve_country,
    split_disambiguator,
    strip_wiki_markup,
)
from graphkit.ingest.countries import CountryTable, fold

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"


@pytest.fixture(scope="module")
def table() -> CountryTable:
    return CountryTable.from_folder(SOURCES / "dr5hn-csc-wikidata")


@pytest.fixture(scope="module")
def hekman_pairs() -> list[hekman.HekmanPair]:
    return hekman.read_pairs(SOURCES / "hekman-twincities")


@pytest.fixture(scope="module")
def hekman_countries(hekman_pairs: list[hekman.HekmanPair]) -> set[str]:
    return {p.country1 for p in hekman_pairs} | {p.country2 for p in hekman_pairs}


@pytest.fixture(scope="module")
def hekman_names(hekman_pairs: list[hekman.HekmanPair]) -> set[str]:
    return {p.city1 for p in hekman_pairs} | {p.city2 for p in hekman_pairs}


@pytest.fixture(scope="module")
def yuboski_rows() -> list[yuboski.YuboskiRow]:
    return yuboski.read_rows(SOURCES / "yuboski-itwiki-gemellaggi")


@pytest.mark.parametrize(
    ("text", "iso", "rule"),
    [
        ("Grece", "GR", "cldr-name"),
        ("Japa", "JP", "typo"),
        ("Kazakhstah", "KZ", "typo"),
        ("Madagaskar", "MG", "cldr-name"),
        ("Bosnia and Hercegovina", "BA", "typo"),
        ("England", "GB", "alias"),
        ("Republic of Ireland", "IE", "alias"),
        ("Georgia (country)", "GE", "alias"),
        ("Moldavia", "MD", "alias"),
        ("Island", "IS", "exact"),  # Iceland's own name, "Ísland"
        ("England, United Kingdom", "GB", "subnational"),
        ("Ohio, United States", "US", "subnational"),
        ("Lower Saxony, Germany", "DE", "subnational"),
        ("in Italy", "IT", "noise"),
        ("Japan", "JP", "exact"),
        ("Italy", "IT", "exact"),
    ],
)
def test_country_strings_resolve_to_iso_codes(text, iso, rule, table, hekman_countries) -> None:
    assert text in hekman_countries, f"{text!r} is not in the English Wikipedia pair list"
    r = resolve_country(text, table)
    assert r is not None and (r.iso2, r.rule) == (iso, rule)


def test_country_qids_come_with_the_code(table) -> None:
    assert (table["IT"].qid, table["JP"].qid, table["GB"].qid) == ("Q38", "Q17", "Q145")


def test_subnational_country_keeps_the_region(table) -> None:
    assert resolve_country("Ohio, United States", table).subdivision == "Ohio"  # type: ignore[union-attr]


def test_empty_country_is_found_in_the_name(table, hekman_pairs) -> None:
    row = next(p for p in hekman_pairs if p.city2 == "Varna, Bulgaria")
    assert row.country2 == ""
    assert resolve_country(row.country2, table) is None
    name, r = country_from_name(row.city2, table)  # type: ignore[misc]
    assert (name, r.iso2, r.rule) == ("Varna", "BG", "from-name")


def test_italian_country_names_are_learned_from_coordinates(table, yuboski_rows) -> None:
    learned = learn_country_names(((r.end_country, r.end_coords) for r in yuboski_rows if r.end_coords), table)
    assert learned["Giappone"] == "JP"
    assert learned["Stati Uniti d’America"] == "US"
    assert learned["Germania"] == "DE"
    assert learned["Francia"] == "FR"


def test_diacritic_variants_fold_together_and_prefer_comma_below(hekman_names) -> None:
    comma, cedilla = "Ploiești", "Ploieşti"  # ș U+0219 (comma below) and ş U+015F (cedilla)
    assert comma in hekman_names and cedilla in hekman_names
    assert fold(comma) == fold(cedilla) == "ploiesti"
    assert choose_label({cedilla: 1, comma: 1}) == comma


def test_unicode_is_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Kōya  ")
    assert decomposed != "Kōya"
    assert normalize_unicode(decomposed) == "Kōya"


def test_wiki_markup_is_stripped(yuboski_rows) -> None:
    raw = {r.end_name for r in yuboski_rows}
    assert "Chambly (Oise){{!}}Chambly" in raw
    assert strip_wiki_markup("Chambly (Oise){{!}}Chambly") == "Chambly (Oise)"
    assert "Assisi{{!}}Assisi" in raw
    assert strip_wiki_markup("Assisi{{!}}Assisi") == "Assisi"


@pytest.mark.parametrize(
    ("raw", "base", "hint"),
    [
        ("Shibuya (Tokyo)", "Shibuya", "Tokyo"),
        ("Kusatsu, Gunma", "Kusatsu", "Gunma"),
        ("Wesel (district)", "Wesel", "district"),
        ("Tarnów (rural gmina)", "Tarnów", "rural gmina"),
    ],
)
def test_disambiguators_are_split(raw, base, hint, hekman_names) -> None:
    assert raw in hekman_names
    assert split_disambiguator(raw) == (base, hint)


def test_type_disambiguators_are_not_parent_places() -> None:
    assert is_type_hint("district") and is_type_hint("rural gmina")
    assert not is_type_hint("Tokyo")


@pytest.mark.parametrize(
    ("name", "hint", "kind"),
    [
        ("Wesel", "district", "district"),
        ("Shirak Province", "", "province"),
        ("Maui County", "", "district"),
        ("Tarnów", "rural gmina", "municipality"),
        ("Assisi", "", "municipality"),
    ],
)
def test_non_municipal_entities_are_typed(name, hint, kind, hekman_names) -> None:
    raw = f"{name} ({hint})" if hint else name
    assert raw in hekman_names
    assert classify_kind(name, hint) == kind


def test_wikidata_prefecture_labels_are_typed() -> None:
    names = l3viathan.read_names(SOURCES / "l3viathan-wikidata-p190")
    assert names["Q1490"] == "Präfektur Tokio"
    assert classify_kind(names["Q1490"]) == "prefecture"


def test_japan_gazetteer_duplicate_qid_goes_to_the_right_town() -> None:
    rows = dr5hn.read_japan_cities(SOURCES / "dr5hn-csc-wikidata")
    claims = [(r.qid, japan_base_name(r.name)) for r in rows if r.qid]
    claimants = {n for q, n in claims if q == "Q1346907"}
    assert claimants == {"koya", "machida"}  # the wrong duplicate is really in the file
    owners = dedupe_qid_claims(claims, {})
    assert owners["Q1346907"] == "koya"
    assert owners["Q210628"] == "machida"
    # paired entries of one town ("Kanoya" + "Kanoya Shi") keep their shared QID
    kanoya = {r.qid for r in rows if japan_base_name(r.name) == "kanoya"}
    assert len(kanoya) == 1 and owners[kanoya.pop()] == "kanoya"


def test_garbled_japanese_native_names_are_flagged_and_not_used() -> None:
    from graphkit.ingest.gazetteers import gazetteer_job

    rows = dr5hn.read_japan_cities(SOURCES / "dr5hn-csc-wikidata")
    ito = {r.name: r.native for r in rows if r.qid == "Q721163"}
    assert ito == {"Itō": "伊藤", "Itō Shi": "伊藤史"}  # the garbled rows are really in the file
    garbled = [r for r in rows if garbled_japanese_name(r.name, r.native)]
    assert len(garbled) == 46
    assert all(r.name.lower().endswith(("shi", "gun")) for r in garbled)
    assert not garbled_japanese_name("Ayabe-shi", "綾部市")

    entries, ledger, _ = gazetteer_job(SOURCES, {})
    by_qid = {e.qid: e for e in entries if e.source == dr5hn.SOURCE_ID}
    assert "ja" not in by_qid["Q721163"].names  # neither 伊藤史 nor its stem 伊藤 (the city is 伊東市)
    assert by_qid["Q432055"].names["ja"] == "浜田"  # Hamada: the stem GeoNames confirms near the city
    assert by_qid["Q453502"].names["ja"] == "奄美"  # Amami: the other row's name, confirmed, not 天海志
    assert not {e.names.get("ja") for e in by_qid.values()} & {r.native for r in garbled}
    rejects = [r for r in ledger.rejects if r.reason == "garbled-label"]
    assert ledger.rules["garbled-label"].count == len(rejects) == 46
    assert any(r.item == "Itō Shi / 伊藤史" and r.where == "cities_JP.json Q721163" for r in rejects)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Lahn-Dill-Kreis", "district"),
        ("Westerwaldkreis", "district"),
        ("Krasnoselski rajon", "district"),
        ("Rajon Solomjanka", "district"),
        ("Kleingebiet Kiskunhalas", "district"),
        ("Zentraler Verwaltungsbezirk in Moskau", "district"),
        ("Woiwodschaft Pommern", "province"),
        ("Autonome Gemeinschaft Andalusien", "region"),
        ("Ried im Innkreis", "municipality"),  # a town: "im Innkreis" says where it lies
        ("Kopfing im Innkreis", "municipality"),
        ("Békásmegyer", "municipality"),  # "megye" inside a word is not the Hungarian county
    ],
)
def test_districts_and_regions_in_every_language_are_not_municipalities(name, kind, hekman_names) -> None:
    crawl = set(l3viathan.read_names(SOURCES / "l3viathan-wikidata-p190").values())
    assert name in crawl | hekman_names
    assert classify_kind(name) == kind


def test_a_parent_district_in_a_disambiguator_does_not_make_the_town_a_district(yuboski_rows) -> None:
    raw = "Sasbach (Ortenaukreis){{!}}Sasbach"
    assert raw in {r.end_name for r in yuboski_rows}
    assert classify_kind(*split_disambiguator(strip_wiki_markup(raw))) == "municipality"
    assert classify_kind("County Durham") == "district" and classify_kind("Durham") == "municipality"
