"""Output names: mirrored below --out, stable whatever else is in the run, never taking over
another input's output (in this run or an earlier one); identical inputs processed once; resume
notices changed bytes, pipeline version and gazetteer data."""
from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

import pytest

from pipeline.batch import Input, _fit, candidates, run_batch

TEXT = "Ủy ban nhân dân tỉnh {p} báo cáo kết quả năm 2023.\n\nNgày 15/01/2024, tổng thu đạt 2.500 tỷ đồng.\n"


def _write(path: Path, place: str = "Lai Châu") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEXT.format(p=place), encoding="utf-8")
    return path


def _outputs(out: Path) -> dict[str, str]:
    """output path below --out -> the input it came from (source.path)"""
    return {p.relative_to(out).as_posix(): json.loads(p.read_text(encoding="utf-8"))["source"]["path"]
            for p in sorted(out.rglob("*.json")) if not p.name.startswith("_")}


def _inp(root: str, rel: str) -> Input:
    return Input(Path(root) / rel, Path(root), PurePosixPath(rel), os.path.abspath(Path(root) / rel), "txt")


@pytest.mark.parametrize("root, rel, first, second", [
    ("/data/dup/a", "report.txt", "report.json", "report--a.json"),
    ("/data/dup/b", "2019/x/report.pdf", "2019/x/report.json", "2019/x/report--b.json"),
    ("/data", "a.b.docx", "a.b.json", "a.b--data.json"),
])
def test_batch_names_candidates_mirror_the_path(root, rel, first, second):
    c = candidates(_inp(root, rel))
    assert c[:2] == [first, second]
    assert c[-1].endswith(f"--{_inp(root, rel).id}.json")  # the last resort is unique to the path
    assert len(set(c)) == len(c)


@pytest.mark.parametrize("stem", ["y" * 300, "đ" * 200, "a" * 251, "x"])
def test_batch_names_fit_into_255_bytes_at_a_character_boundary(stem):
    name = _fit(stem)
    assert len(os.fsencode(name)) <= 255 and name.endswith(".json")
    name.encode("utf-8")  # no split character
    assert (name == stem + ".json") == (len(os.fsencode(stem + ".json")) <= 255)


def test_batch_names_second_run_never_replaces_another_inputs_output(tmp_path):
    a = _write(tmp_path / "dup" / "a" / "report.txt", "Lai Châu")
    b = _write(tmp_path / "dup" / "b" / "report.txt", "Điện Biên")
    out = tmp_path / "X"
    run_batch([a.parent], out, jobs=1)
    run_batch([b.parent], out, jobs=1)
    assert _outputs(out) == {"report.json": str(a.parent / "report.txt"), "report--b.json": str(b.parent / "report.txt")}
    # the same again, together and alone, in any order: the same names
    for args in ([b.parent, a.parent], [b.parent], [a.parent]):
        outcomes = run_batch(args, out, jobs=1)
        assert {o.status for o in outcomes} == {"unchanged"}
    rows = [json.loads(ln) for ln in (out / "_extract_report.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["path"] for r in rows) == sorted([str(a), str(b)])  # the report still names both


def test_batch_names_identical_inputs_processed_once_both_recorded(tmp_path):
    one = _write(tmp_path / "in" / "one.txt")
    two = _write(tmp_path / "in" / "sub" / "two.txt")
    out = tmp_path / "out"
    outcomes = {Path(o.path).name: o for o in run_batch([tmp_path / "in"], out, jobs=1)}
    assert outcomes["one.txt"].status == "done" and outcomes["one.txt"].duplicates == [str(two)]
    assert outcomes["two.txt"].status == "skipped" and outcomes["two.txt"].same_as == str(one)
    assert list(_outputs(out)) == ["one.json"]


@pytest.mark.parametrize("change, redone", [
    (None, False),
    ("bytes", True),
    ("pipeline_version", True),
    ("data_digest", True),
])
def test_batch_names_resume_redoes_what_changed(tmp_path, change, redone):
    src = _write(tmp_path / "in" / "a.txt")
    out = tmp_path / "out"
    run_batch([src], out, jobs=1)
    if change == "bytes":
        _write(src, "Sơn La")
    elif change:  # as if an older pipeline or other gazetteers had written it
        for f in (out / "_extract_report.jsonl", out / "a.json"):
            f.write_text(f.read_text(encoding="utf-8").replace('"' + change + '": "', '"' + change + '": "old-'),
                         encoding="utf-8")
    again = run_batch([src], out, jobs=1)
    assert [o.status for o in again] == (["done"] if redone else ["unchanged"])
    assert json.loads((out / "a.json").read_text(encoding="utf-8"))["data_digest"]


def test_batch_names_fingerprint_digest_follows_gazetteer_bytes(tmp_path):
    import shutil

    from pipeline.gazetteers import DEFAULT_DIR, Gazetteers

    copy = tmp_path / "gaz"
    shutil.copytree(DEFAULT_DIR, copy)
    before = Gazetteers(copy).digest
    assert before == Gazetteers(DEFAULT_DIR).digest
    target = sorted(copy.rglob("*.yaml"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n# reviewed again\n", encoding="utf-8")
    assert Gazetteers(copy).digest != before