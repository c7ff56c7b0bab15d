"""Relations between places: who, which type, since when, in which status.

A relation phrase of the lexicon ("gemellata", "sister city", "protocollo d'intesa") takes its
parties from the words right after it ("con X, Y e Z", "tra X e Y", "with X"), else from the names
just before it ("X e Y sono gemellate"). The first party of "con X" is the nearest town named before
the phrase (so "Koya, gemellata con Santiago" relates Koya and Santiago), else the article's own
town. A phrase without names attaches to the relation of the sentences just before when the text
refers back to it ("le due comunità", "the agreement"): "il legame con Koya ... Il rapporto tra le
due comunità è formalizzato dal protocollo d'intesa siglato nel 2009". Lists of towns without a
relation phrase (those present at a meeting) are never related to each other.

Status: the strongest cue of the clause (a future signing → proposed; "approvato dal consiglio" →
approved; "firmato" → signed, or active when signed in an earlier year than the article's;
"gemellata dal 1975" → active since 1975; "rinnovato" → renewed, with the date of what it renews).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field, replace

from graphkit.extract.annotate import Cue
from graphkit.extract.context import Context
from graphkit.extract.dates import DateMention
from graphkit.extract.lexicon import Lexicon
from graphkit.extract.mentions import PlaceMention, is_capitalised, mention, name_spans, with_in_names
from graphkit.extract.model import Evidence, PlaceRef, Relation
from graphkit.extract.places import ADMIN, COUNTRY, MUNICIPALITY
from graphkit.places.gazetteer import normalise_name, us_state_names

#: The order in which one status overrides another found in the same clause.
_STATUS_RANK = {"terminated": 6, "suspended": 5, "renewed": 4, "signed": 3, "approved": 2, "proposed": 1}
#: A possessive after a town ("Billings' other sister city", "Napier's"; tokens read "’" as "'").
_POSSESSIVE = frozenset({"'s", "'"})
_ANAPHORA_REACH = 2  # sentences a phrase without names may look back
GENERIC_TYPE = "partnership"  # the relation-type concept of a partner list that names no type
_ONLY = frozenset({"solo", "soltanto", "only", "just", "merely"})  # "non solo", "not only": no denial
_INDEFINITE = frozenset({"un", "una", "uno", "un'", "a", "an", "another", "un altro", "un'altra"})
_DEFINITE = frozenset(
    {"il", "lo", "la", "l'", "the", "this", "that", "questo", "questa", "tale", "suddetto", "suddetta"}
)


@dataclass
class _Draft:
    parties: list[PlaceRef]
    type: str | None
    sent: int
    span: tuple[int, int]  # characters: the relation's own evidence
    focus: tuple[int, int]
    statuses: list[str] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    signed_dates: list[DateMention] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    type_span: tuple[int, int] | None = None
    this_week: bool = False  # the clause dates it by a weekday or "yesterday": the publication's year


@dataclass
class _Scan:
    marker: str | None
    parties: list[PlaceMention]
    end: int  # token after the scanned words
    anaphora: bool
    genitive: bool = False  # "il gemellaggio di X con Y": X is the subject


def extract_relations(ctx: Context) -> list[Relation]:
    """Every relation the text states, in text order."""
    drafts: list[_Draft] = []
    pending: list[_Draft] = []  # untyped ("il legame con Koya"), waiting for a type
    named: dict[int, str] = {}  # sentence → the last specific type a phrase of it names
    lines: dict[int, _Draft] = {}  # a sentence that goes on a list item's line → that item's relation
    for sent in range(len(ctx.doc.sentences)):
        for c in ctx.doc.cues_in("relation_types", sent):
            if c.value != GENERIC_TYPE:
                named[sent] = c.value
        cues = _relation_cues(ctx, sent)
        if not cues:
            _refer_back(ctx, pending, drafts, sent, lines.get(sent))  # "Il patto era stato firmato nel 1979."
            continue
        boundary = ctx.doc.sentence_range(sent).start
        previous: _Draft | None = None  # the last relation of this sentence
        orphan: Cue | None = None  # a type phrase of this sentence that found no parties
        for cue in cues:
            stop = _next_cue_start(cues, cue, ctx, sent)
            scan = _scan_right(ctx, cue, stop)
            found = _parties(ctx, cue, scan, boundary)
            clause = (min([boundary] + [m.first for m in found]), max(scan.end, cue.last))
            refers = scan.anaphora or _has_anaphora(ctx, sent) or _definite(ctx, cue)
            if cue.kind == "relation_words":
                if found and orphan is not None:  # "Tucson Sister Cities also coordinates ties with A, B"
                    draft = _draft(ctx, found, orphan.value, cue, clause)
                    drafts.extend(_split_partners(ctx, draft, found, cue, scan))
                elif found:
                    pending.append(_draft(ctx, found, None, cue, clause))
                elif refers:  # "... and the partnership was renewed in 2012"
                    target = previous or _antecedent(ctx, [], drafts, sent, True)
                    if target is not None:
                        _collect(ctx, target, cue, (cue.first, stop), extend=False, typed=False)
                boundary = scan.end
                continue
            if found and (_negated(ctx, cue, scan) or _dropped(ctx, cue)):  # "is not twinned with", "abandoned"
                boundary = scan.end
                continue
            if not found and scan.marker is None and _indefinite(ctx, cue):
                # "è stata firmata una lettera di intenti per estendere la collaborazione": a new
                # agreement between the parties of the relation just named
                source = _main_antecedent(drafts, sent)
                if source is not None and source.type not in (None, cue.value):
                    found = [_party_again(ctx, p, cue) for p in source.parties]
                    clause = (boundary, stop)
            if found:
                rtype = cue.value
                if rtype == GENERIC_TYPE:  # "Spokane's sixth sister city. Spokane's current partners are ..."
                    rtype = named.get(sent) or named.get(sent - 1) or rtype
                draft = _draft(ctx, found, rtype, cue, clause)
                new = _split_partners(ctx, draft, found, cue, scan)
                for d in new:  # "Nel 2009 ha siglato un accordo con X e una lettera di intenti con Y"
                    if previous is not None and not d.statuses and not d.dates:
                        d.statuses, d.dates, d.signed_dates = (
                            list(previous.statuses),
                            list(previous.dates),
                            list(previous.signed_dates),
                        )
                drafts.extend(new)
                previous = new[-1]
            elif cue.kind == "relation_types" and (items := _list_items(ctx, sent)):
                # "ricordiamo con chi Spilimbergo è gemellata:" / "Our sister cities", then one partner a line
                left = [m for m in ctx.places if m.sent == sent and m.last <= cue.first and not m.is_country]
                subject = _subject(ctx, left, [item for item, _ in items])
                for item, line in items:
                    if subject is None:
                        break
                    rng = ctx.doc.sentence_range(item.sent)
                    draft = _draft(ctx, [subject, item], cue.value, cue, (rng.start, rng.stop))
                    draft.sent, draft.span, draft.focus = item.sent, (item.start, item.end), (item.start, item.end)
                    _collect(ctx, draft, _item_cue(ctx, item), (rng.start, rng.stop), extend=False, typed=False)
                    drafts.append(draft)
                    lines.update(dict.fromkeys(line[1:], draft))
            else:
                orphan = cue
                target = lines.get(sent) or _antecedent(ctx, pending, drafts, sent, refers)
                if target is not None:
                    _attach(ctx, target, cue, (clause[0], stop))
                    if target in pending:
                        pending.remove(target)
                        drafts.append(target)
            boundary = scan.end
    by_pair = {frozenset(_key(p) for p in d.parties): d for d in drafts}
    for d in pending:  # "its link with X, which began in 1974": the dates of a relation already typed
        same = by_pair.get(frozenset(_key(p) for p in d.parties))
        if same is not None and not same.dates and d.dates:
            same.dates, same.signed_dates = list(d.dates), list(d.signed_dates)
            same.statuses.extend(x for x in d.statuses if x not in same.statuses)
    typed = {frozenset(p.iri or p.name for p in d.parties) for d in drafts}
    for d in pending:  # untyped ties count only when the graph already knows the pair (and no type is given)
        if len(d.parties) == 2 and all(p.iri for p in d.parties) and frozenset(p.iri for p in d.parties) not in typed:
            a, b = d.parties
            if b.iri in ctx.resolver.index.partners_of(a.iri or ""):
                d.type = "partnership"
                drafts.append(d)
    return _finish(ctx, drafts)


#: Marks that open the line of a list: bullets and dashes ("1." and "1)" are read too).
_BULLETS = frozenset({"•", "-", "–", "—", "*", "·", "▪", "‣", "◦"})


def _list_items(ctx: Context, sent: int) -> list[tuple[PlaceMention, list[int]]]:
    """The partners listed one a line after sentence ``sent`` when it introduces a list (it ends with a
    colon, or is a heading: a line without a full stop): the first town of each line that opens with a
    bullet or a number ("• Szentendre (Ungheria), dal 1992", "2. Limerick, Ireland (since 1990)"), with
    the sentences of its line."""
    doc = ctx.doc
    rng = doc.sentence_range(sent)
    end = doc.tokens[rng.stop - 1].text
    if end not in {":", "："} and (end in {".", "!", "?"} or "\n" not in doc.text[doc.tokens[rng.stop - 1].end :][:2]):
        return []
    items: list[tuple[PlaceMention, list[int]]] = []
    for s in range(sent + 1, len(doc.sentences)):
        r = doc.sentence_range(s)
        first = r.start
        before = doc.text[doc.tokens[doc.sentence_range(s - 1).stop - 1].end : doc.tokens[first].start]
        if doc.tokens[first].text in _BULLETS:
            first += 1
        elif doc.tokens[first].text.isdigit() and first + 1 < r.stop and doc.tokens[first + 1].text in {".", ")"}:
            first += 2
        elif items and "\n" not in before:
            items[-1][1].append(s)  # the item's line goes on: "1. Nishinomiya (since 1961). It was renewed ..."
            continue
        else:
            break
        town = next((m for m in ctx.places if m.first == first and not m.is_country), None)
        if town is None and is_capitalised(doc, first, ctx.lex):
            town = _unknown_name(ctx, first, r.stop)
        if town is None or not _ends_item_name(ctx, town.last, r.stop):
            break  # ("• Duration of five years": a line of prose, not a partner)
        items.append((town, [s]))
    return items


def _ends_item_name(ctx: Context, i: int, stop: int) -> bool:
    """Whether a list line's town ends at token ``i``: the line ends, or a bracket, a comma, a dash, a
    year or a date follows ("Szentendre (Ungheria), dal 1992", "Limerick, Ireland", "Kyoto – 1985")."""
    if i >= stop:
        return True
    t = ctx.doc.tokens[i]
    return (
        not (t.text.isalpha() and t.text.islower())
        or t.lower in ctx.lex.since_words
        or t.lower in ctx.lex.locative  # "Seesen in Germany (1985)"
        or t.lower in {"since", "dal", "dall'", "from"}
    )


def _item_cue(ctx: Context, item: PlaceMention) -> Cue:
    """A stand-in cue at a list item, so that its line's status words and dates are read."""
    t = ctx.doc.tokens[item.first]
    return Cue("list_item", "", item.name, item.first, item.last, t.start, ctx.doc.tokens[item.last - 1].end, item.sent)


