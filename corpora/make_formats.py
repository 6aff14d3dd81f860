"""Regenerate the corpus documents that are not plain UTF-8 from their UTF-8 sources.

Each file in `corpora/sources/` is the text the team wrote; this script turns it into the format
or encoding that document exercises (TCVN3, VNI, Windows-1258, UTF-16, NFD, HTML page, DOCX with
a table, PDF) under `corpora/docs/`. The text formats are byte-for-byte deterministic and a test
compares them with a fresh run; DOCX and PDF are compared by their extracted text.

Source markup (only in the HTML, DOCX and PDF sources): a line starting "# " is a heading
(title), "@ " the publication line, "! " a photo caption, "~ " the byline, "| a | b |" a table
row, and "^ left || right" a borderless two-column block, the way official documents lay out
their heading (authority and number beside the national motto and the place-and-date line) and
their signature (recipients beside the signer), with " // " between the lines of one column.
Example, from 05_tin_bieu_duong_html.txt:

    # Thanh Hóa: Biểu dương 52 tập thể, cá nhân điển hình ...
    @ 14:20 | 20/08/2023

Usage:
    python corpora/make_formats.py            # rewrite every generated document
    python corpora/make_formats.py --check    # exit 1 if a deterministic file is out of date
"""
from __future__ import annotations

import argparse
import html
import io
import re
import sys
import unicodedata
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
DOCS = HERE / "docs"
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere: the legacy encoder is in pipeline/
    sys.path.insert(0, str(ROOT))

