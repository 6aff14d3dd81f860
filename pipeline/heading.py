"""The heading of an official document: who issues it, its number, date, type and subject.

Input: the document's lines (offsets into the normalised text, with their zone kind so far).
Output: an `OfficialHeading` with spans into the text, and the heading's lines marked (meta for
the heading block and the deciding office, title for the type line and the subject). Patterns and
word lists live in `gazetteers/official_heading.yaml`; the type lines in `zones.yaml`
(`document_type_titles`); type codes ("QĐ", "TB") in `doc_types.tsv`.

The two columns of the heading are laid out in many ways (one cell a line, "cell | cell |" rows,
both columns on one line, a flattened DOCX row). Right-column phrases (national name, motto,
rules, bars), the number cell and the place-and-date cell are cut out of each heading line; what
is left, in capitals, is the issuing authority.

>>> from pipeline.gazetteers import default_gazetteers
>>> text = "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nTỈNH TÂY NINH Độc lập - Tự do - Hạnh phúc\\n" \\
...        "Số: 2785/UBND-KT Tây Ninh, ngày 28 tháng 8 năm 2024\\nV/v đẩy nhanh tiến độ giải ngân\\nKính gửi: Sở Xây dựng."
>>> h = read_heading(text, lines_of(text), lexicon(default_gazetteers()))
>>> h.authority, h.symbol, h.issued, h.type, h.subject
('ỦY BAN NHÂN DÂN TỈNH TÂY NINH', '2785/UBND-KT', '2024-08-28', 'Công văn', 'đẩy nhanh tiến độ giải ngân')
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from pipeline.extract.dates import dmy_value
from pipeline.gazetteers import Gazetteers
from pipeline.keys import match_key


class LineLike(Protocol):
    start: int
    end: int
    text: str
    kind: str
    para: int


@dataclass
class Line:
    """One non-blank line of the text: its offsets, what zone it is and its paragraph number."""
    start: int
    end: int
    text: str
    kind: str = "body"
    para: int = 0


def lines_of(text: str) -> list[Line]:
    """Non-blank lines with their offsets and paragraph numbers."""
    out, pos, para = [], 0, 0
    for raw in text.split("\n"):
        if raw.strip():
            out.append(Line(pos, pos + len(raw), raw, para=para))
        else:
            para += 1
        pos += len(raw) + 1
    return out


Span = tuple[int, int]


@dataclass
class OfficialHeading:
    """What an official document's heading says, each part with its span in the text."""
    bodies: list[tuple[str, list[Span]]] = field(default_factory=list)  # left column, parent first; cells
    symbol_span: Span | None = None
    issued: str | None = None               # ISO date of issue
    issued_span: Span | None = None
    type_word: str | None = None            # the type line's word as written ("QUYẾT ĐỊNH")
    type_span: Span | None = None
    type: str | None = None                 # spelled out ("Quyết định"), from the type line or the symbol
    subject_spans: list[Span] = field(default_factory=list)
    decider_span: Span | None = None        # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG"
    title: str | None = None                # the document's title: type line and subject, as written
    text: str = ""

    def _cut(self, s: Span | None) -> str | None:
        return self.text[s[0]:s[1]] if s else None

    def body_cells(self) -> list[tuple[str, list[Span]]]:
        """Each body of the left column with the spans of the cells it is written in."""
        return self.bodies

    @property
    def authority(self) -> str | None:
        return " ".join(b for b, _ in self.bodies) or None

    @property
    def issuer(self) -> str | None:
        """Who issues it: the deciding office when written, else the last body of the left column."""
        return self._cut(self.decider_span) or (self.bodies[-1][0] if self.bodies else None)

    @property
    def symbol(self) -> str | None:
        return self._cut(self.symbol_span)

    @property
    def number(self) -> str | None:
        m = re.match(r"\d+", self.symbol or "")
        return m.group() if m else None

    @property
    def subject(self) -> str | None:
        return " ".join(self.text[s:e].strip() for s, e in self.subject_spans) or None


