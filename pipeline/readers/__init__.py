"""Readers: one file in, a `RawDocument` out (the raw text layer that offsets map back into).

Each reader handles one format and raises `PipelineError` with a catalogue code for anything it
cannot read. `read_document` picks the reader by suffix.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.errors import PipelineError

MAX_BYTES = 200 * 1024 * 1024


@dataclass
class RawDocument:
    """What a reader hands to normalisation.

    `raw` is the text layer offsets map back into: for .txt the file's characters (for TCVN3/VNI
    one character per byte, so raw offsets are byte offsets); for .html/.docx/.pdf the text the
    extractor produced. `legacy_table` is set when `raw` still needs a legacy-font conversion,
    which normalisation does so that the map covers it.
    """

    path: Path
    format: str
    encoding: str
    raw: str
    sha256: str
    raw_layer: str = "file characters"
    legacy_table: dict[str, str] | None = None
    wrapped_lines: bool = False  # a layout wrapped lines (PDF): normalisation re-joins them
    metadata: dict[str, object] = field(default_factory=dict)


Reader = Callable[[Path, bytes], RawDocument]
READERS: dict[str, Reader] = {}
SUFFIXES: dict[str, str] = {}


def register(fmt: str, *suffixes: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        READERS[fmt] = fn
        for s in suffixes:
            SUFFIXES[s] = fmt
        return fn
    return deco


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def format_of(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def read_document(path: Path) -> RawDocument:
    path = Path(path)
    fmt = format_of(path)
    if fmt is None:
        raise PipelineError("unsupported-format", suffix=path.suffix or "(none)")
    if not path.is_file():
        raise PipelineError("file-not-found")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PipelineError("too-large", limit=f"{MAX_BYTES // (1024 * 1024)} MB")
    data = path.read_bytes()
    if not data.strip():
        raise PipelineError("empty-file", detail=" (only white space)" if data else "")
    return READERS[fmt](path, data)


# registering readers: import for side effects, in one place
from pipeline.readers import text as _text  # noqa: E402,F401
from pipeline.readers import html as _html  # noqa: E402,F401
from pipeline.readers import docx as _docx  # noqa: E402,F401
from pipeline.readers import pdf as _pdf  # noqa: E402,F401
