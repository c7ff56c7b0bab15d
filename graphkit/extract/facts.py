"""Candidate facts (the JSON form of :mod:`graphkit.extract.model`) as RDF, modelled exactly like the
seed story (``data/seed/assisi-koya.ttl`` and ``evidence.ttl``).

Each fact is stated, and stated again as an ``rdf:Statement`` whose ``prov:wasDerivedFrom`` is its
``gk:TextEvidence`` (sentence number, offsets, quote) in the article, a ``gk:SourceDocument`` and
``prov:Entity`` with its URL, title, publication date and language. Places are the graph's own IRIs
(with their type and the graph's label, so that the file validates on its own); relations, posts,
meetings and participations get IRIs of their own under the article.

>>> from graphkit.extract.model import Evidence, PlaceRef, Relation, Extraction, Source
>>> place = "https://w3id.org/graphkit/id/place/"
>>> a = PlaceRef("Assisi", place + "Q20103", "IT", "municipality", "graph", label="Assisi", label_lang="it")
>>> k = PlaceRef("Koya", place + "Q1346907", "JP", "municipality", "graph", label="Koya", label_lang="it")
>>> ev = Evidence(2, 10, 40, "protocollo d'intesa con Koya nel 2009")
>>> rel = Relation("r1", (a, k), "memorandum-of-understanding", ev, status="active", date="2009")
>>> ex = Extraction(Source("a.txt", "it", "Titolo"), relations=(rel,)).to_dict()
>>> g = article_graph(ex, "a")
>>> from graphkit.rdf.namespaces import GK, RELTYPE
>>> sorted(str(o) for o in g.objects(None, GK.signingDate))
['2009']
>>> (None, GK.relationType, RELTYPE["memorandum-of-understanding"]) in g
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, XSD

from graphkit.errors import InputError
from graphkit.rdf.namespaces import (
    EVENTTYPE,
    GK,
    HERITAGE,
    ID,
    OA,
    PREFIXES,
    RELSTATUS,
    RELTYPE,
    ROLE,
    SCHEMA,
    SECTOR,
    TOPIC,
    WGS84,
    slugify,
)

KINDS = ("relations", "offices", "meetings", "participations", "designations")
_PLACE_CLASS = {"municipality": GK.Municipality, "admin": GK.AdministrativeArea, "country": GK.Country}
_ORG_CLASS = {"embassy": GK.Embassy, "cultural-institute": GK.CulturalInstitute, "public-body": GK.PublicBody}
#: Statuses after which the parties are partners (gk:partnerOf).
_PARTNERED = {"signed", "active", "renewed"}
#: Statuses with a signed agreement.
_AGREED = {"signed", "active", "renewed"}


class _Writer:
    """Adds facts with their evidence to one graph (one article)."""

    def __init__(self, article: str, source: Mapping[str, Any]) -> None:
        self.g = Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.article = article
        self.lang = str(source.get("language") or "")
        self.source = ID[f"source/article/{article}"]
        self._statements = 0
        self._source(source)

    def _source(self, s: Mapping[str, Any]) -> None:
        g, src = self.g, self.source
        for t in (GK.SourceDocument, PROV.Entity, SCHEMA.NewsArticle):
            g.add((src, RDF.type, t))
        g.add((src, DCTERMS.title, Literal(str(s.get("title") or self.article), lang=self.lang or None)))
        if self.lang:
            g.add((src, DCTERMS.language, Literal(self.lang)))
        if s.get("file") and s["file"] != "-":
            g.add((src, GK.fileName, Literal(str(s["file"]).rsplit("/", 1)[-1])))
        if s.get("url"):
            g.add((src, SCHEMA.url, URIRef(str(s["url"]))))
        if s.get("published"):
            g.add((src, SCHEMA.datePublished, date_literal(str(s["published"]))))

    def evidence(self, fact_id: str, ev: Mapping[str, Any], part: str = "") -> URIRef:
        node = ID[f"evidence/{self.article}/{fact_id}{'-' + slugify(part) if part else ''}"]
        g = self.g
        g.add((node, RDF.type, GK.TextEvidence))
        g.add((node, OA.hasSource, self.source))
        g.add((node, GK.sentenceNumber, Literal(int(ev["sentence"]))))
        g.add((node, OA.start, Literal(int(ev["start"]))))
        g.add((node, OA.end, Literal(int(ev["end"]))))
        g.add((node, OA.exact, Literal(str(ev["quote"])[:120], lang=self.lang or None)))
        if ev.get("sentence_sha256"):
            g.add((node, GK.sentenceSha256, Literal(str(ev["sentence_sha256"]), datatype=XSD.hexBinary)))
        return node

    def fact(self, s: URIRef, p: URIRef, o: URIRef | Literal, evidence: URIRef) -> None:
        """The triple, and an rdf:Statement about it derived from ``evidence``."""
        self.g.add((s, p, o))
        self._statements += 1
        st = BNode(f"{self.article}-st{self._statements}")
        for pred, obj in (
            (RDF.type, RDF.Statement),
            (RDF.subject, s),
            (RDF.predicate, p),
            (RDF.object, o),
            (PROV.wasDerivedFrom, evidence),
        ):
            self.g.add((st, pred, obj))

    def derived(self, node: URIRef) -> None:
        self.g.add((node, PROV.wasDerivedFrom, self.source))

    def place(self, p: Mapping[str, Any] | None, *, body: bool = False) -> URIRef | None:
        """A place's IRI, declared with its type and label (None when unresolved)."""
        if not p or not p.get("iri"):
            return None
        iri = URIRef(str(p["iri"]))
        kind = str(p.get("kind") or "municipality")
        self.g.add((iri, RDF.type, _PLACE_CLASS.get(kind, GK.Municipality)))
        if body and kind != "municipality":
            self.g.add((iri, RDF.type, GK.PublicBody))
        if kind == "country" and p.get("country"):
            self.g.add((iri, GK.countryCode, Literal(str(p["country"]))))
        if p.get("country_node") and kind != "country":
            c_iri, c_label, c_lang = p["country_node"]
            country = self.place(
                {"iri": c_iri, "kind": "country", "country": p.get("country"), "label": c_label, "label_lang": c_lang}
            )
            if country is not None:
                self.g.add((iri, GK.country, country))
        label = p.get("label") or p.get("name")
        lang = p.get("label_lang") if p.get("label") else self.lang
        self.g.add((iri, RDFS.label, Literal(str(label), lang=lang or None)))
        if p.get("via") == "gazetteer":
            self.derived(iri)
            if p.get("lat") is not None:
                self.g.add((iri, WGS84.lat, Literal(f"{float(p['lat']):.5f}", datatype=XSD.decimal)))
                self.g.add((iri, WGS84.long, Literal(f"{float(p['lon']):.5f}", datatype=XSD.decimal)))
        return iri

    def organisation(self, o: Mapping[str, Any] | None) -> URIRef | None:
        if not o or not o.get("name"):
            return None
        iri = ID[f"org/{slugify(str(o['name']))}"]
        g = self.g
        kind = str(o.get("kind") or "public-body")
        g.add((iri, RDF.type, _ORG_CLASS.get(kind, SCHEMA.Place)))
        g.add((iri, RDFS.label, Literal(str(o["name"]), lang=self.lang or None)))
        self.derived(iri)
        country = self.place(o.get("country"))
        if country is not None:
            g.add((iri, GK.representsCountry, country))
            if kind == "embassy":
                g.add((iri, GK.country, country))
        accredited = self.place(o.get("accredited_to"))
        if accredited is not None and kind == "embassy":
            g.add((iri, GK.accreditedTo, accredited))
        town = self.place(o.get("located_in"))
        if town is not None:
            g.add((iri, GK.locatedIn, town))
        return iri


