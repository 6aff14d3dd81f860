"""Normalisation: raw reader text in, display text out, with a map from every text offset back.

One pass over the raw string applies small rewrite rules (NFC for decomposed letters, legacy
font tables, line breaks, odd spaces, zero-width characters, dash and quote variants) and
records, for every piece of output, the raw span it came from. Everything downstream indexes
`text`; `OffsetMap.to_raw` points a user back at the spot in the reader's raw text.

>>> n = normalise("Ho\u0300a  Bi\u0300nh\u200b – 2017")
>>> n.text
'Hòa Bình - 2017'
>>> n.offsets.to_raw_span(0, 3)
(0, 4)
"""
from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from dataclasses import dataclass, field

from pipeline.unwrap import joins, wrap_width

# Characters removed outright: zero-width space/joiners, word joiner, BOM, soft hyphen, controls.
_DROP = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0e-\x1f\x7f"
# Spaces other than U+0020 that display as one.
_SPACES = "\t\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_QUOTES = {"\u201e": "\u201c", "\u201f": "\u201c", "\u00ab": "\u201c", "\u301d": "\u201c",
           "\u00bb": "\u201d", "\u301e": "\u201d", "\uff02": '"', "\u2033": '"',
           "\u201a": "\u2019", "\u201b": "\u2019", "\u2032": "\u2019"}
_SIMPLE = {**_DASHES, **_QUOTES}
# Line breaks: CR LF, CR, LF, NEL (U+0085, from EBCDIC and some Windows-1252 round trips), the
# Unicode line and paragraph separators. A paragraph separator counts as a blank line.
_BREAK = r"(?:\r\n|[\r\n\x85\u2028\u2029])"


def _char_class(codepoints: set[int]) -> str:
    """A regex character class body for a set of code points, as ranges."""
    out, cps = [], sorted(codepoints)
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        out.append(re.escape(chr(cps[i])) + ("-" + re.escape(chr(cps[j])) if j > i else ""))
        i = j + 1
    return "".join(out)


def _nfc_classes() -> tuple[str, str, frozenset[str]]:
    """(characters NFC changes on their own, characters NFC may join to the one before).

    The first are canonical singletons and exclusions: OHM SIGN -> Greek Omega, ANGSTROM SIGN ->
    Å, CJK compatibility ideographs, GREEK QUESTION MARK -> ';'. The second are combining marks
    and the few spacing vowel signs and Hangul jamo that compose with what precedes them. Both
    come from the running Python's Unicode database, so they match `unicodedata.normalize`.
    """
    changed: set[int] = set()
    joins: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul V, T jamo
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        if unicodedata.combining(c):
            joins.add(cp)
        d = unicodedata.decomposition(c)
        if not d or d.startswith("<"):
            continue
        if unicodedata.normalize("NFC", c) != c:
            changed.add(cp)
        else:
            parts = d.split()
            if len(parts) == 2:
                joins.add(int(parts[1], 16))
    return _char_class(changed), _char_class(joins), frozenset(map(chr, joins))


_NFC_CHANGED, _NFC_JOINS, _NFC_JOIN_CHARS = _nfc_classes()

_BASE_RULES = [
    ("lines", r"[ " + _SPACES + r"]*" + _BREAK + r"(?:[ " + _SPACES + _DROP + r"]*" + _BREAK + r")*[ " + _SPACES + r"]*"),
    ("spaces", r"[ " + _SPACES + r"]{2,}|[" + _SPACES + r"]"),
    ("drop", r"[" + _DROP + r"]+"),
    # a letter and the marks NFC composes with it (zero-width characters between them dropped),
    # or a character NFC replaces on its own
    ("nfd", r".(?:[" + _DROP + r"]*[" + _NFC_JOINS + r"])+|[" + _NFC_CHANGED + r"]"),
    ("simple", "[" + "".join(_SIMPLE) + "]"),
]
_DROP_RE = re.compile("[" + _DROP + "]+")


@dataclass
class OffsetMap:
    """Piecewise map from `text` offsets to raw offsets.

    Each segment is (text_start, text_len, raw_start, raw_len); a segment whose lengths agree is a
    verbatim copy, mapped character by character; any other maps its start and end to the raw
    span's start and end.
    """

    t_starts: list[int] = field(default_factory=list)
    t_lens: list[int] = field(default_factory=list)
    r_starts: list[int] = field(default_factory=list)
    r_lens: list[int] = field(default_factory=list)

    def add(self, t: int, tlen: int, r: int, rlen: int) -> None:
        if tlen == rlen and self.t_starts:  # merge contiguous verbatim copies
            i = len(self.t_starts) - 1
            if (self.t_lens[i] == self.r_lens[i] and self.t_starts[i] + self.t_lens[i] == t
                    and self.r_starts[i] + self.r_lens[i] == r):
                self.t_lens[i] += tlen
                self.r_lens[i] += rlen
                return
        self.t_starts.append(t)
        self.t_lens.append(tlen)
        self.r_starts.append(r)
        self.r_lens.append(rlen)

    def _segment(self, t: int, prefer_end: bool) -> int:
        # a text offset at a boundary belongs to the segment that starts there (for starts) or
        # the one that ends there (for ends); empty segments (dropped characters) are skipped
        i = bisect.bisect_right(self.t_starts, t) - 1
        if prefer_end:
            while i > 0 and self.t_starts[i] == t:
                i -= 1
        else:
            while i + 1 < len(self.t_starts) and self.t_lens[i] == 0 and self.t_starts[i + 1] == t:
                i += 1
        return max(i, 0)

    def to_raw(self, t: int, *, end: bool = False) -> int:
        if not self.t_starts:
            return t
        i = self._segment(t, end)
        ts, tl, rs, rl = self.t_starts[i], self.t_lens[i], self.r_starts[i], self.r_lens[i]
        if tl == rl:
            return rs + min(max(t - ts, 0), tl)
        return rs + rl if (end and t > ts) or t >= ts + tl > ts else rs

    def to_raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_raw(start), self.to_raw(end, end=True)

    def to_json(self) -> list[list[int]]:
        return [list(x) for x in zip(self.t_starts, self.t_lens, self.r_starts, self.r_lens)]


