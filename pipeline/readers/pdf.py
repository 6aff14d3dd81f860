"""PDF files: the text layer, via pdfminer.six, pages joined by blank lines.

The text is taken as pdfminer lays it out and is not rewritten (Vietnamese syllables are short
and are not hyphenated across lines, so no de-hyphenation is attempted). PDFs typeset in the
legacy fonts .VnTime (TCVN3) or VNI-Times carry their letters as Latin-1/cp1252 characters in
the text layer ("Uû ban nh©n d©n"); the same scorer as for .txt files decides, and the reader
hands the table to the normaliser so offsets still map into the text layer.

A scan without a text layer is E107 no-text-layer (it needs OCR, which we do not do); a
truncated or corrupt file is E106 broken-container.

Parsing is budgeted, so a small hostile file cannot hang a worker or take gigabytes:
- an object that refers to itself (`1 0 obj 1 0 R endobj` as the root) is a broken file (E106),
  not an endless loop: references are followed with cycle detection;
- a stream may inflate to at most `MAX_STREAM` bytes and all streams of a file to
  `MAX_INFLATED` (E108): 5 KB of deflate can hold a 5 MB content stream of a million glyphs;
- a page may lay out at most `MAX_PAGE_CHARS` glyphs and the file `MAX_TEXT_CHARS` (E108):
  pdfminer keeps about 0.8 KB per glyph until the page is laid out (a dense A3 page holds 30,000).
The budgets count bytes and glyphs, not seconds, so a file gets the same outcome on any machine.
"""
from __future__ import annotations

import io
import re
import threading
import zlib
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.readers import MAX_TEXT_CHARS, RawDocument, register, sha256_of, size_text
from pipeline.readers.legacy import choose_legacy

_CID = re.compile(r"\(cid:\d+\)")

MAX_STREAM = 16 * 1024 * 1024
MAX_INFLATED = 64 * 1024 * 1024
MAX_PAGE_CHARS = 60_000
MAX_REF_CHAIN = 32  # an indirect object naming another, naming another...: real files use 1 or 2
# pdfminer orders a page's text boxes by clustering all pairs of them (time and memory grow with
# the square of their number: 1,000 one-line boxes take 5 s and 200 MB). Pages with more boxes
# than this are read top to bottom, left to right instead; real pages have a few dozen.
MAX_GROUPED_BOXES = 200


class _Budget(threading.local):
    inflated = 0


_budget = _Budget()


def _too_large(limit: str, detail: str = "") -> PipelineError:
    return PipelineError("too-large", limit=limit, detail=detail)


def _account(n: int) -> None:
    if n > MAX_STREAM:
        raise _too_large(f"{size_text(MAX_STREAM)} inflated PDF stream")
    _budget.inflated += n
    if _budget.inflated > MAX_INFLATED:
        raise _too_large(f"{size_text(MAX_INFLATED)} inflated PDF content")


class _BoundedZlib:
    """The part of the `zlib` module pdfminer's stream decoder uses, with the budget applied."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    @staticmethod
    def decompress(data: bytes) -> bytes:
        d = zlib.decompressobj()
        out = d.decompress(data, MAX_STREAM + 1)
        if d.unconsumed_tail or len(out) > MAX_STREAM:
            _account(MAX_STREAM + 1)
        if not d.eof:  # as zlib.decompress does, so pdfminer tries its lenient path
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        _account(len(out))
        return out

    @staticmethod
    def decompressobj(*args, **kwargs):
        return zlib.decompressobj(*args, **kwargs)


def _decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a stream whose checksum is wrong (keep what inflates), linear:
    the original feeds one byte at a time into a growing bytes object, quadratic in the output."""
    d = zlib.decompressobj()
    out = bytearray()
    step = 4096
    for i in range(0, len(data), step):
        chunk = data[i:i + step]
        saved = d.copy()
        try:
            out += d.decompress(chunk)
        except zlib.error:
            d = saved
            for j in range(len(chunk)):  # find the byte that fails, keeping what came before
                try:
                    out += d.decompress(chunk[j:j + 1])
                except zlib.error:
                    if i + j < len(data) - 3:  # not just the trailing checksum: really broken
                        raise
                    _account(len(out))
                    return bytes(out)
        if len(out) > MAX_STREAM:
            _account(len(out))
    _account(len(out))
    return bytes(out)


