"""Figures: every count or measure in the report, as Vietnamese writes numbers, with its context.

`.` groups thousands and `,` is the decimal mark; magnitude words multiply ("110 nghìn" = 110000);
hedges are kept as written; a figure needs a counted noun after it, which is its `unit`:

>>> [(f.value, f.unit, f.qualifier) for f in parse_sentence("tổ chức trên 2.000 buổi tuyên truyền thu hút 90.725 lượt người")]
[(2000, 'buổi tuyên truyền', 'trên'), (90725, 'lượt người', None)]

Not figures: dates and document numbers (claimed by the dates stage), numbers inside names
("Dự án 8", "5 không 3 sạch"), durations and ages, photo numbers, page furniture. Runs last, so
it also reads a.programs / a.legal_documents / a.agencies to fill `context` when they exist.
Language data: gazetteers/number_words.tsv, magnitudes.tsv, hedges.tsv, figure_words.yaml,
figure_context.yaml, currencies.txt, time_units.txt, not_figure_before.txt, not_unit_words.txt.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.analysis import Analysis, Stage
from pipeline.gazetteers import load_list, load_tsv, load_yaml
from pipeline.keys import match_key
from pipeline.model import Figure, FigureContext, Span

READABLE = ("title", "body", "caption")
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# a whole number: not glued to letters, other digits or a separator-plus-digit ("A5", "68/2016")
# ... except after "unit/": "11.484 vụ/17.663 đối tượng" is two figures
NUM_RE = re.compile(rf"(?:(?<![\w.,/-])|(?<=[^\W\d_]/))(?:{NUMBER})(?![\w]|[.,]\d)")
_NOT_HEAD_POS = {"E", "C", "CC", "P", "R", "L", "T", "CH", "A", "X", "I"}
_NOUN_POS = {"N", "Nc", "Np", "Ny", "Nu", "Nb"}
_QUOTES = "“”\"«»"


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    magnitudes: dict[str, int]
    number_words: dict[str, int]
    hedges_before: tuple[str, ...]
    hedges_after: tuple[str, ...]
    currencies: frozenset[str]
    time_units: frozenset[str]
    not_before: frozenset[str]
    not_unit: frozenset[str]
    counted: frozenset[str]
    classifiers: frozenset[str]
    numeral_only: frozenset[str]  # "năm": five only when tagged as a numeral
    total_markers: tuple[tuple[str, ...], ...]
    not_count_after: frozenset[str]
    hedge_before_re: re.Pattern[str]
    after_re: re.Pattern[str]
    vague_re: re.Pattern[str]
    spelled_re: re.Pattern[str]
    measured_re: re.Pattern[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    mags = {match_key(r["word"]): int(r["value"]) for r in load_tsv("magnitudes.tsv")}
    rows = load_tsv("number_words.tsv")
    words = {match_key(r["word"]): int(r["value"]) for r in rows}
    role = {match_key(r["word"]): r["role"] for r in rows}
    fw = load_yaml("figure_words.yaml")
    frm = _alt(fw["from_words"])
    hedges = load_tsv("hedges.tsv")
    before = tuple(r["hedge"] for r in hedges if r["position"] == "before")
    after = tuple(r["hedge"] for r in hedges if r["position"] == "after")
    mag_alt = _alt(mags)
    # what may follow the number: "- 10" range, "/8" fraction, magnitude, "%", and a closing hedge
    after_re = re.compile(
        rf"(?:(?P<rsep>\s*[-–]\s*|\s+(?:{_alt(fw['range_words'])})\s+)(?P<num2>{NUMBER})(?![\w]|[.,/]\d))?"
        rf"(?:/(?P<den>\d+)(?![\w/]|[.,]\d))?"
        rf"(?:\s+(?P<mag>{mag_alt})(?!\w))?"
        rf"(?:\s*(?P<pct>%|(?:{_alt(fw['percent_words'])})(?!\w)))?",
        re.IGNORECASE)
    # "hai mươi lăm": a count word, the tens word, then a count word or an after-tens form ("mốt", "lăm")
    units = [w for w in words if role[w] in ("count", "count_if_numeral")]
    tens = [w for w in words if role[w] == "tens"]
    after_tens = [w for w in words if role[w] == "after_tens"]
    spelled = re.compile(
        rf"(?<!\w)(?P<w>{_alt(units)})(?:\s+(?P<tens>{_alt(tens)}))?(?:\s+(?P<w2>{_alt(units + after_tens)}))?(?!\w)",
        re.IGNORECASE)
    vague = re.compile(rf"(?<!\w)(?P<h>{_alt(fw['vague_quantifiers'])})\s+(?P<m1>{mag_alt})(?:\s+(?P<m2>{mag_alt}))?(?!\w)",
                       re.IGNORECASE)
    # "từ 4 tháng lên 6 tháng": the same time unit before and after a change word
    measured = re.compile(rf"(?:{frm})\s+\S+\s+(\S+)\s+(?:{_alt(fw['change_words'])})\s+\S+\s+\1", re.IGNORECASE)
    return Lexicon(
        magnitudes=mags, number_words=words, hedges_before=before, hedges_after=after,
        currencies=frozenset(match_key(c) for c in load_list("currencies.txt")),
        time_units=frozenset(match_key(t) for t in load_list("time_units.txt")),
        not_before=frozenset(match_key(t) for t in load_list("not_figure_before.txt")),
        not_unit=frozenset(match_key(t) for t in load_list("not_unit_words.txt")),
        counted=frozenset(match_key(t) for t in load_list("counted_nouns.txt")),
        classifiers=frozenset(match_key(t) for t in load_list("unit_classifiers.txt")),
        numeral_only=frozenset(w for w in words if role[w] == "count_if_numeral"),
        total_markers=tuple(tuple(match_key(t).split(" ")) for t in fw["total_markers"]),
        not_count_after=frozenset(match_key(t) for t in fw["not_count_after"]),
        hedge_before_re=re.compile(rf"(?<!\w)(?P<hedge>{_alt(before)})\s+(?P<from>(?:{frm})\s+)?$"
                                   rf"|(?<!\w)(?P<from2>{frm})\s+$", re.IGNORECASE),
        after_re=after_re, vague_re=vague, spelled_re=spelled, measured_re=measured)


def parse_number(s: str) -> int | float:
    """Vietnamese digits: "5.801.230.000" -> 5801230000, "2,4" -> 2.4."""
    v = float(s.replace(".", "").replace(",", "."))
    return int(v) if v.is_integer() else v


def _whole(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


# ---- words after the number: the counted noun ------------------------------------------------

@dataclass
class Tok:
    start: int
    end: int
    text: str
    pos: str


def _plain_tokens(text: str, start: int, end: int) -> list[Tok]:
    """Fallback when no segmented words are at hand (doctests, text outside sentences)."""
    return [Tok(m.start(), m.end(), m.group(), "N" if m.group()[0].isalpha() else "CH")
            for m in re.finditer(r"\w+|[^\w\s]", text[:end]) if m.start() >= start]


class Words:
    """Segmented words (underthesea) by offset; plain syllables where there are none."""

    def __init__(self, text: str, words: list[Any]):
        self.text = text
        self.words = [Tok(w.start, w.end, w.text, w.pos) for w in words]
        self.starts = [w.start for w in self.words]

    def after(self, offset: int, limit: int = 12) -> list[Tok]:
        i = bisect.bisect_left(self.starts, offset)
        out = self.words[i:i + limit]
        if not out or self.text[offset:out[0].start].strip():
            # no word starts right here (the segmenter glued "10%" or skipped the line)
            stop = out[0].start if out else min(len(self.text), offset + 120)
            out = _plain_tokens(self.text, offset, stop)[:limit] + (out if out else [])
        return out

    def before(self, offset: int, limit: int = 3) -> list[Tok]:
        i = bisect.bisect_left(self.starts, offset)
        return self.words[max(0, i - limit):i]


def _unit(toks: list[Tok], text: str, lx: Lexicon, strict: bool) -> tuple[int, int] | None:
    """Span of the counted noun phrase opening `toks`: "85 nguồn tin giúp điều tra" -> "nguồn tin"."""
    if not toks:
        return None
    head = toks[0]
    key = match_key(head.text)
    if not head.text[0].isalpha() or key in lx.not_unit or key in lx.magnitudes or key in lx.number_words:
        return None
    hinted = key in lx.counted or key in lx.currencies
    if strict and head.pos not in _NOUN_POS and not hinted:
        return None
    if not strict and head.pos in _NOT_HEAD_POS and not hinted:
        return None
    if key in lx.time_units or key.split(" ")[0] in lx.time_units:
        return head.start, head.end  # a duration: never extended into a list
    start, end = head.start, head.end
    n = 0
    i = 1
    while i < len(toks) and n < 3:
        t = toks[i]
        gap = text[end:t.start]
        k = match_key(t.text)
        if gap == " " and t.pos in _NOUN_POS and t.text[0].isalpha() and k not in lx.not_unit \
                and k not in lx.time_units:
            end, n, i = t.end, n + 1, i + 1
            continue
        # "buổi tuyên truyền", "lớp tập huấn": the activity a counting word counts
        if i == 1 and gap == " " and key in lx.classifiers and t.pos == "V" and k not in lx.not_unit:
            end, n, i = t.end, n + 1, i + 1
            continue
        # coordinated nouns: "15 cuộc truyền thông, hội thảo", "63 tỉnh, thành phố"
        if gap == "" and t.text == "," and i + 1 < len(toks):
            nxt = toks[i + 1]
            after = toks[i + 2] if i + 2 < len(toks) else None
            if nxt.pos in _NOUN_POS and nxt.text[0].islower() and match_key(nxt.text) not in lx.not_unit \
                    and (after is None or not after.text[0].isdigit()) and n < 2:
                end, n, i = nxt.end, n + 1, i + 2
                continue
        break
    return start, end


# ---- candidates --------------------------------------------------------------------------------

@dataclass
class Candidate:
    start: int
    end: int
    num_start: int
    value: float
    qualifier: str | None
    unit: str | None
    unit_end: int
    is_time: bool = False


def _quoted(text: str, s: int, lo: int) -> bool:
    """Inside a short quoted name: "5 không 3 sạch", "90 hành động thiết thực …"."""
    left = text[max(lo, s - 100):s]
    opens = max(left.rfind("“"), left.rfind('"') if left.count('"') % 2 else -1)
    if opens < 0 or left.rfind("”") > opens:
        return False
    close = text.find("”", s, s + 100)
    if close < 0:
        close = text.find('"', s, s + 100)
    return close >= 0


def _blocked_before(text: str, s: int, lx: Lexicon) -> bool:
    """An identifier or ordinal: "Kế hoạch số 19", "lần thứ 72", "Dự án 8", "- Ảnh 1"."""
    if text[max(0, s - 1):s] in ("-", "–") and s >= 2 and text[s - 2].isalnum():
        return True
    syl = match_key(text[max(0, s - 30):s]).split(" ")
    if any(tuple(syl[-len(m):]) == m for m in lx.total_markers):
        return False  # "tổng số 4.701 mô hình" is a total
    return syl[-1] in lx.not_before or " ".join(syl[-2:]) in lx.not_before


def candidates(text: str, lo: int, hi: int, words: Words, lx: Lexicon) -> list[Candidate]:
    out: list[Candidate] = []
    # digits: "hơn 2.500 vụ", "8/8 huyện", "từ 5-10%", "13 tỷ đồng", "từ 92% trở lên"
    for m in NUM_RE.finditer(text, lo, hi):
        s, e = m.span()
        if out and s < out[-1].unit_end:
            continue  # the second number of a range already read
        if _blocked_before(text, s, lx) or _quoted(text, s, lo):
            continue
        value = float(parse_number(m.group()))
        am = lx.after_re.match(text, e, hi)
        qualifier = None
        end = e
        if am:
            end = am.end() if am.group() else e
            if am.group("num2"):
                qualifier = f"{m.group()}-{am.group('num2')}"
            elif am.group("den"):
                qualifier = f"{m.group()}/{am.group('den')}"
            if am.group("mag"):
                value *= lx.magnitudes[match_key(am.group("mag"))]
        hb = lx.hedge_before_re.search(text, max(lo, s - 16), s)
        start = s
        if hb:
            start = hb.start()
            if hb.group("hedge") and not qualifier:
                qualifier = hb.group("hedge")
        cand = _finish(text, words, lx, start, s, end, value, qualifier, am and am.group("pct"), strict=False)
        if cand:
            out.append(cand)
    # vague magnitudes: "hàng vạn nguồn tin", "hàng trăm mô hình"
    for m in lx.vague_re.finditer(text, lo, hi):
        value = lx.magnitudes[match_key(m.group("m1"))] * (lx.magnitudes[match_key(m.group("m2"))] if m.group("m2") else 1)
        cand = _finish(text, words, lx, m.start(), m.start(), m.end(), value, m.group("h"), None, strict=False)
        if cand:
            out.append(cand)
    # spelled-out counts: "hai đơn vị", "Ba cơ quan"
    for m in lx.spelled_re.finditer(text, lo, hi):
        w = m.group("w")
        if w[0].isupper() and not _sentence_initial(text, m.start(), lo):
            continue  # "Hai Bà Trưng", "Thứ Ba"
        prev = words.before(m.start(), 1)
        if prev and match_key(prev[-1].text).split(" ")[-1] in lx.not_count_after:
            continue  # "thứ ba", "tháng năm"
        if _quoted(text, m.start(), lo):
            continue
        if match_key(w) in lx.numeral_only:
            first = words.after(m.start(), 1)
            if not first or first[0].start != m.start() or first[0].pos != "M":
                continue  # "năm" is a year far more often than five
        value = _spelled_value(m, lx)
        if value is None:
            continue
        cand = _finish(text, words, lx, m.start(), m.start(), m.end(), value, None, None, strict=True)
        if cand:
            out.append(cand)
    return out


def _spelled_value(m: re.Match[str], lx: Lexicon) -> int | None:
    a = lx.number_words[match_key(m.group("w"))]
    b = lx.number_words.get(match_key(m.group("w2") or ""), 0)
    if m.group("tens"):
        return a * 10 + (b if b < 10 else 0)
    if a == 10:
        return 10 + (b if b < 10 else 0)
    return None if m.group("w2") else a


def _sentence_initial(text: str, s: int, lo: int) -> bool:
    before = text[lo:s].rstrip(" “\"'(")
    return not before or before[-1] in ".!?:;\n…"


def _finish(text: str, words: Words, lx: Lexicon, start: int, num_start: int, end: int, value: float,
            qualifier: str | None, pct: str | None, strict: bool) -> Candidate | None:
    if pct:
        unit, unit_end = "%", end
    else:
        toks = words.after(end)
        toks = [t for t in toks if t.start >= end]
        if toks and text[end:toks[0].start].strip():
            return None
        span = _unit(toks, text, lx, strict)
        if not span:
            return None
        unit, unit_end = text[span[0]:span[1]], span[1]
    post = re.match(rf"\s+({_alt(lx.hedges_after)})(?!\w)", text[unit_end:unit_end + 20], re.IGNORECASE)
    if post and pct:
        qualifier = qualifier if qualifier and "-" in qualifier else post.group(1)
        unit_end += post.end()
    elif post and not qualifier:
        qualifier = post.group(1)
    key = match_key(unit)
    is_time = key in lx.time_units or key.split(" ")[0] in lx.time_units  # "50 năm tuổi Đảng"
    return Candidate(start, unit_end if unit != "%" else max(end, unit_end), num_start, value, qualifier,
                     unit, unit_end, is_time)


def _keep_time(text: str, c: Candidate, lo: int) -> bool:
    """Durations count only when they are what is measured: "từ 4 tháng lên 6 tháng"."""
    window = text[max(lo, c.start - 30):c.end + 30]
    m = lexicon().measured_re.search(window)
    return bool(m)


def parse_sentence(text: str) -> list[Figure]:
    """Figures of a plain string, segmented as one sentence, without context (doctests, quick checks)."""
    from pipeline.model import Sentence
    from pipeline.tokens import analyse_words

    lx = lexicon()
    words = Words(text, analyse_words(text, [Sentence(start=0, end=len(text))]))
    return [Figure(start=c.start, end=c.end, text=text[c.start:c.end], value=_whole(c.value), unit=c.unit,
                   qualifier=c.qualifier)
            for c in candidates(text, 0, len(text), words, lx) if not c.is_time]


# ---- context: what the sentence ties the figure to ---------------------------------------------

@lru_cache(maxsize=1)
def _context_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    w = load_yaml("figure_context.yaml")
    places = re.compile(rf"(?<!\w)(?:{_alt(w['place_words'])})\s+(?=[A-ZĐ\u00C0-\u1EF8])")
    verbs = "|".join(re.escape(v) for v in w["reporter_verbs"])  # "tổ chức": one literal space
    subject = re.compile(
        rf"(?:^|[,;:]\s+)(?P<who>(?:{_alt(w['reporter_heads'])})(?!\w)[^,;:]{{0,50}}?)\s+(?:{verbs})\s")
    recipient = re.compile(rf"(?<!\w)(?:{_alt(w['recipient_markers'])})\s+(?P<to>[^,;:]{{2,40}}?)\s*$")
    return places, subject, recipient


def _capitalised_run(text: str, at: int, hi: int) -> str | None:
    """"Quảng Ninh, …" -> "Quảng Ninh": syllables from `at` while they start upper-case."""
    out = []
    for m in re.finditer(r"\S+", text[at:hi]):
        syl = m.group().rstrip(".,;:)”\"")
        if not syl or not syl[0].isupper() or len(out) == 4:
            break
        out.append(syl)
        if syl != m.group():
            break
    return " ".join(out) or None


def _mentions(items: list[Any]) -> list[tuple[int, int, Any]]:
    out = []
    for it in items or []:
        for sp in getattr(it, "mentions", []) or []:
            out.append((sp.start, sp.end, it))
    return out


def _nearest(spans: list[tuple[int, int, Any]], lo: int, hi: int, at: int) -> Any:
    inside = [(s, e, x) for s, e, x in spans if lo <= s and e <= hi]
    if not inside:
        return None
    before = [t for t in inside if t[1] <= at]
    pick = max(before, key=lambda t: t[1]) if before else min(inside, key=lambda t: t[0])
    return pick


def context(a: Analysis, c: Candidate) -> FigureContext | None:
    sent = a.sentence_at(c.start)
    if sent is None:
        return None
    lo, hi = sent.start, sent.end
    ctx = FigureContext(sentence=Span(start=lo, end=hi))
    periods = [(d.start, d.end, d) for d in a.dates]
    p = _nearest(periods, lo, hi, c.start)
    if p:
        ctx.period = p[2].value
    head = a.text[lo:c.start]
    place_re, subject_re, recipient_re = _context_words()
    places = [(m.end(), _capitalised_run(a.text, m.end(), hi)) for m in place_re.finditer(a.text, lo, hi)]
    places = [p for p in places if p[1]]
    if places:
        before = [p for p in places if p[0] <= c.start]
        ctx.place = (before[-1] if before else places[0])[1]
    ag = _nearest(_mentions(a.agencies), lo, hi, c.start)
    if ag:
        ctx.agency = ag[2].name
    else:
        subj = list(subject_re.finditer(head))
        if subj:
            ctx.agency = subj[-1].group("who").strip()
    rec = recipient_re.search(head[-60:])
    if rec and match_key(rec.group("to")).split(" ")[-1] not in lexicon().not_unit and len(rec.group("to").split()) <= 5:
        ctx.recipient = rec.group("to").strip()
    doc = _nearest(_mentions(a.programs) + _mentions(a.legal_documents), lo, hi, c.start)
    if doc:
        it = doc[2]
        if getattr(it, "symbol", None) or getattr(it, "number", None):
            ctx.subject = it.symbol or f"{it.type} {it.number}"
        elif getattr(it, "title", None):
            ctx.subject = f"{it.type} {it.title}"
        elif getattr(it, "kind", None) and getattr(it, "name", None):
            ctx.subject = f"{it.kind} {it.name}"
    return ctx


class Figures(Stage):
    name = "figures"
    requires = ("text", "zones", "sentences", "words", "doc", "dates")
    provides = ("figures",)

    def __call__(self, a: Analysis) -> None:
        lx = lexicon()
        words = Words(a.text, a.words)
        out: list[Figure] = []
        for z in a.readable_zones(READABLE):
            for c in candidates(a.text, z.start, z.end, words, lx):
                if a.is_claimed(c.num_start, max(c.num_start + 1, _num_end(a.text, c.num_start)),
                                ("date", "docnum", "legal", "legal_document", "symbol", "program", "programs")):
                    continue
                if c.is_time and not _keep_time(a.text, c, z.start):
                    continue
                a.claim(c.start, c.end, "figure")
                out.append(Figure(start=c.start, end=c.end, text=a.text[c.start:c.end], value=_whole(c.value),
                                  unit=c.unit, qualifier=c.qualifier, context=context(a, c)))
        out.sort(key=lambda f: f.start)
        a.figures = out


def _num_end(text: str, s: int) -> int:
    m = re.match(r"\w+(?:[.,/-]\w+)*", text[s:s + 40])
    return s + (m.end() if m else 1)


STAGE = Figures()