def _refer_back(ctx: Context, pending: list[_Draft], drafts: list[_Draft], sent: int, item: _Draft | None) -> None:
    """A sentence without a relation phrase that refers back to the agreement ("Il patto era stato
    firmato nel 1979", "The agreement was renewed in 2012") and says in which status, with a date:
    its cues and dates are the relation's just named."""
    doc = ctx.doc
    refs = doc.cues_in("relation_anaphora", sent)
    if not refs or not (doc.cues_in("status_cues", sent) or doc.cues_in("since_words", sent)):
        return
    rng = doc.sentence_range(sent)
    if not ctx.dates_between(doc.tokens[rng.start].start, doc.tokens[rng.stop - 1].end):
        return  # "the agreement would be signed during a visit": no date, no fact of its own
    target = item or _antecedent(ctx, pending, drafts, sent, True)
    if target is not None:
        _collect(ctx, target, refs[0], (refs[0].first, doc.sentence_range(sent).stop), extend=False, typed=False)


def _negated(ctx: Context, cue: Cue, scan: _Scan) -> bool:
    """ "non è gemellata con", "is not twinned with", or a question the text answers "No"."""
    doc, lex = ctx.doc, ctx.lex
    opening = [t.lower for t in doc.tokens[doc.sentence_range(cue.sent).start : cue.first]]
    if any(w in lex.denials for w in opening):  # "Il Comune di X ha smentito la notizia ... di un gemellaggio con Y"
        return True
    start = max(doc.sentence_range(cue.sent).start, cue.first - 5)
    before = [t.lower for t in doc.tokens[start : cue.first]]
    for k, w in enumerate(before):  # "non è gemellata", "Non si tratta di un gemellaggio" (not "non solo")
        if w in lex.negations and not (k + 1 < len(before) and before[k + 1] in _ONLY) and "," not in before[k:]:
            # (not "does not affect Billings' other sister city": a town's possessive says whose relation
            # it is; "It is not true that Lewes is twinned" is still denied)
            if not any(start + k < m.first < cue.first and _possessive_after(ctx, m) for m in ctx.places):
                return True
    after = doc.tokens[scan.end : scan.end + 2]
    if len(after) == 2 and after[0].text == "?" and after[1].lower in lex.negations:
        return True
    for t in doc.tokens[scan.end : min(scan.end + 4, doc.sentence_range(cue.sent).stop)]:
        if t.lower in lex.negations:  # "a friendship agreement with X was not pursued"
            return True
        if not (t.lower in lex.auxiliaries or t.lower in lex.skip_words):
            return False
    return False


def _possessive_after(ctx: Context, m: PlaceMention) -> bool:
    """ "Billings' other sister city", "Springfield's twin": the town is followed by a possessive."""
    doc = ctx.doc
    return m.last < len(doc.tokens) and doc.tokens[m.last].lower in _POSSESSIVE


