"""Names in a text: places (resolved with the country the text gives), organisations and people.

A name is a run of capitalised tokens, joined by the lexicon's connectors ("Reggio nell'Emilia",
"Santiago de Compostela"). Places are the runs (or parts of them) that are labels of the graph's
places; the country the text gives next to a name ("la città giapponese di Koya", "Koya (Giappone)",
"Kyoto, Japan") narrows its candidates. People are only looked for next to an office.

>>> from graphkit.extract.annotate import CueMatcher
>>> from graphkit.extract.lexicon import load_lexicon
>>> from graphkit.extract.places import PlaceIndex, PlaceResolver
>>> from graphkit.store.open import open_graph
>>> lex = load_lexicon("it")
>>> doc = CueMatcher(lex).annotate("Il sindaco di Assisi ha visitato la città giapponese di Koya.")
>>> resolver = PlaceResolver(PlaceIndex.from_store(open_graph(["data/seed/assisi-koya.ttl"])))
>>> [(m.name, m.ref.country, m.ref.resolved) for m in find_places(doc, lex, resolver)]
[('Assisi', 'IT', True), ('Koya', 'JP', True)]
>>> person_after(doc, 2, lex) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from graphkit.extract.annotate import Annotated
from graphkit.extract.lexicon import Lexicon
from graphkit.extract.model import Organisation, PlaceRef
from graphkit.extract.places import ADMIN, COUNTRY, MUNICIPALITY, PlaceResolver
from graphkit.places.gazetteer import normalise_name

_WORDY = re.compile(r"^[^\W\d_][\w'\u2019.-]*$")
_PERSON_PARTICLES = frozenset(
    {
        "de",
        "di",
        "da",
        "del",
        "della",
        "dalla",
        "dal",
        "dei",
        "degli",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "ten",
        "le",
        "la",
        "lo",
        "dos",
        "das",
        "du",
        "bin",
        "al",
        "af",
        "av",
    }
)
_MAX_NAME = 6


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text: tokens ``[first, last)``, the words, and what they resolve to."""

    first: int
    last: int
    sent: int
    start: int
    end: int
    name: str
    ref: PlaceRef
    prefixed: bool = False  # after "Comune di" / "City of": the text says it is a municipality

    @property
    def is_country(self) -> bool:
        return self.ref.kind == COUNTRY


def is_capitalised(doc: Annotated, i: int, lex: Lexicon) -> bool:
    """Whether token ``i`` may be part of a name: capitalised, not a month; in a heading in capitals,
    not a word that is lower case in running text ("THE CITY OF RICHMOND": only "RICHMOND")."""
    t = doc.tokens[i]
    if not (t.is_title and _WORDY.match(t.text)) or t.lower in lex.months:
        return False
    return not (t.text.isupper() and (t.lower in lex.function_words or t.lower in lex.place_nouns))


