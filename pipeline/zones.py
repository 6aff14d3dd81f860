"""Zones: what a reader sees where (title, publication line, bylines, outlet, captions, furniture).

Input: normalised `text` (and reader metadata). Output: non-overlapping zones covering every
non-blank line, plus the document's title, publication date, authors and outlet. Patterns live in
`gazetteers/zones.yaml`.

>>> z = segment("Tiêu đề bài\\n07:00 | 17/07/2020;\\nNội dung bài.\\nPhương Thuỷ")
>>> z.title, z.published, z.authors
('Tiêu đề bài', '2020-07-17', ['Phương Thuỷ'])
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.extract.dates import dmy_value
from pipeline.gazetteers import Gazetteers, default_gazetteers
from pipeline.keys import is_acronym, match_key
from pipeline.heading import HeadingLexicon, Line, OfficialHeading, lines_of, read_heading
from pipeline.heading import lexicon as heading_lexicon
from pipeline.matching import is_ethnic_syllable, is_vietnamese_syllable
from pipeline.model import Zone

_END_PUNCT = ".!?…:;"


@dataclass
class ZoneResult:
    zones: list[Zone]
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    heading: OfficialHeading | None = None


@dataclass(frozen=True)
class ZoneLexicon:
    patterns: dict[str, list[re.Pattern[str]]]
    sign_off_outlets: frozenset[str]
    places: frozenset[str] = frozenset()   # match keys of place names: "Hà Nội" under a headline is no byline
    joined: dict[str, re.Pattern[str]] = field(default_factory=dict)  # a key's patterns as one, for `exists`

    def any(self, key: str, s: str) -> re.Match[str] | None:
        """The match of the first of `key`'s patterns found in `s`."""
        for p in self.patterns[key]:
            m = p.search(s)
            if m:
                return m
        return None

    def exists(self, key: str, s: str) -> bool:
        """Whether any of `key`'s patterns is found in `s`: one search of them all joined (one pass
        over a line instead of one per pattern), where they could be joined."""
        joined = self.joined.get(key)
        if joined is None:
            return self.any(key, s) is not None
        return joined.search(s) is not None


def lexicon(gz: Gazetteers) -> ZoneLexicon:
    return gz.memo("zones", _build_lexicon)


def _build_lexicon(gz: Gazetteers) -> ZoneLexicon:
    data = gz.yaml("zones.yaml")
    out = {}
    for key, entries in data.items():
        if key in ("sign_off_outlets", "name_particles"):
            continue
        if key == "document_type_titles":  # a list of words: one case-sensitive pattern
            words = sorted(entries, key=len, reverse=True)
            out[key] = [re.compile(r"^(?P<type>" + "|".join(map(re.escape, words)) + r")(?=$|\s)(?P<rest>.*)$")]
            continue
        flags = 0 if key in ("dateline_tag", "signature_lines") else re.IGNORECASE
        out[key] = [re.compile(p, flags) for p in entries]
    places = frozenset(match_key(r["name"]) for f in ("places.tsv", "districts.tsv") for r in gz.tsv(f))
    joined = {}
    for key, pats in out.items():
        try:  # patterns that reuse a group name cannot be joined: those keys search one by one
            joined[key] = re.compile("|".join(f"(?:{p.pattern})" for p in pats), pats[0].flags)
        except re.error:
            pass
    return ZoneLexicon(out, frozenset(x.lower() for x in data["sign_off_outlets"]), places, joined)


def is_name_word(w: str) -> bool:
    """A capitalised Vietnamese syllable ("Thuỷ", "HÀ"), or an initial ("K.")."""
    w = w.strip(",")
    if not w or not w[0].isupper():
        return False
    if re.fullmatch(r"(?:[A-ZĐ]\.)+", w):
        return True
    glued = re.fullmatch(r"(?:[A-ZĐ]\.)+(?P<rest>\w+)", w)  # "X.Thuỷ", "H.Vân": an initial glued to a name
    if glued:
        w = glued.group("rest")
    return w.isalpha() and (w[1:].islower() or w.isupper() or len(w) == 1)