def _dropped(ctx: Context, cue: Cue) -> bool:
    """ "sul gemellaggio con X ...: «Quel progetto è stato abbandonato»", "a proposal to pair it with X,
    which stalled in 2017": later in the sentence the idea is said to have come to nothing (and no
    signing, renewal or activity is said between)."""
    doc = ctx.doc
    kept = {"signed", "renewed", "active"}
    for i in range(cue.last, doc.sentence_range(cue.sent).stop):
        status = doc.cue_at("status_cues", i)
        if status is not None and status.value in kept:
            return False
        if doc.tokens[i].lower in ctx.lex.dropped:
            return True
    if cue.sent + 1 < len(doc.sentences):  # "... la firma di un gemellaggio tra le due città. Voci che ..."
        nxt = doc.sentence_range(cue.sent + 1)
        return any(doc.tokens[j].lower in ctx.lex.dropped for j in range(nxt.start, min(nxt.start + 2, nxt.stop)))
    return False


def _indefinite(ctx: Context, cue: Cue) -> bool:
    """ "una lettera di intenti", "a new cooperation agreement": a phrase that names a new agreement."""
    i = cue.first - 1
    while i >= 0 and ctx.doc.tokens[i].lower in ctx.lex.skip_words and ctx.doc.tokens[i].lower not in _INDEFINITE:
        i -= 1
    return i >= 0 and ctx.doc.tokens[i].lower in _INDEFINITE and cue.first - i <= 3


def _party_again(ctx: Context, ref: PlaceRef, cue: Cue) -> PlaceMention:
    """A party of an earlier relation, as an implied party of a phrase (its evidence is the phrase)."""
    return PlaceMention(cue.first, cue.first, cue.sent, cue.start, cue.start, ref.name, ref)


def _relation_cues(ctx: Context, sent: int) -> list[Cue]:
    cues = ctx.doc.cues_in("relation_types", sent) + ctx.doc.cues_in("relation_words", sent)
    topics = ctx.doc.cues_in("topics", sent)
    return sorted(
        (
            c
            for c in cues
            if not any(t.first <= c.first and c.last <= t.last for t in topics) and not _portfolio(ctx, c)
        ),
        key=lambda c: c.first,
    )


def _portfolio(ctx: Context, cue: Cue) -> bool:
    """ "il consigliere delegato ai gemellaggi Paolo Magi", "councillor for twinning": the relation word
    names an office's portfolio, not a relation."""
    doc, markers = ctx.doc, set(ctx.lex.portfolio_markers)
    for k in range(1, 4):
        start = cue.first - k
        if start < 0 or " ".join(t.lower for t in doc.tokens[start : cue.first]) not in markers:
            continue
        if any(doc.covering("offices", j) is not None for j in range(max(0, start - 3), start)):
            return True
    return False


def _next_cue_start(cues: list[Cue], cue: Cue, ctx: Context, sent: int) -> int:
    later = [c.first for c in cues if c.first >= cue.last and c.kind == "relation_types"]
    return min(later) if later else ctx.doc.sentence_range(sent).stop


def _scan_right(ctx: Context, cue: Cue, stop: int) -> _Scan:
    """The parties named after a relation phrase: "con la città giapponese di Koya dal 2009 e con Nara"."""
    lex, doc = ctx.lex, ctx.doc
    i, marker, anaphora, genitive = cue.last, None, False, False
    parties: list[PlaceMention] = []
    last_useful = cue.last
    while i < stop:
        t = doc.tokens[i]
        if not parties and i - cue.last > 15:
            break
        c = None
        for kind in (
            "relation_anaphora",
            "body_prefixes",
            "countries",
            "status_cues",
            "since_words",
            "sectors",
            "relation_words",
        ):
            c = doc.cue_at(kind, i)
            if c is not None:
                break
        if c is not None and c.kind == "relation_anaphora":
            anaphora = True
            i = last_useful = c.last
            continue
        m = ctx.place_starting(i)
        if c is not None and c.kind == "countries" and (m is None or m.last <= c.last):
            m = None  # "Trikala in Greece": the country, even where a town has its name
        if m is not None and _qualifier(ctx, m, parties):  # "Cambridge, Massachusetts": where, not who
            i = m.last
            continue
        if m is not None and m.last + 1 < stop and doc.tokens[m.last].lower in _POSSESSIVE:
            nxt = ctx.place_starting(m.last + 1)
            if nxt is not None and not nxt.is_country:  # "Shanghai's Minhang District": the district
                i = m.last + 1
                continue
        if m is not None and not m.is_country and _names_an_organisation(ctx, m):
            break  # "and the Frome Twinning Association ...": another clause, about a body
        if m is not None and not m.is_country and i not in ctx.person_tokens:
            if not parties and i == cue.last + 1 and doc.tokens[cue.last].lower in lex.body_markers:
                genitive = True
            elif genitive and len(parties) == 1 and doc.tokens[i - 1].lower not in lex.with_markers:
                genitive = False  # "a sister city of Eutin ... and of Hiratsuka": both are partners
            parties.append(m)
            i = last_useful = m.last
            continue
        if m is not None:  # a country: evidence, not a party
            i = m.last
            continue
        if parties and i > 0 and doc.tokens[i - 1].lower in _AND_WORDS(lex) and _starts_clause(ctx, i):
            break  # ", e dal 2019 ha firmato ...": a new clause, not this list
        if parties and t.text == "," and (aside := _aside_end(ctx, i + 1, stop)) is not None:
            i = last_useful = aside  # "Stuttgart, with which it has been linked since 1988, Lyon ..."
            continue
        date = ctx.date_starting_at(t.start)
        if date is not None:
            i = _token_after(ctx, date.end, i)
            last_useful = i
            continue
        if c is not None:
            i = c.last
            continue
        opener = None if parties or marker is not None else ctx.phrase_at(i, lex.between_markers)
        if opener is not None and opener > i + 1:  # "il gemellaggio che lega Torino e Colonia", "that links"
            marker, i = "between", opener
            continue
        if t.lower in lex.between_markers and marker is None and not parties:
            marker = "between"
        elif t.lower in lex.with_markers or t.lower in lex.and_markers:
            marker = marker or "with"
        elif t.lower in lex.locative and parties and i + 1 < stop and _where(ctx, i + 1) is not None:
            i = _where(ctx, i + 1) or i + 1  # "Thann, in Alsazia," / "Lorient in Brittany": where, not who
            continue
        elif t.lower in lex.locative and (venue := _venue_end(ctx, i, stop)) is not None:
            i = venue  # "sottoscritto in municipio con X", "signed at the town hall with X"
            continue
        elif t.lower in lex.skip_words or t.lower in lex.date_words or t.lower in lex.since_words:
            pass
        elif t.lower in lex.weekdays or t.lower in lex.months or (t.text.isdigit() and len(t.text) <= 2):
            pass  # a date without its year: "sottoscritto mercoledì 9 ottobre in municipio con X"
        elif not parties and marker is not None and (start := _counted_list(ctx, i, stop)) is not None:
            i = start  # "with 18 foreign cities, including Okayama (Japan, 1981), Tours ..."
            continue
        elif t.lower in lex.auxiliaries and _status_follows(ctx, i):
            pass  # "The twinning with X was signed in 1967"
        elif t.lower in lex.body_markers and i > cue.last and _after_place_noun(ctx, i):
            pass  # "la città croata di X", "the Japanese city of X"
        elif not parties and _describes_place_noun(ctx, i):
            pass  # "con la cittadina termale bavarese di Bad Füssing": adjectives of the place noun
        elif t.lower in lex.body_markers and i == cue.last and not parties and ctx.place_starting(i + 1):
            pass  # "il gemellaggio di Colmar con Schongau"
        elif is_capitalised(doc, i, lex) and _slot_open(ctx, i, cue, parties) and i not in ctx.person_tokens:
            unknown = _unknown_name(ctx, i, stop)
            if unknown is None:
                break
            if _qualifier(ctx, unknown, parties):
                i = unknown.last
                continue
            parties.append(unknown)
            i = last_useful = unknown.last
            continue
        else:
            break
        i += 1
    return _Scan(marker, parties, last_useful, anaphora, genitive and len(parties) >= 2)


