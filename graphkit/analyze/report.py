"""The analysis report: Markdown and HTML with plots (PNG and SVG, matplotlib's Agg backend).

:func:`write_report` writes into one directory (``out/analysis/`` by default):

- ``report.md`` and ``report.html`` (self-contained apart from the plot files next to it; every
  label is HTML-escaped),
- ``degree_distribution.{png,svg}`` (log-log, with the KONECT power-law exponent),
- ``partner_distances.{png,svg}`` (histogram of great-circle km between partners),
- ``country_pairs.{png,svg}`` (heat map of pairs between the busiest countries, log colour scale),
- ``stats.json`` (exactly the statistics table keys) and ``analysis.json`` (everything else).

Every file is written atomically. :func:`stats_table` renders the statistics as a text table,
Markdown or JSON, for the command line.

>>> from graphkit.analyze.stats import network_stats
>>> import networkx as nx
>>> print(stats_table(network_stats(nx.path_graph(3)), "markdown").splitlines()[2])
| Nodes (n) | nodes | 3 |
"""

from __future__ import annotations

import html
import io
import json
import math
from pathlib import Path
from typing import Any

from graphkit.analyze.pipeline import AnalysisResult
from graphkit.analyze.stats import STAT_KEYS, STAT_LABELS, NetworkStats
from graphkit.errors import InputError
from graphkit.rdf.files import write_bytes_atomic, write_text_atomic

TABLE_FORMATS: tuple[str, ...] = ("table", "json", "markdown")


