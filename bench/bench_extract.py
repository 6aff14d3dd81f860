"""Throughput and memory of the pipeline, per stage, on a folder of documents.

usage: .venv/bin/python bench/bench_extract.py [PATH ...] [--repeat N]

Prints documents/s, characters/s, time per stage (in-process, one core), peak RSS, and the
wall time of a full `extract` batch on all cores. Defaults to corpora/docs.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path, default=[ROOT / "corpora" / "docs"])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    t0 = time.perf_counter()
    from pipeline.analysis import Analysis
    from pipeline.batch import collect_inputs, run_batch
    from pipeline.assembly import Pipeline
    from pipeline.readers import read_document

    chain = Pipeline().stages
    print(f"import + model load: {time.perf_counter() - t0:.2f} s")
    found, _ = collect_inputs(args.paths, Path(tempfile.gettempdir()) / "bench-none")
    files = [i.path for i in found]
    per_stage: dict[str, float] = defaultdict(float)
    chars = 0
    start = time.perf_counter()
    for _ in range(args.repeat):
        for f in files:
            t = time.perf_counter()
            try:
                a = Analysis(raw=read_document(f))
            except Exception as err:  # bad inputs are part of real archives
                print(f"  skip {f.name}: {err}")
                continue
            per_stage["read"] += time.perf_counter() - t
            for st in chain:
                t = time.perf_counter()
                st.run(a)
                per_stage[st.name] += time.perf_counter() - t
            chars += len(a.text)
    total = time.perf_counter() - start
    n = len(files) * args.repeat
    print(f"{len(files)} files x {args.repeat}: {n / total:.1f} docs/s, {chars / total / 1000:.0f} k chars/s (one core)")
    for name, secs in sorted(per_stage.items(), key=lambda x: -x[1]):
        print(f"  {name:12} {secs / n * 1000:8.1f} ms/doc  {secs / total * 100:5.1f}%")
    print(f"peak RSS (this process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        outcomes = run_batch(list(args.paths), Path(out), force=True)
        wall = time.perf_counter() - t
    print(f"extract batch (all cores, incl. worker start-up): {len(outcomes)} inputs in {wall:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
