"""Throughput of the whole pipeline against underthesea on the same texts, in one run.

usage: .venv/bin/python bench/bench_speed.py [--docs N] [--size CHARS] [--rounds R] [--scale] [--default-gc]

Makes N documents of about SIZE characters from the report texts at hand (corpora/docs and, when
present, ../shared seeds, dev and dev_domains), then, in R rounds on one core, times: reading and
NFC-normalising them (a floor), underthesea `word_tokenize`, `pos_tag` and `ner` over their
sentences, and the whole pipeline (every stage), each system on each document in turn, so that a
busy spell of the shared machine falls on all of them alike. Prints characters/s of each (median
of the rounds), the pipeline's ratios to each anchor measured in the same round (ratios are what
to read), the pipeline's time per stage and the peak RSS.
With --scale, also times one document of 10 KB, 100 KB, 1 MB and 5 MB (its time per character
should stay flat) and prints the peak RSS of each, each in a fresh process.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_text() -> str:
    folders = [ROOT / "corpora" / "docs"] + [ROOT.parent / "shared" / d for d in ("seeds", "dev", "dev_domains")]
    parts = [p.read_text(encoding="utf-8") for d in folders if d.exists() for p in sorted(d.glob("*.txt"))
             if _utf8(p)]
    return "\n\n".join(parts)


def _utf8(p: Path) -> bool:
    try:
        p.read_text(encoding="utf-8")
        return True
    except UnicodeDecodeError:
        return False


def make_docs(n: int, size: int) -> list[str]:
    """N documents of about `size` characters: whole paragraphs of the reports, in turn."""
    paras = [p.strip() for p in corpus_text().split("\n\n") if p.strip()]
    docs, cur, k = [], [], 0
    while len(docs) < n:
        cur.append(paras[k % len(paras)])
        k += 1
        if sum(len(x) for x in cur) >= size:
            docs.append("\n\n".join(cur))
            cur = []
    return docs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--size", type=int, default=5400)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scale", action="store_true")
    ap.add_argument("--default-gc", action="store_true",
                    help="leave Python's garbage collector as it starts (extract workers tune it)")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)  # child process of --scale
    args = ap.parse_args()
    if args.one:
        return one_document(args.one)
    from underthesea import ner, pos_tag, sent_tokenize, word_tokenize

    from pipeline.assembly import Pipeline, text_document

    nlp = Pipeline()
    docs = make_docs(args.docs, args.size)
    chars = sum(len(d) for d in docs)
    word_tokenize("khởi động"), pos_tag("khởi động"), ner("khởi động"), nlp.run_text("Khởi động.")
    if not args.default_gc:
        from pipeline.process import tune_collector

        tune_collector()  # as every extract worker does once warm (pipeline/batch.py `_warm`)
    by_doc = [(d, sent_tokenize(d)) for d in docs]
    # each system on each document in turn (the order rotating from one document to the next), its
    # time summed over the round: a busy spell of the shared machine falls on all of them alike,
    # where timing one system over all documents, then the next, put 30 s between them
    systems = {
        "read+NFC": lambda d, ss: unicodedata.normalize("NFC", d.encode("utf-8").decode("utf-8")),
        "word_tokenize": lambda d, ss: [word_tokenize(s) for s in ss],
        "pos_tag": lambda d, ss: [pos_tag(s) for s in ss],
        "ner": lambda d, ss: [ner(s) for s in ss],
        "pipeline": lambda d, ss: nlp.analyse(text_document(d)),
    }
    anchors = [name for name in systems if name != "pipeline"]
    stage_time: dict[str, float] = defaultdict(float)

    # per-stage shares from one extra, instrumented pass
    for d in docs:
        from pipeline.analysis import Analysis
        a = Analysis(text_document(d))
        for st in nlp.stages:
            t = time.perf_counter()
            st.run(a)
            stage_time[st.name] += time.perf_counter() - t
    rates: dict[str, list[float]] = defaultdict(list)
    ratios: dict[str, list[float]] = defaultdict(list)
    names = list(systems)
    for _ in range(args.rounds):
        spent: dict[str, float] = defaultdict(float)
        for i, (d, ss) in enumerate(by_doc):
            for name in names[i % len(names):] + names[:i % len(names)]:
                t = time.perf_counter()
                systems[name](d, ss)
                spent[name] += time.perf_counter() - t
        got = {name: chars / spent[name] for name in systems}
        for name in systems:
            rates[name].append(got[name])
        for name in anchors:
            ratios[name].append(got["pipeline"] / got[name])
    print(f"{len(docs)} documents of ~{args.size} characters ({chars} in all), {args.rounds} rounds, one core, "
          f"garbage collector {'as Python starts' if args.default_gc else 'tuned as in extract workers'}")
    print(f"{'':16} {'chars/s (median)':>18} {'pipeline / this (median, min-max)':>36}")
    for name in anchors + ["pipeline"]:
        r = ratios.get(name)
        ratio = f"{statistics.median(r):.2f} ({min(r):.2f}-{max(r):.2f})" if r else ""
        print(f"{name:16} {statistics.median(rates[name]):18,.0f} {ratio:>36}")
    total = sum(stage_time.values())
    print("pipeline time per stage: " + ", ".join(f"{k} {v / total:.0%}" for k, v in
                                                  sorted(stage_time.items(), key=lambda x: -x[1])))
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.scale:
        print("one document, fresh process each: size, seconds, microseconds per character, peak RSS")
        for size in (10_000, 100_000, 1_000_000, 5_000_000):
            out = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"  {size:>9,} chars: {r['seconds']:7.2f} s  {r['seconds'] / size * 1e6:6.1f} µs/char  "
                  f"{r['rss_mb']:6.0f} MB")
    return 0


def one_document(size: int) -> int:
    from pipeline.assembly import Pipeline, text_document

    from pipeline.process import tune_collector

    nlp = Pipeline()
    nlp.run_text("Khởi động.")
    tune_collector()  # as every extract worker does once warm
    text = make_docs(1, size)[0][:size]
    t = time.perf_counter()
    nlp.analyse(text_document(text))
    secs = time.perf_counter() - t
    print(json.dumps({"seconds": secs, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
