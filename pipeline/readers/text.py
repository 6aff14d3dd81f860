"""Plain text in UTF-8, UTF-16, Windows-1258 and the legacy font encodings TCVN3 (ABC) and VNI.

Archives mix encodings file by file, so each file is detected on its own: a BOM wins; then
strict UTF-8; then, for 8-bit text, the legacy detector (TCVN3/VNI), else Windows-1258.
"""
from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.readers import RawDocument, register, sha256_of

_BINARY_MAGIC = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"MZ",
                 b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")


_TCVN3_C0_CAPITAL = re.compile(rb"(?<=[A-Z\x80-\xff])[\x01\x02\x04-\x06\x11-\x17]|[\x01\x02\x04-\x06\x11-\x17](?=[A-Z])")


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC):
        return True
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    # TCVN3 (VN1) writes the capitals Ú Ụ Ừ Ử Ữ Ứ Ự Ỳ Ỷ Ỹ Ý Ỵ in C0 slots: "TỰ" is b"T\x12"
    controls -= len(_TCVN3_C0_CAPITAL.findall(sample))
    return controls > len(sample) * 0.01


def _utf16(data: bytes) -> str | None:
    """UTF-16 with a BOM, or without one when every other byte of ASCII text is NUL."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 4 and odd.count(0) > 0.3 * len(odd) and even.count(0) == 0:
        return data.decode("utf-16-le")
    if len(sample) >= 4 and even.count(0) > 0.3 * len(even) and odd.count(0) == 0:
        return data.decode("utf-16-be")
    return None


def decode_text(data: bytes) -> tuple[str, str, dict[str, str] | None]:
    """Return (raw text, encoding name, legacy table or None)."""
    try:
        u16 = _utf16(data)
    except UnicodeDecodeError as err:
        raise PipelineError("undecodable-text", detail=f" (broken UTF-16 at byte {err.start})") from None
    if u16 is not None:
        return u16, "utf-16", None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8", None
        except UnicodeDecodeError as err:
            raise PipelineError("undecodable-text", detail=f" (broken UTF-8 at byte {err.start + 3})") from None
    if _looks_binary(data):
        raise PipelineError("binary-file")
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    from pipeline.readers.legacy import detect_legacy

    found = detect_legacy(data)
    if found is not None:
        name, raw, table = found
        return raw, name, table
    try:
        return data.decode("cp1258"), "windows-1258", None
    except UnicodeDecodeError as err:
        raise PipelineError("undecodable-text", detail=f" (byte 0x{data[err.start]:02x} at {err.start})") from None


@register("txt", ".txt", ".text")
def read_text(path: Path, data: bytes) -> RawDocument:
    raw, encoding, table = decode_text(data)
    if not raw.strip():
        raise PipelineError("empty-file", detail=" (no text after decoding)")
    return RawDocument(path=path, format="txt", encoding=encoding, raw=raw, sha256=sha256_of(data),
                       raw_layer="file characters (one per byte for legacy 8-bit encodings)",
                       legacy_table=table)
