"""Prefixes, vocabularies and the minting of stable IRIs. The only module with IRI strings.

``GK`` is the graphkit ontology (``ontology/graphkit.ttl``); a misspelt term raises instead of
minting a wrong IRI (a test checks that the list below matches the ontology file). Concept schemes
and resources have their own namespaces.

>>> GK.Municipality
rdflib.term.URIRef('https://w3id.org/graphkit/ontology#Municipality')
>>> place_iri(qid="Q20103")
rdflib.term.URIRef('https://w3id.org/graphkit/id/place/Q20103')
>>> place_iri(country="JP", name="Kōya-chō")
rdflib.term.URIRef('https://w3id.org/graphkit/id/place/jp/koya-cho')
>>> slugify("Saint-Étienne (Loire)")
'saint-etienne-loire'
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace

from graphkit.errors import InputError

BASE = "https://w3id.org/graphkit/"


class GK(DefinedNamespace):
    """The graphkit ontology, ``gk:``."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    admin1Code: URIRef
    geonamesId: URIRef
    displayLabel: URIRef
    AdministrativeArea: URIRef
    Agreement: URIRef
    Country: URIRef
    CulturalInstitute: URIRef
    District: URIRef
    Embassy: URIRef
    Meeting: URIRef
    MunicipalRelation: URIRef
    Municipality: URIRef
    ParticipantGroup: URIRef
    Participation: URIRef
    Place: URIRef
    Prefecture: URIRef
    Province: URIRef
    PublicBody: URIRef
    Region: URIRef
    SourceDocument: URIRef
    StatusPeriod: URIRef
    TextEvidence: URIRef
    WikidataDiscrepancy: URIRef
    accreditedTo: URIRef
    agreementType: URIRef
    approvedBy: URIRef
    betweenness: URIRef
    concernsRelation: URIRef
    country: URIRef
    community: URIRef
    countryCode: URIRef
    discrepancyKind: URIRef
    degree: URIRef
    endDate: URIRef
    eventType: URIRef
    fileName: URIRef
    formalisedBy: URIRef
    heldIn: URIRef
    heritageDesignation: URIRef
    inEvent: URIRef
    inPost: URIRef
    istatCode: URIRef
    japaneseLocalGovernmentCode: URIRef
    listedBy: URIRef
    sourceRecord: URIRef
    locatedIn: URIRef
    matchMethod: URIRef
    matchScore: URIRef
    onBehalfOf: URIRef
    ourValue: URIRef
    participant: URIRef
    partnerOf: URIRef
    party: URIRef
    population: URIRef
    populationSource: URIRef
    populationYear: URIRef
    portfolio: URIRef
    promotedBy: URIRef
    relationType: URIRef
    representsCountry: URIRef
    retrieved: URIRef
    sector: URIRef
    sentenceNumber: URIRef
    sentenceSha256: URIRef
    signatory: URIRef
    signingDate: URIRef
    startDate: URIRef
    status: URIRef
    statusPeriod: URIRef
    statusReason: URIRef
    statusValue: URIRef
    topic: URIRef
    venue: URIRef
    wikidata: URIRef
    wikidataObject: URIRef
    wikidataSubject: URIRef
    wikidataValue: URIRef


ONTOLOGY_IRI = URIRef(BASE + "ontology")
VOCAB = Namespace(BASE + "vocab/")
RELTYPE = Namespace(BASE + "vocab/relation-type/")
RELSTATUS = Namespace(BASE + "vocab/relation-status/")
SECTOR = Namespace(BASE + "vocab/sector/")
ROLE = Namespace(BASE + "vocab/office-role/")
EVENTTYPE = Namespace(BASE + "vocab/event-type/")
TOPIC = Namespace(BASE + "vocab/topic/")
HERITAGE = Namespace(BASE + "vocab/heritage/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
WGS84 = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
#: Wikidata's statement model (full statements, their values and qualifiers) and GeoSPARQL, for the
#: queries graphkit.wikidata sends to the Query Service (which predeclares them; other servers do not).
WIKIDATA_PREFIXES: dict[str, str] = {
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/",
    "pq": "http://www.wikidata.org/prop/qualifier/",
    "pqv": "http://www.wikidata.org/prop/qualifier/value/",
    "wikibase": "http://wikiba.se/ontology#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "http://schema.org/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
WIKIDATA_ITEM_PAGE = Namespace("https://www.wikidata.org/wiki/")
SH = Namespace("http://www.w3.org/ns/shacl#")
#: Licences of the shipped source datasets (dct:license values), by SPDX id.
LICENSES: dict[str, URIRef] = {
    "CC0-1.0": URIRef("https://creativecommons.org/publicdomain/zero/1.0/"),
    "CC-BY-SA-4.0": URIRef("https://creativecommons.org/licenses/by-sa/4.0/"),
    "ODbL-1.0": URIRef("https://opendatacommons.org/licenses/odbl/1-0/"),
    "MIT": URIRef("https://spdx.org/licenses/MIT.html"),
    "CC-BY-4.0": URIRef("https://creativecommons.org/licenses/by/4.0/"),
}

PREFIXES: dict[str, str] = {
    "gk": str(GK._NS),
    "gkv": str(VOCAB),
    "reltype": str(RELTYPE),
    "relstatus": str(RELSTATUS),
    "sector": str(SECTOR),
    "role": str(ROLE),
    "eventtype": str(EVENTTYPE),
    "topic": str(TOPIC),
    "heritage": str(HERITAGE),
    "gkid": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "org": str(ORG),
    "prov": str(PROV),
    "time": str(TIME),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "wgs84": str(WGS84),
    "oa": str(OA),
    "wd": str(WD),
    "wdt": str(WDT),
}

_QID = re.compile(r"^Q[1-9][0-9]*$")
# Latin letters that Unicode does not decompose into a base letter + accent.
_NON_DECOMPOSING = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
    }
)


