"""Write dossiers: one municipality's (:func:`write_dossier`), or every municipality of a country with
an index page (:func:`write_country_dossiers`).

Both read the last build the fast way: the read model from its cache (:func:`read_last_build`) and
the seed-depth facts from the build's on-disk index (``graphkit index``; the snapshot is loaded when
there is no fresh index). Files are written atomically, UTF-8.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> path = write_dossier("Kōya", output=out / "koya.html", graph_files=["data/seed/assisi-koya.ttl"])
>>> text = path.read_text(encoding="utf-8")
>>> path.name, "Assisi" in text, 'class="country home" data-cc="JP"' in text
('koya.html', True, True)
>>> dossier_slug("Kōya"), dossier_slug("高野町"), dossier_slug("")
('koya', '高野町', 'unnamed')
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.dossier import facts
from graphkit.dossier.gather import gather_dossier, resolve_municipality
from graphkit.dossier.htmlpage import dossier_html
from graphkit.dossier.mdpage import dossier_markdown
from graphkit.dossier.model import Dossier
from graphkit.dossier.network import NetworkIndex
from graphkit.errors import InputError
from graphkit.rdf.files import safe_file_name, write_text_atomic
from graphkit.relations.model import Place, RelationData
from graphkit.store.embedded import Store

FORMATS = ("html", "md")


def dossier_slug(label: str) -> str:
    """The file name stem of a dossier: the label as a lower-case ASCII slug where it has Latin
    letters, else the label itself (made safe for a file name)."""
    from graphkit.rdf.namespaces import slugify

    try:
        slug = slugify(label)
    except Exception:  # noqa: BLE001 - a label with nothing to slug still gets a name
        slug = ""
    return safe_file_name(slug or label)


def open_build(
    out_dir: str | Path = "out", graph_files: Sequence[str | Path] = (), *, notify: Callable[[str], None] | None = None
) -> tuple[RelationData, Store]:
    """The read model and a store to query: of ``graph_files`` when given, else of the last build in
    ``out_dir`` (read model from its cache, store from its fresh on-disk index)."""
    from graphkit.relations.read import read_last_build, read_relations
    from graphkit.store.open import open_graph

    if graph_files:
        store = open_graph(list(graph_files))
        return read_relations(store, description=", ".join(str(f) for f in graph_files)), store
    data = read_last_build(out_dir, notify=notify)
    return data, open_graph(None, out_dir=out_dir, use_index=True, notify=notify)


def render(d: Dossier, fmt: str, *, links: Mapping[str, str] | None = None, index_href: str = "") -> str:
    """The dossier ``d`` as ``html`` or ``md`` text (``links``/``index_href``: see :func:`dossier_html`)."""
    if fmt == "html":
        return dossier_html(d, links=links, index_href=index_href)
    if fmt == "md":
        return dossier_markdown(d)
    raise InputError(f"unknown dossier format {fmt!r}: use one of {', '.join(FORMATS)}")


def write_dossier(
    name: str,
    *,
    output: str | Path | None = None,
    fmt: str = "html",
    out_dir: str | Path = "out",
    graph_files: Sequence[str | Path] = (),
    notify: Callable[[str], None] | None = None,
) -> Path:
    """Write the dossier of the municipality ``name`` (a name, IRI, CURIE or QID) to ``output``
    (default ``OUT/dossiers/<slug>.html`` or ``.md``) and return the path."""
    if fmt not in FORMATS:
        raise InputError(f"unknown dossier format {fmt!r}: use one of {', '.join(FORMATS)}")
    data, store = open_build(out_dir, graph_files, notify=notify)
    iri = resolve_municipality(data, name)
    d = gather_dossier(data, store, iri, out_dir=None if graph_files else out_dir)
    path = (
        Path(output) if output is not None else Path(out_dir) / "dossiers" / f"{dossier_slug(d.identity.label)}.{fmt}"
    )
    return write_text_atomic(path, render(d, fmt))


@dataclass
class BatchReport:
    """What :func:`write_country_dossiers` wrote, and how long it took."""

    country: str
    directory: Path
    pages: list[Path] = field(default_factory=list)
    #: The page of each municipality, by IRI.
    files: dict[str, Path] = field(default_factory=dict)
    index: Path | None = None
    seconds: float = 0.0
    setup_seconds: float = 0.0

    @property
    def seconds_per_page(self) -> float:
        return self.seconds / len(self.pages) if self.pages else 0.0

    def summary(self) -> str:
        """One line for the command line."""
        return (
            f"wrote {len(self.pages)} dossiers of {self.country} and {self.index} in {self.seconds:.1f} s "
            f"({self.seconds_per_page * 1000:.0f} ms per page; reading the graph {self.setup_seconds:.1f} s)"
        )


def write_country_dossiers(
    country: str,
    *,
    directory: str | Path | None = None,
    fmt: str = "html",
    out_dir: str | Path = "out",
    graph_files: Sequence[str | Path] = (),
    notify: Callable[[str], None] | None = None,
) -> BatchReport:
    """One dossier per municipality of ``country`` (ISO code) in ``directory`` (default
    ``OUT/dossiers/<CC>/``), partners linked to each other's pages, plus ``index.html`` (or ``index.md``)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown dossier format {fmt!r}: use one of {', '.join(FORMATS)}")
    cc = country.strip().upper()
    if len(cc) != 2 or not cc.isalpha():
        raise InputError(f"{country!r} is not an ISO 3166-1 alpha-2 country code (e.g. IT, JP)")
    t0 = time.perf_counter()
    data, store = open_build(out_dir, graph_files, notify=notify)
    places = sorted(
        (p for p in data.places.values() if p.country == cc and p.kind == "municipality"),
        key=lambda p: (p.label.casefold(), p.iri),
    )
    if not places:
        raise InputError(f"no municipality of country {cc} in the graph (codes are ISO 3166-1, e.g. IT, JP)")
    target = Path(directory) if directory is not None else Path(out_dir) / "dossiers" / cc
    names = _unique_names(places, fmt)
    network = NetworkIndex.of(data)
    sources = facts.sources(store)
    props = facts.property_labels(store)
    report = BatchReport(cc, target, setup_seconds=time.perf_counter() - t0)
    t1 = time.perf_counter()
    links = names if fmt == "html" else {}
    for p in places:
        d = gather_dossier(
            data, store, p.iri, out_dir=None if graph_files else out_dir, network=network, sources=sources,
            property_labels=props,
        )  # fmt: skip
        text = render(d, fmt, links=links, index_href="index.html")
        report.files[p.iri] = write_text_atomic(target / names[p.iri], text)
        report.pages.append(report.files[p.iri])
    from graphkit.dossier.index import index_page

    report.index = write_text_atomic(
        target / f"index.{fmt}", index_page(data, [p.iri for p in places], names, country=cc, fmt=fmt)
    )
    report.seconds = time.perf_counter() - t1
    return report


def _unique_names(places: Sequence[Place], fmt: str) -> dict[str, str]:
    """A file name per place: its slug, with its QID (or a number) added where two places share one."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for p in places:
        stem = dossier_slug(p.label)
        if stem.casefold() in taken:
            stem = f"{stem}-{p.qid.lower()}" if p.qid else stem
            n = 2
            while stem.casefold() in taken:
                stem = f"{dossier_slug(p.label)}-{n}"
                n += 1
        taken.add(stem.casefold())
        out[p.iri] = f"{stem}.{fmt}"
    return out
