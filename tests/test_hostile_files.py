"""Outputs under real faults: devices, symlinks, a full file system, unwritable places, a closed stdout.

Every case goes through the real ``graphkit`` entry point (or the atomic writer every output uses)
and checks what a user would: the exit code, the one ``error:`` line naming the file, that no device
or symlink was replaced, that nothing half-written is left and the previous output is intact.
The full file system is a real 64 KB tmpfs (root only; skipped with the reason otherwise); the
unwritable folder is tested as an unprivileged user in a subprocess (root ignores permissions).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkit.errors import OutputError
from graphkit.rdf.files import output_target, staged_file, write_text_atomic

from .conftest import REPO, run_cli

SEED = str(REPO / "data" / "seed" / "assisi-koya.ttl")
QUERY = ("query", "mous", "--graph", SEED, "--format", "csv", "--no-index")


def _one_error_line(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The single ``error: ...`` line of a failed command (exit 1, no traceback, no internal error)."""
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def _no_temp_files(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


# ---------------------------------------------------------------- devices, symlinks, stdout


def test_dev_null_is_written_into_not_replaced():
    proc = run_cli(*QUERY, "-o", "/dev/null")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and "wrote" not in proc.stderr
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_dev_full_is_a_clean_error_and_stays_a_device():
    _one_error_line(run_cli(*QUERY, "-o", "/dev/full"), "/dev/full", "no space left")
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def test_dev_stdout_and_dash_write_to_standard_output():
    for target in ("/dev/stdout", "-"):
        proc = run_cli(*QUERY, "-o", target)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.splitlines()[0] == "relation,party1Label,party2Label,agreement,signed,since"
        assert "Kōya,Assisi" in proc.stdout
    assert stat.S_ISLNK(os.lstat("/dev/stdout").st_mode)


def test_stdout_on_dev_full_is_a_clean_error():
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "graphkit.cli", *QUERY],
            cwd=REPO,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    _one_error_line(proc, "standard output", "no space left")
    with open("/dev/full", "w") as full:  # a command that prints with click.echo, not through emit
        proc = subprocess.run(
            [sys.executable, "-m", "graphkit.cli", "queries"], cwd=REPO, stdout=full, stderr=subprocess.PIPE, text=True
        )
    _one_error_line(proc, "standard output")


