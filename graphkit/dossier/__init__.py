"""Dossiers: everything the graph knows about one municipality, as one offline HTML page (or Markdown).

:func:`gather_dossier` collects the facts (read model, a few bound SPARQL queries, network figures,
the Wikidata comparison, the map) into a :class:`~graphkit.dossier.model.Dossier`;
:func:`dossier_html` and :func:`dossier_markdown` render it; :func:`write_dossier` and
:func:`write_country_dossiers` read the last build and write the files (``graphkit dossier``).

>>> from graphkit.store.open import open_graph
>>> from graphkit.relations.read import read_relations
>>> store = open_graph(["data/seed/assisi-koya.ttl"])
>>> data = read_relations(store)
>>> d = gather_dossier(data, store, resolve_municipality(data, "Assisi"))
>>> [o.holders for o in d.offices], [p.label for p in d.partners]
([('Fabrizio Leggio',), ('Valter Stoppini',)], ['Kōya'])
"""

from __future__ import annotations

from graphkit.dossier.gather import gather_dossier, resolve_municipality
from graphkit.dossier.htmlpage import dossier_html
from graphkit.dossier.mdpage import dossier_markdown
from graphkit.dossier.model import Dossier
from graphkit.dossier.write import BatchReport, write_country_dossiers, write_dossier

__all__ = [
    "BatchReport",
    "Dossier",
    "dossier_html",
    "dossier_markdown",
    "gather_dossier",
    "resolve_municipality",
    "write_country_dossiers",
    "write_dossier",
]
