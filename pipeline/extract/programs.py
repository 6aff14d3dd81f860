"""Programmes: named campaigns, drives, programmes, projects, models, clubs and plans.

Input: `a.text`, `a.doc` (head words found by PhraseMatcher from `program_kinds.tsv`),
`a.sentences`, readable zones, and `a.legal_documents` (an unnumbered plan or programme with a
subject is a programme too). Output: `a.programs`, one per programme with every mention; spans
of names holding numbers are claimed ("name") so "Dự án 8" or "5 không 3 sạch" are no figures.

Read: a head with quoted names ("các câu lạc bộ: “Đồng cảm”, “Trách nhiệm cùng chia sẻ”" ->
two clubs), a project with its number ("Dự án 8 “Thực hiện bình đẳng giới …”" -> "Dự án 8
Thực hiện bình đẳng giới …"), and unquoted subjects where the head's gazetteer row allows
("phong trào toàn dân bảo vệ an ninh Tổ quốc trong …" -> "toàn dân bảo vệ an ninh Tổ quốc";
"11 CLB sống khỏe cho trẻ em ngoài trường học với 385 trẻ" -> "sống khỏe cho trẻ em …").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipeline.analysis import Analysis, ClaimKind, Stage
from pipeline.extract._patterns import (QUOTE_OPENERS, clean_name, is_open_quote, quote_end)
from pipeline.extract._patterns import lexicon as reference_lexicon
from pipeline.gazetteers import Gazetteers
from pipeline.keys import match_key
from pipeline.model import Mention, Program
from pipeline.tokens import Token as Tok
from pipeline.tokens import same_word

_MAX_NAME_CHARS = 220  # a quoted stretch longer than this is a quotation, not a name
_MAX_UNQUOTED = 16  # tokens of an unquoted name
_FILLER_WINDOW = 14  # tokens between a head and the ":" that opens its list
_GLOSS_WINDOW = 8    # tokens of a gloss after an item of such a list ("dành cho sinh viên")
_SEPARATOR_MARKS = {",", ";", "…", "...", "-"}
_COUNT_RE = re.compile(r"\d+(?:[.,]\d+)*")




@dataclass
class Found:
    kind: str
    name: str
    start: int
    end: int
    quoted: bool
    legal_id: str | None = None  # the legal document it was read from


def _key(name: str) -> str:
    """Names compared without case, tone-mark placement or punctuation."""
    return " ".join(re.sub(r"[^\w]+", " ", match_key(name)).split())


class Programs(Stage):
    name = "programs"
    requires = ("text", "zones", "sentences", "words", "doc", "legal_documents")
    provides = ("programs", ClaimKind.PROGRAM_NAME.layer)

    def __init__(self, gazetteers: Gazetteers):
        super().__init__(gazetteers)
        self.lx = reference_lexicon(gazetteers)
        # between quoted names: punctuation and the conjunctions of reference_patterns.yaml, as
        # written ("“Đồng cảm” và “Trách nhiệm cùng chia sẻ”")
        self.separators = frozenset(_SEPARATOR_MARKS | set(self.lx.raw["name_list_conjunctions"]))

    def __call__(self, a: Analysis) -> None:
        found = [m for m in self.find(a) + self.from_legal(a) if a.is_readable(m.start, m.end)]
        a.programs = merge(found, a.text)
        for m in found:
            if re.search(r"\d", a.text[m.start:m.end]):
                a.claim(m.start, m.end, ClaimKind.PROGRAM_NAME)

    # --- reading -------------------------------------------------------------------------
    def find(self, a: Analysis) -> list[Found]:
        text, heads_gz = a.text, self.lx.program_heads
        heads = self.lx.find_heads(a.doc, "program")
        head_offsets = [h[0] for h in heads]
        out: list[Found] = []
        for sent in a.sentences:
            lo, hi = bisect.bisect_left(head_offsets, sent.start), bisect.bisect_left(head_offsets, sent.end)
            if lo == hi:
                continue  # no programme head in the sentence
            toks = a.words.tokens(sent.start, sent.end)
            idx = {t.start: i for i, t in enumerate(toks)}
            sh = [(idx[s], e, heads_gz[k]) for s, e, k in heads[lo:hi] if s in idx]
            head_at = {i: (e, h) for i, e, h in sh}
            taken = -1  # index up to which quoted lists were consumed
            for i, e, h in sh:
                if i < taken:
                    continue
                j = _after(toks, e)
                if j < len(toks) and j in head_at:
                    continue  # "mô hình câu lạc bộ “…”", "mô hình phong trào …": the next head rules
                if h.kind is None:
                    continue
                got, taken = self.quoted(text, toks, i, j, h, head_at)
                if got:
                    out.extend(got)
                    continue
                m = self.unquoted(text, toks, i, j, h, head_at)
                if m:
                    out.append(m)
        return out

    def quoted(self, text: str, toks: list[Tok], i: int, j: int, h, head_at) -> tuple[list[Found], int]:
        """Quoted names after a head, a list of them, each kind from the nearest head before it."""
        kind, prefix, start = h.kind, "", toks[i].start
        if h.numbered and j < len(toks) and _COUNT_RE.fullmatch(toks[j].text):
            prefix = text[toks[i].start:toks[j].end] + " "  # "Dự án 8 “…”" -> "Dự án 8 …"
            j += 1
        j = self._skip_fillers(toks, j, head_at)
        listed = 0 < j < len(toks) and toks[j - 1].text == ":"  # a list the colon opens
        out: list[Found] = []
        while j < len(toks):
            if j in head_at:  # a further head inside the list: "…; mô hình “Xây dựng …”"
                h2 = head_at[j][1]
                if h2.kind is None:
                    break
                kind, j = h2.kind, self._skip_fillers(toks, _after(toks, head_at[j][0]), head_at)
                start = None
                continue
            if not is_open_quote(text, toks[j].start):
                break
            close = quote_end(text, toks[j].start, toks[-1].end)
            if close is None or close - toks[j].start > _MAX_NAME_CHARS:
                break
            name = clean_name(text[toks[j].start + 1:close])
            if name:
                out.append(Found(kind, prefix + name, start if start is not None else toks[j].start,
                                   close + 1, True))
            prefix, start = "", None
            j = _after(toks, close + 1)
            if listed:  # "…: “Mùa hè xanh” dành cho sinh viên, “Hoa phượng đỏ” …": a short gloss, then the next
                j = self._after_gloss(text, toks, j)
            while j < len(toks) and toks[j].text in self.separators:
                j += 1
        return out, j

    def _after_gloss(self, text: str, toks: list[Tok], j: int) -> int:
        """In a list a colon opens, the separator after a short gloss of the item before it, when the
        next item's quote follows that separator; else j."""
        for k in range(j, min(len(toks) - 1, j + _GLOSS_WINDOW)):
            if toks[k].text in {".", ";", ":", "(", ")"} or is_open_quote(text, toks[k].start):
                return j
            if toks[k].text in self.separators and is_open_quote(text, toks[k + 1].start):
                return k
        return j

    def _skip_fillers(self, toks: list[Tok], j: int, head_at) -> int:
        """", câu lạc bộ như:", "thi đua", "được … nhân rộng toàn quốc:" between a head and quotes."""
        k = j
        while k < len(toks):
            n = self.lx.at(toks, k, "list_fillers")
            if n:
                k += n
            elif toks[k].text in {",", ":"} or (k in head_at and head_at[k][1].kind):
                k += 1 if toks[k].text in {",", ":"} else 0
                if k in head_at:
                    return k
            else:
                break
        if k < len(toks) and not is_open_quote_tok(toks[k]):
            # "2 mô hình được Bộ Công an thông báo nhân rộng toàn quốc: “…”"
            for c in range(k, min(len(toks), k + _FILLER_WINDOW)):
                if toks[c].text in {";", ".", "“", "”", "\""}:
                    break
                if toks[c].text == ":":
                    return c + 1
        return k

    def unquoted(self, text: str, toks: list[Tok], i: int, j: int, h, head_at) -> Found | None:
        """An unquoted subject where the head allows one ("phong trào toàn dân bảo vệ ANTQ")."""
        item = h.unquoted == "legal" and toks[i].is_upper and _opens_list_item(text, toks[i].start)
        if (h.unquoted not in {"phrase", "counted"} and not item) or j >= len(toks):
            return None
        plural = self.lx.before(toks, i, "plural_determiners")
        counted = i > 0 and _COUNT_RE.fullmatch(toks[i - 1].text) is not None
        if self.lx.at(toks, j, "generic_after") or not toks[j].text[:1].isalpha():
            return None
        if item:  # "- Chương trình cho vay học sinh, sinh viên có hoàn cảnh khó khăn: 78,6 tỷ đồng"
            k = next((c for c in range(j, min(len(toks), j + _MAX_UNQUOTED))
                      if toks[c].text in {":", ";", ".", "“", "”", "\"", "(", ")"} or c in head_at), None)
            if k is None or toks[k].text != ":" or k - j < 2:
                return None
            name = clean_name(text[toks[j].start:toks[k - 1].end])
            return Found(h.kind, name, toks[i].start, toks[k - 1].end, False)
        k = j
        while k < len(toks) and k - j < _MAX_UNQUOTED:
            t = toks[k]
            if t.text == "," and h.unquoted == "counted" and toks[j].is_upper and k + 1 < len(toks) \
                    and toks[k + 1].text[:1].islower() and not self.lx.at(toks, k + 1, "clause_starters"):
                k += 1  # "mô hình Quản lý, giáo dục thanh thiếu niên …": a capitalised name goes on
                continue
            if t.text in {",", ";", ".", ":", "(", ")", "…", "...", "“", "”", "\"", "-", "–"} or k in head_at:
                break
            if k > j and (self.lx.at(toks, k, "name_stops") or self.lx.at(toks, k, "clause_starters")) \
                    and not same_word(toks[k - 1], t):
                break
            k += 1
        if k - j < 2:
            return None
        if h.unquoted == "phrase" and plural:
            return None
        if h.unquoted == "counted":
            n = self.lx.at(toks, k, "name_count_markers")  # "… với 12 CLB"
            with_count = (n and k + n + 1 < len(toks) and _COUNT_RE.fullmatch(toks[k + n].text)
                          and match_key(toks[k + n + 1].text) in {match_key(x) for x in (h.head, h.kind)})
            if not (counted or with_count or (toks[j].is_upper and not plural)):
                return None
        name = clean_name(text[toks[j].start:toks[k - 1].end])
        return Found(h.kind, name, toks[i].start, toks[k - 1].end, False)

    def from_legal(self, a: Analysis) -> list[Found]:
        """"Kế hoạch phối hợp phòng, chống bạo lực … giai đoạn 2022-2027" is a plan too."""
        types = self.lx.doc_types
        out = []
        for d in a.legal_documents:
            dt = types.get(match_key(d.type))
            if not dt or not dt.program_kind or d.number or not d.title:
                continue
            rest = d.type[len(dt.program_kind):].strip()  # "phối hợp" of "Kế hoạch phối hợp"
            name = f"{rest} {d.title}".strip()
            for m in d.mentions:
                out.append(Found(dt.program_kind, name, m.start, m.end, False, d.id or None))
        return out


