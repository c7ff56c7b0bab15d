"""The dossier as Markdown (GitHub-flavoured tables): the same sections as the HTML page, the map
as the list of partners with their coordinates.

Text from the graph is escaped for Markdown (``|``, ``*``, ``_``, backticks, brackets, ``<``, line
breaks), so a label can neither break a table nor turn into markup or a link.

>>> md_text("a|b *c* <img>")
'a\\\\|b \\\\*c\\\\* &lt;img&gt;'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graphkit.dossier.model import Dossier, Evidence, RelationEntry

_SPECIAL = re.compile(r"([\\`*_{}\[\]|~>])")


def md_text(value: object) -> str:
    """``value`` as inline Markdown text: special characters escaped, ``<``/``&`` as entities, one line."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _SPECIAL.sub(r"\\\1", text).replace("\\>", "&gt;")


def _ev(items: tuple[Evidence, ...]) -> str:
    return "; ".join(md_text((f"{e.fact}: " if e.fact else "") + e.citation()) for e in items)


def dossier_markdown(d: Dossier) -> str:
    """The dossier as one Markdown document."""
    out: list[str] = []
    for section in SECTIONS:
        out += section(d)
    return "\n".join(out) + "\n"


def _identity(d: Dossier) -> list[str]:
    i = d.identity
    out = [f"# {md_text(i.label)}", ""]
    where = ", ".join(a[0] for a in i.areas)
    out.append(
        md_text(" · ".join(x for x in (i.kind, where, f"{i.country_name} ({i.country})" if i.country else "") if x))
    )
    out += ["", "## Identity", ""]
    out.append("- Names: " + ", ".join(f"{md_text(n.text)} ({n.lang or '—'})" for n in i.names))
    out.append(f"- Country: {md_text(i.country_name or 'not known')}" + (f" ({i.country})" if i.country else ""))
    if i.areas:
        out.append("- Lies in: " + ", ".join(f"{md_text(a)} ({k})" for a, k in i.areas))
    out.append(f"- Population: {i.population:,}" if i.population is not None else "- Population: not known")
    out.append(f"- Wikidata: [{i.qid}]({i.wikidata_url})" if i.qid else "- Wikidata: not linked")
    out.append(f"- GeoNames: [{i.geonames_id}]({i.geonames_url})" if i.geonames_id else "- GeoNames: not linked")
    coords = f"{i.lat:.4f}, {i.lon:.4f}" if i.lat is not None and i.lon is not None else "not known"
    out.append(f"- Coordinates: {coords}")
    out += [f"- {md_text(k)}: {md_text(v)}" for k, v in i.facts]
    out.append(f"- IRI: `{i.iri}`")
    return out


def _network(d: Dossier) -> list[str]:
    out: list[str] = []
    n = d.network
    out += ["", "## In the network", "", f"- Partners: {n.degree}"]
    if n.partner_countries:
        out[-1] += " — " + ", ".join(f"{md_text(c)} {k}" for c, k in n.partner_countries)
    if n.rank_in_country is not None:
        out.append(f"- Rank in its country: {n.rank_in_country} of {n.places_in_country} by number of partners")
    if n.analysed:
        out.append(f"- Community: {n.community}" + (f" ({n.community_size} places)" if n.community_size else ""))
        if n.betweenness is not None:
            out.append(f"- Betweenness: {n.betweenness:.6f}")
    else:
        out.append("- Community, betweenness: not computed (run `graphkit analyze --write-back`)")
    return out


def _relations(d: Dossier) -> list[str]:
    out: list[str] = []
    out += ["", f"## Relations ({len(d.relations)})", ""]
    if d.relations:
        out += [
            "| Partner | Type | Status | Dates | Agreements | Sectors | Asserted by |",
            "|---|---|---|---|---|---|---|",
        ]
        out += [_relation_row(d, r) for r in d.relations]
    else:
        out.append("No relation is in the graph.")
    return out


def _relation_row(d: Dossier, r: RelationEntry) -> str:
    """One relation as a table row."""
    partner = "; ".join(f"{md_text(p.label)} ({p.country})" if p.country else md_text(p.label) for p in r.partners)
    status = md_text(r.status or "not given")
    if r.history:
        status += " — " + "; ".join(
            md_text(h.status + (f" from {h.start}" if h.start else "") + (f" to {h.end}" if h.end else ""))
            for h in r.history
        )
    dates = " ".join(x for x in (f"since {r.start}" if r.start else "", f"until {r.end}" if r.end else "") if x)
    agreements = "; ".join(
        md_text(
            a.label
            + (f", signed {a.signing_date}" if a.signing_date else "")
            + (f"; signatories: {', '.join(a.signatories)}" if a.signatories else "")
        )
        for a in r.agreements
    )
    asserted = "; ".join(
        x for x in (md_text(r.listing), _ev(r.evidence), *(_ev(a.evidence) for a in r.agreements)) if x
    )
    if not r.evidence:
        asserted = "; ".join(x for x in (asserted, "; ".join(md_text(d.source(s).title) for s in r.sources)) if x)
    row = (
        partner,
        md_text(", ".join(r.types) or "not given"),
        status,
        dates,
        agreements,
        md_text(", ".join(r.sectors)),
        asserted,
    )
    return "| " + " | ".join(row) + " |"


