"""Officials: who owns a chain of positions between two names, places after level words, and
ethnic-minority names. Regression tests named after the cases they pin (our own sentences)."""
from __future__ import annotations

import pytest


def officials_of(analyse_text, text):
    a = analyse_text("Tin\n\n" + text + "\n")
    return {o.name: o.positions for o in a.officials}


@pytest.mark.parametrize("text,expected", [
    # dev 022 pattern: "Title A, Title B" lists two people; B's title is not A's
    ("Tổng Bí thư Lê Văn An, Chủ tịch nước Phạm Thị Bình dự lễ.",
     {"Lê Văn An": ["Tổng Bí thư"], "Phạm Thị Bình": ["Chủ tịch nước"]}),
    # dev 020 pattern: coordinated titles right before a name all belong to that name
    ("Chủ tịch Quốc hội Đỗ Văn Cường, Thủ tướng Chính phủ Hoàng Minh Dũng, Chủ tịch Ủy ban Trung ương "
     "MTTQ Việt Nam, Bí thư Thành ủy TPHCM Trịnh Văn Em chủ trì lễ ký.",
     {"Đỗ Văn Cường": ["Chủ tịch Quốc hội"], "Hoàng Minh Dũng": ["Thủ tướng Chính phủ"],
      "Trịnh Văn Em": ["Chủ tịch Ủy ban Trung ương MTTQ Việt Nam", "Bí thư Thành ủy TPHCM"]}),
    # the opposite pattern: titles after the name and no name after them stay with it
    ("Bà Ngô Thị Hạnh, Tỉnh ủy viên, Chủ tịch Hội LHPN tỉnh phát biểu.",
     {"Ngô Thị Hạnh": ["Tỉnh ủy viên", "Chủ tịch Hội LHPN tỉnh"]}),
    # a name with no title before it keeps the chain except the title that introduces the next name
    ("Dự có ông Vũ Văn Khải, Giám đốc Sở Y tế, Chủ tịch Hội Chữ thập đỏ tỉnh Đặng Thị Lan.",
     {"Vũ Văn Khải": ["Giám đốc Sở Y tế"], "Đặng Thị Lan": ["Chủ tịch Hội Chữ thập đỏ tỉnh"]}),
    # "kiêm" joins two titles of one body
    ("Theo ông Lương Văn Minh, Phó Chủ tịch kiêm Tổng Thư ký Ủy ban Trung ương MTTQ Việt Nam, kết quả tốt.",
     {"Lương Văn Minh": ["Phó Chủ tịch Ủy ban Trung ương MTTQ Việt Nam",
                         "Tổng Thư ký Ủy ban Trung ương MTTQ Việt Nam"]}),
    # a title complete by itself still takes the body written after it
    ("Dự có đồng chí Phan Văn Nam, Tổng Bí thư Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam.",
     {"Phan Văn Nam": ["Tổng Bí thư Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam"]}),
])
def test_officials_apposition_owner(analyse_text, text, expected):
    found = officials_of(analyse_text, text)
    for name, positions in expected.items():
        assert found.get(name) == positions, (name, found)


@pytest.mark.parametrize("text,name,present", [
    ("Đoàn về xã Khánh Bình, huyện Trần Văn Thời kiểm tra.", "Trần Văn Thời", False),   # Cà Mau district
    ("Ông Huỳnh Văn Tư, Phó Chủ tịch UBND huyện Trần Văn Thời dự.", "Trần Văn Thời", False),
    ("Ông Huỳnh Văn Tư, Phó Chủ tịch UBND huyện Trần Văn Thời dự.", "Huỳnh Văn Tư", True),
    ("Nhà văn hóa nằm trên đường Nguyễn Thị Minh Khai.", "Nguyễn Thị Minh Khai", False),
    ("Học sinh Trường THPT Lê Quý Đôn tham gia.", "Lê Quý Đôn", False),
    ("Phó Chủ tịch UBND huyện Nguyễn Văn Hùng phát biểu.", "Nguyễn Văn Hùng", True),
    ("Phó Chủ tịch UBND tỉnh Dương Văn Thái cùng dự.", "Dương Văn Thái", True),
])
def test_officials_place_after_level_word(analyse_text, text, name, present):
    assert (name in officials_of(analyse_text, text)) is present


