"""One file in, one contract-shaped `Document` out: the stages run in order.

`process_file` is the one entry point the batch (local pool or Dask) calls per file;
`fingerprint` says what produced an output, so a resumed run knows when to redo it.
"""
from __future__ import annotations

import hashlib
import math
from functools import lru_cache
from pathlib import Path

from pipeline import __version__
from pipeline.analysis import Analysis, Stage, check_order
from pipeline.contract import FIGURE_VALUE_LIMIT
from pipeline.extract import EXTRACTORS
from pipeline.gazetteers import gazetteer_dir
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


@lru_cache(maxsize=None)
def _data_digest(folder: str) -> str:
    root = Path(folder)
    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = f.relative_to(root).as_posix().encode("utf-8", "surrogateescape")
        data = f.read_bytes()
        h.update(len(rel).to_bytes(4, "big") + rel + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def fingerprint() -> dict[str, str]:
    """What an output depends on besides its input: the pipeline's version and its data.

    `data_digest` is a SHA-256 over the gazetteer files (sorted relative names and bytes), so
    editing a word list makes a resumed batch redo every document.
    """
    return {"pipeline_version": __version__, "data_digest": _data_digest(str(gazetteer_dir().resolve()))}


def _in_range(value: float) -> bool:
    return math.isfinite(value) and abs(value) <= FIGURE_VALUE_LIMIT


def to_document(a: Analysis) -> Document:
    r = a.raw
    return Document(
        id=r.sha256[:16],
        source=Source(path=str(r.path), sha256=r.sha256, format=r.format, encoding=r.encoding,
                      raw_layer=r.raw_layer),
        pipeline_version=__version__, data_digest=fingerprint()["data_digest"],
        title=a.title, published=a.published, authors=a.authors, outlet=a.outlet,
        text=a.text, zones=a.zones, sentences=a.sentences,
        officials=a.officials, agencies=a.agencies, legal_documents=a.legal_documents,
        programs=a.programs, dates=a.dates,
        # a run of 200 digits reads as a number no report means (and as infinity in floating
        # point, which JSON cannot hold): such spans are not figures
        figures=[f for f in a.figures if _in_range(f.value)],
        offset_map=a.offsets.to_json(),
    )


def process_file(path: Path) -> Document:
    return to_document(analyse(path))
