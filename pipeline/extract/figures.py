"""Figures: every count or measure in the report, as Vietnamese writes numbers, with its context.

`.` groups thousands and `,` is the decimal mark; magnitude words multiply ("110 nghìn" = 110000);
hedges are kept as written; a figure needs a counted noun after it, which is its `unit`:

>>> [(f.value, f.unit, f.qualifier) for f in parse_sentence("tổ chức trên 2.000 buổi tuyên truyền thu hút 90.725 lượt người")]
[(2000, 'buổi tuyên truyền', 'trên'), (90725, 'lượt người', None)]

Not figures: dates and document numbers (claimed by the dates stage), numbers inside names
("Dự án 8", "5 không 3 sạch"), durations and ages, photo numbers, page furniture. Runs last, so
it also reads a.programs / a.legal_documents / a.agencies to fill `context` when they exist.
Language data: gazetteers/number_words.tsv, magnitudes.tsv, hedges.tsv, figure_words.yaml,
figure_context.yaml, currencies.txt, time_units.txt, measure_units.txt, not_figure_before.txt, not_unit_words.txt.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any, Callable

from pipeline.analysis import Analysis, ClaimKind, Stage
from pipeline.gazetteers import Gazetteers, default_gazetteers
from pipeline.keys import match_key
from pipeline.matching import alternation as _alt
from pipeline.model import FIGURE_VALUE_LIMIT, Bounds, Figure, FigureContext, Span
from pipeline.numbers import NumberGrammar
from pipeline.numbers import grammar as number_grammar
from pipeline.tokens import Token as Tok
from pipeline.tokens import POS_READ_AFTER_NUMBER, WordLayer

READABLE = ("title", "body", "caption")
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# a whole number: not glued to letters, other digits or a separator-plus-digit ("A5", "68/2016")
# ... except after "unit/": "11.484 vụ/17.663 đối tượng" is two figures
NUM_RE = re.compile(rf"(?:(?<![\w.,/-])|(?<=[^\W\d_]/))(?:{NUMBER})(?![\w]|[.,]\d)")
_NOT_HEAD_POS = {"E", "C", "CC", "P", "R", "L", "T", "CH", "A", "X", "I"}
_NOUN_POS = {"N", "Nc", "Np", "Ny", "Nu", "Nb"}
_QUOTES = "“”\"«»"


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
    chain_re: re.Pattern[str]
    numbers: NumberGrammar
    measured_re: re.Pattern[str]
    hedge_bounds: dict[str, tuple[str, str]]   # match_key(hedge) -> (low rule, high rule)
    hedge_after_re: re.Pattern[str]
    permille: frozenset[str]
    identifier_re: re.Pattern[str]
    place_re: re.Pattern[str]
    subject_re: re.Pattern[str]
    recipient_re: re.Pattern[str]
    cited_within_re: re.Pattern[str]
    compared_before_re: re.Pattern[str]
    same_period_re: re.Pattern[str]
    measure_units: frozenset[str]


def lexicon(gz: Gazetteers | None = None) -> Lexicon:
    return (gz or default_gazetteers()).memo("figures", _build_lexicon)


def _build_lexicon(gz: Gazetteers) -> Lexicon:
    load_list, load_tsv, load_yaml = gz.list, gz.tsv, gz.yaml
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
        rf"(?:\s*(?P<pct>%|‰|(?:{_alt(fw['percent_words'] + fw['permille_words'])})(?!\w)))?",
        re.IGNORECASE)
    # "3 triệu 500 nghìn đồng": a further number and a smaller magnitude after a magnitude
    chain = re.compile(rf"\s+(?P<n>{NUMBER})\s+(?P<m>{mag_alt})(?!\w)", re.IGNORECASE)
    vague_words = [r["hedge"] for r in hedges if r["position"] == "vague"]
    vague = re.compile(rf"(?<!\w)(?P<h>{_alt(vague_words)})\s+(?P<m1>{mag_alt})(?:\s+(?P<m2>{mag_alt}))?(?!\w)",
                       re.IGNORECASE)
    # "từ 4 tháng lên 6 tháng": the same time unit before and after a change word
    measured = re.compile(rf"(?:{frm})\s+\S+\s+(\S+)\s+(?:{_alt(fw['change_words'])})\s+\S+\s+\1", re.IGNORECASE)
    return Lexicon(
        magnitudes=mags, number_words=words, hedges_before=before, hedges_after=after,
        currencies=frozenset(match_key(c) for c in load_list("currencies.txt")),
        time_units=frozenset(match_key(t) for t in load_list("time_units.txt")),
        measure_units=frozenset(match_key(t) for t in load_list("measure_units.txt")),
        not_before=frozenset(match_key(t) for t in load_list("not_figure_before.txt")),
        not_unit=frozenset(match_key(t) for t in load_list("not_unit_words.txt")),
        counted=frozenset(match_key(t) for t in load_list("counted_nouns.txt")),
        classifiers=frozenset(match_key(t) for t in load_list("unit_classifiers.txt")),
        numeral_only=frozenset(w for w in words if role[w] == "unit_if_numeral"),
        total_markers=tuple(tuple(match_key(t).split(" ")) for t in fw["total_markers"]),
        not_count_after=frozenset(match_key(t) for t in fw["not_count_after"]),
        hedge_before_re=re.compile(rf"(?<!\w)(?P<hedge>{_alt(before)})\s+(?P<from>(?:{frm})\s+)?$"
                                   rf"|(?<!\w)(?P<from2>{frm})\s+$", re.IGNORECASE),
        after_re=after_re, vague_re=vague, chain_re=chain, numbers=number_grammar(gz), measured_re=measured,
        hedge_bounds={match_key(r["hedge"]): (r["low"], r["high"]) for r in hedges},
        hedge_after_re=re.compile(rf"\s+({_alt(after)})(?!\w)", re.IGNORECASE),
        permille=frozenset(match_key(w) for w in fw["permille_words"]),
        identifier_re=re.compile(rf"(?<!\w)(?:{'|'.join(fw['identifier_heads'])})\s+[-–]\s+$"),
        **_context_patterns(load_yaml("figure_context.yaml"), load_yaml("date_words.yaml")))


def parse_number(s: str) -> int | float:
    """Vietnamese digits: "5.801.230.000" -> 5801230000, "2,4" -> 2.4 (whole numbers exactly)."""
    whole, _, frac = s.replace(".", "").partition(",")
    if not frac.strip("0"):
        return int(whole)
    return float(f"{whole}.{frac}")


def _whole(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


# ---- words after the number: the counted noun ------------------------------------------------

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
        if gap == "" and t.text == "," and i + 1 < len(toks) and key not in lx.measure_units \
                and key not in lx.currencies:
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
    base = max(lo, s - 100)
    left = text[base:s]
    straight = left.rfind('"')
    # a straight quote opens when a word follows it and none precedes it ('tội "Vi phạm'), and
    # closes otherwise ('nghiêm trọng". Riêng …'): its shape says which, whatever the window holds
    if straight >= 0:
        at = base + straight
        before = text[at - 1] if at > 0 else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if not (after.isalnum() and not before.isalnum()):
            straight = -1
    opens = max(left.rfind("“"), straight)
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
    if lx.identifier_re.search(text, max(0, s - 24), s):
        return True  # "COVID – 19": an all-capital name, a spaced dash, a number
    syl = match_key(text[max(0, s - 30):s]).split(" ")
    if any(tuple(syl[-len(m):]) == m for m in lx.total_markers):
        return False  # "tổng số 4.701 mô hình" is a total
    return syl[-1] in lx.not_before or " ".join(syl[-2:]) in lx.not_before


def candidates(text: str, lo: int, hi: int, words: WordLayer, lx: Lexicon) -> list[Candidate]:
    out: list[Candidate] = []
    # digits: "hơn 2.500 vụ", "8/8 huyện", "từ 5-10%", "13 tỷ đồng", "từ 92% trở lên"
    for m in NUM_RE.finditer(text, lo, hi):
        s, e = m.span()
        if out and s < out[-1].unit_end:
            continue  # the second number of a range already read
        if _blocked_before(text, s, lx) or _quoted(text, s, lo):
            continue
        if len(m.group().partition(",")[0].replace(".", "")) > 19:
            continue  # a run of digits (a code, a serial), far beyond any reported quantity
        value = parse_number(m.group())
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
                mag = lx.magnitudes[match_key(am.group("mag"))]
                value *= mag
                while not am.group("pct") and not am.group("num2"):
                    more = lx.chain_re.match(text, end, hi)
                    if not more or lx.magnitudes[match_key(more.group("m"))] >= mag:
                        break
                    mag = lx.magnitudes[match_key(more.group("m"))]
                    value += parse_number(more.group("n")) * mag
                    end = more.end()
        hb = lx.hedge_before_re.search(text, max(lo, s - 16), s)
        start = s
        if hb:
            start = hb.start()
            if hb.group("hedge") and not qualifier:
                qualifier = hb.group("hedge")
        pct = am and am.group("pct")
        if pct:
            pct = "‰" if pct == "‰" or match_key(pct) in lx.permille else "%"
        cand = _finish(text, words, lx, start, s, end, value, qualifier, pct, strict=False, hi=hi)
        if cand:
            out.append(cand)
    # vague magnitudes: "hàng vạn nguồn tin", "hàng trăm mô hình"
    for m in lx.vague_re.finditer(text, lo, hi):
        value = lx.magnitudes[match_key(m.group("m1"))] * (lx.magnitudes[match_key(m.group("m2"))] if m.group("m2") else 1)
        cand = _finish(text, words, lx, m.start(), m.start(), m.end(), value, m.group("h"), None, strict=False,
                       hi=hi)
        if cand:
            out.append(cand)
    # numbers in words: "hai đơn vị", "Ba cơ quan", "một trăm hai mươi đối tượng"
    for m in lx.numbers.run_re.finditer(text, lo, hi):
        found = lx.numbers.longest(m.group())
        if found is None:
            continue
        n, value = found
        w = m.group().split()[0]
        run_end = m.start() + [w.end() for w in re.finditer(r"\S+", m.group())][n - 1]
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
        cand = _finish(text, words, lx, m.start(), m.start(), run_end, value, None, None, strict=True, hi=hi)
        if cand:
            out.append(cand)
    return out


def _sentence_initial(text: str, s: int, lo: int) -> bool:
    before = text[lo:s].rstrip(" “\"'(")
    return not before or before[-1] in ".!?:;\n…"


def _finish(text: str, words: WordLayer, lx: Lexicon, start: int, num_start: int, end: int, value: float,
            qualifier: str | None, pct: str | None, strict: bool, hi: int | None = None) -> Candidate | None:
    """The candidate with its unit, which never runs past the zone's end `hi` (a line of its own)."""
    hi = len(text) if hi is None else hi
    if pct:
        unit, unit_end = pct, end
    else:
        toks = words.after(end, tagged=POS_READ_AFTER_NUMBER)  # `_unit` reads the POS of toks[:6] at most
        toks = [t for t in toks if t.start >= end and t.end <= hi]
        if toks and text[end:toks[0].start].strip():
            return None
        span = _unit(toks, text, lx, strict)
        if not span:
            return None
        unit, unit_end = text[span[0]:span[1]], span[1]
    post = lx.hedge_after_re.match(text[unit_end:min(hi, unit_end + 20)])
    if post and pct:
        qualifier = qualifier if qualifier and "-" in qualifier else post.group(1)
        unit_end += post.end()
    elif post and not qualifier:
        qualifier = post.group(1)
    key = match_key(unit)
    is_time = key in lx.time_units or key.split(" ")[0] in lx.time_units  # "50 năm tuổi Đảng"
    return Candidate(start, unit_end if unit not in ("%", "‰") else max(end, unit_end), num_start, value, qualifier,
                     unit, unit_end, is_time)