def _counted_list(ctx: Context, i: int, stop: int) -> int | None:
    """The token after "18 foreign cities, including" / "diverse città, tra cui" at ``i``: a count of
    places in lower case, then a word that opens their list; None when the words are not that."""
    doc = ctx.doc
    for j in range(i, min(i + 6, stop)):
        t = doc.tokens[j]
        if t.lower in ctx.lex.place_nouns:
            k = j + 1 + (j + 1 < stop and doc.tokens[j + 1].text == ",")
            return ctx.phrase_at(k, ctx.lex.list_openers)
        if not (t.text.isdigit() or (t.text.isalpha() and t.text.islower())):
            return None
    return None


def _names_an_organisation(ctx: Context, m: PlaceMention) -> bool:
    """A town named as the first word of a body's name ("the Frome Twinning Association", "Seattle
    Sister Cities Association"): the capitalised name goes on past the town to an organisation word."""
    doc = ctx.doc
    for first, last in name_spans(doc, m.sent, ctx.lex):
        if first <= m.first and m.last < last:
            return any(doc.covering("organisations", j) is not None for j in range(m.last, last))
    return False


def _AND_WORDS(lex: Lexicon) -> set[str]:  # noqa: N802 - reads like the constant it is
    """ "e", "and": the and-markers that are words (a comma joins list items, not clauses)."""
    return {w for w in lex.and_markers if w[:1].isalpha()}


def _where(ctx: Context, i: int) -> int | None:
    """The token after a region or country named at ``i`` (after "in"): not a town, never a party."""
    doc = ctx.doc
    country = doc.cue_at("countries", i)
    if country is not None:
        return country.last
    m = ctx.place_starting(i)
    if m is not None:
        return m.last if m.ref.kind != MUNICIPALITY else None
    if not is_capitalised(doc, i, ctx.lex):
        return _described_where(ctx, i)
    span = next(((a, b) for a, b in name_spans(doc, doc.tokens[i].sent, ctx.lex) if a == i), None)
    return span[1] if span else None


def _described_where(ctx: Context, i: int) -> int | None:
    """The token after "the northern suburbs of Paris", "la periferia nord di Parigi" at ``i`` (after
    "in"): a few lower-case words, "of"/"di" and a name say where a party lies; None otherwise."""
    doc, lex = ctx.doc, ctx.lex
    stop = doc.sentence_range(doc.tokens[i].sent).stop
    j = i
    markers = {*lex.with_markers, *lex.and_markers, *lex.between_markers}
    while j < stop and j - i < 5 and doc.tokens[j].text.isalpha() and doc.tokens[j].text.islower():
        if doc.tokens[j].lower in markers or any(
            doc.cue_at(k, j) is not None for k in ("relation_types", "status_cues", "offices", "since_words")
        ):
            return None  # ("and in particular with the city of X": a partner, not where one is)
        j += 1
    if j == i or j >= stop or not is_capitalised(doc, j, lex):
        return None
    m = ctx.place_starting(j)
    if m is not None and m.ref.kind != MUNICIPALITY:
        return m.last  # "in the Yaroslavl region"
    if doc.tokens[j - 1].lower not in lex.body_markers:
        return None
    if m is not None:
        return m.last
    span = next(((a, b) for a, b in name_spans(doc, doc.tokens[j].sent, lex) if a == j), None)
    return span[1] if span else None


def _venue_end(ctx: Context, i: int, stop: int) -> int | None:
    """The token after a venue after a locative word: common nouns ("in municipio", "in sala consiliare",
    "at the town hall", never past a party marker or a cue) or a name ("a Palazzo Frizzoni", "in
    Rome"); None when there is none."""
    doc, lex = ctx.doc, ctx.lex
    markers = set(lex.with_markers) | set(lex.between_markers) | set(lex.and_markers)
    j = i + 1
    if j < stop and is_capitalised(doc, j, lex):  # "firmato a Palazzo Frizzoni tra X e Y", "a Roma tra X e Y"
        span = next(((a, b) for a, b in name_spans(doc, doc.tokens[j].sent, lex) if a == j), None)
        return min(span[1], stop) if span is not None else None
    while j < stop and j - i <= 4:
        t = doc.tokens[j]
        if not (t.text.isalpha() and t.text.islower()) or t.lower in markers or ctx.place_starting(j) is not None:
            break
        if any(doc.cue_at(k, j) is not None for k in ("relation_types", "status_cues", "since_words", "offices")):
            break
        j += 1
    return j if j > i + 1 else None


def _status_follows(ctx: Context, i: int) -> bool:
    j = i + 1
    while j < len(ctx.doc.tokens) and j - i <= 3 and ctx.doc.tokens[j].lower in ctx.lex.auxiliaries:
        j += 1
    return (
        ctx.doc.cue_at("status_cues", j) is not None
        or ctx.doc.cue_at("since_words", j) is not None
        or (j < len(ctx.doc.tokens) and ctx.date_starting_at(ctx.doc.tokens[j].start) is not None)
    )


def _starts_clause(ctx: Context, i: int) -> bool:
    """A date or a since-word after "e"/"and": the start of another clause ("e dal 2019 ha firmato",
    "e nel 2011 ha siglato")."""
    doc = ctx.doc
    if i >= len(doc.tokens):
        return False  # (a text that ends in "and")
    if doc.cue_at("since_words", i) is not None:
        return True
    j = i
    while j < len(doc.tokens) - 1 and j - i < 2 and doc.tokens[j].lower in ctx.lex.date_words:
        j += 1
    return ctx.date_starting_at(doc.tokens[j].start) is not None


def _after_place_noun(ctx: Context, i: int) -> bool:
    """ "di"/"of" right after a place noun, possibly with adjectives between ("la cittadina termale
    bavarese di X")."""
    prev = ctx.doc.tokens[i - 1]
    return (
        prev.lower in ctx.lex.place_nouns
        or (ctx.doc.covering("countries", i - 1) is not None and ctx.doc.tokens[i - 2].lower in ctx.lex.place_nouns)
        or _describes_place_noun(ctx, i - 1)
    )


def _describes_place_noun(ctx: Context, i: int) -> bool:
    """A lower-case word among the (at most three) words after a place noun: an adjective of it
    ("la cittadina termale bavarese di X")."""
    doc = ctx.doc
    if not doc.tokens[i].text.isalpha() or not doc.tokens[i].text.islower():
        return False
    for j in range(i - 1, max(i - 4, -1), -1):
        word = doc.tokens[j]
        if word.lower in ctx.lex.place_nouns:
            return True
        if not (word.text.isalpha() and word.text.islower()) and doc.covering("countries", j) is None:
            return False
    return False


