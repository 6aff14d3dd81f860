"""Zones: title, publication line, bylines, outlets, captions and furniture, as a reader sees them."""
from __future__ import annotations

import pytest

from pipeline.normalize import normalise
from pipeline.zones import segment, split_names
from tests.conftest import load_gold, shared_texts


def zones_of(text):
    text = normalise(text).text
    z = segment(text)
    return text, z, {text[x.start:x.end]: x.kind for x in z.zones}


@pytest.mark.parametrize("line,published", [
    ("07:00 | 17/07/2020;", "2020-07-17"),
    ("Cập nhật ngày 14/5/2024", "2024-05-14"),
    ("Thứ Hai, 17/07/2020 07:00 (GMT+7)", "2020-07-17"),
    ("17/07/2020 | 07:00", "2020-07-17"),
    ("Ngày 16/7, Hội LHPN Việt Nam tổ chức hội nghị.", None),   # a body sentence, not a publication line
    ("Năm 2024 : 1.498.494", None),                            # a visitor counter
])
def test_zones_publication_line(line, published):
    _, z, kinds = zones_of(f"Tiêu đề\n\n{line}\n\nNội dung bài viết có đủ câu.")
    assert z.published == published
    if published:
        assert kinds[line] == "meta"


@pytest.mark.parametrize("tail,authors", [
    ("Tin, ảnh: Lê Minh - Kim Hiền", ["Lê Minh", "Kim Hiền"]),
    ("Phương Thuỷ", ["Phương Thuỷ"]),
    ("THANH HÀ", ["THANH HÀ"]),
    ("Quỳnh Hoa (TTXVN)", ["Quỳnh Hoa"]),
    ("Đức Dũng - Minh Thu - Lâm Khánh (TTXVN)", ["Đức Dũng", "Minh Thu", "Lâm Khánh"]),
    ("Các đại biểu dự hội nghị.", []),            # a caption-like sentence is no byline
    ("Tổng số : 82.964.587", []),
])
def test_zones_closing_byline(tail, authors):
    _, z, _ = zones_of(f"Tiêu đề bài\n\nNội dung bài viết. Câu thứ hai có nội dung.\n\n{tail}")
    assert z.authors == authors


@pytest.mark.parametrize("body,authors,outlet", [
    ("Lễ đón nhận. Ảnh: Nhan Sáng/TTXVN Ngày 3/3/1959, Thủ tướng ban hành. Văn bản.", ["Nhan Sáng"], "TTXVN"),
    ("Lễ ký kết. Ảnh: Hải Nguyễn Tham gia lễ ký kết có đồng chí A.", ["Hải Nguyễn"], None),
    ("Hội nghị trực tuyến. Ảnh: VGP/Lê Sơn. Chiều 4/7, tại Trụ sở Chính phủ.", ["Lê Sơn"], "VGP"),
    ("Khen thưởng (ảnh Công an cung cấp) Trước đó, vào ngày 9-7.", [], None),
])
def test_zones_inline_photo_credit(body, authors, outlet):
    text, z, _ = zones_of(f"Tiêu đề bài\n\n{body}")
    assert z.authors == authors
    assert z.outlet == outlet
    for x in z.zones:
        if x.kind == "byline":
            assert text[x.start:x.end].startswith("Ảnh:")


@pytest.mark.parametrize("line,outlet", [
    ("(laichau.gov.vn)", "laichau.gov.vn"),
    ("Bản quyền thuộc phunuvietnam.vn", "phunuvietnam.vn"),
    ("Nguồn Nhân Dân: https://nhandan.vn/bieu-duong-post822339.html", "nhandan.vn"),
])
def test_zones_outlet_line(line, outlet):
    _, z, kinds = zones_of(f"Tiêu đề\n\n{line}\n\nNội dung. Câu hai.")
    assert z.outlet == outlet
    assert kinds[line] == "meta"