def _keep_time(text: str, c: Candidate, lo: int, lx: Lexicon) -> bool:
    """Durations count only when they are what is measured: "từ 4 tháng lên 6 tháng"."""
    window = text[max(lo, c.start - 30):c.end + 30]
    return bool(lx.measured_re.search(window))


def parse_sentence(text: str, gz: Gazetteers | None = None) -> list[Figure]:
    """Figures of a plain string, segmented as one sentence, without context (doctests, quick checks)."""
    from pipeline.model import Sentence

    from pipeline.numbers import number_words

    lx = lexicon(gz)
    words = WordLayer.of(text, [Sentence(start=0, end=len(text))], number_words(gz or default_gazetteers()))
    return [Figure(start=c.start, end=c.end, text=text[c.start:c.end], value=_whole(c.value), unit=c.unit,
                   qualifier=c.qualifier, bounds=bounds(c, lx))
            for c in candidates(text, 0, len(text), words, lx) if not c.is_time]


# ---- bounds: the values a hedged figure allows ------------------------------------------------

def _rule(rule: str, v: float) -> tuple[float | None, bool]:
    """One side of gazetteers/hedges.tsv: "v" -> (v, inclusive), "v+" -> (v, exclusive),
    "0.95v" -> (0.95·v, inclusive), "inf" -> (None, -), "0" -> (0, inclusive)."""
    if rule == "inf":
        return None, False
    inclusive = not rule.endswith(("+", "-"))
    core = rule.rstrip("+-")
    if core.endswith("v"):
        factor = float(core[:-1]) if core[:-1] else 1.0
        return _whole(round(factor * v, 6)), inclusive
    return _whole(float(core)), inclusive