# Fonts with Vietnamese glyphs for the PDF, first found wins (DejaVu ships with most Linux systems).
PDF_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def read_source(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


# ------------------------------------------------------------------ plain-text encodings

def to_tcvn3(text: str) -> bytes:
    from pipeline.readers.legacy import encode_legacy

    return encode_legacy(text, "tcvn3")


def to_vni(text: str) -> bytes:
    from pipeline.readers.legacy import encode_legacy

    return encode_legacy(text, "vni")


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has the toneless vowels (â, ơ, ư, ...) precomposed and the five tones as
    combining marks, so "ế" is written "ê" + U+0301, the way Windows itself saved such files."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += (base + tones).encode("cp1258")  # raises if a character really is not in cp1258
    return bytes(out)


def to_utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")  # explicit LE with BOM: same bytes on any host


def to_nfd(text: str) -> bytes:
    return unicodedata.normalize("NFD", text).encode("utf-8")


# ------------------------------------------------------------------ structured sources

def parse_marked(text: str) -> list[tuple[str, object]]:
    """Source lines -> [(kind, content)], kind in heading|publine|caption|byline|table|para."""
    blocks: list[tuple[str, object]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        marks = {"# ": "heading", "@ ": "publine", "! ": "caption", "~ ": "byline"}
        kind = marks.get(line[:2])
        if kind:
            blocks.append((kind, line[2:].strip()))
        elif line.startswith("^ "):
            blocks.append(("columns", columns(line)))
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)  # type: ignore[union-attr]
            else:
                blocks.append(("table", [cells]))
        else:
            blocks.append(("para", line.strip()))
    return blocks


def columns(line: str) -> list[list[str]]:
    """"^ A // B || C // // D" -> [["A", "B"], ["C", "", "D"]] (an empty line is a blank line)."""
    return [[x.strip() for x in re.split(r"\s*//\s*", col.strip())] for col in line[2:].split("||")]


def written_text(text: str) -> str:
    """A source without its markup: what a reader of the generated document reads (table rows
    as "a | b | c", the way the DOCX reader joins cells). Unmarked sources come back as they are."""
    lines = []
    for line in text.split("\n"):
        if line[:2] in ("# ", "@ ", "! ", "~ "):
            line = line[2:].strip()
        elif line.startswith("^ "):  # a borderless two-column block reads as one table row
            line = " | ".join(" ".join(x for x in col if x) for col in columns(line))
        elif line.startswith("|"):
            line = " | ".join(c.strip() for c in line.strip().strip("|").split("|"))
        lines.append(line)
    return "\n".join(lines)


HTML_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{title} - Cổng thông tin An ninh trật tự Thanh Hóa</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="An ninh trật tự Thanh Hóa">
<meta property="og:url" content="https://{host}/tin-tuc/{slug}.html">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{iso}">
<link rel="canonical" href="https://{host}/tin-tuc/{slug}.html">
</head>
<body>
<div id="top-bar"><a href="/">Trang chủ</a> | <a href="/lien-he">Liên hệ</a> | <a href="/so-do-site">Sơ đồ site</a>
<form class="search" action="/tim-kiem"><input type="text" name="q" placeholder="Tìm kiếm..."><button>Tìm</button></form></div>
<header><a class="logo" href="/"><img src="/images/logo.png" alt="An ninh trật tự Thanh Hóa"></a>
<nav class="main-menu"><ul>
<li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/phong-trao">Phong trào toàn dân BVANTQ</a></li><li><a href="/phap-luat">Pháp luật</a></li>
<li><a href="/canh-bao">Cảnh báo tội phạm</a></li><li><a href="/video">Video</a></li>
</ul></nav></header>
<div class="breadcrumb"><a href="/">Trang chủ</a> &raquo; <a href="/phong-trao">Phong trào toàn dân BVANTQ</a></div>
<main>
<article class="detail">
<h1 class="detail-title">{title}</h1>
<div class="detail-meta"><span class="time">{publine}</span></div>
<div class="share-bar"><a href="#">A-</a> <a href="#">A</a> <a href="#">A+</a>
<a class="fb" href="https://facebook.com/sharer.php">Chia sẻ bài viết lên facebook</a>
<a class="zalo" href="#">Chia sẻ bài viết lên zalo</a> <a class="print" href="#">In bài</a></div>
<div class="detail-content">
{body}
</div>
<p class="author"><strong>{author}</strong></p>
</article>
<div class="rating"><p>Tổng số điểm của bài viết là: 0 trong 0 đánh giá</p>
<p><a href="#">Click để đánh giá bài viết</a></p></div>
<div class="tags">Từ khóa: <a href="/tag/bvantq">BVANTQ</a>, <a href="/tag/dien-hinh">điển hình tiên tiến</a></div>
<section class="comments"><h3>Ý kiến bạn đọc</h3>
<form action="/binh-luan" method="post"><label>Họ và tên</label><input name="name">
<label>Địa chỉ email</label><input name="email"><label>Nội dung bình luận</label>
<textarea name="body"></textarea><button type="submit">Gửi bình luận</button></form></section>
<aside class="related"><h3>Tin liên quan</h3><ul>
<li><a href="/tin-tuc/ra-quan-tuan-tra-dip-le.html">Ra quân tuần tra, kiểm soát dịp lễ Quốc khánh</a></li>
<li><a href="/tin-tuc/hoi-thi-tuyen-truyen-phap-luat.html">Hội thi tuyên truyền pháp luật cho hội viên phụ nữ</a></li>
</ul></aside>
</main>
<footer><div class="counter"><p>Thống kê truy cập</p>
<p>Đang truy cập : 37</p><p>Hôm nay : 2.418</p><p>Tháng 08 : 71.905</p><p>Tổng số : 5.610.332</p></div>
<p>Bản quyền thuộc {host}. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></footer>
</body>
</html>
"""


def to_html(text: str, *, host: str, slug: str, iso: str) -> bytes:
    blocks = parse_marked(text)
    title = next(c for k, c in blocks if k == "heading")
    publine = next(c for k, c in blocks if k == "publine")
    author = next(c for k, c in blocks if k == "byline")
    body: list[str] = []
    for kind, content in blocks:
        if kind == "para":
            body.append(f"<p>{html.escape(content, quote=False)}</p>")
        elif kind == "caption":
            # the CMS pattern of many provincial sites: image and caption as centred paragraphs
            body.append('<p style="text-align: center;"><img src="/uploads/2023/08/bieu-duong.jpg" alt=""></p>\n'
                        f'<p style="text-align: center;"><em>{html.escape(content, quote=False)}</em></p>')
    page = HTML_PAGE.format(title=html.escape(title), publine=html.escape(publine), iso=iso,
                            author=html.escape(author), host=host, slug=slug, body="\n".join(body))
    return page.encode("utf-8")


PORTAL_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title>
<meta name="description" content="{title}">
<meta name="keywords" content="{keywords}">
<link rel="stylesheet" href="/Portals/_default/Skins/{skin}/skin.css">
</head>
<body>
<form id="Form" method="post" action="/Default.aspx">
<div class="header-banner"><img src="/Portals/0/banner.jpg" alt="{site}"><span class="site-name">{site}</span></div>
<div class="menu-top"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioithieu">Giới thiệu</a></li>
<li><a href="/tintuc">Tin tức</a></li><li><a href="/vanban">Văn bản</a></li><li><a href="/dichvucong">Dịch vụ công</a></li></ul></div>
<div class="marquee">Chào mừng bạn đến với {site_lower}</div>
<div class="DnnModule"><div class="path"><a href="/tintuc">Tin tức</a> &gt; <a href="/tintuc/{section_slug}">{section}</a></div>
<div class="news-detail">
<h2 class="title-news">{title}</h2>
<div class="author-date">{publine}</div>
<div class="content-news">
{body}
</div>
<div class="tool-news"><a href="javascript:window.print()">In trang</a> | <a href="#">Gửi email</a> | <a href="#top">Về đầu trang</a></div>
</div>
<div class="other-news"><div class="other-title">Các tin khác</div><ul>
{related}
</ul></div></div>
<div class="footer"><p>{site}</p>
<p>Cơ quan chủ quản: {owner}. Chịu trách nhiệm chính: Chánh Văn phòng UBND tỉnh.</p>
<p>Giấy phép số {licence} của Bộ Thông tin và Truyền thông.</p>
<p>Số lượt truy cập: {visits}</p></div>
</form>
</body>
</html>
"""


def to_html_portal(text: str, *, site: str, owner: str, skin: str, section: str, section_slug: str,
                   keywords: str, licence: str, visits: str, related: list[tuple[str, str]]) -> bytes:
    """A provincial portal's page (a DotNetNuke-style skin): banner masthead, the title in an h2,
    author and time in one line above the text, the photo and its caption in a small table, the
    source line closing the text, "Các tin khác" with dates, and the owner body in the footer."""
    blocks = parse_marked(text)
    title = next(c for k, c in blocks if k == "heading")
    publine = next(c for k, c in blocks if k == "publine")
    body: list[str] = []
    paras = [(k, c) for k, c in blocks if k in ("para", "caption")]
    for i, (kind, content) in enumerate(paras):
        esc = html.escape(str(content), quote=False)
        if kind == "caption":
            body.append('<table class="image" align="center"><tr><td><img src="/Portals/0/2024/06/hoi-nghi.jpg" alt=""></td></tr>'
                        f'<tr><td class="image_desc">{esc}</td></tr></table>')
        elif i == len(paras) - 1 and str(content).startswith("Nguồn:"):
            body.append(f'<p style="text-align: right;"><strong>{esc}</strong></p>')
        else:
            body.append(f"<p>{esc}</p>")
    items = "\n".join(f'<li><a href="/tintuc/{section_slug}/{n}.aspx">{html.escape(t)}</a> <span>({d})</span></li>'
                      for n, (t, d) in enumerate(related, 1))
    page = PORTAL_PAGE.format(title=html.escape(title), publine=html.escape(publine), site=site,
                              site_lower=site[:1] + site[1:].lower(), owner=owner, skin=skin, section=section,
                              section_slug=section_slug, keywords=keywords, licence=licence, visits=visits,
                              body="\n".join(body), related=items)
    return page.encode("utf-8")


def to_docx(text: str, *, author: str = "Hội LHPN tỉnh Sơn La", created: tuple[int, ...] = (2024, 6, 28, 8, 0, 0),
            modified_by: str = "Văn phòng") -> bytes:
    import datetime as dt

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    props = doc.core_properties  # fixed metadata so regenerations differ only in zip timestamps
    props.author = author
    props.title = ""
    props.created = props.modified = dt.datetime(*created)
    props.last_modified_by = modified_by
    props.revision = 1
    for kind, content in parse_marked(text):
        if kind == "heading":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(content).bold = True
        elif kind == "columns":
            # a table without borders (python-docx's default style): what Word templates of
            # official documents use for the heading and signature blocks
            cols = content  # type: ignore[assignment]
            table = doc.add_table(rows=1, cols=len(cols))
            for c, lines in enumerate(cols):
                cell = table.cell(0, c)
                for k, line in enumerate(lines):
                    para = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    if line:
                        para.add_run(line).bold = line.isupper()
        elif kind == "table":
            rows = content  # type: ignore[assignment]
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
                    if r == 0:
                        table.cell(r, c).paragraphs[0].runs[0].bold = True
        else:
            doc.add_paragraph(str(content))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def pdf_font() -> str | None:
    return next((f for f in PDF_FONTS if Path(f).is_file()), None)


def to_pdf(text: str) -> bytes:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = pdf_font()
    if font is None:
        raise RuntimeError("no TrueType font with Vietnamese glyphs found (tried: " + ", ".join(PDF_FONTS) + ")")
    pdfmetrics.registerFont(TTFont("VNSans", font))
    body = ParagraphStyle("body", fontName="VNSans", fontSize=11, leading=15, spaceAfter=6)
    head = ParagraphStyle("head", parent=body, fontSize=13, leading=17, alignment=TA_CENTER)
    block = ParagraphStyle("block", parent=body, fontSize=10, leading=13, spaceAfter=0, alignment=TA_CENTER)
    story = []
    for kind, content in parse_marked(text):
        if kind == "columns":  # heading or signature block: two columns side by side, no rules
            cells = [[Paragraph(html.escape(line, quote=False), block) if line else Spacer(1, 0.4 * cm)
                      for line in col] for col in content]  # type: ignore[union-attr]
            table = Table([cells], colWidths=[7 * cm, 9.5 * cm])
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(table)
            story.append(Spacer(1, 0.3 * cm))
            continue
        style = head if kind == "heading" else body
        story.append(Paragraph(html.escape(str(content), quote=False), style))
    story.append(Spacer(1, 0.5 * cm))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1, title="", author="", creator="",
                      leftMargin=2.5 * cm, rightMargin=2 * cm).build(story)
    return buf.getvalue()


