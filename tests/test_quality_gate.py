"""Quality floors pinned in the repo: accuracy can only go up (as trafilatura's eval gate).

The team's own corpus is always scored; the shared sets when ../shared is there. Each set's gold
is pinned by a digest, and a floor may never fall below a value it had in the file's git history
unless `_lowered` in quality_floors.json says why.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.evaluate import check_floors, score_folder
from tests.conftest import CORPORA, ROOT, SHARED

FLOORS_FILE = Path(__file__).parent / "quality_floors.json"
FLOORS = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
GOLD = {"corpora": CORPORA / "gold", "corpora_domains": CORPORA / "gold", "corpora_kb": CORPORA / "gold",
        "corpora_blind": CORPORA / "gold", "corpora_blind2": CORPORA / "gold",
        "seeds": SHARED / "gold" / "seeds", "dev": SHARED / "gold" / "dev", "dev_domains": SHARED / "gold" / "dev_domains"}
DOCS = {"corpora_domains": "corpora", "corpora_kb": "corpora", "corpora_blind": "corpora", "corpora_blind2": "corpora"}  # sets scored on another set's extraction
SETS = sorted(k for k in FLOORS if not k.startswith("_") and k not in ("kb", "verify"))  # verify: test_verify_drafts.py


def gold_digest(folder: Path, pattern: str) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.glob(pattern)):
        h.update(f.name.encode("utf-8") + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@pytest.fixture(scope="module", params=SETS)
def scored(request, extracted):
    name = request.param
    if not GOLD[name].exists():
        pytest.skip(f"{GOLD[name]} is absent (../shared is optional)")
    return name, score_folder(GOLD[name], extracted(DOCS.get(name, name)), FLOORS[name]["_gold_files"])


def test_quality_gate_f1_floors(scored):
    name, report = scored
    floors = {k: v for k, v in FLOORS[name].items() if not k.startswith("_")}
    assert set(floors) <= set(report.kinds), "a pinned kind is no longer scored"
    assert check_floors(report, floors) == [], report.table()


def test_quality_gate_meta_floors(scored):
    name, report = scored
    meta = FLOORS[name].get("_meta", {})
    for field, floor in meta.items():
        if field.startswith("_"):
            continue
        got = report.meta[field][0]
        assert got >= floor, f"{name} {field}: {got} correct, floor {floor}\n{report.table()}"
    if "_positions_share" in meta:  # gold positions of matched officials that were found
        ex = report.kinds["officials"].extra
        share = ex["positions_found"] / max(ex["positions_gold"], 1)
        assert share >= meta["_positions_share"], f"{name} positions found {share:.3f} < {meta['_positions_share']}"
    tp, gold, pred = report.meta["authors"]
    # authors taken from page furniture on other sites' templates: measured, a ceiling that only goes down
    assert pred - tp <= meta.get("_extra_authors_max", 0), f"{name}: {pred - tp} extra authors"


@pytest.mark.parametrize("name", SETS)
def test_quality_gate_gold_is_the_pinned_gold(name):
    if not GOLD[name].exists():
        pytest.skip(f"{GOLD[name]} is absent (../shared is optional)")
    entry = FLOORS[name]
    assert gold_digest(GOLD[name], entry["_gold_files"]) == entry["_gold_digest"], \
        f"the {name} gold changed: re-measure every kind, then update _gold_digest in {FLOORS_FILE.name}"


def _history() -> list[dict]:
    """Every committed version of the floors file (newest first)."""
    try:
        revs = subprocess.run(["git", "log", "--format=%H", "--", "tests/quality_floors.json"], cwd=ROOT,
                              capture_output=True, text=True, timeout=30, check=True).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return []
    out = []
    for rev in revs:
        show = subprocess.run(["git", "show", f"{rev}:tests/quality_floors.json"], cwd=ROOT,
                              capture_output=True, text=True, timeout=30)
        if show.returncode == 0:
            out.append(json.loads(show.stdout))
    return out


def _flat(d: dict, prefix: str = "") -> dict[str, float]:
    """{"seeds": {"figures": 0.94}, "kb": {"shared": {"all": {"precision": 1.0}}}} ->
    {"seeds.figures": 0.94, "kb.shared.all.precision": 1.0}; names starting with "_" left out."""
    out: dict[str, float] = {}
    for k, v in d.items():
        if k.startswith("_"):
            continue
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        elif isinstance(v, (int, float)):
            out[f"{prefix}{k}"] = v
    return out


def lowered_floors(current: dict, history: list[dict]) -> list[str]:
    """Every floor below a value it had in an earlier version, not excused in _lowered."""
    now = _flat(current)
    excused = current.get("_lowered", {})
    out = []
    for old in history:
        for key, floor in _flat(old).items():
            if key in now and now[key] < floor and key not in excused:
                out.append(f"{key}: {now[key]} < {floor}")
    return sorted(set(out))


def test_quality_gate_floors_never_go_down():
    history = _history()
    if not history:
        pytest.skip("no git history of tests/quality_floors.json here (not a git checkout)")
    assert lowered_floors(FLOORS, history) == []


@pytest.mark.parametrize("current, lowered", [
    ({"s": {"figures": 0.90}}, ["s.figures: 0.9 < 0.95"]),
    ({"s": {"figures": 0.96}}, []),
    ({"s": {"figures": 0.90}, "_lowered": {"s.figures": "gold corrected"}}, []),
])
def test_quality_gate_lowering_is_caught(current, lowered):
    assert lowered_floors(current, [{"s": {"figures": 0.95}}]) == lowered


@pytest.mark.parametrize("name", ["seeds", "dev", "dev_domains"])
def test_quality_gate_scorer_agrees_with_shared_score_py(name, extracted, tmp_path):
    """Our evaluate follows the shared scorer's rules: the same numbers on every shared set."""
    script = SHARED / "eval" / "score.py"
    if not script.exists():
        pytest.skip("../shared/eval/score.py is absent")
    pred = extracted(name)
    out = tmp_path / "theirs.json"
    subprocess.run([sys.executable, str(script), str(GOLD[name]), str(pred), "--json", str(out), "--quiet"],
                   check=True)
    theirs = json.loads(out.read_text(encoding="utf-8"))["kinds"]
    ours = score_folder(GOLD[name], pred).as_dict()["kinds"]
    for kind, t in theirs.items():
        assert (ours[kind]["tp"], ours[kind]["gold"], ours[kind]["pred"]) == (t["tp"], t["gold"], t["pred"]), kind


