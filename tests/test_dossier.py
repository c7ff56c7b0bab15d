"""Dossiers: the seed story's facts with their evidence, partners, network figures, Wikidata
differences, the CLI (default path, formats, ambiguous names, --all with an index), hostile labels."""

from __future__ import annotations

import csv
import html
import re

import pytest
from rdflib import URIRef

from graphkit.analyze.pipeline import run_analysis
from graphkit.analyze.writeback import write_back
from graphkit.dossier import dossier_html, dossier_markdown, gather_dossier, resolve_municipality
from graphkit.dossier.write import write_country_dossiers
from graphkit.rdf.namespaces import place_iri
from graphkit.relations.export import relation_rows
from graphkit.relations.read import read_relations
from graphkit.store.open import open_graph
from graphkit.viz.resolve import AmbiguousNameError

from .conftest import REPO, run_cli

SEED = [REPO / "data" / "seed" / "assisi-koya.ttl", REPO / "data" / "seed" / "evidence.ttl"]
SMALL = REPO / "tests" / "fixtures" / "viz-small.ttl"
ASSISI = str(place_iri(qid="Q20103"))


@pytest.fixture(scope="module")
def seed():
    store = open_graph([*SEED, REPO / "ontology" / "vocab.ttl", REPO / "ontology" / "graphkit.ttl"])
    return read_relations(store), store


@pytest.fixture(scope="module")
def assisi(seed):
    data, store = seed
    return gather_dossier(data, store, ASSISI)


def test_identity_has_names_in_every_language_and_the_areas(assisi):
    i = assisi.identity
    names = {(n.lang, n.text) for n in i.names}
    assert names == {("it", "Assisi"), ("en", "Assisi"), ("ja", "アッシジ"), ("it", "Comune di Assisi")}
    assert [n.lang for n in i.names][:2] == ["it", "it"]  # Italian first, then English, Japanese
    assert (i.country, i.country_name, i.qid, i.lat, i.lon) == ("IT", "Italy", "Q20103", 43.07, 12.6175)
    assert i.areas == (("Province of Perugia", "province"), ("Umbria", "region"), ("Italy", "country"))
    assert i.wikidata_url == "https://www.wikidata.org/wiki/Q20103"


def test_the_relation_with_koya_has_its_agreement_history_sectors_and_evidence(assisi):
    (rel,) = assisi.relations
    assert [p.label for p in rel.partners] == ["Kōya"] and rel.partners[0].country == "JP"
    assert (rel.types, rel.status, rel.start) == (("memorandum of understanding",), "active", "2009")
    assert [(h.status, h.start) for h in rel.history] == [("active", "2009")]
    (ag,) = rel.agreements
    assert (ag.label, ag.signing_date, ag.type_label) == (
        "Assisi – Kōya memorandum of understanding (2009)", "2009", "memorandum of understanding",
    )  # fmt: skip
    assert rel.sectors == ("culture",)
    quotes = {e.quote for e in rel.evidence}
    assert {"legame con Koya", "formalizzato dal protocollo d’intesa siglato nel 2009"} <= quotes
    assert {e.quote for e in ag.evidence} == {"formalizzato dal protocollo d’intesa siglato nel 2009"}
    assert rel.evidence[0].source_title.startswith("Assisi al centro del confronto")


def test_people_offices_and_the_rome_meeting_with_evidence(assisi):
    offices = {o.label: o for o in assisi.offices}
    mayor, councillor = offices["Mayor of Assisi"], offices["Councillor for tourism of Assisi"]
    assert (mayor.role, mayor.holders) == ("mayor", ("Valter Stoppini",))
    assert (councillor.role, councillor.holders, councillor.portfolio) == (
        "councillor with a portfolio", ("Fabrizio Leggio",), ("tourism",),
    )  # fmt: skip
    mayor_quotes = {(e.sentence, e.quote) for e in mayor.evidence}
    assert (3, "il sindaco Valter Stoppini") in mayor_quotes
    (meeting,) = assisi.meetings
    assert (meeting.held_in, meeting.venue, meeting.promoted_by) == (
        "Rome", "Japanese Cultural Institute in Rome", ("Embassy of Japan in Italy",),
    )  # fmt: skip
    assert meeting.sectors == ("culture", "tourism") and "twinning procedures" in meeting.topics
    people = {(p.who, p.post, p.on_behalf_of) for p in meeting.participants}
    assert ("Valter Stoppini", "Mayor of Assisi", "Assisi") in people
    assert ("Fabrizio Leggio", "Councillor for tourism of Assisi", "Assisi") in people
    venue = [e for e in meeting.evidence if e.fact == "venue"]
    assert [(e.sentence, e.quote) for e in venue] == [(2, "ospitata all’Istituto Giapponese di Cultura di Roma")]


