"""Officials: a person, the office they hold (with its portfolio) and the body they act for.

Forms, in every lexicon language: office [portfolio] [of BODY] [,] PERSON ("il sindaco di Assisi
Valter Stoppini", "l'assessore al turismo Fabrizio Leggio", "Mayor Jane Doe of Springfield"),
PERSON, office of BODY ("Jane Doe, mayor of Springfield"), BODY office PERSON ("Springfield Mayor
Jane Doe"). A municipal office with no body named is the article's own town's; a diplomat's body is
the country they represent ("l'ambasciatore del Giappone", "the Japanese ambassador"), whose mission
(its embassy) is the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from graphkit.extract.annotate import Annotated, Cue
from graphkit.extract.context import Context
from graphkit.extract.lexicon import Lexicon
from graphkit.extract.mentions import PlaceMention, name_spans, person_after, person_before
from graphkit.extract.model import Office, Organisation, PlaceRef
from graphkit.extract.places import ADMIN, COUNTRY, MUNICIPALITY
from graphkit.places.gazetteer import normalise_name, us_state_names

_ARTICLES = frozenset({"il", "lo", "la", "l'", "the", "a", "an"})
_DETERMINERS = frozenset(
    {
        "il",
        "lo",
        "la",
        "l'",
        "the",
        "i",
        "a",
        "an",
        "dal",
        "dalla",
        "dall'",
        "del",
        "della",
        "dell'",
        "al",
        "alla",
        "all'",
        "col",
        "con",
        "e",
        "and",
        "by",
        "of",
        "with",
        "from",
        "to",
    }
)


def office_mentions(ctx: Context) -> list[Office]:
    """Every mention of a person with an office, in text order (a person named twice, twice)."""
    out: list[Office] = []
    named: dict[tuple[str, str], Office] = {}  # the mention that names the body ("il sindaco di Assisi")
    for found in _readings(ctx):
        office = replace(found.office, id=f"o{len(out) + 1}")
        out.append(office)
        if found.explicit:
            named.setdefault((office.person, office.role), office)
    return [
        replace(o, body=named[(o.person, o.role)].body, organisation=named[(o.person, o.role)].organisation)
        if (o.person, o.role) in named
        else o
        for o in out
    ]


def distinct_offices(mentions: list[Office]) -> list[Office]:
    """One office per person and role (the first mention), numbered o1, o2..."""
    out: list[Office] = []
    seen: set[tuple[str, str]] = set()
    for o in mentions:
        if (o.person, o.role) not in seen:
            seen.add((o.person, o.role))
            out.append(replace(o, id=f"o{len(out) + 1}"))
    return out


def person_tokens(ctx: Context) -> set[int]:
    """Tokens of every person named next to an office (not places, even when a town has the name)."""
    tokens: set[int] = set()
    for found in _readings(ctx):
        tokens.update(range(*found.person))
    for sent in range(len(ctx.doc.sentences)):
        for cue in ctx.doc.cues_in("offices", sent):
            end = _portfolio(ctx, cue)[2]
            for person in (
                person_after(ctx.doc, _skip_comma(ctx, end), ctx.lex),
                person_before(ctx.doc, _back(ctx, cue.first), ctx.lex),
            ):
                if person:
                    tokens.update(range(person[1], person[2]))
    return tokens


def surnames_after_titles(doc: Annotated, lex: Lexicon) -> set[int]:
    """ "Mayor-President Broussard", "Ms Tanabe", "Cllr Briggs": one capitalised word right after an
    office or a title (and no further name word) is a person's surname, whatever town has the name."""
    out: set[int] = set()
    for i, t in enumerate(doc.tokens[:-1]):
        after_title = t.lower.rstrip(".") in lex.titles and t.is_title
        cue = doc.cue_at("offices", i)
        if not after_title and cue is None:
            continue
        j = cue.last if cue is not None else i + 1
        if j < len(doc.tokens) and doc.tokens[j].text == ".":
            j += 1
        if j + 1 > len(doc.tokens) or not doc.tokens[j].is_title or doc.tokens[j].sent != t.sent:
            continue
        following = doc.tokens[j + 1] if j + 1 < len(doc.tokens) else None
        if following is None or not (following.is_title or following.glued):
            out.add(j)
    return out


@dataclass(frozen=True)
class _Reading:
    office: Office
    explicit: bool  # the text names the body at this mention
    person: tuple[int, int]  # tokens of the person's name


def _readings(ctx: Context) -> list[_Reading]:
    """Every office cue read with its person(s) and body; a cue used as a title ("the Mayor of X,
    Councillor Jane Doe") is not read again as an office of its own."""
    out: list[_Reading] = []
    titles: set[int] = set()
    for sent in range(len(ctx.doc.sentences)):
        for cue in ctx.doc.cues_in("offices", sent):
            if cue.first in titles:
                continue
            read = _office(ctx, cue)
            for r in read:
                titles.update(i for i in range(cue.last, r.person[0]) if ctx.doc.cue_at("offices", i))
            out.extend(read)
    named = {r.person for r in out}
    out.extend(r for r in _roll_calls(ctx) if not any(a <= r.person[0] < b for a, b in named))
    return out


