"""Stopping a batch at any moment loses nothing: Ctrl-C stops within seconds with a report and a
summary that says so; a kill -9 of the main process takes its workers with it; a kill -9 of a
worker fails only the file it held. After each, a rerun gives outputs identical to a run that
was never interrupted. These start real `python -m pipeline extract` processes."""
from __future__ import annotations

import filecmp
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.batch import run_batch
from tests.conftest import CORPORA

N_DOCS = 24


def _children() -> dict[int, int]:
    """pid -> parent pid, for every process we can see."""
    out = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
                out[int(d)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                pass
    return out


def _descendants(pid: int) -> set[int]:
    parents = _children()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    src = tmp_path_factory.mktemp("many")
    texts = []
    for p in sorted((CORPORA / "docs").glob("*.txt")):
        try:
            texts.append((p.stem, p.read_bytes().decode("utf-8")))
        except UnicodeDecodeError:
            continue
    for i in range(N_DOCS):
        stem, text = texts[i % len(texts)]
        (src / f"{stem}_{i:02d}.txt").write_text(text + f"\n\nSố {i}.\n", encoding="utf-8")
    clean = tmp_path_factory.mktemp("clean")
    outcomes = run_batch([src], clean, jobs=2)
    assert all(o.status == "done" for o in outcomes), [o.line() for o in outcomes]
    return src, clean


def _start(src: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(src), "--out", str(out), "-j", "2",
                             "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=Path(__file__).resolve().parent.parent)


def _wait_for(out: Path, lines: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    journal = out / "_extract_journal.jsonl"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail(f"the batch ended before it could be interrupted: {proc.stderr.read()}")
        if journal.exists() and journal.read_text(encoding="utf-8").count("\n") >= lines:
            return
        time.sleep(0.02)
    pytest.fail("the batch did not start")


def _same_outputs(out: Path, clean: Path) -> None:
    names = sorted(p.name for p in clean.glob("*.json"))
    assert sorted(p.name for p in out.glob("*.json")) == names
    match, mismatch, errors = filecmp.cmpfiles(out, clean, names, shallow=False)
    assert not mismatch and not errors, mismatch


def _resume_and_compare(src: Path, out: Path, clean: Path) -> list:
    again = run_batch([src], out, jobs=2)
    assert {o.status for o in again} <= {"done", "unchanged"}, [o.line() for o in again if o.status not in ("done", "unchanged")]
    _same_outputs(out, clean)
    rows = [json.loads(ln) for ln in (out / "_extract_report.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == N_DOCS
    return again


@pytest.mark.parametrize("after", [2])
def test_batch_interrupt_ctrl_c_stops_reports_and_resumes(corpus, tmp_path, after):
    src, clean = corpus
    out = tmp_path / "out"
    proc = _start(src, out)
    _wait_for(out, after, proc)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    t = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - t < 10, "Ctrl-C took too long"
    assert proc.returncode == 130, err
    assert "INTERRUPTED" in err and "Traceback" not in err
    rows = [json.loads(ln) for ln in (out / "_extract_report.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == N_DOCS  # every input in the report, finished or not
    assert not (out / "_extract_journal.jsonl").exists()
    done_before = {r["path"] for r in rows if r["status"] == "done"}
    again = _resume_and_compare(src, out, clean)
    # every file finished before the interrupt is reused (and so is one whose worker wrote its
    # output as the main process stopped listening)
    assert done_before <= {o.path for o in again if o.status == "unchanged"}


@pytest.mark.parametrize("after", [0, 5])
def test_batch_interrupt_kill_main_takes_workers_along(corpus, tmp_path, after):
    src, clean = corpus
    out = tmp_path / "out"
    proc = _start(src, out)
    _wait_for(out, after, proc)
    family = _descendants(proc.pid)
    end = time.monotonic() + 60  # workers starting or on their first file (a loaded machine starts them late)
    while after == 0 and not family and time.monotonic() < end and proc.poll() is None:
        time.sleep(0.1)
        family = _descendants(proc.pid)
    assert family, "no worker processes"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=10)
    end = time.monotonic() + 10
    while time.monotonic() < end and any(_alive(p) for p in family):
        time.sleep(0.05)
    assert not [p for p in family if _alive(p)], "workers outlived the main process"
    _resume_and_compare(src, out, clean)


def test_batch_interrupt_kill_worker_fails_only_its_file(corpus, tmp_path):
    src, clean = corpus
    out = tmp_path / "out"
    proc = _start(src, out)
    _wait_for(out, 3, proc)
    workers = [p for p in _descendants(proc.pid)
               if b"forkserver" in Path(f"/proc/{p}/cmdline").read_bytes() and _children().get(p) != proc.pid]
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    rows = [json.loads(ln) for ln in (out / "_extract_report.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == N_DOCS
    failed = [r for r in rows if r["status"] == "failed"]
    assert len(failed) <= 1 and all(r["code"] == "E111" for r in failed), failed
    assert sum(r["status"] == "done" for r in rows) >= N_DOCS - 1
    assert "Traceback" not in err
    _resume_and_compare(src, out, clean)