def _qualifier(ctx: Context, m: PlaceMention, parties: list[PlaceMention]) -> bool:
    """A region or a name nobody can place right after a party and a comma ("Cambridge,
    Massachusetts", "Peterborough, Ontario"), or any place in brackets right after a party ("Kōya
    (Prefettura di Wakayama)"): it says where the party is."""
    if not parties or m.first < 2:
        return False
    if parties[-1].last < m.first and _in_area_of(ctx, [t.lower for t in ctx.doc.tokens[parties[-1].last : m.first]]):
        return True  # "la cittadina di Obuse, nella prefettura di Nagano"
    if _is_area(ctx, m) and _locative_gap(ctx, parties[-1].last, m.first):
        return True  # "Lianyungang in China's Jiangsu province"
    if parties[-1].last != m.first - 1:
        return False
    if ctx.doc.tokens[m.first - 1].text == "(":  # "la Città di Kōya (Prefettura di Wakayama, Giappone)"
        return True
    if ctx.doc.tokens[m.first - 1].text != ",":
        return False
    if normalise_name(m.name) in us_state_names():
        return True  # "the City of Richmond, Indiana, and the City of Zushi", "Hereford, Texas"
    after = m.last + 1
    if ctx.doc.tokens[m.last].text == "," and after < len(ctx.doc.tokens) and ctx.doc.cue_at("countries", after):
        return True  # "Denver, Colorado, USA": a state between the town and its country
    return m.ref.kind not in (MUNICIPALITY, COUNTRY) and not m.ref.candidates or m.ref.kind == ADMIN


def _slot_open(ctx: Context, i: int, cue: Cue, parties: list[PlaceMention]) -> bool:
    """A name right after the phrase or after a marker is a party even when the graph lacks it."""
    prev = ctx.doc.tokens[i - 1].lower if i > 0 else ""
    lex = ctx.lex
    return (
        i == cue.last
        or prev in lex.with_markers
        or prev in lex.between_markers
        or prev in lex.and_markers
        or ctx.doc.covering("body_prefixes", i - 1) is not None
        or (prev in {"di", "of"} and not parties)
    )


def _unknown_name(ctx: Context, i: int, stop: int) -> PlaceMention | None:
    """A capitalised name the graph does not have, in a party slot: resolved by the gazetteer or kept
    as an unresolved name."""
    doc, lex = ctx.doc, ctx.lex
    spans = with_in_names(doc, ctx.resolver, name_spans(doc, doc.tokens[i].sent, lex))
    span = next(((a, b) for a, b in spans if a == i), None)
    if span is None:
        return None
    first, last = span
    last = min(last, stop)
    if any(doc.covering(k, j) for j in range(first, last) for k in ("organisations", "offices", "meetings")):
        return None
    if last - first == 1 and doc.tokens[first].lower in lex.not_names:
        return None
    found = mention(doc, lex, ctx.resolver, first, last, near=ctx.home.iri if ctx.home else None, use_gazetteer=True)
    if not found.ref.resolved and not found.ref.candidates and all(t.text.isupper() for t in doc.tokens[first:last]):
        return None  # a heading's word in capitals nobody can place ("COMITATO", "CARTA") is no town
    return None if found.is_country else found


def _token_after(ctx: Context, char: int, i: int) -> int:
    while i < len(ctx.doc.tokens) and ctx.doc.tokens[i].start < char:
        i += 1
    return i


def _parties(ctx: Context, cue: Cue, scan: _Scan, boundary: int) -> list[PlaceMention]:
    """All parties of the phrase (first the subject), or [] when the text names too few."""
    left = [
        m
        for m in ctx.places
        if boundary <= m.first
        and m.last <= cue.first
        and not m.is_country
        and m.first not in ctx.person_tokens
        and not _area_council(ctx, m)
    ]
    left = [m for k, m in enumerate(left) if not (k and _region_of(ctx, left[k - 1], m))]
    right = scan.parties
    if (scan.marker == "between" or scan.genitive) and len(right) >= 2:
        return right
    if right:
        subject = _subject(ctx, left, right)
        return [subject, *right] if subject is not None else []
    owner = _one_of_possessive(ctx, cue, left)
    if owner is not None:
        return owner
    if len(left) >= 2 and _among_own(ctx, cue):  # "Chicago counts Warsaw, Kyiv and Paris among its sister cities"
        return left
    if len(left) >= 2 and (_coordinated(ctx, left[-2], left[-1]) or _joined_actors(ctx, left[-2], left[-1])):
        return [left[-2], left[-1]]
    towns = [m for m in left if m.ref.kind == MUNICIPALITY]  # "Łódź and Chengdu, the capital of China's Sichuan
    if len(towns) >= 2 and towns[-1] is not left[-1] and _coordinated(ctx, towns[-2], towns[-1]):  # province"
        return [towns[-2], towns[-1]]
    home = _home_for(ctx, cue.sent)
    if left and home is not None and _key(left[-1].ref) != _key(home) and not _locative(ctx, left[-1]):
        return [_home_mention(ctx, left[-1]), left[-1]]
    return []


def _area_council(ctx: Context, m: PlaceMention) -> bool:
    """ "Northumberland County Council", "il Consiglio regionale": an area's council is an
    organisation that speaks of a relation, not a party to it."""
    doc = ctx.doc
    return m.ref.kind == ADMIN and m.last < len(doc.tokens) and doc.tokens[m.last].lower in {"council", "consiglio"}


def _subject(ctx: Context, left: list[PlaceMention], right: list[PlaceMention]) -> PlaceMention | None:
    names = {m.name for m in right}
    for m in reversed(left):  # (not a partner of an earlier clause: "marks 35 years with X, signs ... with Y")
        if (
            m.name not in names
            and not (_locative(ctx, m) and not _apposition_follows(ctx, m))
            and not _after_with(ctx, m)
        ):
            return m
    keys = {_key(m.ref) for m in right}
    rng = ctx.doc.sentence_range(right[0].sent)
    lo = ctx.doc.tokens[rng.start].start
    speaker = next(  # "ha ricordato il sindaco Giorgio Mingozzi, citando i gemellaggi con X": the mayor's town
        (ref for at, ref in reversed(ctx.speakers) if lo <= at < right[0].start and _key(ref) not in keys), None
    )
    for cue in ctx.doc.cues_in("offices", right[0].sent) if speaker is None else ():
        if cue.last < right[0].first and (ref := ctx.surnames.get(ctx.doc.tokens[cue.last].text)) is not None:
            speaker = ref if _key(ref) not in keys else None  # "il sindaco Mingozzi", named in full before
    if speaker is not None:
        return PlaceMention(
            right[0].first, right[0].first, right[0].sent, right[0].start, right[0].start, speaker.name, speaker
        )
    home = _home_for(ctx, right[0].sent)
    if home is not None and _key(home) not in keys:
        return _home_mention(ctx, right[0])
    return None


def _apposition_follows(ctx: Context, m: PlaceMention) -> bool:
    """ "Da Birgu, la cittadina maltese gemellata con Licata": a comma after a town named after "da",
    "from" opens what is said of it (it is the subject of the participle, not where someone is)."""
    doc = ctx.doc
    return (
        m.first > 0
        and doc.tokens[m.first - 1].lower in ctx.lex.origin_markers
        and m.last < len(doc.tokens)
        and doc.tokens[m.last].text == ","
    )