def _skip_gloss(ctx: Context, i: int, stop: int) -> int:
    """The token after a one- or two-word gloss in brackets right after an office ("il sindaco
    (burmistrz) di Bochnia", "the mayor (alcalde) of X"); ``i`` when there is none."""
    doc = ctx.doc
    if i < stop and doc.tokens[i].text == "(":
        for k in (i + 2, i + 3):
            if k < stop and doc.tokens[k].text == ")" and all(t.text.isalpha() for t in doc.tokens[i + 1 : k]):
                return k + 1
    return i


def _roll_calls(ctx: Context) -> list[_Reading]:
    """The members a council record's roll call lists ("Presenti (13): Daniela Bernardis (Sindaca),
    Paolo Zuliani, ...", "Present: Cllr A, B and C"): a roll-call word opening a line, an optional
    count, a colon, then names; each a council member of the article's town (one with an office of
    its own, "(Sindaca)", is read from that office)."""
    doc, lex = ctx.doc, ctx.lex
    out: list[_Reading] = []
    for sent in range(len(doc.sentences)):
        rng = doc.sentence_range(sent)
        if rng.start > 0 and "\n" not in doc.text[doc.tokens[rng.start - 1].end : doc.tokens[rng.start].start]:
            continue  # (a roll call opens its line)
        i = ctx.phrase_at(rng.start, lex.roll_calls)
        if i is None:
            continue
        if i + 2 < rng.stop and doc.tokens[i].text == "(" and doc.tokens[i + 2].text in {")", "):"}:
            i += 2 if doc.tokens[i + 2].text == "):" else 3  # "Presenti (13):" (spaCy may glue "):")
        if i >= rng.stop or doc.tokens[i].text not in {":", "):"}:
            continue
        i += 1
        while i < rng.stop:
            person = person_after(doc, _skip_titles(ctx, i), lex, rng.stop)
            if person is None:
                break
            evidence = ctx.evidence(doc.tokens[person[1]].start, doc.tokens[person[2] - 1].end)
            office = Office("o0", person[0], lex.roll_call_office, "council-member", evidence, ctx.home, None)
            out.append(_Reading(office, ctx.home is not None, (person[1], person[2])))
            i = person[2]
            if i < rng.stop and doc.tokens[i].text == "(":  # "(Sindaca)": past the bracket
                i = next((k + 1 for k in range(i, rng.stop) if doc.tokens[k].text == ")"), rng.stop)
            if i < rng.stop and doc.tokens[i].lower in lex.and_markers:
                i += 1
            else:
                break
    return out


def _office(ctx: Context, cue: Cue) -> list[_Reading]:
    """The office(s) at ``cue``: its person (several after a plural, "i sindaci X e Y") and body."""
    doc, lex = ctx.doc, ctx.lex
    stop = doc.sentence_range(cue.sent).stop
    portfolio, words, end = _portfolio(ctx, cue)
    end = _skip_gloss(ctx, end, stop)  # "il sindaco (burmistrz) di Bochnia"
    body, end = _body_after(ctx, end, stop)
    if body is not None and cue.value in lex.diplomatic_roles and doc.tokens[cue.last].lower in lex.host_markers:
        body = None  # "Chile's ambassador to Australia": the host country, not the one represented
    if body is not None and not body.is_country:
        named = [doc.cue_at("countries", k) for k in range(body.first, body.last)]
        if any(c is not None and c.last == body.last for c in named):
            body, end = None, cue.last  # "della Repubblica (Federale) di Germania": a country by its long name
    if body is not None and not body.is_country:
        end = _skip_region(ctx, end, stop)  # "the Municipal President of Hermosillo, Sonora, X"
    body_first = body.first if body else None
    end = _skip_diplomatic_country(ctx, cue, body, end, stop)
    if cue.phrase in lex.plural_offices:
        end = _past_roll_call_colon(ctx, end, stop)  # "Aldermen present: Greg Malone, Teresa Novak"
    if end < stop and doc.tokens[end].text == "." and len(doc.tokens[end - 1].text) <= 4:
        end += 1  # "State Sen. Robert Kowalczyk", "Ald. Jan Michalski"
    person = person_after(doc, _skip_titles(ctx, _skip_comma(ctx, end)), lex)
    span_start = _with_determiner(ctx, cue.first)
    if person is None:
        person = person_before(doc, _back(ctx, _past_possessive(ctx, cue.first)), lex)
        if person is not None:
            span_start = person[1]
        elif (qualified := _qualified(ctx, cue, end, stop)) is not None:
            person, referred = qualified  # "il sindaco della città istriana, Damir Kovačić"
            body = body if body is not None else referred
        elif (signed := _name_on_next_line(ctx, cue, end, stop)) is not None:
            person, referred = signed  # "Il Sindaco\nMario Rossi" under a letter
            body = body if body is not None else referred
        else:
            return []
    if body is None and person[1] > cue.first:  # "Mayor Jane Doe of Springfield"
        after, _ = _body_after(ctx, person[2], stop)
        if after is not None and doc.tokens[person[2]].lower in lex.body_markers:
            body = after
    if body is None:  # "Springfield Mayor Jane Doe", "the Japanese ambassador"
        body = _body_before(ctx, cue.first)
    if body is None and cue.value in ("legislator", "governor"):  # "Michigan State Sen. X", "Louisiana Lt. Governor X"
        body = _state_before(ctx, cue.first)
    if body is None:  # "il Comune di Deruta, rappresentato dalla vicesindaca X"
        body = _represented(ctx, cue)
    if body is None:  # "l'assessora regionale alle politiche migratorie della Puglia": the region named
        body = _region_of_office(ctx, cue)
    if body is None:  # "the town's mayor": the town just named
        body = _town_just_named(ctx, cue)
    explicit = body is not None
    acting: PlaceMention | str | None = body
    if body is None:  # "per Xi'an il vicesindaco Li Ming", "una delegazione francese guidata dal sindaco X"
        acting = _acting_for(ctx, cue)
    role = "councillor" if cue.value == "council-member" and portfolio else cue.value
    people = [person]
    if cue.phrase in lex.plural_offices and person[1] > cue.first:
        people += _coordinated_people(ctx, person[2], stop)
    bodies: list[PlaceMention | None | str] = [acting] * len(people)
    if len(people) > 1 and acting is None:  # "firmato dai sindaci X e Y": one for each town of the sentence
        towns = _towns_in_sentence(ctx, cue.sent)
        if len(towns) == len(people):
            bodies = list(towns)
    out = []
    for who, where in zip(people, bodies, strict=True):
        place = where if isinstance(where, PlaceMention) else None
        ref, org = _body_ref(ctx, role, place, cue, unknown=where == _UNKNOWN)
        first = person[1] if who is person and person[1] < cue.first else span_start
        if place is not None and place.first < first and who is person:
            first = place.first
        last_char = max(
            doc.tokens[who[2] - 1].end, cue.end, place.end if place is not None and body_first is not None else 0
        )
        evidence = ctx.evidence(
            doc.tokens[first].start if first < len(doc.tokens) else cue.start, last_char, focus=(cue.start, last_char)
        )
        office = Office("o0", who[0], cue.phrase, role, evidence, ref, org, portfolio, words)
        out.append(_Reading(office, explicit, (who[1], who[2])))
    return out