@pytest.mark.parametrize("line", [
    "A- A A+ | Chia sẻ bài viết lên facebook Chia sẻ bài viết lên twitter",
    "Tổng số điểm của bài viết là: 0 trong 0 đánh giá",
    "Click để đánh giá bài viết",
    "Hôm nay : 586",
    "Tháng 07 : 213.694",
    "Năm 2024 : 1.498.494",
])
def test_zones_furniture(line):
    _, _, kinds = zones_of(f"Tiêu đề\n\nNội dung. Câu hai.\n\nThống kê truy cập\n{line}")
    assert kinds[line] == "furniture"


def test_zones_title_needs_no_closing_stop():
    _, z, _ = zones_of("Trung tướng A chủ trì Hội nghị tại Hà Nội ngày hôm nay.\n\nNội dung thêm.")
    assert z.title is None
    _, z, _ = zones_of("Biểu dương 66 tập thể\n\nNội dung thêm.")
    assert z.title == "Biểu dương 66 tập thể"


@pytest.mark.parametrize("s,names", [
    ("Lê Minh - Kim Hiền", ["Lê Minh", "Kim Hiền"]),
    ("Văn Hùng và Anh Cường", ["Văn Hùng", "Anh Cường"]),
    ("Nguyễn Thị K.L.", ["Nguyễn Thị K.L."]),
    ("các đại biểu", None),
    ("Hội nghị Công an toàn quốc lần thứ 72", None),
])
def test_zones_split_names(s, names):
    assert split_names(s) == names


@pytest.mark.parametrize("kind", ["seeds", "dev"])
def test_zones_shared_reports_meta_match_gold(kind, shared_gold):
    for path in shared_texts(kind):
        gold_files = sorted((shared_gold / kind).glob(f"{path.stem}*.json"))
        if not gold_files:
            continue
        gold = load_gold(gold_files[0])
        _, z, _ = zones_of(path.read_text(encoding="utf-8"))
        assert sorted(z.authors) == sorted(gold["authors"]), path.name
        if "title" in gold:
            assert (z.title or None) == (gold["title"] or None), path.name
        assert z.published == gold["published"], path.name


def test_zones_seed_002_counter_is_furniture(seeds_dir):
    path = next(seeds_dir.glob("002_*.txt"))
    text, z, kinds = zones_of(path.read_text(encoding="utf-8"))
    assert kinds["Tổng số : 82.964.587"] == "furniture"
    assert kinds["Cập nhật ngày 14/5/2024"] == "meta"


OFFICIAL = """ỦY BAN NHÂN DÂN
TỈNH ĐIỆN BIÊN
Số: 45/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Điện Biên, ngày 3 tháng 4 năm 2025

KẾ HOẠCH
Tổ chức tháng hành động phòng, chống ma túy năm 2025

Thực hiện chỉ đạo của tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Lò Văn Mừng"""


SIGNATURE_BLOCK = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLò Văn Mừng"


def test_zones_official_document_heading_title_date_and_signer():
    text, z, kinds = zones_of(OFFICIAL)
    assert z.title == "KẾ HOẠCH Tổ chức tháng hành động phòng, chống ma túy năm 2025"
    assert z.published == "2025-04-03"
    assert z.authors == ["Lò Văn Mừng"]
    assert kinds["Số: 45/KH-UBND"] == "meta" and kinds["ỦY BAN NHÂN DÂN"] == "meta"
    assert kinds["KT. CHỦ TỊCH"] == "byline" and kinds["PHÓ CHỦ TỊCH"] == "byline"
    assert kinds["- Như trên;"] == "body"  # the recipients list is read


@pytest.mark.parametrize("text,title", [
    ("KẾ HOẠCH\nNội dung bài viết. Câu hai.\n\nĐoạn sau.", "KẾ HOẠCH"),  # nothing above: no subject joined
    ("Tiêu đề bài\n\nBÁO CÁO viên nói. Câu hai có nội dung.", "Tiêu đề bài"),  # "BÁO CÁO" in a body sentence
])
def test_zones_official_heading_needs_a_heading_block(text, title):
    _, z, _ = zones_of(text)
    assert z.published is None
    assert z.title == title


