"""The one error catalogue. Every failure a user can see has a stable code to grep logs for.

    E101 file-not-found   E102 unsupported-format   E103 empty-file   E104 binary-file
    E105 undecodable-text E106 broken-container     E107 no-text-layer E108 too-large
    E109 time-limit       E110 memory-limit         E111 worker-died  E112 unreadable-file
    E113 output-not-written
    E201 internal-error (a bug: please report the file)
    E301 stage-contract (a pipeline assembled from stages whose layers do not fit; before any file)
    E401 catalog-unreadable (the --catalog file as a whole; before any file)
    E402 catalog-row (one row of the catalogue: names no input, a value that cannot be read; reported, the run goes on)

E109-E111 are given by the batch, which watches the worker processing the file: the file took
longer than the per-file limit, made the worker grow past the memory limit, or the worker died
under it (a crash in a library, the kernel's OOM killer). Only that file fails; the batch goes on.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorKind:
    code: str
    name: str
    template: str


CATALOGUE: dict[str, ErrorKind] = {
    k.name: k
    for k in (
        ErrorKind("E101", "file-not-found", "no such file or folder{detail}"),
        ErrorKind("E102", "unsupported-format", "unsupported format {suffix!r} (expected .txt, .html, .htm, .docx, .pdf)"),
        ErrorKind("E103", "empty-file", "the file is empty{detail}"),
        ErrorKind("E104", "binary-file", "binary content, not a text document{detail}"),
        ErrorKind("E105", "undecodable-text", "cannot decode the text in any supported encoding{detail}"),
        ErrorKind("E106", "broken-container", "the {format} file is damaged or truncated{detail}"),
        ErrorKind("E107", "no-text-layer", "the {format} file has no extractable text{detail}"),
        ErrorKind("E108", "too-large", "over the {limit} limit{detail}"),
        ErrorKind("E109", "time-limit", "processing took longer than the {limit} per-file limit{detail}"),
        ErrorKind("E110", "memory-limit", "processing needed more than the {limit} memory limit{detail}"),
        ErrorKind("E111", "worker-died", "the worker process died while processing this file{detail}"),
        ErrorKind("E112", "unreadable-file", "the file cannot be read{detail}"),
        ErrorKind("E113", "output-not-written", "its output cannot be written{detail}"),
        ErrorKind("E201", "internal-error", "internal error {detail} (a bug: please report this file)"),
        ErrorKind("E301", "stage-contract", "the pipeline cannot be assembled: {detail}"),
        ErrorKind("E401", "catalog-unreadable", "the catalogue cannot be read{detail}"),
        ErrorKind("E402", "catalog-row", "{detail}"),
    )
}


class PipelineError(Exception):
    """An expected, user-facing failure for one input. `str(err)` is the one-line reason."""

    def __init__(self, name: str, **fields: object) -> None:
        kind = CATALOGUE[name]
        fields.setdefault("detail", "")
        self.kind = kind
        self.reason = kind.template.format(**fields)
        super().__init__(f"{kind.code} {kind.name}: {self.reason}")

    @property
    def code(self) -> str:
        return self.kind.code