KB_SETS = sorted(k for k in FLOORS["kb"] if not k.startswith("_"))


@pytest.mark.parametrize("name", KB_SETS)
def test_quality_gate_kb_merge_floors(name, extracted, tmp_path):
    """Cross-document merging scored by the shared scorer (../shared/eval/score_kb.py) on gold
    clusters, floors per kind: the shared gold over seeds and dev, and the team's own
    corpora/kb/clusters.jsonl over corpora/docs (which needs nothing of ../shared but the scorer)."""
    from pipeline.kb.build import build
    from tests.conftest import GZ

    entry = FLOORS["kb"][name]
    clusters = (ROOT / entry["_clusters"]).resolve()
    script = SHARED / "eval" / "score_kb.py"
    if not clusters.exists() or not script.exists():
        pytest.skip(f"{clusters} or {script} is absent")
    dirs = [extracted(s) for s in entry["_sets"]]
    db = tmp_path / "kb.sqlite"
    build(db, dirs, GZ)
    out = tmp_path / "kb.json"
    subprocess.run([sys.executable, str(script), str(clusters), str(db), *map(str, dirs), "--json", str(out)],
                   check=True, capture_output=True)
    got = json.loads(out.read_text(encoding="utf-8"))
    below = [f"{kind} {m} {got[kind][m]:.3f} < {floor}" for kind, floors in entry.items() if not kind.startswith("_")
             for m, floor in floors.items() if got[kind][m] < floor]
    assert not below, below