def _past_roll_call_colon(ctx: Context, i: int, stop: int) -> int:
    """The token after the colon of a roll call after a plural office ("Aldermen present:",
    "Consiglieri presenti:", "Councillors:"), whose names follow; ``i`` when there is none."""
    doc = ctx.doc
    j = i
    while j < stop and j - i < 2 and doc.tokens[j].text.isalpha() and doc.tokens[j].text.islower():
        j += 1
    return j + 1 if j + 1 < stop and doc.tokens[j].text == ":" else i


def _qualified(ctx: Context, cue: Cue, i: int, stop: int) -> tuple[tuple[str, int, int], PlaceMention | None] | None:
    """The person after an office's lower-case qualifier and a comma ("il sindaco della città istriana,
    Damir Kovačić", "il capogruppo di minoranza in consiglio comunale, Davide Zeni", "the mayor of
    the partner city, Jane Doe"), and the town a place noun in it refers to (the town named last
    before the office, in its sentence or the one before)."""
    doc = ctx.doc
    j = i
    noun_seen = False
    while j < stop and j - i < 7 and doc.tokens[j].text.replace("'", "").isalpha():
        t = doc.tokens[j]
        body_word = t.lower in ctx.lex.place_nouns or doc.covering("organisations", j) is not None
        if not t.text.islower() and not body_word and not (noun_seen and t.is_title):
            break  # ("del Comune", "del Comitato Gemellaggi", then "della cittadina dell'Alta Garonna")
        noun_seen = noun_seen or body_word
        j += 1
    if j == i or j >= stop or doc.tokens[j].text != ",":
        return None
    person = person_after(doc, _skip_titles(ctx, j + 1), ctx.lex)
    if person is None:
        return None
    named = [m for m in ctx.places if i <= m.first and m.last <= j and not m.is_country]
    if named:
        return person, named[-1]  # "la presidente del comité de jumelage di Mamers, Sylvie Garnier"
    nouns = [t for t in doc.tokens[i:j] if t.lower in ctx.lex.place_nouns]
    if not nouns or any(t.is_title for t in nouns):
        return person, None  # ("del Comune", "of the City": the article's own town)
    before = [m for m in ctx.places if m.last <= cue.first and not m.is_country and m.first not in ctx.person_tokens]
    codes = {c.value for c in doc.cues_in("countries", cue.sent) if i <= c.first < j}
    if codes:  # "il sindaco della città giapponese, X": the town of that country named last
        of_country = [m for m in ctx.places if not m.is_country and m.ref.country in codes and m.first < cue.first]
        return person, (of_country[-1] if of_country else None)
    return person, (before[-1] if before and cue.sent - before[-1].sent <= 1 else None)


