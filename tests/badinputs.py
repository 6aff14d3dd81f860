"""Generated bad inputs, from a fixed seed: what archives and hostile users hand a batch.

`generate(out_dir, n, seed, scale)` writes `n` files built from the team's own corpus
(`corpora/docs`): random bytes, truncations, byte flips, inserted combining marks, zero-width,
bidi and control characters, NFD, huge lines, digit runs, long one-sentence texts, tiny
sentences, deep or truncated HTML, damaged DOCX packages, PDFs with broken cross-reference
tables, self-referencing objects or deflate bombs, and files with the wrong suffix. `scale`
shrinks the expensive kinds for CI (0.1) or keeps them full size for the bench (1.0).

The same (seed, n, scale) always gives the same bytes, so a count measured once can be checked
again. Used by tests/test_batch_fuzz.py (small) and bench/bench_hostile.py (thousands).
"""
from __future__ import annotations

import io
from functools import lru_cache
import random
import unicodedata
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "corpora" / "docs"

COMBINING = [chr(c) for c in range(0x300, 0x370)]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202a", "\u202b", "\u202c",
             "\u202d", "\u202e", "\u200e", "\u200f", "\u2066", "\u2069"]
CONTROLS = [chr(c) for c in range(0, 32)] + ["\x7f", "\x85", "\u2028", "\u2029"]
ODD = ["\u2126", "\u212b", "\uf900", "\u037e", "\ufb01", "\uff10", "\u00b5", "\u0340", "\u1100\u1161\u11a8",
       "\U0001f600", "\ud7ff", "\ufffd", "\ufffe"]


@lru_cache(maxsize=1)
def _texts() -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.txt"))
            if p.read_bytes()[:2] not in (b"\xff\xfe", b"\xfe\xff")
            and _is_utf8(p.read_bytes()))


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _binary(suffix: str) -> bytes:
    return next(DOCS.glob(f"*.{suffix}")).read_bytes()


# -- text mutations ------------------------------------------------------------------------------

def _insert(rng: random.Random, text: str, pool: list[str], k: int) -> str:
    chars = list(text)
    for _ in range(k):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(pool))
    return "".join(chars)


