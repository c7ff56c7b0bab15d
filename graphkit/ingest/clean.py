"""The cleaning rules: each a small named function, each counted in the quality report.

Rules on names: :func:`normalize_unicode`, :func:`strip_wiki_markup`, :func:`split_disambiguator`,
:func:`classify_kind`, :func:`choose_label` (diacritic variants); on countries:
:func:`resolve_country`, :func:`country_from_name`, :func:`learn_country_names`; on coordinates:
:func:`coordinates_contradict`.

>>> normalize_unicode("Ploies\\u0327ti") == "Ploieşti"
True
>>> strip_wiki_markup("Chambly (Oise){{!}}Chambly")
'Chambly (Oise)'
>>> split_disambiguator("Shibuya (Tokyo)")
('Shibuya', 'Tokyo')
>>> classify_kind("Wesel", "district"), classify_kind("Präfektur Tokio", ""), classify_kind("Assisi", "")
('district', 'prefecture', 'municipality')
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphkit.ingest.countries import CountryTable, fold

#: Kinds of place, and the class each becomes (gk:Municipality or an gk:AdministrativeArea subclass).
KINDS: tuple[str, ...] = ("municipality", "district", "province", "region", "prefecture", "area")

_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("prefecture", r"prefecture|präfektur|prefettura|préfecture|prefektur"),
    (
        "province",
        r"province|provinz|provincia|provincie|oblast|voivodeship|voivodship|województwo|woiwodschaft|"
        r"governorate|gouvernorat|città metropolitana|metropolitan city of",
    ),
    (
        "region",
        r"region|regione|région|región|bundesland|autonomous community|comunidad autónoma|"
        r"autonome gemeinschaft|krai|kraj|fylke|län",
    ),
    (
        "district",
        r"district|distrikt|distretto|landkreis|kreis|county|bezirk|raion|rayon|rajon|powiat|okres|comarca|"
        r"arrondissement|intercommunality|ward|borough of|municipal district|regional unit|départements?|"
        r"department|departamento|circondario|shire of|kistérség|kleingebiet|járás|megye|verwaltungsamt|"
        r"județ|judetul|județul|županija|gespanschaft|maakond|apskritis",
    ),
)
_KIND_RES = tuple((k, re.compile(rf"(?<![\w-])(?:{w})(?![\w])", re.IGNORECASE)) for k, w in _KIND_WORDS)
#: German compounds naming a district: "Westerwaldkreis", "Lahn-Dill-Kreis", "Verwaltungsbezirk" — but not
#: the towns "Ried im Innkreis", "Sankt Veit im Mühlkreis" (after "im"/"am" it names where they lie).
_DISTRICT_COMPOUND = re.compile(r"(?<![\w-])(?<!\bim )(?<!\bam )\w[\w-]*(?:kreis|bezirk)(?![\w])", re.IGNORECASE)
#: Words in a disambiguator that name the *kind* of place, not a parent place.
_TYPE_HINT = re.compile(
    r"^(?:rural |urban |urban-rural )?(?:gmina|commune|municipality|city|town|village|district|county|"
    r"region|province|prefecture|state|intercommunality|department|island|borough|parish|canton|"
    r"metropolitan city|municipal unit|community)$",
    re.IGNORECASE,
)


class _Words:
    """A case-insensitive search for any of some words, fast on ASCII text.

    ``re.IGNORECASE`` keeps the regex engine from skipping ahead, which makes a search for many
    words slow; ASCII text is lower-cased and searched for the ASCII words without it instead
    (same answer: a non-ASCII word cannot occur in ASCII text). Other text uses the full regex.

    >>> w = _Words("county|comunidad autónoma")
    >>> w.search("Maui COUNTY"), w.search("Comunidad Autónoma de Madrid"), w.search("Maui")
    (True, True, False)
    """

    def __init__(self, alternatives: str) -> None:
        self.any = re.compile(alternatives, re.IGNORECASE)
        ascii_words = [w for w in alternatives.split("|") if w.isascii()]
        assert all(re.fullmatch(r"[a-z -]+", w) for w in ascii_words), "plain lower-case words only"
        self.ascii = re.compile("|".join(ascii_words)) if ascii_words else None

    def search(self, text: str) -> bool:
        """True when one of the words occurs in ``text`` (any case)."""
        if text.isascii():
            return self.ascii is not None and self.ascii.search(text.lower()) is not None
        return self.any.search(text) is not None


_ANY_KIND_WORD = _Words("|".join(w for _, w in _KIND_WORDS))
_MUNICIPAL_HINT_WORD = _Words("gmina|commune|municipality|city|town|village|community|municipal unit")
_DISTRICT_HINT_WORD = _Words("district|county")


_SPACES = re.compile(r"\s+")
_BRACKETED_HINT = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")
_DIGIT = re.compile(r"\d")


def normalize_unicode(text: str) -> str:
    """NFC-normalise, turn non-breaking and repeated spaces into one space, strip the ends.

    Decomposed and precomposed spellings of the same name become the same string.
    """
    if text.isascii():
        return " ".join(text.split()) if "  " in text or "\t" in text else text.strip()
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def strip_wiki_markup(text: str) -> str:
    """Drop wiki-link markup: ``Page{{!}}shown text`` and ``[[Page|shown]]`` keep the page title.

    >>> strip_wiki_markup("Assisi{{!}}Assisi"), strip_wiki_markup("[[Kōya, Wakayama|Kōya]]")
    ('Assisi', 'Kōya, Wakayama')
    """
    if "{" not in text and "[" not in text and "''" not in text:
        return text.strip()
    text = text.split("{{!}}", 1)[0]
    text = re.sub(r"\[\[([^\]|]*)(?:\|[^\]]*)?\]\]", r"\1", text)
    text = text.replace("[[", "").replace("]]", "").replace("'''", "").replace("''", "")
    return text.strip()


def split_disambiguator(text: str) -> tuple[str, str]:
    """Split a trailing Wikipedia disambiguator: ``"Shibuya (Tokyo)"`` → ``("Shibuya", "Tokyo")``.

    Also ``"Kusatsu, Gunma"`` → ``("Kusatsu", "Gunma")``. Names without one come back unchanged
    with an empty hint.

    >>> split_disambiguator("Kusatsu, Gunma"), split_disambiguator("Wesel (district)")
    (('Kusatsu', 'Gunma'), ('Wesel', 'district'))
    >>> split_disambiguator("Limbaži – Salacgrīva")
    ('Limbaži – Salacgrīva', '')
    """
    m = _BRACKETED_HINT.match(text)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    head, sep, tail = text.rpartition(", ")
    if sep and head and tail[:1].isupper() and "," not in head and not _DIGIT.search(tail):
        return head.strip(), tail.strip()
    return text, ""


def is_type_hint(hint: str) -> bool:
    """True when a disambiguator names a kind of place ("district", "rural gmina"), not a parent place.

    >>> is_type_hint("rural gmina"), is_type_hint("Tokyo")
    (True, False)
    """
    return bool(_TYPE_HINT.match(hint))


def classify_kind(name: str, hint: str = "") -> str:
    """The kind of a place from words in its name or type disambiguator (English, German, Italian, ...).

    ``"municipality"`` unless a word says district, county, province, region or prefecture.

    >>> classify_kind("Shirak Province"), classify_kind("Tarnów", "rural gmina"), classify_kind("Maui County")
    ('province', 'municipality', 'district')
    >>> classify_kind("Lahn-Dill-Kreis"), classify_kind("Ried im Innkreis"), classify_kind("Sasbach", "Ortenaukreis")
    ('district', 'municipality', 'municipality')
    >>> classify_kind("County Durham"), classify_kind("Durham"), classify_kind("Krasnoselski rajon")
    ('district', 'municipality', 'district')
    """
    if hint and _MUNICIPAL_HINT_WORD.search(hint) and not _DISTRICT_HINT_WORD.search(hint):
        return "municipality"
    if not _ANY_KIND_WORD.search(name) and not (hint and _ANY_KIND_WORD.search(hint)):
        return "municipality"
    for text in (hint, name):
        for kind, rx in _KIND_RES:
            if text and rx.search(text):
                return kind
    # a compound in the name only: in a disambiguator it names the parent ("Sasbach (Ortenaukreis)")
    return "district" if _DISTRICT_COMPOUND.search(name) else "municipality"


def choose_label(variants: Mapping[str, int]) -> str:
    """The label to show among spellings of one name: the most frequent; on a tie, the one with the
    Romanian comma-below letters (ș ț) rather than the cedilla look-alikes (ş ţ), then the first.

    >>> choose_label(Counter({"Ploieşti": 1, "Ploiești": 1}))
    'Ploiești'
    """

    def score(item: tuple[str, int]) -> tuple[int, int]:
        name, n = item
        return (n, sum(name.count(c) for c in "șțȘȚ") - sum(name.count(c) for c in "şţŞŢ"))

    return max(variants.items(), key=score)[0]


@dataclass(frozen=True)
class CountryResolution:
    """A country string resolved: ISO code, the rule that did it, and any sub-national part."""

    iso2: str
    rule: str
    subdivision: str = ""


def resolve_country(text: str, table: CountryTable) -> CountryResolution | None:
    """Resolve a country string to an ISO 3166-1 alpha-2 code, or None.

    Rules, in order: ``exact`` gazetteer name; ``alias`` (England, Republic of Ireland, ...);
    ``cldr-name`` (the name in another language: "Giappone", "Bosnia ed Erzegovina");
    ``noise`` (a stray leading word: "in Italy"); ``subnational`` ("Ohio, United States" → US,
    keeping "Ohio"); ``typo`` (a close spelling of one name: "Grece", "Japa").

    >>> from graphkit.paths import PROJECT_ROOT
    >>> t = CountryTable.from_folder(PROJECT_ROOT / "data/sources/dr5hn-csc-wikidata")
    >>> resolve_country("Grèce", t), resolve_country("Grecia", t).rule
    (CountryResolution(iso2='GR', rule='cldr-name', subdivision=''), 'cldr-name')
    >>> resolve_country("Greeece", t)
    CountryResolution(iso2='GR', rule='typo', subdivision='')
    >>> resolve_country("England, United Kingdom", t)
    CountryResolution(iso2='GB', rule='subnational', subdivision='England')
    """
    text = normalize_unicode(text)
    if not text:
        return None
    iso = table.lookup(text)
    if iso:
        return CountryResolution(iso, "exact")
    iso = table.alias(text)
    if iso:
        return CountryResolution(iso, "alias")
    iso = table.cldr(text)
    if iso:
        return CountryResolution(iso, "cldr-name")
    m = re.match(r"^(?:in|the)\s+(.+)$", text, re.IGNORECASE)
    if m and (table.lookup(m.group(1)) or table.alias(m.group(1))):
        return CountryResolution(table.lookup(m.group(1)) or table.alias(m.group(1)) or "", "noise")
    head, sep, tail = text.rpartition(",")
    if sep:
        inner = resolve_country(tail, table)
        if inner:
            return CountryResolution(inner.iso2, "subnational", head.strip())
    return _typo(text, table)


def _typo(text: str, table: CountryTable) -> CountryResolution | None:
    names = table.names()
    key = fold(text)
    if len(key) < 4:
        return None
    close = difflib.get_close_matches(key, list(names), n=2, cutoff=0.8)
    if not close:
        return None
    if len(close) == 2 and names[close[0]] != names[close[1]]:
        r0 = difflib.SequenceMatcher(None, key, close[0]).ratio()
        r1 = difflib.SequenceMatcher(None, key, close[1]).ratio()
        if abs(r0 - r1) < 0.02:
            return None
    return CountryResolution(names[close[0]], "typo")


def country_from_name(name: str, table: CountryTable) -> tuple[str, CountryResolution] | None:
    """When the country column is empty, a country may hide in the name: ``"Varna, Bulgaria"``.

    Returns the name without it and the resolution; a name that *is* a country or territory
    ("Falkland Islands", "American Samoa") resolves to itself (rule ``territory``).

    >>> from graphkit.paths import PROJECT_ROOT
    >>> t = CountryTable.from_folder(PROJECT_ROOT / "data/sources/dr5hn-csc-wikidata")
    >>> country_from_name("Varna, Bulgaria", t)
    ('Varna', CountryResolution(iso2='BG', rule='from-name', subdivision=''))
    >>> country_from_name("Falkland Islands", t)[1].iso2
    'FK'
    """
    head, sep, tail = name.rpartition(", ")
    if sep:
        iso = table.lookup(tail) or table.alias(tail)
        if iso:
            return head, CountryResolution(iso, "from-name")
    iso = table.lookup(name) or table.alias(name)
    if iso:
        return name, CountryResolution(iso, "territory")
    return None


def learn_country_names(
    samples: Iterable[tuple[str, tuple[float, float]]], table: CountryTable, *, min_share: float = 0.6
) -> dict[str, str]:
    """Learn what country names in another language mean from coordinates: each name maps to the
    country most of its located rows fall in (nearest reference point), if at least ``min_share``
    of them agree. This is how the Italian names of yuboski ("Giappone", "Stati Uniti d'America")
    get their ISO codes without a hand-made table.

    >>> from graphkit.paths import PROJECT_ROOT
    >>> t = CountryTable.from_folder(PROJECT_ROOT / "data/sources/dr5hn-csc-wikidata")
    >>> learn_country_names([("Giappone", (35.0, 135.77)), ("Giappone", (34.69, 135.5))], t)
    {'Giappone': 'JP'}
    """
    votes: dict[str, Counter[str]] = {}
    per_name: Counter[str] = Counter()
    items = []
    for name, c in samples:
        per_name[name] += 1
        if per_name[name] <= 25:
            items.append((name, c))
    for (name, _), (iso, _) in zip(items, table.locator.nearest_countries([c for _, c in items]), strict=True):
        votes.setdefault(name, Counter())[iso] += 1
    out = {}
    for name, cnt in votes.items():
        iso, n = cnt.most_common(1)[0]
        if n / sum(cnt.values()) >= min_share:
            out[name] = iso
    return out


def coordinates_contradict(distance_km: float | None, threshold_km: float) -> bool:
    """True when a place lies farther than ``threshold_km`` from every reference point of its country.

    >>> coordinates_contradict(7000.0, 600), coordinates_contradict(12.0, 600), coordinates_contradict(None, 600)
    (True, False, False)
    """
    return distance_km is not None and distance_km > threshold_km


_JP_SUFFIX = re.compile(r"[\s-](?:shi|ku|machi|chō|cho|mura|son|gun)$", re.IGNORECASE)


def japan_base_name(name: str) -> str:
    """The folded name of a Japanese municipality without its romanised type suffix.

    >>> japan_base_name("Machida-shi"), japan_base_name("Abashiri Shi"), japan_base_name("Kōya")
    ('machida', 'abashiri', 'koya')
    """
    return fold(_JP_SUFFIX.sub("", normalize_unicode(name)))


#: The native (kanji) suffix of each romanised Japanese type suffix.
JP_SUFFIX_KANJI = dict(shi="市", machi="町", chō="町", cho="町", mura="村", son="村", ku="区", gun="郡")
_JP_ROMAN_SUFFIX = re.compile(r"[\s-](shi|ku|machi|chō|cho|mura|son|gun)$", re.IGNORECASE)


def garbled_japanese_name(name: str, native: str) -> bool:
    """True when a native Japanese name contradicts its romanised name's type suffix.

    dr5hn's ``cities_JP.json`` has rows such as ``"Itō Shi"`` whose ``native`` is a kanji spelling of
    the *sound* (伊藤史, "Itō history") instead of the city's name (伊東市): the romanised suffix says
    市 (Shi), 町 (Machi, Chō), 村 (Mura, Son), 区 (Ku) or 郡 (Gun), and the native name does not end
    with it. A name without a romanised suffix (``"Itō"``) says nothing.

    >>> garbled_japanese_name("Itō Shi", "伊藤史"), garbled_japanese_name("Itō Shi", "伊東市")
    (True, False)
    >>> garbled_japanese_name("Aira Shi", "アイラ・シ"), garbled_japanese_name("Kōya", "高野")
    (True, False)
    """
    m = _JP_ROMAN_SUFFIX.search(normalize_unicode(name))
    if m is None or not native:
        return False
    return not native.endswith(JP_SUFFIX_KANJI[m.group(1).lower()])


def dedupe_qid_claims(claims: Iterable[tuple[str, str]], evidence: dict[str, set[str]]) -> dict[str, str | None]:
    """Decide which name owns each QID when a gazetteer gives one QID to several names.

    ``claims`` are ``(qid, folded name)``; ``evidence`` maps a QID to folded labels known from
    elsewhere (Wikidata labels, the seed). A QID claimed by one name keeps it. Otherwise, in order:
    the one name the evidence confirms; the one name that claims no other QID (the other claimants
    have their own); else no owner (None). This is how Machida, which has its own QID (Q210628),
    loses the duplicate Q1346907 to Kōya in the dr5hn Japan file.

    >>> dedupe_qid_claims([("Q1346907", "koya"), ("Q1346907", "machida"), ("Q210628", "machida")], {})
    {'Q1346907': 'koya', 'Q210628': 'machida'}
    """
    by_qid: dict[str, set[str]] = {}
    qids_of: dict[str, set[str]] = {}
    for qid, name in claims:
        by_qid.setdefault(qid, set()).add(name)
        qids_of.setdefault(name, set()).add(qid)
    out: dict[str, str | None] = {}
    for qid, names in by_qid.items():
        if len(names) == 1:
            out[qid] = next(iter(names))
            continue
        confirmed = [n for n in names if n in evidence.get(qid, set())]
        exclusive = [n for n in names if len(qids_of[n]) == 1]
        if len(confirmed) == 1:
            out[qid] = confirmed[0]
        elif len(exclusive) == 1:
            out[qid] = exclusive[0]
        else:
            out[qid] = None
    return out


@functools.lru_cache(maxsize=1 << 16)
def name_similarity(a: str, b: str) -> float:
    """Similarity (0..1) of two folded names (difflib ratio).

    >>> round(name_similarity("florence", "florenz"), 2), round(name_similarity("cologne", "koln"), 2)
    (0.8, 0.55)
    """
    return difflib.SequenceMatcher(None, a, b).ratio()
