"""What the extractor proposes: candidate facts, each with the sentence that states it.

Plain frozen dataclasses; :meth:`Extraction.to_dict` gives the JSON shape of ``graphkit extract``.

>>> ev = Evidence(sentence=8, start=1260, end=1313, quote="protocollo d'intesa siglato nel 2009")
>>> ev.to_dict()["sentence"]
8
>>> PlaceRef("Koya", "https://w3id.org/graphkit/id/place/Q1346907", country="JP", via="graph").resolved
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphkit.places.gazetteer import normalise_name

#: How a place name was resolved: from the graph's labels, from the gazetteer, or not at all.
VIA_GRAPH = "graph"
VIA_GAZETTEER = "gazetteer"


@dataclass(frozen=True)
class Evidence:
    """Where a fact is stated: 1-based sentence number, character span (end exclusive), short quote."""

    sentence: int
    start: int
    end: int
    quote: str
    sentence_sha256: str | None = None  # digest of the whole sentence (graphkit.text.evidence)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"sentence": self.sentence, "start": self.start, "end": self.end, "quote": self.quote}
        if self.sentence_sha256:
            d["sentence_sha256"] = self.sentence_sha256
        return d


@dataclass(frozen=True)
class PlaceRef:
    """A place as the text names it, and what it was resolved to (``iri`` None: unresolved).

    ``kind`` is municipality, admin, country or embassy (a country's mission, for diplomats);
    ``candidates`` counts the places the name could be when it stayed unresolved.
    """

    name: str
    iri: str | None = None
    country: str | None = None
    kind: str | None = None
    via: str | None = None
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    candidates: int = 0
    label: str | None = None  # the graph's own rdfs:label (or the gazetteer's name)
    label_lang: str | None = None
    country_node: tuple[str, str, str] | None = None  # the graph's country: IRI, label, label language

    @property
    def resolved(self) -> bool:
        return self.iri is not None

    @property
    def key(self) -> str:
        """What makes two references the same place: the IRI, else the normalised name."""
        return self.iri or normalise_name(self.name)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "iri": self.iri, "resolved": self.resolved, "country": self.country}
        if self.kind:
            d["kind"] = self.kind
        if self.label:
            d.update(label=self.label, label_lang=self.label_lang or "")
        if self.country_node:
            d["country_node"] = list(self.country_node)
        if self.via:
            d["via"] = self.via
        if self.geonames_id is not None:
            d.update(geonames_id=self.geonames_id, lat=self.lat, lon=self.lon)
        if not self.resolved:
            d["candidates"] = self.candidates
        return d


@dataclass(frozen=True)
class Organisation:
    """A body named in the text that is not a place: an embassy, an institute, a hall."""

    name: str
    kind: str
    country: PlaceRef | None = None
    located_in: PlaceRef | None = None
    accredited_to: PlaceRef | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "country": self.country.to_dict() if self.country else None,
            "located_in": self.located_in.to_dict() if self.located_in else None,
            "accredited_to": self.accredited_to.to_dict() if self.accredited_to else None,
        }


@dataclass(frozen=True)
class Relation:
    """A relation between places, its type, date and status (concept names of ontology/vocab.ttl)."""

    id: str
    parties: tuple[PlaceRef, ...]
    type: str
    evidence: Evidence
    status: str | None = None
    date: str | None = None  # ISO: "2009", "2009-05" or "2009-05-03"
    renewal_of: str | None = None  # date of the earlier agreement a renewal renews
    sectors: tuple[str, ...] = ()
    type_evidence: Evidence | None = None

    @property
    def year(self) -> int | None:
        """The year it was signed or started: a renewal's relation started with the agreement it renews."""
        if self.status == "renewed" and self.renewal_of:
            return int(self.renewal_of[:4])
        return int(self.date[:4]) if self.date else None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "parties": [p.name for p in self.parties],
            "party_iris": [p.iri for p in self.parties],
            "type": self.type,
            "year": self.year,
            "date": self.date,
            "status": self.status,
            "evidence": self.evidence.to_dict(),
            "places": [p.to_dict() for p in self.parties],
        }
        if self.renewal_of:
            d["renewal_of"] = self.renewal_of
        if self.sectors:
            d["sectors"] = list(self.sectors)
        if self.type_evidence:
            d["type_evidence"] = self.type_evidence.to_dict()
        return d