def bounds(c: "Candidate", lx: Lexicon) -> Bounds:
    """The interval the written figure allows: a range "5-10" is [5, 10]; a hedge applies its rule
    from hedges.tsv; a fraction "8/8" and a bare number are the value itself."""
    v = _whole(c.value)
    q = c.qualifier
    if q and "-" in q and q[0].isdigit():
        scale = c.value / parse_number(q.split("-")[0]) if parse_number(q.split("-")[0]) else 1
        lo, hi = (parse_number(x) * scale for x in q.split("-", 1))
        return Bounds(low=_whole(lo), high=_whole(hi))
    rules = lx.hedge_bounds.get(match_key(q)) if q else None
    if rules is None:
        return Bounds(low=v, high=v)
    (low, low_inc), (high, high_inc) = _rule(rules[0], c.value), _rule(rules[1], c.value)
    return Bounds(low=low, high=high, low_inclusive=low_inc if low is not None else True,
                  high_inclusive=high_inc if high is not None else True)


# ---- context: what the sentence ties the figure to ---------------------------------------------

def _context_patterns(w: dict, dw: dict) -> dict[str, re.Pattern[str]]:
    verbs = "|".join(re.escape(v) for v in w["reporter_verbs"])  # "tổ chức": one literal space
    return {
        "place_re": re.compile(rf"(?<!\w)(?:{_alt(w['place_words'])})\s+(?=[A-ZĐ\u00C0-\u1EF8])"),
        "subject_re": re.compile(
            rf"(?:^|[,;:]\s+)(?P<who>(?:{_alt(w['reporter_heads'])})(?!\w)[^,;:]{{0,50}}?)\s+(?:{verbs})\s"),
        "recipient_re": re.compile(rf"(?<!\w)(?:{_alt(w['recipient_markers'])})\s+(?P<to>[^,;:]{{2,40}}?)\s*$"),
        "cited_within_re": re.compile(rf"(?<!\w)(?:{_alt(w['cited_within_markers'])})\s*$", re.IGNORECASE),
        "compared_before_re": re.compile(rf"(?<!\w)(?:{_alt(w['comparison_markers'])})\s*$", re.IGNORECASE),
        "same_period_re": re.compile(rf"(?:{_alt(dw['same_period'])})(?!\w)", re.IGNORECASE),
    }


