"""Meetings (what, type, venue, city, date, promoter, topics, sectors) and who took part in them.

Every sentence with a meeting word of the lexicon ("riunione", "incontro", "meeting", "visit")
speaks of the same meeting unless it names another city. Participants are read only in sentences
with a participation cue ("hanno preso parte", "erano presenti", "attended"): the officials named
there (for the body of their office), the towns named there (for themselves; being present together
makes them no partners) and collective groups ("amministratori, funzionari e organismi").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphkit.extract.annotate import Cue
from graphkit.extract.context import Context
from graphkit.extract.mentions import PlaceMention, organisation_at
from graphkit.extract.model import Evidence, Meeting, Office, Organisation, Participation, PlaceRef

_STOP_WHAT = frozenset({",", ";", ":", "(", ")", "."})


@dataclass
class _Draft:
    cue: Cue
    sents: list[int]
    city: PlaceRef | None = None
    venue: Organisation | None = None
    promoter: Organisation | PlaceRef | None = None
    date: str | None = None
    topics: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    what_cue: Cue | None = None


def extract_meetings(
    ctx: Context, offices: list[Office], mentions: list[Office] | None = None
) -> tuple[list[Meeting], list[Participation]]:
    """The meetings of the text and the participations in them (``mentions``: every mention of an
    official, to find them in the sentences that say who took part; ``offices``: the distinct ones)."""
    drafts: list[_Draft] = []
    for sent in range(len(ctx.doc.sentences)):
        cues = ctx.doc.cues_in("meetings", sent)
        if not cues:
            continue
        d = _read_sentence(ctx, sent, cues[0])
        current = drafts[-1] if drafts else None
        if current is None or (
            d.city and current.city and d.city.name != current.city.name and d.city.iri != current.city.iri
        ):
            drafts.append(d)
        else:
            _merge(current, d)
    meetings = [_meeting(ctx, d, k + 1) for k, d in enumerate(drafts)]
    return meetings, _participations(ctx, drafts, meetings, offices, mentions if mentions is not None else offices)


def _read_sentence(ctx: Context, sent: int, cue: Cue) -> _Draft:
    doc = ctx.doc
    d = _Draft(cue, [sent])
    stop = doc.sentence_range(sent).stop
    for c in doc.cues_in("venue_cues", sent):
        found = _named_after(ctx, c.last, stop)
        if found is not None and d.venue is None and isinstance(found[0], Organisation):
            d.venue = found[0]
            d.evidence["venue"] = ctx.evidence(c.start, found[1], focus=(c.start, found[1]))
            if found[0].located_in and d.city is None:
                d.city = found[0].located_in
                d.evidence["city"] = d.evidence["venue"]
    if d.venue is None:  # "nella Sala dell'Editto di Spello", "at the Civic Hall"
        for c in doc.cues_in("organisations", sent):
            before = {t.lower for t in doc.tokens[max(0, c.first - 2) : c.first]}
            if doc.tokens[c.first].is_title and before & (ctx.lex.locative | {"the", "nella", "nel", "alla", "al"}):
                org = organisation_at(doc, ctx.lex, ctx.places, c.first, stop)
                if org is not None and org[0].kind in {"venue", "cultural-institute", "public-body"}:
                    d.venue = org[0]
                    end = doc.tokens[org[1] - 1].end
                    d.evidence["venue"] = ctx.evidence(doc.tokens[c.first].start, end)
                    if org[0].located_in and d.city is None:
                        d.city = org[0].located_in
                        d.evidence["city"] = d.evidence["venue"]
                    break
    for c in doc.cues_in("promoter_cues", sent):
        found = _named_after(ctx, c.last, stop)
        if found is not None and d.promoter is None:
            d.promoter = found[0]
            d.evidence["promoter"] = ctx.evidence(c.start, found[1], focus=(c.start, found[1]))
    if d.city is None:
        for m in ctx.places:
            if (
                m.sent == sent
                and not m.is_country
                and m.first > 0
                and doc.tokens[m.first - 1].lower in ctx.lex.locative
                and not _inside_org(ctx, m)
            ):
                if doc.tokens[m.first - 1].lower in {"da", "dal", "dalla", "from"}:
                    continue
                d.city = m.ref
                d.evidence["city"] = ctx.evidence(doc.tokens[m.first - 1].start, m.end)
                break
    lo, hi = doc.sentences[sent].start, doc.sentences[sent].end
    for date in ctx.dates_between(lo, hi):
        if not date.since and d.date is None and abs(date.start - cue.start) < 80:
            d.date = date.value
            d.evidence["date"] = ctx.evidence(date.start, date.end)
    topics = doc.cues_in("topics", sent)
    for t in topics:
        if t.value not in d.topics:
            d.topics.append(t.value)
            d.evidence[f"topic:{t.value}"] = ctx.evidence(t.start, t.end)
    for s in doc.cues_in("sectors", sent):
        if any(t.first <= s.first < t.last for t in topics) or s.value in d.sectors or _named_or_portfolio(ctx, s):
            continue
        if True:
            d.sectors.append(s.value)
            d.evidence[f"sector:{s.value}"] = ctx.evidence(s.start, s.end)
    if d.venue or d.promoter:
        d.what_cue = cue
    return d


def _named_or_portfolio(ctx: Context, cue: Cue) -> bool:
    """A sector word inside a name ("Istituto di Cultura") or an office's portfolio ("assessore al turismo")."""
    doc = ctx.doc
    if doc.tokens[cue.first].is_title:
        return True
    return any(o.last <= cue.first <= o.last + 3 for o in doc.cues_in("offices", cue.sent))


