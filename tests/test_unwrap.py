"""Line breaks that are layout are joined; line breaks that are structure stay."""
import pytest

from pipeline.normalize import normalise
from pipeline.unwrap import hard_wrapped, joins

LONG = "Căn cứ Nghị định số 07/2021/NĐ-CP ngày 31 tháng 01 năm 2021 của Chính phủ quy"


@pytest.mark.parametrize("before, after, joined", [
    ("Căn cứ Nghị định số", "07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ;", True),   # a digit goes on
    ("Sóc Trăng, ngày", "27 tháng 09 năm 2022", True),
    ("giai đoạn 2021 -", "2025 và những năm tiếp theo", True),
    (LONG, "Định chuẩn nghèo đa chiều giai đoạn 2021 - 2025;", True),                  # the line filled the width
    # structure: an ended clause, a list item, an article, a two-column row, a cell border
    ("quy định chuẩn nghèo;", "Căn cứ Quyết định số 24/2021/QĐ-TTg", False),
    ("Mục tiêu chung", "1. Mục tiêu cụ thể", False),
    ("phê duyệt kế hoạch", "Điều 2. Giao Sở Y tế", False),
    ("ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI", "tỉnh Lai Châu", False),
    ("Tải văn bản gốc | Lưu văn bản", "in văn bản", False),
    ("Ngắn", "Ngắn nữa", False),                                                      # short, capital: structure
])
def test_unwrap_joins_layout_breaks_only(before, after, joined):
    assert joins(before, after, len(LONG)) is joined


@pytest.mark.parametrize("text, wrapped", [
    ("\n".join([LONG] * 9), True),
    ("\n".join(["Một đoạn tin dài " * 30] * 9), False),   # one paragraph a line (news pasted from a site)
    ("\n".join([LONG] * 3), False),                        # too few lines to tell
])
def test_unwrap_detects_hard_wrapped_text(text, wrapped):
    assert hard_wrapped(text) is wrapped


def test_unwrap_keeps_offsets_into_the_raw_text():
    raw = "\n".join([LONG] * 8 + ["Căn cứ Nghị định số", "35/2015/NĐ-CP ngày 13/4/2015."])
    n = normalise(raw, unwrap=True)
    at = n.text.index("số 35/2015")
    assert n.text[at:at + 4] == "số 3" and raw[n.offsets.to_raw(at + 3)] == "3"


OPEN_ENDS = frozenset(w.lower() for w in __import__("tests.conftest", fromlist=["GZ"]).GZ.list("line_open_ends.txt"))


@pytest.mark.parametrize("before, after, joined", [
    # a line ending in a word that never ends a paragraph goes on, even into a capital
    ("Theo đề nghị của Giám đốc Sở", "Nông nghiệp và Phát triển nông thôn tại Tờ trình số 190", True),
    ("Căn cứ Quyết định số 12 của", "Ủy ban nhân dân tỉnh về việc ban hành", True),
    ("Thực hiện Kế hoạch của Ủy ban", "Nhân dân tỉnh về tiêm chủng", True),
    # a short line ending in any other word before a capital stays a break (a heading, a signature)
    ("KẾ HOẠCH", "Tiêm chủng mở rộng năm 2024", False),
    ("Nơi nhận", "UBND tỉnh", False),
    # a structural line after never joins, whatever the line before ends with
    ("Giao nhiệm vụ cho các", "- Sở Y tế chủ trì", False),
])
def test_unwrap_open_line_ends_go_on(before, after, joined):
    assert joins(before, after, 80, OPEN_ENDS) is joined