def split_names(s: str) -> list[str] | None:
    """"Lê Minh - Kim Hiền" -> ["Lê Minh", "Kim Hiền"]; None when any part is not name-shaped."""
    s = s.strip().strip(";,")
    if s.endswith(".") and not re.search(r"(?:^|\s|\.)[A-ZĐ]\.$", s):  # keep the stop of an initial "K.L."
        s = s[:-1]
    if not s:
        return None
    parts = [p.strip() for p in re.split(r"\s+-\s*|\s*-\s+|\s*,\s*|\s+và\s+|\s*/\s*", s) if p.strip()]
    names = []
    for p in parts:
        words = p.split()
        if not 1 <= len(words) <= 5 or not all(is_name_word(w) for w in words):
            return None
        # a person's name is Vietnamese syllables, most of them at least (ethnic names hold some
        # clusters: "Ksor Y Phơn"); "POWERED BY ONECMS" on a site's footer is no author (one word
        # alone is judged later: "TTXVN" is an outlet's tag)
        plain = [re.sub(r"^(?:[A-ZĐ]\.)+", "", w.strip(",.")) for w in words
                 if not re.fullmatch(r"(?:[A-ZĐ]\.)+", w.strip(","))]
        if len(plain) > 1 and 2 * sum(is_vietnamese_syllable(w) or is_ethnic_syllable(w) for w in plain) <= len(plain):
            return None
        names.append(" ".join(words))
    return names


def _date_value(d: str) -> str | None:
    """"17/07/2020" -> "2020-07-17" (the one day-month-year reader, in the dates grammar)."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", d)
    return dmy_value(m.group(1), m.group(2), m.group(3)) if m else None


def _official_heading(lines: list[Line], lx: ZoneLexicon, hx: HeadingLexicon, text: str) -> OfficialHeading | None:
    """An official document's heading (pipeline/heading.py) and its signature block: the
    capitalised lines above the signer's name at the end ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH")."""
    h = read_heading(text, lines, hx)
    if h is None:
        return None
    tail = [x for x in lines if x.kind == "body"]
    for x in reversed(tail[:-1]):
        s = x.text.strip()
        if (s.isupper() and len(s) <= 80) or lx.exists("signature_lines", s):
            x.kind = "byline"
        else:
            break
    return h


class _Collector:
    def __init__(self, lx: ZoneLexicon) -> None:
        self.lx = lx
        self.authors: list[str] = []
        self.outlets: list[tuple[int, str]] = []  # (priority, outlet); lower wins

    def add_names(self, names: list[str]) -> None:
        for n in names:
            if n.lower() in self.lx.sign_off_outlets or (n.isupper() and " " not in n and len(n) <= 6):
                self.outlets.append((3, n))
            elif n not in self.authors:
                self.authors.append(n)

    def add_credit(self, credit: str) -> bool:
        """"Nhan Sáng/TTXVN" or "VGP/Lê Sơn": names become authors, agency tags outlets."""
        credit = re.sub(r"\((\w+)\)", r"/\1", credit).strip(" .;,")
        pieces = [p.strip() for p in credit.split("/") if p.strip()]
        found = False
        for p in pieces:
            names = split_names(p)
            if names:
                self.add_names(names)
                found = True
        return found


def _credit_names(m: re.Match[str]) -> tuple[int, str] | None:
    """Trim an inline credit to the name run: "Hải Nguyễn Tham gia …" -> "Hải Nguyễn"."""
    credit = m.group("credit")
    words = credit.split()
    run = []
    for w in words:
        core = w.split("/")
        if all(is_name_word(c) or (c.isupper() and c.isalpha()) for c in core if c):
            run.append(w)
            if "/" in w and core[-1].isupper():
                break  # "Nhan Sáng/TTXVN": the agency tag closes the credit
        else:
            break
    if not run:
        return None
    following = words[len(run)] if len(run) < len(words) else ""
    # a capitalised word followed by lower-case words starts the next sentence
    if following and following[0].islower() and len(run) >= 2 and "/" not in run[-1]:
        run = run[:-1]
    text = " ".join(run)
    return m.start("credit") + credit.find(text) if text else -1, text