@dataclass(frozen=True)
class HeadingLexicon:
    right_column: re.Pattern[str]
    national: re.Pattern[str]
    number_cell: re.Pattern[str]
    place_date_cell: re.Pattern[str]
    place_date_cue: re.Pattern[str]         # held by every place-and-date cell
    place_levels: re.Pattern[str]
    unit_opener: re.Pattern[str]
    letter_subject: re.Pattern[str]
    letter_type: str
    decider_openers: re.Pattern[str]
    preamble_openers: re.Pattern[str]
    type_line: re.Pattern[str]
    code_types: dict[str, str]              # "qđ" -> "Quyết định"
    title_types: dict[str, str]             # match_key("QUYẾT ĐỊNH") -> "Quyết định"
    max_lines: int
    max_chars: int
    window: int


def lexicon(gz: Gazetteers) -> HeadingLexicon:
    return gz.memo("official_heading", _build_lexicon)


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _build_lexicon(gz: Gazetteers) -> HeadingLexicon:
    d = gz.yaml("official_heading.yaml")
    ci = re.IGNORECASE
    types = gz.tsv("doc_types.tsv")
    code_types = {match_key(c): r["type"] for r in types for c in r["codes"].split(",") if c.strip()}
    title_words = gz.yaml("zones.yaml")["document_type_titles"]
    by_key = {match_key(r["type"]): r["type"] for r in types}
    return HeadingLexicon(
        right_column=re.compile("|".join(f"(?:{p})" for p in d["right_column"]), ci),
        national=re.compile("|".join(f"(?:{p})" for p in d["national"]), ci),
        number_cell=re.compile(d["number_cell"], ci),
        place_date_cell=re.compile(d["place_date_cell"], ci),
        place_date_cue=re.compile(d["place_date_cue"], ci),
        place_levels=re.compile(rf"(?:^|(?<=\s))(?:{_alt(d['place_levels'])})(?=\s)"),
        unit_opener=re.compile(rf"\s(?=(?:{_alt(d['unit_openers'])})\s)"),
        letter_subject=re.compile(d["letter_subject"], ci),
        letter_type=d["letter_type"],
        decider_openers=re.compile(rf"^(?:{_alt(d['decider_openers'])})(?=\s|$)"),
        preamble_openers=re.compile(rf"(?:^|(?<=\s))(?:{_alt(d['preamble_openers'])})(?=[\s:,])"),
        type_line=re.compile(rf"^(?P<type>{_alt(title_words)})(?=$|\s)"),
        code_types=code_types,
        title_types={match_key(w): by_key.get(match_key(w), w.capitalize()) for w in title_words},
        max_lines=int(d["subject_limits"]["lines"]), max_chars=int(d["subject_limits"]["chars"]),
        window=int(d["window"]))


