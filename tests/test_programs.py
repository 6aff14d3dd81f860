"""Programmes: quoted names and lists, numbered projects, unquoted subjects; generic heads are not."""
from __future__ import annotations

import pytest

from pipeline.analysis import ClaimKind



def _names(analyse_text, text):
    return sorted((p.kind, p.name) for p in analyse_text(text).programs)


@pytest.mark.parametrize("text, expected", [
    ("Hội phát động phong trào thi đua “Phụ nữ làm kinh tế giỏi” trong toàn tỉnh.",
     [("phong trào", "Phụ nữ làm kinh tế giỏi")]),
    ("Duy trì các câu lạc bộ: “Vì sức khỏe cộng đồng”, “Gia đình không khói thuốc”.",
     [("câu lạc bộ", "Gia đình không khói thuốc"), ("câu lạc bộ", "Vì sức khỏe cộng đồng")]),
    ("Nhân rộng mô hình “Nhà sạch, vườn đẹp”; câu lạc bộ “Ông cháu cùng đọc”.",
     [("câu lạc bộ", "Ông cháu cùng đọc"), ("mô hình", "Nhà sạch, vườn đẹp")]),
    ("Tỉnh triển khai Dự án 4 “Phát triển giáo dục nghề nghiệp” tại các huyện.",
     [("dự án", "Dự án 4 Phát triển giáo dục nghề nghiệp")]),
    ("Người dân tích cực tham gia phong trào toàn dân đoàn kết xây dựng đời sống văn hóa trên địa bàn.",
     [("phong trào", "toàn dân đoàn kết xây dựng đời sống văn hóa")]),
    # "gắn với" ties the movement to a task: the name ends before it
    ("Đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc gắn với phòng, chống ma túy.",
     [("phong trào", "toàn dân bảo vệ an ninh Tổ quốc")]),
    ("Xã đã thành lập 7 CLB phòng chống đuối nước cho trẻ em với 210 thành viên.",
     [("câu lạc bộ", "phòng chống đuối nước cho trẻ em")]),
    ("Hai ngành ký kế hoạch phối hợp phòng, chống ma túy học đường giai đoạn 2024-2026.",
     [("kế hoạch", "phối hợp phòng, chống ma túy học đường giai đoạn 2024-2026")]),
    # a named campaign (chiến dịch) is a campaign of GUIDELINES: kind phong trào
    ("Tỉnh đoàn tổng kết Chiến dịch Thanh niên tình nguyện hè với 320 công trình.",
     [("phong trào", "Thanh niên tình nguyện hè")]),
    ("Sinh viên tham gia chiến dịch “Mùa hè xanh” tại 12 xã.", [("phong trào", "Mùa hè xanh")]),
    # a list a colon opens, each item with a short gloss
    ("Hội triển khai ba mô hình: “Nhà sạch” cho hộ nghèo, “Vườn đẹp” cho hộ cận nghèo và “Đường hoa” ở 5 thôn.",
     [("mô hình", "Nhà sạch"), ("mô hình", "Vườn đẹp"), ("mô hình", "Đường hoa")]),
    # a list item named by its programme, up to its colon
    ("Dư nợ các chương trình:\n- Chương trình cho vay học sinh, sinh viên có hoàn cảnh khó khăn: 78,6 tỷ đồng;\n"
     "- Chương trình cho vay nước sạch và vệ sinh môi trường nông thôn: 512 tỷ đồng.",
     [("chương trình", "cho vay học sinh, sinh viên có hoàn cảnh khó khăn"),
      ("chương trình", "cho vay nước sạch và vệ sinh môi trường nông thôn")]),
    # negatives: generic plurals and adjectives, coordination programmes are documents
    ("Chương trình nghệ thuật đặc sắc diễn ra tối nay: 300 diễn viên tham gia.", []),  # no list item
    ("Nội dung:\n2. Chương trình công tác năm 2025: Sở Y tế chủ trì.", []),  # a work programme is a document
    ("Hội phát động phong trào “Phụ nữ giỏi việc nước” tại 12 xã, “Gia đình 5 không” được nhắc lại.",
     [("phong trào", "Phụ nữ giỏi việc nước")]),  # no colon, no list: the second quote is no item
    ("Kết thúc chiến dịch, lực lượng tình nguyện sửa chữa 40 công trình.", []),
    ("Nhân rộng các mô hình điển hình tiên tiến trong toàn tỉnh.", []),
    ("Gắn với các phong trào thi đua cụ thể của địa phương.", []),
    ("Các địa phương xây dựng các chương trình, kế hoạch cụ thể.", []),
    ("Hai bên triển khai chương trình phối hợp “Vì an ninh biên giới” giai đoạn 2024-2029.", []),
    ("Tiêu chuẩn “An toàn về an ninh, trật tự” được duy trì.", []),
])
def test_programs_mentions(analyse_text, text, expected):
    assert _names(analyse_text, text) == expected


def test_programs_repeated_mentions_merge(analyse_text):
    a = analyse_text("Đẩy mạnh cuộc vận động “Xây dựng gia đình 5 không 3 sạch, vì cộng đồng”. "
                     "Tổ chức 9 buổi truyền thông về cuộc vận động “xây dựng gia đình 5 không, 3 sạch”.")
    (p,) = a.programs
    assert p.name == "Xây dựng gia đình 5 không 3 sạch, vì cộng đồng" and len(p.mentions) == 2


def test_programs_quoted_names_stay_apart(analyse_text):
    a = analyse_text("Duy trì mô hình “Phụ nữ không có chồng, con nghiện ma tuý” và mô hình "
                     "“Phụ nữ không có chồng con, người thân vi phạm pháp luật”.")
    assert len(a.programs) == 2


def test_programs_claim_numbers_in_names(analyse_text):
    a = analyse_text("Hội triển khai Dự án 8 “Thực hiện bình đẳng giới” với 12 lớp tập huấn.")
    at = a.text.index("8 ")
    assert a.is_claimed(at, at + 1, (ClaimKind.PROGRAM_NAME,))
    assert {f.value for f in a.figures} == {12}
