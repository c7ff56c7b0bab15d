"""From an article's text to candidate facts: ``extract_text`` (one call) and :class:`Extractor`
(the per-language matchers and the place resolver, built once for many articles).

>>> from graphkit.extract.places import PlaceIndex, PlaceResolver
>>> from graphkit.store.open import open_graph
>>> resolver = PlaceResolver(PlaceIndex.from_store(open_graph(["data/seed/assisi-koya.ttl"])))
>>> text = ("Assisi e Koya\\n\\nIl sindaco di Assisi Valter Stoppini ha firmato il protocollo d'intesa "
...         "con Koya nel 2009.")
>>> result = Extractor(resolver).extract(text, published="2024-05-01")
>>> r = result.relations[0]
>>> ([p.name for p in r.parties], r.type, r.year, r.status, r.evidence.sentence)
(['Assisi', 'Koya'], 'memorandum-of-understanding', 2009, 'active', 2)
>>> o = result.offices[0]
>>> (o.person, o.role, o.body.name)
('Valter Stoppini', 'mayor', 'Assisi')
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from graphkit.errors import InputError
from graphkit.extract.annotate import Annotated, CueMatcher
from graphkit.extract.context import Context
from graphkit.extract.dates import complete_yearless, find_dates
from graphkit.extract.lexicon import Lexicon, available_languages, guess_language, load_lexicon
from graphkit.extract.meetings import extract_meetings
from graphkit.extract.mentions import PlaceMention, find_places, mention, town_heads, with_ref
from graphkit.extract.model import Designation, Extraction, PlaceRef, Source
from graphkit.extract.officials import distinct_offices, office_mentions, person_tokens, surnames_after_titles
from graphkit.extract.places import COUNTRY, MUNICIPALITY, PlaceResolver
from graphkit.extract.relations import extract_relations
from graphkit.places.gazetteer import normalise_name

AUTO = "auto"


class Extractor:
    """Extract candidate facts from articles; keeps one spaCy matcher per language."""

    def __init__(self, resolver: PlaceResolver) -> None:
        self.resolver = resolver
        self._matchers: dict[str, CueMatcher] = {}

    def matcher(self, language: str) -> CueMatcher:
        if language not in self._matchers:
            self._matchers[language] = CueMatcher(load_lexicon(language))
        return self._matchers[language]

    def extract(
        self,
        text: str,
        *,
        language: str = AUTO,
        file: str = "-",
        url: str | None = None,
        title: str | None = None,
        published: str | None = None,
    ) -> Extraction:
        """The candidate relations, offices, meetings, participations and designations of ``text``."""
        if not text.strip():
            raise InputError(f"{file}: the article is empty")
        lang = guess_language(text) if language == AUTO else language
        if lang not in available_languages():
            raise InputError(f"unknown language {lang!r}; choose one of {', '.join(available_languages())} or auto")
        published = _check_date(published, file)
        doc = self.matcher(lang).annotate(text)
        ctx = _context(doc, self.matcher(lang).lexicon, self.resolver, published)
        mentions = office_mentions(ctx)
        offices = distinct_offices(mentions)
        ctx.surnames = {
            o.person.rsplit(" ", 1)[-1]: o.body for o in mentions if o.body is not None and o.body.kind == MUNICIPALITY
        }
        ctx.speakers = [
            (o.evidence.start, o.body) for o in mentions if o.body is not None and o.body.kind == MUNICIPALITY
        ]
        meetings, participations = extract_meetings(ctx, offices, mentions)
        source = Source(file, lang, title or _title(doc, file), url, published, len(doc.sentences))
        return Extraction(
            source=source,
            relations=tuple(extract_relations(ctx)),
            offices=tuple(offices),
            meetings=tuple(meetings),
            participations=tuple(participations),
            designations=tuple(_designations(ctx)),
        )


def extract_text(text: str, resolver: PlaceResolver, **options: str | None) -> Extraction:
    """One article with a new :class:`Extractor` (for many articles, make one and reuse it)."""
    return Extractor(resolver).extract(text, **options)  # type: ignore[arg-type]


def _context(doc: Annotated, lex: Lexicon, resolver: PlaceResolver, published: str | None) -> Context:
    surnames = surnames_after_titles(doc, lex)  # "Mayor-President Broussard": a person, not the town
    places = [m for m in find_places(doc, lex, resolver) if not (m.last - m.first == 1 and m.first in surnames)]
    places = _short_forms(places, lex)
    home = _home(doc, lex, places)
    if home is not None and (full := _full_name(places, home)) is not None:
        # "Newcastle" in an article about "Newcastle upon Tyne": the short form is the town's
        places = [with_ref(m, replace(full, name=m.name)) if m.ref.key == home.key else m for m in places]
        home = full
    if home is not None and home.iri:
        places = [_again(doc, lex, resolver, m, home.iri) for m in places]
    places = _same_name_same_place(places)
    dates = find_dates(doc.text, lex)
    reference = _reference_year(published, dates)
    on = _publication_day(published)
    if on is not None:  # "il 12 novembre": the year of publication (without one, a day stays without a year)
        dates = complete_yearless(doc.text, lex, dates, on)
    ctx = Context(doc, lex, resolver, places, dates, home, reference)
    ctx.published_year = int(published[:4]) if published else None
    ctx.published_on = on if published and len(published) == 10 else None  # (a month is no day)
    ctx.person_tokens = person_tokens(ctx) | surnames
    return ctx


def _again(doc: Annotated, lex: Lexicon, resolver: PlaceResolver, m: PlaceMention, near: str) -> PlaceMention:
    if m.ref.resolved:
        return m
    return with_ref(m, mention(doc, lex, resolver, m.first, m.last, near=near).ref)


def _full_name(places: list[PlaceMention], home: PlaceRef) -> PlaceRef | None:
    """The one town the article also names by a longer form of its own town's name ("Newcastle upon
    Tyne" for "Newcastle", "San Giovanni in Persiceto" for "San Giovanni") in its first lines (where
    an article names its town in full), else None: "Santa Cruz de Tenerife" named later in an article
    about Santa Cruz is another town."""
    short = normalise_name(home.name)
    longer = [
        m for m in places if m.ref.kind in (MUNICIPALITY, None) and normalise_name(m.name).startswith(short + " ")
    ]
    refs = {m.ref.key: m.ref for m in longer}
    if len(refs) != 1 or min(m.sent for m in longer) > _OPENING_SENTENCES:
        return None
    return next(iter(refs.values()))


#: The title and the first sentences, where an article names its own town in full.
_OPENING_SENTENCES = 3


#: Words after a town's short name in its full German, Czech, Slovene, English or French name
#: ("Weilheim in Oberbayern", "Lauffen am Neckar", "Kanal ob Soči", "Newcastle upon Tyne").
_LOCATIVE_TAILS = frozenset({"in", "im", "am", "an", "bei", "ob", "nad", "pod", "u", "upon", "on", "sur"})


def _short_forms(places: list[PlaceMention], lex: Lexicon) -> list[PlaceMention]:
    """A town named in full once ("Weilheim in Oberbayern", "Castelfranco Veneto") is that town where
    the article shortens its name ("il gemellaggio con Weilheim", "Castelfranco e Sélestat"), when
    the article names one such longer form only: after a locative word ("in", "am", "upon"), or any
    longer form when the short name alone places no town (several Castelfranco)."""
    before_tail = town_heads(places, lex, _LOCATIVE_TAILS)
    anywhere = town_heads(places, lex)
    out = []
    for m in places:
        key = normalise_name(m.name)
        full = before_tail.get(key, {}) if m.ref.resolved else anywhere.get(key, {})
        if len(full) == 1 and m.ref.kind in (MUNICIPALITY, None):
            m = with_ref(m, replace(next(iter(full.values())), name=m.name))
        out.append(m)
    return out


def _same_name_same_place(places: list[PlaceMention]) -> list[PlaceMention]:
    """A name resolved once in the article (where the text gave its country) is that place throughout."""
    resolved: dict[str, PlaceRef] = {}
    for m in places:
        if m.ref.resolved:
            resolved.setdefault(normalise_name(m.name), m.ref)
    return [
        with_ref(m, replace(resolved[normalise_name(m.name)], name=m.name))
        if not m.ref.resolved and normalise_name(m.name) in resolved
        else m
        for m in places
    ]


def _home(doc: Annotated, lex: Lexicon, places: list[PlaceMention]) -> PlaceRef | None:
    """The article's own town: the municipality named most (the title and "Comune di X", "X City
    Council" count more). It may be a name the graph has several places for: then it stays a name."""
    score: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    refs: dict[str, PlaceRef] = {}
    for m in places:
        if m.ref.kind not in (MUNICIPALITY, None) or (not m.ref.iri and not m.ref.candidates):
            continue
        key = m.ref.iri or normalise_name(m.name)
        if _partner_slot(doc, lex, m):  # "gemellata con X", "a delegation from X": another town
            weight = -1
        elif m.first > 0 and doc.tokens[m.first - 1].lower in lex.locative:  # "a Roma": where, not who
            weight = 1 if m.sent else 2
        else:
            strong = m.prefixed or _council_after(doc, m) or _office_before(doc, lex, m) or _subject_of_relation(doc, m)
            heading = _dateline(doc, m) or (m.sent == 0 and m.prefixed)  # "TOWN OF LUNENBURG" over the minutes
            weight = 1 + (2 if strong else 0) + (1 if m.sent == 0 else 0) + (3 if heading else 0)
        score[key] += weight
        first_seen.setdefault(key, m.first)
        refs.setdefault(key, m.ref)
    if not score:
        return None
    for key, ref in refs.items():  # a town of the countries that write the article's language, once
        if ref.country and ref.country in lex.home_countries:
            score[key] += HOME_COUNTRY_BONUS
    best = max(score, key=lambda iri: (score[iri], -first_seen[iri]))
    return refs[best]