def _after_with(ctx: Context, m: PlaceMention) -> bool:
    """ "with X", "con la città di X": ``m`` is named as someone's partner."""
    i = m.first - 1
    while (
        i >= 0
        and m.first - i <= 4
        and (ctx.doc.tokens[i].lower in ctx.lex.skip_words or ctx.doc.tokens[i].lower in ctx.lex.body_markers)
    ):
        i -= 1
    return i >= 0 and ctx.doc.tokens[i].lower in ctx.lex.with_markers and ctx.doc.tokens[i].lower not in {"e", "and"}


def _key(ref: PlaceRef) -> str:
    return ref.key


def _home_mention(ctx: Context, at: PlaceMention) -> PlaceMention:
    """The article's own town (or its story's, :func:`_home_for`) as an implied party (its evidence is
    the partner's sentence)."""
    home = _home_for(ctx, at.sent)
    assert home is not None
    return PlaceMention(at.first, at.first, at.sent, at.start, at.start, home.name, home)


def _home_for(ctx: Context, sent: int) -> PlaceRef | None:
    """The town a story of the article is from: the dateline ("CUENCA, Spain –") of the last paragraph
    at or before sentence ``sent`` that opens with one (a wire round-up of several stories), else the
    article's own town."""
    doc = ctx.doc
    for s in range(sent, -1, -1):
        first = doc.sentence_range(s).start
        if s and "\n" not in doc.text[doc.tokens[first - 1].end : doc.tokens[first].start]:
            continue  # (not a paragraph's first sentence)
        m = ctx.place_starting(first)
        if (
            m is not None
            and not m.is_country
            and m.name.isupper()
            and len(m.name) > 2
            and m.last < len(doc.tokens)
            and doc.tokens[m.last].text in {",", "\u2013", "\u2014", "-", "."}
        ):
            return m.ref
    return ctx.home


def _locative(ctx: Context, m: PlaceMention) -> bool:
    return m.first > 0 and ctx.doc.tokens[m.first - 1].lower in ctx.lex.locative


def _coordinated(ctx: Context, a: PlaceMention, b: PlaceMention) -> bool:
    between = ctx.doc.tokens[a.last : b.first]
    return (
        0 < len(between) <= 2
        and all(t.lower in ctx.lex.and_markers or t.lower in ctx.lex.skip_words for t in between)
        and not _region_of(ctx, a, b)
    )


def _region_of(ctx: Context, a: PlaceMention, b: PlaceMention) -> bool:
    """Whether ``b``, named right after ``a``, says where ``a`` is: in brackets or after "in the
    province of"; an area after a locative ("in Nara Prefecture", "in Japan's Shizuoka Prefecture");
    a US state or an area between commas ("Richmond, Indiana", "Ensenada, Baja California,"); a
    place between commas before a person's name ("the Municipal President of Hermosillo, Sonora,
    Alejandro Ruiz")."""
    doc = ctx.doc
    gap = [t.lower for t in doc.tokens[a.last : b.first]]
    if _in_area_of(ctx, gap) or gap == ["("]:
        return True  # "Bagnacavallo (Province of Ravenna)"
    if _is_area(ctx, b) and _locative_gap(ctx, a.last, b.first):
        return True  # "Yamato-Takada in Nara Prefecture", "Shimada City in Japan's Shizuoka Prefecture"
    if gap != [","] or b.last + 1 >= len(doc.tokens):
        return False
    if normalise_name(b.name) in us_state_names() and a.ref.country in (None, "US"):
        return True  # "Richmond, Indiana"
    if b.ref.kind == ADMIN and doc.tokens[b.last].text == ",":
        return True  # "the port city of Ensenada, Baja California, signed"
    return doc.tokens[b.last].text == "," and (b.last + 1) in ctx.person_tokens


def _is_area(ctx: Context, m: PlaceMention) -> bool:
    """An area: placed as one, or named with an area word ("Shizuoka Prefecture", "Jiangsu province")."""
    return m.ref.kind == ADMIN or (not m.ref.resolved and ctx.doc.tokens[m.last - 1].lower in ctx.lex.area_words)


def _locative_gap(ctx: Context, first: int, last: int) -> bool:
    """Whether tokens ``[first, last)`` are a locative word and at most a country's possessive ("in",
    "in Japan's", "in China's"): what follows says where the town before is."""
    doc = ctx.doc
    while first < last and doc.tokens[first].lower in ctx.lex.place_nouns:
        first += 1  # "Shimada City in ..."
    if last <= first or doc.tokens[first].lower not in ctx.lex.locative:
        return False
    i = first + 1
    country = doc.cue_at("countries", i) if i < last else None
    if country is not None:
        i = country.last
        if i < last and doc.tokens[i].lower in _POSSESSIVE:
            i += 1
    return i == last


def _in_area_of(ctx: Context, gap: list[str]) -> bool:
    """The words between two names say the second is the first's area: "Colonia Caroya, in provincia
    di Córdoba", "Kōya (prefettura di Wakayama)", "Hermosillo, in the state of Sonora"."""
    words = [w for w in gap if w not in {",", "(", "the"} and w not in ctx.lex.locative]
    return len(words) == 2 and words[0] in ctx.lex.area_words and words[1] in {"di", "of", "del", "dello", "della"}


def _among_own(ctx: Context, cue: Cue) -> bool:
    """ "among its (30) sister cities", "tra le sue città gemelle": the phrase before the relation words,
    with at most a number or two lower-case words between."""
    doc = ctx.doc
    i = cue.first
    for _ in range(3):
        for phrase in ctx.lex.among_own:
            words = phrase.split()
            if [t.lower for t in doc.tokens[max(0, i - len(words)) : i]] == words:
                return True
        if i == 0 or not (doc.tokens[i - 1].text.isdigit() or doc.tokens[i - 1].text.islower()):
            return False
        i -= 1
    return False


def _one_of_possessive(ctx: Context, cue: Cue, left: list[PlaceMention]) -> list[PlaceMention] | None:
    """ "Álamos, Sonora, one of Tucson's sister cities": the owner and the town the phrase describes."""
    doc = ctx.doc
    if len(left) < 2 or cue.first < 2 or doc.tokens[cue.first - 1].lower not in _POSSESSIVE:
        return None
    owner = left[-1]
    if owner.last != cue.first - 1:
        return None
    words = " ".join(t.lower for t in doc.tokens[max(0, owner.first - 3) : owner.first])
    if not words.endswith(("one of", "among", "uno dei", "una delle")):
        return None
    # the appositive chain before "one of": "Álamos, Sonora, one of" → its first name
    chain: list[PlaceMention] = []
    end = owner.first - 2 if words.endswith("one of") or words.endswith(("uno dei", "una delle")) else owner.first - 1
    for m in reversed(left[:-1]):
        gap = [t.text for t in doc.tokens[m.last : end]]
        if gap and all(g == "," for g in gap):
            chain.append(m)
            end = m.first
        elif chain or gap:
            break
    towns = [m for m in chain if m.ref.kind != ADMIN and _key(m.ref) != _key(owner.ref)]
    return [owner, towns[-1]] if towns else None


