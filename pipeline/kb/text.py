"""Search text for Vietnamese: one tone-mark convention for toned queries, tones folded for bare ones.

SQLite's FTS5 gets Vietnamese wrong both ways: `remove_diacritics 1` does not fold "ộ" (so "Ha
Noi" misses "Hà Nội"), `remove_diacritics 2` makes "thể", "thế" and "the" one word, and no mode
folds "đ". So `sentences_fts` indexes, beside the text as written, its `canonical` form (one
tone-mark placement: "Hoà" and "Hòa" meet) and its `folded` form (no tone marks, đ -> d), with a
tokenizer that keeps diacritics. A query with tone marks searches `canonical`; one without
searches `folded`:

>>> fts_query("Hoà Bình")
'canonical : "hòa bình"'
>>> fts_query("ha noi")
'folded : "ha noi"'
>>> fold("Đồng Tháp"), canonical("Thanh Hoá")
('dong thap', 'thanh hóa')
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.keys import match_key, strip_tones

_WORD = re.compile(r"\w+", re.UNICODE)


def canonical(s: str | None) -> str:
    """Lower case, one tone-mark convention: what toned queries are compared with."""
    return match_key(s)


def fold(s: str | None) -> str:
    """Every tone mark and vowel hat removed, đ -> d: what bare queries are compared with."""
    return strip_tones(s or "")


def has_marks(s: str) -> bool:
    """Does the text carry any Vietnamese mark (tone, hat, horn, breve, đ)?"""
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", s)) or "đ" in s.lower()


def fts_query(q: str) -> str:
    """An FTS5 MATCH expression for a user's words: a phrase, on the column their marks call for."""
    if has_marks(q):
        words = _WORD.findall(canonical(q))
        column = "canonical"
    else:
        words = _WORD.findall(fold(q))
        column = "folded"
    if not words:
        raise ValueError(f"no words to search for in {q!r}")
    return f'{column} : "{" ".join(words)}"'