def _name_on_next_line(
    ctx: Context, cue: Cue, i: int, stop: int
) -> tuple[tuple[str, int, int], PlaceMention | None] | None:
    """A signature: the office alone on its line ("La presidente del Comitato Gemellaggi Spilimbergo",
    "Il Sindaco") and the person's name alone on the next; the town the office line names, if any."""
    doc = ctx.doc
    if cue.sent + 1 >= len(doc.sentences) or any(t.text in {".", ",", ";", ":"} for t in doc.tokens[i:stop]):
        return None
    if any(t.text.isalpha() and t.text.islower() and t.lower not in _DETERMINERS for t in doc.tokens[i:stop]):
        return None  # (prose goes on after the office)
    nxt = doc.sentence_range(cue.sent + 1)
    if "\n" not in doc.text[doc.tokens[stop - 1].end : doc.tokens[nxt.start].start]:
        return None
    person = person_after(doc, _skip_titles(ctx, nxt.start), ctx.lex, nxt.stop)
    if person is None or person[2] < nxt.stop - (doc.tokens[nxt.stop - 1].text == "."):
        return None
    named = [m for m in ctx.places if i <= m.first and m.last <= stop and not m.is_country]
    return person, (named[-1] if named else None)


def _town_just_named(ctx: Context, cue: Cue) -> PlaceMention | None:
    """The body of "the town's mayor", "its mayor", "il suo sindaco": the town named last before."""
    doc = ctx.doc
    words = " ".join(t.lower for t in doc.tokens[max(0, cue.first - 3) : cue.first]).replace(" '", "'")
    if not any(words == p or words.endswith(" " + p) for p in ctx.lex.own_town):
        return None
    before = [m for m in ctx.places if m.last <= cue.first and not m.is_country and m.first not in ctx.person_tokens]
    return before[-1] if before and cue.sent - before[-1].sent <= 1 else None


_UNKNOWN = "unknown"  # the text says the body is some other town, but not which one


def _skip_diplomatic_country(ctx: Context, cue: Cue, body: PlaceMention | None, end: int, stop: int) -> int:
    """After "l'ambasciatore del Giappone", "l'ambasciatrice cinese", "the consul of Germany": skip
    the country adjective and the host ("in Italia", "to Italy", "a Perugia") before the name."""
    doc = ctx.doc
    j = _past_connectors(ctx, end, stop) if body is None else end  # "della Repubblica Federale di Germania"
    adjective = doc.cue_at("countries", j) if body is None else None
    if body is None and adjective is None:
        adjective = _country_by_long_name(ctx, j, stop)  # "della Repubblica di Polonia"
    if adjective is not None and adjective.sent == cue.sent:
        end = adjective.last
    elif body is None or not body.is_country:
        return end
    if end + 1 < stop and doc.tokens[end].lower in ctx.lex.host_markers:
        at = end + 1
        while at + 1 < stop and doc.tokens[at].lower in _ARTICLES:
            at += 1  # "to the United Kingdom"
        host = ctx.place_starting(at)
        if host is not None:
            return host.last
        country = doc.cue_at("countries", at)
        if country is not None:
            return country.last
        span = next(((a, b) for a, b in name_spans(doc, cue.sent, ctx.lex) if a == at), None)
        if span is not None and span[1] - span[0] <= 3 and span[1] < stop and doc.tokens[span[1]].text == ",":
            return span[1]  # "the Honorary Consul of Ukraine in Minnesota, X": a host the graph lacks
    return end


def _past_connectors(ctx: Context, i: int, stop: int) -> int:
    """The token after at most two articles or body markers from ``i`` ("della", "of the")."""
    j = i
    while (
        j < stop
        and j - i < 2
        and (ctx.doc.tokens[j].lower in ctx.lex.body_markers or ctx.doc.tokens[j].lower in _DETERMINERS)
    ):
        j += 1
    return j


def _country_by_long_name(ctx: Context, j: int, stop: int) -> Cue | None:
    """The country named at the end of a state's long name starting at token ``j`` ("Repubblica di
    Polonia", "Republic of Korea", "Hellenic Republic"): capitalised words and connectors, then the
    country, within five tokens; None otherwise."""
    doc = ctx.doc
    for k in range(j, min(stop, j + 5)):
        country = doc.cue_at("countries", k)
        if country is not None:
            return country if k > j else None
        t = doc.tokens[k]
        if not (t.is_title or t.lower in ctx.lex.body_markers or t.lower in _DETERMINERS):
            return None
    return None


def _skip_titles(ctx: Context, i: int) -> int:
    """ "Cllr Eddie Hoare", "Councillor Jane Doe", "dott. Mario Rossi": the name after the titles."""
    doc = ctx.doc
    while i < len(doc.tokens) - 1:
        low = doc.tokens[i].lower.rstrip(".")
        if low in ctx.lex.titles or doc.cue_at("offices", i) is not None and doc.tokens[i].is_title:
            cue = doc.cue_at("offices", i)
            i = cue.last if cue is not None else i + 1
            if i < len(doc.tokens) and doc.tokens[i].text == ".":
                i += 1
            continue
        break
    return i


def _coordinated_people(ctx: Context, i: int, stop: int) -> list[tuple[str, int, int]]:
    """The further names of "i sindaci Marco Rossi e Anna Bianchi", "Mayors Jane Doe and John Roe"."""
    doc, lex = ctx.doc, ctx.lex
    out = []
    while i < stop and doc.tokens[i].lower in lex.and_markers:
        j = i + 1
        while j < stop and doc.tokens[j].lower in _DETERMINERS:
            j += 1
        if doc.cue_at("offices", j) is not None:
            break
        person = person_after(doc, _skip_titles(ctx, j), lex, stop)
        if person is None:
            break
        out.append(person)
        i = person[2]
    return out


