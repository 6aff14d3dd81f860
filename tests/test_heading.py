"""The heading of an official document read in each of the layouts copies come in."""
from __future__ import annotations

import pytest

from pipeline.gazetteers import default_gazetteers
from pipeline.heading import lexicon, lines_of, read_heading

ONE_CELL_A_LINE = """ỦY BAN NHÂN DÂN
TỈNH AN GIANG
-------
|
CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
|
Số: 1994/QĐ-UBND
|
An Giang, ngày 26 tháng 8 năm 2021
|
QUYẾT ĐỊNH
PHÊ DUYỆT KẾ HOẠCH CHUYỂN ĐỔI CƠ CẤU CÂY TRỒNG GIAI ĐOẠN 2021 - 2025 CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"""

BAR_ROWS = """Để sử dụng toàn bộ tiện ích nâng cao vui lòng đăng ký gói cước.
VĂN PHÒNG CHÍNH PHỦ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
Số: 9/TB-VPCP | Hà Nội, ngày 10 tháng 01 năm 2022 |
Ngày 06 tháng 01 năm 2022, Phó Thủ tướng chủ trì Hội nghị."""

SPACE_COLUMNS = """HỘI ĐỒNG NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH HÀ GIANG Độc lập - Tự do - Hạnh phúc
------------- -------------------------------
Số: 27/2024/NQ-HĐND Hà Giang, ngày 10 tháng 12 năm 2024
NGHỊ QUYẾT
QUY ĐỊNH MỨC HỖ TRỢ ĐỐI VỚI NHÂN VIÊN Y TẾ THÔN, BẢN
-----------
HỘI ĐỒNG NHÂN DÂN TỈNH HÀ GIANG
Căn cứ Luật Tổ chức chính quyền địa phương;"""

DOCX_ROW = """UBND TỈNH BÌNH DƯƠNG SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI -------- Số: 1856/BC-SLĐTBXH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- Bình Dương, ngày 28 tháng 6 năm 2024
BÁO CÁO
Tình hình lao động, việc làm 6 tháng đầu năm 2024
Thực hiện Bộ luật Lao động năm 2019, Sở báo cáo như sau."""

PDF_COLUMN_AFTER_COLUMN = """UBND TỈNH PHÚ THỌ
SỞ KHOA HỌC VÀ CÔNG NGHỆ
--------
Số: 38/KH-SKHCN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Phú Thọ, ngày 24 tháng 02 năm 2025
KẾ HOẠCH
Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị
Căn cứ Luật Khoa học và Công nghệ ngày 18 tháng 6 năm 2013;"""

LETTER = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH TÂY NINH Độc lập - Tự do - Hạnh phúc
Số: 2785/UBND-KT Tây Ninh, ngày 28 tháng 8 năm 2024
V/v đẩy nhanh tiến độ giải ngân vốn các công trình giao thông
Kính gửi:
- Sở Xây dựng;"""

NO_NATIONAL_NAME = """HỘI LIÊN HIỆP PHỤ NỮ TỈNH SƠN LA

Số: 86/BC-HPN

Sơn La, ngày 28 tháng 6 năm 2024

BÁO CÁO Kết quả phối hợp phòng, chống tội phạm 6 tháng đầu năm 2024

