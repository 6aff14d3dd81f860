"""Verify a 2,000-word draft against a knowledge base of ~100,000 outcomes, on one core.

usage: .venv/bin/python bench/bench_verify.py [--outcomes N] [--kb FILE]

Builds (or reuses, with --kb) a knowledge base from copies of the corpus and shared outputs until it
holds N outcomes (default 100,000), writes a draft of about 2,000 words from report sentences
that carry figures (every third figure changed, so all three verdicts occur), and times `verify`
on it: pipeline assembly once, then the run (extraction of the draft and judging every claim).
Prints the times and the verdict counts. The target is under 2 s for the run.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--outcomes", type=int, default=100_000)
    ap.add_argument("--kb", type=Path, default=None)
    args = ap.parse_args()
    from pipeline.assembly import Pipeline
    from pipeline.kb.build import build
    from pipeline.readers import format_of
    from pipeline.verify import Verifier

    nlp = Pipeline()
    sample = [p for p in (ROOT / "corpora" / "docs", ROOT.parent / "shared" / "seeds", ROOT.parent / "shared" / "dev")
              if p.exists()]
    docs = [nlp.run_file(f) for d in sample for f in sorted(d.iterdir()) if format_of(f)]
    tmp = Path(tempfile.mkdtemp())
    db = args.kb or tmp / "kb.sqlite"
    if not db.exists():
        per_round = sum(len(d.figures) for d in docs)
        rounds = -(-args.outcomes // per_round)
        out = tmp / "out"
        out.mkdir()
        for k in range(rounds):
            for d in docs:
                j = json.loads(d.model_dump_json())
                j["id"] = f"{k:06x}{j['id'][6:]}"
                j["source"]["path"] = f"copy{k}/{j['source']['path']}"
                (out / f"{j['id']}.json").write_text(json.dumps(j, ensure_ascii=False), encoding="utf-8")
        t = time.perf_counter()
        build(db, [out])
        print(f"knowledge base: {rounds * len(docs)} documents built in {time.perf_counter() - t:.0f} s")
    import sqlite3
    n_out = sqlite3.connect(db).execute("SELECT count(*) FROM outcomes").fetchone()[0]
    print(f"knowledge base: {n_out} outcomes ({db})")
    # a draft of ~2,000 words from sentences with figures, every third figure changed
    sentences = []
    for d in docs:
        for f in d.figures:
            if f.context:
                s = d.text[f.context.sentence.start:f.context.sentence.end]
                if s not in sentences and len(s) < 400:
                    sentences.append(s)
    draft, words, n = [], 0, 0
    for s in sentences:
        if words >= 2000:
            break
        n += 1
        if n % 3 == 0:
            s = re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 7), s, count=1)
        draft.append(s)
        words += len(s.split())
    text = "\n\n".join(" ".join(draft[i:i + 4]) for i in range(0, len(draft), 4))
    print(f"draft: {len(text.split())} words, {len(text)} characters")
    t = time.perf_counter()
    verifier = Verifier(db, nlp)
    verifier.verify_text("Khởi động: năm 2023 có 12 vụ.")
    print(f"verifier ready (pipeline assembled, models loaded) in {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    result = verifier.verify_text(text)
    run = time.perf_counter() - t
    counts = {v: sum(c["verdict"] == v for c in result["claims"]) for v in ("supported", "contradicted", "not_found")}
    print(f"verify: {len(result['claims'])} claims in {run:.2f} s ({counts}); target < 2 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
