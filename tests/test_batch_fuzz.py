"""Generated bad inputs with a fixed seed (tests/badinputs.py, small sizes): every one ends in
the report as done or failed with a catalogue code other than E201, none runs past the per-file
limit, and every output passes `validate`. bench/bench_hostile.py runs thousands at full size."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.badinputs import KINDS, generate

SEED = 20261128
N = len(KINDS) + 4  # every kind once, then a seeded choice
SCALE = 0.03  # small: a 6,000-character line, 30-item one-sentence lists (the bench runs full size)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    src = tmp_path_factory.mktemp("fuzz")
    files = generate(src, N, seed=SEED, scale=SCALE)
    out = tmp_path_factory.mktemp("fuzz_out")
    result = CliRunner().invoke(main, ["extract", str(src), "--out", str(out), "-j", "2", "--no-progress",
                                       "--time-limit", "30"])
    rows = [json.loads(ln) for ln in (out / "_extract_report.jsonl").read_text(encoding="utf-8").splitlines()]
    return files, out, result, rows


def test_batch_fuzz_every_input_in_the_report_without_traceback(fuzzed):
    files, _, result, rows = fuzzed
    assert sorted(r["path"].rsplit("/", 1)[-1] for r in rows) == sorted(f.name for f in files)
    assert "Traceback" not in result.output


def test_batch_fuzz_no_internal_errors_and_no_time_limit_hits(fuzzed):
    _, _, _, rows = fuzzed
    codes = Counter(r.get("code") for r in rows if r["status"] == "failed")
    assert codes["E201"] == 0 and codes["E109"] == 0 and codes["E111"] == 0, [
        (r["path"], r["reason"]) for r in rows if r.get("code") in ("E201", "E109", "E111")]
    assert {r["status"] for r in rows} <= {"done", "failed", "skipped"}


def test_batch_fuzz_outputs_pass_validate(fuzzed):
    _, out, _, rows = fuzzed
    assert any(r["status"] == "done" for r in rows)
    result = CliRunner().invoke(main, ["validate", str(out)])
    assert result.exit_code == 0, result.output


def test_batch_fuzz_generator_is_deterministic(tmp_path):
    a = generate(tmp_path / "a", 8, seed=SEED, scale=0.1)
    b = generate(tmp_path / "b", 8, seed=SEED, scale=0.1)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    c = generate(tmp_path / "c", 8, seed=SEED + 1, scale=0.1)
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]