def _capitalised_run(text: str, at: int, hi: int) -> str | None:
    """"Quảng Ninh, …" -> "Quảng Ninh": syllables from `at` while they start upper-case."""
    out = []
    for m in re.finditer(r"\S+", text[at:min(hi, at + 200)]):
        syl = m.group().rstrip(".,;:)”\"")
        if not syl or not syl[0].isupper() or len(out) == 4:
            break
        out.append(syl)
        if syl != m.group():
            break
    return " ".join(out) or None


class SpanIndex:
    """Mentions of some entities sorted by start, for "the nearest one in this sentence"."""

    def __init__(self, items: list[Any]):
        spans = [(m.start, m.end, it) for it in items for m in it.mentions] if items and \
            hasattr(items[0], "mentions") else [(it.start, it.end, it) for it in items]
        spans.sort(key=lambda t: (t[0], t[1]))  # stable: on a tie the item listed first stays first
        self.spans = spans
        self.starts = [s for s, _, _ in spans]

    def nearest(self, lo: int, hi: int, at: int, skip: Callable[[tuple[int, int, Any], list], bool] | None = None) -> Any:
        """The last item ending before `at` inside [lo, hi), else the first one inside; `skip(span,
        earlier spans)` leaves a mention out."""
        inside = [t for t in self.spans[bisect.bisect_left(self.starts, lo):bisect.bisect_left(self.starts, hi)]
                  if t[1] <= hi]
        if skip is not None:
            inside = [t for i, t in enumerate(inside) if not skip(t, inside[:i])]
        if not inside:
            return None
        before = [t for t in inside if t[1] <= at]
        pick = max(before, key=lambda t: t[1]) if before else min(inside, key=lambda t: t[0])
        return pick[2]