#: What being in a country that writes the article's language weighs for a town to be the article's
#: own ("Castelfranco Veneto e Villefranche-sur-Saône" in an Italian comune's news: Castelfranco).
HOME_COUNTRY_BONUS = 3


def _dateline(doc: Annotated, m: PlaceMention) -> bool:
    """ "HOBART has formalised ...", "SPOKANE, Wash. –": a town in capitals opening a sentence, where a
    news item says where it comes from."""
    return m.first == doc.sentence_range(m.sent).start and m.name.isupper() and len(m.name) > 2


def _partner_slot(doc: Annotated, lex: Lexicon, m: PlaceMention) -> bool:
    """ "con X", "with the City of X", "una delegazione di X": a town named as the other side."""
    i = m.first - 1
    while i >= 0 and m.first - i <= 5 and doc.tokens[i].sent == m.sent:
        low = doc.tokens[i].lower
        if low in lex.with_markers and low not in lex.and_markers:
            return True
        if low in lex.visitor_markers:
            return True
        inside = any(doc.covering(k, i) for k in ("body_prefixes", "countries", "meetings"))
        if not (inside or low in lex.skip_words or low in lex.body_markers):
            return False
        i -= 1
    return False


def _subject_of_relation(doc: Annotated, m: PlaceMention) -> bool:
    """ "Fano è gemellata con", "Ann Arbor has sister city relationships with": the town whose ties
    the text lists (not the second of a pair: "Mazara del Vallo e Mahdia potrebbero diventare città
    amiche" says nothing of whose article it is)."""
    if m.first > 0 and doc.tokens[m.first - 1].lower in {"e", "ed", "and", "&"}:
        return False
    for k in range(m.last, min(m.last + 4, len(doc.tokens))):
        if doc.tokens[k].sent != m.sent or doc.tokens[k].text in {",", ";", ":"}:
            return False
        if doc.cue_at("relation_types", k) is not None:
            return True
    return False


