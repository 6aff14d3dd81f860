"""One pipeline per process, for the batch: `process_file(path)` is the per-file task.

Workers call `warm()` once; the pipeline (stages, lexicons, models) is assembled there and reused
for every file the worker handles.
"""
from __future__ import annotations

import gc
from pathlib import Path

from pipeline.assembly import Pipeline
from pipeline.model import Document

_PIPELINE: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = Pipeline()
    return _PIPELINE


def warm() -> None:
    default_pipeline()


# gen-0 collections every 10,000 new container objects instead of 700: a document makes tens of
# thousands of tokens and spans that live until its output is written, and each collection walks
# them; measured on 40 reports: 7-10% of a worker's time (see tune_collector)
YOUNG_COLLECTION_EVERY = 10_000


def tune_collector() -> None:
    """Set a worker's garbage collector for a long run of documents, once its pipeline is warm:
    what is loaded by then (models, lexicons, the string store) lives as long as the process, so it
    is frozen out of every later collection, and young objects are collected less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])


def process_file(path: Path, catalog: dict | None = None) -> Document:
    """One file's Document; `catalog` is its archive-catalogue row (pipeline/catalog.py), if any."""
    return default_pipeline().run_file(path, catalog=catalog)


def fingerprint() -> dict[str, str]:
    """{"pipeline_version", "data_digest"}: a resumed batch redoes outputs that differ."""
    return default_pipeline().fingerprint