def _named_after(ctx: Context, i: int, stop: int) -> tuple[Organisation | PlaceRef, int] | None:
    """The organisation or town named at token ``i`` (after "ospitata all'", "promossa dal")."""
    doc = ctx.doc
    while i < stop and (doc.tokens[i].lower in ctx.lex.skip_words or doc.covering("body_prefixes", i)):
        i += 1
    if i >= stop:
        return None
    org = organisation_at(doc, ctx.lex, ctx.places, i, stop)
    if org is not None:
        return org[0], doc.tokens[org[1] - 1].end
    m = ctx.place_starting(i)
    if m is not None and not m.is_country:
        return m.ref, m.end
    return None


def _merge(into: _Draft, d: _Draft) -> None:
    into.sents.extend(d.sents)
    for name in ("city", "venue", "promoter", "date"):
        if getattr(into, name) is None and getattr(d, name) is not None:
            setattr(into, name, getattr(d, name))
            for key in (name,):
                if key in d.evidence:
                    into.evidence[key] = d.evidence[key]
    if d.venue is not None and "city" in d.evidence and "city" not in into.evidence:
        into.evidence["city"] = d.evidence["city"]
    for t in d.topics:
        if t not in into.topics:
            into.topics.append(t)
    for s in d.sectors:
        if s not in into.sectors:
            into.sectors.append(s)
    for k, v in d.evidence.items():
        into.evidence.setdefault(k, v)
    if into.what_cue is None and d.what_cue is not None:
        into.what_cue = d.what_cue


def _meeting(ctx: Context, d: _Draft, n: int) -> Meeting:
    cue = d.what_cue or d.cue
    doc = ctx.doc
    stop = doc.sentence_range(cue.sent).stop
    j = cue.last
    cut = {c.first for k in ("venue_cues", "promoter_cues", "participate_cues") for c in doc.cues_in(k, cue.sent)}
    while j < stop and j - cue.first < 12 and doc.tokens[j].text not in _STOP_WHAT and j not in cut:
        j += 1
    evidence = ctx.evidence(cue.start, doc.tokens[j - 1].end, focus=(cue.start, cue.end))
    return Meeting(
        id=f"m{n}",
        what=evidence.quote,
        type=cue.value,
        evidence=evidence,
        venue=d.venue,
        city=d.city,
        date=d.date,
        promoter=d.promoter,
        topics=tuple(d.topics),
        sectors=tuple(d.sectors),
        extra_evidence=dict(d.evidence),
    )