class Context:
    """What one document's sentences tie its figures to; per-sentence look-ups computed once."""

    def __init__(self, a: Analysis, lx: Lexicon):
        self.a, self.lx = a, lx
        self.periods = SpanIndex(a.dates)
        self.agencies = SpanIndex(a.agencies)
        self.subjects = SpanIndex(a.programs + a.legal_documents)
        # where legal texts are named, with their dates: the date of a text written inside its name
        # ("Luật … năm 2020") or right after it ("Nghị định số 45/2022/NĐ-CP ngày 07/7/2022") dates
        # the text, not a figure
        self.legal_spans = sorted((m.start, m.end, d.date)
                                  for d in a.legal_documents if d.date for m in d.mentions)
        self._per_sentence: dict[int, tuple[list[tuple[int, str]], list[re.Match[str]]]] = {}

    def _cited_within(self, span: tuple[int, int, Any], earlier: list) -> bool:
        """A legal text named inside an earlier text's description ("… một số điều của Luật …")."""
        start, _, item = span
        if hasattr(item, "kind") or not any(not hasattr(t[2], "kind") for t in earlier):
            return False
        return self.lx.cited_within_re.search(self.a.text, max(0, start - 40), start) is not None

    def _not_a_period(self, span: tuple[int, int, Any], earlier: list) -> bool:
        """A date a figure is compared with ("so với cùng kỳ năm 2022"), or the date of a legal
        text named there, is not the figure's period."""
        start, end, date = span
        if self.lx.same_period_re.match(self.a.text, start, end) is not None \
                or self.lx.compared_before_re.search(self.a.text, max(0, start - 20), start) is not None:
            return True
        k = bisect.bisect_right(self.legal_spans, (start, end, "\uffff")) - 1
        if k < 0:
            return False
        _, hi, text_date = self.legal_spans[k]
        return date.value == text_date and (end <= hi or not self.a.text[hi:start].strip())

    def _sentence(self, lo: int, hi: int) -> tuple[list[tuple[int, str]], list[re.Match[str]]]:
        if lo not in self._per_sentence:
            text = self.a.text
            places = [(m.end(), _capitalised_run(text, m.end(), hi)) for m in self.lx.place_re.finditer(text, lo, hi)]
            subjects = list(self.lx.subject_re.finditer(text[lo:hi]))
            self._per_sentence[lo] = ([p for p in places if p[1]], subjects)
        return self._per_sentence[lo]

    def of(self, c: Candidate) -> FigureContext | None:
        a = self.a
        sent = a.sentence_at(c.start)
        if sent is None:
            return None
        lo, hi = sent.start, sent.end
        ctx = FigureContext(sentence=Span(start=lo, end=hi))
        p = self.periods.nearest(lo, hi, c.start, skip=self._not_a_period)
        if p is not None:
            ctx.period = p.value
        places, subjects = self._sentence(lo, hi)
        if places:
            before = [p for p in places if p[0] <= c.start]
            ctx.place = (before[-1] if before else places[0])[1]
        ag = self.agencies.nearest(lo, hi, c.start)
        if ag is not None:
            ctx.agency, ctx.agency_id = ag.name, ag.id or None
        else:
            subj = [m for m in subjects if lo + m.end() <= c.start]
            if subj:
                ctx.agency = subj[-1].group("who").strip()
        head = a.text[max(lo, c.start - 60):c.start]
        rec = self.lx.recipient_re.search(head)
        if rec and match_key(rec.group("to")).split(" ")[-1] not in self.lx.not_unit and len(rec.group("to").split()) <= 5:
            ctx.recipient = rec.group("to").strip()
        it = self.subjects.nearest(lo, hi, c.start, skip=self._cited_within)
        if it is not None:
            if getattr(it, "symbol", None) or getattr(it, "number", None):
                ctx.subject = it.symbol or f"{it.type} {it.number}"
            elif getattr(it, "title", None):
                # a law's title holds its type ("Luật Đấu thầu"); others' do not ("Kế hoạch" + subject)
                ctx.subject = it.title if match_key(it.title).startswith(match_key(it.type)) else f"{it.type} {it.title}"
            elif getattr(it, "kind", None) and getattr(it, "name", None):
                ctx.subject = f"{it.kind} {it.name}"
            if hasattr(it, "kind"):
                ctx.program_id = it.id or None
                ctx.legal_document_id = it.legal_document_id
            else:
                ctx.legal_document_id = it.id or None
        return ctx


