"""One pipeline per process, for the batch: `process_file(path)` is the per-file task.

Workers call `warm()` once; the pipeline (stages, lexicons, models) is assembled there and reused
for every file the worker handles.
"""
from __future__ import annotations

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


def process_file(path: Path, catalog: dict | None = None) -> Document:
    """One file's Document; `catalog` is its archive-catalogue row (pipeline/catalog.py), if any."""
    return default_pipeline().run_file(path, catalog=catalog)


def fingerprint() -> dict[str, str]:
    """{"pipeline_version", "data_digest"}: a resumed batch redoes outputs that differ."""
    return default_pipeline().fingerprint
