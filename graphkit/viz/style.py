"""Colours, shapes and sizes: by country, by class, by relation type and status, by degree.

Deterministic: the same graph gives the same colours. Countries are coloured in order of how many
nodes of the view they have (the biggest get the most distinct colours); relation types and
statuses have fixed styles.

>>> country_colours({"IT": 5, "JP": 2, "FR": 2})
{'IT': '#1f77b4', 'FR': '#ff7f0e', 'JP': '#2ca02c'}
>>> relation_style("https://w3id.org/graphkit/vocab/relation-type/twinning", "")
('#1f77b4', False)
>>> degree_size(0), degree_size(9)
(6.0, 15.0)
"""

from __future__ import annotations

import colorsys
import math

from rdflib.namespace import FOAF, ORG

from graphkit.rdf.namespaces import GK, RELSTATUS, RELTYPE

# Distinct, colour-blind-friendlier categorical colours (Tableau 10 + lighter variants).
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5", "#dbdb8d",
)  # fmt: skip
OTHER_COLOUR = "#9e9e9e"
#: The country key of places whose country the graph does not give, and their colour.
UNKNOWN_COUNTRY = "?"
UNKNOWN_COLOUR = "#cfcfcf"

#: Relation types: edge colour (the legend names them from the vocabulary).
RELATION_TYPE_COLOURS: dict[str, str] = {
    str(RELTYPE["twinning"]): "#1f77b4",
    str(RELTYPE["sister-city"]): "#2ca02c",
    str(RELTYPE["friendship-city"]): "#9467bd",
    str(RELTYPE["pact-of-friendship"]): "#8c564b",
    str(RELTYPE["memorandum-of-understanding"]): "#ff7f0e",
    str(RELTYPE["cooperation-agreement"]): "#17becf",
    str(RELTYPE["partnership"]): "#8a8a8a",
}
#: Statuses drawn dashed (ended or not in force).
DASHED_STATUSES: frozenset[str] = frozenset(
    str(RELSTATUS[s]) for s in ("terminated", "expired", "suspended", "dormant", "proposed")
)

#: Classes in the knowledge view, most specific first: (class IRI, legend text, shape, colour).
CLASS_STYLES: tuple[tuple[str, str, str, str], ...] = (
    (str(GK.Municipality), "municipality", "dot", "#1f77b4"),
    (str(GK.Country), "country", "diamond", "#7f7f7f"),
    (str(GK.Prefecture), "administrative area", "square", "#17becf"),
    (str(GK.Province), "administrative area", "square", "#17becf"),
    (str(GK.Region), "administrative area", "square", "#17becf"),
    (str(GK.District), "administrative area", "square", "#17becf"),
    (str(GK.AdministrativeArea), "administrative area", "square", "#17becf"),
    (str(GK.MunicipalRelation), "municipal relation", "hexagon", "#ff7f0e"),
    (str(GK.Agreement), "agreement", "box", "#ffbb78"),
    (str(GK.StatusPeriod), "status period", "dot", "#c5b0d5"),
    (str(GK.Meeting), "meeting", "star", "#9467bd"),
    (str(GK.Participation), "participation", "diamond", "#c7c7c7"),
    (str(GK.Embassy), "embassy / institute", "triangle", "#8c564b"),
    (str(GK.CulturalInstitute), "embassy / institute", "triangle", "#8c564b"),
    (str(GK.PublicBody), "public body", "triangle", "#8c564b"),
    (str(FOAF.Person), "person", "triangleDown", "#e377c2"),
    (str(GK.ParticipantGroup), "group of people", "triangleDown", "#f7b6d2"),
    (str(ORG.Post), "office (post)", "square", "#bcbd22"),
    (str(GK.Place), "place", "dot", "#9edae5"),
)
DEFAULT_CLASS_STYLE = ("", "other", "dot", OTHER_COLOUR)


def country_colours(counts: dict[str, int]) -> dict[str, str]:
    """A colour per country code: by descending count then code; palette first, then golden-angle hues.
    Places of unknown country (``?``) are light grey and take no palette colour.

    >>> country_colours({"?": 9, "JP": 1})
    {'JP': '#1f77b4', '?': '#cfcfcf'}
    """
    order = sorted((c for c in counts if c != UNKNOWN_COUNTRY), key=lambda c: (-counts[c], c))
    colours = {cc: colour_at(i) for i, cc in enumerate(order)}
    if UNKNOWN_COUNTRY in counts:
        colours[UNKNOWN_COUNTRY] = UNKNOWN_COLOUR
    return colours


def colour_at(i: int) -> str:
    """The i-th categorical colour (palette, then evenly spread hues).

    >>> colour_at(0), colour_at(18)
    ('#1f77b4', '#a86f6f')
    """
    if i < len(PALETTE):
        return PALETTE[i]
    hue = ((i - len(PALETTE)) * 137.508) % 360 / 360
    r, g, b = colorsys.hls_to_rgb(hue, 0.55, 0.25 + 0.35 * ((i // 7) % 2))
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def relation_style(type_key: str, status: str) -> tuple[str, bool]:
    """Edge colour for a relation type, and whether its status is drawn dashed."""
    return RELATION_TYPE_COLOURS.get(type_key, "#bcbd22"), status in DASHED_STATUSES


def class_style(classes: set[str]) -> tuple[str, str, str, str]:
    """(class IRI, legend text, shape, colour) of the most specific known class in ``classes``."""
    for style in CLASS_STYLES:
        if style[0] in classes:
            return style
    return DEFAULT_CLASS_STYLE


def degree_size(degree: int, *, base: float = 6.0, per: float = 3.0, cap: float = 40.0) -> float:
    """Node size growing with the square root of the degree (a hub stays readable, not huge)."""
    return min(cap, base + per * math.sqrt(max(0, degree)))
