"""Officials: splink against our resolver, on gold clusters (issue 8 asks which wins).

usage: python bench/eval_splink.py KB.sqlite CLUSTERS.jsonl JSON_DIR... [--threshold P]

KB.sqlite is a knowledge base `kb build` made from JSON_DIR...; CLUSTERS.jsonl the gold clusters
(../shared/gold/kb/clusters.jsonl, corpora/kb/clusters.jsonl). The script takes the knowledge
base's official document entities with the features our resolver reads (tone-canonical name,
province and level of their posts, organisations, titles, the report's province), trains a
splink model on them (u by random sampling, m by expectation-maximisation, blocking on the
name), clusters at the threshold, writes those clusters into a copy of the knowledge base and
scores both copies with ../shared/eval/score_kb.py. splink is not a dependency of the project:
run this with a Python that has it (`pip install splink`) and the project on its path.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def records(db: sqlite3.Connection) -> list[dict]:
    from pipeline.gazetteers import Gazetteers
    from pipeline.kb.resolve import province_of
    from pipeline.keys import match_key

    gz = Gazetteers()
    provinces: dict[str, set[str]] = defaultdict(set)
    for r in gz.tsv("places.tsv"):
        provinces[match_key(r["name"])].add(match_key(r["name"]))
    for r in gz.tsv("districts.tsv"):
        provinces[match_key(r["name"])].add(match_key(r["province"]))
    orgs: dict[str, list[str]] = defaultdict(list)
    titles: dict[str, list[str]] = defaultdict(list)
    for de, org, title in db.execute("SELECT doc_entity_id, organisation_id, title FROM positions"):
        if org:
            orgs[de].append(org)
        if title:
            titles[de].append(match_key(title))
    out = []
    for de, name, place, level, rp in db.execute(
            "SELECT d.doc_entity_id, d.name, d.place, d.level, doc.report_place FROM doc_entities d "
            "JOIN documents doc USING (doc_id) WHERE d.kind = 'official'"):
        out.append({"unique_id": de, "name_key": match_key(name),
                    "province": province_of(place, rp, provinces) if place else None,
                    "level": level, "orgs": sorted(set(orgs[de])) or None, "titles": sorted(set(titles[de])) or None,
                    "report_place": match_key(rp) if rp else None})
    return out


def splink_clusters(recs: list[dict], threshold: float) -> dict[str, str]:
    import pandas as pd
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[block_on("name_key")],
        comparisons=[
            cl.ExactMatch("province"),
            cl.ExactMatch("level"),
            cl.ArrayIntersectAtSizes("orgs", [1]),
            cl.ArrayIntersectAtSizes("titles", [1]),
            cl.ExactMatch("report_place"),
        ],
    )
    table = DuckDBAPI().register(pd.DataFrame(recs))  # splink 5: a registered table, not a frame
    linker = Linker(table, settings)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_key"))
    pairs = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pairs, threshold).as_pandas_dataframe()
    return dict(zip(clusters["unique_id"], clusters["cluster_id"]))


def score(db_path: Path, clusters: Path, dirs: list[str]) -> str:
    out = subprocess.run([sys.executable, str(ROOT.parent / "shared" / "eval" / "score_kb.py"), str(clusters),
                          str(db_path), *dirs], capture_output=True, text=True, check=True).stdout
    return next(line for line in out.splitlines() if line.startswith("official"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("kb", type=Path)
    ap.add_argument("clusters", type=Path)
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--threshold", type=float, default=0.9)
    args = ap.parse_args()
    recs = records(sqlite3.connect(args.kb))
    print(f"{len(recs)} official document entities")
    ours = score(args.kb, args.clusters, args.dirs)
    try:
        assigned = splink_clusters(recs, args.threshold)
    except Exception as err:  # a model that cannot be trained on this data is itself a result
        print(f"splink: could not train or predict ({type(err).__name__}: {str(err).splitlines()[0][:200]})")
        assigned = None
    print(f"{'':8} {'kind':16} {'P':>6} {'R':>6} {'F1':>6} {'gold pairs':>10} {'kb pairs':>9} {'aligned':>9}")
    print(f"ours     {ours}")
    if assigned is not None:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "splink.sqlite"
            shutil.copy(args.kb, copy)
            db = sqlite3.connect(copy)
            db.execute("PRAGMA journal_mode=DELETE")
            db.executemany("UPDATE doc_entities SET entity_id = ? WHERE doc_entity_id = ?",
                           [(f"splink:{c}", de) for de, c in assigned.items()])
            db.execute("UPDATE mentions SET entity_id = d.entity_id FROM doc_entities d "
                       "WHERE d.doc_entity_id = mentions.doc_entity_id AND d.kind = 'official'")
            db.execute("DELETE FROM entities WHERE kind = 'official'")
            db.execute("INSERT INTO entities (entity_id, kind, name, canonical) SELECT entity_id, 'official', "
                       "min(name), min(name) FROM doc_entities WHERE kind = 'official' GROUP BY entity_id")
            db.commit()
            db.close()
            print(f"splink   {score(copy, args.clusters, args.dirs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