def _text_case(rng: random.Random, kind: str, base: str, scale: float) -> tuple[str, bytes]:
    n = max(1, int(scale * 1000))
    if kind == "combining":
        return "txt", _insert(rng, base, COMBINING, rng.randint(1, 300)).encode("utf-8")
    if kind == "stacked_marks":
        i = rng.randrange(len(base))
        return "txt", (base[:i] + "".join(rng.choice(COMBINING) for _ in range(rng.randint(50, 5000))) + base[i:]).encode("utf-8")
    if kind == "invisible":
        return "txt", _insert(rng, base, INVISIBLE, rng.randint(1, 500)).encode("utf-8")
    if kind == "controls":
        return "txt", _insert(rng, base, CONTROLS, rng.randint(1, 200)).encode("utf-8", "surrogatepass")
    if kind == "odd_unicode":
        return "txt", _insert(rng, base, ODD, rng.randint(1, 100)).encode("utf-8", "surrogatepass")
    if kind == "nfd":
        return "txt", unicodedata.normalize(rng.choice(["NFD", "NFKD", "NFKC"]), base).encode("utf-8")
    if kind == "huge_line":
        unit = rng.choice(["x", "Ủy ban ", "2.500 ", base.replace("\n", " ")])
        return "txt", (base[-6:] + unit * (int(200_000 * scale) // len(unit) + 1)).encode("utf-8")
    if kind == "digit_runs":
        chars = list(base)
        for _ in range(rng.randint(1, 20)):
            run = "".join(rng.choice("0123456789.,") for _ in range(rng.randint(15, 400)))
            chars.insert(rng.randrange(len(chars)), f" {run} người ")
        return "txt", "".join(chars).encode("utf-8")
    if kind == "one_sentence":
        unit = rng.choice(["Quyết định số {i}/QĐ-UBND ", "hơn {i}.500 tỷ đồng, ", "ông Nguyễn Văn {i} ",
                           "ngày {d}/{m}/2023 "])
        parts = [unit.format(i=i, d=i % 28 + 1, m=i % 12 + 1) for i in range(n)]
        return "txt", (base[-6:] + " Năm 2023, " + "".join(parts) + ".").encode("utf-8")
    if kind == "tiny_sentences":
        return "txt", (base[-6:] + " " + rng.choice(["a. ", "Đ/c. ", "1. ", "x! ", "TP. "]) * (3 * n)).encode("utf-8")
    if kind == "utf16_no_bom":
        return "txt", base.encode(rng.choice(["utf-16-le", "utf-16-be"]))
    if kind == "cp1258_noise":
        raw = base.encode("utf-8")
        return "txt", bytes(b if rng.random() > 0.05 else rng.randrange(128, 256) for b in raw)
    if kind == "mixed_encodings":
        half = len(base) // 2
        return "txt", base[:half].encode("utf-8") + base[half:].encode("cp1258", "replace")
    raise ValueError(kind)


# -- container mutations -------------------------------------------------------------------------

def _html_case(rng: random.Random, kind: str, base: str, scale: float) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in base.splitlines() if line.strip())
    page = f"<html><head><meta charset=\"utf-8\"><title>T</title></head><body>{body}</body></html>"
    if kind == "deep":
        d = int(rng.randint(500, 20_000) * max(scale, 0.05))
        return ("<html><body>" + "<div>" * d + body + "</div>" * rng.choice([0, d]) + "</body></html>").encode("utf-8")
    if kind == "truncated":
        b = page.encode("utf-8")
        return b[:rng.randrange(1, len(b))]
    if kind == "charset":
        label = rng.choice(["undefined", "hex", "rot13", "utf-7", "x-unknown", "utf-16", "base64", "zlib",
                            "mbcs", "cp65001", "", "utf-32"])
        return page.replace('charset="utf-8"', f'charset="{label}"').encode(rng.choice(["utf-8", "cp1258"]), "replace")
    if kind == "empty":
        return rng.choice([b"<html></html>", b"<html><body></body></html>", b"<", b"<p>", b"<!-- -->",
                           b"<script>" + b"x" * 1000 + b"</script>"])
    if kind == "tags_only":
        return ("<div>" + "<span>" * int(5000 * scale) + "x").encode("utf-8")
    raise ValueError(kind)


def _docx_case(rng: random.Random, kind: str, scale: float) -> bytes:
    data = _binary("docx")
    if kind == "truncated":
        return data[:rng.randrange(1, len(data))]
    if kind == "byteflip":
        b = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    zin = zipfile.ZipFile(io.BytesIO(data))
    members = {i.filename: zin.read(i) for i in zin.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in members.items():
            if kind == "missing_part" and name in ("[Content_Types].xml", "word/document.xml", "_rels/.rels") and rng.random() < 0.7:
                continue
            if kind == "bad_xml" and name == "word/document.xml":
                blob = blob[:rng.randrange(len(blob))] + b"<<&&"
            if kind == "xml_bomb" and name == "word/document.xml":
                blob = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                        b'<w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>')
            if kind == "big_member" and name == "word/document.xml":
                blob = blob + b" " * int(40_000_000 * scale)
            z.writestr(name, blob)
    b = out.getvalue()
    if kind == "bad_deflate":  # damage the middle of the compressed document part
        zin = zipfile.ZipFile(io.BytesIO(b))
        info = zin.getinfo("word/document.xml")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        mid = start + info.compress_size // 2
        bb = bytearray(b)
        for k in range(8):
            bb[mid + k] ^= 0xFF
        return bytes(bb)
    return b


def _pdf(objects: list[bytes], root: int = 1, xref: bool = True, broken_xref: str = "") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    if xref:
        out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
        for off in offsets:
            if broken_xref == "garbage":
                off = (off * 7919) % (len(out) + 1000)
            out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\n".encode()
    start = {"self": len(out), "negative": -5, "huge": 10**12}.get(broken_xref, xref_at)
    out += f"startxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


def _page_objects(content: bytes, compress: bool = False) -> list[bytes]:
    stream = zlib.compress(content, 9) if compress else content
    flt = b" /Filter /FlateDecode" if compress else b""
    return [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
            b"<< /Length " + str(len(stream)).encode() + flt + b" >>\nstream\n" + stream + b"\nendstream"]


def _lines_content(lines: list[str], size: float = 10) -> bytes:
    ops = [f"BT /F1 {size} Tf 40 800 Td {size + 2} TL".encode()]
    for ln in lines:
        ops.append(b"(" + ln.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '")
    ops.append(b"ET")
    return b"\n".join(ops)


def _pdf_case(rng: random.Random, kind: str, base: str, scale: float) -> bytes:
    lines = [ln for ln in base.splitlines() if ln.strip()][:40] or ["x"]
    if kind == "selfref_root":
        return _pdf([b"1 0 R"])
    if kind == "ref_cycle":
        return _pdf([b"2 0 R", b"3 0 R", b"1 0 R"])
    if kind == "deflate_bomb":
        glyphs = b"BT /F1 1 Tf " + b"(x) Tj " * int(700_000 * max(scale, 0.1)) + b"ET"
        return _pdf(_page_objects(glyphs, compress=True))
    if kind == "crowded_page":
        return _pdf(_page_objects(_lines_content([f"dòng {i} của một câu dài" for i in range(int(1000 * max(scale, 0.2)))], size=0.7)))
    if kind == "broken_xref":
        return _pdf(_page_objects(_lines_content(lines)), broken_xref=rng.choice(["garbage", "self", "negative", "huge"]))
    if kind == "no_xref":
        return _pdf(_page_objects(_lines_content(lines)), xref=False)
    if kind == "truncated":
        b = _binary("pdf")
        return b[:rng.randrange(1, len(b))]
    if kind == "byteflip":
        b = bytearray(_binary("pdf"))
        for _ in range(rng.randint(1, 30)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if kind == "bad_length":
        objs = _page_objects(_lines_content(lines))
        objs[4] = objs[4].replace(b"/Length ", b"/Length 99999999")
        return _pdf(objs)
    if kind == "deep_arrays":
        d = int(rng.randint(1000, 100_000) * max(scale, 0.05))
        objs = _page_objects(_lines_content(lines))
        objs[0] = b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * d + b"]" * d + b" >>"
        return _pdf(objs)
    raise ValueError(kind)


KINDS = (
    [("bytes", k) for k in ("random",)]
    + [("trunc", k) for k in ("text",)]
    + [("flip", k) for k in ("text",)]
    + [("text", k) for k in ("combining", "stacked_marks", "invisible", "controls", "odd_unicode", "nfd",
                             "huge_line", "digit_runs", "one_sentence", "tiny_sentences", "utf16_no_bom",
                             "cp1258_noise", "mixed_encodings")]
    + [("html", k) for k in ("deep", "truncated", "charset", "empty", "tags_only")]
    + [("docx", k) for k in ("truncated", "byteflip", "missing_part", "bad_xml", "xml_bomb", "big_member", "bad_deflate")]
    + [("pdf", k) for k in ("selfref_root", "ref_cycle", "deflate_bomb", "crowded_page", "broken_xref", "no_xref",
                            "truncated", "byteflip", "bad_length", "deep_arrays")]
    + [("wrong_suffix", k) for k in ("pdf_as_txt", "docx_as_txt", "docx_as_html", "txt_as_pdf", "pdf_as_docx")]
)


def make_case(seed: int, i: int, scale: float = 1.0) -> tuple[str, bytes]:
    """The i-th case of a seeded run: (file name, bytes)."""
    rng = random.Random(f"{seed}:{i}")
    family, kind = KINDS[i % len(KINDS)] if i < len(KINDS) else rng.choice(KINDS)
    texts = _texts()
    base = rng.choice(texts) + f"\n\nSố {i}."  # every case its own bytes: no two are identical
    if family == "bytes":
        ext = rng.choice(["txt", "html", "docx", "pdf"])
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 4096)))
    elif family == "trunc":
        ext, data = "txt", base.encode("utf-8")[:rng.randrange(0, len(base.encode("utf-8")))]
    elif family == "flip":
        b = bytearray(base.encode("utf-8"))
        for _ in range(rng.randint(1, 50)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        ext, data = "txt", bytes(b)
    elif family == "text":
        ext, data = _text_case(rng, kind, base, scale)
    elif family == "html":
        ext, data = "html", _html_case(rng, kind, base, scale)
    elif family == "docx":
        ext, data = "docx", _docx_case(rng, kind, scale)
    elif family == "pdf":
        ext, data = "pdf", _pdf_case(rng, kind, base, scale)
    else:
        src, ext = {"pdf_as_txt": ("pdf", "txt"), "docx_as_txt": ("docx", "txt"), "docx_as_html": ("docx", "html"),
                    "txt_as_pdf": ("txt", "pdf"), "pdf_as_docx": ("pdf", "docx")}[kind]
        data = base.encode("utf-8") if src == "txt" else _binary(src)
    data = _mark(data, i)
    return f"{i:05d}_{family}_{kind}.{ext}", data


def _mark(data: bytes, i: int) -> bytes:
    """Make the case's bytes its own without changing what kind of file it is."""
    if data.startswith(b"%PDF"):
        return data + f"\n% case {i}\n".encode()
    if data.startswith(b"PK\x03\x04"):
        try:
            zin = zipfile.ZipFile(io.BytesIO(data))
            if zin.testzip() is None:
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                    for info in zin.infolist():
                        z.writestr(info, zin.read(info))
                    z.comment = f"case {i}".encode()
                return out.getvalue()
        except Exception:  # damaged on purpose: leave it as it is
            pass
        return data
    if data.lstrip()[:1] == b"<":
        return data + f"<!-- case {i} -->".encode()
    return data


def generate(out_dir: Path, n: int, seed: int = 20261128, scale: float = 1.0) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        name, data = make_case(seed, i, scale)
        p = out_dir / name
        p.write_bytes(data)
        paths.append(p)
    return paths
