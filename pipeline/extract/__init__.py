"""Extractor stages, in the order they run. Each module holds one small stage.

Order matters: dates and legal documents claim their spans first so that figures never read a
date or a document number as a quantity.
"""
from __future__ import annotations

from pipeline.analysis import Stage

EXTRACTORS: list[Stage] = []
