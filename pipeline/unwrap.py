"""Line breaks that are layout, not structure: which ones the normaliser joins with a space.

PDF text layers and plain-text copies of official documents wrap every line at a fixed width, so
a mention runs across a break ("Nghị định số↵07/2021/NĐ-CP", "ngày↵27 tháng 09 năm 2022"). A
break is layout when the line before does not end a sentence, clause or cell, and the line after
goes on with it: it opens in lower case or with a digit, or the line before filled the width. A
break is structure when either line is a list item, an article heading, a table or two-column row
(a gap of three spaces or a " | " cell border), or the line before ends with . : ; ! ? or |.

>>> hard_wrapped("\\n".join(["Căn cứ Nghị định số 07/2021/NĐ-CP ngày 31 tháng 01 năm 2021 của Chính"] * 9))
True
>>> joins("Căn cứ Nghị định số", "07/2021/NĐ-CP ngày 31 tháng 01 năm 2021 của Chính phủ;", 70)
True
>>> joins("Điều 1. Phê duyệt Kế hoạch", "Điều 2. Giao Sở Y tế", 70)
False
"""
from __future__ import annotations

import re
import unicodedata

# a list item, an article or section heading: never run into the line before
_STRUCTURE_RE = re.compile(r"\s*(?:[-•+*–]|\d+[.)]|[a-zđ]\)|[IVXLC]+[.)]|Điều\s+\d+|Chương\s+[IVXLC\d]+|Mục\s+\d+)(?:\s|$)")
_COLUMN_GAP_RE = re.compile(r"\S {3,}\S|\s\|\s|^\s*\|")
_END_MARKS = ".:;!?|"

MIN_LINES = 8          # a hard-wrapped file has many lines ...
WIDTH_RANGE = (55, 110)  # ... most of them about as long as the wrap width


def wrap_width(raw: str) -> int:
    """The width a layout wrapped lines at: the 90th percentile of line lengths."""
    lengths = sorted(len(x.strip()) for x in raw.splitlines() if x.strip())
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def hard_wrapped(raw: str) -> bool:
    """A plain-text file whose lines were wrapped at a width (a copy of an official document)
    rather than written one paragraph a line (news pasted from a site: lines of hundreds)."""
    lines = [x for x in raw.splitlines() if x.strip()]
    if len(lines) < MIN_LINES:
        return False
    return WIDTH_RANGE[0] <= wrap_width(raw) <= WIDTH_RANGE[1]


def joins(before: str, after: str, width: int, open_ends: frozenset[str] = frozenset()) -> bool:
    """Is the break between these two raw lines layout (join them) rather than structure?
    `open_ends`: lower-case words (gazetteers/line_open_ends.txt) after which a line always goes on.

    >>> joins("Theo đề nghị của Giám đốc Sở", "Nông nghiệp và Phát triển nông thôn tại Tờ trình", 80,
    ...       frozenset({"sở"}))
    True
    >>> joins("Theo đề nghị của Giám đốc Sở", "Nông nghiệp và Phát triển nông thôn tại Tờ trình", 80)
    False
    """
    b, a = before.rstrip(), after.lstrip()
    if not b or not a:
        return False
    if b[-1] in _END_MARKS or _STRUCTURE_RE.match(after) or _COLUMN_GAP_RE.search(before.strip()) \
            or _COLUMN_GAP_RE.search(after.strip()):
        return False
    goes_on = a[0].islower() or a[0].isdigit() or bool(open_ends) and _ends_open(b, open_ends)
    return goes_on or len(b.strip()) >= 0.7 * width


def _ends_open(line: str, open_ends: frozenset[str]) -> bool:
    """Does the line end with one of `open_ends` (a word or two: "của", "Sở", "đề nghị của")?"""
    words = [unicodedata.normalize("NFC", w).lower() for w in line.rsplit(None, 2)[-2:]]
    return bool(words) and (words[-1] in open_ends or " ".join(words) in open_ends)
