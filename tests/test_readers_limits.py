"""Readers under hostile input: budgets and fallbacks at their mechanism, each with a
catalogue code (E106 damaged, E108 over a stated limit), never a hang, a blow-up or E201."""
from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest

import pipeline.readers as readers
from pipeline.errors import PipelineError
from pipeline.readers import read_document
from pipeline.readers import pdf as pdfmod
from pipeline.readers.html import decode_html
from tests.badinputs import _lines_content, _page_objects, _pdf

GOOD = "Ủy ban nhân dân tỉnh Lai Châu báo cáo kết quả năm 2023.\n\nNgày 15/01/2024, tổng thu đạt 2.500 tỷ đồng."


def _code(path: Path) -> str | None:
    try:
        read_document(path)
    except PipelineError as err:
        return err.code
    return None


@pytest.mark.parametrize("name, data, code", [
    ("selfref.pdf", _pdf([b"1 0 R"]), "E106"),
    ("cycle.pdf", _pdf([b"2 0 R", b"3 0 R", b"1 0 R"]), "E106"),
    ("bomb.pdf", _pdf(_page_objects(b"BT /F1 1 Tf " + b"(x) Tj " * 700_000 + b"ET", compress=True)), "E108"),
    ("fine.pdf", _pdf(_page_objects(_lines_content(["Ủy ban nhân dân tỉnh", "báo cáo năm 2023."]))), None),
])
def test_readers_limits_pdf_budgets(tmp_path, name, data, code):
    (tmp_path / name).write_bytes(data)
    assert _code(tmp_path / name) == code


def test_readers_limits_pdf_inflate_budget(monkeypatch):
    monkeypatch.setattr(pdfmod, "MAX_STREAM", 1000)
    small = zlib.compress(b"x" * 900)
    assert pdfmod._BoundedZlib.decompress(small) == b"x" * 900
    with pytest.raises(PipelineError) as err:
        pdfmod._BoundedZlib.decompress(zlib.compress(b"x" * 5000))
    assert err.value.code == "E108"
    with pytest.raises(zlib.error):  # truncated: pdfminer then tries its lenient path
        pdfmod._BoundedZlib.decompress(small[:-6])


@pytest.mark.parametrize("data", [b"", b"abc" * 100, bytes(range(256)) * 20])
def test_readers_limits_pdf_decoders_agree_with_pdfminer(data):
    from pdfminer.runlength import rldecode

    from pdfminer.lzw import lzwdecode

    runs = bytearray()
    for i in range(0, len(data), 100):
        chunk = data[i:i + 100]
        runs += bytes([len(chunk) - 1]) + chunk
    runs += bytes([256 - 50, 0x41, 128])  # a repeated byte, then the end marker
    assert pdfmod._rldecode(bytes(runs)) == rldecode(bytes(runs))
    corrupt = zlib.compress(data) + b"junk"
    assert pdfmod._decompress_corrupted(corrupt) == data
    lzw = bytes.fromhex("800b6050220c0c8501")  # the LZW example of the PDF reference
    assert pdfmod._lzwdecode(lzw) == lzwdecode(lzw)


def test_readers_limits_pdf_crowded_page_reads_top_to_bottom(tmp_path):
    lines = [f"dòng {i:04d}" for i in range(pdfmod.MAX_GROUPED_BOXES * 3)]
    (tmp_path / "crowded.pdf").write_bytes(_pdf(_page_objects(_lines_content(lines, size=0.7))))
    raw = read_document(tmp_path / "crowded.pdf").raw
    found = [int(x) for x in __import__("re").findall(r"dòng (\d{4})", raw)]
    assert found == sorted(found) and len(found) == len(lines)


def _cp1258(text: str) -> bytes:
    import unicodedata

    return unicodedata.normalize("NFD", text).encode("cp1258")  # Windows-1258 writes tone marks apart