def _towns_in_sentence(ctx: Context, sent: int) -> list[PlaceMention]:
    """The towns a sentence names as actors (not where something happens), each once, in order."""
    seen: dict[str, PlaceMention] = {}
    for m in ctx.places:
        if m.sent != sent or m.is_country or m.first in ctx.person_tokens:
            continue
        if m.first > 0 and ctx.doc.tokens[m.first - 1].lower in ctx.lex.locative:
            continue
        seen.setdefault(m.ref.iri or m.name, m)
    return list(seen.values())


def _acting_for(ctx: Context, cue: Cue) -> PlaceMention | str | None:
    """The body a clause gives before an office without one: "per Xi'an il vicesindaco", "for
    Springfield, Mayor X"; or the visiting side of "una delegazione francese guidata dal sindaco X"
    (the town of that country the article names; ``_UNKNOWN`` when it names none or several)."""
    doc, lex = ctx.doc, ctx.lex
    first = ctx.doc.sentence_range(cue.sent).start
    i = cue.first - 1
    while i >= first and cue.first - i <= 6 and doc.tokens[i].text not in {",", ";", ":", "(", ")"}:
        m = ctx.place_starting(i)
        if m is not None and not m.is_country and i > first and doc.tokens[i - 1].lower in lex.acting_for:
            return m
        i -= 1
    side = _side(ctx, cue)
    if side:  # "Per la parte francese ha preso la parola la vicesindaca X"
        return _town_of_country(ctx, side)
    led = _led_by(ctx, cue)
    if led is None:
        return None
    i = led - 1
    if not any(doc.tokens[k].lower in lex.visitor_markers for k in range(max(first, led - 10), led)) and cue.sent:
        # "Da Kőszeg è arrivata una delegazione. A guidare il gruppo il sindaco X": the visitors' town is
        # the one the sentence before names (not the article's own)
        before = doc.sentence_range(cue.sent - 1)
        home = ctx.home.key if ctx.home is not None else None
        towns = [m for m in ctx.places if m.sent == cue.sent - 1 and not m.is_country and m.ref.key != home]
        visiting = any(doc.tokens[k].lower in lex.visitor_markers for k in range(before.start, before.stop))
        return towns[-1] if visiting and len({m.ref.key for m in towns}) == 1 else None
    while i >= first and led - i <= 10:
        if doc.tokens[i].lower in lex.visitor_markers:
            between = [m for m in ctx.places if i < m.first < led and m.sent == cue.sent]
            towns = [m for m in between if not m.is_country]
            if towns:
                return towns[-1]
            codes = {c.value for c in doc.cues_in("countries", cue.sent) if i < c.first < led}
            codes |= {m.ref.country for m in between if m.is_country and m.ref.country}
            return _town_of_country(ctx, codes)
        i -= 1
    return None


def _side(ctx: Context, cue: Cue) -> set[str]:
    """The country of "per la parte francese", "for the Japanese side" opening the office's clause."""
    doc = ctx.doc
    first = doc.sentence_range(cue.sent).start
    for c in doc.cues_in("countries", cue.sent):
        if not first <= c.first < cue.first or cue.first - c.last > 6:
            continue
        words = [t.lower for t in doc.tokens[max(first, c.first - 3) : c.last + 1]]
        if any(w in ctx.lex.side_words for w in words):
            return {c.value}
    return set()


def _led_by(ctx: Context, cue: Cue) -> int | None:
    """The token where "guidata dal", "led by" starts, right before the office (after an article)."""
    doc = ctx.doc
    i = cue.first
    while i > 0 and doc.tokens[i - 1].lower in _ARTICLES:
        i -= 1
    for k in (1, 2, 3, 4, 5):
        if i - k >= 0 and " ".join(t.lower for t in doc.tokens[i - k : i]) in ctx.lex.led_by:
            return i - k
    return None


def _town_of_country(ctx: Context, codes: set[str]) -> PlaceMention | str:
    """The one town of ``codes`` the article names (not its own): the delegation's."""
    if not codes:
        return _UNKNOWN
    home = ctx.home.iri or ctx.home.name if ctx.home else None
    towns = {
        (m.ref.iri or m.name): m
        for m in ctx.places
        if not m.is_country and m.ref.country in codes and (m.ref.iri or m.name) != home
    }
    return next(iter(towns.values())) if len(towns) == 1 else _UNKNOWN


def _portfolio(ctx: Context, cue: Cue) -> tuple[str | None, str | None, int]:
    """The sector after "assessore al ..." / "councillor for ...": concept, words, token after."""
    doc = ctx.doc
    first = cue.last
    found = _one_portfolio(ctx, cue, first)
    if found is None:
        end = _free_portfolio(ctx, cue, first)
        return None, (doc.span_text(first, end) if end > first else None), end
    value, end = found
    while end + 1 < len(doc.tokens) and doc.tokens[end].lower in ctx.lex.and_markers:
        more = _one_portfolio(ctx, cue, end + 1)  # "alla cultura e al turismo": the first names the sector
        if more is None:
            break
        end = more[1]
    return value, doc.span_text(first, end), end


