"""PDF files: the text layer, via pdfminer.six, pages joined by blank lines.

The text is taken as pdfminer lays it out and is not rewritten (Vietnamese syllables are short
and are not hyphenated across lines, so no de-hyphenation is attempted). PDFs typeset in the
legacy fonts .VnTime (TCVN3) or VNI-Times carry their letters as Latin-1/cp1252 characters in
the text layer ("Uû ban nh©n d©n"); the same scorer as for .txt files decides, and the reader
hands the table to the normaliser so offsets still map into the text layer.

A scan without a text layer is E107 no-text-layer (it needs OCR, which we do not do); a
truncated or corrupt file is E106 broken-container.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.readers import RawDocument, register, sha256_of
from pipeline.readers.legacy import choose_legacy

_CID = re.compile(r"\(cid:\d+\)")


def _broken(err: Exception) -> PipelineError:
    return PipelineError("broken-container", format="PDF", detail=f" ({type(err).__name__})")


def extract_pages(data: bytes) -> list[str]:
    """The text of each page (pdfminer's layout analysis with its default parameters)."""
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage

    try:
        n_pages = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    except (PDFEncryptionError, PDFPasswordIncorrect):
        raise PipelineError("broken-container", format="PDF", detail=" (encrypted)") from None
    except Exception as err:  # pdfminer raises many types (PSEOF, PDFSyntaxError, KeyError...)
        raise _broken(err) from None
    if n_pages == 0:
        raise PipelineError("broken-container", format="PDF", detail=" (no pages found)")
    try:
        text = extract_text(io.BytesIO(data))
    except Exception as err:
        raise _broken(err) from None
    pages = text.split("\f")
    return [p.strip() for p in pages]


@register("pdf", ".pdf")
def read_pdf(path: Path, data: bytes) -> RawDocument:
    if not data.lstrip()[:1024].find(b"%PDF") >= 0:
        raise PipelineError("broken-container", format="PDF", detail=" (no %PDF header)")
    pages = [p for p in extract_pages(data) if p]
    raw = "\n\n".join(pages)
    if not _CID.sub("", raw).strip():
        raise PipelineError("no-text-layer", format="PDF", detail=" (a scan? it needs OCR)")
    found = choose_legacy(raw, raw, surface="cp1252")
    encoding, table = (found[0], found[1]) if found else ("unicode", None)
    return RawDocument(path=path, format="pdf", encoding=encoding, raw=raw, sha256=sha256_of(data),
                       raw_layer="pdfminer.six text layer, pages joined by blank lines"
                                 + (f" ({encoding} font glyphs)" if table else ""),
                       legacy_table=table, wrapped_lines=True)