# ------------------------------------------------------------------ what is generated from what

Builder = Callable[[str], bytes]
TARGETS: dict[str, tuple[str, Builder, bool]] = {
    # output file in docs/: (source in sources/, builder, byte-deterministic)
    "03_hoi_nghi_tong_ket_tcvn3.txt": ("03_hoi_nghi_tong_ket_tcvn3.txt", to_tcvn3, True),
    "04_ke_hoach_ubnd_vni.txt": ("04_ke_hoach_ubnd_vni.txt", to_vni, True),
    "05_tin_bieu_duong.html": ("05_tin_bieu_duong_html.txt",
                               lambda t: to_html(t, host="anninhthanhhoa.vn",
                                                 slug="bieu-duong-52-tap-the-ca-nhan-dien-hinh",
                                                 iso="2023-08-20T14:20:00+07:00"), True),
    "06_bao_cao_6_thang.docx": ("06_bao_cao_6_thang_docx.txt", to_docx, False),
    "44_tin_nong_san_lam_dong.html": ("44_tin_nong_san_lam_dong_html.txt",
                                      lambda t: to_html_portal(
                                          t, site="CỔNG THÔNG TIN ĐIỆN TỬ TỈNH LÂM ĐỒNG",
                                          owner="Ủy ban nhân dân tỉnh Lâm Đồng", skin="LamDong",
                                          section="Kinh tế", section_slug="kinhte",
                                          keywords="nông sản, xuất khẩu, sầu riêng, Lâm Đồng",
                                          licence="25/GP-TTĐT ngày 12/4/2019", visits="18.562.204",
                                          related=[("Lâm Đồng: Giá cà phê tăng cao, nông dân phấn khởi", "10/06/2024"),
                                                   ("Hội nghị xúc tiến đầu tư vào nông nghiệp công nghệ cao năm 2024",
                                                    "05/06/2024")]), True),
    "48_bao_cao_lao_dong_binh_duong.docx": ("48_bao_cao_lao_dong_binh_duong_docx.txt",
                                            lambda t: to_docx(t, author="Phòng Lao động - Việc làm",
                                                              created=(2024, 6, 28, 7, 45, 0),
                                                              modified_by="Phòng Lao động - Việc làm"), False),
    "50_ke_hoach_khcn_phu_tho.pdf": ("50_ke_hoach_khcn_phu_tho_pdf.txt", to_pdf, False),
    "07_thong_bao_ket_luan.pdf": ("07_thong_bao_ket_luan_pdf.txt", to_pdf, False),
    "08_tin_ca_mau_cp1258.txt": ("08_tin_ca_mau_cp1258.txt", to_cp1258, True),
    "09_toa_dam_dak_lak_utf16.txt": ("09_toa_dam_dak_lak_utf16.txt", to_utf16, True),
    "10_tin_bac_giang_nfd.txt": ("10_tin_bac_giang_nfd.txt", to_nfd, True),
}


def build(name: str) -> bytes:
    source, builder, _ = TARGETS[name]
    return builder(read_source(source))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare deterministic files, write nothing")
    args = ap.parse_args(argv)
    stale = []
    for name, (_, _, deterministic) in TARGETS.items():
        if args.check:
            if deterministic and (DOCS / name).read_bytes() != build(name):
                stale.append(name)
            continue
        (DOCS / name).write_bytes(build(name))
        print(f"wrote docs/{name}")
    for name in stale:
        print(f"out of date: docs/{name} (run python corpora/make_formats.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