def _participations(
    ctx: Context, drafts: list[_Draft], meetings: list[Meeting], offices: list[Office], mentions: list[Office]
) -> list[Participation]:
    if not meetings:
        return []
    doc = ctx.doc
    out: list[Participation] = []
    taken: set[str] = set()
    first_sent = min(drafts[0].sents)
    for sent in range(first_sent, len(doc.sentences)):
        cues = doc.cues_in("participate_cues", sent)
        if not cues:
            continue
        meeting = _meeting_for(drafts, meetings, sent)
        distinct = {(o.person, o.role): o for o in offices}
        for o in mentions:
            if o.evidence.sentence == sent + 1 and o.person not in taken:
                taken.add(o.person)
                office = distinct.get((o.person, o.role), o)
                out.append(
                    Participation(
                        f"p{len(out) + 1}", meeting.id, o.person, "person", o.evidence, o.body, office.id, office
                    )
                )
        person_bodies = {o.body.name for o in mentions if o.body and o.evidence.sentence == sent + 1}
        for m in _bodies(ctx, sent, meetings):
            key = m.ref.iri or m.name
            if key in taken or m.name in person_bodies:
                continue
            taken.add(key)
            out.append(
                Participation(f"p{len(out) + 1}", meeting.id, m.name, "body", _body_evidence(ctx, m, cues), m.ref)
            )
        group = _group(ctx, sent)
        if group is not None and group.quote not in taken:
            taken.add(group.quote)
            out.append(Participation(f"p{len(out) + 1}", meeting.id, group.quote, "group", group))
    return out


def _meeting_for(drafts: list[_Draft], meetings: list[Meeting], sent: int) -> Meeting:
    best = 0
    for k, d in enumerate(drafts):
        if min(d.sents) <= sent:
            best = k
    return meetings[best]


def _bodies(ctx: Context, sent: int, meetings: list[Meeting]) -> list[PlaceMention]:
    """Towns taking part: named in the sentence, not where it happened nor inside a venue's name."""
    doc = ctx.doc
    cities = {m.city.name for m in meetings if m.city}
    out = []
    for m in ctx.places:
        if m.sent != sent or m.is_country or m.first in ctx.person_tokens:
            continue
        prev = doc.tokens[m.first - 1].lower if m.first > 0 else ""
        if prev in ctx.lex.locative and not m.prefixed:
            continue
        if m.name in cities and not m.prefixed:
            continue
        if doc.covering("organisations", m.first) or _inside_org(ctx, m):
            continue
        out.append(m)
    return out


def _inside_org(ctx: Context, m: PlaceMention) -> bool:
    doc = ctx.doc
    for c in doc.cues_in("organisations", m.sent):
        org = organisation_at(doc, ctx.lex, ctx.places, c.first, doc.sentence_range(m.sent).stop)
        if org is not None and c.first <= m.first < org[1]:
            return True
    return False


def _body_evidence(ctx: Context, m: PlaceMention, cues: list[Cue]) -> Evidence:
    """The participation cue with the meeting word after it ("partecipando alla riunione"), else the name."""
    for c in cues:
        meeting = [x for x in ctx.doc.cues_in("meetings", c.sent) if 0 <= x.first - c.last <= 2]
        if meeting:
            return ctx.evidence(c.start, meeting[0].end)
    return ctx.evidence(m.start, m.end)


def _group(ctx: Context, sent: int) -> Evidence | None:
    """ "amministratori, funzionari e organismi": group words joined by commas and "e"/"and"."""
    doc = ctx.doc
    toks = doc.sentence_tokens(sent)
    k = 0
    while k < len(toks):
        if toks[k].lower in ctx.lex.group_words:
            j = k + 1
            while (
                j + 1 < len(toks) and toks[j].lower in ctx.lex.and_markers and toks[j + 1].lower in ctx.lex.group_words
            ):
                j += 2
            if j - k >= 3:
                return ctx.evidence(toks[k].start, toks[j - 1].end)
            k = j
        else:
            k += 1
    return None
