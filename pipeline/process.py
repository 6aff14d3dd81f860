"""One file in, one contract-shaped `Document` out: the stages run in order."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pipeline import __version__
from pipeline.analysis import Analysis, Stage, check_order
from pipeline.extract import EXTRACTORS
from pipeline.model import Document, Source
from pipeline.readers import read_document
from pipeline.stages import FOUNDATION


@lru_cache(maxsize=1)
def stages() -> tuple[Stage, ...]:
    chain = FOUNDATION + EXTRACTORS
    check_order(chain)
    return tuple(chain)


def analyse(path: Path) -> Analysis:
    a = Analysis(raw=read_document(Path(path)))
    for st in stages():
        st(a)
    return a


def to_document(a: Analysis) -> Document:
    r = a.raw
    return Document(
        id=r.sha256[:16],
        source=Source(path=str(r.path), sha256=r.sha256, format=r.format, encoding=r.encoding,
                      raw_layer=r.raw_layer),
        pipeline_version=__version__,
        title=a.title, published=a.published, authors=a.authors, outlet=a.outlet,
        text=a.text, zones=a.zones, sentences=a.sentences,
        officials=a.officials, agencies=a.agencies, legal_documents=a.legal_documents,
        programs=a.programs, dates=a.dates, figures=a.figures,
        offset_map=a.offsets.to_json(),
    )


def process_file(path: Path) -> Document:
    return to_document(analyse(path))