def _joined_actors(ctx: Context, a: PlaceMention, b: PlaceMention) -> bool:
    """ "the mayor of Ferrara, Alan Fabbri, and the mayor of Koriyama, X, signed": two towns, each
    named for its side, joined by "and" in one clause."""
    if _locative(ctx, a) or _locative(ctx, b) or _key(a.ref) == _key(b.ref) or b.first - a.last > 12:
        return False
    between = ctx.doc.tokens[a.last : b.first]
    words = {t.lower for t in between}
    return bool(words & (set(ctx.lex.and_markers) - {",", ";"})) and not words & {";", ":"}


def _draft(ctx: Context, found: list[PlaceMention], rtype: str | None, cue: Cue, clause: tuple[int, int]) -> _Draft:
    real = [m for m in found if m.last > m.first]
    first_char = min([cue.start] + [m.start for m in real])
    last_char = max([cue.end] + [m.end for m in real])
    draft = _Draft([m.ref for m in found], rtype, cue.sent, (first_char, last_char), (cue.start, cue.end))
    _collect(ctx, draft, cue, clause, typed=rtype is not None)
    return draft


def _collect(
    ctx: Context, draft: _Draft, cue: Cue, clause: tuple[int, int], extend: bool = True, typed: bool = True
) -> None:
    """Status cues, dates and sectors of the clause around ``cue`` (and a few words after it);
    ``typed``: the cue gives the relation's type, so its clause is the type's evidence."""
    doc = ctx.doc
    first, last = clause
    stop = doc.sentence_range(cue.sent).stop
    more = 3 if extend else 0  # a few words more, not into the next clause ("e nel 2011 ha siglato")
    while more > 0:
        if last >= stop or (doc.tokens[last].lower in _AND_WORDS(ctx.lex) and _starts_clause(ctx, last + 1)):
            break
        word = doc.tokens[last].lower
        if not (word in ctx.lex.auxiliaries or word.endswith(("mente", "ly")) or word in {"si", "been"}):
            more -= 1  # ("si è formalmente concluso", "has been formally ended": the verb counts, not its helpers)
        last += 1
    if extend and typed:
        last = _relative_clause_end(ctx, last, stop)
    lo, hi = doc.tokens[first].start, doc.tokens[last - 1].end
    statuses = [c for c in doc.cues_in("status_cues", cue.sent) if first <= c.first < last]
    draft.statuses.extend(c.value for c in statuses)
    days = ctx.lex.weekdays | ctx.lex.relative_days
    words = [t.lower for t in doc.tokens[first:last]]
    draft.this_week = (
        draft.this_week
        or any(w in days for w in words)
        or any(f"{a} {b}" in days for a, b in itertools.pairwise(words))
    )
    dates = ctx.dates_between(lo, hi)
    for d in dates:
        if d not in draft.dates:
            draft.dates.append(d)
        if any(c.value == "signed" and 0 <= d.start - c.end <= 12 for c in statuses):
            draft.signed_dates.append(d)
    if not dates and any(c.value == "signed" for c in statuses):
        # "Sabato 14 settembre 2024, ... hanno firmato il patto": the sentence's one date is the signing's
        rng = doc.sentence_range(cue.sent)
        whole = ctx.dates_between(doc.tokens[rng.start].start, doc.tokens[rng.stop - 1].end)
        if len(whole) > 1 and len({d.year for d in whole}) == 1:  # a dateline and "on October 17": one year
            signs = [c for c in doc.cues_in("status_cues", cue.sent) if c.value == "signed"]
            whole = [min(whole, key=lambda d: min(abs(d.start - c.start) for c in signs))]
        if len(whole) == 1 and whole[0] not in draft.dates:
            draft.dates.append(whole[0])
            draft.signed_dates.append(whole[0])
    for c in doc.cues_in("sectors", cue.sent):
        if c.value not in draft.sectors:
            draft.sectors.append(c.value)
    if typed or draft.type_span is None:
        starts = [cue.start] + [c.start for c in statuses]
        ends = [cue.end] + [d.end for d in dates]
        draft.type_span = (min(starts), max(ends))


def _aside_end(ctx: Context, i: int, stop: int) -> int | None:
    """The token after a relative clause between commas inside a list of partners ("Stuttgart, with
    which it has been linked since 1988, Lyon"): its comma, when it opens at ``i`` with a relative
    word and closes within 12 words without a relation phrase; else None."""
    doc = ctx.doc
    opened = ctx.phrase_at(i, ctx.lex.relatives)
    if opened is None:
        return None
    for j in range(opened, min(i + 12, stop)):
        if doc.cue_at("relation_types", j) is not None:
            return None
        if doc.tokens[j].text == ",":
            return j
    return None


def _relative_clause_end(ctx: Context, last: int, stop: int) -> int:
    """The end of a relative clause about the partner just named that says when or how the relation
    was made ("..., la cittadina termale con cui il patto fu firmato il 6 maggio 1984"; "..., with which
    it signed a friendship agreement in 1999"), or ``last`` when there is none: it opens within 12
    words, before any other relation phrase, and holds a signing or "since" cue."""
    doc = ctx.doc
    for i in range(last, min(last + 12, stop)):
        if doc.cue_at("relation_types", i) is not None:
            return last
        end = ctx.phrase_at(i, ctx.lex.relatives)
        if end is None:
            continue
        while end < stop and doc.tokens[end].text not in {";", ".", ":"} and doc.cue_at("relation_types", end) is None:
            end += 1
        said = any(
            c.value == "signed" and i <= c.first < end for c in doc.cues_in("status_cues", doc.tokens[i].sent)
        ) or any(doc.cue_at("since_words", j) is not None for j in range(i, end))
        return end if said else last
    return last


def _split_partners(ctx: Context, draft: _Draft, found: list[PlaceMention], cue: Cue, scan: _Scan) -> list[_Draft]:
    """ "gemellata con X dal 1975 e con Y dal 2009": one relation per partner, each with its own date."""
    if scan.marker == "between" or len(found) <= 2:
        return [draft]
    subject, partners = found[0], found[1:]
    out = []
    for k, p in enumerate(partners):
        nxt = partners[k + 1].start if k + 1 < len(partners) else draft.type_span[1] + 1 if draft.type_span else p.end
        own = [d for d in draft.dates if p.end <= d.start < nxt] or ([] if len(draft.dates) > 1 else draft.dates)
        span = (min(cue.start, subject.start if subject.last > subject.first else cue.start), p.end)
        d = _Draft(
            [subject.ref, p.ref],
            draft.type,
            draft.sent,
            span,
            (p.start, p.end),
            list(draft.statuses),
            own,
            [x for x in draft.signed_dates if x in own],
            list(draft.sectors),
            draft.type_span,
        )
        out.append(d)
    return out


def _has_anaphora(ctx: Context, sent: int) -> bool:
    return bool(ctx.doc.cues_in("relation_anaphora", sent))


def _antecedent(ctx: Context, pending: list[_Draft], drafts: list[_Draft], sent: int, refers: bool) -> _Draft | None:
    near = [d for d in pending if sent - d.sent <= _ANAPHORA_REACH]
    if near:
        return near[-1]
    if refers:
        recent = [d for d in drafts if sent - d.sent <= _ANAPHORA_REACH]
        return recent[-1] if recent else None
    return None