@dataclass
class Normalised:
    text: str
    offsets: OffsetMap


def _compile(table: dict[str, str] | None, marks: bool = True) -> re.Pattern[str]:
    parts = []
    if table:
        keys = sorted(table, key=len, reverse=True)
        parts.append("(?P<legacy>" + "|".join(re.escape(k) for k in keys) + ")")
    rules = _BASE_RULES if marks else [(name, "[" + _NFC_CHANGED + "]" if name == "nfd" else pattern)
                                       for name, pattern in _BASE_RULES]
    parts += [f"(?P<{name}>{pattern})" for name, pattern in rules]
    return re.compile("|".join(parts), re.DOTALL)


_DEFAULT_RE = _compile(None)
# the same rules for a text without a mark NFC could join (most texts): a letter followed by marks
# cannot occur, and without that rule's any-character start the scan runs 2.5 times faster (measured)
_NO_MARKS_RE = _compile(None, marks=False)


def _line_at(raw: str, i: int) -> str:
    """The raw line that starts at i."""
    j = raw.find("\n", i)
    return raw[i:j if j >= 0 else len(raw)]


def normalise(raw: str, legacy_table: dict[str, str] | None = None, unwrap: bool = False,
              open_ends: frozenset[str] = frozenset()) -> Normalised:
    """Normalise `raw`; with `legacy_table` (TCVN3 or VNI sequences -> Unicode) convert as well.

    `unwrap` (PDF text layers, hard-wrapped text files) joins with a space a line break that is
    layout, not structure (`pipeline.unwrap.joins`).
    """
    if legacy_table:
        pattern = _compile(legacy_table)
    else:
        pattern = _DEFAULT_RE if not _NFC_JOIN_CHARS.isdisjoint(raw) else _NO_MARKS_RE
    out: list[str] = []
    omap = OffsetMap()
    t = 0
    r = 0
    width = wrap_width(raw) if unwrap else 0
    raw_line_start = 0
    for m in pattern.finditer(raw):
        if m.start() > r:  # verbatim stretch
            chunk = raw[r:m.start()]
            out.append(chunk)
            omap.add(t, len(chunk), r, len(chunk))
            t += len(chunk)
        kind = m.lastgroup
        s = m.group()
        if kind == "legacy":
            rep = legacy_table[s]  # type: ignore[index]
        elif kind == "lines":
            breaks = sum(s.count(x) for x in "\n\r\x85\u2028") - s.count("\r\n") + 2 * s.count("\u2029")
            rep = "\n\n" if breaks >= 2 else "\n"
            if unwrap and rep == "\n" and out and joins(raw[raw_line_start:m.start()], _line_at(raw, m.end()), width,
                                                open_ends):
                rep = " "
        elif kind == "spaces":
            rep = " "
        elif kind == "drop":
            rep = ""
        elif kind == "nfd":
            marks = _DROP_RE.sub("", s[1:])
            if legacy_table and s[0] in legacy_table:  # a legacy base letter followed by a mark
                rep = unicodedata.normalize("NFC", legacy_table[s[0]] + marks)
            else:
                rep = unicodedata.normalize("NFC", _SIMPLE.get(s[0], s[0]) + marks)
        else:
            rep = _SIMPLE[s]
        out.append(rep)
        omap.add(t, len(rep), m.start(), len(s))
        t += len(rep)
        r = m.end()
        if kind == "lines":
            raw_line_start = m.end()
    if r < len(raw):
        chunk = raw[r:]
        out.append(chunk)
        omap.add(t, len(chunk), r, len(chunk))
        t += len(chunk)
    text = "".join(out)
    # trim the document's leading and trailing white space without losing the map
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    if lead or trail < len(text):
        text, omap = _trim(text, omap, lead, trail)
    return Normalised(text, omap)


def _trim(text: str, omap: OffsetMap, lead: int, trail: int) -> tuple[str, OffsetMap]:
    new = OffsetMap()
    for ts, tl, rs, rl in zip(omap.t_starts, omap.t_lens, omap.r_starts, omap.r_lens):
        a, b = max(ts, lead), min(ts + tl, trail)
        if b < a or (b == a and tl > 0):
            continue
        if tl == rl:
            new.add(a - lead, b - a, rs + (a - ts), b - a)
        else:
            new.add(a - lead, b - a, rs, rl)
    return text[lead:trail], new
