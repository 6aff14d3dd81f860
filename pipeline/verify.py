"""Checking every statistic of a draft against the knowledge base, with the source for each verdict.

A claim is a figure the pipeline finds in the draft (the same figure grammar as extraction: digits
with Vietnamese separators, magnitude words, spelled numbers, hedges), with what its sentence
ties it to: unit, place, period, agency, programme, recipient. Context the sentence leaves out
comes from the sentences before it in the same paragraph ("Tại Lai Châu, … . Trong năm 2023, …").

A source is an outcome of the knowledge base that states a quantity of the same thing: the same
unit (units.same: "nguồn tin" = "nguồn tin có giá trị", "vụ" is not "đối tượng"), and a slot that
does not conflict (place, period, agency, programme, recipient). How well the slot agrees is
scored; the draft sentence's likeness to the source sentence counts too. Then:

- supported: a source in the slot whose value the claim's wording covers ("hơn 110 nghìn" covers
  110.500; "2,4%" covers 2,35-2,45; "khoảng 110.000" covers 110 nghìn);
- contradicted: sources firmly in the slot (place and period agree, or the sentence is the same
  statement) whose values the wording cannot cover, and none that it covers;
- not_found: no source states that quantity of that thing. The same number said of another
  province, period or unit is not support.

Dates, years, document numbers, ordinals and ages are not claims (the figure grammar leaves them out).
"""
from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from pipeline.assembly import Pipeline
from pipeline.gazetteers import district_homes
from pipeline.kb.load import period_bounds
from pipeline.kb.text import fold
from pipeline.matching import alternation
from pipeline.units import units as units_of

SUPPORT_SCORE = 2     # slot agreement a source needs to support a claim
OPEN_REACH = 0.2      # a claim "hơn v" supports a source up to 20% above v (or two steps of its last digit)
SOURCE_REACH = 0.1    # a source "hơn v" is read as at most 10% above v ("khoảng 86 nghìn" covers "hơn 86.000")
CONTRADICT_SCORE = 3  # ... and to contradict one (a false accusation costs an editor more than a miss)
_DIGITS = re.compile(r"[\d.,]+")
_TOTAL_WORDS = re.compile(r"(?:tổng cộng|tổng số|tổng|cả thảy|tất cả)\s*(?:là|có|gồm|đạt)?\s*$", re.IGNORECASE)


@dataclass
class Claim:
    text: str
    start: int
    end: int
    value: float
    unit: str | None
    qualifier: str | None
    low: float | None
    high: float | None
    low_inclusive: bool
    high_inclusive: bool
    place: str | None
    period: str | None
    agency: str | None
    agency_key: str | None
    program: str | None
    recipient: str | None
    sentence: str
    context_from: list[str] = field(default_factory=list)  # what came from neighbouring sentences
    siblings: list[float] = field(default_factory=list)    # values of the other figures in its sentence


