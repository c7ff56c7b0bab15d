"""Reading hostile source files: encodings, malformed rows, swallowed rows, unreadable files.

Small real files for each fault (a Latin-1 CSV, UTF-16 with and without a byte-order mark, an
encoding declared in SOURCE.md, NUL bytes, missing and extra columns, latitude 200, an unterminated
quote that swallows 21 rows), then one world build on a damaged copy of ``data/sources`` whose
``out/rejects.csv`` must list every skipped row with its line numbers.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from graphkit.errors import InputError, ParseError
from graphkit.ingest import hekman, l3viathan
from graphkit.ingest.readutil import (
    ReadProblemWarning,
    collecting,
    detect_encoding,
    numbered_rows,
    numbered_tuples,
    read_csv_rows,
)

from .conftest import REPO

HEADER = "city,country,lat,lon\n"


def _rows(path: Path, **kw: object) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[str, str]]]:
    with collecting() as log:
        rows = list(numbered_rows(path, required=("city", "country"), **kw))  # type: ignore[arg-type]
    return rows, [(p.where, p.reason) for p in log.problems]


def test_latin1_csv_is_detected_and_read_correctly(tmp_path):
    f = tmp_path / "a.csv"
    f.write_bytes((HEADER + "Sète,France,43.4,3.7\nDüsseldorf,Germany,51.2,6.8\n").encode("latin-1"))
    with collecting() as log:
        rows = [r["city"] for r in read_csv_rows(f, required=("city",))]
    assert rows == ["Sète", "Düsseldorf"]
    assert log.notes == [("encoding-detected", "a.csv", "cp1252")] and log.problems == []


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_utf16_utf32_and_bom_files_are_read(tmp_path, codec):
    f = tmp_path / "a.csv"
    f.write_bytes((HEADER + "Kōya,Japan,34.2,135.6\nŁódź,Poland,51.8,19.5\n").encode(codec))
    rows, problems = _rows(f)
    assert [(n, r["city"], r["country"]) for n, r in rows] == [(2, "Kōya", "Japan"), (3, "Łódź", "Poland")]
    assert problems == []


def test_encoding_declared_in_source_notes(tmp_path):
    (tmp_path / "SOURCE.md").write_text("# Notes\n\n- **Encoding of a.csv**: shift_jis\n", encoding="utf-8")
    f = tmp_path / "a.csv"
    f.write_bytes((HEADER + "高野町,Japan,34.2,135.6\n").encode("shift_jis"))
    assert detect_encoding(f) == ("shift_jis", "declared")
    rows, problems = _rows(f)
    assert [r["city"] for _, r in rows] == ["高野町"] and problems == []


def test_unknown_declared_encoding_is_one_clear_error(tmp_path):
    (tmp_path / "SOURCE.md").write_text("encoding: klingon-8\n", encoding="utf-8")
    f = tmp_path / "a.csv"
    f.write_text(HEADER)
    with pytest.raises(InputError, match=r"SOURCE.md: unknown encoding 'klingon-8'"):
        list(numbered_rows(f))


def test_a_line_not_valid_in_the_encoding_is_rejected_with_its_number(tmp_path):
    f = tmp_path / "a.csv"
    good = "".join(f"Town{i},Italy,43.{i % 10},12.5\n" for i in range(3000))  # > 64 KB of UTF-8 first
    f.write_bytes(HEADER.encode() + good.encode() + b"S\xe8te,France,43.4,3.7\nRoma,Italy,41.9,12.5\n")
    rows, problems = _rows(f)
    assert problems == [("a.csv:3002", "undecodable-bytes")]
    assert rows[-1] == (3003, {"city": "Roma", "country": "Italy", "lat": "41.9", "lon": "12.5"})
    assert len(rows) == 3001


def test_malformed_rows_are_counted_with_their_lines(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text(
        HEADER
        + "Assisi,Italy,43.07,12.6\n"  # 2
        + "Koya,Japan\n"  # 3: missing columns
        + "Rome,Italy,41.9,12.5,extra\n"  # 4: one column too many
        + "Nara,Japan,34.6,135.8,,\n"  # 5: empty trailing fields are fine
        + "Ba\0d,Italy,1,1\n"  # 6: NUL
        + ("X" * 400)
        + ",Italy,1,1\n"  # 7: a 400-character name
        + "\n"  # 8: blank
        + "Pisa,Italy,43.7,10.4\n",  # 9
        encoding="utf-8",
    )
    rows, problems = _rows(f)
    assert [(n, r["city"]) for n, r in rows] == [(2, "Assisi"), (5, "Nara"), (9, "Pisa")]
    assert problems == [
        ("a.csv:3", "wrong-column-count"),
        ("a.csv:4", "wrong-column-count"),
        ("a.csv:6", "nul-byte"),
        ("a.csv:7", "implausible-field"),
    ]


def test_unterminated_quote_loses_one_line_not_the_21_after_it(tmp_path):
    lines = [f"Town{i},Italy,43.1,12.{i}\n" for i in range(40)]
    lines[10] = 'Broken,"Italy,43.1,12.1\n'  # line 12 of the file: the quote is never closed on its line
    lines[31] = 'Closer,Italy,"43.1",12.9\n'  # line 33: its first quote closes the field opened on line 12
    f = tmp_path / "a.csv"
    f.write_text(HEADER + "".join(lines), encoding="utf-8")
    with collecting() as log:
        rows = list(numbered_rows(f, required=("city", "country")))
    (problem,) = log.problems
    assert (problem.where, problem.reason) == ("a.csv:12-33", "unterminated-quote")
    assert "line 12 skipped" in problem.detail and problem.text.startswith('Broken,"Italy')
    # every other line is read (line 33 alone parses: "43.1" is a well-quoted field)
    assert [n for n, _ in rows] == [n for n in range(2, 42) if n != 12]
    assert rows[-10] == (32, {"city": "Town30", "country": "Italy", "lat": "43.1", "lon": "12.30"})


def test_latitude_200_is_reported_and_the_row_kept(tmp_path):
    folder = tmp_path / "hekman-twincities"
    folder.mkdir()
    (folder / "twin_cities_geocoded.csv").write_text(
        "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
        "Assisi,Italy,200,12.6,Koya,Japan,34.2,135.6\n"
        "Rome,Italy,abc,,Paris,France,48.9,2.35\n",
        encoding="utf-8",
    )
    with collecting() as log:
        coords = hekman.read_coordinates(folder)
    assert coords == {("Koya", "Japan"): (34.2, 135.6), ("Paris", "France"): (48.9, 2.35)}
    assert [(p.where, p.reason, p.text) for p in log.problems] == [
        ("twin_cities_geocoded.csv:2", "invalid-coordinates", "Assisi, Italy"),
        ("twin_cities_geocoded.csv:3", "invalid-coordinates", "Rome, Italy"),
    ]


def test_a_bad_line_in_the_wikidata_crawl_is_rejected_not_fatal(tmp_path):
    folder = tmp_path / "l3viathan-wikidata-p190"
    folder.mkdir()
    (folder / "relations.tsv").write_bytes(b"Q1\tQ2\nnot a qid\tQ3\nQ4\x00\tQ5\nQ6\tQ7\n")
    with collecting() as log:
        statements = l3viathan.read_statements(folder)
    assert statements == [("Q1", "Q2", 1), ("Q6", "Q7", 4)]
    assert [(p.where, p.reason) for p in log.problems] == [
        ("relations.tsv:2", "malformed-row"),
        ("relations.tsv:3", "nul-byte"),
    ]


def test_outside_a_collecting_block_problems_are_warnings(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text(HEADER + "Koya,Japan\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert list(read_csv_rows(f)) == []
    assert [str(w.message) for w in caught if w.category is ReadProblemWarning] == [
        f"{f}, line 2: 2 field(s), the header has 4"
    ]


def test_empty_file_and_broken_header_are_parse_errors(tmp_path):
    f = tmp_path / "a.csv"
    f.write_bytes(b"")
    with pytest.raises(ParseError, match="empty file"):
        list(numbered_rows(f))
    f.write_text("city,country\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"a.csv: missing column\(s\) lat"):
        list(numbered_rows(f, required=("city", "lat")))


def test_unreadable_file_is_one_line_naming_it(tmp_path):
    """A real permission fault: root reads anything, so the reader runs as ``nobody`` in a child."""
    if os.geteuid() != 0:
        pytest.skip("needs root to read as another user")
    shared = Path(subprocess.check_output(["mktemp", "-d"], text=True).strip())
    try:
        shared.chmod(0o755)
        f = shared / "twin_cities_raw.csv"
        f.write_text(HEADER, encoding="utf-8")
        f.chmod(0o000)
        code = (  # everything imported as root (the interpreter lives under /root), then read as nobody
            "import os, sys, codecs, csv, encodings.utf_8\nfrom pathlib import Path\n"
            "from graphkit.ingest.readutil import read_csv_rows\nfrom graphkit.errors import InputError\n"
            "os.setgid(65534); os.setuid(65534)\n"
            "try:\n    list(read_csv_rows(Path(sys.argv[1])))\nexcept InputError as e:\n    print(e)\n"
        )
        proc = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, cwd=REPO)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"{f}: cannot read it (permission denied); make it readable or remove it"
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_repeated_values_are_shared_not_copied(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text(HEADER + "".join(f"T{i},Italy,1,1\n" for i in range(50)), encoding="utf-8")
    rows = list(numbered_tuples(f, ("city", "country")))
    assert len({id(r[1]) for r in rows}) == 1 and rows[0] == ("T0", "Italy", 2)


# ---------------------------------------------------------------- the world build on damaged sources


@pytest.fixture(scope="module")
def damaged_build(tmp_path_factory):
    """``data/`` copied, its sources damaged as the hostile corpus did, and the world step run."""
    from graphkit.build.pipeline import assemble
    from graphkit.build.world_step import run_world_step

    data = tmp_path_factory.mktemp("data")
    shutil.copytree(REPO / "data", data, dirs_exist_ok=True)
    raw = data / "sources" / "hekman-twincities" / "twin_cities_raw.csv"
    lines = raw.read_text(encoding="utf-8").splitlines(keepends=True)
    original = lines[:]
    assert not any('"' in line for line in lines[149:171])  # no quote of the data's own in between
    lines[149] = lines[149].rstrip("\n") + ',"\n'  # line 150: an extra column opening a quote
    first, rest = lines[170].split(",", 1)
    lines[170] = f'"{first}",{rest}'  # line 171: a well-quoted field, whose first quote closes it
    lines[199] = lines[199].replace(",", ",\0", 1)  # line 200: a NUL byte
    lines[299] = ",".join(lines[299].split(",")[:2]) + "\n"  # line 300: two columns missing
    raw.write_text("".join(lines), encoding="utf-8")
    tw = data / "sources" / "yuboski-itwiki-gemellaggi" / "twinings.csv"
    tw_lines = tw.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = tw_lines[9].split("|")
    cells[2] = "200"  # line 10: latitude 200
    tw_lines[9] = "|".join(cells)
    tw.write_text("".join(tw_lines), encoding="utf-8")
    store, _ = assemble(data, tmp_path_factory.mktemp("unused"), steps=())
    out = tmp_path_factory.mktemp("out")
    world, _, _ = run_world_step(data, out, store)
    return world, out, original, data


def test_rejects_csv_lists_every_damaged_row_with_its_lines(damaged_build):
    _, out, _, _ = damaged_build
    with (out / "rejects.csv").open(encoding="utf-8", newline="") as f:
        rejects = [r for r in csv.DictReader(f) if r["reason"] in _READ_REASONS]
    got = sorted((r["source"], r["where"], r["reason"]) for r in rejects)
    assert got == [
        ("hekman-twincities", "twin_cities_raw.csv:150-171", "unterminated-quote"),
        ("hekman-twincities", "twin_cities_raw.csv:200", "nul-byte"),
        ("hekman-twincities", "twin_cities_raw.csv:300", "wrong-column-count"),
        ("yuboski-itwiki-gemellaggi", "twinings.csv:10", "invalid-coordinates"),
    ]


def test_the_rows_after_an_unterminated_quote_are_not_lost(damaged_build):
    _, _, original, data = damaged_build
    with collecting():
        pairs = hekman.read_pairs(data / "sources" / "hekman-twincities")
    lines_read = {p.line for p in pairs}
    assert set(range(151, 172)) <= lines_read  # the 21 rows the quote swallowed
    assert not {150, 200, 300} & lines_read
    assert len(pairs) == len(original) - 1 - 3  # the header, the three damaged rows
    for n in (160, 171):
        p = next(p for p in pairs if p.line == n)
        assert ",".join(p[:4]) + "\n" == original[n - 1]


_READ_REASONS = {
    "unterminated-quote",
    "nul-byte",
    "wrong-column-count",
    "invalid-coordinates",
    "undecodable-bytes",
    "implausible-field",
    "malformed-row",
}


def test_reports_of_a_forked_reading_job_come_back_to_the_caller(tmp_path):
    from graphkit.ingest.readutil import ReadingWorker
    from graphkit.runtime.forks import fork_available

    if not fork_available():
        pytest.skip("no fork on this platform")
    f = tmp_path / "a.csv"
    f.write_text(HEADER + "Koya,Japan\nPisa,Italy,43.7,10.4\n", encoding="utf-8")
    job = ("rows", lambda p: [r["city"] for r in read_csv_rows(p)], (f,))
    with collecting() as log, ReadingWorker([job], parallel=True) as worker:
        assert worker.parallel
        assert worker.get("rows") == ["Pisa"]
        assert worker.get("rows") == ["Pisa"]  # asked twice, reported once
    assert [(p.where, p.reason) for p in log.problems] == [("a.csv:2", "wrong-column-count")]