Thực hiện Chương trình phối hợp số 03/CTrPH-CAT-HPN, các cấp Hội đã triển khai."""


@pytest.mark.parametrize("text, bodies, issuer, symbol, issued, type_, subject", [
    (ONE_CELL_A_LINE, ["ỦY BAN NHÂN DÂN TỈNH AN GIANG"], "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG", "1994/QĐ-UBND",
     "2021-08-26", "Quyết định", "PHÊ DUYỆT KẾ HOẠCH CHUYỂN ĐỔI CƠ CẤU CÂY TRỒNG GIAI ĐOẠN 2021 - 2025"),
    (BAR_ROWS, ["VĂN PHÒNG CHÍNH PHỦ"], "VĂN PHÒNG CHÍNH PHỦ", "9/TB-VPCP", "2022-01-10", "Thông báo", None),
    (SPACE_COLUMNS, ["HỘI ĐỒNG NHÂN DÂN TỈNH HÀ GIANG"], "HỘI ĐỒNG NHÂN DÂN TỈNH HÀ GIANG", "27/2024/NQ-HĐND",
     "2024-12-10", "Nghị quyết", "QUY ĐỊNH MỨC HỖ TRỢ ĐỐI VỚI NHÂN VIÊN Y TẾ THÔN, BẢN"),
    (DOCX_ROW, ["UBND TỈNH BÌNH DƯƠNG", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"], "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
     "1856/BC-SLĐTBXH", "2024-06-28", "Báo cáo", "Tình hình lao động, việc làm 6 tháng đầu năm 2024"),
    (PDF_COLUMN_AFTER_COLUMN, ["UBND TỈNH PHÚ THỌ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"], "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
     "38/KH-SKHCN", "2025-02-24", "Kế hoạch", "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"),
    (LETTER, ["ỦY BAN NHÂN DÂN TỈNH TÂY NINH"], "ỦY BAN NHÂN DÂN TỈNH TÂY NINH", "2785/UBND-KT", "2024-08-28",
     "Công văn", "đẩy nhanh tiến độ giải ngân vốn các công trình giao thông"),
    (NO_NATIONAL_NAME, ["HỘI LIÊN HIỆP PHỤ NỮ TỈNH SƠN LA"], "HỘI LIÊN HIỆP PHỤ NỮ TỈNH SƠN LA", "86/BC-HPN",
     "2024-06-28", "Báo cáo", "Kết quả phối hợp phòng, chống tội phạm 6 tháng đầu năm 2024"),
], ids=["one-cell-a-line", "bar-rows", "space-columns", "docx-row", "pdf-column-after-column", "letter",
        "no-national-name"])
def test_heading_read_in_every_layout(text, bodies, issuer, symbol, issued, type_, subject):
    h = read_heading(text, lines_of(text), lexicon(default_gazetteers()))
    assert h is not None
    assert [b for b, _ in h.bodies] == bodies
    assert (h.issuer, h.symbol, h.issued, h.type, h.subject) == (issuer, symbol, issued, type_, subject)
    for _, cells in h.bodies:                       # every cell is a span of the text
        for s, e in cells:
            assert text[s:e].strip() and text[s:e] in text


@pytest.mark.parametrize("text", [
    "Tin tức\n\nLiên hệ đường dây nóng, Số điện thoại: 0912 345 678 để được hỗ trợ.",
    "Tin tức\n\nĐại biểu hô vang Cộng hòa xã hội chủ nghĩa Việt Nam muôn năm trong buổi lễ.",
    "Hà Nội, ngày 5 tháng 3 năm 2024, Bộ trưởng đã chủ trì hội nghị.\n\nNội dung hội nghị.",
    "Số: 12/KH-UBND là số của kế hoạch được nhắc trong bài báo này.\n\nNội dung.",
])
def test_heading_not_read_from_running_text(text):
    lines = lines_of(text)
    assert read_heading(text, lines, lexicon(default_gazetteers())) is None
    assert all(ln.kind == "body" for ln in lines)


def test_heading_makes_the_document_list_itself(analyse_text):
    a = analyse_text(ONE_CELL_A_LINE)
    own = a.legal_documents[0]
    assert (own.type, own.number, own.symbol, own.date, own.issuer) == (
        "Quyết định", "1994", "1994/QĐ-UBND", "2021-08-26", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG")
    assert a.text[own.mentions[0].start:own.mentions[0].end] == "1994/QĐ-UBND"
    assert a.published == "2021-08-26"


def test_heading_authority_is_an_agency_read_across_its_columns(analyse_text):
    a = analyse_text(SPACE_COLUMNS)
    names = {g.name: g for g in a.agencies}
    assert "HỘI ĐỒNG NHÂN DÂN TỈNH HÀ GIANG" in names
    assert names["HỘI ĐỒNG NHÂN DÂN TỈNH HÀ GIANG"].place == "Hà Giang"
    assert not any("CỘNG HÒA" in n for n in names)


def test_heading_place_date_cue_never_hides_a_cell():
    """A line is searched for its place-and-date cell only when it holds the cue: the cells found
    are those of searching every line (the corpus's lines and generated ones, fixed seed)."""
    import random

    from pipeline.gazetteers import Gazetteers
    from pipeline.heading import _place_date, lexicon
    from tests.conftest import CORPORA, ROOT

    lx = lexicon(Gazetteers(ROOT / "gazetteers"))
    rnd = random.Random(7)
    cell = ["Số: 12/QĐ-UBND", "An Giang", ",", " ", "ngày", " ", "26", " ", "tháng", " ", "8", " ", "năm", " ", "2021"]
    swaps = ["", ",", " ", "  ", "\t", "NGÀY", "Ngày", ":", "|", "7", "Hà Nội", "x" * 45]
    lines = []
    for _ in range(4000):  # the cell with pieces dropped, doubled or replaced
        line = [rnd.choice(swaps) if rnd.random() < 0.15 else piece for piece in cell]
        lines.append("".join(line))
    for p in sorted((CORPORA / "docs").glob("*.txt")):
        try:
            lines += p.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
    found = [(m.span() if m else None) for m in (lx.place_date_cell.search(s) for s in lines)]
    assert [(m.span() if m else None) for m in (_place_date(s, lx) for s in lines)] == found
    assert sum(1 for f in found if f) > 100
