"""The index page of a batch of dossiers: every municipality written, with its region, population
and partners, linked to its page (HTML: autoescaped template, no script; or Markdown).

>>> from graphkit.relations.model import Place, Relation, RelationData
>>> a, b = Place("a", "Assisi", "municipality", "IT", region="Umbria"), Place("k", "Kōya", "municipality", "JP")
>>> data = RelationData({"a": a, "k": b}, (Relation("r", ("a", "k")),), countries={"IT": "Italy", "JP": "Japan"})
>>> print(index_page(data, ["a"], {"a": "assisi.md"}, country="IT", fmt="md"))
# Dossiers: Italy (IT), 1 municipality
<BLANKLINE>
| Municipality | Region | Population | Partners | Partner countries |
|---|---|---:|---:|---|
| [Assisi](assisi.md) | Umbria |  | 1 | Japan |
<BLANKLINE>
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from graphkit.dossier.htmlpage import CSP, _css, _environment
from graphkit.dossier.mdpage import md_text
from graphkit.relations.model import RelationData


def index_rows(data: RelationData, iris: Sequence[str], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """One row per municipality: label, file, region, population, partners, partner countries."""
    rows: list[dict[str, Any]] = []
    for iri in iris:
        p = data.places[iri]
        countries = Counter(data.country_name(data.places[q].country) for q in data.partners(iri))
        rows.append(
            {
                "label": p.label,
                "href": names[iri],
                "region": p.region,
                "population": p.population,
                "partners": data.degree(iri),
                "countries": ", ".join(c for c, _ in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))),
            }
        )
    return rows


def index_page(data: RelationData, iris: Sequence[str], names: Mapping[str, str], *, country: str, fmt: str) -> str:
    """The index of the dossiers ``names`` (place IRI → file name) as HTML or Markdown."""
    rows = index_rows(data, iris, names)
    title = (
        f"Dossiers: {data.country_name(country)} ({country}), {len(rows)} municipalit{'y' if len(rows) == 1 else 'ies'}"
    )
    if fmt == "md":
        lines = [f"# {md_text(title)}", "", "| Municipality | Region | Population | Partners | Partner countries |"]
        lines.append("|---|---|---:|---:|---|")
        for r in rows:
            pop = f"{r['population']:,}" if r["population"] is not None else ""
            lines.append(
                f"| [{md_text(r['label'])}]({r['href']}) | {md_text(r['region'])} | {pop} | {r['partners']} "
                f"| {md_text(r['countries'])} |"
            )
        return "\n".join(lines) + "\n"
    from markupsafe import Markup

    return _environment().get_template("dossier-index.html").render(title=title, rows=rows, css=Markup(_css()), csp=CSP)