def _council_after(doc: Annotated, m: PlaceMention) -> bool:
    """ "Burlington City Council", "Spello Town Council": the body that writes the record."""
    following = " ".join(t.lower for t in doc.tokens[m.last : m.last + 2])
    return following in {"city council", "town council", "county council", "borough council", "city hall"}


def _office_before(doc: Annotated, lex: Lexicon, m: PlaceMention) -> bool:
    """ "il sindaco di Assisi", "Mayor of Springfield", "Springfield Mayor": the town an office serves
    (not a title in another country's language: "il Bürgermeister di Hermagor" is the partner's)."""
    before = doc.covering("offices", m.first - 2) or doc.covering("offices", m.first - 1)
    if before is not None and before.phrase in lex.foreign_offices:
        return False
    if before is not None or doc.cue_at("offices", m.last) is not None:
        return True
    # "Mayor Jane Doe of Springfield": an office, a name, then "of"
    i = m.first - 2
    while i > 0 and m.first - i <= 5 and doc.tokens[i].is_title and doc.tokens[i].sent == m.sent:
        if doc.covering("offices", i - 1) is not None:
            return doc.tokens[m.first - 1].lower in {"of", "di"}
        i -= 1
    return False


def _publication_day(published: str | None) -> dt.date | None:
    """The day an article was published, or the last day of its month (``2025-01``); None without one.

    >>> _publication_day("2024-03-12"), _publication_day("2024-02"), _publication_day("2024")
    (datetime.date(2024, 3, 12), datetime.date(2024, 2, 29), None)
    """
    if not published or len(published) < 7:
        return None
    if len(published) == 10:
        return dt.date.fromisoformat(published)
    year, month = int(published[:4]), int(published[5:7])
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _reference_year(published: str | None, dates: list) -> int:  # type: ignore[type-arg]
    """The year the article speaks from: its publication, else the latest year it names."""
    if published:
        return int(published[:4])
    this_year = dt.date.today().year
    years = [d.year for d in dates if d.year <= this_year + 5]
    return max(years) if years else this_year


def _check_date(value: str | None, file: str) -> str | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            dt.datetime.strptime(value, fmt)
            return value
        except ValueError:
            continue
    raise InputError(f"{file}: the publication date {value!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY")


def _title(doc: Annotated, file: str) -> str:
    if doc.sentences:
        first = doc.sentences[0]
        line = doc.text[first.start : first.end]
        if "\n" not in doc.text[first.start : first.end] and doc.text[first.end : first.end + 1] in {"\n", ""}:
            return line[:200]
    return file


def _designations(ctx: Context) -> list[Designation]:
    out: list[Designation] = []
    for sent in range(len(ctx.doc.sentences)):
        for cue in ctx.doc.cues_in("heritage", sent):
            before = [m for m in ctx.places if m.sent == sent and m.last <= cue.first and m.ref.kind != COUNTRY]
            if before and before[-1].ref.resolved:
                m = before[-1]
                ev = ctx.evidence(cue.start, cue.end)
                out.append(Designation(f"h{len(out) + 1}", m.ref, cue.value, ev))
    return out