def article_graph(extraction: Mapping[str, Any], article: str, *, strict: bool = True) -> Graph:
    """The RDF of an extraction's facts. ``strict``: a fact that cannot be stated (a party or body
    with no IRI) is an InputError; otherwise it is left out (a preview of everything resolvable)."""
    w = _Writer(article, extraction.get("source", {}))

    def chosen(kind: str) -> list[Mapping[str, Any]]:
        facts = list(extraction.get(kind, []))
        return facts if strict else [f for f in facts if _resolvable(f)]

    for r in chosen("relations"):
        _relation(w, r)
    for o in chosen("offices"):
        _office(w, o)
    meetings = {m["id"]: _meeting(w, m) for m in chosen("meetings")}
    for p in chosen("participations"):
        if p["meeting"] not in meetings:
            raise InputError(
                f"participation {p['id']} is in meeting {p['meeting']}, which is not accepted; "
                f"accept it too or reject {p['id']}"
            )
        _participation(w, p, meetings[p["meeting"]])
    for d in chosen("designations"):
        place = w.place(d.get("place_detail"))
        if place is not None:
            w.fact(place, GK.heritageDesignation, HERITAGE[d["designation"]], w.evidence(d["id"], d["evidence"]))
    return w.g


def _resolvable(f: Mapping[str, Any]) -> bool:
    places = list(f.get("places", [])) + [f[k] for k in ("body_place",) if k in f and f.get("kind") != "group"]
    if "office_detail" in f and f["office_detail"]:
        places.append(f["office_detail"].get("body_place"))
    if (
        "role_name" in f
        and f.get("role_name") in {"ambassador", "consul"}
        and (f.get("organisation") or {}).get("country")
    ):
        return bool(f["organisation"]["country"].get("iri"))
    return all(p and p.get("iri") for p in places)


