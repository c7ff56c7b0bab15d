"""The review table: one CSV row per candidate fact, a ``decision`` column for the reviewer.

Columns a reviewer may edit: ``decision`` (accept / reject, empty = undecided), ``type``,
``status``, ``date``, ``party_iris`` (space-separated, in the order of ``parties``) and
``body_iri``. The ``fact`` column keeps the whole candidate (JSON) so that applying needs nothing
else. Cells that a spreadsheet would read as a formula get a leading ``'``.

>>> from graphkit.extract.model import Evidence, Office, Extraction, Source
>>> office = Office("o1", "Jane Doe", "sindaco", "mayor", Evidence(1, 0, 5, "=cmd"))
>>> ex = Extraction(Source("a.txt", "it", "Titolo"), offices=(office,))
>>> rows = review_rows(ex.to_dict(), "a")
>>> rows[0]["kind"], rows[0]["decision"], rows[0]["quote"]
('office', '', "'=cmd")
>>> decision_of({"decision": " Accept "}, 2)
'accept'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from graphkit.errors import InputError

COLUMNS: tuple[str, ...] = (
    "article",
    "id",
    "kind",
    "decision",
    "summary",
    "type",
    "status",
    "date",
    "parties",
    "party_iris",
    "person",
    "office",
    "body",
    "body_iri",
    "sentence",
    "start",
    "end",
    "quote",
    "file",
    "url",
    "title",
    "published",
    "language",
    "fact",
)
EDITABLE: tuple[str, ...] = ("decision", "type", "status", "date", "party_iris", "body_iri")
_KIND_OF = {
    "relations": "relation",
    "offices": "office",
    "meetings": "meeting",
    "participations": "participation",
    "designations": "designation",
}
ACCEPT = frozenset({"accept", "accepted", "yes", "y", "ok", "x", "1", "true"})
REJECT = frozenset({"reject", "rejected", "no", "n", "0", "false", "-"})
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A cell a spreadsheet will not run: ``'`` before a leading ``=``, ``+``, ``-`` or ``@``.

    >>> safe_cell("=HYPERLINK()"), safe_cell("Assisi"), safe_cell(None)
    ("'=HYPERLINK()", 'Assisi', '')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _unsafe(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] in _FORMULA else text


def review_rows(extraction: Mapping[str, Any], article: str) -> list[dict[str, str]]:
    """The review rows of one article's candidates."""
    src = extraction.get("source", {})
    rows = []
    for kind, label in _KIND_OF.items():
        for f in extraction.get(kind, []):
            ev = f.get("evidence", {})
            row = {
                "article": article,
                "id": f["id"],
                "kind": label,
                "decision": "",
                "summary": _summary(label, f),
                "type": f.get("type", ""),
                "status": f.get("status") or "",
                "date": f.get("date") or "",
                "parties": " | ".join(f.get("parties", [])),
                "party_iris": " ".join(i or "?" for i in f.get("party_iris", [])),
                "person": f.get("person") or (f.get("participant") if f.get("kind") == "person" else "") or "",
                "office": f.get("office") if isinstance(f.get("office"), str) and label == "office" else "",
                "body": f.get("body") or "",
                "body_iri": f.get("body_iri") or "",
                "sentence": ev.get("sentence", ""),
                "start": ev.get("start", ""),
                "end": ev.get("end", ""),
                "quote": ev.get("quote", ""),
                "file": src.get("file") or "",
                "url": src.get("url") or "",
                "title": src.get("title") or "",
                "published": src.get("published") or "",
                "language": src.get("language") or "",
                "fact": json.dumps(f, ensure_ascii=False, sort_keys=True),
            }
            rows.append({k: safe_cell(v) if k != "fact" else str(v) for k, v in row.items()})
    return rows