@dataclass(frozen=True)
class Office:
    """A person holding an office for a body: "il sindaco di Assisi Valter Stoppini"."""

    id: str
    person: str
    office: str  # the words of the text's language ("sindaco", "assessore")
    role: str  # office-role concept name ("mayor")
    evidence: Evidence
    body: PlaceRef | None = None
    organisation: Organisation | None = None  # the mission a diplomat heads
    portfolio: str | None = None  # sector concept name ("tourism")
    portfolio_words: str | None = None

    def to_dict(self, role_iri: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "person": self.person,
            "office": self.office + (f" {self.portfolio_words}" if self.portfolio_words else ""),
            "role": role_iri,
            "role_name": self.role,
            "portfolio": self.portfolio,
            "body": self.body.name if self.body else None,
            "body_iri": self.body.iri if self.body else None,
            "body_place": self.body.to_dict() if self.body else None,
            "organisation": self.organisation.to_dict() if self.organisation else None,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True)
class Meeting:
    """An event: what, its type, venue, city, date, promoter, topics and sectors."""

    id: str
    what: str
    type: str
    evidence: Evidence
    venue: Organisation | None = None
    city: PlaceRef | None = None
    date: str | None = None
    promoter: Organisation | PlaceRef | None = None
    topics: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    extra_evidence: dict[str, Evidence] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        promoter: Any = None
        if isinstance(self.promoter, Organisation):
            promoter = self.promoter.to_dict()
        elif isinstance(self.promoter, PlaceRef):
            promoter = {"name": self.promoter.name, "kind": "place", "place": self.promoter.to_dict()}
        return {
            "id": self.id,
            "what": self.what,
            "type": self.type,
            "venue": self.venue.name if self.venue else None,
            "venue_detail": self.venue.to_dict() if self.venue else None,
            "city": self.city.name if self.city else None,
            "city_place": self.city.to_dict() if self.city else None,
            "city_iri": self.city.iri if self.city else None,
            "date": self.date,
            "promoter": promoter["name"] if promoter else None,
            "promoter_detail": promoter,
            "topics": list(self.topics),
            "sectors": list(self.sectors),
            "evidence": self.evidence.to_dict(),
            "evidence_of": {k: v.to_dict() for k, v in sorted(self.extra_evidence.items())},
        }


@dataclass(frozen=True)
class Participation:
    """Who took part in a meeting (a person, a body or an unnamed group), for which body, in which office."""

    id: str
    meeting: str  # Meeting.id
    participant: str
    kind: str  # person, body or group
    evidence: Evidence
    body: PlaceRef | None = None
    office: str | None = None  # Office.id of the person's office, when the text gives one
    office_detail: Office | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "meeting": self.meeting,
            "participant": self.participant,
            "kind": self.kind,
            "body": self.body.name if self.body else None,
            "body_iri": self.body.iri if self.body else None,
            "body_place": self.body.to_dict() if self.body else None,
            "office": self.office,
            "office_detail": self.office_detail.to_dict(_role_iri(self.office_detail.role))
            if self.office_detail
            else None,
            "evidence": self.evidence.to_dict(),
        }


def _role_iri(role: str) -> str:
    from graphkit.rdf.namespaces import ROLE

    return str(ROLE[role])


@dataclass(frozen=True)
class Designation:
    """A heritage designation stated of a place ("riconosciuta patrimonio mondiale UNESCO")."""

    id: str
    place: PlaceRef
    concept: str
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "place": self.place.name,
            "place_iri": self.place.iri,
            "designation": self.concept,
            "place_detail": self.place.to_dict(),
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True)
class Source:
    """The article: file name (``-`` for standard input), URL, title, publication date, language."""

    file: str
    language: str
    title: str
    url: str | None = None
    published: str | None = None
    sentences: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "language": self.language,
            "sentences": self.sentences,
        }


@dataclass(frozen=True)
class Extraction:
    """Everything proposed for one article."""

    source: Source
    relations: tuple[Relation, ...] = ()
    offices: tuple[Office, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    participations: tuple[Participation, ...] = ()
    designations: tuple[Designation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.to_dict(),
            "relations": [r.to_dict() for r in self.relations],
            "offices": [o.to_dict(_role_iri(o.role)) for o in self.offices],
            "meetings": [m.to_dict() for m in self.meetings],
            "participations": [p.to_dict() for p in self.participations],
            "designations": [d.to_dict() for d in self.designations],
        }
