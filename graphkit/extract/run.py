"""``graphkit extract`` as library calls: read articles, extract, render as JSON, Turtle or a review CSV.

>>> from graphkit.extract.places import PlaceIndex, PlaceResolver
>>> from graphkit.store.open import open_graph
>>> resolver = PlaceResolver(PlaceIndex.from_store(open_graph(["data/seed/assisi-koya.ttl"])))
>>> import pathlib, tempfile
>>> f = pathlib.Path(tempfile.mkdtemp()) / "assisi-koya.it.txt"
>>> _ = f.write_text("Assisi e Koya\\n\\nAssisi è gemellata con Koya dal 1990.", encoding="utf-8")
>>> [a.name for a, _ in read_articles([str(f)])]
['assisi-koya.it.txt']
>>> out = extract_files([str(f)], resolver=resolver)
>>> render(out, "csv").splitlines()[1].split(",")[:4]
['assisi-koya-it', 'r1', 'relation', '']
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit.errors import InputError
from graphkit.extract.model import Extraction
from graphkit.extract.pipeline import AUTO, Extractor
from graphkit.extract.places import PlaceResolver, default_gazetteer, load_place_index
from graphkit.rdf.namespaces import slugify

FORMATS = ("json", "ttl", "csv")


@dataclass(frozen=True)
class Article:
    """An article to read: its name (``-`` for standard input) and its name in the graph."""

    name: str
    slug: str


def read_articles(paths: Sequence[str]) -> list[tuple[Article, str]]:
    """The text of each path (``-``: standard input), UTF-8; InputError naming a bad file."""
    out = []
    for p in paths:
        if p == "-":
            text = sys.stdin.read()
            out.append((Article("-", "stdin"), text))
            continue
        path = Path(p)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"{p}: no such file") from None
        except UnicodeDecodeError:
            raise InputError(f"{p}: not UTF-8 text; convert it (e.g. iconv -t UTF-8) and try again") from None
        except OSError as e:
            raise InputError(f"{p}: cannot read ({e.strerror})") from None
        out.append((Article(path.name, slugify(path.name.rsplit(".", 1)[0])), text))
    return out


def make_resolver(
    graph_files: Sequence[str | Path] = (), out_dir: str | Path = "out", gazetteer: bool = True
) -> PlaceResolver:
    """A place resolver over ``graph_files`` or the last build, with the places gazetteer."""
    return PlaceResolver(load_place_index(graph_files, out_dir=out_dir), default_gazetteer if gazetteer else None)


def extract_files(
    paths: Sequence[str],
    *,
    resolver: PlaceResolver,
    language: str = AUTO,
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
) -> list[tuple[Article, Extraction]]:
    """Extract every article; ``url``/``title``/``published`` describe a single article."""
    if len(paths) > 1 and (url or title):
        raise InputError("a URL and a title describe one article; give one file with them")
    extractor = Extractor(resolver)
    return [
        (a, extractor.extract(text, language=language, file=a.name, url=url, title=title, published=published))
        for a, text in read_articles(paths)
    ]


def render(results: Sequence[tuple[Article, Extraction]], fmt: str) -> str:
    """JSON (one object, or a list for several articles), Turtle, or the review CSV."""
    if fmt == "json":
        data: Any = [e.to_dict() for _, e in results]
        return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "ttl":
        from rdflib import Graph

        from graphkit.extract.facts import article_graph

        merged = Graph()
        for a, e in results:
            g = article_graph(e.to_dict(), a.slug, strict=False)
            for prefix, ns in g.namespaces():
                merged.bind(prefix, ns)
            merged += g
        return merged.serialize(format="turtle")
    if fmt == "csv":
        from graphkit.extract.review import review_rows, write_review

        return write_review(row for a, e in results for row in review_rows(e.to_dict(), a.slug))
    raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
