"""Regenerate data/seed/evidence.ttl: where each seed fact is stated in the seed article.

Run from the repository root with the article's path:
    .venv/bin/python scripts/make_seed_evidence.py ../shared/seed/assisi-japan-rome-meeting.it.txt

Each entry: an evidence id, a short phrase of the article (at most a few words, the way a
text-quote selector cites), and the triples of data/seed/assisi-koya.ttl that the phrase supports.
The output lists one gk:TextEvidence per phrase (sentence number, offsets, phrase, and the SHA-256 of
the normalised sentence, gk:sentenceSha256, so that anyone with the article can check every span with
`graphkit validate --evidence ARTICLE.txt` while the article itself stays out of the project) and one
rdf:Statement per supported triple, so any fact can be traced to its sentence in SPARQL.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from graphkit.rdf.files import write_text_atomic  # noqa: E402
from graphkit.text.evidence import span_for  # noqa: E402

EVENT = "<event/rome-italy-japan-local-government-meeting>"
REL = "<relation/assisi-koya>"
AGR = "<agreement/assisi-koya-mou-2009>"
ASSISI, KOYA, ROME = "<place/Q20103>", "<place/Q1346907>", "<place/Q220>"
P_ASSISI = "<participation/assisi-at-rome-meeting>"
P_STOP = "<participation/stoppini-at-rome-meeting>"
P_LEG = "<participation/leggio-at-rome-meeting>"
P_OTH = "<participation/others-at-rome-meeting>"

FACTS: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("meeting-rome", "a Roma", [(EVENT, "gk:heldIn", ROME)]),
    ("assisi-took-part", "partecipando alla riunione", [
        (P_ASSISI, "gk:participant", ASSISI), (P_ASSISI, "gk:inEvent", EVENT)]),
    ("meeting-topic", "rapporti tra enti locali italiani e giapponesi", [
        (EVENT, "gk:topic", "topic:local-government-relations"),
        (EVENT, "gk:eventType", "eventtype:working-meeting")]),
    ("meeting-venue", "ospitata all’Istituto Giapponese di Cultura di Roma", [
        (EVENT, "gk:venue", "<org/japanese-cultural-institute-rome>"),
        ("<org/japanese-cultural-institute-rome>", "gk:locatedIn", ROME)]),
    ("meeting-promoter", "promossa dall’Ambasciata del Giappone in Italia", [
        (EVENT, "gk:promotedBy", "<org/embassy-of-japan-in-italy>"),
        ("<org/embassy-of-japan-in-italy>", "gk:representsCountry", "<place/Q17>"),
        ("<org/embassy-of-japan-in-italy>", "gk:accreditedTo", "<place/Q38>")]),
    ("mayor", "il sindaco Valter Stoppini", [
        (P_STOP, "gk:participant", "<person/valter-stoppini>"), (P_STOP, "gk:inEvent", EVENT),
        (P_STOP, "gk:inPost", "<post/assisi-mayor>"),
        ("<person/valter-stoppini>", "org:holds", "<post/assisi-mayor>"),
        ("<post/assisi-mayor>", "org:role", "role:mayor")]),
    ("councillor", "l’assessore al turismo Fabrizio Leggio", [
        (P_LEG, "gk:participant", "<person/fabrizio-leggio>"), (P_LEG, "gk:inEvent", EVENT),
        (P_LEG, "gk:inPost", "<post/assisi-councillor-for-tourism>"),
        ("<person/fabrizio-leggio>", "org:holds", "<post/assisi-councillor-for-tourism>"),
        ("<post/assisi-councillor-for-tourism>", "org:role", "role:councillor"),
        ("<post/assisi-councillor-for-tourism>", "gk:portfolio", "sector:tourism")]),
    ("representing-assisi", "rappresentando la città umbra", [
        (P_STOP, "gk:onBehalfOf", ASSISI), (P_LEG, "gk:onBehalfOf", ASSISI),
        ("<post/assisi-mayor>", "org:postIn", ASSISI),
        ("<post/assisi-councillor-for-tourism>", "org:postIn", ASSISI)]),
    ("other-participants", "amministratori, funzionari e organismi", [
        (P_OTH, "gk:participant", "<group/italy-japan-bilateral-relations-participants>"),
        (P_OTH, "gk:inEvent", EVENT)]),
    ("relation-koya", "legame con Koya", [
        (REL, "gk:party", ASSISI), (REL, "gk:party", KOYA),
        (ASSISI, "gk:partnerOf", KOYA), (KOYA, "gk:partnerOf", ASSISI)]),
    ("koya-unesco", "patrimonio mondiale UNESCO", [
        (KOYA, "gk:heritageDesignation", "heritage:unesco-world-heritage")]),
    ("mou-2009", "formalizzato dal protocollo d’intesa siglato nel 2009", [
        (REL, "gk:relationType", "reltype:memorandum-of-understanding"),
        (REL, "gk:formalisedBy", AGR),
        (AGR, "gk:agreementType", "reltype:memorandum-of-understanding"),
        (AGR, "gk:signingDate", '"2009"^^xsd:gYear'),
        (AGR, "gk:party", ASSISI), (AGR, "gk:party", KOYA),
        (REL, "gk:startDate", '"2009"^^xsd:gYear')]),
    ("relation-active", "ha dato impulso a un dialogo stabile", [
        (REL, "gk:status", "relstatus:active"),
        ("<relation/assisi-koya/status/active-2009>", "gk:statusValue", "relstatus:active")]),
    ("relation-culture", "valorizzazione delle rispettive identità culturali", [
        (REL, "gk:sector", "sector:culture")]),
    ("topic-twinning", "procedure legate ai gemellaggi", [(EVENT, "gk:topic", "topic:twinning-procedures")]),
    ("topic-delegations", "scambio tra delegazioni", [(EVENT, "gk:topic", "topic:delegation-exchange")]),
    ("topic-youth", "programmi rivolti ai giovani", [(EVENT, "gk:topic", "topic:youth-programmes")]),
    ("topic-2026", "iniziative previste per il 2026", [(EVENT, "gk:topic", "topic:bilateral-initiatives")]),
    ("sectors", "nei settori culturale e turistico", [
        (EVENT, "gk:sector", "sector:culture"), (EVENT, "gk:sector", "sector:tourism")]),
]

HEADER = """# Where each fact of the seed story is stated in the seed article (generated by
# scripts/make_seed_evidence.py; offsets are Unicode code points, end exclusive; gk:sentenceSha256 is
# the SHA-256 of the normalised sentence, checked by `graphkit validate --evidence ARTICLE.txt`).
@base           <https://w3id.org/graphkit/id/> .
@prefix gk:     <https://w3id.org/graphkit/ontology#> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix oa:     <http://www.w3.org/ns/oa#> .
@prefix reltype:   <https://w3id.org/graphkit/vocab/relation-type/> .
@prefix relstatus: <https://w3id.org/graphkit/vocab/relation-status/> .
@prefix sector:    <https://w3id.org/graphkit/vocab/sector/> .
@prefix role:      <https://w3id.org/graphkit/vocab/office-role/> .
@prefix eventtype: <https://w3id.org/graphkit/vocab/event-type/> .
@prefix topic:     <https://w3id.org/graphkit/vocab/topic/> .
@prefix heritage:  <https://w3id.org/graphkit/vocab/heritage/> .
"""


def main(article: Path) -> str:
    text = article.read_text(encoding="utf-8")
    out = [HEADER]
    for ident, phrase, triples in FACTS:
        q = span_for(text, phrase, iri=f"evidence/seed-article/{ident}")
        exact = phrase.replace("\\", "\\\\").replace('"', '\\"')
        out.append(
            f"<{q.iri}> a gk:TextEvidence ;\n"
            f"    oa:hasSource <source/seed-article> ; gk:sentenceNumber {q.sentence} ;\n"
            f"    oa:start {q.start} ; oa:end {q.end} ; oa:exact \"{exact}\"@it ;\n"
            f"    gk:sentenceSha256 \"{q.digest}\"^^xsd:hexBinary .\n"
        )
        for s, p, o in triples:
            out.append(
                f"[] a rdf:Statement ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ;\n"
                f"   prov:wasDerivedFrom <evidence/seed-article/{ident}> .\n"
            )
    return "\n".join(out)


if __name__ == "__main__":
    write_text_atomic(Path("data/seed/evidence.ttl"), main(Path(sys.argv[1])))
