"""Contract checks on an extracted document: the fields are there and every offset points at
what it claims. Used by `validate`, the tests and CI.
"""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

import math

from pipeline.keys import match_key
# FIGURE_VALUE_LIMIT: the largest figure value an output may hold (pipeline/model.py). Real figures
# stay far below it (a national budget is about 2 * 10^15 đồng); it fits a signed 64-bit integer,
# so the knowledge base's SQLite INTEGER column and other readers hold every value exactly.
from pipeline.model import FIGURE_VALUE_LIMIT, Document


def check_document(doc: Document) -> list[str]:
    problems: list[str] = []
    n = len(doc.text)

    def span_ok(where: str, s: int, e: int) -> bool:
        if not 0 <= s <= e <= n:
            problems.append(f"{where}: span {s}-{e} outside text of length {n}")
            return False
        return True

    for i, z in enumerate(doc.zones):
        span_ok(f"zones[{i}]", z.start, z.end)
    for i, s in enumerate(doc.sentences):
        if span_ok(f"sentences[{i}]", s.start, s.end) and not doc.text[s.start:s.end].strip():
            problems.append(f"sentences[{i}]: empty sentence")
    for kind in ("dates", "figures"):
        for i, m in enumerate(getattr(doc, kind)):
            if span_ok(f"{kind}[{i}]", m.start, m.end) and doc.text[m.start:m.end] != m.text:
                problems.append(f"{kind}[{i}]: text[{m.start}:{m.end}] is {doc.text[m.start:m.end]!r}, not {m.text!r}")
    for i, f in enumerate(doc.figures):
        if not (math.isfinite(f.value) and abs(f.value) <= FIGURE_VALUE_LIMIT):
            problems.append(f"figures[{i}]: value {f.value!r} outside ±10^18")
    for i, o in enumerate(doc.officials):
        for j, m in enumerate(o.mentions):
            if span_ok(f"officials[{i}].mentions[{j}]", m.start, m.end):
                if match_key(doc.text[m.start:m.end]) != match_key(o.name):
                    problems.append(f"officials[{i}].mentions[{j}]: {doc.text[m.start:m.end]!r} is not {o.name!r}")
    for kind in ("agencies", "legal_documents", "programs"):
        for i, ent in enumerate(getattr(doc, kind)):
            for j, m in enumerate(ent.mentions):
                if span_ok(f"{kind}[{i}].mentions[{j}]", m.start, m.end) and m.end == m.start:
                    problems.append(f"{kind}[{i}].mentions[{j}]: empty mention")
    problems += check_references(doc)
    covered = [(z.start, z.end) for z in doc.zones]
    if any(b[0] < a[1] for a, b in zip(covered, covered[1:])):
        problems.append("zones overlap or are out of order")
    return problems


def check_references(doc: Document) -> list[str]:
    """Every id is unique in its document and every reference points at an entity of the document;
    every mention's `text` is the text at its span; figure bounds hold the figure's value."""
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for kind in ("officials", "agencies", "legal_documents", "programs"):
        seen = ids.setdefault(kind, set())
        for i, ent in enumerate(getattr(doc, kind)):
            if ent.id and ent.id in seen:
                problems.append(f"{kind}[{i}]: id {ent.id!r} used twice")
            seen.add(ent.id)
            for j, m in enumerate(ent.mentions):
                if m.text and doc.text[m.start:m.end] != m.text:
                    problems.append(f"{kind}[{i}].mentions[{j}]: text {m.text!r} is not text[{m.start}:{m.end}]")

    def ref(where: str, value: str | None, kind: str) -> None:
        if value is not None and value not in ids[kind]:
            problems.append(f"{where}: {value!r} is no entity of {kind} in this document")

    for i, o in enumerate(doc.officials):
        if o.position_details and [p.text for p in o.position_details] != o.positions:
            problems.append(f"officials[{i}]: position_details do not follow positions one for one")
        for j, p in enumerate(o.position_details):
            ref(f"officials[{i}].position_details[{j}].agency_id", p.agency_id, "agencies")
    for i, pr in enumerate(doc.programs):
        ref(f"programs[{i}].legal_document_id", pr.legal_document_id, "legal_documents")
    for i, f in enumerate(doc.figures):
        if f.context is not None:
            ref(f"figures[{i}].context.agency_id", f.context.agency_id, "agencies")
            ref(f"figures[{i}].context.program_id", f.context.program_id, "programs")
            ref(f"figures[{i}].context.legal_document_id", f.context.legal_document_id, "legal_documents")
        b = f.bounds
        # the written value lies in the closure of its bounds ("gần 80%": [76, 80) closes on 80)
        if b is not None and not ((b.low is None or b.low <= f.value) and (b.high is None or f.value <= b.high)):
            problems.append(f"figures[{i}]: bounds {b.low}-{b.high} do not reach the value {f.value}")
    return problems


def is_json_schema(data: object) -> bool:
    """What `python -m pipeline schema --out` writes (not a document: validate passes over it)."""
    return isinstance(data, dict) and "properties" in data and "$defs" in data and "text" not in data


def check_file(path: Path) -> list[str]:
    if path.name.startswith("_"):
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if is_json_schema(data):
            return []
        doc = Document.model_validate(data)
    except (OSError, ValueError) as err:
        return [f"not a document JSON: {str(err).splitlines()[0]}"]
    except ValidationError as err:  # pragma: no cover - ValidationError is a ValueError
        return [f"schema: {err.errors()[0]}"]
    return check_document(doc)