def test_koya_by_qid_lists_assisi(seed):
    data, store = seed
    d = gather_dossier(data, store, resolve_municipality(data, "Q1346907"))
    assert d.identity.label == "Kōya" and [p.label for p in d.partners] == ["Assisi"]
    assert d.identity.population == 2902
    assert d.identity.facts == (("heritage designation", "UNESCO World Heritage site"),)


def test_network_figures_come_from_the_analysis_written_back(seed):
    data, _ = seed
    store = open_graph([*SEED])
    before = gather_dossier(data, store, ASSISI).network
    assert (before.degree, before.rank_in_country, before.places_in_country, before.analysed) == (1, 1, 2, False)
    write_back(store, run_analysis(store))
    after = gather_dossier(data, store, ASSISI).network
    assert after.analysed and after.community == 0 and after.community_size == 2 and after.betweenness == 0.0
    assert after.partner_countries == (("Japan", 1),)


def test_every_partner_of_the_relations_export_is_in_the_dossier():
    store = open_graph([SMALL, REPO / "ontology" / "vocab.ttl"])
    data = read_relations(store)
    rows = [r for r in relation_rows(store) if "Assisi" in (r["party1_label"], r["party2_label"])]
    expected = {r["party2_label"] if r["party1_label"] == "Assisi" else r["party1_label"] for r in rows}
    d = gather_dossier(data, store, ASSISI)
    assert {p.label for p in d.partners} == expected and len(expected) >= 2
    page = dossier_html(d)
    for label in expected:  # each partner heads a row of the relations table
        assert f'<td class="partner">{html.escape(label)} <span class="cc"' in page


def test_partners_in_common_and_one_side_listing():
    store = open_graph([SMALL, REPO / "ontology" / "vocab.ttl"])
    data = read_relations(store)
    kyoto = gather_dossier(data, store, resolve_municipality(data, "Kyoto"))
    (rel,) = [r for r in kyoto.relations if r.partners[0].label == "Florence"]
    assert rel.listing == "listed by Kyoto only (one side)"
    assert [(e.kind, e.detail) for e in rel.evidence] == [("dataset", "the relation is in the list of Kyoto")]