def format_value(value: Any) -> str:
    """Numbers for humans: integers with thousands separators, floats to six significant digits.

    >>> format_value(25900), format_value(0.1113614), format_value(None)
    ('25,900', '0.111361', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def stats_table(stats: NetworkStats, fmt: str = "table") -> str:
    """The statistics as ``table`` (aligned text), ``markdown`` or ``json`` (exactly :data:`STAT_KEYS`)."""
    values = stats.as_dict()
    if fmt == "json":
        return json.dumps(values, indent=2) + "\n"
    rows = [(STAT_LABELS[k] + (" *" if k in stats.estimated else ""), k, format_value(values[k])) for k in STAT_KEYS]
    note = "* estimated (a fitted model parameter or a sample), not an exact count"
    if fmt == "markdown":
        lines = ["| statistic | key | value |", "|---|---|---:|"]
        lines += [f"| {label} | {key} | {value} |" for label, key, value in rows]
        return "\n".join(lines) + f"\n\n{note}\n"
    if fmt != "table":
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}")
    w1 = max(len(r[0]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    return "\n".join(f"{label:<{w1}}  {value:>{w2}}" for label, _, value in rows) + f"\n{note}\n"


# ----------------------------------------------------------------------------- plots


def _figure_bytes(fig: Any) -> tuple[bytes, bytes]:
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=120, bbox_inches="tight")
    fig.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None})
    return png.getvalue(), svg.getvalue()


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "graphkit"
    return plt


def plot_degree_distribution(result: AnalysisResult) -> tuple[bytes, bytes]:
    """Log-log degree distribution P(k) and complementary CDF, with the fitted exponents."""
    plt = _pyplot()
    hist = {k: c for k, c in result.degree_histogram.items() if k > 0}
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    if hist:
        n = sum(hist.values())
        ks = sorted(hist)
        ax.scatter(ks, [hist[k] / n for k in ks], s=14, label="P(k): share of nodes with degree k")
        ccdf, above = [], n
        for k in ks:
            ccdf.append(above / n)
            above -= hist[k]
        ax.plot(ks, ccdf, color="tab:orange", lw=1.4, label="P(K ≥ k)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        gamma = result.stats.power_law_exponent
        title = "Degree distribution"
        if gamma is not None:
            title += f" (γ = {gamma:.3f}"
            title += f", tail γt = {result.tail.exponent:.3f} for k ≥ {result.tail.xmin})" if result.tail else ")"
        ax.set_title(title)
        ax.legend(loc="lower left", fontsize=8)
    else:
        ax.text(0.5, 0.5, "no edges", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("degree k (number of partners)")
    ax.set_ylabel("share of nodes")
    out = _figure_bytes(fig)
    plt.close(fig)
    return out


def plot_partner_distances(result: AnalysisResult) -> tuple[bytes, bytes]:
    """Histogram of great-circle distances between partners."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    if result.distances:
        ax.hist(result.distances, bins=min(60, max(5, len(result.distances) // 5)), color="tab:green")
        med = result.distance_summary.median
        if med is not None:
            ax.axvline(med, color="black", lw=1, ls="--", label=f"median {med:,.0f} km")
            ax.legend(fontsize=8)
    else:
        ax.text(0.5, 0.5, "no pair with coordinates at both ends", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(f"Distance between partners ({len(result.distances):,} pairs with coordinates)")
    ax.set_xlabel("great-circle distance (km)")
    ax.set_ylabel("pairs of partners")
    out = _figure_bytes(fig)
    plt.close(fig)
    return out


def plot_country_pairs(result: AnalysisResult) -> tuple[bytes, bytes]:
    """Heat map of municipality pairs between the busiest countries (log colour scale)."""
    plt = _pyplot()
    from matplotlib.colors import LogNorm

    frame = result.country_matrix
    codes = list(frame.index)
    size = max(4.0, 0.32 * len(codes) + 2)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    values = frame.to_numpy(dtype=float)
    if codes and values.max() > 0:
        masked = [[v if v > 0 else math.nan for v in row] for row in values]
        im = ax.imshow(masked, cmap="viridis", norm=LogNorm(vmin=1, vmax=values.max()))
        fig.colorbar(im, ax=ax, label="pairs of municipalities", shrink=0.8)
        ax.set_xticks(range(len(codes)), codes, rotation=90, fontsize=8)
        ax.set_yticks(range(len(codes)), codes, fontsize=8)
    else:
        ax.text(0.5, 0.5, "no pair with countries at both ends", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(f"Pairs between the {len(codes)} busiest countries (diagonal: domestic)")
    out = _figure_bytes(fig)
    plt.close(fig)
    return out


PLOTS = {
    "degree_distribution": plot_degree_distribution,
    "partner_distances": plot_partner_distances,
    "country_pairs": plot_country_pairs,
}


# ----------------------------------------------------------------------------- text


def _md_escape(text: Any) -> str:
    """A Markdown table cell: HTML-escaped (Markdown renders raw HTML), pipes escaped, one line."""
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")


def _sections(result: AnalysisResult) -> list[tuple[str, str, list[str], list[list[str]]]]:
    """(title, intro, header, rows) of every table of the report, shared by Markdown and HTML."""
    s = result.stats
    out: list[tuple[str, str, list[str], list[list[str]]]] = []
    out.append(
        (
            "Statistics",
            "The columns network repositories publish, with KONECT's definitions (see graphkit.analyze.stats). "
            "Values marked * are estimates.",
            ["statistic", "key", "value"],
            [[STAT_LABELS[k] + (" *" if k in s.estimated else ""), k, format_value(v)] for k, v in s.as_dict().items()],
        )
    )
    extra = [
        [
            "Tail power-law exponent γt (discrete MLE, xmin by KS)",
            format_value(result.tail.exponent if result.tail else None),
        ],
        ["xmin of the tail fit", format_value(result.tail.xmin if result.tail else None)],
        ["Closed triads (triangles)", format_value(result.undirected_triads["closed"])],
        ["Open triads (wedges not closed)", format_value(result.undirected_triads["open"])],
        ["Louvain communities", format_value(len(result.partition.communities))],
        ["Modularity of the partition", format_value(result.partition.modularity)],
    ]
    out.append(("More about the structure", "", ["measure", "value"], extra))
    for name, title in (
        ("degree", "Top municipalities by degree (partners)"),
        ("betweenness", "Top municipalities by betweenness (exact, normalised)"),
        ("eigenvector", "Top municipalities by eigenvector centrality (LCC)"),
    ):
        rows = [
            [str(r["rank"]), r["label"], r["country"] or "–", format_value(r["degree"]), format_value(r["score"])]
            for r in result.centrality[name]
        ]
        out.append((title, "", ["#", "municipality", "country", "degree", f"{name} centrality"], rows))
    rows = [
        [
            str(c["community"]),
            format_value(c["size"]),
            f"{c['share']:.1%}",
            ", ".join(f"{code} ({n})" for code, n in c["countries"]),
            ", ".join(c["members"]),
        ]
        for c in result.community_summary
    ]
    out.append(
        (
            "Largest communities (Louvain)",
            f"Seed {result.seed}, resolution 1, backend {result.partition.backend}.",
            ["#", "size", "share", "main countries", "best-connected members"],
            rows,
        )
    )
    r = result.reciprocity
    out.append(
        (
            "Reciprocity (who lists whom)",
            "An arc u → v when u's own partner list names the relation (gk:listedBy).",
            ["measure", "value"],
            [
                ["Arcs (listings)", format_value(r.arcs)],
                ["Arcs listed back", format_value(r.reciprocated_arcs)],
                ["Reciprocity (share of arcs listed back)", format_value(r.reciprocity)],
                ["Pairs listed by both sides", format_value(r.pairs_both)],
                ["Pairs listed by one side only (one-sided)", format_value(r.pairs_one_sided)],
                ["Pairs without listing information", format_value(r.pairs_unlisted)],
            ],
        )
    )
    out.append(
        (
            "Triad census of the listing graph",
            "The 16 directed triad types (Holland & Leinhardt).",
            ["type", "count"],
            [[t, format_value(c)] for t, c in result.triad_census.items()],
        )
    )
    d, h, p = result.distance_summary, result.homophily, result.population
    out.append(
        (
            "Geography",
            "Great-circle (haversine) distances between partners; homophily by country; population assortativity "
            "(Pearson r of the populations at both ends, over pairs where both are known).",
            ["measure", "value"],
            [
                ["Pairs with coordinates at both ends", format_value(d.count)],
                ["Pairs missing coordinates", format_value(d.missing)],
                ["Mean distance (km)", format_value(d.mean)],
                ["Median distance (km)", format_value(d.median)],
                ["10th / 90th percentile (km)", f"{format_value(d.p10)} / {format_value(d.p90)}"],
                ["Share within 500 km", format_value(d.share_within_500km)],
                ["Domestic pairs", format_value(h.domestic_pairs)],
                ["International pairs", format_value(h.international_pairs)],
                ["Share of domestic pairs", format_value(h.domestic_share)],
                ["Assortativity by country", format_value(h.country_assortativity)],
                ["Pairs with population at both ends", format_value(p.edges)],
                ["Population assortativity (log10)", format_value(p.log10)],
                ["Population assortativity (raw)", format_value(p.raw)],
            ],
        )
    )
    out.append(
        (
            "Top country pairs",
            "",
            ["country", "country", "pairs of municipalities"],
            [[a, b, format_value(c)] for a, b, c in result.top_country_pairs],
        )
    )
    out.append(
        (
            "Run time of each step",
            f"Backend {result.backend}; total {result.total_seconds:.2f} s wall-clock. CPU seconds are this "
            "process's own time (lower when other jobs shared the machine).",
            ["step", "library", "seconds", "CPU seconds"],
            [[t.step, t.backend, f"{t.seconds:.3f}", f"{t.cpu_seconds:.3f}"] for t in result.timings],
        )
    )
    return out


_PLOT_TITLES = {
    "degree_distribution": "Degree distribution (log-log)",
    "partner_distances": "Distance between partners",
    "country_pairs": "Country-pair heat map",
}


def render_markdown(result: AnalysisResult) -> str:
    """The report as Markdown (plots referenced as the SVG files next to it)."""
    lines = [
        f"# Network analysis: {_md_escape(result.description)}",
        "",
        f"Undirected municipality graph; filters: {_md_escape(result.filters.describe())}.",
        "",
    ]
    for title, intro, header, rows in _sections(result):
        lines += [f"## {title}", ""]
        if intro:
            lines += [intro, ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
        lines.append("")
    lines += ["## Plots", ""]
    lines += [f"![{_PLOT_TITLES[name]}]({name}.svg)\n" for name in PLOTS]
    return "\n".join(lines)


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}
th{background:#f3f3f3}td:last-child{text-align:right}figure{margin:1rem 0}img{max-width:100%}"""


def render_html(result: AnalysisResult) -> str:
    """The report as one HTML page (labels escaped; plots as the SVG files next to it)."""
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Network analysis: {e(result.description)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Network analysis: {e(result.description)}</h1>",
        f"<p>Undirected municipality graph; filters: {e(result.filters.describe())}.</p>",
    ]
    for title, intro, header, rows in _sections(result):
        parts.append(f"<h2>{e(title)}</h2>")
        if intro:
            parts.append(f"<p>{e(intro)}</p>")
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr></thead><tbody>")
        parts += ["<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</tbody></table>")
    parts.append("<h2>Plots</h2>")
    for name in PLOTS:
        parts.append(
            f'<figure><img src="{name}.svg" alt="{e(_PLOT_TITLES[name])}">'
            f'<figcaption>{e(_PLOT_TITLES[name])} (<a href="{name}.png">PNG</a>)</figcaption></figure>'
        )
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(result: AnalysisResult, directory: str | Path) -> list[Path]:
    """Write the report, plots and JSON files into ``directory``; return the paths written."""
    out = Path(directory)
    written = []
    for name, plot in PLOTS.items():
        png, svg = plot(result)
        written.append(write_bytes_atomic(out / f"{name}.png", png))
        written.append(write_bytes_atomic(out / f"{name}.svg", svg))
    written.append(write_text_atomic(out / "stats.json", stats_table(result.stats, "json")))
    payload = json.dumps(result.to_json(), indent=2, ensure_ascii=False, default=str) + "\n"
    written.append(write_text_atomic(out / "analysis.json", payload))
    written.append(write_text_atomic(out / "report.md", render_markdown(result)))
    written.append(write_text_atomic(out / "report.html", render_html(result)))
    return written