def _main_antecedent(drafts: list[_Draft], sent: int) -> _Draft | None:
    """The relation a new agreement of the same parties continues: the last one named, unless that
    sentence listed several partners ("twinned with A, B and C"); then the article's first relation."""
    recent = [d for d in drafts if sent - d.sent <= _ANAPHORA_REACH]
    if not recent:
        return None
    last = [d for d in recent if d.sent == recent[-1].sent]
    if len({frozenset(_key(p) for p in d.parties) for d in last}) == 1:
        return recent[-1]
    return (
        drafts[0]
        if frozenset(_key(p) for p in drafts[0].parties) not in {frozenset(_key(p) for p in d.parties) for d in last}
        else None
    )


def _attach(ctx: Context, target: _Draft, cue: Cue, clause: tuple[int, int]) -> None:
    if target.type is None or target.type == "partnership":
        target.type = cue.value
    _collect(ctx, target, cue, clause, extend=False)


def _definite(ctx: Context, cue: Cue) -> bool:
    """ "the partnership", "il protocollo": a phrase that refers back to a relation already named."""
    return cue.first > 0 and ctx.doc.tokens[cue.first - 1].lower in _DEFINITE


def _finish(ctx: Context, drafts: list[_Draft]) -> list[Relation]:
    out: list[Relation] = []
    weight: list[int] = []
    seen: dict[tuple[frozenset[str], str], int] = {}
    learnt: dict[str, PlaceRef] = {}
    for d in drafts:
        d.parties = _resolve_by_partner(ctx, d.parties)
        learnt.update({normalise_name(p.name): p for p in d.parties if p.iri and p.via == "graph"})
    for d in drafts:  # a name placed by one relation is that place in the others too
        d.parties = [
            replace(learnt[normalise_name(p.name)], name=p.name)
            if not p.iri and normalise_name(p.name) in learnt
            else p
            for p in d.parties
        ]
    for d in drafts:
        names = [p.iri or normalise_name(p.name) for p in d.parties]
        if len(set(names)) < 2 or d.type is None:
            continue
        key = (frozenset(names), d.type)
        status, date, renews = _status(ctx, d)
        rel = Relation(
            id=f"r{len(out) + 1}",
            parties=tuple(d.parties),
            type=d.type,
            evidence=ctx.evidence(d.span[0], d.span[1], d.focus),
            status=status,
            date=date,
            renewal_of=renews,
            sectors=tuple(d.sectors),
            type_evidence=_type_evidence(ctx, d),
        )
        w = (d.sent > 0) + 2 * bool(d.statuses or d.dates)  # a title says less than a sentence with cues
        if key in seen:  # the same relation said again: keep the better statement, fill what it lacks
            k = seen[key]
            a, b = (rel, out[k]) if w > weight[k] else (out[k], rel)
            out[k] = Relation(
                out[k].id,
                a.parties,
                a.type,
                a.evidence,
                a.status or b.status,
                a.date or b.date,
                a.renewal_of or b.renewal_of,
                tuple(dict.fromkeys(a.sectors + b.sectors)),
                a.type_evidence or b.type_evidence,
            )
            weight[k] = max(w, weight[k])
            continue
        seen[key] = len(out)
        out.append(rel)
        weight.append(w)
    return out


def _resolve_by_partner(ctx: Context, parties: list[PlaceRef]) -> list[PlaceRef]:
    """An ambiguous name that is, for exactly one of its candidates, already the other party's partner."""
    known = [p.iri for p in parties if p.iri]
    out = []
    for p in parties:
        if p.iri is None and p.candidates and known:
            for other in known:
                again = ctx.resolver.resolve(
                    p.name, country=p.country, near=other, use_gazetteer=False, language=ctx.lex.language
                )
                if again.resolved:
                    p = replace(again, name=p.name)
                    break
        out.append(p)
    return out


def _type_evidence(ctx: Context, d: _Draft) -> Evidence | None:
    if d.type_span is None:
        return None
    ev = ctx.evidence(*d.type_span, focus=d.type_span)
    own = ctx.evidence(*d.span, focus=d.focus)
    return None if (ev.sentence, ev.start, ev.end) == (own.sentence, own.start, own.end) else ev


def _status(ctx: Context, d: _Draft) -> tuple[str | None, str | None, str | None]:
    """(status, date, date of the renewed agreement) from the clause's cues and dates; a signing or
    renewal dated only by a weekday or "yesterday" falls in the year the article was published."""
    status, date, renews = _status_of(ctx, d)
    if status == "active" and date and len(date) == 10 and ctx.published_on is not None:
        if dt.date.fromisoformat(date) > ctx.published_on:
            date = None  # "Il 20 maggio festeggerà i 50 anni del gemellaggio": a coming day, not its start
    if status == "active" and date and _news_day(ctx, date):
        return "signed", date, renews  # "da sabato 14 settembre sono città gemelle": new, days before the item
    if date is None and status in {"signed", "renewed"} and _headline(ctx, d.sent) and ctx.published_year:
        return status, str(ctx.published_year), renews  # a headline's signing is the item's news
    if date is None and status in {"signed", "renewed", "active"} and d.this_week and ctx.published_year:
        if status == "active" and not (set(d.statuses) & {"signed", "renewed"}):
            return status, date, renews
        return ("signed" if status == "active" else status), str(ctx.published_year), renews
    return status, date, renews


def _headline(ctx: Context, sent: int) -> bool:
    """Whether sentence ``sent`` is the article's headline: its first, on a line of its own."""
    if sent != 0 or len(ctx.doc.sentences) < 2:
        return False
    doc = ctx.doc
    end = doc.tokens[doc.sentence_range(0).stop - 1].end
    return "\n" in doc.text[end : doc.tokens[doc.sentence_range(1).start].start]


def _news_day(ctx: Context, date: str) -> bool:
    """Whether a full date lies within the month before the article's publication day."""
    if ctx.published_on is None or len(date) != 10:
        return False
    return 0 <= (ctx.published_on - dt.date.fromisoformat(date)).days <= 31  # (a coming anniversary is none)


def _status_of(ctx: Context, d: _Draft) -> tuple[str | None, str | None, str | None]:
    statuses = set(d.statuses)
    since = [x for x in d.dates if x.since]
    dates = sorted(d.dates, key=lambda x: x.value)
    if "renewed" in statuses:
        if len(dates) >= 2:
            return "renewed", dates[-1].value, dates[0].value
        if dates and dates[0] in d.signed_dates:
            return "renewed", None, dates[0].value
        return "renewed", dates[0].value if dates else None, None
    top = max(statuses, key=lambda s: _STATUS_RANK.get(s, 0)) if statuses else None
    if "active" in statuses and top not in {"terminated", "suspended"}:  # "i vent'anni del patto", "anniversary"
        first = since or d.signed_dates or dates
        return "active", first[0].value if first else None, None
    if "proposed" in statuses and top in {"signed", "proposed"}:
        top = "approved" if "approved" in statuses else "proposed"
    date = (
        since[0].value if since else (d.signed_dates[0].value if d.signed_dates else dates[0].value if dates else None)
    )
    if top in {"terminated", "suspended"}:  # the date of the relation (its signing), not of its end
        first = d.signed_dates or dates
        return top, first[0].value if first else None, None
    if top in {"proposed", "approved"}:
        return top, date, None
    if since:
        return "active", date, None
    if date and int(date[:4]) < ctx.reference_year:
        return "active", date, None
    if top == "signed":
        return "signed", date, None
    return "active", date, None