def test_wikidata_differences_from_the_comparison_table(seed, tmp_path):
    data, store = seed
    (tmp_path / "wikidata").mkdir()
    with (tmp_path / "wikidata" / "p190-comparison.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["kind", "subject", "object", "relation", "ours", "wikidata", "note"])
        w.writerow(["missing-in-graph", "Q20103", "Q1346907", "", "", "", ""])
        w.writerow(["missing-in-wikidata", "Q20103", "Q220", "", "", "", "not in P190"])
        w.writerow(["missing-in-graph", "Q1", "Q2", "", "", "", ""])
    d = gather_dossier(data, store, ASSISI, out_dir=tmp_path)
    assert [(w.says, w.other_qid, w.other_label) for w in d.wikidata] == [
        ("wikidata", "Q1346907", "Kōya"),
        ("graph", "Q220", "Rome"),
    ]
    assert "Wikidata says, the graph does not" in dossier_html(d)
    assert gather_dossier(data, store, ASSISI, out_dir=tmp_path / "none").wikidata is None


def test_html_is_offline_escaped_and_has_a_map_of_country_paths(seed):
    data, store = seed
    page = dossier_html(gather_dossier(data, store, ASSISI))
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert "<script" not in page and not re.search(r'(src|href)="//|src="http', page)
    paths = re.findall(r'<path class="country([^"]*)" data-cc="([A-Z]*)"', page)
    assert len(paths) > 80 and (" home", "IT") in paths and (" partner", "JP") in paths
    assert page.count('<path class="arc"') == 1 and ">Kōya</text>" in page


def test_hostile_labels_are_escaped_in_html_and_markdown():
    store = open_graph([SMALL, REPO / "ontology" / "vocab.ttl"])
    data = read_relations(store)
    d = gather_dossier(data, store, str(URIRef("https://w3id.org/graphkit/id/place/fr/xss-img")))
    page = dossier_html(d)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    md = dossier_markdown(d)
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md


def test_cli_writes_the_default_path_and_markdown(tmp_path):
    graph = [a for f in (*SEED, REPO / "ontology" / "vocab.ttl") for a in ("--graph", str(f))]
    proc = run_cli("dossier", "Assisi", "--out", str(tmp_path), *graph)
    assert proc.returncode == 0, proc.stderr
    page = tmp_path / "dossiers" / "assisi.html"
    assert proc.stderr.strip() == f"wrote {page}"
    text = page.read_text(encoding="utf-8")
    assert "Valter Stoppini" in text and "il sindaco Valter Stoppini" in text
    proc = run_cli("dossier", "高野町", "--format", "md", "-o", str(tmp_path / "k.md"), *graph)
    assert proc.returncode == 0, proc.stderr
    md = (tmp_path / "k.md").read_text(encoding="utf-8")
    assert md.startswith("# Kōya\n") and "| Assisi (IT) | memorandum of understanding |" in md


def test_cli_ambiguous_and_unknown_names_are_one_line_errors(tmp_path):
    proc = run_cli("dossier", "Frankfurt", "--graph", str(SMALL), "--out", str(tmp_path))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: 'Frankfurt' matches 2 places")
    assert "place/Q1794" in lines[0] and "place/Q4024" in lines[0]
    proc = run_cli("dossier", "Atlantis", "--graph", str(SMALL), "--out", str(tmp_path))
    assert proc.returncode == 1 and proc.stderr.strip().splitlines() == [
        "error: no municipality named 'Atlantis' in the graph"
    ]
    with pytest.raises(AmbiguousNameError):
        resolve_municipality(read_relations(open_graph([SMALL])), "frankfurt")


def test_all_dossiers_of_a_country_with_an_index(tmp_path):
    report = write_country_dossiers("DE", directory=tmp_path, graph_files=[SMALL, REPO / "ontology" / "vocab.ttl"])
    names = sorted(p.name for p in report.pages)
    assert names == ["frankfurt-2.html", "frankfurt.html"]  # two places share the name: both kept
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count('<a href="frankfurt') == 2 and "Germany (DE), 2 municipalities" in index
    extra = tmp_path / "assisi-florence.ttl"
    extra.write_text(
        "@prefix gk: <https://w3id.org/graphkit/ontology#> .\n"
        "<https://w3id.org/graphkit/id/relation/assisi-florence> a gk:MunicipalRelation ;\n"
        "  gk:party <https://w3id.org/graphkit/id/place/Q20103> , <https://w3id.org/graphkit/id/place/it/florence> .\n",
        encoding="utf-8",
    )
    report = write_country_dossiers("IT", directory=tmp_path / "it", graph_files=[SMALL, extra])
    assisi = (tmp_path / "it" / "assisi.html").read_text(encoding="utf-8")
    assert '<td class="partner"><a href="florence.html">Florence</a>' in assisi  # a partner with a page: linked
    assert '<td class="partner">Kōya <span' in assisi  # one without: plain text
    assert '<a href="index.html">all dossiers</a>' in assisi
    assert report.seconds_per_page > 0 and len(report.pages) == 2
    proc = run_cli("dossier", "--all", "--graph", str(SMALL))
    assert proc.returncode == 1 and "needs --country" in proc.stderr


def test_world_dossiers_of_assisi_and_koya_match_the_relations_export(world):
    """On the world build: every relation the relations export gives Assisi and Kōya is in their
    dossier, Kōya's lists Assisi, and Assisi's keeps the seed's MoU with Kōya."""
    store = world[0]
    data = read_relations(store)
    rows = relation_rows(store)
    for qid in ("Q20103", "Q1346907"):
        expected = {r["relation"] for r in rows if qid in (r["party1_qid"], r["party2_qid"])}
        d = gather_dossier(data, store, str(place_iri(qid=qid)))
        assert {e.iri for e in d.relations} == expected and expected, qid
    koya = gather_dossier(data, store, str(place_iri(qid="Q1346907")))
    assert ASSISI in {p.iri for p in koya.partners}
    assisi = gather_dossier(data, store, ASSISI)
    assert len(assisi.partners) >= 16 and assisi.identity.country == "IT"
    assert "https://w3id.org/graphkit/id/relation/assisi-koya" in {e.iri for e in assisi.relations}
    # the world data's evidence is the dataset and the row that states the relation
    details = [ev.detail for e in assisi.relations for ev in e.evidence if ev.kind == "dataset"]
    assert details and all("; row " in d for d in details)
    assert any("; row twinings.csv:" in d for d in details)  # the Italian Wikipedia list's gemellaggi
