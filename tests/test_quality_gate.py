"""Quality floors pinned in the repo: accuracy can only go up (as trafilatura's eval gate).

The team's own corpus is always scored; the shared seeds and dev reports when ../shared is there.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.batch import run_batch
from pipeline.evaluate import check_floors, score_folder
from tests.conftest import CORPORA, SHARED

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text(encoding="utf-8"))
SETS = {
    "corpora": (CORPORA / "docs", CORPORA / "gold"),
    "seeds": (SHARED / "seeds", SHARED / "gold" / "seeds"),
    "dev": (SHARED / "dev", SHARED / "gold" / "dev"),
}


@pytest.fixture(scope="module", params=sorted(SETS))
def scored(request, tmp_path_factory):
    name = request.param
    docs, gold = SETS[name]
    if not docs.exists() or not gold.exists():
        pytest.skip(f"{docs} is absent")
    out = tmp_path_factory.mktemp(f"pred-{name}")
    outcomes = run_batch([docs], out, jobs=1)
    assert not [o for o in outcomes if o.status == "failed"], [o.line() for o in outcomes if o.status == "failed"]
    return name, score_folder(gold, out)


def test_quality_gate_f1_floors(scored):
    name, report = scored
    floors = {k: v for k, v in FLOORS[name].items() if not k.startswith("_")}
    assert set(floors) <= set(report.kinds), "a pinned kind is no longer scored"
    assert check_floors(report, floors) == [], report.table()


def test_quality_gate_meta_floors(scored):
    name, report = scored
    for field, floor in FLOORS[name].get("_meta", {}).items():
        got = report.meta[field][0]
        assert got >= floor, f"{name} {field}: {got} correct, floor {floor}\n{report.table()}"
    tp, gold, pred = report.meta["authors"]
    assert pred == tp, f"{name}: {pred - tp} extra authors"


def test_quality_gate_scorer_agrees_with_shared_score_py(tmp_path):
    """Our evaluate follows the shared scorer's rules: the same numbers on the seeds."""
    import subprocess
    import sys

    script = SHARED / "eval" / "score.py"
    if not script.exists():
        pytest.skip("../shared/eval/score.py is absent")
    run_batch([SHARED / "seeds"], tmp_path, jobs=1)
    out = tmp_path / "theirs.json"
    subprocess.run([sys.executable, str(script), str(SHARED / "gold" / "seeds"), str(tmp_path), "--json", str(out), "--quiet"],
                   check=True)
    theirs = json.loads(out.read_text(encoding="utf-8"))["kinds"]
    ours = score_folder(SHARED / "gold" / "seeds", tmp_path).as_dict()["kinds"]
    for kind, t in theirs.items():
        assert (ours[kind]["tp"], ours[kind]["gold"], ours[kind]["pred"]) == (t["tp"], t["gold"], t["pred"]), kind
