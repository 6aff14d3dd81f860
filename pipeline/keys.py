"""Matching keys: one spelling convention for comparing strings, never for stored text.

Vietnamese writes the tone of open "oa", "oe", "uy" syllables on either vowel ("Hoá" / "Hóa",
"Uỷ" / "Ủy"); documents mix both. Keys put the mark on the first vowel, lowercase, and fold
quotes, dashes and spaces, so that "Uỷ ban" and "Ủy ban" meet while `text` keeps what was written.

>>> match_key("Uỷ ban  nhân dân tỉnh Thanh Hoá")
'ủy ban nhân dân tỉnh thanh hóa'
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def _tone_moves() -> dict[str, str]:
    moves = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            old = first + unicodedata.normalize("NFC", second + tone)
            new = unicodedata.normalize("NFC", first + tone) + second
            moves[old] = new
    return moves


_MOVES = _tone_moves()
# only in an open syllable ("hoá" but not "hoán"), and not after q ("quý" is one vowel)
_MOVE_RE = re.compile(r"(?<!q)(" + "|".join(_MOVES) + r")(?![a-zà-ỹđ])")
_QUOTES_RE = re.compile(r"[\"'“”‘’«»„‟″]")
_DASH_RE = re.compile(r"\s*[-‐‑‒–—―−]\s*")
_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def match_key(s: str | None) -> str:
    """Lowercase NFC key with one tone-mark convention, no quotes, tight dashes, single spaces."""
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s).lower()
    s = _MOVE_RE.sub(lambda m: _MOVES[m.group(1)], s)
    s = _QUOTES_RE.sub("", s)
    s = _DASH_RE.sub("-", s)
    return _SPACE_RE.sub(" ", s).strip()


def syllable_key(s: str) -> str:
    """Key of one syllable or word (no quote or dash folding needed)."""
    return match_key(s)


def _fold_table() -> dict[int, str]:
    """Every precomposed Latin letter with marks -> its base letter (đ -> d), for str.translate."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in range(0xC0, 0x2000):
        c = chr(cp)
        base = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
        if base != c and len(base) == 1 and base.isascii():
            table[cp] = base
    return table


_FOLD = _fold_table()


def strip_tones(s: str) -> str:
    """Remove every diacritic ("Hội LHPN" -> "hoi lhpn"), for loose look-ups such as place names."""
    return strip_canonical(match_key(s))


def strip_canonical(key: str) -> str:
    """`strip_tones` of a text that is already a `match_key`."""
    s = key.translate(_FOLD)
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


SPELL_MEMO = 100_000  # spelled names kept per table


class Acronyms:
    """Whole-token acronyms spelled out in a matching key ("Hội LHPNVN" -> "hội liên hiệp phụ nữ
    việt nam"), from rows of gazetteers/acronyms.tsv.

    >>> Acronyms({"LHPN": "Liên hiệp Phụ nữ"}).spell("Hội LHPN tỉnh")
    'hội liên hiệp phụ nữ tỉnh'
    """

    def __init__(self, table: dict[str, str]):
        self.table = {match_key(k): match_key(v) for k, v in table.items()}
        alternation = "|".join(re.escape(k) for k in sorted(self.table, key=len, reverse=True))
        self.pattern = re.compile(r"(?<!\w)(" + alternation + r")(?!\w)") if self.table else None
        self._spelled: dict[str, str] = {}  # names recur across thousands of documents

    def spell_key(self, k: str) -> str:
        """Every whole word of a lower-case key that is an acronym, spelled out, whatever its case was
        (how the shared scorer compares names)."""
        return self.pattern.sub(lambda m: self.table[m.group(1)], k) if self.pattern else k

    def spell(self, s: str | None) -> str:
        """Only a word written in capitals is an acronym: "Sở Kế hoạch và Đầu tư" keeps its "tư", and in
        a name written all in capitals only words of three letters or more are ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ").

        >>> Acronyms({"TƯ": "Trung ương"}).spell("Ban Tổ chức TƯ, Sở Kế hoạch và Đầu tư")
        'ban tổ chức trung ương, sở kế hoạch và đầu tư'
        """
        if not s or not self.pattern:
            return match_key(s)
        done = self._spelled.get(s)
        if done is None:
            if len(self._spelled) >= SPELL_MEMO:
                self._spelled.clear()
            done = self._spelled[s] = self._spell(s)
        return done

    def _spell(self, s: str) -> str:
        shouting = is_acronym(s.replace(" ", ""))

        def one(m: re.Match[str]) -> str:
            w = m.group(0)
            if not reads_as_acronym(w, shouting):
                return w
            return self.pattern.sub(lambda a: self.table[a.group(1)], match_key(w))
        return match_key(_WORD.sub(one, s))


_WORD = re.compile(r"[^\s,;:()“”\"'.]+(?:\.[^\s,;:()“”\"'.]+)*")


def is_acronym(text: str) -> bool:
    """All-caps token of two or more letters ("UBND", "T.Ư", "GD&ĐT")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def reads_as_acronym(word: str, shouting: bool) -> bool:
    """A word written in capitals is an acronym; in a name written all in capitals (`shouting`) only
    one of three letters or more is ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ": "TƯ" is a word there)."""
    return is_acronym(word) and (not shouting or sum(c.isalpha() for c in word) >= 3)
