"""Counted units compared as the same thing or not: "nguồn tin" = "nguồn tin có giá trị", "vụ" ≠ "vụ án".

A unit's key is its matching key with spellings unified (gazetteers/unit_synonyms.tsv). Its head
is what is counted: the longest known counted noun it opens with (gazetteers/counted_nouns.txt),
or a counting word and the activity after it ("buổi tuyên truyền"), else its first word. Two
units count the same thing when their keys are equal, or one key extends the other and the
shorter one is at least the other's head ("nguồn tin có giá trị" is a kind of "nguồn tin").

>>> u = Units(default_gazetteers())
>>> u.same("nguồn tin", "nguồn tin có giá trị"), u.same("vụ", "đối tượng"), u.same("vụ", "vụ án")
(True, False, False)
>>> u.key("5.798 xuất học bổng".split(" ", 1)[1])
'suất học bổng'
"""
from __future__ import annotations

from pipeline.gazetteers import Gazetteers, default_gazetteers  # noqa: F401  (the doctest)
from pipeline.keys import match_key


class Units:
    def __init__(self, gz: Gazetteers):
        self.synonyms = {match_key(r["written"]): match_key(r["normal"]) for r in gz.tsv("unit_synonyms.tsv")}
        self.counted = frozenset(match_key(x) for x in gz.list("counted_nouns.txt"))
        self.classifiers = frozenset(match_key(x) for x in gz.list("unit_classifiers.txt"))

    def key(self, unit: str | None) -> str:
        """"Xuất học bổng" -> "suất học bổng"; "CLB" -> "câu lạc bộ"."""
        words = match_key(unit).split()
        out: list[str] = []
        i = 0
        while i < len(words):  # longest written form first, at every word
            for n in range(min(3, len(words) - i), 0, -1):
                piece = " ".join(words[i:i + n])
                if piece in self.synonyms:
                    out.append(self.synonyms[piece])
                    i += n
                    break
            else:
                out.append(words[i])
                i += 1
        return " ".join(out)

    def head(self, unit: str | None) -> str:
        words = self.key(unit).split()
        if not words:
            return ""
        if words[0] in self.classifiers and len(words) > 1:
            return " ".join(words[:2])  # "buổi tuyên truyền", not any "buổi"
        for n in range(len(words), 0, -1):
            if " ".join(words[:n]) in self.counted:
                return " ".join(words[:n])
        return words[0]

    def same(self, a: str | None, b: str | None) -> bool:
        ka, kb = self.key(a), self.key(b)
        if not ka or not kb:
            return False
        if ka == kb:
            return True
        short, long_ = sorted((ka, kb), key=len)
        return long_.startswith(short + " ") and len(short) >= len(self.head(long_))


def units(gz: Gazetteers) -> Units:
    return gz.memo("units", Units)
