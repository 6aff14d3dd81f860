"""Agencies: names read on through lower-case syllables of a word, dashes and "và" between
capitalised parts, sector names from gazetteers/sectors.tsv; words that only look like a head."""
from __future__ import annotations

import pytest


def agencies_of(analyse_text, text):
    a = analyse_text("Tin\n\n" + text + "\n")
    return {ag.name: ag.canonical for ag in a.agencies}


@pytest.mark.parametrize("text,name", [
    ("Giám đốc Sở Lao động - Thương binh và Xã hội tỉnh báo cáo.", "Sở Lao động - Thương binh và Xã hội tỉnh"),
    ("Phóng viên Đài Phát thanh và Truyền hình tỉnh Nghệ An đưa tin.", "Đài Phát thanh và Truyền hình tỉnh Nghệ An"),
    ("Nghị quyết của Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam được quán triệt.",
     "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam"),
    ("Sở Văn hóa, Thể thao và Du lịch tổ chức giải chạy.", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở Nông nghiệp và Phát triển nông thôn hướng dẫn bà con.", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Ban Thi đua - Khen thưởng tỉnh thẩm định hồ sơ.", "Ban Thi đua - Khen thưởng tỉnh"),
    ("Lãnh đạo Cục Cảnh sát hình sự dự họp.", "Cục Cảnh sát hình sự"),
    ("Ủy viên Ban Chấp hành Trung ương Hội LHPN Việt Nam phát biểu.", "Ban Chấp hành Trung ương Hội LHPN Việt Nam"),
    ("Tỉnh đoàn phát động ra quân.", "Tỉnh đoàn"),
    ("Phó Chủ tịch UBND huyện Trần Văn Thời dự.", "UBND huyện Trần Văn Thời"),
    # a title ending in a lower-case head: the body is the head and the name after it
    ("Bà Đào Thị Lan, Trưởng ban Nữ công Tổng LĐLĐVN phát biểu.", "ban Nữ công Tổng LĐLĐVN"),
])
def test_agencies_full_name(analyse_text, text, name):
    assert name in agencies_of(analyse_text, text)


@pytest.mark.parametrize("text,name,canonical", [
    ("Sở GD&ĐT tỉnh chỉ đạo các trường.", "Sở GD&ĐT tỉnh", "Sở Giáo dục và Đào tạo tỉnh"),
    ("Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam họp.", "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam",
     "Trung ương Đảng"),
])
def test_agencies_sector_canonical(analyse_text, text, name, canonical):
    assert agencies_of(analyse_text, text).get(name) == canonical


@pytest.mark.parametrize("text,not_name", [
    ("BÁO CÁO Kết quả công tác quý I.", "BÁO CÁO Kết quả"),
    ("Hội nghị Ban Chấp hành Đảng bộ tỉnh khai mạc.", "Hội nghị Ban Chấp hành Đảng bộ tỉnh"),
    ("Bộ Công an - Hội LHPN Việt Nam ký chương trình.", "Bộ Công an - Hội LHPN Việt Nam"),
    ("Phó Chủ tịch UBND tỉnh H'Mai Niê dự.", "UBND tỉnh H'Mai Niê"),
    ("Phó Chủ tịch UBND tỉnh Dương Văn Thái dự.", "UBND tỉnh Dương Văn Thái"),
    ("Trưởng ban Nguyễn Văn An phát biểu.", "ban Nguyễn Văn An"),
    ("Ông được bầu làm trưởng ban Hà Nội.", "ban Hà Nội"),
])
def test_agencies_not_joined(analyse_text, text, not_name):
    assert not_name not in agencies_of(analyse_text, text)


@pytest.mark.parametrize("text,groups", [
    # a bare mention with no place joins the one provincial body of its kind
    ("Ban Dân tộc tỉnh Đắk Lắk chủ trì. Ban Dân tộc tỉnh đề nghị các sở phối hợp.", 1),
    # but a national body stays apart from its provincial branch
    ("Bộ đội Biên phòng tỉnh Quảng Trị tuần tra. Bộ đội Biên phòng được thành lập năm 1959.", 2),
])
def test_agencies_bare_mention_joins(analyse_text, text, groups):
    a = analyse_text("Tin\n\n" + text + "\n")
    assert len(a.agencies) == groups, [ag.name for ag in a.agencies]


@pytest.mark.parametrize("text, name, present", [
    ("Tập đoàn Bưu chính Viễn thông Việt Nam đã hỗ trợ.", "Tập đoàn Bưu chính Viễn thông Việt Nam", True),
    ("Hội đồng Khoa học và Công nghệ tỉnh đã họp.", "Hội đồng Khoa học và Công nghệ tỉnh", True),
    ("Tổ chức Y tế Thế giới (WHO) khuyến cáo.", "Tổ chức Y tế Thế giới", True),
    ("Quỹ Nhi đồng Liên hợp quốc (UNICEF) tài trợ.", "Quỹ Nhi đồng Liên hợp quốc", True),
    ("Liên hiệp Hợp tác xã Thương mại tỉnh tham gia.", "Liên hiệp Hợp tác xã Thương mại tỉnh", True),
    # a head with no capitalised tail names nothing
    ("Hội đồng xét xử tuyên án.", "Hội đồng", False),
    ("Trích quỹ thi đua khen thưởng.", "quỹ thi đua khen thưởng", False),
    ("Các tập đoàn kinh tế lớn.", "tập đoàn kinh tế", False),
])
def test_agencies_heads_of_other_sectors(analyse_text, text, name, present):
    assert (name in agencies_of(analyse_text, text)) is present
