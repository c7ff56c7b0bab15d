"""Wikidata commands: `graphkit link` (offline), `graphkit link apply|evaluate`, `graphkit wikidata
enrich|compare|quickstatements` (online, polite). OpenRefine reconciliation is served by `graphkit serve`."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.cli import cli
from graphkit.cli.common import GRAPH_OPTION, OUT_OPTION, open_store

SOURCES_OPTION = click.option(
    "--sources",
    "sources",
    default="data/sources",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder with the shipped gazetteers (Wikidata P190 crawl, dr5hn, Eurocities).",
)


def _online_options(f):  # type: ignore[no-untyped-def]
    f = click.option("--no-cache", is_flag=True, help="Do not read or write the on-disk query cache.")(f)
    f = click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Query cache folder (default: $GRAPHKIT_CACHE_DIR or ~/.cache/graphkit/wikidata).",
    )(f)
    f = click.option(
        "--endpoint",
        default=None,
        metavar="URL",
        help="SPARQL endpoint (default: https://query.wikidata.org/sparql).",
    )(f)
    f = click.option(
        "--user-agent",
        envvar="GRAPHKIT_USER_AGENT",
        metavar="TEXT",
        help='Required: "tool/version (contact URL or e-mail)", or set GRAPHKIT_USER_AGENT.',
    )(f)
    return f


def _client(user_agent: str | None, endpoint: str | None, cache_dir: Path | None, no_cache: bool):  # type: ignore[no-untyped-def]
    from graphkit.wikidata.client import client_from_options

    return client_from_options(user_agent, endpoint, cache_dir, no_cache=no_cache)


@cli.group(invoke_without_command=True)
@GRAPH_OPTION
@OUT_OPTION
@SOURCES_OPTION
@click.pass_context
def link(ctx: click.Context, graph_files: tuple[Path, ...], out_dir: Path, sources: Path) -> None:
    """Link the graph's municipalities to Wikidata QIDs, offline, from the shipped gazetteers.

    Writes OUT/linking/review.csv (candidates with score and evidence; `decision` is `accept` for the
    automatic matches, empty for the rest), links.ttl (automatic matches), report.md/report.json (the
    share of municipalities with a QID). Edit review.csv, then `graphkit link apply`.
    """
    if ctx.invoked_subcommand is not None:
        return
    from graphkit.wikidata.linking import run_offline_linking

    run, written = run_offline_linking(
        open_store(graph_files, out_dir), sources, out_dir / "linking", show_progress=True
    )
    c = run.counts()
    click.echo(
        f"{c['municipalities']} municipalities: {c['already linked']} had a QID, {c['matched now']} matched now, "
        f"{c['to review']} to review, {c['no candidate']} without candidate."
    )
    click.echo(f"Share with a QID: {run.share_before():.1%} before, {run.share_after():.1%} after.")
    for p in written:
        click.echo(f"  wrote {p}")


@link.command("apply")
@click.argument("review", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    default="data/linking/wikidata-links.ttl",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Turtle file for the accepted links (under data/, the next build includes them).",
)
@click.option("--no-check", is_flag=True, help="Do not check the places against the last build.")
@OUT_OPTION
def link_apply(review: Path, output: Path, no_check: bool, out_dir: Path) -> None:
    """Store the links accepted in an edited REVIEW csv (decision = accept) with score and provenance."""
    from graphkit.wikidata.linking import apply_review

    store = None if no_check else open_store((), out_dir)
    links = apply_review(review, output, store=store)
    click.echo(f"{len(links)} link(s) written to {output}")


@link.command("evaluate")
@SOURCES_OPTION
def link_evaluate(sources: Path) -> None:
    """Measure precision and recall of the automatic matches on labelled samples (held-out gazetteers)."""
    from graphkit.wikidata.evaluate import evaluate_shipped

    for result in evaluate_shipped(sources):
        click.echo(result.summary())


@cli.group()
def wikidata() -> None:
    """Online work with the Wikidata Query Service (needs --user-agent or GRAPHKIT_USER_AGENT)."""


@wikidata.command("enrich")
@_online_options
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Default OUT/wikidata/enrichment.ttl."
)
@GRAPH_OPTION
@OUT_OPTION
def wikidata_enrich(user_agent, endpoint, cache_dir, no_cache, output, graph_files, out_dir) -> None:  # type: ignore[no-untyped-def]
    """Fetch coordinates, population, admin parents, it/en/ja labels, website, ISTAT/Japanese codes
    for every linked municipality; each fact sourced to Wikidata with the retrieval date."""
    from graphkit.wikidata.enrich import run_enrichment

    client = _client(user_agent, endpoint, cache_dir, no_cache)
    target = output or out_dir / "wikidata" / "enrichment.ttl"
    result = run_enrichment(open_store(graph_files, out_dir), client, target)
    click.echo(result.summary(), nl=False)
    click.echo(f"  wrote {target}")


@wikidata.command("compare")
@_online_options
@click.option("--offline", is_flag=True, help="Compare with the shipped 2016 P190 crawl instead (no dates).")
@SOURCES_OPTION
@GRAPH_OPTION
@OUT_OPTION
def wikidata_compare(user_agent, endpoint, cache_dir, no_cache, offline, sources, graph_files, out_dir) -> None:  # type: ignore[no-untyped-def]
    """Compare our relations with Wikidata's P190 claims: missing either side, one-direction-only claims,
    dates that disagree. Writes OUT/wikidata/p190-comparison.{md,csv,trig} (a named graph)."""
    from graphkit.wikidata.compare import run_comparison

    client = None if offline else _client(user_agent, endpoint, cache_dir, no_cache)
    cmp, written = run_comparison(open_store(graph_files, out_dir), client, out_dir / "wikidata", sources=sources)
    for kind, n in cmp.counts().items():
        click.echo(f"{kind:<22} {n}")
    for p in written:
        click.echo(f"  wrote {p}")


@wikidata.command("quickstatements")
@_online_options
@click.option("--offline", is_flag=True, help="Compare with the shipped 2016 P190 crawl instead.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Default OUT/wikidata/p190.qs.")
@SOURCES_OPTION
@GRAPH_OPTION
@OUT_OPTION
def wikidata_quickstatements(
    user_agent,
    endpoint,
    cache_dir,
    no_cache,
    offline,
    output,
    sources,
    graph_files,
    out_dir,
) -> None:
    """Write QuickStatements v1 commands for the P190 claims Wikidata lacks: twinnings and sister cities only
    (both directions, P580 with its precision), one reference per line as Wikidata cites Wikipedia imports
    (S143 the wiki, S4656 the list page, S813 the dataset's retrieval date); says what was left out and why."""
    from graphkit.wikidata.quickstatements import run_quickstatements

    client = None if offline else _client(user_agent, endpoint, cache_dir, no_cache)
    target = output or out_dir / "wikidata" / "p190.qs"
    qs = run_quickstatements(open_store(graph_files, out_dir), client, target, sources=sources)
    click.echo(f"{qs.summary()}written to {target}")