def _lzwdecode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    for chunk in LZWDecoder(io.BytesIO(data)).run():
        out += chunk
        if len(out) > MAX_STREAM:
            _account(len(out))
    _account(len(out))
    return bytes(out)


def _rldecode(data: bytes) -> bytes:
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        length = data[i]
        if length == 128:
            break
        if length < 128:
            out += data[i + 1:i + 2 + length]
            i += 2 + length
        else:
            if i + 1 >= n:
                break
            out += data[i + 1:i + 2] * (257 - length)
            i += 2
        if len(out) > MAX_STREAM:
            _account(len(out))
    _account(len(out))
    return bytes(out)


class PDFReferenceLoop(Exception):
    """An indirect object that leads back to itself."""


def _install_guards() -> None:
    """Route pdfminer's stream decoders and reference resolution through the budgets above.

    pdfminer calls these as globals of `pdfminer.pdftypes`, so replacing them there is enough.
    Done once per process; the decoders give the same bytes as pdfminer's own within budget.
    """
    from pdfminer import pdftypes

    if getattr(pdftypes, "_vnreport_guarded", False):
        return
    original = pdftypes.PDFObjRef.resolve

    def resolve(self, default=None):
        x, seen = self, set()
        while isinstance(x, pdftypes.PDFObjRef):
            if x.objid in seen or len(seen) >= MAX_REF_CHAIN:
                raise PDFReferenceLoop(f"object {self.objid} refers back to itself")
            seen.add(x.objid)
            x = original(x, default)
        return x

    pdftypes.PDFObjRef.resolve = resolve
    pdftypes.zlib = _BoundedZlib
    pdftypes.decompress_corrupted = _decompress_corrupted
    pdftypes.lzwdecode = _lzwdecode
    pdftypes.rldecode = _rldecode
    pdftypes._vnreport_guarded = True


def _broken(err: Exception) -> PipelineError:
    if isinstance(err, PDFReferenceLoop):
        return PipelineError("broken-container", format="PDF", detail=" (an object refers back to itself)")
    if isinstance(err, RecursionError):
        return PipelineError("broken-container", format="PDF", detail=" (objects nested too deeply)")
    return PipelineError("broken-container", format="PDF", detail=f" ({type(err).__name__})")


def extract_pages(data: bytes) -> list[str]:
    """The text of each page (pdfminer's layout analysis with its default parameters)."""
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams, LTPage, LTTextGroupLRTB
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    _install_guards()

    class Page(LTPage):
        def group_textboxes(self, laparams, boxes):
            if len(boxes) > MAX_GROUPED_BOXES:
                return [LTTextGroupLRTB(list(boxes))]
            return super().group_textboxes(laparams, boxes)

    class Converter(TextConverter):
        total = 0
        page = 0

        def begin_page(self, page, ctm):
            self.page = 0
            super().begin_page(page, ctm)
            self.cur_item = Page(self.cur_item.pageid, self.cur_item.bbox)

        def render_char(self, *args, **kwargs):
            self.page += 1
            self.total += 1
            if self.page > MAX_PAGE_CHARS:
                raise _too_large(f"{MAX_PAGE_CHARS:,}-glyph PDF page")
            if self.total > MAX_TEXT_CHARS:
                raise _too_large(f"{MAX_TEXT_CHARS:,}-character text")
            return super().render_char(*args, **kwargs)

    _budget.inflated = 0
    try:
        n_pages = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    except PipelineError:
        raise
    except (PDFEncryptionError, PDFPasswordIncorrect):
        raise PipelineError("broken-container", format="PDF", detail=" (encrypted)") from None
    except Exception as err:  # pdfminer raises many types (PSEOF, PDFSyntaxError, KeyError...)
        raise _broken(err) from None
    if n_pages == 0:
        raise PipelineError("broken-container", format="PDF", detail=" (no pages found)")
    _budget.inflated = 0
    out = io.StringIO()
    try:
        rsrc = PDFResourceManager(caching=True)
        device = Converter(rsrc, out, codec="utf-8", laparams=LAParams())
        interpreter = PDFPageInterpreter(rsrc, device)
        for page in PDFPage.get_pages(io.BytesIO(data)):
            interpreter.process_page(page)
    except PipelineError:
        raise
    except Exception as err:
        raise _broken(err) from None
    finally:
        _budget.inflated = 0
    return [p.strip() for p in out.getvalue().split("\f")]


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
