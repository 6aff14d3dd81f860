"""One extracted document (its JSON) as knowledge-base rows: evidence, before any merging.

Nothing here decides what is the same as what: each document entity keeps its per-document id,
its extraction key and its spans; `entity_id` columns stay empty until resolution.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import orjson

from pipeline.kb.text import canonical
from pipeline.keys import strip_canonical
from pipeline.normalize import OffsetMap
from pipeline.units import Units

KINDS = {"officials": "official", "agencies": "agency", "legal_documents": "legal_document", "programs": "program"}
QUOTE_CONTEXT = 60  # characters of context kept before and after a figure
_ISO_DAY = re.compile(r"^(\d{4}|XXXX)(?:-(\d\d))?(?:-(\d\d))?$")


def dumps_sorted(value: Any) -> str:
    """JSON with sorted keys: orjson (four times the standard library's speed on entity details,
    measured), the standard library for what orjson refuses (an integer beyond 64 bits)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(data: bytes | str) -> Any:
    """orjson's reading, the standard library's where orjson fails, so that a bad file fails
    with the standard library's own error (and its message) as before."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)


class NotADocument(ValueError):
    """A JSON file that is not an extraction output (a report, a schema, another tool's file)."""


@dataclass
class DocumentRows:
    doc_id: str
    facts_key: str
    source_path: str
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def offset_map(segments: list[list[int]]) -> OffsetMap:
    if not segments:
        return OffsetMap()
    ts, tl, rs, rl = (list(x) for x in zip(*segments))
    return OffsetMap(ts, tl, rs, rl)


def period_bounds(period: str | None) -> tuple[str | None, str | None]:
    """"2019/2024" -> ("2019-01-01", "2024-12-31"); "2024-06" -> ("2024-06-01", "2024-06-31")."""
    if not period:
        return None, None
    parts = period.split("/")
    lo, hi = parts[0], parts[-1]

    def bound(v: str, end: bool) -> str | None:
        m = _ISO_DAY.match(v)
        if not m or m.group(1) == "XXXX":
            return None
        y, mo, d = m.group(1), m.group(2), m.group(3)
        return f"{y}-{mo or ('12' if end else '01')}-{d or ('31' if end else '01')}"

    return bound(lo, False), (bound(hi, True) if hi != ".." else None)


def document_rows(doc: dict[str, Any], json_path: str, units: Units) -> DocumentRows:
    """The rows one extraction JSON adds to the knowledge base."""
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), str) or not isinstance(doc.get("text"), str) \
            or not isinstance(doc.get("source"), dict):
        raise NotADocument("not an extraction output (no id, source and text)")
    doc_id, text = doc["id"], doc["text"]
    src = doc["source"]
    published = doc.get("published")
    year = int(published[:4]) if published and published[:4].isdigit() else None
    omap = offset_map(doc.get("offset_map") or [])
    facts_key = f"{doc_id}|{doc.get('pipeline_version', '')}|{doc.get('data_digest', '')}"
    rows = DocumentRows(doc_id, facts_key, str(src.get("path", "")))
    t = rows.tables = {name: [] for name in ("documents", "document_paths", "document_texts", "sentences_fts",
                                             "doc_entities", "statements", "mentions", "positions", "outcomes")}
    t["documents"].append({
        "doc_id": doc_id, "path": src.get("path"), "title": doc.get("title"), "published": published, "year": year,
        "outlet": doc.get("outlet"), "report_place": doc.get("report_place"), "format": src.get("format"),
        "encoding": src.get("encoding"), "sha256": src.get("sha256"),
        "pipeline_version": doc.get("pipeline_version"), "data_digest": doc.get("data_digest"),
        "facts_key": facts_key, "sentences_from": None, "sentences_to": None})
    t["document_paths"].append({"doc_id": doc_id, "path": src.get("path"), "json_path": json_path,
                                "json_size": None, "json_mtime_ns": None})
    t["document_texts"].append({"doc_id": doc_id, "text": text,
                                "offset_map": json.dumps(doc.get("offset_map") or [])})
    for s in doc.get("sentences") or []:
        st = text[s["start"]:s["end"]]
        c = canonical(st)  # folded from its canonical form (kb.text.fold keys the text again)
        t["sentences_fts"].append({"text": st, "canonical": c, "folded": strip_canonical(c), "doc_id": doc_id,
                                   "start": s["start"], "end": s["end"]})

    def raw(start: int, end: int) -> tuple[int, int]:
        return omap.to_raw_span(start, end)

    agencies = {a.get("id"): a for a in doc.get("agencies") or []}
    for field_name, kind in KINDS.items():
        for n, ent in enumerate(doc.get(field_name) or [], 1):
            local = ent.get("id") or f"{kind}-{n}"
            de_id = f"{doc_id}/{local}"
            name, canon, place, level = _summary(kind, ent, agencies, doc)
            t["doc_entities"].append({
                "doc_entity_id": de_id, "doc_id": doc_id, "kind": kind, "local_id": local,
                "key": ent.get("key") or "", "name": name, "canonical": canon, "place": place, "level": level,
                "details": dumps_sorted({k: v for k, v in ent.items() if k != "mentions"}), "entity_id": None})
            for m in ent.get("mentions") or []:
                rs, re_ = raw(m["start"], m["end"])
                t["mentions"].append({"entity_id": None, "doc_id": doc_id, "start": m["start"], "end": m["end"],
                                      "text": text[m["start"]:m["end"]], "doc_entity_id": de_id, "kind": kind,
                                      "raw_start": rs, "raw_end": re_})
            t["statements"].extend(_statements(de_id, doc_id, kind, ent, text))
            if kind == "official":
                details = ent.get("position_details") or [{"text": p} for p in ent.get("positions") or []]
                for p in details:
                    org = agencies.get(p.get("agency_id"))
                    t["positions"].append({
                        "entity_id": None, "position": p.get("text"), "title": p.get("title"),
                        "organisation": p.get("organisation"),
                        "organisation_id": None,
                        "organisation_ref": f"{doc_id}/{p['agency_id']}" if p.get("agency_id") else None,
                        "place": p.get("place") or (org or {}).get("place"), "doc_id": doc_id, "as_of": published,
                        "rank": ent.get("rank"), "doc_entity_id": de_id})
    by_sentence: dict[int, list] = {}
    for f in doc.get("figures") or []:
        s0 = ((f.get("context") or {}).get("sentence") or {}).get("start")
        by_sentence.setdefault(s0, []).append(f.get("value"))
    for n, f in enumerate(doc.get("figures") or [], 1):
        ctx = f.get("context") or {}
        b = f.get("bounds") or {}
        sent = ctx.get("sentence") or {}
        s0, s1 = sent.get("start"), sent.get("end")
        period = ctx.get("period")
        p0, p1 = period_bounds(period)
        rs, re_ = raw(f["start"], f["end"])
        ref = lambda local: f"{doc_id}/{local}" if local else None  # noqa: E731
        agency = agencies.get(ctx.get("agency_id")) or {}
        t["outcomes"].append({
            "outcome_id": f"{doc_id}/figure-{n}", "doc_id": doc_id, "start": f["start"], "end": f["end"],
            "text": f.get("text"), "value": f.get("value"), "unit": f.get("unit"), "unit_key": units.key(f.get("unit")),
            "qualifier": f.get("qualifier"), "low": b.get("low", f.get("value")), "high": b.get("high", f.get("value")),
            "low_inclusive": int(b.get("low_inclusive", True)), "high_inclusive": int(b.get("high_inclusive", True)),
            "period": period, "period_start": p0, "period_end": p1,
            "year": int(p0[:4]) if p0 and p1 and p0[:4] == p1[:4] else year,
            "place": ctx.get("place") or agency.get("place") or doc.get("report_place"),
            "agency": ctx.get("agency"), "agency_id": None, "program_id": None, "legal_document_id": None,
            "agency_ref": ref(ctx.get("agency_id")), "program_ref": ref(ctx.get("program_id")),
            "legal_document_ref": ref(ctx.get("legal_document_id")),
            "subject": ctx.get("subject"), "recipient": ctx.get("recipient"),
            "sentence": text[s0:s1] if s0 is not None else None, "sentence_start": s0, "sentence_end": s1,
            "sentence_values": json.dumps(by_sentence.get(s0, [])),
            "quote_before": text[max(s0 if s0 is not None else 0, f["start"] - QUOTE_CONTEXT):f["start"]],
            "quote_after": text[f["end"]:min(s1 if s1 is not None else len(text), f["end"] + QUOTE_CONTEXT)],
            "raw_start": rs, "raw_end": re_, "published": published})
    return rows