def name_spans(doc: Annotated, sent: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Runs of capitalised tokens in sentence ``sent``, with connectors inside."""
    rng = doc.sentence_range(sent)
    spans: list[tuple[int, int]] = []
    i = rng.start
    while i < rng.stop:
        if not is_capitalised(doc, i, lex):
            i += 1
            continue
        j = i + 1
        while j < rng.stop:
            if "\n" in doc.text[doc.tokens[j - 1].end : doc.tokens[j].start]:
                break  # a heading's line ends the name ("COMUNE DI X" over "Provincia di Y")
            if is_capitalised(doc, j, lex) or _hyphen_tail(doc, j) or doc.tokens[j].glued:
                j += 1
                continue
            k = j  # connectors, possibly several ("Aix-en-Provence", "Monterosso al Mare")
            while (  # a capitalised word is the name's own, not a connector: "Caxias do Sul" ("sul")
                k < rng.stop
                and k - j < 3
                and doc.tokens[k].lower in lex.name_connectors
                and not is_capitalised(doc, k, lex)
            ):
                k += 1
            if (
                k > j
                and k < rng.stop
                and (is_capitalised(doc, k, lex) or _hyphen_tail(doc, k))
                and _joined(doc, j - 1, k)
            ):
                j = k + 1
            else:
                break
        spans.append((i, j))
        i = j
    return spans


def _hyphen_tail(doc: Annotated, j: int) -> bool:
    """ "en-Provence" after "Aix-", "nell'Emilia" after "Reggio ": a token the tokenizer made of a
    connector and the capitalised rest of a name."""
    t = doc.tokens[j]
    for mark in ("-", "'", "\u2019"):
        if mark in t.text and t.text.rsplit(mark, 1)[-1][:1].isupper():
            return mark != "-" or doc.tokens[j - 1].end == t.start
    return False


def whole_words(doc: Annotated, first: int, last: int) -> bool:
    """Tokens ``[first, last)`` neither start nor end inside a word ("Xi'" of "Xi'an" is no name)."""
    return not doc.tokens[first].glued and (last >= len(doc.tokens) or not doc.tokens[last].glued)


def _joined(doc: Annotated, a: int, b: int) -> bool:
    """Connectors between tokens ``a`` and ``b`` are part of one name: hyphens without spaces, or
    words ("di", "al", "upon") with single spaces."""
    gap = doc.text[doc.tokens[a].end : doc.tokens[b].start]
    return "\n" not in gap and "," not in gap and len(gap) <= 12


def find_places(doc: Annotated, lex: Lexicon, resolver: PlaceResolver, near: str | None = None) -> list[PlaceMention]:
    """Every place of the graph named in the text (the longest label wins), resolved; and the names
    the graph lacks where the text says they are towns ("il Comune di X", "il sindaco di X", "the
    Mayor of X"), from the gazetteer or kept as names, wherever the text names them again."""
    spans = with_in_names(
        doc, resolver, [span for sent in range(len(doc.sentences)) for span in name_spans(doc, sent, lex)]
    )
    known: set[str] = set()
    for first, last in _slot_starts(doc, lex, spans):
        graph_name = any(  # whole words only: "Saint-Jean" (a graph name) is not "Saint-Jean-de-Monts"
            whole_words(doc, first, j) and resolver.index.has_key(normalise_name(doc.span_text(first, j)))
            for j in range(first + 1, last + 1)
        )
        slot = place_slot(doc, lex, first)
        if not slot and last - first > 1 and doc.tokens[first].lower in lex.not_names:
            first += 1  # "The Huntingdon Twinning Association": the town's name starts after "The"
        if not graph_name and (slot or _council_or_dateline(doc, lex, first, last)):
            # (a council's or a dateline's name counts only when the gazetteer knows it: not "WHEREAS,")
            name = _slot_name(doc, lex, resolver, first, last, known_only=not slot)
            if name is not None:
                known.add(normalise_name(doc.span_text(*name)))
        elif not graph_name and _town_of_one_country(doc, lex, resolver, first, last):
            known.add(normalise_name(doc.span_text(first, last)))
    found: list[PlaceMention] = []
    for first, last in spans:
        found.extend(_places_in_span(doc, lex, resolver, first, last, near, known))
    found = _shortened(doc, lex, spans, found)
    return [_as_area(doc, lex, resolver, m) for m in found]


def town_heads(
    places: list[PlaceMention], lex: Lexicon, tails: frozenset[str] = frozenset()
) -> dict[str, dict[str, PlaceRef]]:
    """The first words of the towns the text names in full, with the towns they begin: "castelfranco"
    -> Castelfranco Veneto; with ``tails``, only first words a tail word follows ("weilheim" of
    "Weilheim in Oberbayern"). Generic first words alone shorten nothing ("Great Yarmouth" gives no
    "great"; "Sankt Veit an der Glan" gives "sankt veit").

    >>> from graphkit.extract.lexicon import load_lexicon
    >>> lex = load_lexicon("en")
    >>> m = PlaceMention(0, 2, 0, 0, 16, "Great Yarmouth", PlaceRef("Great Yarmouth", "x:gy", "GB", MUNICIPALITY))
    >>> town_heads([m], lex)
    {}
    """
    heads: dict[str, dict[str, PlaceRef]] = {}
    for m in places:
        words = normalise_name(m.name).split()
        if not m.ref.resolved or m.ref.kind != MUNICIPALITY or len(words) < 2:
            continue
        for k in range(1, len(words) - (1 if tails else 0)):
            if all(w in lex.name_heads for w in words[:k]):
                continue  # ("Sankt Veit an der Glan" gives "sankt veit", not "sankt")
            if not tails or words[k] in tails:
                heads.setdefault(" ".join(words[:k]), {})[m.ref.key] = m.ref
    return heads


def _shortened(
    doc: Annotated, lex: Lexicon, spans: list[tuple[int, int]], found: list[PlaceMention]
) -> list[PlaceMention]:
    """``found`` with the short forms of a town the text names in full ("Castelfranco" where it also
    says "Castelfranco Veneto"), when its first words name one town of the text only."""
    heads = town_heads(found, lex)
    taken = {i for m in found for i in range(m.first, m.last)}
    extra = []
    for first, last in spans:
        if any(i in taken for i in range(first, last)) or doc.tokens[first].lower in lex.not_names:
            continue
        full = heads.get(normalise_name(doc.span_text(first, last)), {})
        if len(full) != 1 or any(doc.covering(k, first) for k in ("offices", "organisations", "countries")):
            continue
        ref = replace(next(iter(full.values())), name=doc.span_text(first, last))
        t0, t1 = doc.tokens[first], doc.tokens[last - 1]
        extra.append(
            PlaceMention(first, last, t0.sent, t0.start, t1.end, ref.name, ref, prefixed=_prefixed(doc, lex, first))
        )
    return sorted(found + extra, key=lambda m: m.first)


def _town_of_one_country(doc: Annotated, lex: Lexicon, resolver: PlaceResolver, first: int, last: int) -> bool:
    """Whether a name of two or more words, anywhere, is a town the gazetteer places in one country
    ("Marcos Paz", "Villa Carlos Paz"): a name that long is rarely anything else (a person's name is
    not in the gazetteer; an office's, an organisation's or a country's words are cues)."""
    gz = resolver.gazetteer()
    if gz is None or last - first < 2 or not whole_words(doc, first, last):
        return False
    if any(doc.covering(k, i) for k in ("offices", "organisations", "countries") for i in range(first, last)):
        return False
    if any(doc.tokens[i].text.isupper() for i in range(first, last)):
        return False  # a heading's words
    if first > 0 and doc.tokens[first - 1].lower in lex.articles:
        return False  # "ai piedi del Castel Sant'Angelo", "the Grand Harbour": a landmark, not a town
    found = gz.candidates(doc.span_text(first, last))
    return bool(found) and len({c.country for c in found}) == 1


def with_in_names(doc: Annotated, resolver: PlaceResolver, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Two runs of capitals joined by "in" into one name where the graph or the gazetteer knows it
    ("Greve in Chianti", "San Giovanni in Persiceto"; not "Aalborg in Denmark")."""
    out: list[tuple[int, int]] = []
    gz = resolver.gazetteer()
    for span in spans:
        if out and out[-1][1] + 1 == span[0] and doc.tokens[out[-1][1]].lower == "in":
            first = out[-1][0]
            for k in range(first, out[-1][1]):  # the name may start inside the run ("con Greve in Chianti")
                name = normalise_name(doc.span_text(k, span[1]))
                if resolver.index.has_key(name) or (gz is not None and gz.candidates(doc.span_text(k, span[1]))):
                    out[-1:] = [(first, k)] if k > first else []
                    out.append((k, span[1]))
                    break
            else:
                out.append(span)
            continue
        out.append(span)
    return out


def _slot_starts(doc: Annotated, lex: Lexicon, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each span, and its tails that start where the text says a town is named: "Bürgermeister di
    Hermagor Hannes Wieser", "The Mayor of Newcastle-under-Lyme" are single runs of capitals."""
    return [
        (i, last)
        for first, last in spans
        for i in range(first, last)
        if i == first or (is_capitalised(doc, i, lex) and place_slot(doc, lex, i))
    ]


def _as_area(doc: Annotated, lex: Lexicon, resolver: PlaceResolver, m: PlaceMention) -> PlaceMention:
    """``m`` widened to the area its name is part of ("Qingpu District", "the Province of Belluno", "la
    Provincia di Belluno": capitalised area words), resolved as an area (the graph's, else a name of
    its own); ``m`` as it is otherwise."""
    if m.is_country:
        return m
    first, last = m.first, m.last
    if (
        last < len(doc.tokens)
        and (
            (doc.tokens[last].is_title and doc.tokens[last].lower in lex.area_words)
            or doc.tokens[last].lower in lex.region_words
        )
        and "\n" not in doc.text[doc.tokens[last - 1].end : doc.tokens[last].start]
    ):
        last += 1  # "Qingpu District", "the Yaroslavl region"
    elif (
        first >= 2
        and doc.tokens[first - 1].lower in {"of", "di", "del", "della"}
        and doc.tokens[first - 2].is_title
        and doc.tokens[first - 2].lower in lex.area_words
    ):
        first -= 2  # "Province of Belluno"
    if (first, last) == (m.first, m.last):
        return m
    name = doc.span_text(first, last)
    ref = resolver.resolve(name, kinds=(ADMIN,), use_gazetteer=False, language=lex.language)
    if not ref.resolved:
        core = resolver.resolve(m.name, kinds=(ADMIN,), use_gazetteer=False, language=lex.language)
        ref = replace(core, name=name) if core.resolved else PlaceRef(name, kind=ADMIN)
    t0, t1 = doc.tokens[first], doc.tokens[last - 1]
    return PlaceMention(first, last, t0.sent, t0.start, t1.end, name, ref, prefixed=m.prefixed)


#: Words after a town's name that make it the council's town ("Decorah City Council", "Frome council").
_COUNCIL_AFTER = frozenset(
    {
        "city council",
        "town council",
        "county council",
        "borough council",
        "district council",
        "shire council",
        "parish council",
        "council",
        "city hall",
        "city commission",
    }
)


def _council_or_dateline(doc: Annotated, lex: Lexicon, first: int, last: int) -> bool:
    """ "The Decorah City Council", "Decorah council OKs ...", "DECORAH, Iowa —": the text says the
    name is a town's (its council's, or the dateline's of a news item)."""
    following = [t.lower for t in doc.tokens[last : last + 2]]
    if following[:1] and (following[0] in _COUNCIL_AFTER or " ".join(following) in _COUNCIL_AFTER):
        return True
    for k in range(first + 1, last):  # inside the run: "LOVELAND SISTER CITIES", "Loveland Mayor Ron Delgado"
        inside = [t.lower for t in doc.tokens[k : min(k + 2, last)]]
        if inside[0] in lex.town_bodies or " ".join(inside) in lex.town_bodies | _COUNCIL_AFTER:
            return True
    t = doc.tokens[first]
    return (
        first == doc.sentence_range(t.sent).start
        and t.text.isupper()
        and len(t.text) > 2
        and (last < len(doc.tokens) and doc.tokens[last].text in {",", "—", "–", "-"})
    )


def place_slot(doc: Annotated, lex: Lexicon, i: int) -> bool:
    """Whether the text says a town is named at token ``i``: after "Comune di", "consiglio comunale
    di", "City of", or an office and "di"/"of" ("il sindaco di X", "the Mayor of X")."""
    if i == 0:
        return False
    prefix = doc.covering("body_prefixes", i - 1)
    if prefix is not None and prefix.last == i:
        return not any(doc.covering("countries", j) for j in range(prefix.first, prefix.last))
    j = i
    while j > 0 and i - j < 3 and doc.tokens[j - 1].lower in lex.body_markers:
        j -= 1
    office = doc.covering("offices", j - 1) if j < i else None
    return office is not None and office.last == j


def _slot_name(
    doc: Annotated, lex: Lexicon, resolver: PlaceResolver, first: int, last: int, known_only: bool = False
) -> tuple[int, int] | None:
    """The longest start of a name span that the gazetteer knows (or, unless ``known_only``, a short
    span it does not)."""
    gz = resolver.gazetteer()
    for j in range(min(last, first + _MAX_NAME), first, -1):
        if not whole_words(doc, first, j) or not (is_capitalised(doc, j - 1, lex) or _hyphen_tail(doc, j - 1)):
            continue  # ("Saint-Jean-de-Monts" ends in "de-Monts")
        if gz is not None and gz.candidates(doc.span_text(first, j)):
            return first, j
    if (
        not known_only
        and last - first <= 4
        and doc.tokens[first].lower not in lex.not_names
        and doc.covering("organisations", first) is None  # "il presidente del Comitato": no town
        and not all(t.text.isupper() for t in doc.tokens[first:last])  # nor a heading's word in capitals
    ):
        return first, last
    return None


def _places_in_span(
    doc: Annotated,
    lex: Lexicon,
    resolver: PlaceResolver,
    first: int,
    last: int,
    near: str | None,
    known: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[PlaceMention]:
    out: list[PlaceMention] = []
    i = first
    limit = _MAX_NAME
    while i < last:
        for j in range(min(last, i + limit), i, -1):
            words = doc.span_text(i, j)
            if j - i == 1 and (doc.tokens[i].lower in lex.not_names or doc.tokens[i].lower in lex.place_nouns):
                continue  # ("the City of Richmond": "City" alone is no town)
            if _inside_country_name(doc, i, j):
                continue  # "the Russian Federation's": not the town of Federation
            if j - i == 1 and i > first and _tail_of_a_name(doc, lex, i):
                continue  # "Semana Santa", "Mayor Cynthia Albrecht": the end of another name
            if j - i == 1 and doc.covering("offices", i) is not None:
                continue  # "the Leader of the Council": an office, not the town of Leader
            if not whole_words(doc, i, j):
                continue
            key = normalise_name(words)
            ends_name = is_capitalised(doc, j - 1, lex) or doc.tokens[j - 1].glued or _hyphen_tail(doc, j - 1)
            if not ends_name or not (key in known or resolver.index.has_key(key)):
                continue
            longer = _gazetteer_longer(doc, lex, resolver, i, j, min(last, i + limit))
            if longer is not None:  # "Nova Veneza" (a town the gazetteer knows), not the graph's "Nova"
                j, key = longer, normalise_name(doc.span_text(i, longer))
            out.append(mention(doc, lex, resolver, i, j, near=near, use_gazetteer=key in known or longer is not None))
            i = j
            break
        else:
            i += 1
    return out


def _tail_of_a_name(doc: Annotated, lex: Lexicon, i: int) -> bool:
    """Whether one word inside a run of capitals ends a name that is not a place: the word before it
    is a capitalised word of running text inside the sentence, not a connector, an office, an area's
    or a town's word, a word of the lexicon or a day ("Semana Santa", "Mayor Cynthia Albrecht"; not
    "Meanwhile Lewes signed", "On Sunday Lewes"; a headline in title case is not running text)."""
    before = doc.tokens[i - 1]
    if before.lower in lex.name_connectors or before.text.isupper() or doc.covering("offices", i - 1):
        return False
    if i - 1 == doc.sentence_range(before.sent).start or before.lower in lex.function_words:
        return False
    if before.lower in lex.not_names or before.lower in lex.weekdays or before.lower in lex.months:
        return False
    if before.lower in lex.area_words or before.lower in lex.place_nouns or doc.covering("body_prefixes", i - 1):
        return False  # "Regione Umbria", "Comune Assisi"
    sent = doc.sentence_range(before.sent)
    words = [t for t in doc.tokens[sent.start : sent.stop] if t.text.isalpha() and len(t.text) > 3]
    title_case = words and sum(t.text[0].isupper() for t in words) > len(words) / 2
    return not title_case


def _inside_country_name(doc: Annotated, first: int, last: int) -> bool:
    """Whether tokens ``[first, last)`` are part of a longer country name the lexicon knows
    ("Federation" in "Russian Federation", "Korea" in "Republic of Korea" is not: it is the whole
    name's own country)."""
    cue = doc.covering("countries", first)
    return cue is not None and cue.first <= first and last <= cue.last and (last - first) < (cue.last - cue.first)


def _gazetteer_longer(
    doc: Annotated, lex: Lexicon, resolver: PlaceResolver, first: int, j: int, last: int
) -> int | None:
    """The end of a longer name from ``first`` (up to ``last``) that the places gazetteer knows,
    when the graph knows only the shorter one ending at ``j``; else None."""
    gz = resolver.gazetteer()
    if gz is None:
        return None
    for k in range(last, j, -1):
        if whole_words(doc, first, k) and is_capitalised(doc, k - 1, lex) and gz.candidates(doc.span_text(first, k)):
            return k
    return None


def mention(
    doc: Annotated,
    lex: Lexicon,
    resolver: PlaceResolver,
    first: int,
    last: int,
    *,
    near: str | None = None,
    use_gazetteer: bool = False,
) -> PlaceMention:
    """The place named by tokens ``[first, last)``, resolved with the country the context gives."""
    name = doc.span_text(first, last)
    is_country = any(p.kind == COUNTRY for p in resolver.graph_candidates(name, (COUNTRY,)))
    country = None if is_country else country_hint(doc, lex, resolver, first, last)
    # "Mexico", "Georgia": a country's name names the country (not its namesake state)
    kinds: tuple[str, ...] = (COUNTRY,) if is_country else (MUNICIPALITY, ADMIN, COUNTRY)
    ref = resolver.resolve(
        name, country=country, near=near, kinds=kinds, use_gazetteer=use_gazetteer, language=lex.language
    )
    if not ref.resolved and country is None:
        ref = _by_sentence_country(doc, lex, resolver, first, last, name, near, use_gazetteer) or ref
    t0, t1 = doc.tokens[first], doc.tokens[last - 1]
    return PlaceMention(first, last, t0.sent, t0.start, t1.end, name, ref, prefixed=_prefixed(doc, lex, first))


def _by_sentence_country(
    doc: Annotated,
    lex: Lexicon,
    resolver: PlaceResolver,
    first: int,
    last: int,
    name: str,
    near: str | None,
    use_gazetteer: bool,
) -> PlaceRef | None:
    """Several candidates, one of them in a country the same sentence names: that one."""
    sent = doc.tokens[first].sent
    codes = {c.value for c in doc.cues_in("countries", sent)}
    hits = [
        r
        for r in (
            resolver.resolve(name, country=code, near=near, use_gazetteer=use_gazetteer, language=lex.language)
            for code in sorted(codes)
        )
        if r.resolved
    ]
    return hits[0] if len(hits) == 1 else None


def _prefixed(doc: Annotated, lex: Lexicon, first: int) -> bool:
    """After "Comune di", "City of" (not "la città giapponese di": a foreign town)."""
    for k in (2, 3, 4):
        cue = doc.cue_at("body_prefixes", first - k) if first - k >= 0 else None
        if cue is not None and cue.last == first:
            return not any(doc.covering("countries", j) for j in range(cue.first, cue.last))
    return False


def country_hint(doc: Annotated, lex: Lexicon, resolver: PlaceResolver, first: int, last: int) -> str | None:
    """The country the text gives right next to a name: "città giapponese di X", "X (Giappone)",
    "X, Japan", "X in Giappone"."""
    sent = doc.tokens[first].sent
    rng = doc.sentence_range(sent)
    for c in doc.cues_in("countries", sent):
        if first - 4 <= c.first and c.last <= first:  # "la città giapponese di Koya"
            between = [t.lower for t in doc.tokens[c.last : first]]
            if all(w in {"di", "of", "city", "town", "città", "cittadina", "comune", "village", "d'"} for w in between):
                return c.value
        gap = [t.text for t in doc.tokens[last : c.first]] if c.first >= last else None
        if gap is not None and c.first - last <= 2 and all(g in {"(", ",", "in", "-", "\u2013"} for g in gap) and gap:
            return c.value
    # a country the graph names ("Koya, Giappone") that the lexicon lacks
    i = last
    while i < rng.stop and i < last + 2 and doc.tokens[i].text in {"(", ",", "in", "-"}:
        i += 1
    if i > last and i < rng.stop and is_capitalised(doc, i, lex):
        for p in resolver.index.lookup(doc.tokens[i].text):
            if p.kind == COUNTRY and p.country:
                return p.country
    return None


def organisation_at(
    doc: Annotated, lex: Lexicon, places: list[PlaceMention], first: int, stop: int
) -> tuple[Organisation, int] | None:
    """An organisation whose name starts at token ``first`` ("Ambasciata del Giappone in Italia",
    "Istituto Giapponese di Cultura di Roma"): the organisation and the token after its name."""
    cue = doc.cue_at("organisations", first)
    if cue is None:
        return None
    j = cue.last
    while j < stop:
        t = doc.tokens[j]
        if is_capitalised(doc, j, lex) or doc.covering("countries", j) is not None:
            j += 1
        elif (
            t.lower in lex.name_connectors
            and j + 1 < stop
            and (is_capitalised(doc, j + 1, lex) or doc.covering("countries", j + 1) is not None)
        ):
            j += 2
        else:
            break
    inside = [m for m in places if first <= m.first and m.last <= j]
    country = next((m.ref for m in inside if m.is_country), None)
    if country is None:
        code = next((c.value for c in doc.cues_in("countries", doc.tokens[first].sent) if first <= c.first < j), None)
        country = PlaceRef(code, None, country=code, kind=COUNTRY) if code else None
    towns = [m.ref for m in inside if not m.is_country]
    countries = [m for m in inside if m.is_country]
    accredited = countries[1].ref if len(countries) > 1 else None
    if country is not None and accredited is None:  # "Ambasciata del Giappone in Italia"
        after_in = [m for m in countries if m.first > first and doc.tokens[m.first - 1].lower == "in"]
        accredited = after_in[0].ref if after_in and after_in[0].ref != country else None
    org = Organisation(
        doc.span_text(first, j),
        cue.value,
        country=country,
        located_in=towns[-1] if towns else None,
        accredited_to=accredited,
    )
    return org, j


def person_after(doc: Annotated, i: int, lex: Lexicon, stop: int | None = None) -> tuple[str, int, int] | None:
    """A person's name (2-5 capitalised words) starting at token ``i``: name, first, last."""
    if i >= len(doc.tokens):
        return None
    if stop is None:
        stop = doc.sentence_range(doc.tokens[i].sent).stop
    j = i
    words = 0
    while j < stop and j - i < 6:
        t = doc.tokens[j]
        if t.glued and words:  # "Piedmont" "-" "Smith", "Dong" "-" "han"
            j += 1
        elif (
            _person_word(doc, j, lex)
            or (words and _surname_like_country(doc, j, lex))
            or (words and t.is_title and t.lower in lex.months and doc.tokens[j - 1].lower in _PERSON_PARTICLES)
            or (
                not words
                and t.is_title
                and t.lower in lex.months
                and j + 1 < stop
                and _person_word(doc, j + 1, lex)
                and not (j > 0 and doc.tokens[j - 1].text.isdigit())
            )
        ):  # ("Lucia De Marzo", "Jan Michalski", "April Jones": a month's word in a name)
            words += 1
            j += 1
        elif t.lower in _PERSON_PARTICLES and words and j + 1 < stop and _person_word(doc, j + 1, lex):
            j += 1
        elif re.fullmatch(r"[A-Z]\.", t.text) and j + 1 < stop:
            j += 1
        else:
            break
    if words < 2:
        return None
    return doc.span_text(i, j), i, j


def person_before(doc: Annotated, i: int, lex: Lexicon) -> tuple[str, int, int] | None:
    """A person's name ending just before token ``i`` ("Valter Stoppini, sindaco di Assisi", "Jane
    Doe (Town Clerk)", "Elena Vitali – Vicesindaco – presente")."""
    j = i
    if j - 1 >= 0 and doc.tokens[j - 1].text in {",", "(", "\u2013", "\u2014", "-"} and not doc.tokens[j - 1].glued:
        j -= 1
    start = j
    sent = doc.tokens[i].sent if i < len(doc.tokens) else -1
    while (
        start - 1 >= 0
        and doc.tokens[start - 1].sent == sent
        and (
            _person_word(doc, start - 1, lex)
            or doc.tokens[start - 1].lower in _PERSON_PARTICLES
            or (start < j and re.fullmatch(r"[A-Z]\.", doc.tokens[start - 1].text) is not None)
            or (start < j and doc.tokens[start].glued)
            or doc.tokens[start - 1].glued  # "Lee Soo-jin": the hyphen and the lower-case rest
        )
    ):
        start -= 1
    while start < j and (
        doc.tokens[start].lower in _PERSON_PARTICLES or doc.tokens[start].lower.rstrip(".") in lex.titles
    ):
        start += 1  # (a particle, or a title: "Dr. Katrin Lehmann, Consul General")
    if j - start < 2:
        return None
    found = person_after(doc, start, lex, stop=j)
    return found if found and found[2] == j else None


def _surname_like_country(doc: Annotated, j: int, lex: Lexicon) -> bool:
    """ "Anthony Russo", "Maria Tedesco": after a first name, a capitalised word that the lexicon knows
    only as a country's adjective ("russo", "tedesco") is a surname."""
    cue = doc.covering("countries", j)
    return (
        cue is not None
        and cue.first == cue.last - 1
        and is_capitalised(doc, j, lex)
        and not any(doc.covering(k, j) for k in ("offices", "relation_types", "organisations", "meetings"))
    )


def _person_word(doc: Annotated, j: int, lex: Lexicon) -> bool:
    t = doc.tokens[j]
    if not is_capitalised(doc, j, lex) or t.lower in lex.not_names or (t.text.isupper() and len(t.text) > 2):
        return False  # (a word in capitals is a heading's: "APPROVED AS TO FORM")
    return not any(doc.covering(k, j) for k in ("offices", "relation_types", "organisations", "countries", "meetings"))


def with_ref(m: PlaceMention, ref: PlaceRef) -> PlaceMention:
    """The mention resolved again (with a later clue)."""
    return replace(m, ref=ref)