def is_open_quote_tok(t: Tok) -> bool:
    return len(t.text) == 1 and t.text in QUOTE_OPENERS


_ITEM_MARK = re.compile(r"(?:[-+•*–]|\d{1,2}[.)]|[a-zđ][.)])?\s*\Z")


def _opens_list_item(text: str, at: int) -> bool:
    """Nothing but a list mark ("-", "+", "2.", "a)") stands before `at` on its line."""
    line_start = text.rfind("\n", 0, at) + 1
    return bool(_ITEM_MARK.match(text, line_start, at)) and text[line_start:at].strip() != ""


def _after(toks: list[Tok], end: int) -> int:
    """Index of the first token starting at or after `end`."""
    return bisect.bisect_left(toks, end, key=lambda t: t.start)


# --- merging -------------------------------------------------------------------------------
def _contains(long: str, short: str) -> bool:
    return f" {short} " in f" {long} "


def _same(p: Program, quoted: bool, m: Found, keys: list[str]) -> bool:
    mk = _key(m.name)
    for k in keys:
        if k == mk:
            return True
        shorter, longer = sorted((k, mk), key=len)
        if len(shorter.split()) >= 3 and longer.startswith(shorter + " "):
            return True  # "xây dựng gia đình 5 không, 3 sạch" and its fuller form
        if p.kind == m.kind and not (quoted and m.quoted) and len(shorter.split()) >= 3 \
                and set(shorter.split()) <= set(longer.split()):
            return True  # unquoted subjects vary ("… tham gia bảo vệ an ninh Tổ quốc")
    return False


def merge(mentions: list[Found], text: str) -> list[Program]:
    """One programme per name: equal names, a name and its fuller form, or varied subjects."""
    groups: list[tuple[Program, list[Found]]] = []
    for m in sorted(mentions, key=lambda m: m.start):
        for p, ms in groups:
            if _same(p, all(x.quoted for x in ms), m, [_key(x.name) for x in ms]):
                ms.append(m)
                break
        else:
            groups.append((Program(kind=m.kind, name=m.name), [m]))
    out = []
    for p, ms in groups:
        quoted = [x for x in ms if x.quoted]
        if quoted:
            p.name = max(quoted, key=lambda x: len(x.name)).name  # the fullest quoted form
        else:  # the form written most often, the shorter on a tie
            counts: dict[str, int] = {}
            for x in ms:
                counts[x.name] = counts.get(x.name, 0) + 1
            p.name = min(counts, key=lambda n: (-counts[n], len(n)))
        spans = sorted({(x.start, x.end) for x in ms})
        p.mentions = [Mention(start=s, end=e, text=text[s:e]) for s, e in spans]
        p.id = f"program-{len(out) + 1}"
        p.legal_document_id = next((x.legal_id for x in ms if x.legal_id), None)
        out.append(p)
    return out

