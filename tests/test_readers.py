"""Readers for .html, .docx and .pdf (and the reader registry): text layer, metadata, errors."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.normalize import normalise
from pipeline.readers import format_of, read_document
from pipeline.readers.html import decode_html
from pipeline.readers.legacy import encode_legacy

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

PAGE = """<!DOCTYPE html><html><head>{meta}
<title>Lai Châu: Hội nghị tổng kết năm 2023 – Báo Lai Châu</title>
<meta property="og:title" content="Lai Châu: Hội nghị tổng kết năm 2023">
<meta name="author" content="Minh Anh; Thu Hà">
<meta property="article:published_time" content="2024-01-15T08:00:00+07:00">
<link rel="canonical" href="https://www.laichau.gov.vn/tin-tuc/hoi-nghi-tong-ket.html">
<meta property="og:site_name" content="Cổng thông tin điện tử tỉnh Lai Châu">
</head><body>
<nav><a href="/">Trang chủ</a> | <a href="/tin">Tin tức</a> | <a href="/lh">Liên hệ</a></nav>
<div class="social-share">Chia sẻ Facebook Twitter Zalo</div>
<article><h1>Lai Châu: Hội nghị tổng kết năm 2023</h1>
<p>Sáng ngày 15/01/2024, Ủy ban nhân dân tỉnh Lai Châu tổ chức hội nghị tổng kết công tác năm
2023 và triển khai nhiệm vụ năm 2024 với sự tham dự của lãnh đạo các sở, ngành.</p>
<p>Phát biểu tại hội nghị, đồng chí Chủ tịch UBND tỉnh đánh giá cao kết quả đạt được của các
sở, ngành, địa phương trong năm qua và yêu cầu tiếp tục cải cách hành chính.</p>
<p>Tổng thu ngân sách trên địa bàn đạt 2.500 tỷ đồng, tăng 12% so với cùng kỳ năm trước;
thu nhập bình quân đầu người đạt 45 triệu đồng.</p>
</article>
<div class="comments"><h3>Ý kiến bạn đọc</h3><form><textarea></textarea>
<button>Gửi bình luận</button></form></div>
<div class="counter">Lượt xem: 1234</div>
<footer>Bản quyền © 2024 Cổng thông tin điện tử tỉnh Lai Châu</footer></body></html>"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("name,fmt", [("a.html", "html"), ("a.HTM", "html"), ("a.docx", "docx"),
                                      ("a.pdf", "pdf"), ("a.txt", "txt"), ("a.doc", None), ("a", None)])
def test_readers_format_by_suffix(name, fmt):
    assert format_of(Path(name)) == fmt


# ------------------------------------------------------------------ HTML


@pytest.fixture(scope="module")
def html_doc(tmp_path_factory):
    p = tmp_path_factory.mktemp("html") / "page.html"
    p.write_bytes(PAGE.format(meta='<meta charset="utf-8">').encode("utf-8"))
    return read_document(p)


def test_readers_html_title_line_first_and_in_metadata(html_doc):
    assert html_doc.format == "html"
    first = html_doc.raw.split("\n\n")[0]
    assert first == html_doc.metadata["title"] == "Lai Châu: Hội nghị tổng kết năm 2023"
    assert html_doc.raw.count("Hội nghị tổng kết năm 2023") == 1  # the <h1> is not repeated
    assert normalise(html_doc.raw).text.split("\n")[0] == html_doc.metadata["title"]


def test_readers_html_metadata(html_doc):
    m = html_doc.metadata
    assert m["published"] == "2024-01-15"
    assert m["authors"] == ["Minh Anh", "Thu Hà"]
    assert m["outlet"] == "laichau.gov.vn"


def test_readers_html_paragraphs_blank_line_separated(html_doc):
    paras = html_doc.raw.split("\n\n")
    assert len(paras) == 4
    assert paras[1].startswith("Sáng ngày 15/01/2024") and paras[3].startswith("Tổng thu ngân sách")