# what a figure's number must not stand in: dates, document numbers, cited texts, programme names
NOT_FIGURES = (ClaimKind.DATE, ClaimKind.DOCUMENT_NUMBER, ClaimKind.LEGAL_REFERENCE, ClaimKind.PROGRAM_NAME)


class Figures(Stage):
    name = "figures"
    requires = ("text", "zones", "sentences", "words", "dates", "agencies", "programs", "legal_documents") \
        + tuple(k.layer for k in NOT_FIGURES)
    provides = ("figures", ClaimKind.FIGURE.layer)

    def __init__(self, gazetteers: Gazetteers):
        super().__init__(gazetteers)
        self.lx = lexicon(gazetteers)

    def __call__(self, a: Analysis) -> None:
        lx = self.lx
        ctx = Context(a, lx)
        out: list[Figure] = []
        for z in a.readable_zones(READABLE):
            for c in candidates(a.text, z.start, z.end, a.words, lx):
                if a.is_claimed(c.num_start, max(c.num_start + 1, _num_end(a.text, c.num_start)), NOT_FIGURES):
                    continue
                if c.is_time and not _keep_time(a.text, c, z.start, lx):
                    continue
                if abs(c.value) > FIGURE_VALUE_LIMIT:
                    continue  # a run of digits, not a quantity
                a.claim(c.start, c.end, ClaimKind.FIGURE)
                out.append(Figure(start=c.start, end=c.end, text=a.text[c.start:c.end], value=_whole(c.value),
                                  unit=c.unit, qualifier=c.qualifier, bounds=bounds(c, lx), context=ctx.of(c)))
        out.sort(key=lambda f: f.start)
        a.figures = out


def _num_end(text: str, s: int) -> int:
    m = re.match(r"\w+(?:[.,/-]\w+)*", text[s:s + 40])
    return s + (m.end() if m else 1)