def _is_capitals(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _bare(s: str, lx: HeadingLexicon) -> str:
    """The line without its right-column phrases, rules and bars."""
    return lx.right_column.sub(" ", s).strip()


def _place_date(s: str, lx: HeadingLexicon) -> re.Match[str] | None:
    """The place-and-date cell of a line, searched for only when the line holds its cue."""
    return lx.place_date_cell.search(s) if lx.place_date_cue.search(s) else None


def _anchors(ln: LineLike, lx: HeadingLexicon) -> tuple[bool, re.Match[str] | None, re.Match[str] | None]:
    return bool(lx.national.search(ln.text)), lx.number_cell.search(ln.text), _place_date(ln.text, lx)


def _heading_like(ln: LineLike, lx: HeadingLexicon) -> bool:
    """A line of the heading block that is no anchor: capitals, rules, bars."""
    rest = _bare(ln.text, lx)
    return not rest or (_is_capitals(rest) and len(rest) <= 120)


def _left_cells(ln: LineLike, lx: HeadingLexicon, upto: int | None) -> list[tuple[str, Span]]:
    """Capitalised pieces of a heading line outside the right column, number and date cells."""
    s = ln.text if upto is None else ln.text[:upto]
    cells = (lx.right_column, lx.place_date_cell) if lx.place_date_cue.search(s) else (lx.right_column,)
    cut = [(m.start(), m.end()) for p in cells for m in p.finditer(s)]
    cut.sort()
    out, pos = [], 0
    for a, b in cut + [(len(s), len(s))]:
        if a > pos:
            piece = s[pos:a]
            core = piece.strip(" -–,;:")
            if core and _is_capitals(core):
                off = pos + piece.find(core)
                out.append((core, (ln.start + off, ln.start + off + len(core))))
        pos = max(pos, b)
    return out


def _bodies(cells: list[tuple[str, Span]], lx: HeadingLexicon) -> list[tuple[str, list[Span]]]:
    """Left-column cells as bodies: "ỦY BAN NHÂN DÂN" + "TỈNH AN GIANG" is one body; "UBND TỈNH
    BÌNH DƯƠNG" and "SỞ LAO ĐỘNG …" are two (the parent, then the issuer)."""
    bodies: list[tuple[str, list[Span]]] = []
    for text, (s, e) in cells:
        if bodies and lx.place_levels.match(text):
            prev, spans = bodies[-1]
            bodies[-1] = (f"{prev} {text}", spans + [(s, e)])
            continue
        # one cell holding a parent and its unit: a body opener after the place of the first
        m = lx.unit_opener.search(text)
        if m and lx.place_levels.search(" ".join(text[:m.start()].split()[1:])):
            bodies.append((text[:m.start()].rstrip(), [(s, s + len(text[:m.start()].rstrip()))]))
            bodies.append((text[m.end():], [(s + m.end(), e)]))
            continue
        bodies.append((text, [(s, e)]))
    return bodies


def read_heading(text: str, lines: list[LineLike], lx: HeadingLexicon) -> OfficialHeading | None:
    """Find and read the heading block; mark its lines. None when the document has none."""
    content = [ln for ln in lines if ln.kind == "body"]
    window = content[:lx.window]
    block = _block(window, lx)
    if block is None:
        return None
    start, end = block
    h = OfficialHeading(text=text)
    cells: list[tuple[str, Span]] = []
    for ln in window[start:end]:
        ln.kind = "meta"
        num = lx.number_cell.search(ln.text)
        if num and h.symbol_span is None:
            h.symbol_span = (ln.start + num.start("symbol"), ln.start + num.end("symbol"))
        pd = _place_date(ln.text, lx)
        if pd and h.issued is None:
            h.issued = dmy_value(pd.group("day"), pd.group("month"), pd.group("year"))
            h.issued_span = (ln.start + pd.start(), ln.start + pd.end())
        if h.symbol_span is None or num:  # the authority stands above the number, or left of it
            cells.extend(_left_cells(ln, lx, num.start() if num else None))
    h.bodies = _bodies(cells, lx)
    _read_title(h, window[end:], lx)
    if h.type is None and h.symbol_span is not None:
        code = symbol_code(h.symbol or "")
        h.type = (lx.code_types.get(match_key(code)) if code else None) or lx.letter_type
    return h


def _block(window: list[LineLike], lx: HeadingLexicon) -> tuple[int, int] | None:
    """[start, end) of the heading block in `window`: two of the national name or motto, the
    number, the place-and-date, with the capitalised left column around them; or, without those, capitalised
    lines right above a type line ("ỦY BAN NHÂN DÂN / TỈNH X / KẾ HOẠCH")."""
    anchors = [(k, *_anchors(ln, lx)) for k, ln in enumerate(window)]
    found = [[k for k, *kinds in anchors if kinds[n]] for n in range(3)]  # national, number, place-and-date
    at = sorted(k for ks in found for k in ks)
    if sum(1 for ks in found if ks) >= 2 and at[-1] - at[0] <= 12:
        first, last = at[0], at[-1]
        if not all(_heading_like(ln, lx) or any(_anchors(ln, lx)) for ln in window[first:last + 1]):
            return None
    else:
        k = next((k for k, ln in enumerate(window) if lx.type_line.match(ln.text.strip())), None)
        if not k or not _heading_like(window[k - 1], lx) or not _bare(window[k - 1].text, lx):
            return None
        first = last = k - 1
    start = first
    while start > 0 and _heading_like(window[start - 1], lx) and not lx.type_line.match(window[start - 1].text.strip()):
        start -= 1
    end = last + 1
    while end < len(window) and not _bare(window[end].text, lx):
        end += 1  # rules and bars under the block
    return start, end


def symbol_code(symbol: str) -> str | None:
    """ "27/2024/NQ-HĐND" -> "NQ"; "9/TB-VPCP" -> "TB"; "2785/UBND-KT" -> "UBND"."""
    parts = [p for p in symbol.split("/")[1:] if p and not re.fullmatch(r"\d{4}", p)]
    return parts[0].split("-")[0] if parts else None


def _read_title(h: OfficialHeading, after: list[LineLike], lx: HeadingLexicon) -> None:
    """The type line and subject under the heading block, and the deciding office under them."""
    if not after:
        return
    first = after[0]
    s = first.text.strip()
    lead = first.start + (len(first.text) - len(first.text.lstrip()))
    m = lx.type_line.match(s)
    letter = lx.letter_subject.match(s) if m is None else None
    if m is not None:
        h.type_word = m.group("type")
        h.type_span = (lead, lead + len(h.type_word))
        h.type = lx.title_types.get(match_key(h.type_word))
        rest_at = lead + m.end()
    elif letter is not None:
        rest_at = lead + letter.end()
    else:
        return
    first.kind = "title"
    subject: list[Span] = []
    done = False
    if h.text[rest_at:first.end].strip():  # "V/v đẩy nhanh …", or the subject on the type line
        span = _trim(h.text, rest_at, first.end, lx, first_line=True)
        subject.append(span)
        done = bool(h.text[span[1]:first.end].strip())
    prev, rest = first, after[1:]
    k = 0
    for k, ln in enumerate(rest):
        t = ln.text.strip()
        if done or len(subject) >= lx.max_lines:
            break
        if not _bare(t, lx):  # a rule or a bar: before the subject skipped, after it the end
            if subject:
                k += 1
                break
            continue
        if subject and (ln.para != prev.para or lx.decider_openers.match(t) or lx.preamble_openers.match(t)):
            break
        if not subject and (not t[:1].isupper() or (m is None)):
            break
        span = _trim(h.text, ln.start, ln.end, lx, first_line=not subject)
        if span[1] <= span[0] or sum(e - b for b, e in subject) + span[1] - span[0] > lx.max_chars:
            break
        subject.append(span)
        ln.kind = "title"
        prev = ln
        done = bool(h.text[span[1]:ln.end].strip())  # it ended inside this line ("… Căn cứ Luật …")
    else:
        k = len(rest)
    if subject and (done or k < len(rest) and lx.preamble_openers.match(rest[k].text.strip())):
        # a hard-wrapped copy joins the deciding office to the subject ("… GIAI ĐOẠN 2021 - 2025
        # CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG"), the preamble right under them
        b, e = subject[-1]
        for d in re.finditer(r"(?<=\s)(?=\S)", h.text[b:e]):
            tail = h.text[b + d.start():e]
            if lx.decider_openers.match(tail) and _is_capitals(tail) and len(tail) <= 100 and \
                    len(h.text[b:b + d.start()].split()) >= 3:
                subject[-1] = (b, b + len(h.text[b:b + d.start()].rstrip()))
                h.decider_span = (b + d.start(), e)
                break
    h.subject_spans = subject
    words = h.text[lead:rest_at].split() if m is not None else h.text[lead:rest_at].split()
    h.title = " ".join(words + [h.text[b:e].strip() for b, e in subject]) or None
    # the deciding office, in capitals, right under the subject
    for ln in ([] if h.decider_span else rest[k:k + 3]):
        t = ln.text.strip()
        if not _bare(t, lx):
            continue
        if _is_capitals(t) and len(t) <= 100 and lx.decider_openers.match(t):
            off = ln.start + ln.text.find(t)
            h.decider_span = (off, off + len(t))
            ln.kind = "meta"
        break


def _trim(text: str, start: int, end: int, lx: HeadingLexicon, first_line: bool) -> Span:
    """A subject line's span, cut at a rule or at a preamble opener inside it ("TRIỂN KHAI … TỈNH
    BÌNH ĐỊNH Căn cứ Luật …": capitals end where the preamble starts)."""
    seg = text[start:end]
    cut = len(seg)
    r = re.search(r"\s*[-–_=]{3,}", seg)
    if r:
        cut = r.start()
    for p in lx.preamble_openers.finditer(seg, 0, cut):
        if p.start() == 0 or (first_line and len(seg[:p.start()].split()) < 3):
            continue
        cut = p.start()
        break
    core = seg[:cut].rstrip(" ,;:")
    lead = len(core) - len(core.lstrip())
    return (start + lead, start + len(core))