def date_literal(value: str) -> Literal:
    """``2009`` → xsd:gYear, ``2009-05`` → xsd:gYearMonth, ``2009-05-03`` → xsd:date."""
    kinds = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
    if len(value) not in kinds:
        raise InputError(f"not a date: {value!r}; use YYYY, YYYY-MM or YYYY-MM-DD")
    return Literal(value, datatype=kinds[len(value)])


def _key(iri: URIRef) -> str:
    return slugify(str(iri).split("/place/", 1)[-1])


def _parties(w: _Writer, r: Mapping[str, Any]) -> list[URIRef]:
    for p in r.get("places", []):
        if not p.get("iri"):
            raise InputError(
                f"relation {r['id']}: party {p.get('name')!r} is unresolved; "
                "give its IRI in party_iris or reject the row"
            )
    return [iri for iri in (w.place(p) for p in r.get("places", [])) if iri is not None]


def _relation(w: _Writer, r: Mapping[str, Any]) -> None:
    parties = _parties(w, r)
    keys = sorted(_key(p) for p in parties)
    rtype, status, date = str(r["type"]), r.get("status"), r.get("date")
    rel = ID[f"relation/article/{w.article}/{'--'.join(keys)}/{rtype}"]
    ev = w.evidence(r["id"], r["evidence"])
    tev = w.evidence(r["id"], r["type_evidence"], "type") if r.get("type_evidence") else ev
    g = w.g
    g.add((rel, RDF.type, GK.MunicipalRelation))
    names = " – ".join(str(p.get("label") or p.get("name")) for p in r.get("places", []))
    g.add((rel, RDFS.label, Literal(f"{names} ({rtype.replace('-', ' ')})", lang="en")))
    w.derived(rel)
    for p in parties:
        w.fact(rel, GK.party, p, ev)
    w.fact(rel, GK.relationType, RELTYPE[rtype], tev)
    for s in r.get("sectors", []):
        w.fact(rel, GK.sector, SECTOR[s], tev)
    if status:
        w.fact(rel, GK.status, RELSTATUS[status], tev)
        period = URIRef(f"{rel}/status/{status}{'-' + date if date else ''}")
        g.add((rel, GK.statusPeriod, period))
        g.add((period, RDF.type, GK.StatusPeriod))
        w.fact(period, GK.statusValue, RELSTATUS[status], tev)
        if date and status in _AGREED:
            g.add((period, GK.startDate, date_literal(str(date))))
        w.derived(period)
    renews = r.get("renewal_of") if status == "renewed" else None
    start = renews or (date if status in _AGREED else None)
    if start:
        w.fact(rel, GK.startDate, date_literal(str(start)), tev)
    if status in _AGREED and rtype != "partnership":
        original = renews if status == "renewed" else date
        agreement = _agreement(w, r, rel, parties, original, tev)
        w.fact(rel, GK.formalisedBy, agreement, tev)
        if status == "renewed":
            renewal = _agreement(w, r, rel, parties, date, tev, suffix="renewal")
            w.fact(rel, GK.formalisedBy, renewal, tev)
            w.fact(renewal, PROV.wasRevisionOf, agreement, tev)
    if status in _PARTNERED and len(parties) == 2:
        a, b = parties
        w.fact(a, GK.partnerOf, b, ev)
        w.fact(b, GK.partnerOf, a, ev)