def segment(text: str, metadata: dict[str, object] | None = None, lx: ZoneLexicon | None = None,
            hx: HeadingLexicon | None = None) -> ZoneResult:
    lx = lx or lexicon(default_gazetteers())
    metadata = metadata or {}
    lines = lines_of(text)
    got = _Collector(lx)
    published: str | None = None
    extra: list[Zone] = []  # zones inside lines (inline credits, dateline tags)

    in_counter = in_related = False
    for ln in lines:
        s = ln.text.strip()
        if lx.exists("counter_block_start", s):
            in_counter = True
        if lx.exists("related_block_start", s):
            in_related = True
            ln.kind = "furniture"
            continue
        if in_related and (len(s) > 200 or s[-1] in ".!?…;:"):
            in_related = False  # the report goes on after the list
        if lx.exists("furniture_lines", s) or (in_counter and re.search(r":\s*[\d.,]+\s*$", s)) \
                or in_related or lx.exists("related_link", s):
            ln.kind = "furniture"
            continue
        m = lx.any("publication_lines", s)
        if m:
            names = split_names(m.group("names")) if m.groupdict().get("names") else None
            if m.groupdict().get("names") and not names:
                m = None  # "Hà Nội 20/04/2019 08:00"-shaped lines need a byline's names to count
        if m:
            ln.kind = "meta"
            published = published or _date_value(m.group("date"))
            if names:
                got.add_names(names)
            continue
        m = lx.any("outlet_lines", s)
        if m:
            ln.kind = "meta"
            got.outlets.append((1, m.group("outlet").lower()))
            continue
        m = lx.any("byline_prefixes", s)
        if m:
            names = split_names(s[m.end():])
            if names:
                ln.kind = "byline"
                got.add_names(names)
                continue

    heading = _official_heading(lines, lx, hx or heading_lexicon(default_gazetteers()), text)
    published = published or (heading.issued if heading else None)
    content = [ln for ln in lines if ln.kind == "body"]
    title = heading.title if heading else None
    if title is None and metadata.get("title"):
        title = str(metadata["title"])
        for ln in content:
            if ln.text.strip() == title.strip():
                ln.kind = "title"
                break
    elif title is None and len(content) >= 2:
        head = _headline(lines)
        if head is not None:
            head.kind = "title"
            title = head.text.strip()
            # a byline of names alone right under the headline ("Hoàng Anh")
            nxt = next((ln for ln in lines if ln.start > head.start and ln.kind != "furniture"), None)
            under = split_names(nxt.text) if nxt is not None and nxt.kind == "body" and len(nxt.text.strip()) <= 60 else None
            if under and all(2 <= len(n.split()) <= 4 and match_key(n) not in lx.places for n in under):
                nxt.kind = "byline"
                got.add_names(under)

    # closing sign-off: the last content line, or the tail of it after the last full stop
    body = [ln for ln in lines if ln.kind == "body"]
    if body:
        last = body[-1]
        s = last.text.rstrip()
        tagged = re.sub(r"\s*\((TTXVN|VNA|[A-ZĐ]{2,6})\)\s*$", r"/\1", s)
        names = split_names(tagged) if len(s) <= 80 else None
        signer = _signer(s) if heading is not None and names is None else None
        if names and last is not content[0]:
            last.kind = "byline"
            got.add_names(names)
        elif signer is not None:  # an official document's signer, in the last cell of the signature table
            got.add_names(signer[0])
            extra.append(Zone(kind="byline", start=last.start + signer[1], end=last.start + signer[2]))
        elif heading is not None and (beside := _signer_beside_recipients(body, lx)) is not None:
            names, start, end = beside  # the signature column beside "Nơi nhận", flattened into its lines
            got.add_names(names)
            extra.append(Zone(kind="byline", start=start, end=end))
        else:
            cut = max(s.rfind(p) for p in (". ", "! ", "? ", "… ", "” ", '" '))
            if cut > 0:
                tail = s[cut + 2:]
                tail_tagged = re.sub(r"\s*\((TTXVN|VNA|[A-ZĐ]{2,6})\)\s*$", r"/\1", tail)
                tnames = split_names(tail_tagged) if 0 < len(tail) <= 80 else None
                if tnames:
                    got.add_names(tnames)
                    extra.append(Zone(kind="byline", start=last.start + cut + 2, end=last.start + len(s)))

    # inline photo credits and photo-numbered captions
    for ln in lines:
        if ln.kind not in ("body", "title"):
            continue
        for p in lx.patterns["photo_credit"]:
            for m in p.finditer(ln.text):
                trimmed = _credit_names(m)
                if not trimmed:
                    continue
                off, credit = trimmed
                if credit and got.add_credit(credit):
                    extra.append(Zone(kind="byline", start=ln.start + m.start(), end=ln.start + off + len(credit)))
        if ln.kind == "body" and lx.exists("photo_number", ln.text.strip()):
            ln.kind = "caption"

    _mark_captions(lines)

    # a dateline tag opening the first body line ("LSO-") names the outlet
    first_body = next((ln for ln in lines if ln.kind == "body"), None)
    if first_body is not None:
        m = lx.any("dateline_tag", first_body.text)
        if m:
            got.outlets.append((2, m.group("outlet")))
            extra.append(Zone(kind="meta", start=first_body.start + m.start(), end=first_body.start + m.end()))

    if metadata.get("published") and not published:
        published = str(metadata["published"])
    outlet = metadata.get("outlet") or (min(got.outlets)[1] if got.outlets else None)
    for a in metadata.get("authors") or []:
        names = split_names(str(a))  # a DOCX "author" is often an office ("Hội LHPN tỉnh Sơn La")
        for n in names or []:
            if n not in got.authors:
                got.authors.append(n)

    zones = _merge_zones(lines, extra)
    return ZoneResult(zones=zones, title=title, published=published, authors=got.authors,
                      outlet=str(outlet) if outlet else None, heading=heading)