@pytest.mark.parametrize("label, data, encoding", [
    ("undefined", "<p>Hòa Bình</p>".encode("utf-8"), "utf-8"),
    ("rot13", _cp1258("<p>Hòa Bình</p>"), "windows-1258"),
    ("hex", _cp1258("<p>Hòa</p>"), "windows-1258"),
    ("x-no-such-charset", _cp1258("<p>Hòa</p>"), "windows-1258"),
    ("koi8-r", "<p>Привет</p>".encode("koi8-r"), "koi8-r"),
    ("utf-16", _cp1258("<p>Hòa</p>"), "windows-1258"),  # mislabelled: not UTF-16 at all
])
def test_readers_limits_html_charset_fallbacks(label, data, encoding):
    page = b'<html><head><meta charset="' + label.encode() + b'"></head><body>' + data + b"</body></html>"
    text, got = decode_html(page)
    assert got == encoding and "<p>" in text


def _docx_bytes(paragraphs: int = 30) -> bytes:
    import docx

    d = docx.Document()
    for i in range(paragraphs):
        d.add_paragraph(f"Đoạn {i}. {GOOD}")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _damage_member(data: bytes, member: str) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    out = bytearray(data)
    for k in range(8):
        out[start + info.compress_size // 2 + k] ^= 0xFF
    return bytes(out)


@pytest.mark.parametrize("damage, code", [
    (lambda d: d, None),
    (lambda d: _damage_member(d, "word/document.xml"), "E106"),
    (lambda d: _damage_member(d, "word/styles.xml"), "E106"),
    (lambda d: d[: len(d) // 2], "E106"),
])
def test_readers_limits_docx_damaged_members(tmp_path, damage, code):
    (tmp_path / "a.docx").write_bytes(damage(_docx_bytes()))
    assert _code(tmp_path / "a.docx") == code


def test_readers_limits_docx_unpacked_size(tmp_path, monkeypatch):
    from pipeline.readers import docx as docxmod

    (tmp_path / "a.docx").write_bytes(_docx_bytes())
    monkeypatch.setattr(docxmod, "MAX_XML", 10_000)
    with pytest.raises(PipelineError) as err:
        read_document(tmp_path / "a.docx")
    assert err.value.code == "E108" and "unpacked DOCX XML" in str(err.value)


@pytest.mark.parametrize("chars, code", [(1000, None), (1001, "E108")])
def test_readers_limits_text_length(tmp_path, monkeypatch, chars, code):
    monkeypatch.setattr(readers, "MAX_TEXT_CHARS", 1000)
    (tmp_path / "a.txt").write_text(("Hòa Bình. " * 200)[:chars], encoding="utf-8")
    assert _code(tmp_path / "a.txt") == code


def test_readers_limits_file_size_checked_before_reading(tmp_path, monkeypatch):
    monkeypatch.setitem(readers.MAX_BYTES, "txt", 100)
    with open(tmp_path / "big.txt", "wb") as fh:
        fh.truncate(10**9)  # sparse: a gigabyte that is never read
    with pytest.raises(PipelineError) as err:
        read_document(tmp_path / "big.txt")
    assert err.value.code == "E108" and ".txt file size" in str(err.value)


@pytest.mark.parametrize("value, ok", [(2500, True), (2.5e15, True), (10**18, True), (10**18 + 1, False),
                                       (float("inf"), False), (-(10**19), False)])
def test_readers_limits_figure_value_range_in_contract(value, ok):
    from pipeline.contract import check_document
    from pipeline.model import Document, Figure, Source

    from pydantic import ValidationError

    try:  # out of range never passes: the model refuses it, or the contract check flags it
        doc = Document(id="x", source=Source(path="a.txt", sha256="0", format="txt", encoding="utf-8"),
                       text="2500 người", figures=[Figure(start=0, end=4, text="2500", value=value)])
    except ValidationError:
        assert not ok
        return
    assert (check_document(doc) == []) == ok
