"""Vietnamese numbers written in words, and digit-and-magnitude chains, read into values.

    >>> g = NumberGrammar(default_gazetteers())
    >>> [g.value(s) for s in ("hai", "mười hai", "hai mươi lăm", "một trăm hai mươi", "hai trăm linh năm",
    ...                       "ba nghìn năm trăm", "một triệu hai trăm nghìn")]
    [2, 12, 25, 120, 205, 3500, 1200000]
    >>> g.value("hai mươi năm") is None   # "twenty years": after mươi, five is "lăm"
    True

The words and their roles are `gazetteers/number_words.tsv`; group multipliers (nghìn, triệu,
tỷ) are `gazetteers/magnitudes.tsv`. The figures stage finds the word runs; this reads them.
"""
from __future__ import annotations

import re

from pipeline.gazetteers import Gazetteers, default_gazetteers  # noqa: F401  (the doctest)
from pipeline.keys import match_key
from pipeline.matching import alternation

GROUPS = ("nghìn", "ngàn", "triệu", "tỷ", "tỉ")  # multipliers that close a group of three digits


class NumberGrammar:
    def __init__(self, gz: Gazetteers):
        rows = gz.tsv("number_words.tsv")
        self.value_of = {match_key(r["word"]): int(r["value"]) for r in rows}
        self.role = {match_key(r["word"]): r["role"] for r in rows}
        mags = {match_key(r["word"]): int(r["value"]) for r in gz.tsv("magnitudes.tsv")}
        self.groups = {w: v for w, v in mags.items() if w in GROUPS}
        words = list(self.value_of) + list(self.groups)
        # a run of number words: what the figures stage hands to `value`
        self.run_re = re.compile(rf"(?<!\w)(?:{alternation(words)})(?:\s+(?:{alternation(words)}))*(?!\w)",
                                 re.IGNORECASE)

    def value(self, phrase: str) -> int | None:
        """The value of a run of number words, or None when it is not one number."""
        toks = match_key(phrase).split()
        if not toks:
            return None
        first = self.role.get(toks[0])
        if first in ("tens", "after_tens", "hundred", "filler") or toks[0] in self.groups:
            return None
        if first == "unit_before_mult" and (len(toks) == 1 or self.role.get(toks[1]) not in ("hundred",)
                                            and toks[1] not in self.groups):
            return None
        total = group = 0
        pending: int | None = None  # a unit waiting for its multiplier
        prev = None
        for t in toks:
            r = self.role.get(t)
            if t in self.groups:
                if pending is None and group == 0:
                    return None
                total += (group + (pending or 0)) * self.groups[t]
                group, pending = 0, None
            elif r in ("unit", "unit_if_numeral", "unit_before_mult"):
                if pending is not None:
                    return None  # "hai ba": two numbers side by side
                if prev == "tens" and r == "unit_if_numeral":
                    return None  # "hai mươi năm" is twenty years; 25 is "hai mươi lăm"
                if prev in ("tens", "filler", "teen"):
                    group += self.value_of[t]
                else:
                    pending = self.value_of[t]
            elif r == "after_tens":
                if prev not in ("tens", "filler", "teen") or (t == "mốt" and prev != "tens"):
                    return None
                group += self.value_of[t]
            elif r == "teen":
                if pending is not None:
                    return None
                group += 10
            elif r == "tens":
                if pending is None or pending < 2:
                    return None
                group += pending * 10
                pending = None
            elif r == "hundred":
                if pending is None:
                    return None
                group += pending * 100
                pending = None
            elif r == "filler":
                if prev != "hundred":
                    return None
            else:
                return None
            prev = r if r else "group"
        if prev == "filler":
            return None
        return total + group + (pending or 0)

    def longest(self, phrase: str) -> tuple[int, int] | None:
        """(number of words, value) of the longest prefix of a word run that is one number."""
        toks = phrase.split()
        for n in range(len(toks), 0, -1):
            v = self.value(" ".join(toks[:n]))
            if v is not None:
                return n, v
        return None


def grammar(gz: Gazetteers) -> NumberGrammar:
    return gz.memo("numbers", NumberGrammar)


def number_words(gz: Gazetteers) -> frozenset[str]:
    """Words that open a number the way digits do (number words, magnitudes, "hàng"): the word
    layer segments the words after them ("hai trăm linh năm hộ", "hàng nghìn sáng kiến")."""
    def build(g: Gazetteers) -> frozenset[str]:
        words = list(grammar(g).value_of) + [r["word"] for r in g.tsv("magnitudes.tsv")] \
            + [r["hedge"] for r in g.tsv("hedges.tsv") if r["position"] == "vague"]
        return frozenset(match_key(w).split()[0] for w in words)
    return gz.memo("number_words", build)