def _people(d: Dossier) -> list[str]:
    out: list[str] = []
    out += ["", "## People and offices", ""]
    for o in d.offices:
        role = f" ({md_text(o.role)})" if o.role else ""
        out.append(f"- **{md_text(o.label)}**{role}: {md_text(', '.join(o.holders) or 'holder not known')}")
        if o.evidence:
            out.append(f"  - evidence: {_ev(o.evidence)}")
    if not d.offices:
        out.append("No office or office-holder is in the graph.")
    return out


def _meetings(d: Dossier) -> list[str]:
    out: list[str] = []
    out += ["", "## Meetings and participations", ""]
    for m in d.meetings:
        out.append(f"- **{md_text(m.label)}**")
        for key, value in (
            ("type", m.event_type), ("date", m.date), ("held in", m.held_in), ("venue", m.venue),
            ("promoted by", ", ".join(m.promoted_by)), ("topics", ", ".join(m.topics)),
            ("sectors", ", ".join(m.sectors)),
        ):  # fmt: skip
            if value:
                out.append(f"  - {key}: {md_text(value)}")
        for p in m.participants:
            who = p.who + (f", {p.post}" if p.post else "") + (f" (for {p.on_behalf_of})" if p.on_behalf_of else "")
            out.append(f"  - participant: {md_text(who)}" + (f" — {_ev(p.evidence)}" if p.evidence else ""))
        if m.evidence:
            out.append(f"  - evidence: {_ev(m.evidence)}")
    if not d.meetings:
        out.append("No meeting is in the graph.")
    return out


def _map(d: Dossier) -> list[str]:
    out: list[str] = []
    out += ["", "## Map", ""]
    if d.map and d.map.points:
        located = [p for p in d.partners if p.lat is not None and p.lon is not None]
        out.append(f"{len(located)} partners with coordinates (the HTML dossier draws them on a map):")
        out += [f"- {md_text(p.label)}: {p.lat:.4f}, {p.lon:.4f}" for p in located]  # type: ignore[str-format]
    if d.map and d.map.off_map:
        out.append("Without coordinates: " + ", ".join(md_text(x) for x in d.map.off_map))
    return out


def _shared(d: Dossier) -> list[str]:
    out: list[str] = []
    out += ["", "## Partners' partners in common", ""]
    for sp in d.shared:
        mark = " (also a partner)" if sp.is_partner else ""
        out.append(f"- {md_text(sp.place.label)}{mark}: {len(sp.shared)} — {md_text(', '.join(sp.shared))}")
    if not d.shared:
        out.append("No place shares two or more partners.")
    return out


def _wikidata(d: Dossier) -> list[str]:
    out: list[str] = []
    i = d.identity
    out += ["", "## Compared with Wikidata", ""]
    if d.wikidata is None:
        out.append("No comparison with Wikidata's P190 was run." if i.qid else "No Wikidata id.")
    elif not d.wikidata:
        out.append(f"Wikidata and the graph agree (from {md_text(d.wikidata_note)}).")
    else:
        out += ["| Difference | Other place | Graph | Wikidata | Note |", "|---|---|---|---|---|"]
        for w in d.wikidata:
            says = {"wikidata": "Wikidata says, the graph does not", "graph": "the graph says, Wikidata does not"}
            wrow = (
                md_text(says.get(w.says, w.kind)),
                md_text(f"{w.other_label} {w.other_qid}".strip()),
                md_text(w.ours),
                md_text(w.wikidata),
                md_text(w.note),
            )
            out.append("| " + " | ".join(wrow) + " |")
    return out


def _sources(d: Dossier) -> list[str]:
    out: list[str] = []
    out += ["", "## Sources", ""]
    for s in d.sources:
        out.append(
            f"- {md_text(s.title)}"
            + (f" — <{s.url}>" if s.url else "")
            + (f" — licence <{s.licence}>" if s.licence else "")
        )
    return out


SECTIONS: tuple[Callable[[Dossier], list[str]], ...] = (
    _identity,
    _network,
    _relations,
    _people,
    _meetings,
    _map,
    _shared,
    _wikidata,
    _sources,
)
