"""Reader for l3viathan-wikidata-p190: a 2016 crawl of Wikidata's P190 (twinned administrative body).

``names.tsv`` is ``QID <tab> label`` (the first available of de, en, fr, it, es: mostly German);
``relations.tsv`` is ``src QID <tab> dst QID``, one row per P190 statement on ``src``.

>>> from graphkit.paths import PROJECT_ROOT
>>> folder = PROJECT_ROOT / "data/sources/l3viathan-wikidata-p190"
>>> read_names(folder)["Q2044"]
'Florenz'
>>> read_statements(folder)[0]
('Q200166', 'Q182059', 1)
"""

from __future__ import annotations

from pathlib import Path

from graphkit.ingest.readutil import ReadProblem, numbered_lines, report, source_file

SOURCE_ID = "l3viathan-wikidata-p190"


def _qid_like(text: str) -> bool:
    """:func:`~graphkit.rdf.namespaces.is_qid`, faster for the 70,000 ids of the crawl."""
    return len(text) > 1 and text[0] == "Q" and text[1] != "0" and text.isascii() and text[1:].isdigit()


def read_names(folder: Path) -> dict[str, str]:
    """Label by QID (empty labels are kept as empty strings)."""
    path = source_file(folder, "names.tsv")
    names: dict[str, str] = {}
    for i, line in numbered_lines(path):
        qid, _, label = line.partition("\t")
        if not _qid_like(qid.strip()):
            report(ReadProblem(str(path), i, i, "malformed-row", f"not a QID: {qid[:40]!r}", line[:120]))
            continue
        names[qid.strip()] = label.strip()
    return names


#: The file of the P190 statements (one per line).
RELATIONS_FILE = "relations.tsv"


def read_statements(folder: Path) -> list[tuple[str, str, int]]:
    """``(src, dst, line)`` for every P190 statement row."""
    path = source_file(folder, RELATIONS_FILE)
    out: list[tuple[str, str, int]] = []
    for i, line in numbered_lines(path):
        src, _, dst = line.partition("\t")
        src, dst = src.strip(), dst.strip()
        if not (_qid_like(src) and _qid_like(dst)):
            detail = "expected two QIDs separated by a tab"
            report(ReadProblem(str(path), i, i, "malformed-row", detail, line[:120]))
            continue
        out.append((src, dst, i))
    return out
