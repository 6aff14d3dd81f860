"""Extractor stages, one module each: dates, legal, programs, agencies, officials, figures.

Their run order and the checks on it live in `pipeline.assembly` (STAGES, check_order).
"""