def test_zones_metadata_author_must_be_a_person_name():
    z = segment("Tiêu đề\n\nNội dung. Câu hai.", {"authors": ["Hội LHPN tỉnh Sơn La", "Quốc Hương"]})
    assert z.authors == ["Quốc Hương"]


@pytest.mark.parametrize("tail, authors", [
    ("POWERED BY ONECMS", []),                # a site's footer, in capitals like a byline
    ("A PRODUCT OF NEKO", []),
    ("Ksor Y Phơn", ["Ksor Y Phơn"]),         # an ethnic name holds a cluster: still a name
    ("NGỌC HÂN", ["NGỌC HÂN"]),               # a byline in capitals
])
def test_zones_closing_line_is_an_author_only_when_it_is_a_name(tail, authors):
    _, z, _ = zones_of(f"Tiêu đề bài\n\nNội dung bài viết có đủ câu. Câu thứ hai cũng vậy.\n\n{tail}")
    assert z.authors == authors


@pytest.mark.parametrize("line, published, authors", [
    ("X.Thuỷ 20/04/2019 08:00", "2019-04-20", ["X.Thuỷ"]),
    ("Thanh Huyền -Tuấn Ninh - 13:11, 16/10/2024", "2024-10-16", ["Thanh Huyền", "Tuấn Ninh"]),
    ("Ngọc Hân - Y Dôn - 16:40, 09/08/2024", "2024-08-09", ["Ngọc Hân", "Y Dôn"]),
    ("Thứ Tư, 05/06/2024 - 09:20 | Minh Đức", "2024-06-05", ["Minh Đức"]),
    ("Đăng lúc: 14:05 - 22/11/2023", "2023-11-22", []),
    # a place is not a byline's name; a body sentence is no publication line
    ("Ngày 14/7/2023 08:00, Sở Y tế tổ chức hội nghị.", None, []),
])
def test_zones_publication_lines_with_bylines(line, published, authors):
    _, z, _ = zones_of(f"Tiêu đề bài viết về y tế cơ sở\n{line}\nNội dung bài viết có đủ câu. Câu thứ hai cũng vậy.")
    assert (z.published, z.authors) == (published, authors)


@pytest.mark.parametrize("text, title", [
    # a masthead in capitals, a navigation bar and a section name above the headline
    ("CỔNG THÔNG TIN ĐIỆN TỬ SỞ KẾ HOẠCH VÀ ĐẦU TƯ\nTrang chủ | Giới thiệu | Liên hệ\nTin tức - Sự kiện\n\n"
     "Kinh tế 9 tháng đầu năm: công nghiệp phục hồi\n\nSáng nay, Cục Thống kê tỉnh tổ chức họp báo. Câu hai.",
     "Kinh tế 9 tháng đầu năm: công nghiệp phục hồi"),
    # the headline above the publication line, mastheads before it
    ("CHUYÊN TRANG VĂN HÓA\nBáo Văn hóa miền núi\nĐời sống | Di sản\n\nGia Lai: Bảo tồn cồng chiêng\n\n"
     "Đăng lúc: 14:05 - 22/11/2023\n\nNgày 21/11, Sở Văn hóa tổ chức liên hoan. Câu hai.", "Gia Lai: Bảo tồn cồng chiêng"),
    # the headline under the publication line
    ("Thứ Tư, 05/06/2024 - 09:20 | Minh Đức\n\nQuảng Ninh: Siết chặt kiểm soát môi trường\n\n"
     "Trong hai ngày, Đoàn kiểm tra đã làm việc. Câu hai.", "Quảng Ninh: Siết chặt kiểm soát môi trường"),
    # the plain case: the first line
    ("Hà Tĩnh: Sơ kết phối hợp\n\nNội dung bài viết. Câu hai.", "Hà Tĩnh: Sơ kết phối hợp"),
    # no headline: the report begins at once
    ("Sáng nay, Cục Thống kê tỉnh tổ chức họp báo.\n\nNội dung. Câu hai.", None),
])
def test_zones_headline_among_mastheads_and_publication_lines(text, title):
    _, z, _ = zones_of(text)
    assert z.title == title


