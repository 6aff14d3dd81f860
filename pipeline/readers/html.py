"""Web pages (.html/.htm): the article's main text and metadata, via trafilatura.

trafilatura drops page furniture (menus, share bars, comment forms, view counters) and reads
title, date, author and site from the page's meta tags. `raw` is the title line, then the main
text's paragraphs separated by blank lines, so the zones stage finds the title as its own line:

    Lai Châu: Hội nghị tổng kết năm 2023

    Sáng ngày 15/01/2024, Ủy ban nhân dân tỉnh Lai Châu tổ chức hội nghị ...

Pages in legacy fonts (TCVN3/VNI) are rare on the web and are not converted.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.normalize import normalise
from pipeline.readers import RawDocument, register, sha256_of

# the HTML5 encoding prescan looks for a charset declaration in the first 1024 bytes
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)


def _text_codec(label: str) -> str | None:
    """The codec a charset label names, if it is a text encoding Python can decode with.

    Pages declare anything: unknown names, Python-only pseudo-codecs ('undefined' refuses all
    input, 'hex' and 'rot13' are not text encodings); those fall back like an undeclared page.
    """
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in ("undefined",):
        return None
    return info.name


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, encoding): a BOM, else UTF-8 if the bytes are valid UTF-8 (pages are often
    mislabelled, and 8-bit text is almost never valid UTF-8 by chance), else the declared
    charset, else Windows-1258."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name if name != "utf-8" else "utf-8-sig", errors="replace"), name
    m = _CHARSET.search(data[:4096])
    declared = _text_codec(m.group(1).decode("ascii")) if m else None
    for name in [n for n in ("utf-8", declared) if n]:
        try:
            return data.decode(name), name
        except (UnicodeError, LookupError):  # UnicodeError: codecs such as 'undefined' refuse all input
            continue
    # mislabelled or undeclared 8-bit page: Vietnamese sites of the 2000s used Windows-1258
    return data.decode("cp1258", errors="replace"), "windows-1258"


def _outlet(hostname: str | None) -> str | None:
    if not hostname:
        return None
    host = hostname.lower().strip(".")
    return host[4:] if host.startswith("www.") else host


@register("html", ".html", ".htm")
def read_html(path: Path, data: bytes) -> RawDocument:
    from trafilatura import bare_extraction

    from pipeline.readers.text import _looks_binary

    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and _looks_binary(data):
        raise PipelineError("binary-file")
    html, encoding = decode_html(data)
    if "<" not in html:
        raise PipelineError("binary-file", detail=" (no HTML markup)")
    try:
        doc = bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                              date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as err:  # lxml/trafilatura failures on garbage input
        raise PipelineError("broken-container", format="HTML", detail=f" ({type(err).__name__})") from None
    if doc is None or not (doc.text or "").strip():
        raise PipelineError("no-text-layer", format="HTML", detail=" (no main text found)")
    # the title as the normaliser will show it, so the zones stage can find it line by line
    title = " ".join(normalise(doc.title).text.split()) if doc.title else None
    lines = [ln.strip() for ln in doc.text.splitlines() if ln.strip()]
    if title and lines and " ".join(normalise(lines[0]).text.split()) == title:
        lines = lines[1:]  # the page's own <h1> repeats the title
    raw = "\n\n".join(([title] if title else []) + lines)
    authors = [a.strip() for a in re.split(r"[;|]", doc.author or "") if a.strip()]
    metadata: dict[str, object] = {
        "title": title,
        "published": doc.date if doc.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.date) else None,
        "authors": authors,
        "outlet": _outlet(doc.hostname),
    }
    if doc.sitename:
        metadata["sitename"] = doc.sitename
    return RawDocument(path=path, format="html", encoding=encoding, raw=raw, sha256=sha256_of(data),
                       raw_layer="main text extracted by trafilatura (title line, then paragraphs)",
                       metadata=metadata)
