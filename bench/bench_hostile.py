"""Hostile inputs at scale: thousands of generated bad inputs (fixed seed), and the shared hostile
fixtures with the path cases, through `extract`. Prints counts: outcomes by code, internal errors
(E201), runs past the per-file limit, rows missing from the report, peak worker memory, and
whether `validate` accepts every output.

usage: .venv/bin/python bench/bench_hostile.py [--n 3000] [--seed 20261128] [--jobs 2]
                                              [--time-limit 30] [--keep DIR]

The generated inputs come from tests/badinputs.py (full size, scale 1.0); the CI test runs the
same generator small. Measured figures go in README.md (Limits).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED_HOSTILE = ROOT.parent / "shared" / "fixtures" / "hostile"


def run(label: str, args: list[str], out: Path, n_expected: int | None, limit: float) -> dict:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", *args, "--out", str(out), "--no-progress",
                           "--time-limit", str(limit)], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    rows = [json.loads(ln) for ln in (out / "_extract_report.jsonl").read_text(encoding="utf-8").splitlines()] \
        if (out / "_extract_report.jsonl").exists() else []
    codes = Counter(r["status"] + (":" + r["code"] if r.get("code") else "") for r in rows)
    past = [r for r in rows if (r.get("seconds") or 0) > limit + 6]
    peak = max((r.get("peak_rss_mb") or 0 for r in rows), default=0)
    val = subprocess.run([sys.executable, "-m", "pipeline", "validate", str(out)], capture_output=True, text=True, cwd=ROOT)
    res = {
        "label": label, "inputs": n_expected, "rows": len(rows), "wall_s": round(wall, 1),
        "exit": proc.returncode, "traceback": "Traceback" in proc.stderr + proc.stdout,
        "E201": codes.get("failed:E201", 0), "E109 (time limit)": codes.get("failed:E109", 0),
        "past the limit + grace": len(past), "peak worker RSS MB": peak,
        "validate": val.stderr.strip().splitlines()[-1] if val.stderr.strip() else val.returncode,
        "outcomes": dict(sorted(codes.items())),
    }
    if n_expected is not None:
        res["lost rows"] = n_expected - len(rows)
    slow = sorted(rows, key=lambda r: -(r.get("seconds") or 0))[:5]
    res["slowest"] = [(Path(r["path"]).name, r.get("seconds"), r.get("code")) for r in slow]
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--keep", type=Path, default=None, help="keep inputs and outputs here")
    args = ap.parse_args()
    from tests.badinputs import generate

    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    results = []
    if SHARED_HOSTILE.exists():
        paths = base / "path_cases"
        subprocess.run(["bash", str(SHARED_HOSTILE / "make_path_cases.sh"), str(paths)], capture_output=True, check=True)
        cases = [("shared hostile fixtures", [str(SHARED_HOSTILE)], 15),
                 ("non-UTF-8 names", [str(paths / "nonutf8")], 3),
                 ("long names", [str(paths / "longname")], 1),
                 ("link loop + good file", [str(paths / "loop" / "loopa.txt"), str(paths / "good.txt")], 2),
                 ("links, loops, FIFO in a folder", [str(paths / "silent")], 5)]
        for label, a, n in cases:
            results.append(run(label, ["-j", str(args.jobs), *a], base / ("out_" + label.split()[0]), n, args.time_limit))
    src = base / "generated"
    t = time.perf_counter()
    files = generate(src, args.n, seed=args.seed, scale=1.0)
    print(f"generated {len(files)} inputs (seed {args.seed}) in {time.perf_counter() - t:.0f} s, "
          f"{sum(f.stat().st_size for f in files) / 2**20:.0f} MB", flush=True)
    results.append(run(f"generated x{args.n}", ["-j", str(args.jobs), str(src)], base / "out_generated", len(files),
                       args.time_limit))
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
    print(f"(inputs and outputs in {base})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