@pytest.mark.parametrize("text, authors", [
    ("Tiêu đề bài viết về thống kê\nHoàng Anh\nNội dung bài viết có đủ câu. Câu thứ hai cũng vậy.", ["Hoàng Anh"]),
    ("Tiêu đề bài viết về thống kê\nHà Nội\nNội dung bài viết có đủ câu. Câu thứ hai cũng vậy.", []),  # one word: a place
    (OFFICIAL.replace("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLò Văn Mừng", "KT. CHỦ TỊCH | PHÓ CHỦ TỊCH Lò Văn Mừng"),
     ["Lò Văn Mừng"]),                                                                # signer in a table cell
    (OFFICIAL.replace("\n\nLò Văn Mừng", "\n\nLò Văn Mừng |"), ["Lò Văn Mừng"]),
    # the signature column flattened with spaces into the lines of "Nơi nhận"
    (OFFICIAL.replace(SIGNATURE_BLOCK, "Nơi nhận:            TM. ỦY BAN NHÂN DÂN\n- Như trên;           KT. CHỦ TỊCH\n"
                      "- Sở Y tế;             PHÓ CHỦ TỊCH\n- Công an tỉnh;\n- UBND các huyện;     Lò Văn Mừng\n- Lưu: VT."),
     ["Lò Văn Mừng"]),
    # a name after a recipient with no signature lines beside the list: no signer
    (OFFICIAL.replace(SIGNATURE_BLOCK, "Nơi nhận:\n- Như trên;      Lò Văn Mừng\n- Lưu: VT."), []),
])
def test_zones_bylines_under_the_headline_and_signers_in_table_cells(text, authors):
    _, z, _ = zones_of(text)
    assert z.authors == authors


@pytest.mark.parametrize("tail, furniture", [
    ("Tin liên quan\nHà Tĩnh: Tiêm bù vắc xin sởi cho hơn 5.000 trẻ (12/07/2023)\nĐọc nhiều\nBài thứ hai được đọc nhiều",
     ["Tin liên quan", "Hà Tĩnh: Tiêm bù vắc xin sởi cho hơn 5.000 trẻ (12/07/2023)", "Đọc nhiều",
      "Bài thứ hai được đọc nhiều"]),
    ("Các tin khác\n- Bắc Ninh thu hút hơn 1,2 tỷ USD vốn FDI (12/07/2023)",
     ["Các tin khác", "- Bắc Ninh thu hút hơn 1,2 tỷ USD vốn FDI (12/07/2023)"]),
    # a list heading then the report goes on: a sentence ends the list
    ("Xem thêm\nĐoàn công tác đã làm việc với 5 xã trong hai ngày qua.", ["Xem thêm"]),
])
def test_zones_related_article_lists_are_furniture(tail, furniture):
    text = f"Tiêu đề bài viết\n\nNội dung bài viết có đủ câu. Câu thứ hai cũng vậy.\n\n{tail}"
    _, _, kinds = zones_of(text)
    assert [line for line, kind in kinds.items() if kind == "furniture"] == furniture


def test_zones_joined_patterns_find_what_one_by_one_finds():
    """`exists` (a key's patterns joined into one) agrees with searching them one by one, on every
    line of the corpus and of the shared seeds, for every key."""
    from pipeline.assembly import Pipeline
    from tests.conftest import CORPORA, shared_texts

    lx = next(s for s in Pipeline().stages if s.name == "zones").lx
    lines = []
    for p in sorted((CORPORA / "docs").glob("*.txt")) + shared_texts("seeds"):
        lines += p.read_bytes().decode("utf-8", "replace").splitlines()
    lines += ["Lượt xem: 1.234", "Tin liên quan", "Ảnh: Thanh Hà", "(Ảnh 1)", "TM. ỦY BAN NHÂN DÂN", ""]
    assert len(lx.joined) >= 6
    differ = [(k, ln) for k in lx.joined for ln in lines if lx.exists(k, ln) != (lx.any(k, ln) is not None)]
    assert differ == []
