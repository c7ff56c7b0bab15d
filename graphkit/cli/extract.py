"""The `graphkit extract` commands: articles → candidate facts with evidence → reviewed facts in data/."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.cli import cli
from graphkit.cli.common import OUT_OPTION, OUTPUT_OPTION, emit


class _DefaultGroup(click.Group):
    """`graphkit extract FILE…` runs the `articles` command; `graphkit extract apply` applies a review."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["articles", *args]
        return super().parse_args(ctx, args)


@cli.group("extract", cls=_DefaultGroup)
def extract_group() -> None:
    """Propose facts from news items and council records (relations, officials, meetings), each with
    its sentence, offsets and quote; review them in a CSV; apply the accepted ones to data/articles/.

    \b
    Examples:
      graphkit extract article.it.txt
      graphkit extract article.it.txt --format csv -o review.csv
      graphkit extract apply review.csv
    """


@extract_group.command("articles")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--lang",
    "language",
    type=click.Choice(["auto", "it", "en"]),
    default="auto",
    show_default=True,
    help="Language of the articles.",
)
@click.option("--url", help="URL of the article (one FILE).")
@click.option("--title", help="Title of the article (one FILE); default: its first line.")
@click.option("--published", help="Publication date, YYYY-MM-DD (or YYYY-MM, YYYY).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "ttl", "csv"]),
    default="json",
    show_default=True,
    help="json: candidates; ttl: as RDF; csv: a review table with a decision column.",
)
@click.option(
    "--graph",
    "graph_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="RDF file(s) whose places resolve names, instead of the last build. Repeatable.",
)
@OUT_OPTION
@OUTPUT_OPTION
def articles_cmd(
    files: tuple[str, ...],
    language: str,
    url: str | None,
    title: str | None,
    published: str | None,
    fmt: str,
    graph_files: tuple[Path, ...],
    out_dir: Path,
    output: Path | None,
) -> None:
    """Extract candidate facts from plain-text articles (UTF-8; - for standard input)."""
    from graphkit.extract.run import extract_files, make_resolver, render

    resolver = make_resolver(graph_files, out_dir)
    results = extract_files(
        list(files), resolver=resolver, language=language, url=url, title=title, published=published
    )
    emit(render(results, fmt), output)


@extract_group.command("apply")
@click.argument("review", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--data",
    "data_dir",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Data directory; files go to DATA/articles/.",
)
def apply_cmd(review: Path, data_dir: Path) -> None:
    """Write the accepted rows of a review table (decision = accept) as one named graph per article
    under data/articles/ (checked with SHACL, written atomically); the next `graphkit build` loads them."""
    from graphkit.extract.apply import apply_review

    click.echo(apply_review(review, data_dir=data_dir).summary(), nl=False)
