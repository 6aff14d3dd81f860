"""Legal documents: resolutions, directives, conclusions, decrees, plans, coordination programmes.

Input: `a.text`, `a.doc` (type heads found by PhraseMatcher from `doc_types.tsv`), `a.sentences`,
readable zones, and `a.dates` when the dates stage ran. Output: `a.legal_documents`, one per
document (same type and number, or same type and subject), every mention kept; the number and
symbol spans are claimed ("docnum") so the figures stage never counts them.

A mention is a type with a number ("kết luận số 44 ngày 22/1/2019 của Ban Bí thư", "Nghị định
86/2014/NĐ-CP", "NQLT01"), or without one but with a specific subject ("Kế hoạch phối hợp
phòng, chống bạo lực, xâm hại phụ nữ, trẻ em giai đoạn 2022-2027", "Đề án “Đầu tư xây dựng …”",
"Nghị quyết Đại hội lần thứ XII của Đảng"). Generic plurals ("các chỉ thị, nghị quyết của
Trung ương", "Nghị quyết, Chỉ thị, Kết luận của Đảng") are not documents.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from pipeline.analysis import Analysis, ClaimKind, Stage
from pipeline.extract import dates as dates_stage
from pipeline.extract._patterns import (QUOTE_OPENERS, YEAR_RE, ReferenceLexicon, clean_name,
                                        is_open_quote, quote_end)
from pipeline.extract._patterns import lexicon as reference_lexicon
from pipeline.gazetteers import Gazetteers
from pipeline.heading import OfficialHeading, symbol_code
from pipeline.keys import match_key
from pipeline.model import LegalDocument, Mention
from pipeline.tokens import Token as Tok
from pipeline.tokens import same_word

_NUM_RE = re.compile(r"\d{1,4}[a-z]?")
# a symbol: number then code segments ("09/CT-TW", "05-CT/TW", "86/2014/NĐ-CP", "01/TW")
_SYMBOL_RE = re.compile(r"(\d{1,4}[a-z]?)(?:[/-][\wĐđ.]+)+")
_ISSUE_DATE_RE = re.compile(r"(?:\d{4}|XXXX)-\d\d-\d\d")
_ROMAN_RE = re.compile(r"[IVXLC]+")
_HARD_STOPS = set(";.:!?()[]“”\"«»…") | {"...", "–", "—"}
_MAX_SUBJECT = 45  # tokens: subjects longer than this are run-on clauses, not titles
_MAX_LAW_NAME = 30  # tokens: the amending laws' names are the longest
_PARTY_WINDOW = 30


@dataclass(frozen=True)
class LegalLexicon:
    """The reference lexicon (types, marker words) and the date grammar, as this stage reads them."""
    ref: ReferenceLexicon
    dates: "dates_stage.Grammar"
    named_types: frozenset[str]        # types an organ can name without a number (Nghị quyết)
    self_issuing: tuple[str, ...]      # organs whose named resolution they issue ("Đại hội")
    generic_subject_words: tuple[tuple[str, ...], ...] = ()  # longest first

    def at(self, toks: list[Tok], i: int, list_name: str) -> int:
        return self.ref.at(toks, i, list_name)

    def before(self, toks: list[Tok], i: int, list_name: str) -> int:
        return self.ref.before(toks, i, list_name)


def lexicon(gz: Gazetteers) -> LegalLexicon:
    return gz.memo("legal", _build_lexicon)


def _build_lexicon(gz: Gazetteers) -> LegalLexicon:
    ref = reference_lexicon(gz)
    named = frozenset(dt.type for dt in ref.doc_types.values() if ref.in_list("named_resolution_types", dt.type))
    generic = sorted({tuple(match_key(w).split()) for w in ref.raw["generic_subject_words"]}, key=len, reverse=True)
    return LegalLexicon(ref, dates_stage.grammar(gz), named, tuple(ref.raw["self_issuing_organs"]), tuple(generic))


@dataclass
class Ref:
    """One mention of a document, before mentions of the same document are merged."""
    type: str
    start: int
    end: int
    number: str | None = None
    symbol: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    title_span: tuple[int, int] | None = None
    claims: list[tuple[int, int]] = field(default_factory=list)
    is_law: bool = False  # a law inside another's name stays a document of its own


# --- reading what follows a type head --------------------------------------------------------
def _is_year(s: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", s))


def _read_number(lx: LegalLexicon, toks: list[Tok], j: int) -> tuple[str | None, str | None, int, tuple[int, int] | None]:
    """"số 09/CT-TW" / "64" after a type: (number, symbol, next index, claimed span)."""
    so = lx.at(toks, j, "number_markers")
    k = j + so
    if k >= len(toks):
        return None, None, j, None
    t = toks[k]
    m = _SYMBOL_RE.fullmatch(t.text)
    if m and re.search(r"[A-Za-zĐđ]", t.text):
        return m.group(1), t.text, k + 1, (t.start, t.end)
    if _NUM_RE.fullmatch(t.text):
        if not so and _is_year(t.text):
            return None, None, j, None  # "Chương trình công tác 2017" names a year, not a number
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if not so and nxt is not None and nxt.text[:1].isalpha() and nxt.text[:1].islower() \
                and not _boundary_word(lx, toks, k + 1):
            return None, None, j, None  # "Dự án 8 hộ": a count, not a document number
        return t.text, None, k + 1, (t.start, t.end)
    return None, None, j, None


def _boundary_word(lx: LegalLexicon, toks: list[Tok], i: int) -> bool:
    return bool(lx.at(toks, i, "issuer_markers") or lx.at(toks, i, "subject_markers")
                or lx.at(toks, i, "party_markers") or lx.at(toks, i, "clause_starters")
                or lx.at(toks, i, "number_boundaries"))


def _read_date(lx: LegalLexicon, dates_at: dict, text: str, toks: list[Tok], j: int) -> tuple[str | None, int]:
    """"ngày 22/1/2019" right after a number: the dates stage's value, else the same date
    grammar read at that spot (a date the dates stage left to a longer match)."""
    if j >= len(toks):
        return None, j
    start = toks[j].start
    marker = lx.at(toks, j, "issue_date_markers")  # "ngày"
    starts = [start] + ([toks[j + marker].start] if marker and j + marker < len(toks) else [])
    for at in starts:
        d = dates_at.get(at)
        # "(giai đoạn 2013-2023)" is a term, not the date of issue
        if d is not None and _ISSUE_DATE_RE.fullmatch(d.value):
            return d.value, _index_after(toks, j, d.end)
    if marker or toks[j].text[0].isdigit():
        for s, e, kind, val in dates_stage.find_dates(text, start, min(len(text), start + 40), None, gr=lx.dates):
            if s == start and _ISSUE_DATE_RE.fullmatch(val):
                return val, _index_after(toks, j, e)
    return None, j


def _index_after(toks: list[Tok], j: int, end: int) -> int:
    while j < len(toks) and toks[j].start < end:
        j += 1
    return j


def _skip_paren(lx: LegalLexicon, toks: list[Tok], j: int) -> int:
    """Skip "(Khóa XII)", "(giai đoạn 2013-2023)", "(NQLT01)" and "khoá XI"."""
    if j < len(toks) and toks[j].text == "(":
        for k in range(j + 1, min(len(toks), j + 12)):
            if toks[k].text == ")":
                return k + 1
    n = lx.at(toks, j, "term_markers")
    if n and j + n < len(toks) and _ROMAN_RE.fullmatch(toks[j + n].text):
        j += n + 1
        while j + 1 < len(toks) and toks[j].text == "," and _ROMAN_RE.fullmatch(toks[j + 1].text):
            j += 2
    return j


def _read_issuer(lx: LegalLexicon, toks: list[Tok], j: int) -> tuple[str | None, int]:
    """"của Ban Bí thư khoá XI" -> "Ban Bí thư"; capitalised words and a few inner words."""
    n = lx.at(toks, j, "issuer_markers")
    if not n or j + n >= len(toks) or not toks[j + n].is_upper:
        return None, j
    k = j + n
    last = k
    while k < len(toks):
        t = toks[k]
        if lx.at(toks, k, "issuer_stops") or t.text in _HARD_STOPS or t.text == ",":
            break
        inner = lx.at(toks, k, "issuer_inner")
        if inner:
            k += inner
            if not lx.before(toks, k, "issuer_dangling"):
                last = k  # "Ủy ban ATGT quốc gia", but not a dangling "… của"
            continue
        if t.is_upper or t.text[0].isdigit() or (k > j + n and same_word(toks[k - 1], t)):
            k += 1
            last = k
            continue
        break
    if last == j + n:
        return None, j
    return " ".join(t.text for t in toks[j + n:last]), last


def _skip_parties(lx: LegalLexicon, toks: list[Tok], j: int) -> int:
    """"giữa Công an tỉnh với Ủy ban MTTQ Việt Nam tỉnh và các tổ chức thành viên" before "về"."""
    n = lx.at(toks, j, "party_markers")
    if not n:
        return j
    for k in range(j + n, min(len(toks), j + _PARTY_WINDOW)):
        if lx.at(toks, k, "party_ends") or is_open_quote_tok(toks, k):
            return k
        if toks[k].text in _HARD_STOPS:
            return k
    return j


def is_open_quote_tok(toks: list[Tok], k: int) -> bool:
    return len(toks[k].text) == 1 and toks[k].text in QUOTE_OPENERS


def _period_len(lx: LegalLexicon, toks: list[Tok], i: int) -> int:
    """Tokens of a period starting at toks[i]: "giai đoạn 2022-2027", "năm 2017", "2017 – 2020"."""
    k = i + lx.at(toks, i, "period_heads")
    if k < len(toks) and YEAR_RE.fullmatch(toks[k].text):
        k += 1
        if k + 1 < len(toks) and toks[k].text in "-–—" and _is_year(toks[k + 1].text):
            k += 2
        return k - i
    return 0


def read_subject(lx: LegalLexicon, toks: list[Tok], j: int, heads: set[int], need_period: bool) -> tuple[int, int] | None:
    """Token range of an unquoted subject from toks[j]; with `need_period`, only one that a
    period closes ("phòng, chống bạo lực … giai đoạn 2022-2027")."""
    k = j
    while k < len(toks) and k - j < _MAX_SUBJECT:
        t = toks[k]
        p = _period_len(lx, toks, k)
        if p and (k > j or need_period):
            return j, k + p
        if t.text in _HARD_STOPS or t.start in heads and k > j:
            break
        if k > j and lx.at(toks, k, "clause_starters"):
            break
        if t.text == ",":
            nxt = k + 1
            if nxt >= len(toks):
                break
            if _period_len(lx, toks, nxt):
                k += 1
                continue
            if toks[nxt].is_upper or toks[nxt].start in heads or lx.at(toks, nxt, "clause_starters"):
                break
        k += 1
    if need_period or k == j:
        return None
    return j, k


def _quoted_subject(lx: LegalLexicon, text: str, toks: list[Tok], j: int, limit: int,
                    heads: set[int]) -> tuple[str, int, int] | None:
    """A quoted title at toks[j]: (its text, next index, end offset). It is cut before a second
    document run into it; a period right after the quote belongs to the title ("“…” giai đoạn
    2023 - 2033")."""
    if j >= len(toks) or not is_open_quote(text, toks[j].start):
        return None
    close = quote_end(text, toks[j].start, limit)
    if close is None:
        return None
    inner = [t for t in toks if toks[j].start < t.start < close]
    for i, t in enumerate(inner):
        n = 1 if i > 0 and inner[i - 1].key in {",", ";"} else lx.before(inner, i, "coordinators")
        if t.start in heads and i > 0 and n:
            # 'về "Quản lý … và Chương trình …"': a quote left open runs into the next document
            cut = inner[i - n].start
            return clean_name(text[toks[j].start + 1:cut]), _index_after(toks, j, cut), cut
    title, end = text[toks[j].start + 1:close], close + 1
    k = _index_after(toks, j, close + 1)
    comma = 1 if k < len(toks) and toks[k].text == "," else 0
    p = _period_len(lx, toks, k + comma) if k + comma < len(toks) else 0
    if p:
        title += " " + text[toks[k + comma].start:toks[k + comma + p - 1].end]
        k, end = k + comma + p, toks[k + comma + p - 1].end
    return clean_name(title), k, end


def _named_resolution(lx: LegalLexicon, text: str, toks: list[Tok], j: int) -> tuple[str, int] | None:
    """"Nghị quyết Đại hội lần thứ XII của Đảng", "Nghị quyết Trung ương 4 (Khóa XII)"."""
    if not lx.at(toks, j, "named_resolution_organs") or not toks[j].is_upper:
        return None
    k = j
    while k < len(toks):
        t = toks[k]
        if t.text == "(" and k + 1 < len(toks) and lx.at(toks, k + 1, "term_markers"):
            e = _skip_paren(lx, toks, k)
            if e == k:
                break
            k = e
            continue
        inner = lx.at(toks, k, "issuer_inner")
        if inner and k + inner < len(toks) and (toks[k + inner].is_upper or toks[k + inner].text[0].isdigit()):
            k += inner
            continue
        if k > j and lx.before(toks, k, "ordinal_prefixes") and lx.at(toks, k, "ordinals"):
            k += lx.at(toks, k, "ordinals")
            continue
        if t.is_upper or t.text[0].isdigit() or lx.at(toks, k, "ordinal_words") \
                or lx.at(toks, k, "term_markers") \
                or (k > j and same_word(toks[k - 1], t)):
            k += 1
            continue
        break
    if k - j < 2:
        return None
    return clean_name(text[toks[j].start:toks[k - 1].end]), k


# --- the stage ------------------------------------------------------------------------------
class LegalDocuments(Stage):
    name = "legal"
    requires = ("text", "zones", "heading", "sentences", "words", "doc", "dates")
    provides = ("legal_documents", ClaimKind.LEGAL_REFERENCE.layer)

    def __init__(self, gazetteers: Gazetteers):
        super().__init__(gazetteers)
        self.lx = lexicon(gazetteers)

    def __call__(self, a: Analysis) -> None:
        refs = [r for r in self.find(a) if a.is_readable(r.start, r.end)]
        # an unnumbered type inside another's subject is part of that title ("Quyết định số 994 …
        # phê duyệt kế hoạch lập lại trật tự …"), not a document of its own
        titles = sorted((*r.title_span, id(r)) for r in refs if r.title_span)
        refs = [r for r in refs if r.number or r.is_law or not _inside_other_title(r, titles)]
        own = self_reference(a.heading)
        if own is not None:  # the document itself, from its heading
            approved = self._approved(own.title)
            refs = [own] + [r for r in refs if r.number is not None or not (
                own.title_span and own.title_span[0] <= r.start < own.title_span[1]
                or approved and _type_compatible(r.type, approved[0]) and
                fuzz.token_set_ratio(_loose(r.title), _loose(approved[1])) >= 85)]
        a.legal_documents = merge(refs, a.text)
        for r in refs:
            for s, e in r.claims:
                a.claim(s, e, ClaimKind.LEGAL_REFERENCE)

    def _approved(self, subject: str | None) -> tuple[str, str] | None:
        """What a decision's subject approves or issues: "PHÊ DUYỆT KẾ HOẠCH CHUYỂN ĐỔI …" ->
        (Kế hoạch, "CHUYỂN ĐỔI …"); that text is the decision's content, never a document of its own
        (DECISIONS), wherever it is named again in lower case."""
        words = match_key(subject).split()
        for n in range(1, 4):
            if self.lx.ref.in_list("approval_markers", " ".join(words[:n])):
                rest = words[n:]
                for m in range(min(4, len(rest)), 0, -1):
                    dt = self.lx.ref.doc_types.get(" ".join(rest[:m]))
                    if dt is not None:
                        return dt.type, " ".join(rest[m:])
        return None

    def find(self, a: Analysis) -> list[Ref]:
        lx, text = self.lx, a.text
        # a law is named with a capital: "pháp luật", "quy định của luật" hold no document
        heads = [h for h in lx.ref.find_heads(a.doc, "doc")
                 if lx.ref.doc_types[h[2]].needs != "name" or a.text[h[0]].isupper()]
        head_at = [h[0] for h in heads]
        dates_at = {d.start: d for d in a.dates}
        refs: list[Ref] = []
        for sent in a.sentences:
            toks = a.words.tokens(sent.start, sent.end)
            starts = {t.start: i for i, t in enumerate(toks)}
            lo, hi = bisect.bisect_left(head_at, sent.start), bisect.bisect_left(head_at, sent.end)
            sent_heads = [h for h in heads[lo:hi] if h[0] in starts]
            head_starts = {s for s, _, _ in sent_heads}
            found: list[Ref] = []
            # heads that can open a document here: a type that needs a number only with one after it
            # ("báo cáo" in "công tác thống kê, báo cáo" is a word of the subject, no document)
            subject_stops = {s for s, e, key in sent_heads
                             if lx.ref.doc_types[key].needs != "number" or _number_follows(toks, starts, e)}
            # an approval inside a decision (its article or the sentence holding the decision)
            in_decision = bool(toks) and (toks[0].key == "điều" or
                                          bool(_ARTICLE_RE.search(text, max(0, toks[0].start - 16), toks[0].start)))
            for s, e, key in sent_heads:
                found.extend(self.read(a, dates_at, toks, starts[s], _index_after(toks, starts[s], e),
                                       lx.ref.doc_types[key], subject_stops, in_decision))
                in_decision = in_decision or lx.ref.doc_types[key].type in DECISION_TYPES
            found.extend(self.aliases(toks, covered=[(r.start, r.end) for r in found]))
            refs.extend(found)
        return refs

    def read(self, a: Analysis, dates_at: dict, toks: list[Tok], i: int, j: int, dt,
             head_starts: set[int], in_decision: bool = False) -> list[Ref]:
        text, lx = a.text, self.lx
        r = Ref(dt.type, toks[i].start, toks[j - 1].end)
        head_end = r.end
        number, symbol, j2, claim = _read_number(lx, toks, j)
        q = lx.at(toks, j, "type_qualifiers") if not number else 0
        if q:  # "Quyết định thanh tra số 45/QĐ-TTr": a qualifier, then a symbol carrying the type's code
            n2, s2, j3, c2 = _read_number(lx, toks, j + q)
            if s2 and match_key(symbol_code(s2) or "") in {match_key(c) for c in dt.codes}:
                number, symbol, j2, claim = n2, s2, j3, c2
        if number:
            r.number, r.symbol, r.end = number, symbol, toks[j2 - 1].end
            r.claims.append(claim)
            j = j2
        elif dt.needs == "name":
            return self._read_law(a, dates_at, toks, i, j, r)
        elif lx.before(toks, i, "agency_heads_before_types") and toks[i].is_upper:
            return []  # "Sở Kế hoạch và Đầu tư": a body's name, not a plan
        elif lx.before(toks, i, "approval_markers") and (in_decision or a.zone_at(toks[i].start).kind == "title"):
            return []  # "Điều 1. Phê duyệt Kế hoạch …": what the decision approves is its subject
        elif dt.needs == "number":
            return []
        elif lx.before(toks, i, "plural_determiners") or self._in_type_list(toks, i, j, head_starts):
            return []  # "các chỉ thị, nghị quyết của Trung ương": generic
        date, j2 = _read_date(lx, dates_at, text, toks, j)
        if date:
            r.date = date
            r.claims.append((toks[j].start, toks[j2 - 1].end))
            j = j2
        named = None if number or dt.type not in lx.named_types else _named_resolution(lx, text, toks, j)
        if named:
            r.title_span = (toks[j].start, toks[named[1] - 1].end)
            r.title, j = named
            r.issuer = named[0] if named[0].startswith(lx.self_issuing) else None
            r.end = toks[j - 1].end
        j = _skip_paren(lx, toks, j)
        issuer, j2 = _read_issuer(lx, toks, j)
        if issuer:
            r.issuer, j = issuer, j2
        j = _skip_paren(lx, toks, j)
        if not r.date:
            r.date = self._signed_date(dates_at, text, toks, j)
        j = _skip_parties(lx, toks, j)
        limit = toks[-1].end
        marker = lx.at(toks, j, "subject_markers")
        k = j + marker
        if k < len(toks) and toks[k].text == ":":
            k += 1
        quoted = _quoted_subject(lx, text, toks, k, limit, head_starts)
        if quoted and quoted[0]:
            if dt.program_kind and not marker and not number:
                return []  # 'chương trình “Mẹ đỡ đầu”': a programme's name (programs stage)
            r.title, r.title_span = quoted[0], (toks[k].start, quoted[2])
            if not number:
                r.end = quoted[2]
                return [r] + self._more_quoted(text, toks, quoted[1], limit, head_starts, dt.type)
        elif marker or not named:
            sub = read_subject(lx, toks, k, head_starts, need_period=not marker)
            if sub and sub[1] > sub[0]:
                at_head = sub[1] < len(toks) and toks[sub[1]].start in head_starts
                if not (number and at_head):  # "kết luận số 44 … về tiếp tục … thực hiện Chỉ thị …"
                    r.title = clean_name(text[toks[sub[0]].start:toks[sub[1] - 1].end])
                    r.title_span = (toks[sub[0]].start, toks[sub[1] - 1].end)
                    if named:  # "Trung ương 8 (Khóa XI) về Chiến lược bảo vệ Tổ quốc …"
                        r.title = clean_name(text[head_end:toks[sub[1] - 1].end])
                if not number:
                    r.end = toks[sub[1] - 1].end
        if not number and not r.title:
            return []
        if not number and not quoted and not toks[i].is_upper and self._generic_subject(r.title):
            return []  # "kế hoạch nhiệm vụ năm 2021", "Chương trình công tác năm 2024"
        return [r]

    def _generic_subject(self, title: str | None) -> bool:
        words = match_key(title).replace(",", " ").split()
        generic = self.lx.generic_subject_words
        k = 0
        while k < len(words):
            n = next((len(g) for g in generic if tuple(words[k:k + len(g)]) == g), 0)
            if n:
                k += n
            elif re.fullmatch(r"[\d/–-]+", words[k]):
                k += 1
            else:
                return False
        return True

    def _read_law(self, a: Analysis, dates_at: dict, toks: list[Tok], i: int, j: int, r: Ref) -> list[Ref]:
        """"Luật Phòng, chống bệnh truyền nhiễm ngày 21 tháng 11 năm 2007", "Bộ luật Hình sự năm 2015",
        "Luật Đấu thầu 2013", "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B": the type word
        written with a capital, then the name; the title is the type and the name as written."""
        lx, text = self.lx, a.text
        if not toks[i].is_upper or j >= len(toks) or not toks[j].text[:1].isalpha():
            return []  # "pháp luật", "theo quy định của luật"
        amending = lx.at(toks, j, "amending_words")
        if not toks[j].is_upper and not amending:
            return []  # "Luật sư Nguyễn Văn A": a lawyer
        k = j
        if amending:  # "sửa đổi, bổ sung một số điều của": the name runs on to the laws it amends
            while k < len(toks) and k - j < _MAX_LAW_NAME and toks[k].key != "của" \
                    and toks[k].text not in _HARD_STOPS:
                k += 1
        while k < len(toks) and k - j < _MAX_LAW_NAME:
            t = toks[k]
            if amending and (t.key in ("của", "và") or t.key == "luật" and t.is_upper):
                k += 1
                continue
            if lx.at(toks, k, "law_name_stops") or _is_year(t.text):
                break
            if t.text == ",":
                if not lx.at(toks, k + 1, "law_name_after_comma"):
                    break  # ", các địa phương đã …", ", gây thiệt hại …": the sentence goes on
                k += 1  # "Luật Phòng, chống …", "Luật Khám bệnh, chữa bệnh"
                continue
            if not t.text[:1].isalpha():
                break
            k += 1
        if k == j:
            return []
        r.title = clean_name(text[toks[i].start:toks[k - 1].end])
        r.title_span = (toks[j].start, toks[k - 1].end)
        r.end = toks[k - 1].end
        date, k2 = _read_date(lx, dates_at, text, toks, k)
        if date:
            r.date, r.end = date, toks[k2 - 1].end
        else:
            year = k + (1 if k < len(toks) and toks[k].key == "năm" else 0)
            if year < len(toks) and _is_year(toks[year].text):
                r.date, r.end = toks[year].text, toks[year].end
                r.claims.append((toks[year].start, toks[year].end))
        r.is_law = True
        return [r]

    def _more_quoted(self, text: str, toks: list[Tok], j: int, limit: int, head_starts: set[int],
                     typ: str) -> list[Ref]:
        """'Đề án: "A"; "B"': further quoted titles after one type head are further documents."""
        out = []
        while j + 1 < len(toks) and toks[j].text in {";", ","}:
            q = _quoted_subject(self.lx, text, toks, j + 1, limit, head_starts)
            if not q or not q[0]:
                break
            out.append(Ref(typ, toks[j + 1].start, q[2], title=q[0], title_span=(toks[j + 1].start, q[2])))
            j = q[1]
        return out

    def _in_type_list(self, toks: list[Tok], i: int, j: int, head_starts: set[int]) -> bool:
        """"Nghị quyết, Chỉ thị, Kết luận của Đảng": types listed side by side are generic."""
        lx = self.lx
        n = 1 if toks[j:j + 1] and toks[j].key in {",", "/"} else lx.at(toks, j, "coordinators")
        after = bool(n) and j + n < len(toks) and toks[j + n].start in head_starts
        n = 1 if i >= 1 and toks[i - 1].key in {",", "/"} else lx.before(toks, i, "coordinators")
        before = bool(n) and i - n >= 1 and any(toks[k].start in head_starts for k in range(max(0, i - 4), i - n))
        return after or before

    def _signed_date(self, dates_at: dict, text: str, toks: list[Tok], j: int) -> str | None:
        """"… đã được … ký từ năm 2002": the date or year of signing written in the same clause."""
        lx = self.lx
        for k in range(j, min(len(toks), j + 14)):
            if toks[k].text in {";", "."}:
                return None
            if lx.at(toks, k, "signing_verbs"):
                d, _ = _read_date(lx, dates_at, text, toks, k + 1)
                if d:
                    return d
                lead = 1 if lx.at(toks, k + 1, "signing_year_lead") else 0
                for at in (k + 1, k + 1 + lead):
                    y = dates_at.get(toks[at].start) if at < len(toks) else None
                    if y is not None and re.fullmatch(r"(?:19|20)\d\d", y.value):
                        return y.value
        return None

    def aliases(self, toks: list[Tok], covered: list[tuple[int, int]]) -> list[Ref]:
        """"NQLT 01", "NQLT01": a type's short form with the number (one token or two)."""
        alias = self.lx.ref.alias_types
        out = []
        for i, t in enumerate(toks):
            m = _ALIAS_NUMBER_RE.fullmatch(t.text)
            if m and m.group(1) in alias:
                num, end, nstart = m.group(2), t.end, t.start + len(m.group(1))
            elif t.text in alias and i + 1 < len(toks) and re.fullmatch(r"\d{1,3}", toks[i + 1].text):
                m, num, end, nstart = None, toks[i + 1].text, toks[i + 1].end, toks[i + 1].start
            else:
                continue
            if any(s <= t.start < e for s, e in covered):
                continue
            typ = alias[m.group(1) if m else t.text]
            out.append(Ref(typ, t.start, end, number=num, claims=[(nstart, end)]))
        return out


_ALIAS_NUMBER_RE = re.compile(r"([A-ZĐ]+)(\d{1,3})")


DECISION_TYPES = frozenset({"Quyết định", "Nghị quyết"})  # documents that approve or issue others
_ARTICLE_RE = re.compile(r"Điều\s+\d+\.?\s*$")  # a decision's article: "Điều 1. Phê duyệt …"


def self_reference(h: OfficialHeading | None) -> Ref | None:
    """An official document lists itself (DECISIONS): type from its type line or symbol, number,
    symbol and date of issue from its heading, issuer the deciding office or the authority, title
    its subject. Mentioned at its symbol ("Số: 1994/QĐ-UBND"), else at its type line."""
    if h is None or h.type is None or not (h.symbol_span or h.subject_spans):
        return None
    at = h.symbol_span or h.type_span
    if at is None:
        return None
    title_span = (h.subject_spans[0][0], h.subject_spans[-1][1]) if h.subject_spans else None
    return Ref(type=h.type, start=at[0], end=at[1], number=h.number, symbol=h.symbol, date=h.issued,
               issuer=h.issuer, title=h.subject, title_span=title_span,
               claims=[h.symbol_span] if h.symbol_span else [])


def _number_follows(toks: list[Tok], starts: dict[int, int], head_end: int) -> bool:
    """Is the head ending at `head_end` followed by "số" or a number?"""
    k = _index_after(toks, 0, head_end)
    return k < len(toks) and (toks[k].key == "số" or toks[k].text[:1].isdigit())


def _inside_other_title(r: Ref, titles: list[tuple[int, int, int]]) -> bool:
    """Does r start inside the title span of another reference? `titles`: (start, end, id) sorted."""
    k = bisect.bisect_right(titles, (r.start, float("inf"), 0))
    return any(s <= r.start < e and o != id(r) for s, e, o in reversed(titles[:k]))


# --- merging mentions of one document ---------------------------------------------------------
def _type_compatible(a: str, b: str) -> bool:
    ka, kb = match_key(a), match_key(b)
    return ka == kb or ka.startswith(kb) or kb.startswith(ka)


def _same(doc: LegalDocument, r: Ref) -> bool:
    if not _type_compatible(doc.type, r.type):
        return False
    if doc.number or r.number:
        return (doc.number or "").lstrip("0") == (r.number or "").lstrip("0")
    # "Đại hội Đảng bộ Quân đội lần thứ X" and "… Bộ đội Biên phòng lần thứ XIV" stay apart
    return fuzz.ratio(_loose(doc.title), _loose(r.title)) >= 85


def _loose(s: str | None) -> str:
    return re.sub(r"[^\w ]+", " ", match_key(s)).replace("  ", " ").strip()


def merge(refs: list[Ref], text: str) -> list[LegalDocument]:
    """Mentions of the same type and number (or type and subject) become one document."""
    docs: list[LegalDocument] = []
    for r in sorted(refs, key=lambda r: r.start):
        doc = next((d for d in docs if _same(d, r)), None)
        if doc is None:
            docs.append(LegalDocument(type=r.type, number=r.number, symbol=r.symbol, date=r.date,
                                      issuer=r.issuer, title=r.title,
                                      mentions=[Mention(start=r.start, end=r.end, text=text[r.start:r.end])]))
            continue
        doc.mentions.append(Mention(start=r.start, end=r.end, text=text[r.start:r.end]))
        if len(match_key(r.type)) > len(match_key(doc.type)):
            doc.type = r.type  # "Nghị quyết liên tịch" over a bare "NQLT" reading, the fuller type
        for f in ("symbol", "date", "issuer", "title"):
            if not getattr(doc, f) and getattr(r, f):
                setattr(doc, f, getattr(r, f))
    for n, d in enumerate(docs, 1):
        d.id = f"legal-{n}"
    return docs

