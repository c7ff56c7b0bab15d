"""Apply a reviewed table: the accepted facts of each article become one named graph, a Turtle file
``data/articles/<article>.ttl`` that the next ``graphkit build`` loads. Rows without a decision and
rejected rows are left out; an article with nothing accepted gets no file. Each file is checked with
the SHACL shapes and written atomically; a file that does not validate is not written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.errors import InputError
from graphkit.extract.facts import article_graph
from graphkit.extract.review import decision_of, edited_fact, read_review

ARTICLES_DIR = Path("data") / "articles"
_LIST = {
    "relation": "relations",
    "office": "offices",
    "meeting": "meetings",
    "participation": "participations",
    "designation": "designations",
}


@dataclass
class ApplyReport:
    """What applying a review did: files written, facts accepted, rejected and undecided."""

    written: dict[str, int] = field(default_factory=dict)  # file → accepted facts
    rejected: int = 0
    undecided: int = 0

    def summary(self) -> str:
        lines = [f"wrote {path} ({n} facts)" for path, n in sorted(self.written.items())]
        lines.append(
            f"{sum(self.written.values())} accepted, {self.rejected} rejected, "
            f"{self.undecided} without a decision (left out)"
        )
        return "\n".join(lines) + "\n"


def apply_review(review: str | Path, *, data_dir: str | Path = "data", validate: bool = True) -> ApplyReport:
    """Write the accepted facts of ``review`` under ``data_dir/articles/``, one file per article."""
    rows = read_review(review)
    report = ApplyReport()
    articles: dict[str, dict[str, Any]] = {}
    for line, row in enumerate(rows, start=2):
        decision = decision_of(row, line)
        if decision != "accept":
            report.rejected += decision == "reject"
            report.undecided += decision == ""
            continue
        article = _article_name(row, line)
        kind = _LIST.get(row.get("kind", ""))
        if kind is None:
            raise InputError(f"{review} row {line}: unknown kind {row.get('kind')!r}")
        entry = articles.setdefault(article, {"source": _source(row), **{k: [] for k in _LIST.values()}})
        entry[kind].append(edited_fact(row, line))
    target = Path(data_dir) / "articles"
    graphs = {name: article_graph(ex, name) for name, ex in sorted(articles.items())}
    if validate:
        for name, g in graphs.items():
            _check(g, name)
    for name, g in graphs.items():
        path = target / f"{name}.ttl"
        _write(g, path)
        report.written[str(path)] = sum(len(articles[name][k]) for k in _LIST.values())
    return report


def _article_name(row: Mapping[str, str], line: int) -> str:
    from graphkit.rdf.namespaces import slugify

    name = row.get("article", "").strip()
    if not name or slugify(name) != name:
        raise InputError(f"row {line}: article {name!r} is not a file name made by `graphkit extract`")
    return name


def _source(row: Mapping[str, str]) -> dict[str, Any]:
    return {k: row.get(k) or None for k in ("file", "url", "title", "published", "language")}


def _check(graph: Any, name: str) -> None:
    from graphkit.validate.validator import validate_graph

    report = validate_graph(graph)
    errors = [v for v in report.violations if v.severity == "Violation"]
    if errors:
        raise InputError(f"the accepted facts of {name} do not validate, nothing written: {errors[0].line()}")


def _write(graph: Any, path: Path) -> None:
    from graphkit.rdf.files import write_text_atomic

    header = (
        f"# Facts accepted in review from the article {path.stem} (graphkit extract apply).\n"
        "# Each fact is an rdf:Statement with its gk:TextEvidence; the text itself is not copied.\n"
    )
    write_text_atomic(path, header + graph.serialize(format="turtle"))