def _summary(kind: str, f: Mapping[str, Any]) -> str:
    if kind == "relation":
        bits = [f["type"], f.get("status") or "", str(f.get("date") or "")]
        return f"{' – '.join(f['parties'])}: {' '.join(b for b in bits if b)}"
    if kind == "office":
        return f"{f['person']}, {f['office']} ({f.get('body') or '?'})"
    if kind == "meeting":
        where = ", ".join(x for x in (f.get("venue"), f.get("city"), f.get("date")) if x)
        return f"{f['what']}" + (f" [{where}]" if where else "")
    if kind == "participation":
        return f"{f['participant']} at {f['meeting']}" + (f" for {f['body']}" if f.get("body") else "")
    return f"{f.get('place')}: {f.get('designation')}"


def write_review(rows: Iterable[Mapping[str, str]]) -> str:
    """The review CSV text (header and rows)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in COLUMNS})
    return out.getvalue()


def read_review(path: str | Path) -> list[dict[str, str]]:
    """The rows of a review CSV; InputError when it is not one."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(
            f"{p}: cannot read the review table ({e.__class__.__name__}); "
            "give a UTF-8 CSV written by `graphkit extract --format csv`"
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("article", "id", "decision", "fact") if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            f"{p}: not a review table (missing column {', '.join(missing)}); "
            "write one with `graphkit extract --format csv`"
        )
    return [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]


def decision_of(row: Mapping[str, str], line: int) -> str:
    """``accept``, ``reject`` or ``""`` (undecided); InputError for anything else."""
    value = _unsafe(row.get("decision", "")).strip().lower()
    if not value:
        return ""
    if value in ACCEPT:
        return "accept"
    if value in REJECT:
        return "reject"
    raise InputError(f"row {line}: decision {value!r} must be accept or reject (or empty for undecided)")


def edited_fact(row: Mapping[str, str], line: int) -> dict[str, Any]:
    """The candidate of a row, with the reviewer's edits of type, status, date and IRIs applied."""
    try:
        fact: dict[str, Any] = json.loads(row["fact"])
    except (json.JSONDecodeError, TypeError):
        raise InputError(
            f"row {line}: the fact column is not the JSON `graphkit extract` wrote; do not edit it"
        ) from None
    if "parties" in fact:  # a relation: type, status and date may be corrected
        for key in ("type", "status", "date"):
            if key in row:
                value = _unsafe(row[key]).strip()
                if key == "type" and not value:
                    raise InputError(
                        f"row {line}: a relation needs a type (twinning, sister-city, memorandum-of-understanding, ...)"
                    )
                fact[key] = value or None
    if "places" in fact and row.get("party_iris", "").strip():
        iris = _unsafe(row["party_iris"]).split()
        if len(iris) != len(fact["places"]):
            raise InputError(f"row {line}: party_iris has {len(iris)} IRIs for {len(fact['places'])} parties")
        for place, iri in zip(fact["places"], iris, strict=True):
            if iri != "?" and iri != place.get("iri"):
                place.update(iri=_iri(iri, line), via="review", resolved=True, label=None)
    body_iri = _unsafe(row.get("body_iri", "")).strip()
    place = fact.get("body_place")
    if body_iri and place is not None and body_iri != place.get("iri"):
        place.update(iri=_iri(body_iri, line), via="review", label=None)
    elif body_iri and place is None and "body" in fact:
        fact["body_place"] = {
            "name": fact.get("body") or body_iri,
            "iri": _iri(body_iri, line),
            "kind": "municipality",
            "via": "review",
        }
    if fact.get("office_detail") and body_iri:
        fact["office_detail"]["body_place"] = fact.get("body_place")
        fact["office_detail"]["organisation"] = None
    if body_iri and "organisation" in fact:
        fact["organisation"] = None
    return fact


def _iri(text: str, line: int) -> str:
    from graphkit.rdf.namespaces import expand

    if text.startswith(("http://", "https://")):
        return text
    if ":" in text:
        return str(expand(text))
    raise InputError(
        f"row {line}: {text!r} is not an IRI; write https://... or a prefixed name such as gkid:place/Q20103"
    )
