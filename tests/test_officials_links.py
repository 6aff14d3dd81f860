"""Officials: positions joined to names by link words, role verbs, shared links, a rank after the
name, lower-case job titles in apposition, bare party bodies and "cựu". Our own sentences, each the
shape of a case seen in reports of other sectors (courts, inspections, councils, companies)."""
from __future__ import annotations

import pytest


def officials_of(analyse_text, text):
    a = analyse_text("Tin\n\n" + text + "\n")
    return {o.name: (o.rank, o.positions) for o in a.officials}


@pytest.mark.parametrize("text,expected", [
    # a court's trial panel: position, link word, honorific, name; a list under a colon
    ("Phiên tòa do ông Lý Văn Khoa làm chủ tọa; Thẩm phán là ông Đào Quốc Minh; Hội thẩm nhân dân có các "
     "ông, bà: Cao Văn Tiến, Lã Thị Hoa.",
     {"Đào Quốc Minh": (None, ["Thẩm phán"]), "Cao Văn Tiến": (None, ["Hội thẩm nhân dân"]),
      "Lã Thị Hoa": (None, ["Hội thẩm nhân dân"])}),
    ("Chủ tọa phiên tòa là Thẩm phán Tạ Đình Long, Hội thẩm nhân dân gồm bà Mai Thị Yến và ông Chu Văn Sáng.",
     {"Tạ Đình Long": (None, ["Chủ tọa phiên tòa", "Thẩm phán"]), "Mai Thị Yến": (None, ["Hội thẩm nhân dân"]),
      "Chu Văn Sáng": (None, ["Hội thẩm nhân dân"])}),
    # lower-case job titles, right after a name and its comma; "cùng là" shares a position
    ("Các bị cáo gồm Hà Văn Định, chuyên viên Phòng Tài chính - Kế hoạch huyện; Lò Văn Quý và Tòng Văn Hải, "
     "cùng là Phó phòng Tài chính, Kế hoạch; Vì Thị Nga, nhân viên Công ty Hoàng Long.",
     {"Hà Văn Định": (None, ["chuyên viên Phòng Tài chính - Kế hoạch huyện"]),
      "Lò Văn Quý": (None, ["Phó phòng Tài chính, Kế hoạch"]), "Tòng Văn Hải": (None, ["Phó phòng Tài chính, Kế hoạch"]),
      "Vì Thị Nga": (None, ["nhân viên Công ty Hoàng Long"])}),
    # the role taken in the event, after the name's own position; a rank written after the name
    ("Đoàn kiểm tra do ông Quách Văn Thành, Phó Giám đốc Sở Y tế làm Trưởng đoàn; ông Âu Văn Hùng, Trung tá, "
     "Phó Trưởng phòng An ninh kinh tế Công an tỉnh làm Tổ trưởng.",
     {"Quách Văn Thành": (None, ["Phó Giám đốc Sở Y tế", "Trưởng đoàn"]),
      "Âu Văn Hùng": ("Trung tá", ["Phó Trưởng phòng An ninh kinh tế Công an tỉnh", "Tổ trưởng"])}),
    # a link right after the name; "cựu" kept in the position; a bare party body before the name
    ("Ông Triệu Văn Phúc là Chủ tịch UBND xã Tân Lập. Bị cáo Đinh Thị Thoa, cựu Giám đốc Sở Tài chính tỉnh, "
     "và Giám đốc, Bí thư Đảng ủy Kiều Văn Bình có mặt.",
     {"Triệu Văn Phúc": (None, ["Chủ tịch UBND xã Tân Lập"]),
      "Đinh Thị Thoa": (None, ["cựu Giám đốc Sở Tài chính tỉnh"]),
      "Kiều Văn Bình": (None, ["Giám đốc", "Bí thư Đảng ủy"])}),
    # a committee of a people's council: "Xã hội" is no commune
    ("Đồng chí Y Khăm, Phó Trưởng ban Văn hóa - Xã hội HĐND tỉnh làm Trưởng đoàn.",
     {"Y Khăm": (None, ["Phó Trưởng ban Văn hóa - Xã hội HĐND tỉnh", "Trưởng đoàn"])}),
])
def test_officials_links_give_positions(analyse_text, text, expected):
    found = officials_of(analyse_text, text)
    for name, want in expected.items():
        assert found.get(name) == want, (name, found)


@pytest.mark.parametrize("text,name", [
    # a lower-case job word that is not in apposition to a name is no position
    ("Ông Lục Văn Tư cho biết nhân viên Công ty Hoàng Long đã nghỉ việc.", "Lục Văn Tư"),
    ("Các cán bộ, nhân viên y tế cùng ông Nông Văn Kỳ đi kiểm tra.", "Nông Văn Kỳ"),
    # a link word with no position before it, and "làm" that is no role
    ("Đại biểu dự họp có ông Hầu Văn Páo và bà Sùng Thị Mỷ.", "Hầu Văn Páo"),
    ("Ông Giàng A Sử làm việc với UBND huyện.", "Giàng A Sử"),
    # "là" after a name followed by no title
    ("Ông Vàng Văn Chứ là người có uy tín trong bản.", "Vàng Văn Chứ"),
])
def test_officials_links_no_position_without_title(analyse_text, text, name):
    found = officials_of(analyse_text, text)
    assert name in found and found[name][1] == [], found
