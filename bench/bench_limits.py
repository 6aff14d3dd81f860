"""Why the text limit is where it is: peak memory and time of one document as its text grows,
and what happens to a file far over the limit (a 100 MB .txt).

usage: .venv/bin/python bench/bench_limits.py [--sizes 50000,100000,200000,400000] [--source DIR]

Each size runs in a fresh process (peak RSS is per process): the text is made by repeating the
team corpus (or --source), so it reads like reports. Prints characters, seconds, peak RSS, the
RSS of the warm pipeline on a short text (the anchor) and MB per 100,000 characters above it.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from pipeline.batch import _warm
from pipeline.errors import PipelineError
from pipeline.process import process_file
_warm()
anchor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
t = time.perf_counter()
try:
    doc = process_file(Path(sys.argv[1]))
    status = f"done, {len(doc.sentences)} sentences"
except PipelineError as err:
    status = str(err)
print(json.dumps({"chars": int(sys.argv[2]), "seconds": round(time.perf_counter() - t, 2), "anchor_mb": anchor,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "status": status}))
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50000,100000,200000,400000")
    ap.add_argument("--source", type=Path, default=ROOT / "corpora" / "docs")
    args = ap.parse_args()
    texts = []
    for p in sorted(args.source.glob("*.txt")):
        try:
            texts.append(p.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            continue
    unit = "\n\n".join(texts)
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for n in [int(x) for x in args.sizes.split(",")]:
            f = Path(tmp) / f"text_{n}.txt"
            f.write_text((unit * (n // len(unit) + 1))[:n], encoding="utf-8")
            out = subprocess.run([sys.executable, "-c", CHILD, str(f), str(n), str(ROOT)], capture_output=True, text=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(json.dumps(runs[-1], ensure_ascii=False), flush=True)
        big = Path(tmp) / "huge_100MB.txt"
        with open(big, "wb") as fh:
            chunk = (unit.encode("utf-8") * (2**20 // len(unit.encode("utf-8")) + 1))[:2**20]
            for _ in range(100):
                fh.write(chunk)
        out = subprocess.run([sys.executable, "-c", CHILD, str(big), str(100 * 2**20), str(ROOT)], capture_output=True, text=True)
        print("100 MB .txt:", out.stdout.strip().splitlines()[-1], flush=True)
    ok = [r for r in runs if r["status"].startswith("done")]
    if len(ok) >= 2:
        a, b = ok[0], ok[-1]
        per = (b["peak_mb"] - a["peak_mb"]) / ((b["chars"] - a["chars"]) / 100_000)
        print(f"memory: about {per:.0f} MB per 100,000 characters above the warm pipeline "
              f"({a['anchor_mb']} MB); time: {b['seconds'] / a['seconds']:.1f}x for {b['chars'] / a['chars']:.0f}x the text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