def _one_portfolio(ctx: Context, cue: Cue, i: int) -> tuple[str, int] | None:
    """ "al turismo", "for tourism" at token ``i``: the sector and the token after it."""
    after = ctx.phrase_at(i, ctx.lex.portfolio_markers)
    c = ctx.doc.cue_at("portfolios", after) if after is not None and after < len(ctx.doc.tokens) else None
    return (c.value, c.last) if c is not None and c.sent == cue.sent else None


def _free_portfolio(ctx: Context, cue: Cue, i: int) -> int:
    """The end of a portfolio the lexicon does not list ("deputy mayor for urban services, Carmen
    Lasheras", "l'assessora alle pari opportunità Anna Neri"): a marker and at most five lower-case
    words right before a comma and a name, or a name; ``i`` when there is none."""
    doc = ctx.doc
    stop = doc.sentence_range(cue.sent).stop
    words = ctx.phrase_at(i, ctx.lex.portfolio_markers)
    if words is None:
        return i
    j = words
    while j < stop and j - words < 5 and doc.tokens[j].text.isalpha() and doc.tokens[j].text.islower():
        j += 1
    if j > words and j < stop and ctx.place_starting(j) is None:
        if person_after(doc, _skip_titles(ctx, _skip_comma(ctx, j)), ctx.lex) is not None:
            return j
    # "dell'Assessore alle Politiche europee e ai Gemellaggi, avv. Giorgia Rossetti" (a delibera's
    # capitals), "deputy mayor for European and international relations, Céline Garreau": up to a comma
    j = words
    while j < stop and j - words < 9 and doc.tokens[j].text != ",":
        t = doc.tokens[j]
        if not (t.text.replace("'", "").isalpha()) or doc.cue_at("offices", j) is not None:
            return i
        j += 1
    if j == words or j >= stop:
        return i
    return j if person_after(doc, _skip_titles(ctx, j + 1), ctx.lex) is not None else i


def _body_after(ctx: Context, i: int, stop: int) -> tuple[PlaceMention | None, int]:
    """ "di Assisi", "del comune di Assisi", "del Giappone", "of Springfield" right at token ``i``."""
    doc, lex = ctx.doc, ctx.lex
    j = i
    while j < stop and j - i < 5:
        m = ctx.place_starting(j)
        if m is not None and j > i:
            return m, m.last
        low = doc.tokens[j].lower
        if low in lex.body_markers or doc.covering("body_prefixes", j) is not None or low in _DETERMINERS:
            j += 1
            continue
        if low in lex.area_words and j > i:  # "il vicegovernatore della prefettura di Fukui"
            j += 1
            continue
        break
    return None, i


def _skip_region(ctx: Context, i: int, stop: int) -> int:
    """The token after ", Sonora" or ", Japan" right after a body when a name follows ("of Hermosillo,
    Sonora, Alejandro Ruiz", "di Beaumont (Puy-de-Dôme), Philippe Roussel"): a place between commas
    or in brackets that says where the body is; else ``i``."""
    doc = ctx.doc
    if i < stop and doc.tokens[i].text == "(":  # "il Maire della città di Beaumont (Puy-de-Dôme), X"
        close = next((k for k in range(i + 1, min(stop, i + 8)) if doc.tokens[k].text == ")"), None)
        if close is not None and close + 1 < stop and doc.tokens[close + 1].text == ",":
            if person_after(doc, _skip_titles(ctx, close + 2), ctx.lex) is not None:
                return close + 1
        return i
    if i + 2 >= stop or doc.tokens[i].text != ",":
        return i
    m = ctx.place_starting(i + 1)
    last = m.last if m is not None else None
    if last is None and (country := doc.cue_at("countries", i + 1)) is not None:
        last = country.last
    if last is None and doc.tokens[i + 1].is_title:  # a region the graph does not know ("Toledo, Castilla,")
        span = next(((a, b) for a, b in name_spans(doc, doc.tokens[i + 1].sent, ctx.lex) if a == i + 1), None)
        last = span[1] if span is not None and span[1] - span[0] <= 3 else None
    if last is None or last >= stop or doc.tokens[last].text != ",":
        return i
    return last if person_after(doc, _skip_titles(ctx, last + 1), ctx.lex) is not None else i


def _represented(ctx: Context, cue: Cue) -> PlaceMention | None:
    """The town of "X, rappresentato dalla vicesindaca ...", "X, represented by Mayor ...": named right
    before the comma that opens the phrase."""
    doc = ctx.doc
    for phrase in ctx.lex.represented_by:
        words = phrase.split()
        for k in (cue.first - len(words), cue.first - len(words) - 1):  # (an article may stand between)
            if k < 2 or [t.lower for t in doc.tokens[k : k + len(words)]] != words:
                continue
            if doc.tokens[k - 1].text != ",":
                continue
            town = next((m for m in ctx.places if m.last == k - 1 and not m.is_country), None)
            if town is not None:
                return town
    return None


def _body_before(ctx: Context, i: int) -> PlaceMention | None:
    """ "Springfield Mayor", "Kyoto's deputy mayor", "Nantes' deputy mayor", "Griffith City Council
    general manager": the town named right before an office."""
    doc = ctx.doc
    for m in ctx.places:
        between = [t.lower for t in doc.tokens[m.last : i]]
        if m.last == i or (len(between) == 1 and between[0] in {"'s", "the", "'"}):
            return m
        if 0 < len(between) <= 3 and " ".join(between) in _COUNCIL_WORDS:
            return m
    return None


