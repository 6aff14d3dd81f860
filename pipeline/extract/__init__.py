"""Extractor stages, in the order they run. Each module holds one small stage named `STAGE`.

Order matters: dates and legal documents claim their spans first so that figures never read a
date or a document number as a quantity; officials run after agencies so positions can name them.
"""
from __future__ import annotations

from importlib import import_module
from pathlib import Path

from pipeline.analysis import Stage

ORDER = ("dates", "legal", "programs", "agencies", "officials", "figures")

EXTRACTORS: list[Stage] = [
    import_module(f"pipeline.extract.{name}").STAGE
    for name in ORDER
    if (Path(__file__).parent / f"{name}.py").exists()
]
