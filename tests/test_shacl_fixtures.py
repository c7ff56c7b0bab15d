"""SHACL gaps found by hand (issue 17, item 7): fixtures that must fail, and pass once mended.

Every ``tests/fixtures/shacl/NAME.broken.ttl`` is validated with both engines against
``ontology/shapes.ttl`` and must give exactly the violation listed here; ``NAME.fixed.ttl`` must conform.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graphkit.validate.validator import ValidationReport, load_ontology, validate_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shacl"

XSD = "http://www.w3.org/2001/XMLSchema#"
LTE, DATATYPE, PATTERN = (f"sh:{c}ConstraintComponent" for c in ("LessThanOrEquals", "Datatype", "Pattern"))
MIN, MAX = "sh:MinInclusiveConstraintComponent", "sh:MaxInclusiveConstraintComponent"

#: fixture name → (path of the violations, words of their message, the offending value, the rules it breaks)
BROKEN = {
    "end-before-start": ("gk:startDate", "cannot end before it starts", f'"2015"^^<{XSD}gYear>', {LTE}),
    "status-period-end-before-start": (
        "gk:startDate", "status period cannot end before", f'"2022-09-30"^^<{XSD}date>', {LTE}),
    "period-mixed-precision": ("gk:startDate", "same precision", f'"2009"^^<{XSD}gYear>', {LTE}),
    "population-as-text": ("gk:population", "not text such as", '"many"', {DATATYPE, MIN, MAX}),
    "population-negative": ("gk:population", "from 0 to", f'"-2902"^^<{XSD}integer>', {MIN}),
    "evidence-digest-malformed": ("gk:sentenceSha256", "64 lower-case hex digits", '"a1bba493"', {DATATYPE, PATTERN}),
}  # fmt: skip
#: rdflib gives xsd:gYear literals no value, so pySHACL cannot order two years (TypeError); the SPARQL engine can.
PYSHACL_CANNOT_COMPARE_YEARS = {"end-before-start"}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(params=["sparql", "pyshacl"])
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


def _validate(name: str, ontology: Graph, engine: str) -> ValidationReport:
    return validate_graph(Graph().parse(FIXTURES / name, format="turtle"), ontology=ontology, engine=engine)


def test_every_fixture_has_its_pair_and_an_expectation():
    broken = {p.name.removesuffix(".broken.ttl") for p in FIXTURES.glob("*.broken.ttl")}
    fixed = {p.name.removesuffix(".fixed.ttl") for p in FIXTURES.glob("*.fixed.ttl")}
    assert broken == fixed == set(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_fixture_fails_with_its_violation(name, ontology, engine):
    path, words, value, components = BROKEN[name]
    if engine == "pyshacl" and name in PYSHACL_CANNOT_COMPARE_YEARS:
        with pytest.raises(TypeError):
            _validate(f"{name}.broken.ttl", ontology, engine)
        return
    report = _validate(f"{name}.broken.ttl", ontology, engine)
    assert not report.conforms
    assert {v.path_label for v in report.violations} == {path}, report.summary()
    assert {v.component for v in report.violations} == components
    assert {v.focus_node for v in report.violations} == {report.violations[0].focus_node}
    for v in report.violations:
        assert words in v.message
        assert v.value == value
        assert v.severity == "Violation"


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_fixed_fixture_conforms(name, ontology, engine):
    report = _validate(f"{name}.fixed.ttl", ontology, engine)
    assert report.conforms, report.summary()
    assert report.violations == [] or all(v.severity == "Warning" for v in report.violations)


def test_evidence_without_digest_is_only_a_warning(ontology, engine):
    g = Graph().parse(FIXTURES / "evidence-digest-malformed.fixed.ttl", format="turtle")
    g.remove((None, next(iter({p for _, p, _ in g if str(p).endswith("sentenceSha256")})), None))
    report = validate_graph(g, ontology=ontology, engine=engine)
    assert report.conforms
    assert [(v.path_label, v.severity) for v in report.violations] == [("gk:sentenceSha256", "Warning")]


def test_validate_cli_reports_the_fixture(tmp_path):
    from .conftest import run_cli

    bad = run_cli("validate", "--graph", str(FIXTURES / "end-before-start.broken.ttl"), cwd=tmp_path)
    assert bad.returncode == 1
    assert "cannot end before it starts" in bad.stdout and "relation/fixture-a--fixture-b" in bad.stdout
    good = run_cli("validate", "--graph", str(FIXTURES / "end-before-start.fixed.ttl"), cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