#: Words between a town and an office of its council: "Griffith City Council general manager".
_COUNCIL_WORDS = frozenset({"city council", "town council", "council", "county council", "borough council", "city"})


def _region_of_office(ctx: Context, cue: Cue) -> PlaceMention | None:
    """For a region's or province's office ("assessora regionale", "consigliere regionale",
    "regional councillor"), the one region or province its sentence names."""
    before = [t.lower for t in ctx.doc.tokens[max(0, cue.first - 2) : cue.first]]  # "regional councillor"
    if not any(w in ctx.lex.regional_words for w in cue.phrase.split() + before):
        return None
    areas = [m for m in ctx.places if m.sent == cue.sent and m.ref.kind == ADMIN]
    return areas[0] if len({m.ref.key for m in areas}) == 1 else None


def _state_before(ctx: Context, i: int) -> PlaceMention | None:
    """A US state named right before token ``i`` (one or two words: "Michigan", "New York")."""
    doc = ctx.doc
    for k in (2, 1):
        if i - k < 0 or not all(t.is_title for t in doc.tokens[i - k : i]):
            continue
        name = doc.span_text(i - k, i)
        if normalise_name(name) in us_state_names():
            t0, t1 = doc.tokens[i - k], doc.tokens[i - 1]
            return PlaceMention(i - k, i, t0.sent, t0.start, t1.end, name, PlaceRef(name, country="US", kind=ADMIN))
    return None


def _body_ref(
    ctx: Context, role: str, body: PlaceMention | None, cue: Cue, unknown: bool = False
) -> tuple[PlaceRef | None, Organisation | None]:
    lex = ctx.lex
    if role in lex.diplomatic_roles:
        country = body.ref if body is not None and body.is_country else _country_near(ctx, cue)
        if country is None:
            country = _embassy_country(ctx)
        if country is None:
            return None, None
        mission = Organisation(f"embassy of {country.name}", "embassy", country=country)
        return country, mission
    if body is not None and not body.is_country:
        return body.ref, None
    if cue.phrase in lex.foreign_offices and (town := _foreign_town(ctx, cue)) is not None:
        return town, None
    municipal = role in lex.municipal_roles or not lex.municipal_words.isdisjoint(cue.phrase.split())
    municipal = municipal or _municipal_unit(ctx, cue)
    if municipal and not unknown and (subject := _sentence_subject(ctx, cue)) is not None:
        return subject, None  # "The city council of Zadar ... Mayor Ante Lukić said"
    if municipal and ctx.home is not None and not unknown:
        return ctx.home, None
    return None, None


def _municipal_unit(ctx: Context, cue: Cue) -> bool:
    """ "Director of the Municipal Foreign Affairs Office", "direttore dell'ufficio relazioni
    internazionali comunale": an office in a town's own administration (up to the next comma)."""
    doc = ctx.doc
    before = [t.lower for t in doc.tokens[max(0, cue.first - 2) : cue.first]]
    if len(before) == 2 and before[1] == "'s" and before[0] in ctx.lex.municipal_words:
        return True  # "the council's Head of International Relations"
    stop = doc.sentence_range(cue.sent).stop
    for j in range(cue.last, min(stop, cue.last + 7)):
        if doc.tokens[j].text in {",", ";", "(", ")"}:
            return False
        if doc.tokens[j].lower in ctx.lex.municipal_words:
            return True
    return False


def _sentence_subject(ctx: Context, cue: Cue) -> PlaceRef | None:
    """The town a paragraph is about when it is not the article's own: named as the actor (not "with
    X", "in X", "the city of X" after a verb) before the office in its sentence, or among the first
    words of the sentence before in the same paragraph ("The city council of Zadar on Tuesday approved
    ... Mayor Ante Lukić said")."""
    doc = ctx.doc
    home = ctx.home.iri if ctx.home is not None else None
    rng = doc.sentence_range(cue.sent)
    spans = [(rng.start, cue.first)]
    if cue.sent > 0:
        prev = doc.sentence_range(cue.sent - 1)
        quoted = doc.tokens[prev.start].text in {'"', "«", "“", "'", "‘"}
        if "\n\n" not in doc.text[doc.tokens[prev.start].start : cue.start] and not quoted:
            spans.insert(0, (prev.start, min(prev.start + 6, prev.stop)))
    for lo, hi in reversed(spans):
        for m in ctx.places:
            if not lo <= m.first < hi or m.is_country or m.ref.kind != MUNICIPALITY or m.first in ctx.person_tokens:
                continue
            before = doc.tokens[m.first - 1].lower if m.first else ""
            if before in ctx.lex.locative or _partner_named(ctx, m) or _quoted(ctx, m.first):
                continue  # («… i cittadini di Uglich …», ha spiegato il sindaco: a quote names no actor)
            if m.first >= 2 and doc.covering("offices", m.first - 2) is not None and before in ctx.lex.body_markers:
                continue  # "la sindaca di Witzenhausen, X, accolta dal sindaco Y": X's town, not Y's
            return None if (m.ref.iri or m.name) == home else m.ref
    return None


_OPENING_QUOTES = frozenset({"«", "“", '"'})
_CLOSING_QUOTES = frozenset({"»", "”", '"'})