def _whole(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def _rounding(text: str, value: float, magnitudes: dict[str, float] | None = None) -> float:
    """Half the step of the last digit written: "2,4%" -> 0.05; "120 nghìn" -> 500; "35" -> 0.5;
    a number written in pieces by its last piece: "1 tỷ 245 triệu" -> 500.000 (`magnitudes`: the
    magnitude words of gazetteers/magnitudes.tsv)."""
    groups = list(_DIGITS.finditer(text))
    groups = [g for g in groups if g.group().strip(".,")]
    if not groups:
        return 0.0
    m = groups[0]
    words_after = text[m.end():].split()
    mixed = len(groups) > 1 and magnitudes and words_after and fold(words_after[0]) in magnitudes
    if mixed:
        m = groups[-1]
    digits = m.group().strip(".,")
    whole, _, frac = digits.replace(".", "").partition(",")
    written = float(f"{whole or 0}.{frac}") if frac else float(whole or 0)
    if written == 0:
        return 0.0
    if mixed:
        after = text[m.end():].split()
        scale = magnitudes.get(fold(after[0]), 1.0) if after else 1.0
    else:
        scale = value / written  # the magnitude word ("nghìn") multiplies the written number
    return 0.5 * (10 ** -len(frac)) * scale


def claim_bounds(f: Any, magnitudes: dict[str, float] | None = None) -> tuple[float | None, float | None, bool, bool]:
    """The values the claim's wording allows: its hedge or range (the figure's bounds), or, for a
    figure written without one, the rounding of the digits written: "2,4%" is 2,35 up to (not
    including) 2,45, "120 nghìn" 119.500 up to 120.500, "35" only 35."""
    b = f.bounds
    if b is not None and not (b.low == b.high == f.value):
        return b.low, b.high, b.low_inclusive, b.high_inclusive
    r = _rounding(f.text, f.value, magnitudes)
    return f.value - r, f.value + r, True, r == 0


def reach(text: str, value: float, low: float, magnitudes: dict[str, float] | None = None,
          share: float = OPEN_REACH) -> float:
    """How far above its number an open-ended figure ("hơn 1,2 tỷ", "trên 95%") may be taken to
    mean: "hơn 110 nghìn" is said of 110.500, not of 28 tỷ. The larger of `share` above the
    number and two steps of its last written digit."""
    step = 4 * _rounding(text, value, magnitudes)  # _rounding is half a step
    return max(low * (1 + share), low + step)


def covers(c: Claim, value: float, low: float | None = None, high: float | None = None,
           low_inclusive: bool = True, high_inclusive: bool = True, far: float | None = None) -> bool:
    """Does the claim's wording cover every value the source allows? The source's interval (its
    value, or its hedge: "gần 21.000" is [19.950, 21.000)) must lie inside the claim's, ends and
    their inclusion compared; an open-ended source ("hơn 86.000") is read up to its `reach`, or
    covered by a claim open the same way from no higher a number. An open-ended claim supports only
    a source near its number (`far`, the claim's `reach`)."""
    s_lo = value if low is None else low
    s_hi = value if (low is None and high is None) else high
    if low is None and high is None:
        low_inclusive = high_inclusive = True
    if s_lo is None:
        return False  # a source open below ("dưới 5%") is confirmed by no wording
    if c.low is not None:
        if s_lo < c.low and not math.isclose(s_lo, c.low):
            return False
        if math.isclose(s_lo, c.low) and low_inclusive and not c.low_inclusive:
            return False
    if c.high is not None:
        if s_hi is None:
            return False
        if s_hi > c.high and not math.isclose(s_hi, c.high):
            return False
        if math.isclose(s_hi, c.high) and high_inclusive and not c.high_inclusive:
            return False
    return far is None or s_lo <= far


def disjoint(c: Claim, value: float, low: float | None, high: float | None) -> bool:
    """Can no value the claim allows be one the source allows?"""
    s_lo = value if low is None else low
    s_hi = high  # None: unbounded
    if c.high is not None and s_lo is not None and (s_lo > c.high or (s_lo == c.high and not c.high_inclusive)):
        return True
    if c.low is not None and s_hi is not None and (s_hi < c.low or (s_hi == c.low and not c.low_inclusive)):
        return True
    return False


# --- claims of a draft -------------------------------------------------------------------------

class Verifier:
    def __init__(self, db_path: Path, pipeline: Pipeline | None = None):
        self.db_path = Path(db_path)
        self.db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        self.db.row_factory = sqlite3.Row
        self.pipeline = (pipeline or Pipeline()).subset(["figures", "report_place"])
        self.units = units_of(self.pipeline.gazetteers)
        names = [r["name"] for r in self.pipeline.gazetteers.tsv("places.tsv")]
        self.places = {fold(n) for n in names}
        # a province named anywhere in a sentence ("tỷ lệ hộ nghèo của Lai Châu"), as written
        self.place_re = re.compile(rf"(?<!\w)(?:{alternation(names)})(?!\w)")
        # a district's provinces (gazetteers/districts.tsv): "Kỳ Anh" lies in Hà Tĩnh
        self.district_provinces = {k: {fold(p) for p in homes}
                                   for k, homes in district_homes(self.pipeline.gazetteers, fold).items()}
        self.magnitudes = {fold(r["word"]): float(r["value"]) for r in self.pipeline.gazetteers.tsv("magnitudes.tsv")}
        self.function_words = frozenset(fold(w) for w in self.pipeline.gazetteers.list("function_words.txt"))
        self._slots: dict[tuple, tuple[int, list[str]] | None] = {}
        self._groups: dict[str | None, list[list[sqlite3.Row]]] = {}

    def claims(self, doc) -> list[Claim]:
        text = doc.text
        agencies = {a.id: a for a in doc.agencies}
        programs = {p.id: p for p in doc.programs}
        # paragraph (zone line) context carried from sentence to sentence
        zone_of = {}
        for zi, z in enumerate(doc.zones):
            zone_of[z.start] = zi
        carried: dict[int, dict[str, str]] = {}
        place_by_sentence: dict[int, str | None] = {}
        period_by_sentence: dict[int, str | None] = {}
        for s in doc.sentences:
            zi = max((z_i for z_start, z_i in zone_of.items() if z_start <= s.start), default=0)
            state = carried.setdefault(zi, {})
            own_place = self._sentence_place(doc, s, agencies)
            own_period = next((d.value for d in doc.dates if s.start <= d.start < s.end), None)
            place_by_sentence[s.start] = own_place or state.get("place")
            period_by_sentence[s.start] = own_period or state.get("period")
            if own_place:
                state["place"] = own_place
            if own_period:
                # a period carries on to the next sentences; the day of one event ("Đến ngày 15/8/2024")
                # does not, nor is an earlier period carried past it
                if _is_day(own_period):
                    state.pop("period", None)
                else:
                    state["period"] = own_period
        places_named = {fold(x) for x in place_by_sentence.values() if x}
        only_place = doc.report_place if len(places_named) == 1 and doc.report_place else None
        out = []
        for f in doc.figures:
            ctx = f.context
            if ctx is None:
                continue
            s0, s1 = ctx.sentence.start, ctx.sentence.end
            ag = agencies.get(ctx.agency_id) if ctx.agency_id else None
            pr = programs.get(ctx.program_id) if ctx.program_id else None
            place = self.known_place(ctx.place) or self._written_place(ag, s0, s1)
            period = ctx.period
            inherited = []
            if not place:
                place = place_by_sentence.get(s0) or (self.known_place(ag.place) if ag else None) or only_place
                if place:
                    inherited.append("place")
            if not period:
                period = period_by_sentence.get(s0)
                if period:
                    inherited.append("period")
            lo, hi, li, hi_inc = claim_bounds(f, self.magnitudes)
            siblings = [g.value for g in doc.figures if g is not f and g.context and g.context.sentence.start == s0]
            out.append(Claim(f.text, f.start, f.end, f.value, f.unit, f.qualifier, lo, hi, li, hi_inc, place, period,
                             ctx.agency, ag.key if ag else None, pr.name if pr else None, ctx.recipient,
                             text[s0:s1], inherited, siblings))
        return out

    def known_place(self, place: str | None) -> str | None:
        """A province or district of the gazetteers, as written; None for anything else a context
        took for a place ("Trường THPT Nguyễn Trãi")."""
        if place and (fold(place) in self.places or fold(place) in self.district_provinces):
            return place
        return None

    def _written_place(self, ag, s0: int, s1: int) -> str | None:
        """An agency's place when the draft writes it in the agency's name in this sentence ("Sở Y tế
        Nghệ An"), not when it was filled in from the draft's main province ("Sở Tài chính")."""
        if not ag or not self.known_place(ag.place):
            return None
        for m in ag.mentions:
            if s0 <= m.start < s1 and fold(ag.place) in fold(m.text):
                return ag.place
        return None

    def place_relation(self, a: str, b: str) -> str | None:
        """"same", "within" (a district and its province, either way round), or None (another place).
        Names no gazetteer knows compare as written."""
        fa, fb = fold(a), fold(b)
        if fa == fb or (fa not in self.places and fa not in self.district_provinces) \
                and (fa in fb or fb in fa):
            return "same"
        if fb in self.district_provinces.get(fa, ()) and fa not in self.places \
                or fa in self.district_provinces.get(fb, ()) and fb not in self.places:
            return "within"
        return None

    def _sentence_place(self, doc, s, agencies) -> str | None:
        for f in doc.figures:
            if s.start <= f.start < s.end and f.context and self.known_place(f.context.place):
                return f.context.place
        for a in doc.agencies:
            if self.known_place(a.place) and any(s.start <= m.start < s.end and fold(a.place) in fold(m.text)
                                                 for m in a.mentions):
                return a.place
        m = self.place_re.search(doc.text, s.start, s.end)
        return m.group() if m else None

    # --- sources --------------------------------------------------------------------------
    def candidates(self, c: Claim) -> list[list[sqlite3.Row]]:
        """Outcomes whose unit counts the same thing (an index look-up by unit key and its prefixes),
        grouped by what a verdict reads of them: one sentence stated in many reports is one group."""
        if c.unit in self._groups:
            return self._groups[c.unit]
        key = self.units.key(c.unit)
        groups: list[list[sqlite3.Row]] = []
        if key:
            words = key.split()
            shorter = [" ".join(words[:n]) for n in range(1, len(words))]
            # one row per distinct statement, with its first outcome and how many state it
            rows = self.db.execute(
                f"SELECT {_GROUP_COLUMNS}, min(o.outcome_id) AS outcome_id, min(o.text) AS text, count(*) AS n, "
                f"group_concat(o.outcome_id, ' ') AS ids "
                f"FROM outcomes o "
                f"WHERE o.unit_key = ? OR (o.unit_key > ? AND o.unit_key < ?) "
                f"{'OR o.unit_key IN (' + ','.join('?' * len(shorter)) + ')' if shorter else ''} "
                f"GROUP BY {_GROUP_COLUMNS} ORDER BY outcome_id",
                [key, key + " ", key + " \uffff", *shorter]).fetchall()
            same: dict[str, bool] = {}
            for r in rows:
                u = r["unit"]
                if u not in same:
                    same[u] = self.units.same(c.unit, u)
                if same[u]:
                    groups.append([r])
        self._groups[c.unit] = groups
        return groups

    def slot(self, c: Claim, r: sqlite3.Row) -> tuple[int, list[str]] | None:
        """How well a source's slot agrees with the claim's (None: it is another slot). The same
        sentence stated in many reports is scored once."""
        ck = (c.place, c.period, c.recipient, c.agency, c.program, c.sentence, tuple(c.siblings), c.value)
        key = (ck, _row_key(r))
        if key not in self._slots:
            self._slots[key] = self._slot(c, r)
        return self._slots[key]

    def _slot(self, c: Claim, r: sqlite3.Row) -> tuple[int, list[str]] | None:
        score, why = 0, []
        r_place = self.known_place(r["place"])
        if c.place and r_place:
            rel = self.place_relation(c.place, r_place)
            if rel is None:
                return None
            score, why = score + (2 if rel == "same" else 1), why + [f"place {r_place}"]
        elif c.place and not r_place:
            score -= 1
        if c.period and r["period"]:
            rel = _period_relation(c.period, r["period"])
            if rel == "disjoint":
                return None
            if rel == "same":
                score, why = score + 2, why + [f"period {r['period']}"]
            elif rel == "overlap":
                score, why = score + 1, why + [f"period {r['period']}"]
        if c.recipient and r["recipient"]:
            if fuzz.token_set_ratio(fold(c.recipient), fold(r["recipient"])) >= 80:
                score, why = score + 1, why + [f"given to {r['recipient']}"]
        if c.agency and r["agency"]:
            a, b = fold(c.agency), fold(r["agency"])
            if fuzz.token_set_ratio(a, b) >= 90:
                score, why = score + 1, why + [f"by {r['agency']}"]
        if c.program and r["subject"]:
            if fuzz.token_set_ratio(fold(c.program), fold(r["subject"])) >= 85:
                score, why = score + 2, why + [f"under {r['subject']}"]
        shared = _shared_values(c.siblings, r["sentence_values"], r["value"])
        if shared:
            score, why = score + min(2, shared), why + [f"{shared} other figure{'s' if shared > 1 else ''} of the "
                                                          f"sentence stated there too"]
        sim = _sentence_likeness(c.sentence, r["sentence"] or "", self.function_words)
        if sim >= 0.6:
            score, why = score + 2, why + ["the same statement"]
        elif sim >= 0.4:
            score, why = score + 1, why + ["a like sentence"]
        return score, why

    def judge(self, c: Claim) -> dict[str, Any]:
        in_slot = []  # (score, reasons, rows stating it)
        for rows in self.candidates(c):
            s = self.slot(c, rows[0])
            if s is not None:
                in_slot.append((s[0], s[1], rows))
        in_slot.sort(key=lambda x: (-x[0], x[2][0]["outcome_id"]))
        far = reach(c.text, c.value, c.low, self.magnitudes) if c.high is None and c.low is not None else None
        supporting = [x for x in in_slot if x[0] >= SUPPORT_SCORE and covers(c, *self.interval(x[2][0]), far=far)]
        # firm: enough agreement, and no place missing where the claim names one (a total with no
        # place, national or of another scope, does not contradict a province's figure)
        firm = [x for x in in_slot if x[0] >= CONTRADICT_SCORE and (not c.place or self.known_place(x[2][0]["place"]))
                and not _is_whole_of(c, x[2][0]["value"])]
        against = [x for x in firm if disjoint(c, x[2][0]["value"], _lo(x[2][0]), _hi(x[2][0]))]
        slots = sorted({_slot_label(x[2][0]) for x in in_slot if x[0] >= SUPPORT_SCORE})
        result: dict[str, Any] = {"slots_considered": slots}
        if supporting:
            best = supporting[0]
            result.update(verdict="supported", sources=_sources_of(self.db, supporting),
                          reason=f"source says {_fmt(best[2][0])} ({', '.join(best[1])}); '{c.text}' covers it")
            disagree = [x for x in against if _slot_label(x[2][0]) == _slot_label(best[2][0])]
            if disagree:
                result["sources_disagree"] = _sources_of(self.db, disagree)
        elif against and len(against) == len(firm):
            best = against[0]
            result.update(verdict="contradicted", sources=_sources_of(self.db, against),
                          reason=f"source says {_fmt(best[2][0])} ({', '.join(best[1])}); '{c.text}' cannot cover it")
            same = [x for x in against if _slot_label(x[2][0]) == _slot_label(best[2][0])]
            if len({x[2][0]["value"] for x in same}) > 1:  # one slot, several values
                result["sources_disagree"] = _sources_of(self.db, same)
        else:
            near = [x for x in in_slot if x[0] >= SUPPORT_SCORE]
            why = "no source states that quantity of that thing"
            if near:
                why = f"sources of that thing say {', '.join(sorted({_fmt(x[2][0]) for x in near[:3]}))}, but not " \
                      f"firmly for the same place and period"
            result.update(verdict="not_found", sources=[], reason=why)
        return result

    def interval(self, r: sqlite3.Row) -> tuple:
        """A source row's value and the interval its wording allows, for `covers`: an open-ended
        source ("hơn 86.000") up to its `reach` (a claim open the same way compares only the lows)."""
        low, high, hi_inc = r["low"], r["high"], r["high_inclusive"] != 0
        if low is not None and high is None:
            high, hi_inc = reach(r["text"], r["value"], low, self.magnitudes, SOURCE_REACH), True
        return r["value"], low, high, r["low_inclusive"] != 0, hi_inc

    def verify_document(self, doc) -> dict[str, Any]:
        claims = self.claims(doc)
        out = []
        for c in claims:
            j = self.judge(c)
            row = {"text": c.text, "start": c.start, "end": c.end, "value": _whole(c.value), "unit": c.unit,
                   "qualifier": c.qualifier, "bounds": {"low": c.low, "high": c.high, "low_inclusive": c.low_inclusive,
                                                        "high_inclusive": c.high_inclusive},
                   "context": {"place": c.place, "period": c.period, "agency": c.agency, "program": c.program,
                               "recipient": c.recipient, "from_neighbouring_sentences": c.context_from},
                   **j}
            out.append(row)
        sums = internal_sums(doc)
        for s in sums:
            for row in out:
                if row["start"] == s["total_start"]:
                    row["internal_sum"] = {k: v for k, v in s.items() if k != "total_start"}
        return {"draft": str(doc.source.path), "text": doc.text, "claims": out}

    def verify_text(self, text: str, metadata: dict | None = None, path: str = "<draft>") -> dict[str, Any]:
        return self.verify_document(self.pipeline.run_text(text, metadata, path=path))

    def verify_file(self, path: Path) -> dict[str, Any]:
        return self.verify_document(self.pipeline.run_file(path))


def _is_day(period: str | None) -> bool:
    """"2024-08-15", "XXXX-07-20": one day, not a period."""
    return bool(period) and re.fullmatch(r"[\dX]{4}-\d\d-\d\d", period) is not None


_FRACTION = re.compile(r"(\d[\d.]*)\s*/\s*(\d[\d.]*)")


def _is_whole_of(c: Claim, value: float) -> bool:
    """Is the source's value the whole the claim is a part of? "8/13 huyện" is 8 of Hà Tĩnh's 13
    districts: a source's "13 huyện" counts the whole, not the same thing."""
    m = _FRACTION.search(c.text)
    return bool(m) and math.isclose(float(m.group(2).replace(".", "")), value)


def _shared_values(siblings: list[float], sentence_values: str | None, own: float) -> int:
    """How many of the draft sentence's other numbers the source sentence also states."""
    if not siblings or not sentence_values:
        return 0
    there = json.loads(sentence_values)
    if own in there:
        there.remove(own)
    n = 0
    for v in siblings:
        hit = next((x for x in there if x is not None and math.isclose(v, x)), None)
        if hit is not None:
            n += 1
            there.remove(hit)
    return n


_GROUP_COLUMNS = ("o.place, o.period, o.recipient, o.agency, o.subject, o.sentence, o.sentence_values, o.value, "
                  "o.low, o.high, o.low_inclusive, o.high_inclusive, o.unit")
_SOURCE_COLUMNS = ("o.outcome_id, o.doc_id, o.start, o.end, o.text, o.value, o.place, o.period, o.sentence, d.path, "
                   "d.published AS doc_published")


def _row_key(r: sqlite3.Row) -> tuple:
    """What a verdict reads of a source row (everything but where it stands)."""
    return (r["place"], r["period"], r["recipient"], r["agency"], r["subject"], r["sentence"], r["sentence_values"],
            r["value"], r["low"], r["high"])


def _sources_of(db: sqlite3.Connection, groups: list[tuple[int, list[str], list[sqlite3.Row]]],
                n: int = 3) -> list[dict[str, Any]]:
    """Up to n cited sources: the first outcome of each group, then further outcomes stating the
    same (different statements before repeats)."""
    ids = [g[2][0]["outcome_id"] for g in groups[:n]]
    for g in groups:
        if len(ids) >= n:
            break
        ids += [i for i in sorted(g[2][0]["ids"].split(" "))[:n] if i not in ids][:n - len(ids)]
    rows = [db.execute(f"SELECT {_SOURCE_COLUMNS} FROM outcomes o JOIN documents d USING (doc_id) "
                       f"WHERE o.outcome_id = ?", [i]).fetchone() for i in ids[:n]]
    return [_source(r) for r in rows]


def _lo(r) -> float | None:
    return r["low"]


def _hi(r) -> float | None:
    return r["high"]


def _fmt(r) -> str:
    return f"{r['text']}" + (f" for {r['place']}" if r["place"] else "") + (f" in {r['period']}" if r["period"] else "")


def _slot_label(r) -> str:
    return " / ".join(str(x) for x in (r["place"], r["period"], r["subject"]) if x) or "(no slot)"


def _source(r) -> dict[str, Any]:
    return {"doc_id": r["doc_id"], "path": r["path"], "published": r["doc_published"], "start": r["start"],
            "end": r["end"], "text": r["text"], "sentence": r["sentence"], "value": _whole(r["value"]),
            "place": r["place"], "period": r["period"], "outcome_id": r["outcome_id"]}


def _period_relation(a: str, b: str) -> str:
    a0, a1 = period_bounds(a)
    b0, b1 = period_bounds(b)
    if not a0 or not b0:
        # year-less dates: compare month and day
        return "same" if a == b or a[4:] == b[4:] else "unknown"
    a1, b1 = a1 or "9999-12-31", b1 or "9999-12-31"
    if a0 == b0 and a1 == b1:
        return "same"
    if a1 < b0 or b1 < a0:
        return "disjoint"
    return "overlap"


_NUMBERISH = re.compile(r"\d[\d.,/%-]*")
_SYLLABLE = re.compile(r"\w+")


def _content(s: str, function_words: frozenset[str]) -> set[str]:
    return {w for w in _SYLLABLE.findall(fold(_NUMBERISH.sub(" ", s))) if w not in function_words and not w.isdigit()}


def _sentence_likeness(a: str, b: str, function_words: frozenset[str] = frozenset()) -> float:
    """Share of the draft sentence's content syllables (numbers and function words aside, tones
    folded) that the source sentence also has: a paraphrase of a longer report sentence scores high."""
    ca, cb = _content(a, function_words), _content(b, function_words)
    return len(ca & cb) / len(ca) if ca else 0.0


def internal_sums(doc) -> list[dict[str, Any]]:
    """"31 tập thể và 35 cá nhân, tổng cộng 66": a total written after its parts, checked."""
    out = []
    by_sentence: dict[int, list] = {}
    for f in doc.figures:
        if f.context is not None:
            by_sentence.setdefault(f.context.sentence.start, []).append(f)
    for figs in by_sentence.values():
        figs.sort(key=lambda f: f.start)
        for i, f in enumerate(figs):
            before = doc.text[max(figs[i - 1].end if i else f.start - 30, f.start - 30):f.start]
            if i >= 2 and _TOTAL_WORDS.search(before):
                parts = figs[:i]
                total = sum(p.value for p in parts)
                out.append({"parts": [p.text for p in parts], "sum_of_parts": _whole(total), "total": _whole(f.value),
                            "adds_up": math.isclose(total, f.value), "total_start": f.start})
    return out
