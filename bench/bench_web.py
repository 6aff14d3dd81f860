"""Web view at archive scale: every canned query and facet page on a knowledge base of N outcomes
(default 100,000), against Datasette's default time limit of 1 s.

usage: .venv/bin/python bench/bench_web.py [--outcomes N] [--keep DIR] [--repeat R]

Extracts corpora/docs once, then writes copies of its extraction outputs as distinct documents
(their own ids and paths; each copy moved to one of the 63 provinces and one of ten years, so
places and years spread as in an archive) until the copies hold N figures, and builds the
knowledge base with `kb build`. Then, through Datasette's own client (in this process, as `serve`
builds it), times each canned query with an empty form and with a typical one, and each table
page with its facets, R times, and prints the slowest time of each, its share of the 1 s limit,
and its ratio to an anchor measured in the same run (the page of the one-row kb_meta table).
Exit status 1 when a page fails, times out or takes 1 s or more.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIMIT_MS = 1000  # Datasette's default sql_time_limit_ms

FORMS = {  # a typical question for each canned query
    "officials": {"name": "nguyen hong quan"},
    "outcomes_reported": {"place": "Nghệ An", "period": "2019", "unit": "vụ"},
    "outcome_totals": {"unit": "lượt người", "period": "2020/2022"},
    "outcomes_by_province": {"program": "phu nu voi phap luat"},
    "search": {"q": "mua bán người"},
    "legal_documents": {"name": "chi thi 09"},
    "programs": {"place": "Thanh Hóa"},
    "agencies": {"name": "cong an tinh", "place": "Hà Tĩnh"},
}


def make_kb(folder: Path, n_outcomes: int) -> Path:
    from pipeline.assembly import Pipeline
    from pipeline.gazetteers import default_gazetteers
    from pipeline.kb.build import build
    from pipeline.readers import format_of

    provinces = [r["name"] for r in default_gazetteers().tsv("places.tsv") if r["era"] == "pre-2025"]
    nlp = Pipeline()
    files = sorted(f for f in (ROOT / "corpora" / "docs").iterdir() if format_of(f))
    outputs = [json.loads(nlp.run_file(f).model_dump_json()) for f in files]
    per_copy = sum(len(d["figures"]) for d in outputs)
    out = folder / "out"
    out.mkdir()
    k = figures = 0
    while figures < n_outcomes:
        province, year = provinces[k % len(provinces)], 2015 + k % 10
        for d in outputs:
            d = json.loads(json.dumps(d))
            d["id"] = f"{k:06x}{d['id'][6:]}"
            d["source"] = dict(d["source"], path=f"archive/{year}/{k}-{Path(d['source']['path']).name}")
            d["published"] = f"{year}-{1 + k % 12:02d}-15"
            d["report_place"] = province
            for fig in d["figures"]:
                if fig["context"].get("place"):
                    fig["context"]["place"] = province
            (out / f"{k}-{Path(d['source']['path']).stem}.json").write_text(json.dumps(d, ensure_ascii=False),
                                                                            encoding="utf-8")
        figures += per_copy
        k += 1
    db = folder / "kb.sqlite"
    t = time.perf_counter()
    summary = build(db, [out])
    print(f"knowledge base: {summary.documents} documents, built in {time.perf_counter() - t:.0f} s")
    return db


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--outcomes", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, help="build (or reuse) the knowledge base in this folder")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from pipeline.query.questions import CANNED
    from pipeline.web.metadata import FACETS
    from pipeline.web.server import make_datasette, start

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "kb.sqlite"
        if not db.exists():
            db = make_kb(folder, args.outcomes)
        import sqlite3

        counts = {t: sqlite3.connect(db).execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                  for t in ("documents", "outcomes", "entities", "mentions", "positions", "sentences")}
        print("rows: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        ds = make_datasette(db)
        name = db.stem

        async def run() -> int:
            await start(ds)

            async def timed(path: str) -> tuple[float, str | None]:
                best = 0.0
                problem = None
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    r = await ds.client.get(path)
                    ms = (time.perf_counter() - t) * 1000
                    best = max(best, ms)
                    if r.status_code != 200:
                        problem = f"HTTP {r.status_code}"
                    elif "interrupted" in r.text.lower() or '"facets_timed_out": ["' in r.text:
                        problem = "timed out"
                return best, problem

            await timed("/")                      # warm-up: first counts, templates compiled
            anchor, _ = await timed(f"/{name}/kb_meta")
            pages = [(f"canned {c.name} (empty form)", f"/{name}/{c.name}") for c in CANNED]
            pages += [(f"canned {c.name} ({', '.join(FORMS[c.name].values())})",
                       f"/{name}/{c.name}?{urlencode(FORMS[c.name])}") for c in CANNED]
            pages += [(f"facets {t} ({', '.join(f)})", f"/{name}/{t}") for t, f in sorted(FACETS.items())]
            pages += [(f"facets {t} as JSON", f"/{name}/{t}.json?_extra=facet_results&_size=1")
                      for t in sorted(FACETS)]
            pages += [("archive search /-/find", "/-/find?q=ha+tinh"),
                      ("document page", f"/-/document/{sqlite3.connect(db).execute('SELECT doc_id FROM documents LIMIT 1').fetchone()[0]}")]
            bad = 0
            print(f"anchor: /{name}/kb_meta page {anchor:.0f} ms (slowest of {args.repeat})")
            print(f"{'page':<72} {'ms':>7} {'of 1 s':>7} {'x anchor':>9}")
            for label, path in pages:
                ms, problem = await timed(path)
                flag = problem or ("OVER 1 s" if ms >= LIMIT_MS else "")
                bad += bool(flag)
                print(f"{label[:72]:<72} {ms:7.0f} {ms / LIMIT_MS:7.0%} {ms / anchor:9.1f} {flag}")
            print(f"{len(pages) - bad} of {len(pages)} pages under {LIMIT_MS} ms")
            return 1 if bad else 0

        return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
