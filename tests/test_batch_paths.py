"""Path-shaped inputs (the cases of ../shared/fixtures/hostile/make_path_cases.sh, built here):
names that are not UTF-8, names of 251-255 bytes, link loops, broken links, FIFOs, an --out that
is the input folder, a folder that does not exist. Every one ends as a report row with a normal
outcome, no traceback, the other inputs processed."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from pipeline.batch import display, path_hex
from pipeline.cli import main

GOOD = "Ủy ban nhân dân tỉnh Lai Châu báo cáo kết quả năm 2023.\n\nNgày 15/01/2024, tổng thu đạt {n} tỷ đồng.\n"


def _write(path, n=2500):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(os.fsencode(path), "wb") as fh:  # names may be bytes that are not UTF-8
        fh.write(GOOD.format(n=n).encode("utf-8"))


def _extract(*args):
    return CliRunner().invoke(main, ["extract", *map(str, args), "-j", "2", "--no-progress"])


def _report(out):
    return [json.loads(ln) for ln in (out / "_extract_report.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("name, shown", [
    (b"tcvn3_\xb8o c\xb8o.txt", "tcvn3_\\xb8o c\\xb8o.txt"),  # TCVN3 bytes of "báo cáo"
    (b"latin1_caf\xe9.txt", "latin1_caf\\xe9.txt"),
    ("ngày_đẹp.txt".encode("utf-8"), "ngày_đẹp.txt"),  # valid UTF-8: shown as it is
])
def test_batch_paths_name_display_keeps_bytes(name, shown):
    path = os.fsdecode(name)
    assert display(path) == shown
    assert (path_hex(path) == name.hex()) == (shown != name.decode("utf-8", "replace"))


def test_batch_paths_non_utf8_names_are_processed_and_reported(tmp_path):
    src, out = tmp_path / "nonutf8", tmp_path / "out"
    _write(src / "a_ok.txt", 1)
    _write(src / os.fsdecode(b"tcvn3_\xb8o c\xb8o.txt"), 2)
    _write(src / "z_ok.txt", 3)
    result = _extract(src, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    rows = {r["path"].rsplit("/", 1)[-1]: r for r in _report(out)}
    assert set(rows) == {"a_ok.txt", "tcvn3_\\xb8o c\\xb8o.txt", "z_ok.txt"}
    bad = rows["tcvn3_\\xb8o c\\xb8o.txt"]
    assert bad["status"] == "done" and bytes.fromhex(bad["path_hex"]).endswith(b"tcvn3_\xb8o c\xb8o.txt")
    assert os.path.exists(os.fsencode(out) + b"/tcvn3_\xb8o c\xb8o.json")  # the output keeps the bytes
    doc = json.loads((out / os.fsdecode(b"tcvn3_\xb8o c\xb8o.json")).read_text(encoding="utf-8"))
    assert doc["source"]["path"].endswith("tcvn3_\\xb8o c\\xb8o.txt")


def test_batch_paths_long_names_get_short_distinct_outputs(tmp_path):
    src, out = tmp_path / "longname", tmp_path / "out"
    names = ["y" * 251 + ".txt", "y" * 250 + "z.txt", "đ" * 125 + ".txt"]  # 255, 255 and 254 bytes
    for n, name in enumerate(names):
        _write(src / name, n)
    result = _extract(src, "--out", out)
    assert result.exit_code == 0, result.output
    outputs = [p for p in out.iterdir() if p.suffix == ".json"]
    assert len(outputs) == 3
    assert all(len(os.fsencode(p.name)) <= 255 for p in outputs)
    assert all(r["status"] == "done" for r in _report(out))


def test_batch_paths_link_loop_named_on_the_command_line(tmp_path):
    (tmp_path / "loop").mkdir()
    os.symlink("loopb.txt", tmp_path / "loop" / "loopa.txt")
    os.symlink("loopa.txt", tmp_path / "loop" / "loopb.txt")
    _write(tmp_path / "good.txt")
    out = tmp_path / "out"
    result = _extract(tmp_path / "loop" / "loopa.txt", tmp_path / "good.txt", "--out", out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    status = {r["path"].rsplit("/", 1)[-1]: (r["status"], r.get("code")) for r in _report(out)}
    assert status == {"loopa.txt": ("failed", "E112"), "good.txt": ("done", None)}


def test_batch_paths_folder_walk_accounts_for_links_and_fifos(tmp_path):
    src, out = tmp_path / "silent", tmp_path / "out"
    _write(src / "real.txt")
    os.symlink("nothere.txt", src / "broken.txt")
    os.symlink("loopd.txt", src / "loopc.txt")
    os.symlink("loopc.txt", src / "loopd.txt")
    os.mkfifo(src / "pipe.txt")
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", src / "linked_folder")
    result = _extract(src, "--out", out)
    assert "Traceback" not in result.output
    status = {r["path"].rsplit("/", 1)[-1]: (r["status"], r.get("code")) for r in _report(out)}
    assert status == {"real.txt": ("done", None), "broken.txt": ("failed", "E101"),
                      "loopc.txt": ("failed", "E112"), "loopd.txt": ("failed", "E112"),
                      "pipe.txt": ("failed", "E112"), "linked_folder": ("skipped", None)}
    assert "6 inputs: 1 done, 0 unchanged, 1 skipped, 4 failed" in result.output


@pytest.mark.parametrize("layout", ["out_is_the_input_folder", "file_named_with_out_its_own_folder"])
def test_batch_paths_never_write_beside_an_input(tmp_path, layout):
    folder = tmp_path / "same"
    _write(folder / "a.txt")
    arg = folder if layout == "out_is_the_input_folder" else folder / "a.txt"
    result = _extract(arg, "--out", folder)
    assert result.exit_code == 1 and "E113" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("_")) == ["a.txt"]
    assert [(r["status"], r["code"]) for r in _report(folder)] == [("failed", "E113")]


@pytest.mark.parametrize("make, code", [
    (lambda p: None, "E101"),  # a folder that does not exist
    (lambda p: os.symlink(p.parent / "gone", p), "E101"),  # a broken link
    (lambda p: p.mkdir() or (p / "x.xlsx").write_bytes(b"PK"), None),  # a folder with nothing to read
])
def test_batch_paths_missing_or_empty_arguments(tmp_path, make, code):
    arg = tmp_path / "archive"
    make(arg)
    result = _extract(arg, "--out", tmp_path / "out")
    assert "Traceback" not in result.output
    if code:
        assert result.exit_code == 1 and code in result.output, result.output
    else:
        assert result.exit_code == 0 and "1 skipped" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_batch_paths_unlistable_folder_is_reported(tmp_path):
    src = tmp_path / "in"
    _write(src / "a.txt")
    _write(src / "locked" / "b.txt")
    os.chmod(src / "locked", 0)
    try:
        result = _extract(src, "--out", tmp_path / "out")
    finally:
        os.chmod(src / "locked", 0o755)
    assert "E112" in result.output and "locked" in result.output and "Traceback" not in result.output


def test_batch_worker_collector_frozen_and_tuned_once_warm():
    """A worker's warm-up leaves its loaded pipeline out of later collections and collects young
    objects every YOUNG_COLLECTION_EVERY allocations (checked in a fresh process: it is global)."""
    import subprocess
    import sys

    code = ("import gc; from pipeline.batch import _warm; from pipeline.process import YOUNG_COLLECTION_EVERY as Y; "
            "before = gc.get_threshold()[0]; _warm(); "
            "print(before, gc.get_threshold()[0] == Y, gc.get_freeze_count() > 10000)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["700", "True", "True"]
