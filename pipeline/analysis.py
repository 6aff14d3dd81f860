"""The state one document carries through the stages, and the stage contract.

A stage is small: it names the layers it `requires` and the layers it `provides` (checked when
the pipeline is assembled, as Stanza does) and `__call__(analysis)` fills in what it provides.
A layer nobody has filled yet is not an empty list: reading it raises `LayerMissing`, so a
stage that runs too early fails loudly instead of reading `[]`. With checking on (tests,
`--debug`), a stage sees the analysis through a `StageView` that refuses any layer it did not
declare and checks, after it ran, that it filled everything it promised.

Claims are spans a stage has explained, so that a later stage does not read them again (a date
or a document number is never a figure). Each kind has one owner, and a stage that reads claims
of a kind requires that kind like any other layer:

>>> ClaimKind.PROGRAM_NAME.layer
'claim:program_name'
"""
from __future__ import annotations

import bisect
from enum import Enum
from typing import Any, ClassVar

from pipeline.errors import PipelineError
from pipeline.model import Zone

READABLE = ("title", "body", "caption")


class ClaimKind(str, Enum):
    DATE = "date"                        # dates: a date or period
    DOCUMENT_NUMBER = "document_number"  # dates: "68/2016/QH14" shaped numbers anywhere
    LEGAL_REFERENCE = "legal_reference"  # legal: the number, symbol and issue date of a cited text
    PROGRAM_NAME = "program_name"        # programs: a name holding a number ("5 không 3 sạch")
    FIGURE = "figure"                    # figures: a quantity

    @property
    def layer(self) -> str:
        return f"claim:{self.value}"


# Every layer an analysis can hold, in the order the foundation fills them.
LAYERS = ("raw", "text", "offsets", "zones", "title", "published", "authors", "outlet", "heading", "catalog",
          "sentences", "words", "doc", "dates", "legal_documents", "programs", "agencies",
          "report_place", "officials", "figures", "keys") + tuple(k.layer for k in ClaimKind)

# Layers a helper method of Analysis reads, so that a StageView can hold the stage to them.
METHOD_READS = {
    "zone_at": ("zones",), "is_readable": ("zones",), "readable_zones": ("zones",),
    "sentence_at": ("sentences",), "published_year": ("published",),
}


class LayerMissing(AttributeError):
    """A layer was read before any stage filled it (or by a stage that did not declare it)."""


class Analysis:
    """One document's layers. Unfilled layers are absent attributes; reading one raises."""

    def __init__(self, raw: Any):
        self.raw = raw
        # claims sorted by start, kept sorted as they come (a figure claims, the next one asks)
        self._claim_starts: list[int] = []
        self._claims: list[tuple[int, int, ClaimKind]] = []
        self._claim_max_len = 0
        self._sent_starts: list[int] | None = None
        self._zone_starts: list[int] | None = None

    def __getattr__(self, name: str) -> Any:  # called only for attributes not set
        if name in LAYERS:
            raise LayerMissing(f"layer {name!r} was read before any stage filled it")
        raise AttributeError(name)

    def has(self, layer: str) -> bool:
        if layer.startswith("claim:"):
            return layer in self.__dict__.get("_claimed_layers", set())
        return layer in self.__dict__

    # --- zones -------------------------------------------------------------------------
    def zone_at(self, offset: int) -> Zone | None:
        zones = self.zones
        if self._zone_starts is None or len(self._zone_starts) != len(zones):
            self._zone_starts = [z.start for z in zones]
        i = bisect.bisect_right(self._zone_starts, offset) - 1
        if i >= 0 and zones[i].start <= offset < zones[i].end:
            return zones[i]
        return None

    def is_readable(self, start: int, end: int, kinds: tuple[str, ...] = READABLE) -> bool:
        """True when [start, end) lies inside one zone a reader reads as the report."""
        z = self.zone_at(start)
        return z is not None and z.kind in kinds and end <= z.end

    def readable_zones(self, kinds: tuple[str, ...] = READABLE) -> list[Zone]:
        return [z for z in self.zones if z.kind in kinds]

    # --- sentences ---------------------------------------------------------------------
    def sentence_at(self, offset: int):
        if self._sent_starts is None or len(self._sent_starts) != len(self.sentences):
            self._sent_starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    @property
    def published_year(self) -> int | None:
        return int(self.published[:4]) if self.published and self.published[:4].isdigit() else None

    # --- claims ------------------------------------------------------------------------
    def claim(self, start: int, end: int, kind: ClaimKind) -> None:
        i = bisect.bisect_right(self._claim_starts, start)
        self._claim_starts.insert(i, start)
        self._claims.insert(i, (start, end, ClaimKind(kind)))
        self._claim_max_len = max(self._claim_max_len, end - start)

    def mark_claimed(self, kind: ClaimKind) -> None:
        """The owner of `kind` has run (possibly claiming nothing)."""
        self.__dict__.setdefault("_claimed_layers", set()).add(ClaimKind(kind).layer)

    def is_claimed(self, start: int, end: int, kinds: tuple[ClaimKind, ...]) -> bool:
        for k in kinds:
            if not self.has(ClaimKind(k).layer):
                raise LayerMissing(f"claims of kind {ClaimKind(k).value!r} read before their owner ran")
        lo = bisect.bisect_left(self._claim_starts, start - self._claim_max_len)
        hi = bisect.bisect_left(self._claim_starts, end)
        return any(s < end and start < e and k in kinds for s, e, k in self._claims[lo:hi])


