"""What Wikidata's P190 (twinned administrative body) says about the municipality that we do not,
and the reverse, when a comparison was run (``graphkit wikidata compare``).

Read from the graph when the comparison's named graph was loaded (``gk:WikidataDiscrepancy``
nodes), else from the comparison's table beside the build (``OUT/wikidata/p190-comparison.csv``).
``None`` means no comparison was found: the dossier then says so instead of showing an empty list.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "wikidata").mkdir()
>>> _ = (d / "wikidata" / COMPARISON_CSV).write_text(
...     "kind,subject,object,relation,ours,wikidata,note\\n"
...     "missing-in-graph,Q20103,Q90,,,,\\nmissing-in-wikidata,Q1,Q2,,,,\\n", encoding="utf-8")
>>> diffs, note = differences(None, "Q20103", d)
>>> [(x.kind, x.other_qid, x.says) for x in diffs], note
([('missing-in-graph', 'Q90', 'wikidata')], 'wikidata/p190-comparison.csv')
>>> differences(None, "Q20103", d / "nowhere")
(None, '')
"""

from __future__ import annotations

import csv
from pathlib import Path

from graphkit.dossier.model import WikidataDifference
from graphkit.rdf.namespaces import wikidata_iri
from graphkit.relations.labels import local_name
from graphkit.store.embedded import Store

COMPARISON_CSV = "p190-comparison.csv"
_Q_DISCREPANCIES = """
SELECT ?d ?kind ?subject ?object ?ours ?wd ?note WHERE {
  { ?d gk:wikidataSubject ?q } UNION { ?d gk:wikidataObject ?q }
  ?d a gk:WikidataDiscrepancy ; gk:discrepancyKind ?kind ; gk:wikidataSubject ?subject ; gk:wikidataObject ?object .
  OPTIONAL { ?d gk:ourValue ?ours }
  OPTIONAL { ?d gk:wikidataValue ?wd }
  OPTIONAL { ?d rdfs:comment ?note }
}"""


def differences(
    store: Store | None, qid: str, out_dir: str | Path | None
) -> tuple[tuple[WikidataDifference, ...] | None, str]:
    """The differences that concern ``qid`` and where they were read from; ``(None, "")`` when no
    comparison was run (or the place has no QID)."""
    if not qid:
        return None, ""
    if store is not None:
        rows = store.select(_Q_DISCREPANCIES, bindings={"q": wikidata_iri(qid)}).rows
        if rows:
            found = set()
            for _, kind, subject, obj, ours, wd, note in rows:
                s_qid, o_qid = local_name(str(subject)), local_name(str(obj))
                found.add(
                    WikidataDifference(
                        kind=str(kind),
                        other_qid=o_qid if s_qid == qid else s_qid,
                        ours=str(ours or ""),
                        wikidata=str(wd or ""),
                        note=str(note or ""),
                    )
                )
            return _sorted(found), "the graph (Wikidata comparison named graph)"
    if out_dir is None:
        return None, ""
    path = Path(out_dir) / "wikidata" / COMPARISON_CSV
    if not path.is_file():
        return None, ""
    out = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            s_qid, o_qid = row.get("subject", ""), row.get("object", "")
            if qid not in (s_qid, o_qid):
                continue
            out.add(
                WikidataDifference(
                    kind=row.get("kind", ""),
                    other_qid=o_qid if s_qid == qid else s_qid,
                    ours=row.get("ours", ""),
                    wikidata=row.get("wikidata", ""),
                    note=row.get("note", ""),
                )
            )
    return _sorted(out), f"wikidata/{COMPARISON_CSV}"


def _sorted(items: set[WikidataDifference]) -> tuple[WikidataDifference, ...]:
    return tuple(sorted(items, key=lambda d: (d.kind, d.other_qid, d.ours, d.wikidata)))