@pytest.mark.parametrize("text,name,positions", [
    ("Chủ trì có các đồng chí: H'Mai Niê, Phó Giám đốc Sở Y tế; Y Bình Adrơng, Trưởng Ban Dân tộc tỉnh.",
     "H'Mai Niê", ["Phó Giám đốc Sở Y tế"]),
    ("Chủ trì có các đồng chí: H'Mai Niê, Phó Giám đốc Sở Y tế; Y Bình Adrơng, Trưởng Ban Dân tộc tỉnh.",
     "Y Bình Adrơng", ["Trưởng Ban Dân tộc tỉnh"]),
    ("Phát biểu kết luận, Phó Chủ tịch UBND tỉnh H'Mai Niê đề nghị các sở phối hợp.",
     "H'Mai Niê", ["Phó Chủ tịch UBND tỉnh"]),
    ("Tại buổi gặp, già làng Ama Hòa kể chuyện giữ rừng.", "Ama Hòa", []),
    ("Thượng tá Ksor Phơn, Phó Trưởng Công an huyện báo cáo.", "Ksor Phơn", ["Phó Trưởng Công an huyện"]),
])
def test_officials_ethnic_names(analyse_text, text, name, positions):
    assert officials_of(analyse_text, text).get(name) == positions


@pytest.mark.parametrize("text,not_name", [
    ("Y Tế Cơ Sở được củng cố.", "Y Tế Cơ Sở"),        # an ethnic prefix alone vouches for nothing
    ("Nay Công an tỉnh triển khai kế hoạch.", "Nay Công"),
    ("Sở Y tế tỉnh phối hợp với bệnh viện.", "Y tế"),
    # a person-shaped run inside a body's name: "Nông" is a family name, "Nguyễn Du" a poet
    ("Sinh viên Trường Đại học Nông Lâm Thành phố Hồ Chí Minh tham gia.", "Nông Lâm"),
    ("Học sinh Trường THPT Nguyễn Du đạt 12 giải.", "Nguyễn Du"),
])
def test_officials_ethnic_prefix_negatives(analyse_text, text, not_name):
    assert not any(not_name in n for n in officials_of(analyse_text, text))


@pytest.mark.parametrize("text,name,position", [
    ("Chủ tịch nước Lê Văn An dự lễ kỷ niệm.", "Lê Văn An", "Chủ tịch nước"),           # the State completes the title
    ("Ông Phạm Văn Bình, nguyên Giám đốc Sở Tài chính, phát biểu.", "Phạm Văn Bình", "nguyên Giám đốc Sở Tài chính"),
    # a short aside in brackets between the name and its positions
    ("Bị cáo Hoàng Văn Lâm (sinh năm 1970), nguyên Chủ tịch UBND xã Tân Lập, bị tuyên phạt.", "Hoàng Văn Lâm",
     "nguyên Chủ tịch UBND xã Tân Lập"),
    ("Ông Nguyễn Văn An (Giám đốc Sở Y tế) phát biểu.", "Nguyễn Văn An", "Giám đốc Sở Y tế"),  # the brackets hold it
    ("Ông Vũ Văn Nam, Chi cục trưởng Chi cục Thuế khu vực Thành Nam, cho biết.", "Vũ Văn Nam",
     "Chi cục trưởng Chi cục Thuế khu vực Thành Nam"),
    # a job title in lower case after a comma and a former holder's word
    ("Bị cáo Đỗ Thị Hoa, nguyên kế toán UBND xã Tân Lập, bị tuyên phạt.", "Đỗ Thị Hoa", "nguyên kế toán UBND xã Tân Lập"),
])
def test_officials_position_words_from_data(analyse_text, text, name, position):
    a = analyse_text(text)
    official = next(o for o in a.officials if o.name == name)
    assert position in official.positions