def _agreement(
    w: _Writer, r: Mapping[str, Any], rel: URIRef, parties: list[URIRef], date: Any, ev: URIRef, suffix: str = ""
) -> URIRef:
    node = URIRef(
        f"{rel.replace('/relation/', '/agreement/')}{'/' + str(date) if date else ''}{'/' + suffix if suffix else ''}"
    )
    w.g.add((node, RDF.type, GK.Agreement))
    w.g.add(
        (node, RDFS.label, Literal(f"{r['type'].replace('-', ' ')}{' (' + str(date) + ')' if date else ''}", lang="en"))
    )
    w.derived(node)
    w.fact(node, GK.agreementType, RELTYPE[str(r["type"])], ev)
    for p in parties:
        w.fact(node, GK.party, p, ev)
    if date:
        w.fact(node, GK.signingDate, date_literal(str(date)), ev)
    return node


def _office(w: _Writer, o: Mapping[str, Any], ev: URIRef | None = None) -> tuple[URIRef, URIRef, URIRef]:
    """Person, post and body of an office; the post is ``role`` in ``body``."""
    ev = ev or w.evidence(o["id"], o["evidence"])
    body = _body(w, o)
    person = ID[f"person/{slugify(str(o['person']))}"]
    role = str(o.get("role_name") or str(o["role"]).rsplit("/", 1)[-1])
    portfolio = o.get("portfolio")
    post = ID[f"post/{slugify(str(body).rsplit('/', 1)[-1])}-{role}{'-' + portfolio if portfolio else ''}"]
    g = w.g
    g.add((person, RDF.type, FOAF.Person))
    g.add((person, FOAF.name, Literal(str(o["person"]))))
    g.add((person, RDFS.label, Literal(str(o["person"]))))
    w.derived(person)
    g.add((post, RDF.type, ORG.Post))
    body_name = (o.get("body_place") or {}).get("label") or o.get("body") or ""
    g.add(
        (
            post,
            RDFS.label,
            Literal(f"{role.replace('-', ' ')}{' (' + portfolio + ')' if portfolio else ''} of {body_name}", lang="en"),
        )
    )
    w.derived(post)
    w.fact(person, ORG.holds, post, ev)
    w.fact(post, ORG.heldBy, person, ev)
    w.fact(post, ORG.role, ROLE[role], ev)
    w.fact(post, ORG.postIn, body, ev)
    if portfolio:
        w.fact(post, GK.portfolio, SECTOR[str(portfolio)], ev)
    return person, post, body


