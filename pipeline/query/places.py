"""Places for questions: a place's province, whether it lies in the place a user typed, its map point.

Figures and posts name provinces ("Nghệ An"), districts ("Quỳnh Lưu") and cities ("Vinh"); a
researcher asking about Nghệ An wants all of them. A district's province comes from
gazetteers/districts.tsv when the district name exists in one province only; a map point from
gazetteers/province_points.tsv (GeoNames population centres, see its header).

>>> p = Places(default_gazetteers())
>>> p.province_of("Quỳnh Lưu"), p.province_of("thanh hoa"), p.province_of("Tuấn Đạo")
('Nghệ An', 'Thanh Hóa', None)
>>> p.matches("Vinh", "tỉnh Nghệ An"), p.matches("Vinh", "nghe an"), p.matches("Hà Tĩnh", "Hà Nội")
(True, True, False)
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.gazetteers import Gazetteers, default_gazetteers, district_homes  # noqa: F401  (the doctest)
from pipeline.kb.text import fold

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def place_key(s: str | None) -> str:
    """Toneless words of a place name: "Bà Rịa - Vũng Tàu" -> "ba ria vung tau"."""
    return _NON_WORD.sub(" ", fold(s or "")).strip()


class Places:
    def __init__(self, gz: Gazetteers):
        self.provinces: dict[str, str] = {}
        for r in gz.tsv("places.tsv"):
            self.provinces.setdefault(place_key(r["name"]), r["name"])
        self.districts = {k: next(iter(v)) for k, v in district_homes(gz, place_key).items() if len(v) == 1}
        self.points = {place_key(r["name"]): (float(r["latitude"]), float(r["longitude"]))
                       for r in gz.tsv("province_points.tsv")}
        # "tỉnh Nghệ An", "TP. Vinh": a level word before the name is not part of it
        self.level_words = sorted({place_key(r["word"]) for r in gz.tsv("level_words.tsv")}, key=len, reverse=True)
        self.province_of = lru_cache(maxsize=65536)(self._province_of)
        self.matches = lru_cache(maxsize=65536)(self._matches)

    def bare(self, s: str | None) -> str:
        k = place_key(s)
        for w in self.level_words:
            if k.startswith(w + " "):
                return k[len(w) + 1:]
        return k

    def _province_of(self, place: str | None) -> str | None:
        """The province a place is or lies in (None when unknown or ambiguous)."""
        k = self.bare(place)
        if k in self.provinces:
            return self.provinces[k]
        return self.districts.get(k)

    def _matches(self, place: str | None, query: str | None) -> bool:
        """Is `place` the place the user typed, or inside it? Tones and level words do not count."""
        if not place or not query:
            return False
        q = self.bare(query)
        if not q:
            return False
        if self.bare(place) == q:
            return True
        province = self.province_of(place)
        return province is not None and place_key(province) == q

    def point(self, place: str | None) -> tuple[float, float] | None:
        province = self.province_of(place)
        return self.points.get(place_key(province)) if province else None


def places(gz: Gazetteers) -> Places:
    return gz.memo("query-places", Places)