def _summary(kind: str, ent: dict, agencies: dict, doc: dict) -> tuple[str, str, str | None, str | None]:
    """(name, canonical, place, level) of a document entity, for display and blocking."""
    if kind == "official":
        # the place of the official's posts: a provincial body's province; "central" for a national body
        posts = [agencies.get(p.get("agency_id")) or {} for p in ent.get("position_details") or []]
        places = [a.get("place") for a in posts if a.get("place")]
        levels = {a.get("level") for a in posts if a.get("level")}
        local = levels & {"province", "district", "commune"}
        level = "province" if "province" in local else (min(local) if local else ("central" if levels else None))
        return ent.get("name", ""), ent.get("name", ""), places[0] if places else None, level
    if kind == "agency":
        return ent.get("name", ""), ent.get("canonical") or ent.get("name", ""), ent.get("place"), ent.get("level")
    if kind == "legal_document":
        # name: type and number ("Chỉ thị 09"), canonical: with the symbol ("Chỉ thị 09/CT-TW")
        if ent.get("number"):
            name = f"{ent.get('type')} {ent['number']}"
            return name, f"{ent.get('type')} {ent.get('symbol') or ent['number']}", None, None
        written = f"{ent.get('type')} {ent.get('title') or ''}".strip()
        return written, written, None, None
    return ent.get("name", ""), f"{ent.get('kind', '')} {ent.get('name', '')}".strip(), None, None


_PROPS = {"official": ("rank",), "agency": ("canonical", "level", "place"),
          "legal_document": ("type", "number", "symbol", "date", "issuer", "title"), "program": ("kind",)}


def _statements(de_id: str, doc_id: str, kind: str, ent: dict, text: str) -> list[dict[str, Any]]:
    out = []

    def add(prop: str, value: Any, start: int | None = None, end: int | None = None) -> None:
        out.append({"doc_entity_id": de_id, "doc_id": doc_id,
                    "prop": prop, "value": str(value), "start": start, "end": end})

    for m in ent.get("mentions") or []:
        add("name", text[m["start"]:m["end"]], m["start"], m["end"])
    if kind in ("official", "agency", "program") and ent.get("name"):
        add("fullest_name", ent["name"])
    for prop in _PROPS[kind]:
        if ent.get(prop):
            add(prop, ent[prop])
    for p in ent.get("positions") or []:
        add("position", p)
    return out