def _body(w: _Writer, o: Mapping[str, Any]) -> URIRef:
    if o.get("organisation"):
        org = w.organisation(o["organisation"])
        if org is not None and (o["organisation"].get("country") or {}).get("iri"):
            return org
    body = w.place(o.get("body_place"), body=True)
    if body is None:
        raise InputError(
            f"{o['id']}: the body of {o.get('person')!r} is unresolved; give its IRI in body_iri or reject the row"
        )
    return body


def _meeting(w: _Writer, m: Mapping[str, Any]) -> URIRef:
    event = ID[f"event/article/{w.article}/{m['id']}"]
    g = w.g
    ev = w.evidence(m["id"], m["evidence"])
    extra = {k: w.evidence(m["id"], v, k) for k, v in (m.get("evidence_of") or {}).items()}
    g.add((event, RDF.type, GK.Meeting))
    g.add((event, RDFS.label, Literal(str(m["what"]), lang=w.lang or None)))
    w.derived(event)
    w.fact(event, GK.eventType, EVENTTYPE[str(m["type"])], ev)
    city = w.place(m.get("city_place"))
    if city is not None:
        w.fact(event, GK.heldIn, city, extra.get("city", ev))
    venue = w.organisation(m.get("venue_detail"))
    if venue is not None:
        w.fact(event, GK.venue, venue, extra.get("venue", ev))
    promoter = m.get("promoter_detail")
    if promoter:
        node = (
            w.place(promoter.get("place"), body=True) if promoter.get("kind") == "place" else w.organisation(promoter)
        )
        if node is not None:
            if promoter.get("kind") not in _ORG_CLASS and promoter.get("kind") != "place":
                g.add((node, RDF.type, GK.PublicBody))
            w.fact(event, GK.promotedBy, node, extra.get("promoter", ev))
    if m.get("date"):
        w.fact(event, SCHEMA.startDate, date_literal(str(m["date"])), extra.get("date", ev))
    for t in m.get("topics", []):
        w.fact(event, GK.topic, TOPIC[t], extra.get(f"topic:{t}", ev))
    for s in m.get("sectors", []):
        w.fact(event, GK.sector, SECTOR[s], extra.get(f"sector:{s}", ev))
    return event


def _participation(w: _Writer, p: Mapping[str, Any], event: URIRef) -> None:
    node = ID[f"participation/article/{w.article}/{p['id']}"]
    g = w.g
    ev = w.evidence(p["id"], p["evidence"])
    g.add((node, RDF.type, GK.Participation))
    w.derived(node)
    w.fact(node, GK.inEvent, event, ev)
    kind = p.get("kind")
    if kind == "person":
        detail = p.get("office_detail")
        if detail:
            person, post, body = _office(w, detail, ev)
            w.fact(node, GK.inPost, post, ev)
            w.fact(node, GK.onBehalfOf, body, ev)
        else:
            person = ID[f"person/{slugify(str(p['participant']))}"]
            g.add((person, RDF.type, FOAF.Person))
            g.add((person, FOAF.name, Literal(str(p["participant"]))))
            body_iri = w.place(p.get("body_place"), body=True)
            if body_iri is not None:
                w.fact(node, GK.onBehalfOf, body_iri, ev)
        w.fact(node, GK.participant, person, ev)
    elif kind == "group":
        group = ID[f"group/article/{w.article}/{p['id']}"]
        g.add((group, RDF.type, GK.ParticipantGroup))
        g.add((group, RDFS.label, Literal(str(p["participant"]), lang=w.lang or None)))
        w.derived(group)
        w.fact(node, GK.participant, group, ev)
    else:
        place = w.place(p.get("body_place"), body=True)
        if place is None:
            raise InputError(
                f"participation {p['id']}: {p.get('participant')!r} is unresolved; "
                "give its IRI in body_iri or reject the row"
            )
        w.fact(node, GK.participant, place, ev)
