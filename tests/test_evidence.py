"""Text evidence: checks that need no article, verification against one (a synthetic article of our
own), `graphkit validate --evidence`, and the skip when the seed article is not beside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from graphkit.errors import InputError
from graphkit.rdf.namespaces import GK, ID, OA
from graphkit.store.embedded import EmbeddedStore
from graphkit.text.evidence import (
    MAX_QUOTE,
    EvidenceSpan,
    check_spans,
    read_spans,
    sentence_digest,
    span_for,
    verify_evidence,
    verify_spans,
)
from graphkit.text.sentences import split_sentences

from .conftest import NO_ARTICLE, REPO, run_cli

# Our own little article (sentences: 1 title, 2–4 the first paragraph, 5 the second).
ARTICLE = (
    "Gemellaggio tra Borgo Alto e Villanova\n"
    "\n"
    "Il consiglio comunale di Borgo Alto ha approvato il gemellaggio con Villanova nel 2012. "
    "La cerimonia si è svolta in piazza! Erano presenti i sindaci   delle due città.\n"
    "Nel 2020 il patto è stato rinnovato per altri dieci anni."
)
PHRASES = {
    "approved": "approvato il gemellaggio con Villanova",
    "year": "nel 2012",
    "mayors": "i sindaci   delle due città",
    "renewed": "il patto è stato rinnovato",
}
SOURCE = ID["source/borgo-alto-article"]


def synthetic_spans(text: str = ARTICLE) -> list[EvidenceSpan]:
    return [span_for(text, p, iri=str(ID[f"evidence/borgo/{k}"]), source=str(SOURCE)) for k, p in PHRASES.items()]


def evidence_graph(spans: list[EvidenceSpan], title: str = "Gemellaggio tra Borgo Alto e Villanova") -> Graph:
    """The spans as the graph states them (what scripts/make_seed_evidence.py writes for the seed)."""
    g = Graph()
    g.add((SOURCE, RDF.type, GK.SourceDocument))
    g.add((SOURCE, DCTERMS.title, Literal(title, lang="it")))
    g.add((SOURCE, GK.fileName, Literal("borgo-alto.it.txt")))
    for s in spans:
        ev = URIRef(s.iri)
        g.add((ev, RDF.type, GK.TextEvidence))
        g.add((ev, OA.hasSource, SOURCE))
        g.add((ev, GK.sentenceNumber, Literal(s.sentence)))
        g.add((ev, OA.start, Literal(s.start)))
        g.add((ev, OA.end, Literal(s.end)))
        g.add((ev, OA.exact, Literal(s.exact, lang="it")))
        g.add((ev, GK.sentenceSha256, Literal(s.digest, datatype=XSD.hexBinary)))
    return g


def store_of(g: Graph) -> EmbeddedStore:
    store = EmbeddedStore()
    store.add_graph(g, ID["graph/test-evidence"])
    return store


# ---------------------------------------------------------------- the digest
def test_digest_is_sha256_of_the_normalised_sentence():
    import hashlib

    assert sentence_digest("Erano presenti i sindaci   delle due città.") == hashlib.sha256(
        "Erano presenti i sindaci delle due città.".encode()
    ).hexdigest()
    # NFC: a decomposed "à" is the same sentence; another word is not
    assert sentence_digest("due citta\u0300.") == sentence_digest("due città.")
    assert sentence_digest("due città.") != sentence_digest("tre città.")


def test_span_for_gives_sentence_offsets_and_digest():
    spans = {s.iri.rsplit("/", 1)[1]: s for s in synthetic_spans()}
    sentences = split_sentences(ARTICLE)
    assert [s.number for s in sentences] == [1, 2, 3, 4, 5]
    assert (spans["approved"].sentence, spans["year"].sentence, spans["mayors"].sentence) == (2, 2, 4)
    assert spans["renewed"].sentence == 5
    for s in spans.values():
        assert ARTICLE[s.start : s.end] == s.exact
        sent = sentences[s.sentence - 1]
        assert s.digest == sentence_digest(ARTICLE[sent.start : sent.end])
    assert spans["approved"].digest == spans["year"].digest  # one sentence, one digest


# ---------------------------------------------------------------- checks without the article
def test_seed_evidence_passes_the_checks_that_need_no_article(seed_store):
    spans = read_spans(seed_store)
    assert len(spans) == 19
    assert check_spans(spans) == []
    assert all(s.digest and len(s.digest) == 64 for s in spans)
    assert all(s.exact and len(s.exact) <= MAX_QUOTE for s in spans)
    assert [s.sentence for s in spans] == sorted(s.sentence for s in spans if s.sentence)  # offsets follow sentences
    assert {s.source for s in spans} == {str(ID["source/seed-article"])}


def _span(**kw: object) -> EvidenceSpan:
    base = {"iri": "ev/x", "source": "src", "sentence": 2, "start": 10, "end": 14, "exact": "Roma", "digest": "a" * 64}
    return EvidenceSpan(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spans", "problem"),
    [
        ([_span(exact="x" * 121, end=131)], "the quote has 121 characters (at most 120)"),
        ([_span(end=20)], "offsets 10–20 span 10 characters, the quote has 4"),
        ([_span(start=14, end=10)], "offsets 14–10 (need 0 ≤ start < end)"),
        ([_span(sentence=0)], "sentence number 0 (must be 1 or more)"),
        ([_span(digest="A1B2")], "gk:sentenceSha256 'A1B2' is not 64 lower-case hex digits"),
        ([_span(digest=None)], "no gk:sentenceSha256 (the quote cannot be checked against the text)"),
        ([_span(), _span(iri="ev/y", start=20, end=24, digest="b" * 64)], "the spans of sentence 2 carry 2 different"),
        ([_span(), _span(iri="ev/y", sentence=1, start=30, end=34)], "sentence 2 starts at 10, before sentence 1"),
        ([_span(), _span(iri="ev/y", sentence=3, start=12, end=16)], "sentence 3 starts at 12, before sentence 2's"),
    ],
    ids=["long-quote", "offsets-vs-quote", "reversed", "sentence-0", "bad-digest", "no-digest", "two-digests",
         "out-of-order", "overlapping-sentences"],
)  # fmt: skip
def test_checks_without_the_article_find(spans, problem):
    found = [p.problem for p in check_spans(spans)]
    assert len(found) == 1 and found[0].startswith(problem), found


def test_spans_of_different_sources_are_ordered_apart():
    a = _span(source="one", sentence=5, start=100, end=104)
    b = _span(source="two", iri="ev/y", sentence=1, start=0, end=4)
    assert check_spans([a, b]) == []


# ---------------------------------------------------------------- against a synthetic article
def test_synthetic_evidence_verifies_against_its_article():
    assert verify_spans(synthetic_spans(), ARTICLE) == []


def test_a_longer_sentence_before_the_quotes_moves_them():
    changed = ARTICLE.replace("svolta in piazza!", "svolta nella piazza grande!")
    problems = verify_spans(synthetic_spans(), changed)
    # sentence 2 (approved, year) is untouched: its quotes and digest still match
    assert not [p for p in problems if p.iri.endswith(("approved", "year"))]
    # sentences 4 and 5 are intact but 10 characters later: each quote is reported with what is there now
    moved: dict[str, list[str]] = {}
    for p in problems:
        moved.setdefault(p.iri.rsplit("/", 1)[1], []).append(p.problem)
    assert moved == {
        "mayors": [f"the quote is not at 179–206 (the text has {changed[179:206]!r})"],
        "renewed": [
            f"the quote is not at 217–243 (the text has {changed[217:243]!r})",
            "217–243 is not inside sentence 5 (218–275)",
        ],
    }


def test_a_reworded_sentence_with_the_quote_in_place_fails_on_the_digest_only():
    reworded = ARTICLE.replace("con Villanova nel 2012.", "con Villanova nel 2012!")
    problems = verify_spans(synthetic_spans(), reworded)
    assert {(p.iri.rsplit("/", 1)[1], p.problem) for p in problems} == {
        ("approved", "sentence 2 differs from the one cited (SHA-256)"),
        ("year", "sentence 2 differs from the one cited (SHA-256)"),
    }


def test_a_shorter_text_is_reported_per_span():
    short = ARTICLE.split("\nNel 2020")[0]
    problems = [p for p in verify_spans(synthetic_spans(), short) if p.iri.endswith("renewed")]
    assert [p.problem for p in problems][-1] == "sentence 5: the text has 4 sentences"


def test_verify_evidence_reads_the_graph_and_the_file(tmp_path):
    article = tmp_path / "borgo-alto.it.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    report = verify_evidence(store_of(evidence_graph(synthetic_spans())), article)
    assert report.ok and report.checked == 4 and report.source == str(SOURCE)
    assert report.summary() == (
        f"4 quoted span(s) of gkid:source/borgo-alto-article checked against {article}: "
        "every quote, offset and sentence digest matches.\n"
    )


def test_the_source_is_picked_by_file_name_title_or_given(tmp_path):
    g = evidence_graph(synthetic_spans()) + _other_source()
    store = store_of(g)
    by_name = tmp_path / "borgo-alto.it.txt"
    by_name.write_text(ARTICLE, encoding="utf-8")
    assert verify_evidence(store, by_name).source == str(SOURCE)
    by_title = tmp_path / "downloaded.txt"
    by_title.write_text(ARTICLE, encoding="utf-8")
    assert verify_evidence(store, by_title).source == str(SOURCE)
    neither = tmp_path / "x.txt"
    neither.write_text("Another title\n" + ARTICLE, encoding="utf-8")
    with pytest.raises(InputError, match="cites several texts and none is plainly x.txt: name the source"):
        verify_evidence(store, neither)
    assert verify_evidence(store, neither, source="gkid:source/borgo-alto-article").ok is False  # title line added
    with pytest.raises(InputError, match="no text evidence cites"):
        verify_evidence(store, neither, source="gkid:source/nothing")


def _other_source() -> Graph:
    g = Graph()
    other = ID["source/other"]
    g.add((other, RDF.type, GK.SourceDocument))
    g.add((other, DCTERMS.title, Literal("Another article")))
    ev = ID["evidence/other/1"]
    for p, o in ((RDF.type, GK.TextEvidence), (OA.hasSource, other), (GK.sentenceNumber, Literal(1)),
                 (OA.start, Literal(0)), (OA.end, Literal(7)), (OA.exact, Literal("Another"))):
        g.add((ev, p, o))
    return g


def test_missing_article_and_empty_graph_are_one_line_errors(tmp_path):
    with pytest.raises(InputError, match="cannot read the article"):
        verify_evidence(store_of(evidence_graph(synthetic_spans())), tmp_path / "absent.txt")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(InputError, match="no gk:TextEvidence"):
        verify_evidence(EmbeddedStore(), tmp_path / "a.txt")


# ---------------------------------------------------------------- the command
def test_validate_evidence_command(tmp_path):
    ttl = tmp_path / "borgo-evidence.ttl"
    evidence_graph(synthetic_spans()).serialize(ttl, format="turtle")
    good = tmp_path / "borgo-alto.it.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    ok = run_cli("validate", "--graph", str(ttl), "--evidence", str(good), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "4 quoted span(s) of gkid:source/borgo-alto-article" in ok.stdout and "every quote" in ok.stdout

    bad = tmp_path / "tampered.txt"
    bad.write_text(ARTICLE.replace("Il consiglio comunale", "La giunta comunale"), encoding="utf-8")
    fail = run_cli("validate", "--graph", str(ttl), "--evidence", str(bad), cwd=tmp_path)
    assert fail.returncode == 1
    assert "gkid:evidence/borgo/approved: the quote is not at" in fail.stdout
    assert "gkid:evidence/borgo/year: sentence 2 differs from the one cited (SHA-256)" in fail.stdout
    assert fail.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "Traceback" not in fail.stderr


# ---------------------------------------------------------------- with the real seed article (skipped without)
def test_seed_evidence_verifies_against_the_seed_article(seed_store, article_path):
    report = verify_evidence(seed_store, article_path)
    assert report.ok and report.checked == 19, report.summary()


def test_seed_evidence_file_is_what_the_script_makes(article_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import make_seed_evidence
    finally:
        sys.path.remove(str(REPO / "scripts"))
    assert make_seed_evidence.main(article_path) == (REPO / "data" / "seed" / "evidence.ttl").read_text("utf-8")


def test_validate_evidence_command_on_the_seed(article_path, tmp_path):
    seed = REPO / "data" / "seed"
    ok = run_cli("validate", "--graph", str(seed / "assisi-koya.ttl"), "--graph", str(seed / "evidence.ttl"),
                 "--evidence", str(article_path), cwd=tmp_path)  # fmt: skip
    assert ok.returncode == 0 and "19 quoted span(s) of gkid:source/seed-article" in ok.stdout, ok.stdout + ok.stderr


# ---------------------------------------------------------------- the skip, as a user without the article sees it
def test_without_the_article_the_evidence_tests_are_skipped_with_one_reason(tmp_path):
    """A copy of the tests in a folder with nothing beside it (the data linked in): the article tests
    are skipped, the others pass, and the line above pytest's summary says how many and why."""
    project = tmp_path / "checkout"
    shutil.copytree(REPO / "tests", project / "tests", ignore=shutil.ignore_patterns("__pycache__", "fixtures"))
    (project / "data").symlink_to(REPO / "data")
    env = {k: v for k, v in os.environ.items() if k != "GRAPHKIT_SHARED"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-ra", "tests/test_seed_facts.py"],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:]
    lines = proc.stdout.strip().splitlines()
    skipped = 8 + 1 + 1  # the traced facts, every quote against the article, the no-copy check
    assert f"{skipped} skipped: {NO_ARTICLE}" in lines
    assert lines.index(f"{skipped} skipped: {NO_ARTICLE}") == len(lines) - 2  # just above the closing line
    assert f"passed, {skipped} skipped" in lines[-1]
    assert "error" not in lines[-1] and "failed" not in lines[-1]
