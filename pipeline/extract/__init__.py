"""Extractor stages, in the order they run. Each module holds one small stage named `STAGE`.

Order matters: dates and legal documents claim their spans first so that figures never read a
date or a document number as a quantity; officials run after agencies so positions can name them.
`check_order` verifies each stage's `requires` when the pipeline is assembled.
"""
from __future__ import annotations

from pipeline.analysis import Stage
from pipeline.extract import agencies, dates, figures, legal, officials, programs

EXTRACTORS: list[Stage] = [dates.STAGE, legal.STAGE, programs.STAGE, agencies.STAGE, officials.STAGE,
                           figures.STAGE]