class StageView:
    """What a stage sees when checking is on: only its declared layers, and only its own claims."""

    def __init__(self, a: Analysis, stage: "Stage"):
        object.__setattr__(self, "_a", a)
        object.__setattr__(self, "_stage", stage)
        object.__setattr__(self, "_reads", set(stage.requires) | set(stage.provides) | {"raw"})

    def _check(self, layer: str) -> None:
        if layer not in self._reads:
            raise LayerMissing(f"stage {self._stage.name!r} read layer {layer!r} it does not declare")

    def __getattr__(self, name: str) -> Any:
        if name in LAYERS:
            self._check(name)
        for layer in METHOD_READS.get(name, ()):
            self._check(layer)
        if name == "is_claimed":
            def is_claimed(start: int, end: int, kinds: tuple[ClaimKind, ...]) -> bool:
                for k in kinds:
                    self._check(ClaimKind(k).layer)
                return self._a.is_claimed(start, end, kinds)
            return is_claimed
        if name == "claim":
            def claim(start: int, end: int, kind: ClaimKind) -> None:
                if ClaimKind(kind).layer not in self._stage.provides:
                    raise LayerMissing(f"stage {self._stage.name!r} claimed {ClaimKind(kind).value!r}, "
                                       f"a kind it does not own")
                self._a.claim(start, end, kind)
            return claim
        return getattr(self._a, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in LAYERS and name not in self._stage.provides:
            raise LayerMissing(f"stage {self._stage.name!r} wrote layer {name!r} it does not provide")
        setattr(self._a, name, value)


class Stage:
    """A named step: reads `requires`, fills `provides`. Subclasses take the gazetteers object
    at construction and build their lexicon from it there, once."""
    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()

    def __init__(self, gazetteers: Any = None):
        self.gazetteers = gazetteers

    def __call__(self, a: Analysis) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def run(self, a: Analysis, check: bool = False) -> None:
        """Run on `a`, marking the claim kinds this stage owns; with `check`, through a StageView
        and verifying afterwards that every provided layer was filled."""
        self(StageView(a, self) if check else a)
        for layer in self.provides:
            if layer.startswith("claim:"):
                a.mark_claimed(ClaimKind(layer[len("claim:"):]))
        if check:
            missing = [p for p in self.provides if not a.has(p)]
            if missing:
                raise LayerMissing(f"stage {self.name!r} did not fill {missing}")


def check_order(stages: list[Stage], given: tuple[str, ...] = ("raw",)) -> None:
    """Fail at assembly, not mid-batch: every required layer has exactly one provider, earlier.

    Raises PipelineError E301 (stage-contract) naming the stage, the layer and what to do.
    """
    providers: dict[str, str] = {}
    for st in stages:
        for p in st.provides:
            if p in providers:
                raise PipelineError("stage-contract", detail=f"layers {p!r}: both {providers[p]!r} and "
                                                             f"{st.name!r} provide it")
            providers[p] = st.name
    have = set(given)
    later = {p: st for st in stages for p in st.provides}
    for i, st in enumerate(stages):
        for r in st.requires:
            if r in have:
                continue
            if r in later:
                prov = later[r]
                cyc = _depends_on(prov, st, stages)
                how = ("a cycle: each needs the other" if cyc
                       else f"it is provided by {prov.name!r}, which runs later; move that stage earlier")
                raise PipelineError("stage-contract", detail=f"stage {st.name!r} requires {r!r}: {how}")
            raise PipelineError("stage-contract", detail=f"stage {st.name!r} requires {r!r}, which no stage provides")
        have.update(st.provides)


def _depends_on(a: Stage, b: Stage, stages: list[Stage]) -> bool:
    """Does stage `a` need (transitively) a layer that `b` provides?"""
    providers = {p: st for st in stages for p in st.provides}
    seen, todo = set(), [a]
    while todo:
        st = todo.pop()
        if st.name in seen:
            continue
        seen.add(st.name)
        for r in st.requires:
            prov = providers.get(r)
            if prov is b:
                return True
            if prov is not None:
                todo.append(prov)
    return False