@pytest.mark.parametrize("furniture", ["Chia sẻ Facebook", "Gửi bình luận", "Ý kiến bạn đọc",
                                       "Lượt xem", "Bản quyền", "Trang chủ"])
def test_readers_html_furniture_excluded(html_doc, furniture):
    assert furniture not in html_doc.raw


@pytest.mark.parametrize("meta,encode,expected", [
    ('<meta charset="utf-8">', "utf-8", "utf-8"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">', "cp1258", "cp1258"),
    ("", "utf-8", "utf-8"),                                # undeclared UTF-8
    ('<meta charset="iso-8859-1">', "utf-8", "utf-8"),     # mislabelled: valid UTF-8 wins
    ("", "cp1258", "windows-1258"),                        # undeclared 8-bit Vietnamese
])
def test_readers_html_charset(meta, encode, expected):
    text = PAGE.format(meta=meta)
    if encode == "cp1258":
        text = text.replace("Ủ", "U").replace("ả", "a").replace("ạ", "a")  # letters cp1258 lacks
    data = text.encode(encode, errors="ignore")
    html, name = decode_html(data)
    assert name == expected
    assert "Lai Châu" in html and "Ã" not in html


def test_readers_html_without_main_text_is_e107(tmp_path):
    p = write(tmp_path, "empty.html", b"<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>")
    with pytest.raises(PipelineError) as err:
        read_document(p)
    assert err.value.code == "E107"


@pytest.mark.parametrize("name,data,code", [
    ("picture.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "E104"),
    ("plain.html", "Chỉ là văn bản, không có thẻ HTML nào.".encode("utf-8"), "E104"),
])
def test_readers_html_not_html_is_e104(tmp_path, name, data, code):
    with pytest.raises(PipelineError) as err:
        read_document(write(tmp_path, name, data))
    assert err.value.code == code


# ------------------------------------------------------------------ DOCX


def make_docx(path: Path, title: str = "", author: str = "") -> Path:
    import docx

    d = docx.Document()
    d.core_properties.title = title
    d.core_properties.author = author
    d.add_paragraph("Báo cáo kết quả năm 2023")
    d.add_paragraph("Ủy ban nhân dân tỉnh báo cáo như sau:")
    t = d.add_table(rows=3, cols=3)
    rows = [["Chỉ tiêu", "Kế hoạch", "Thực hiện"], ["Thu ngân sách (tỷ đồng)", "2.300", "2.500"],
            ["Ghi chú", "", ""]]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    t.cell(2, 0).merge(t.cell(2, 2))
    t.cell(2, 0).text = "Số liệu ước tính"
    d.add_paragraph("")
    d.add_paragraph("Nơi nhận: Như trên.")
    d.save(path)
    return path


def test_readers_docx_body_order_with_tables(tmp_path):
    r = read_document(make_docx(tmp_path / "r.docx"))
    assert r.format == "docx"
    assert r.raw == ("Báo cáo kết quả năm 2023\n\nỦy ban nhân dân tỉnh báo cáo như sau:\n\n"
                     "Chỉ tiêu | Kế hoạch | Thực hiện\nThu ngân sách (tỷ đồng) | 2.300 | 2.500\n"
                     "Số liệu ước tính\n\nNơi nhận: Như trên.")


def test_readers_docx_content_control_text_kept(tmp_path):
    import docx
    from docx.oxml import OxmlElement

    d = docx.Document()
    d.add_paragraph("Mở đầu")
    inner = d.add_paragraph("Đoạn trong ô nhập liệu")._p
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    inner.addprevious(sdt)
    content.append(inner)
    sdt.append(content)
    d.add_paragraph("Kết thúc")
    d.save(tmp_path / "sdt.docx")
    assert read_document(tmp_path / "sdt.docx").raw == "Mở đầu\n\nĐoạn trong ô nhập liệu\n\nKết thúc"


@pytest.mark.parametrize("title,author,expected", [
    ("Báo cáo kết quả năm 2023", "Sở Tài chính", {"title": "Báo cáo kết quả năm 2023", "authors": ["Sở Tài chính"]}),
    ("Tài liệu mẫu không có trong văn bản", "python-docx", {}),   # stale template title, tool name
    ("", "Administrator", {}),
])
def test_readers_docx_metadata_only_when_plausible(tmp_path, title, author, expected):
    r = read_document(make_docx(tmp_path / "m.docx", title, author))
    assert {k: v for k, v in r.metadata.items() if k in ("title", "authors")} == expected
    assert "created" not in r.metadata  # python-docx's template stamp is not a real date


@pytest.mark.parametrize("damage", ["truncate", "not-zip", "zip-without-document"])
def test_readers_docx_damaged_is_e106(tmp_path, damage):
    good = make_docx(tmp_path / "g.docx").read_bytes()
    if damage == "truncate":
        data = good[: len(good) // 2]
    elif damage == "not-zip":
        data = b"This is not a Word file at all, just some bytes." * 3
    else:
        p = tmp_path / "z.docx"
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("hello.txt", "xin chào")
        data = p.read_bytes()
    with pytest.raises(PipelineError) as err:
        read_document(write(tmp_path, "bad.docx", data))
    assert err.value.code == "E106" and "DOCX" in str(err.value)


# ------------------------------------------------------------------ PDF


def make_pdf(path: Path, pages: list[str], font: str = "Helvetica") -> Path:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    c = canvas.Canvas(str(path))
    if font == "DejaVu":
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        if not DEJAVU.exists():
            pytest.skip("DejaVuSans.ttf is absent")
        pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    for page in pages:
        c.setFont(font, 11)
        for i, line in enumerate(page.split("\n")):
            c.drawString(50, 800 - 16 * i, line)
        c.showPage()
    c.save()
    return path


PDF_TEXT = ["Ủy ban nhân dân tỉnh Lai Châu\nbáo cáo kết quả thực hiện năm 2023 của các sở, ngành",
            "Tổng thu ngân sách đạt 2.500 tỷ đồng"]


def test_readers_pdf_unicode_text_layer(tmp_path):
    r = read_document(make_pdf(tmp_path / "u.pdf", PDF_TEXT, font="DejaVu"))
    assert r.format == "pdf" and r.legacy_table is None and r.encoding == "unicode"
    assert normalise(r.raw).text == "\n\n".join(PDF_TEXT)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_readers_pdf_legacy_font_text_layer(tmp_path, encoding):
    # a .VnTime / VNI-Times PDF: the text layer holds the legacy bytes as cp1252 characters
    pages = [encode_legacy(p, encoding).decode("cp1252") for p in PDF_TEXT]
    r = read_document(make_pdf(tmp_path / "l.pdf", pages))
    assert r.encoding == encoding and r.legacy_table
    assert normalise(r.raw, r.legacy_table).text == "\n\n".join(PDF_TEXT)


def test_readers_pdf_plain_ascii_is_not_legacy(tmp_path):
    r = read_document(make_pdf(tmp_path / "a.pdf", ["Annual report 2023", "Revenue grew by 12%"]))
    assert r.legacy_table is None


def test_readers_pdf_without_text_layer_is_e107(tmp_path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    p = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(p))
    c.rect(50, 50, 200, 200, fill=1)  # a page with only a picture-like shape
    c.showPage()
    c.save()
    with pytest.raises(PipelineError) as err:
        read_document(p)
    assert err.value.code == "E107"


@pytest.mark.parametrize("cut", [0.5, 0.1])
def test_readers_pdf_truncated_is_e106(tmp_path, cut):
    good = make_pdf(tmp_path / "g.pdf", PDF_TEXT).read_bytes()
    p = write(tmp_path, "t.pdf", good[: int(len(good) * cut)])
    with pytest.raises(PipelineError) as err:
        read_document(p)
    assert err.value.code == "E106"
