"""Batch extraction: every input accounted for, both cores used, resumable, never a traceback.

Each input ends as exactly one `Outcome`: done (JSON written), skipped (with the reason) or
failed (catalogue code and a one-line reason). The run writes `_extract_report.jsonl` beside the
outputs so an archivist can check any file's fate later.
"""
from __future__ import annotations

import json
import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

from pipeline.errors import PipelineError
from pipeline.readers import format_of, sha256_of

REPORT_NAME = "_extract_report.jsonl"


@dataclass
class Outcome:
    path: str
    status: str  # done | skipped | failed
    output: str | None = None
    code: str | None = None
    reason: str | None = None

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.path}: {self.code} {self.reason}"
        if self.status == "skipped":
            return f"{self.path}: skipped, {self.reason}"
        return f"{self.path}: done -> {self.output}"


def collect_inputs(paths: Iterable[Path], out_dir: Path) -> tuple[list[Path], list[Outcome]]:
    """Files to process, and the files found but not processed (with why)."""
    inputs: list[Path] = []
    skipped: list[Outcome] = []
    out_abs = out_dir.resolve()
    seen: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file():
                    continue
                rel_parts = f.relative_to(p).parts
                if any(part.startswith(".") for part in rel_parts):
                    continue
                if out_abs == f.resolve().parent or out_abs in f.resolve().parents:
                    continue  # our own outputs, when --out lies inside an input folder
                if format_of(f) is None:
                    skipped.append(Outcome(str(f), "skipped", reason=f"not a supported format ({f.suffix or 'no suffix'})"))
                    continue
                if f.resolve() not in seen:
                    seen.add(f.resolve())
                    inputs.append(f)
        else:
            if p.resolve() not in seen:
                seen.add(p.resolve())
                inputs.append(p)
    return inputs, skipped


def output_names(inputs: list[Path]) -> dict[Path, str]:
    """`<stem>.json`; when stems collide, later files (in path order) add their folder names.

    corpora/a/report.txt -> report.json, corpora/b/report.txt -> report--b.json
    """
    names: dict[Path, str] = {}
    taken: set[str] = set()
    for f in sorted(inputs, key=lambda x: str(x)):
        name = f"{f.stem}.json"
        if name in taken:
            parents = [x for x in f.parent.parts if x not in ("/", ".")]
            for depth in range(1, len(parents) + 1):
                name = f"{f.stem}--{'-'.join(parents[-depth:])}.json"
                if name not in taken:
                    break
            n = 2
            base = name[:-5]
            while name in taken:
                name = f"{base}-{n}.json"
                n += 1
        taken.add(name)
        names[f] = name
    return names


def _up_to_date(path: Path, target: Path) -> bool:
    if not target.exists():
        return False
    try:
        with target.open(encoding="utf-8") as fh:
            head = json.load(fh)
        from pipeline.process import fingerprint

        fp = fingerprint()
        return (head.get("pipeline_version") == fp["pipeline_version"]
                and head.get("data_digest") == fp["data_digest"]
                and head.get("source", {}).get("sha256") == sha256_of(path.read_bytes()))
    except (OSError, ValueError, AttributeError):
        return False


def process_one(path: Path, target: Path, force: bool = False, debug: bool = False) -> Outcome:
    """Run the pipeline on one file and write its JSON; every exception becomes an Outcome."""
    try:
        if not force and path.is_file() and _up_to_date(path, target):
            return Outcome(str(path), "skipped", output=str(target), reason="unchanged since the last run (--force redoes it)")
        from pipeline.process import process_file

        doc = process_file(path)
        tmp = target.with_suffix(".json.part")
        tmp.write_text(doc.model_dump_json(indent=1), encoding="utf-8")
        os.replace(tmp, target)
        return Outcome(str(path), "done", output=str(target))
    except PipelineError as err:
        return Outcome(str(path), "failed", code=err.code, reason=f"{err.kind.name}: {err.reason}")
    except MemoryError:
        return Outcome(str(path), "failed", code="E201", reason="internal-error: out of memory")
    except Exception as err:  # a bug must not stop the batch; the reason names it in one line
        if debug:
            traceback.print_exc()
        where = traceback.extract_tb(err.__traceback__)[-1]
        detail = f"{type(err).__name__}: {err} at {Path(where.filename).name}:{where.lineno}"
        return Outcome(str(path), "failed", code="E201", reason=f"internal-error: {' '.join(detail.split())[:300]}")


def _warm() -> None:
    from pipeline.process import warm

    warm()  # assemble the pipeline (lexicons, models) once per worker


def run_batch(paths: list[Path], out_dir: Path, jobs: int | None = None, force: bool = False,
              progress: bool = False, debug: bool = False,
              on_outcome: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    out_dir.mkdir(parents=True, exist_ok=True)
    inputs, outcomes = collect_inputs(paths, out_dir)
    names = output_names(inputs)
    for o in outcomes:
        if on_outcome:
            on_outcome(o)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(inputs) or 1))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(inputs), unit="file", file=sys.stderr, dynamic_ncols=True)

    def record(o: Outcome) -> None:
        outcomes.append(o)
        if on_outcome:
            on_outcome(o)
        if bar is not None:
            bar.update(1)

    if jobs == 1 or len(inputs) < 3:
        for f in inputs:
            record(process_one(f, out_dir / names[f], force, debug))
    else:
        pending = {f for f in inputs}
        try:
            with ProcessPoolExecutor(max_workers=jobs, initializer=_warm) as pool:
                futures = {pool.submit(process_one, f, out_dir / names[f], force, debug): f for f in inputs}
                for fut in as_completed(futures):
                    f = futures[fut]
                    pending.discard(f)
                    record(fut.result())
        except BrokenProcessPool:
            for f in sorted(pending, key=str):
                record(Outcome(str(f), "failed", code="E201", reason="internal-error: the worker process died (out of memory?)"))
    if bar is not None:
        bar.close()
    order = {str(f): i for i, f in enumerate(inputs)}
    outcomes.sort(key=lambda o: (order.get(o.path, -1), o.path))
    with (out_dir / REPORT_NAME).open("w", encoding="utf-8") as fh:
        for o in outcomes:
            fh.write(json.dumps(asdict(o), ensure_ascii=False) + "\n")
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    n = {k: sum(o.status == k for o in outcomes) for k in ("done", "skipped", "failed")}
    return (f"{len(outcomes)} inputs: {n['done']} done, {n['skipped']} skipped, {n['failed']} failed")
