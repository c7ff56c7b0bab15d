"""Officials: a person, the office they hold (with its portfolio) and the body they act for.

Forms, in every lexicon language: office [portfolio] [of BODY] [,] PERSON ("il sindaco di Assisi
Valter Stoppini", "l'assessore al turismo Fabrizio Leggio", "Mayor Jane Doe of Springfield"),
PERSON, office of BODY ("Jane Doe, mayor of Springfield"), BODY office PERSON ("Springfield Mayor
Jane Doe"). A municipal office with no body named is the article's own town's; a diplomat's body is
the country they represent ("l'ambasciatore del Giappone", "the Japanese ambassador"), whose mission
(its embassy) is the organisation.
"""

from __future__ import annotations

from dataclasses import replace

from graphkit.extract.annotate import Cue
from graphkit.extract.context import Context
from graphkit.extract.mentions import PlaceMention, person_after, person_before
from graphkit.extract.model import Office, Organisation, PlaceRef
from graphkit.extract.places import COUNTRY

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
    for sent in range(len(ctx.doc.sentences)):
        for cue in ctx.doc.cues_in("offices", sent):
            office, explicit = _office(ctx, cue, len(out) + 1)
            if office is not None:
                out.append(office)
                if explicit:
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
    for sent in range(len(ctx.doc.sentences)):
        for cue in ctx.doc.cues_in("offices", sent):
            end = _portfolio(ctx, cue)[2]
            for found in (
                person_after(ctx.doc, _skip_comma(ctx, end), ctx.lex),
                person_before(ctx.doc, _back(ctx, cue.first), ctx.lex),
            ):
                if found:
                    tokens.update(range(found[1], found[2]))
    return tokens


def _office(ctx: Context, cue: Cue, n: int) -> tuple[Office | None, bool]:
    """The office at ``cue`` and whether the text names its body there."""
    doc, lex = ctx.doc, ctx.lex
    stop = doc.sentence_range(cue.sent).stop
    portfolio, words, end = _portfolio(ctx, cue)
    body, end = _body_after(ctx, end, stop)
    body_first = body.first if body else None
    if body is not None and body.is_country:  # "l'ambasciatore del Giappone in Italia Satoshi Kurosawa"
        host = ctx.place_starting(end + 1) if end + 1 < stop else None
        if host is not None and host.is_country and doc.tokens[end].lower in {"in", "to", "presso"}:
            end = host.last
    person = person_after(doc, _skip_comma(ctx, end), lex)
    span_start = _with_determiner(ctx, cue.first)
    if person is None:
        person = person_before(doc, _back(ctx, cue.first), lex)
        if person is not None:
            span_start = person[1]
        else:
            return None, False
    if body is None and person[1] > cue.first:  # "Mayor Jane Doe of Springfield"
        after, _ = _body_after(ctx, person[2], stop)
        if after is not None and doc.tokens[person[2]].lower in lex.body_markers:
            body = after
    if body is None:  # "Springfield Mayor Jane Doe", "the Japanese ambassador"
        body = _body_before(ctx, cue.first)
    span_end = max(doc.tokens[person[2] - 1].end, cue.end, body.end if body and body_first is not None else 0)
    role = "councillor" if cue.value == "council-member" and portfolio else cue.value
    ref, org = _body_ref(ctx, role, body, cue)
    if body is not None and body.first < span_start:
        span_start = body.first
    return Office(
        id=f"o{n}",
        person=person[0],
        office=cue.phrase,
        role=role,
        evidence=ctx.evidence(
            doc.tokens[span_start].start if span_start < len(doc.tokens) else cue.start,
            span_end,
            focus=(cue.start, span_end),
        ),
        body=ref,
        organisation=org,
        portfolio=portfolio,
        portfolio_words=words,
    ), body is not None


def _portfolio(ctx: Context, cue: Cue) -> tuple[str | None, str | None, int]:
    """The sector after "assessore al ..." / "councillor for ...": concept, words, token after."""
    doc = ctx.doc
    i = cue.last
    for k in (1, 2, 3):
        marker = " ".join(t.lower for t in doc.tokens[i : i + k])
        if marker in ctx.lex.portfolio_markers and i + k < len(doc.tokens):
            c = doc.cue_at("portfolios", i + k)
            if c is not None and c.sent == cue.sent:
                return c.value, doc.span_text(i, c.last), c.last
    return None, None, i


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
        break
    return None, i


def _body_before(ctx: Context, i: int) -> PlaceMention | None:
    for m in ctx.places:
        if m.last == i or (m.last == i - 1 and ctx.doc.tokens[i - 1].lower in {"'s", "the"}):
            return m
    return None


def _body_ref(
    ctx: Context, role: str, body: PlaceMention | None, cue: Cue
) -> tuple[PlaceRef | None, Organisation | None]:
    lex = ctx.lex
    if role in lex.diplomatic_roles:
        country = body.ref if body is not None and body.is_country else _country_near(ctx, cue)
        if country is None:
            return None, None
        mission = Organisation(f"embassy of {country.name}", "embassy", country=country)
        return country, mission
    if body is not None and not body.is_country:
        return body.ref, None
    if role in lex.municipal_roles and ctx.home is not None:
        return ctx.home, None
    return None, None


def _country_near(ctx: Context, cue: Cue) -> PlaceRef | None:
    """ "l'ambasciatore giapponese", "the Japanese Ambassador", "Ambassador of Japan"."""
    for c in ctx.doc.cues_in("countries", cue.sent):
        if abs(c.first - cue.last) <= 2 or abs(cue.first - c.last) <= 1:
            iri = ctx.resolver.index.country_iri(c.value)
            if iri is None:
                return PlaceRef(c.phrase, None, country=c.value, kind=COUNTRY)
            place = ctx.resolver.index.places[iri]
            return ctx.resolver.ref(place.label(ctx.lex.language)[0], place, ctx.lex.language)
    return None


def _skip_comma(ctx: Context, i: int) -> int:
    while i < len(ctx.doc.tokens) and ctx.doc.tokens[i].text in {",", "(", "\u2013", "-", ":"}:
        i += 1
    return i


def _back(ctx: Context, i: int) -> int:
    """Token index just after a name that would precede an office ("Jane Doe, the mayor")."""
    while i > 0 and ctx.doc.tokens[i - 1].lower in _ARTICLES:
        i -= 1
    return i


def _with_determiner(ctx: Context, i: int) -> int:
    return i - 1 if i > 0 and ctx.doc.tokens[i - 1].lower in {"il", "lo", "la", "l'", "the"} else i
