"""One pipeline object: named stages assembled once, checked at assembly, run on a file or a text.

    >>> nlp = Pipeline()                                   # every stage, the project's gazetteers
    >>> doc = nlp.run_text("Ngày 2/8, Hội LHPN tỉnh Lai Châu đã trao 35 suất quà.")
    >>> [(f.value, f.unit) for f in doc.figures]
    [(35, 'suất quà')]
    >>> figures = nlp.subset(["figures"])                 # only what figures need (no officials)

Assembly fails before any file is read when a stage needs a layer that no earlier stage
provides, two stages provide one layer, or stages need each other (E301 stage-contract). With
`check=True` (tests, `--debug`, VNREPORT_CHECK=1) every stage runs through a `StageView` that
refuses undeclared layers and verifies it filled what it provides.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Sequence

from pipeline import __version__
from pipeline.analysis import Analysis, Stage, check_order
from pipeline.errors import PipelineError
from pipeline.extract.agencies import AgencyStage
from pipeline.extract.dates import Dates
from pipeline.extract.figures import Figures
from pipeline.extract.legal import LegalDocuments
from pipeline.extract.officials import OfficialStage
from pipeline.extract.programs import Programs
from pipeline.gazetteers import Gazetteers
from pipeline.model import Document, Source
from pipeline.readers import RawDocument, read_document, sha256_of
from pipeline.references import References
from pipeline.stages import Normalise, Sentences, Words, Zones

# The stages in run order. Dates and legal documents claim their spans before figures read
# numbers; agencies run before officials (positions name them) and figures (context names them).
STAGES: tuple[type[Stage], ...] = (Normalise, Zones, Sentences, Words, Dates, LegalDocuments, Programs,
                                   AgencyStage, OfficialStage, Figures, References)
CHECK_ENV = "VNREPORT_CHECK"


class Pipeline:
    def __init__(self, stages: Sequence[type[Stage] | Stage] | None = None, gazetteers: Gazetteers | None = None,
                 check: bool | None = None):
        self.gazetteers = gazetteers or Gazetteers()
        built = []
        for st in (STAGES if stages is None else stages):
            built.append(st if isinstance(st, Stage) else st(self.gazetteers))
        check_order(built)
        self.stages: tuple[Stage, ...] = tuple(built)
        self.check = bool(os.environ.get(CHECK_ENV)) if check is None else check

    def __repr__(self) -> str:
        return f"Pipeline([{', '.join(self.names)}], {self.gazetteers!r})"

    @property
    def names(self) -> list[str]:
        return [st.name for st in self.stages]

    @property
    def provides(self) -> set[str]:
        return {p for st in self.stages for p in st.provides}

    @property
    def fingerprint(self) -> dict[str, str]:
        """What an output depends on besides its input bytes."""
        return {"pipeline_version": __version__, "data_digest": self.gazetteers.digest}

    def subset(self, outputs: Iterable[str]) -> "Pipeline":
        """The stages needed for `outputs` (layers), in run order, sharing this one's data."""
        providers = {p: st for st in self.stages for p in st.provides}
        needed: set[str] = set()
        todo = list(outputs)
        while todo:
            layer = todo.pop()
            st = providers.get(layer)
            if st is None:
                if layer == "raw":
                    continue
                raise PipelineError("stage-contract", detail=f"no stage provides {layer!r}")
            if st.name not in needed:
                needed.add(st.name)
                todo.extend(st.requires)
        return Pipeline([st for st in self.stages if st.name in needed], self.gazetteers, self.check)

    # --- running ----------------------------------------------------------------------
    def analyse(self, raw: RawDocument) -> Analysis:
        a = Analysis(raw)
        for st in self.stages:
            st.run(a, self.check)
        return a

    def run_file(self, path: Path | str, catalog: dict[str, Any] | None = None) -> Document:
        """One file's facts; `catalog` is its row of an archive catalogue (pipeline/catalog.py)."""
        raw = read_document(Path(path))
        if catalog:
            raw.metadata["catalog"] = dict(catalog)
        return to_document(self.analyse(raw), self.fingerprint)

    def run_text(self, text: str, metadata: dict[str, Any] | None = None, path: str = "<text>") -> Document:
        """The same facts as `run_file` gives for a UTF-8 .txt file holding `text`. `metadata` may
        give what a catalogue or a web page says: title, published, outlet, authors."""
        return to_document(self.analyse(text_document(text, metadata, path)), self.fingerprint)


def text_document(text: str, metadata: dict[str, Any] | None = None, path: str = "<text>") -> RawDocument:
    if not text.strip():
        raise PipelineError("empty-file", detail=" (no text given)")
    return RawDocument(path=Path(path), format="txt", encoding="utf-8", raw=text,
                       sha256=sha256_of(text.encode("utf-8")), raw_layer="the text as given",
                       metadata=dict(metadata or {}))


def to_document(a: Analysis, fingerprint: dict[str, str]) -> Document:
    """The contract-shaped document; layers a sub-pipeline did not fill are left empty."""
    r = a.raw
    get = a.__dict__.get
    return Document(
        id=r.sha256[:16],
        source=Source(path=str(r.path), sha256=r.sha256, format=r.format, encoding=r.encoding,
                      raw_layer=r.raw_layer),
        pipeline_version=fingerprint["pipeline_version"], data_digest=fingerprint["data_digest"],
        title=get("title"), published=get("published"), authors=get("authors", []), outlet=get("outlet"),
        report_place=get("report_place"), catalog=get("catalog"),
        text=get("text", ""), zones=get("zones", []), sentences=get("sentences", []),
        officials=get("officials", []), agencies=get("agencies", []), legal_documents=get("legal_documents", []),
        programs=get("programs", []), dates=get("dates", []), figures=get("figures", []),
        offset_map=a.offsets.to_json() if "offsets" in a.__dict__ else [],
    )
