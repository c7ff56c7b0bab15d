"""What a dossier says about one municipality, as frozen dataclasses (no drawing, no I/O).

:func:`graphkit.dossier.gather.gather_dossier` fills a :class:`Dossier`; the HTML and Markdown
renderers only read it. Every text is plain text (the HTML renderer escapes it).

>>> ev = Evidence(source="https://x.org/src", source_title="An article", quote="il sindaco", sentence=3)
>>> ev.citation()
'sentence 3: «il sindaco» (An article)'
>>> Evidence(source="https://x.org/d", source_title="A list", kind="dataset", detail="listed by Assisi").citation()
'A list: listed by Assisi'
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: an article (``kind="article"``: the quoted span and its sentence
    number) or a dataset (``kind="dataset"``: its title, and what it says, e.g. whose list)."""

    source: str
    source_title: str
    kind: str = "article"
    quote: str = ""
    sentence: int | None = None
    fact: str = ""
    detail: str = ""
    url: str = ""

    def citation(self) -> str:
        """One line: the quote and its sentence (articles), or the dataset and what it states."""
        if self.quote:
            where = f"sentence {self.sentence}: " if self.sentence is not None else ""
            return f"{where}«{self.quote}» ({self.source_title})"
        return f"{self.source_title}: {self.detail}" if self.detail else self.source_title


@dataclass(frozen=True)
class Name:
    """A name of the place and its language tag ('' when none)."""

    text: str
    lang: str = ""


@dataclass(frozen=True)
class Source:
    """A source document the dossier cites: title, web address, licence, file name."""

    iri: str
    title: str
    url: str = ""
    licence: str = ""
    file: str = ""
    is_article: bool = False


@dataclass(frozen=True)
class Identity:
    """Who the municipality is: names, where it is, its identifiers."""

    iri: str
    label: str
    kind: str
    country: str
    country_name: str
    areas: tuple[tuple[str, str], ...] = ()  # (label, kind), nearest first
    population: int | None = None
    qid: str = ""
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    names: tuple[Name, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()  # (property label, value): codes, heritage, ...
    sources: tuple[str, ...] = ()  # source IRIs

    @property
    def wikidata_url(self) -> str:
        return f"https://www.wikidata.org/wiki/{self.qid}" if self.qid else ""

    @property
    def geonames_url(self) -> str:
        return f"https://www.geonames.org/{self.geonames_id}" if self.geonames_id else ""


@dataclass(frozen=True)
class PlaceRef:
    """Another place named in the dossier (a partner, a place in common)."""

    iri: str
    label: str
    country: str = ""
    country_name: str = ""
    lat: float | None = None
    lon: float | None = None
    degree: int = 0
    kind: str = "municipality"


@dataclass(frozen=True)
class StatusPeriod:
    """One period of a relation's status history."""

    status: str
    start: str = ""
    end: str = ""
    reason: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Agreement:
    """A document that formalises a relation: its type, signing date, signatories."""

    iri: str
    label: str
    type_label: str = ""
    signing_date: str = ""
    signatories: tuple[str, ...] = ()
    approved_by: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class RelationEntry:
    """One relation of the municipality, with everything known about it."""

    iri: str
    label: str
    partners: tuple[PlaceRef, ...]
    types: tuple[str, ...]
    status: str = ""
    start: str = ""
    end: str = ""
    history: tuple[StatusPeriod, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    sectors: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # source IRIs
    listing: str = ""  # "listed by both sides", "listed by Assisi only", ...
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Office:
    """A post in the municipality (mayor, councillor, ...) and who holds it."""

    iri: str
    label: str
    role: str = ""
    portfolio: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Participant:
    """Who took part in a meeting, on whose behalf and in which post."""

    who: str
    on_behalf_of: str = ""
    post: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """A meeting the municipality (or someone on its behalf) took part in."""

    iri: str
    label: str
    event_type: str = ""
    date: str = ""
    held_in: str = ""
    venue: str = ""
    promoted_by: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class NetworkFigures:
    """The municipality in the network: partners, rank in its country, and what the analysis wrote back."""

    degree: int
    rank_in_country: int | None = None
    places_in_country: int = 0
    partner_countries: tuple[tuple[str, int], ...] = ()  # (country name, partners), most first
    community: int | None = None
    community_size: int | None = None
    betweenness: float | None = None
    analysed: bool = False


@dataclass(frozen=True)
class SharedPartners:
    """A place that shares partners with the municipality (a partner's partner), and which ones."""

    place: PlaceRef
    shared: tuple[str, ...]
    is_partner: bool = False


@dataclass(frozen=True)
class WikidataDifference:
    """One difference between our relations and Wikidata's P190 claims for this municipality."""

    kind: str
    other_qid: str
    other_label: str = ""
    ours: str = ""
    wikidata: str = ""
    note: str = ""

    @property
    def says(self) -> str:
        """Who says what the other does not: ``wikidata``, ``graph`` or ``both`` (dates differ)."""
        return {"missing-in-graph": "wikidata", "missing-in-wikidata": "graph"}.get(self.kind, "both")


@dataclass(frozen=True)
class MapPoint:
    """A place on the dossier's map, in map pixels."""

    label: str
    x: float
    y: float
    centre: bool = False
    label_x: float | None = None
    label_y: float | None = None
    anchor: str = "start"


@dataclass(frozen=True)
class MapCountry:
    """A country outline on the dossier's map (SVG path data in map pixels)."""

    code: str
    name: str
    d: str
    role: str = ""  # "home", "partner" or ""


@dataclass(frozen=True)
class DossierMap:
    """The dossier's map: country outlines, great-circle arcs (SVG path data), the places."""

    width: int
    height: int
    countries: tuple[MapCountry, ...] = ()
    arcs: tuple[str, ...] = ()
    points: tuple[MapPoint, ...] = ()
    off_map: tuple[str, ...] = ()  # partners without coordinates


@dataclass(frozen=True)
class Dossier:
    """Everything the dossier page shows about one municipality."""

    identity: Identity
    relations: tuple[RelationEntry, ...] = ()
    offices: tuple[Office, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    network: NetworkFigures = field(default_factory=lambda: NetworkFigures(degree=0))
    shared: tuple[SharedPartners, ...] = ()
    wikidata: tuple[WikidataDifference, ...] | None = None  # None: no comparison was run
    wikidata_note: str = ""
    map: DossierMap | None = None
    #: A closer map of the partners near the municipality, when the main map is far wider.
    nearby: DossierMap | None = None
    sources: tuple[Source, ...] = ()
    graph_description: str = ""

    @property
    def partners(self) -> tuple[PlaceRef, ...]:
        """Every partner once, by name."""
        seen: dict[str, PlaceRef] = {}
        for r in self.relations:
            for p in r.partners:
                seen.setdefault(p.iri, p)
        return tuple(sorted(seen.values(), key=lambda p: (p.label.casefold(), p.iri)))

    def source(self, iri: str) -> Source:
        """The cited source with IRI ``iri`` (a bare one when the graph does not describe it)."""
        for s in self.sources:
            if s.iri == iri:
                return s
        return Source(iri, iri.rstrip("/").rsplit("/", 1)[-1])