def _signer(s: str) -> tuple[list[str], int, int] | None:
    """The signer's name in the last cell of a flattened signature table: "Trương Công Hậu |",
    "Nơi nhận: … | GIÁM ĐỐC Nguyễn Thị Kim Oanh" (the office in capitals before the name)."""
    cells = [m for m in re.finditer(r"[^|]+", s) if m.group().strip()]
    if len(cells) < 1 or "|" not in s:
        return None
    cell = cells[-1]
    words = list(re.finditer(r"\S+", cell.group()))
    k = 0
    while k < len(words) - 1 and words[k].group().isupper() and len(words[k].group()) >= 2:
        k += 1  # the office in capitals before the name: "GIÁM ĐỐC", "PHÓ CHỦ TỊCH"
    if k == len(words):
        return None
    start, end = cell.start() + words[k].start(), cell.start() + words[-1].end()
    names = split_names(s[start:end])
    if not names or len(names) != 1 or len(names[0].split()) < 2:
        return None
    return names, start, end


# the end of a "Nơi nhận" item or of its label, where a signature column flattened into the same
# line begins: "- Bộ Chỉ huy quân sự tỉnh; KT. CHỦ TỊCH", "Nơi nhận: TM. ỦY BAN NHÂN DÂN"
_RECIPIENT_END = re.compile(r"[;:]\s+(?=\S)")
SIGNATURE_TAIL = 16  # lines: the "Nơi nhận" list and the signature column beside it


