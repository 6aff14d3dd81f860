"""Names as researchers type them: with or without tone marks, in part, or slightly misspelt.

A query with tone marks is compared in one tone-mark convention ("Hoà" = "Hòa", never "Hà" =
"Hạ"); a query without any is compared with the tones folded ("tran quoc to" finds Trần Quốc Tỏ
and would find a Trần Quốc Tô too). A name matches when the query's words stand in it in order
("phu nu voi phap luat" in "Phụ nữ với pháp luật"), or, failing that, when the two differ by a
slip of the keyboard (rapidfuzz ratio of the toneless forms, `FUZZY`); a toned query whose letters
are the name's but whose tones are not names someone else.

`resolve` picks the entities a name means, best tier first (the whole name, then the words in
order, then a near spelling); when the best tier holds more than one distinct name it raises
`Ambiguous` with the candidates instead of guessing. Namesakes (one name, two people) are not
ambiguous: both are answered, each with their own id and place.

>>> text_matches("Trần Quốc Tỏ", "tran quoc to"), text_matches("Nguyễn Thị Hạ", "Nguyễn Thị Hà")
(True, False)
>>> text_matches("Hội Liên hiệp Phụ nữ tỉnh Hà Tĩnh", "phu nu tinh ha tinh")
True
>>> text_matches("Nghị định 45", "Nghị định 105"), text_matches("Nghị định 105", "nghi dinh 150")
(False, False)
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from pipeline.kb.text import canonical, fold, has_marks

FUZZY = 88  # rapidfuzz ratio of toneless names: one slip in a three-syllable name still meets it
_WORDS = re.compile(r"\w+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=65536)
def _words(s: str, toned: bool) -> str:
    return " ".join(_WORDS.findall(canonical(s) if toned else fold(s)))


def _contains(hay: str, needle: str) -> bool:
    return bool(needle) and f" {needle} " in f" {hay} "


def tier(value: str | None, query: str | None) -> int:
    """How well `value` answers `query`: 3 the whole name, 2 its words in order, 1 a near
    spelling, 0 not at all."""
    if not value or not query:
        return 0
    toned = has_marks(query)
    q, v = _words(query, toned), _words(value, toned)
    if not q:
        return 0
    if q == v:
        return 3
    if _contains(v, q):
        return 2
    qf, vf = _words(query, False), _words(value, False)
    if toned and qf == vf:
        return 0  # the same letters, other tones: another name (Hà is not Hạ), never a slip
    if _DIGITS.findall(qf) != _DIGITS.findall(vf):
        return 0  # another number is another text (Nghị định 105 is not Nghị định 45), never a slip
    if fuzz.ratio(qf, vf) >= FUZZY:
        return 1
    return 0


@lru_cache(maxsize=65536)
def text_matches(value: str | None, query: str | None) -> bool:
    return tier(value, query) > 0


@dataclass
class Candidate:
    entity_id: str
    kind: str
    name: str
    place: str | None
    documents: int

    def as_row(self) -> dict:
        return {"entity_id": self.entity_id, "kind": self.kind, "name": self.name, "place": self.place,
                "documents": self.documents}


class NotFound(LookupError):
    def __init__(self, kind: str, query: str):
        super().__init__(f"no {kind.replace('_', ' ')} matches {query!r}")


class Ambiguous(LookupError):
    def __init__(self, kind: str, query: str, candidates: list[Candidate]):
        self.candidates = candidates
        super().__init__(f"{query!r} matches {len(candidates)} {kind.replace('_', ' ')} entities with different "
                         f"names: give a fuller name or one of the entity ids listed")


def resolve(conn: sqlite3.Connection, kind: str, query: str, place_ok=None) -> list[str]:
    """The entity ids `query` names among entities of `kind`. An entity id is taken as it is.
    `place_ok(entity_place, entity_name)`, when given, narrows the candidates (only when some pass)."""
    rows = conn.execute("SELECT entity_id, kind, name, canonical, place, documents FROM entities WHERE kind = ?",
                        [kind]).fetchall()
    if any(r[0] == query for r in rows):
        return [query]
    best: dict[int, list[Candidate]] = {}
    for eid, k, name, canon, place, docs in rows:
        t = max(tier(name, query), tier(canon, query))
        if t:
            best.setdefault(t, []).append(Candidate(eid, k, name, place, docs or 0))
    if not best:
        raise NotFound(kind, query)
    found = best[max(best)]
    if place_ok is not None:  # the best tier with a candidate in the place asked about
        for t in sorted(best, reverse=True):
            narrowed = [c for c in best[t] if place_ok(c.place, c.name)]
            if narrowed:
                found = narrowed
                break
    names = {canonical(c.name) for c in found}
    if len(names) > 1:
        raise Ambiguous(kind, query, sorted(found, key=lambda c: (-c.documents, c.name, c.entity_id)))
    return sorted(c.entity_id for c in found)