def test_symlink_keeps_being_a_link_and_its_target_is_replaced(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    proc = run_cli(*QUERY, "-o", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("relation,party1Label")
    _no_temp_files(tmp_path)


def test_symlink_to_a_device_writes_into_the_device(tmp_path):
    link = tmp_path / "sink.csv"
    link.symlink_to("/dev/null")
    proc = run_cli(*QUERY, "-o", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_fifo_is_written_into(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_text_atomic(fifo, "a,b\n1,2\n")
    reader.join(timeout=10)
    assert got == [b"a,b\n1,2\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_block_device_and_directory_are_refused(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("making a block device node needs root")
    disk = tmp_path / "disk"
    os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 250))
    with pytest.raises(OutputError, match="block device"):
        write_text_atomic(disk, "x")
    assert stat.S_ISBLK(os.lstat(disk).st_mode)
    with pytest.raises(OutputError, match="is a directory"):
        write_text_atomic(tmp_path, "x")


# ---------------------------------------------------------------- unwritable places


def test_proc_path_is_a_clean_error():
    _one_error_line(run_cli(*QUERY, "-o", "/proc/x.csv"), "/proc/x.csv", "cannot write")
    assert not os.path.exists("/proc/x.csv")


def test_file_name_too_long_is_a_clean_error(tmp_path):
    target = tmp_path / ("a" * 300 + ".csv")
    _one_error_line(run_cli(*QUERY, "-o", str(target)), "file name too long")
    assert list(tmp_path.iterdir()) == []


def test_a_name_near_the_limit_still_gets_its_temporary_file(tmp_path):
    target = tmp_path / ("b" * 250 + ".csv")  # 254 bytes: fits, the temporary name must too
    write_text_atomic(target, "ok\n")
    assert target.read_text() == "ok\n"
    _no_temp_files(tmp_path)


def _main_as_nobody(*args: str) -> tuple[int, str]:
    """Run the real CLI entry function in a forked child that dropped root for ``nobody`` (the venv's
    interpreter under /root is not executable by nobody, so no exec): its exit code and stderr."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(write_end, 2)
            sys.stderr = os.fdopen(2, "w", buffering=1)
            os.setgid(65534)
            os.setuid(65534)
            from graphkit.cli import main

            code = main(list(args))
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as f:
        err = f.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder other users can search (pytest's tmp_path is private to root)."""
    d = Path(tempfile.mkdtemp(prefix="graphkit-hostile-"))
    d.chmod(0o755)
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_folder_owned_by_another_user_is_a_clean_error(shared_dir):
    if os.geteuid() != 0:
        pytest.skip("needs root to drop to another user (root itself ignores permissions)")
    for p in (shared_dir, *shared_dir.parents, REPO / "queries", REPO, *REPO.parents):
        if p.stat().st_mode & 0o005 != 0o005:  # the command, run as nobody, reads the catalogue and writes here
            pytest.skip(f"{p} is not readable and searchable by other users")
    locked = shared_dir / "locked"
    locked.mkdir(mode=0o755)  # root's: nobody may read it but not write into it
    previous = locked / "out.csv"
    previous.write_text("previous\n")
    code, err = _main_as_nobody(*QUERY, "-o", str(previous))
    proc = subprocess.CompletedProcess([], code, "", err)
    _one_error_line(proc, str(previous), "permission denied")
    assert previous.read_text() == "previous\n"
    assert sorted(p.name for p in locked.iterdir()) == ["out.csv"]


# ---------------------------------------------------------------- a full file system (a real tmpfs)


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs mounted for the test (root only), unmounted afterwards."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(f"mount -t tmpfs not permitted here: {proc.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int = 4096) -> None:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    (folder / "filler").write_bytes(b"\0" * max(0, free - leave))


def test_disk_full_keeps_the_previous_file_and_leaves_no_temp(small_tmpfs):
    target = small_tmpfs / "result.csv"
    target.write_text("previous result\n")
    _fill(small_tmpfs)
    with pytest.raises(OutputError) as e:
        write_text_atomic(target, "x" * 200_000)
    assert str(e.value) == f"{target}: cannot write: no space left on the device; free some space or write elsewhere"
    assert target.read_text() == "previous result\n"
    _no_temp_files(small_tmpfs)


def test_disk_full_from_the_cli_is_one_line(small_tmpfs):
    target = small_tmpfs / "graph.nq"
    target.write_text("previous snapshot\n")
    _fill(small_tmpfs)
    proc = run_cli("export", "graph", "--graph", SEED, "--format", "nq", "-o", str(target))
    _one_error_line(proc, str(target), "no space left")
    assert target.read_text() == "previous snapshot\n"
    _no_temp_files(small_tmpfs)


def test_build_into_a_full_out_dir_is_one_line_and_keeps_the_old_outputs(small_tmpfs, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "seed", data / "seed")
    (small_tmpfs / "graph.nq").write_text("previous snapshot\n")
    (small_tmpfs / "build.json").write_text("{}\n")
    proc = run_cli("build", "--data", str(data), "--out", str(small_tmpfs))
    _one_error_line(proc, str(small_tmpfs), "no space left")
    assert (small_tmpfs / "graph.nq").read_text() == "previous snapshot\n"
    assert (small_tmpfs / "build.json").read_text() == "{}\n"


def test_staged_writer_failing_mid_write_names_the_target(small_tmpfs):
    target = small_tmpfs / "dump.nq"
    with pytest.raises(OutputError, match="dump.nq: cannot write: no space left"), staged_file(target) as tmp:
        tmp.write_bytes(b"x" * 200_000)  # what pyoxigraph's dump would do
    assert not target.exists()
    _no_temp_files(small_tmpfs)


def test_output_target_kinds(tmp_path):
    (tmp_path / "f.csv").write_text("")
    assert output_target(tmp_path / "f.csv").kind == "file"
    assert output_target(tmp_path / "new.csv").kind == "file"
    assert output_target("/dev/null").kind == "device"
    assert output_target("-").kind == "stdout"
