"""Readers: one file in, a `RawDocument` out (the raw text layer that offsets map back into).

Each reader handles one format and raises `PipelineError` with a catalogue code for anything it
cannot read. `read_document` picks the reader by suffix.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.errors import PipelineError

MB = 1024 * 1024
# The pipeline keeps the whole document in memory (spaCy tokens, words, offsets): about 250
# bytes per character of text, so 400,000 characters (a 200-page report; news articles are
# 2,000-20,000) stay within 300 MB per worker. Longer texts are refused (E108), not cut: facts
# such as an official's positions or a figure's period are read across the whole document, and
# a document split in windows would quietly give other answers. bench/bench_limits.py measures it.
MAX_TEXT_CHARS = 400_000
# Per-format limits on the file itself, checked before it is read: a .txt over 4 bytes per
# allowed character cannot fit; HTML markup, DOCX packages and PDFs carry much besides text.
MAX_BYTES = {"txt": 4 * MAX_TEXT_CHARS, "html": 8 * MB, "docx": 32 * MB, "pdf": 32 * MB}


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


def size_text(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f}".removesuffix(".0") + " MB"
    return f"{n // 1024} KB"


def check_path(path: Path) -> os.stat_result:
    """The file's stat, or the catalogue error for a path that is not a readable regular file."""
    try:
        st = os.stat(path)  # follows symbolic links
    except FileNotFoundError:
        raise PipelineError("file-not-found", detail=" (a broken symbolic link)" if os.path.islink(path) else "") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise PipelineError("unreadable-file", detail=" (a loop of symbolic links)") from None
        if err.errno == errno.ENOTDIR:
            raise PipelineError("file-not-found") from None
        raise PipelineError("unreadable-file", detail=f" ({err.strerror or type(err).__name__})") from None
    if stat.S_ISDIR(st.st_mode):
        return st
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "special")
        raise PipelineError("unreadable-file", detail=f" (not a regular file: {kind})")
    return st


def read_document(path: Path) -> RawDocument:
    path = Path(path)
    st = check_path(path)
    fmt = format_of(path)
    if fmt is None or stat.S_ISDIR(st.st_mode):
        raise PipelineError("unsupported-format", suffix="(a folder)" if stat.S_ISDIR(st.st_mode) else path.suffix or "(none)")
    if st.st_size > MAX_BYTES[fmt]:
        raise PipelineError("too-large", limit=f"{size_text(MAX_BYTES[fmt])} .{fmt} file size",
                            detail=f" ({size_text(st.st_size)})")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES[fmt] + 1)
    except OSError as err:
        raise PipelineError("unreadable-file", detail=f" ({err.strerror or type(err).__name__})") from None
    if len(data) > MAX_BYTES[fmt]:  # grew since the stat
        raise PipelineError("too-large", limit=f"{size_text(MAX_BYTES[fmt])} .{fmt} file size")
    if not data.strip():
        raise PipelineError("empty-file", detail=" (only white space)" if data else "")
    doc = READERS[fmt](path, data)
    if len(doc.raw) > MAX_TEXT_CHARS:
        raise PipelineError("too-large", limit=f"{MAX_TEXT_CHARS:,}-character text",
                            detail=f" ({len(doc.raw):,} characters)")
    return doc


# registering readers: import for side effects, in one place
from pipeline.readers import text as _text  # noqa: E402,F401
from pipeline.readers import html as _html  # noqa: E402,F401
from pipeline.readers import docx as _docx  # noqa: E402,F401
from pipeline.readers import pdf as _pdf  # noqa: E402,F401
