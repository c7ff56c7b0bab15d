"""Small helpers the source readers share: open a source file, parse numbers leniently.

>>> parse_float("43.07"), parse_float(""), parse_float("n/a")
(43.07, None, None)
"""

from __future__ import annotations

import csv
import json
import math
import operator
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.errors import InputError, ParseError


def source_file(folder: Path, name: str) -> Path:
    """``folder/name``, or an InputError naming the missing input."""
    p = folder / name
    if not p.is_file():
        raise InputError(f"{p}: missing source file (the world build reads data/sources/)")
    return p


def read_csv_rows(path: Path, *, delimiter: str = ",", required: tuple[str, ...] = ()) -> Iterator[dict[str, str]]:
    """Rows of a UTF-8 CSV file as dicts; ParseError when a required column is missing."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter=delimiter)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ParseError(f"{path}: missing column(s) {', '.join(missing)}")
        try:
            for row in reader:
                yield {k: (v or "") for k, v in row.items() if k is not None}
        except csv.Error as e:
            raise ParseError(f"{path}, line {reader.line_num}: {e}") from None


def read_csv_tuples(path: Path, columns: tuple[str, ...], *, delimiter: str = ",") -> Iterator[tuple[str, ...]]:
    """The values of ``columns`` (in that order) of each row of a UTF-8 CSV file; faster than dicts."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        header = next(reader, [])
        missing = [c for c in columns if c not in header]
        if missing:
            raise ParseError(f"{path}: missing column(s) {', '.join(missing)}")
        idx = [header.index(c) for c in columns]
        width = max(idx) + 1
        pick = operator.itemgetter(*idx)
        try:
            for row in reader:
                if len(row) < width:
                    row = row + [""] * (width - len(row))
                yield pick(row) if len(idx) > 1 else (row[idx[0]],)
        except csv.Error as e:
            raise ParseError(f"{path}, line {reader.line_num}: {e}") from None


def read_json(path: Path) -> Any:
    """A JSON file, or ParseError."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise ParseError(f"{path}: not valid JSON: {e}") from None


def parse_float(text: object) -> float | None:
    """A finite float from text (or a number), else None."""
    if text is None or text == "":
        return None
    try:
        x = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def parse_coordinates(lat: object, lon: object) -> tuple[float, float] | None:
    """A (lat, lon) pair when both parse and are in range; (0, 0) counts as missing.

    >>> parse_coordinates("43.07", "12.6"), parse_coordinates("95", "1"), parse_coordinates("0", "0")
    ((43.07, 12.6), None, None)
    """
    a, b = parse_float(lat), parse_float(lon)
    if a is None or b is None or not (-90 <= a <= 90 and -180 <= b <= 180) or (a == 0 and b == 0):
        return None
    return (a, b)