def sparql_prefixes() -> str:
    """The ``PREFIX`` lines for every prefix above, for prepending to query text.

    >>> sparql_prefixes().splitlines()[0]
    'PREFIX gk: <https://w3id.org/graphkit/ontology#>'
    """
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"


def slugify(text: str) -> str:
    """Lower-case ASCII slug of a name: diacritics dropped, runs of other characters become ``-``.

    Non-Latin names keep their characters rather than vanish (``高野町`` stays ``高野町``).

    >>> slugify("Ploiești"), slugify("Ploieşti"), slugify("  São  Paulo! ")
    ('ploiesti', 'ploiesti', 'sao-paulo')
    >>> slugify("高野町"), slugify("Łódź"), slugify("Straße")
    ('高野町', 'lodz', 'strasse')
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_NON_DECOMPOSING))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_part = stripped.encode("ascii", "ignore").decode()
    base = ascii_part if re.search(r"[A-Za-z0-9]", ascii_part) else unicodedata.normalize("NFC", text)
    slug = re.sub(r"[^\w]+", "-", base.lower(), flags=re.UNICODE).strip("-_")
    if not slug:
        raise InputError(f"cannot make an identifier from {text!r}")
    return slug


def is_qid(value: str) -> bool:
    """True for a Wikidata item id such as ``Q20103``.

    >>> is_qid("Q20103"), is_qid("Q0"), is_qid("20103")
    (True, False, False)
    """
    return bool(_QID.match(value))


def place_iri(*, qid: str | None = None, country: str | None = None, name: str | None = None) -> URIRef:
    """The IRI of a place: from its Wikidata QID when known, else from country code and name."""
    if qid:
        if not is_qid(qid):
            raise InputError(f"not a Wikidata QID: {qid!r}")
        return ID[f"place/{qid}"]
    if not (country and name):
        raise InputError("a place needs a QID, or a country code and a name")
    return ID[f"place/{country.lower()}/{slugify(name)}"]


def wikidata_iri(qid: str) -> URIRef:
    """``wd:`` IRI of a QID.

    >>> wikidata_iri("Q38")
    rdflib.term.URIRef('http://www.wikidata.org/entity/Q38')
    """
    if not is_qid(qid):
        raise InputError(f"not a Wikidata QID: {qid!r}")
    return WD[qid]


def graph_iri(name: str) -> URIRef:
    """IRI of a named graph, one per source file or dataset. ``name`` may be any file path: what an
    IRI cannot hold (spaces, ``<>"{}|\\^```, ``%``, ``#``, ``?``, control characters) is percent-encoded.

    >>> graph_iri("seed/assisi-koya.ttl")
    rdflib.term.URIRef('https://w3id.org/graphkit/graph/seed/assisi-koya.ttl')
    >>> graph_iri("seed/my file <1>.ttl")
    rdflib.term.URIRef('https://w3id.org/graphkit/graph/seed/my%20file%20%3C1%3E.ttl')
    """
    return GRAPH[iri_path(name)]


_IRI_PATH_SAFE = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/]")


def iri_path(text: str) -> str:
    """``text`` as the path part of an IRI: ASCII letters, digits, ``-._~!$&'()*+,;=:@/`` and
    printable non-ASCII letters kept, every other character percent-encoded (UTF-8).

    >>> iri_path("Kōya/a b#c%.ttl")
    'Kōya/a%20b%23c%25.ttl'
    """
    out = []
    for c in text:
        if _IRI_PATH_SAFE.match(c) or (ord(c) > 0x9F and unicodedata.category(c)[0] in "LMNPS" and c.isprintable()):
            out.append(c)
        else:
            out.extend(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
    return "".join(out)


def expand(curie: str) -> URIRef:
    """Expand a prefixed name such as ``gk:Municipality`` with the prefixes above.

    >>> expand("reltype:twinning")
    rdflib.term.URIRef('https://w3id.org/graphkit/vocab/relation-type/twinning')
    """
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        raise InputError(f"unknown prefix in {curie!r}; known: {', '.join(PREFIXES)}")
    return URIRef(PREFIXES[prefix] + local)


def curie(iri: URIRef) -> str:
    """``gk:party`` for a full IRI whose namespace has a known prefix, else ``<iri>``.

    >>> curie(URIRef("https://w3id.org/graphkit/ontology#party"))
    'gk:party'
    """
    s = str(iri)
    best = max(((p, ns) for p, ns in PREFIXES.items() if s.startswith(ns)), key=lambda x: len(x[1]), default=None)
    if best is None and s.startswith(str(SH)):
        return "sh:" + s[len(str(SH)) :]
    return f"{best[0]}:{s[len(best[1]) :]}" if best else f"<{s}>"
