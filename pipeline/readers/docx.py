"""Word documents (.docx): paragraphs and tables in document order, via python-docx.

Official reports put figures in tables, so tables are kept: each row becomes one line with its
cells joined by " | " (a merged cell is written once), between the paragraphs around it:

    Chỉ tiêu | Kế hoạch | Thực hiện
    Thu ngân sách (tỷ đồng) | 2.300 | 2.500

Paragraphs are separated by blank lines, table rows by single line breaks. Core properties
(title, author, created) become metadata only when present and plausible.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.readers import RawDocument, register, sha256_of

# authoring tools and templates write these into core properties; they are not people or titles
_PLACEHOLDERS = {"", "user", "admin", "administrator", "microsoft office user", "windows user",
                 "pc", "author", "python-docx", "unknown", "title", "document", "tiêu đề"}
_TEMPLATE_STAMP = dt.datetime(2013, 12, 23, 23, 15)
# python-docx holds every part of the package in memory and parses the XML parts into trees
# (several times their size), so the unpacked package is bounded as well as the file: a ZIP
# member's declared size is what zipfile will inflate at most, so the sums below are sound.
MAX_UNPACKED = 48 * 1024 * 1024
MAX_XML = 16 * 1024 * 1024


def check_package(data: bytes) -> None:
    """E108 for a package that unpacks too large, E106 for one whose members do not inflate
    (a damaged deflate stream, a CRC mismatch, an unsupported or encrypted member), read in
    chunks so a damaged member is found before python-docx takes the package apart."""
    from pipeline.readers import size_text

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
            if total > MAX_UNPACKED or xml > MAX_XML:
                what = (f"{size_text(MAX_XML)} unpacked DOCX XML" if xml > MAX_XML
                        else f"{size_text(MAX_UNPACKED)} unpacked DOCX package")
                raise PipelineError("too-large", limit=what, detail=f" ({size_text(max(xml, total) if xml > MAX_XML else total)})")
            for info in infos:
                if not info.filename.endswith((".xml", ".rels")):
                    continue  # media are not read for text; python-docx only keeps their bytes
                with z.open(info) as fh:
                    while fh.read(1 << 20):
                        pass
    except PipelineError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError, KeyError) as err:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
        raise PipelineError("broken-container", format="DOCX",
                            detail=f" ({type(err).__name__}: {' '.join(str(err).split())[:80]})") from None


def _rows(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a horizontally merged cell appears once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _blocks(doc) -> list[str]:
    """Paragraph texts and table blocks in the order they stand in the body."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    _walk(doc.element.body, doc, blocks, Paragraph, Table)
    return blocks


def _walk(parent, doc, blocks: list[str], Paragraph, Table) -> None:
    for child in parent.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("sdt", "sdtContent"):  # content controls (form fields, cover pages) hold text too
            _walk(child, doc, blocks, Paragraph, Table)
        elif tag == "p":
            text = Paragraph(child, doc).text.strip()
            if text:
                blocks.append(text)
        elif tag == "tbl":
            rows = _rows(Table(child, doc))
            if rows:
                blocks.append("\n".join(rows))


def _plausible(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split())
    return None if value.lower() in _PLACEHOLDERS or len(value) > 300 else value


def _metadata(doc) -> dict[str, object]:
    props = doc.core_properties
    meta: dict[str, object] = {}
    title = _plausible(props.title)
    if title:
        meta["title"] = title
    author = _plausible(props.author)
    if author:
        meta["authors"] = [author]
    created = props.created
    # a date in the future or before .docx existed (2007) is noise, and so is the stamp of
    # python-docx's own template (2013-12-23 23:15), which generated files carry
    if (isinstance(created, dt.datetime) and created.replace(tzinfo=None) != _TEMPLATE_STAMP
            and dt.datetime(2007, 1, 1) <= created.replace(tzinfo=None) <= dt.datetime.now()):
        meta["created"] = created.date().isoformat()
    return meta


@register("docx", ".docx")
def read_docx(path: Path, data: bytes) -> RawDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PipelineError("broken-container", format="DOCX", detail=" (not a ZIP package)")
    check_package(data)
    try:
        doc = docx.Document(io.BytesIO(data))
        blocks = _blocks(doc)
        meta = _metadata(doc)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as err:
        raise PipelineError("broken-container", format="DOCX", detail=f" ({type(err).__name__})") from None
    except Exception as err:  # lxml XMLSyntaxError and friends on damaged parts
        if type(err).__module__.startswith(("lxml", "docx", "zipfile", "zlib")):
            raise PipelineError("broken-container", format="DOCX", detail=f" ({type(err).__name__})") from None
        raise
    if not blocks:
        raise PipelineError("no-text-layer", format="DOCX", detail=" (no paragraphs or tables with text)")
    raw = "\n\n".join(blocks)
    if meta.get("title"):
        from pipeline.normalize import normalise

        # keep the title only when a paragraph says it (not a stale template title), and in the
        # normalised form the zones stage compares lines with
        title = normalise(str(meta["title"])).text
        if title in (normalise(b).text for b in blocks):
            meta["title"] = title
        else:
            del meta["title"]
    return RawDocument(path=path, format="docx", encoding="utf-8", raw=raw, sha256=sha256_of(data),
                       raw_layer="paragraphs and table rows (cells joined by ' | ') in body order",
                       metadata=meta)