def _quoted(ctx: Context, i: int) -> bool:
    """Whether token ``i`` is inside a quotation (« », “ ”, straight quotes) opened in its paragraph."""
    doc = ctx.doc
    para = doc.text.rfind("\n\n", 0, doc.tokens[i].start)
    lo = i
    while lo > 0 and doc.tokens[lo - 1].start > para:
        lo -= 1
    depth = 0
    for t in doc.tokens[lo:i]:
        if t.text == '"':
            depth = 1 - depth
        elif t.text in _OPENING_QUOTES:
            depth += 1
        elif t.text in _CLOSING_QUOTES and depth:
            depth -= 1
    return depth > 0


def _partner_named(ctx: Context, m: PlaceMention) -> bool:
    """ "con la città di X", "with the Brazilian city of X", "una delegazione della città di X": a
    partner or a visitor, not the actor."""
    doc, lex = ctx.doc, ctx.lex
    i = m.first - 1
    while i >= 0 and m.first - i <= 5:
        if doc.tokens[i].text in {",", ";", "."}:
            return False
        if doc.tokens[i].lower in lex.with_markers or doc.tokens[i].lower in lex.visitor_markers:
            return True
        i -= 1
    return False


def _foreign_town(ctx: Context, cue: Cue) -> PlaceRef | None:
    """The town an official with a foreign title acts for ("dal Bürgermeister Otto Feist"): the last
    town other than the article's own named before the title."""
    home = ctx.home.iri if ctx.home is not None else None
    for m in reversed(ctx.places):
        if m.first >= cue.first or m.is_country or m.ref.kind not in (MUNICIPALITY, None):
            continue
        if (m.ref.iri or m.name) == home:
            continue
        if any(t.lower in ctx.lex.area_words for t in ctx.doc.tokens[max(0, m.first - 3) : m.first]):
            continue  # "nello stato brasiliano di Santa Catarina": a region
        return m.ref
    return None


def _embassy_country(ctx: Context) -> PlaceRef | None:
    """The country of the one embassy or consulate the article names ("presso l'Ambasciata della
    Repubblica Popolare Cinese ... l'ambasciatore Jia Guide")."""
    codes = set()
    for sent in range(len(ctx.doc.sentences)):
        for org in ctx.doc.cues_in("organisations", sent):
            if org.value != "embassy" and "consol" not in org.phrase and "consul" not in org.phrase:
                continue
            for c in ctx.doc.cues_in("countries", sent):
                if org.last <= c.first <= org.last + 2 or c.last == org.first:  # (or "the Mexican consulate")
                    codes.add(c.value)
                    break
            else:
                m = next((m for m in ctx.places if m.is_country and org.last <= m.first <= org.last + 2), None)
                if m is not None and m.ref.country:
                    codes.add(m.ref.country)
    if len(codes) != 1:
        return None
    return _country_ref(ctx, codes.pop(), None)


def _country_near(ctx: Context, cue: Cue) -> PlaceRef | None:
    """ "l'ambasciatore giapponese", "the Japanese Ambassador", "Ambassador of Japan"."""
    for c in ctx.doc.cues_in("countries", cue.sent):
        if abs(c.first - cue.last) <= 2 or abs(cue.first - c.last) <= 1:
            return _country_ref(ctx, c.value, c.phrase)
    stop = ctx.doc.sentence_range(cue.sent).stop
    long_name = _country_by_long_name(
        ctx, _past_connectors(ctx, cue.last, stop), stop
    )  # "il console della Repubblica di Polonia"
    return _country_ref(ctx, long_name.value, long_name.phrase) if long_name is not None else None


def _country_ref(ctx: Context, code: str, phrase: str | None) -> PlaceRef:
    iri = ctx.resolver.index.country_iri(code)
    if iri is None:
        return PlaceRef(phrase or code, None, country=code, kind=COUNTRY)
    place = ctx.resolver.index.places[iri]
    return ctx.resolver.ref(place.label(ctx.lex.language)[0], place, ctx.lex.language)


def _skip_comma(ctx: Context, i: int) -> int:
    while i < len(ctx.doc.tokens) and ctx.doc.tokens[i].text in {",", "(", "\u2013", "-", ":"}:
        i += 1
    return i


def _past_possessive(ctx: Context, i: int) -> int:
    """The token where "Italy's" or "Springfield's" starts when it stands right before token ``i``
    ("Dr. Teresa Moroni, Italy's honorary consul in Detroit"); ``i`` otherwise."""
    doc = ctx.doc
    if i < 2 or doc.tokens[i - 1].lower != "'s":  # (token lower forms have one kind of apostrophe)
        return i
    country = doc.covering("countries", i - 2)
    if country is not None:
        return country.first
    place = next((m for m in ctx.places if m.last == i - 1), None)
    return place.first if place is not None else i


def _back(ctx: Context, i: int) -> int:
    """Token index just after a name that would precede an office ("Jane Doe, the mayor")."""
    while i > 0 and ctx.doc.tokens[i - 1].lower in _ARTICLES:
        i -= 1
    return i


def _with_determiner(ctx: Context, i: int) -> int:
    return i - 1 if i > 0 and ctx.doc.tokens[i - 1].lower in {"il", "lo", "la", "l'", "the"} else i