def _signer_beside_recipients(body: list[Line], lx: ZoneLexicon) -> tuple[list[str], int, int] | None:
    """The signer's name in a signature column flattened into the lines of the "Nơi nhận" list
    (the columns' spaces are one space in `text`): the last cell after an item's ";" that is one
    person's name, under such a cell of the signature lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH").
    Text offsets of the name."""
    cells: list[tuple[Line, int, str]] = []  # (line, offset of the cell in the line, the cell)
    for ln in body[-SIGNATURE_TAIL:]:
        ends = list(_RECIPIENT_END.finditer(ln.text))
        if ends:
            at = ends[-1].end()
            cells.append((ln, at, ln.text[at:].rstrip()))
    for k in range(len(cells) - 1, 0, -1):
        ln, at, cell = cells[k]
        names = split_names(cell) if not cell.isupper() else None
        if not names or len(names) != 1 or len(names[0].split()) < 2 or names[0] != cell:
            continue
        if any(lx.exists("signature_lines", c) for _, _, c in cells[:k]):
            return names, ln.start + at, ln.start + at + len(cell)
        return None
    return None


def _headline_shaped(ln: Line) -> bool:
    s = ln.text.strip()
    return ln.kind == "body" and len(s) <= 300 and s[-1] not in _END_PUNCT and "|" not in s


def _headline(lines: list[Line], window: int = 12) -> Line | None:
    """A news page's headline among its first lines. Beside the publication line when the page has
    one (above it, else right under it: "Gia Lai: Bảo tồn …" / "Đăng lúc: 14:05 - 22/11/2023");
    otherwise the first line when nothing stands above it; failing that, the first line shaped like a
    headline that is not a masthead in capitals or a short section name ("Tin tức - Sự kiện")."""
    top = [ln for ln in lines if ln.kind != "furniture"][:window]
    for k, ln in enumerate(top):
        if ln.kind == "meta":
            before = top[k - 1] if k > 0 else None
            after = top[k + 1] if k + 1 < len(top) else None
            for cand in (before, after):
                if cand is not None and _headline_shaped(cand) and not is_acronym(cand.text.replace(" ", "")):
                    return cand
            break
    body = [ln for ln in top if ln.kind == "body"]
    if not body:
        return None
    first = body[0] if top and top[0] is body[0] and _headline_shaped(body[0]) else None
    if first is not None and not is_acronym(first.text.replace(" ", "")):
        return first
    for ln in body:
        if _headline_shaped(ln) and not is_acronym(ln.text.replace(" ", "")) and sum(any(c.isalpha() for c in w) for w in ln.text.split()) >= 5:
            return ln
        if not _headline_shaped(ln):
            break  # the report has begun
    return first  # a first line in capitals, when no headline follows it


def _mark_captions(lines: list[Line]) -> None:
    """Short lines without closing punctuation between body paragraphs, and repeated lines."""
    for i, ln in enumerate(lines):
        if ln.kind != "body":
            continue
        s = ln.text.strip()
        prev = lines[i - 1] if i else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        repeated = (prev is not None and prev.text.strip() == s) or (nxt is not None and nxt.text.strip() == s)
        if repeated and len(s) <= 300:
            ln.kind = "caption"
            continue
        has_body_after = any(l.kind == "body" for l in lines[i + 1:])
        if len(s) <= 200 and s[-1] not in _END_PUNCT + "”\"')" and has_body_after and i > 0:
            ln.kind = "caption"


def _merge_zones(lines: list[Line], extra: list[Zone]) -> list[Zone]:
    zones: list[Zone] = []
    for ln in lines:
        pieces = [(ln.start, ln.end, ln.kind)]
        for z in sorted((z for z in extra if ln.start <= z.start < ln.end), key=lambda z: z.start):
            a, b, k = pieces.pop()
            if z.start > a:
                pieces.append((a, z.start, k))
            pieces.append((z.start, min(z.end, b), z.kind))
            if z.end < b:
                pieces.append((z.end, b, k))
        for a, b, k in pieces:
            if b > a:
                zones.append(Zone(kind=k, start=a, end=b))
    return zones
