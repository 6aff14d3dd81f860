"""The state one document carries through the stages, and the stage contract.

A stage is small: it names what it `requires` and what it `provides` (checked when the pipeline
is assembled, as Stanza does) and `__call__(analysis)` fills in what it provides.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pipeline.model import (Agency, DateMention, Figure, LegalDocument, Official, Program,
                            Sentence, Zone)
from pipeline.normalize import OffsetMap
from pipeline.readers import RawDocument

READABLE = ("title", "body", "caption")


@dataclass
class Analysis:
    raw: RawDocument
    text: str = ""
    offsets: OffsetMap = field(default_factory=OffsetMap)
    zones: list[Zone] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    words: list[Any] = field(default_factory=list)
    doc: Any = None
    dates: list[DateMention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    legal_documents: list[LegalDocument] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    claims: list[tuple[int, int, str]] = field(default_factory=list)
    _sent_starts: list[int] = field(default_factory=list)

    # --- zones -------------------------------------------------------------------------
    def zone_at(self, offset: int) -> Zone | None:
        for z in self.zones:
            if z.start <= offset < z.end:
                return z
        return None

    def is_readable(self, start: int, end: int, kinds: tuple[str, ...] = READABLE) -> bool:
        """True when [start, end) lies inside one zone a reader reads as the report."""
        z = self.zone_at(start)
        return z is not None and z.kind in kinds and end <= z.end

    def readable_zones(self, kinds: tuple[str, ...] = READABLE) -> list[Zone]:
        return [z for z in self.zones if z.kind in kinds]

    # --- sentences ---------------------------------------------------------------------
    def sentence_at(self, offset: int) -> Sentence | None:
        if len(self._sent_starts) != len(self.sentences):
            self._sent_starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    @property
    def published_year(self) -> int | None:
        return int(self.published[:4]) if self.published and self.published[:4].isdigit() else None

    # --- claims: spans an earlier extractor has explained (a date, a document symbol) ---
    def claim(self, start: int, end: int, kind: str) -> None:
        self.claims.append((start, end, kind))

    def is_claimed(self, start: int, end: int, kinds: tuple[str, ...] | None = None) -> bool:
        return any(s < end and start < e and (kinds is None or k in kinds) for s, e, k in self.claims)


class Stage:
    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()

    def __call__(self, a: Analysis) -> None:  # pragma: no cover - interface
        raise NotImplementedError


def check_order(stages: list[Stage], given: tuple[str, ...] = ("raw",)) -> None:
    """Fail at assembly, not mid-batch, when a stage runs before what it needs."""
    have = set(given)
    for st in stages:
        missing = [r for r in st.requires if r not in have]
        if missing:
            raise RuntimeError(f"stage {st.name!r} requires {missing}, not provided by an earlier stage")
        have.update(st.provides)
