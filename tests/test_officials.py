"""Officials: names from sentence structure, ranks bound, positions gathered, authors excluded."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def meeting(analyse_text):
    return analyse_text(
        "Hội nghị phối hợp\n\n"
        "Trung tướng Trần Quốc Tỏ, Uỷ viên Trung ương Đảng Thứ trưởng Bộ Công an và đồng chí Hà Thị Nga, "
        "Bí thư Đảng đoàn, Chủ tịch Hội LHPN Việt Nam chủ trì Hội nghị. Hội nghị tổ chức tại Hà Nội.\n\n"
        "Thứ trưởng Trần Quốc Tỏ trao Bằng khen. Phó Chủ tịch Hội LHPNVN Bùi Thị Hòa phát biểu. "
        "Tết Nguyên đán Đinh Dậu vui tươi. Đoàn đến phường Hà Lầm.\n\n"
        "Phương Thuỷ\n")


def by_name(a):
    return {o.name: o for o in a.officials}


@pytest.mark.parametrize("name,rank,positions", [
    ("Trần Quốc Tỏ", "Trung tướng", ["Uỷ viên Trung ương Đảng", "Thứ trưởng Bộ Công an"]),
    ("Hà Thị Nga", None, ["Bí thư Đảng đoàn Hội LHPN Việt Nam", "Chủ tịch Hội LHPN Việt Nam"]),
    ("Bùi Thị Hòa", None, ["Phó Chủ tịch Hội LHPNVN"]),
])
def test_officials_rank_and_positions(meeting, name, rank, positions):
    o = by_name(meeting)[name]
    assert o.rank == rank
    assert o.positions == positions


@pytest.mark.parametrize("not_official", ["Phương Thuỷ", "Đinh Dậu", "Hà Lầm", "Hà Nội", "Hội LHPN Việt Nam"])
def test_officials_negatives(meeting, not_official):
    assert not_official not in by_name(meeting)


def test_officials_later_mention_joins(meeting):
    o = by_name(meeting)["Trần Quốc Tỏ"]
    assert len(o.mentions) == 2
    assert all(meeting.text[m.start:m.end] == "Trần Quốc Tỏ" for m in o.mentions)


@pytest.mark.parametrize("text,name,positions", [
    ("các đồng chí Phó Chủ tịch Tổng LĐLĐVN: Nguyễn Thị Thu Hồng, Mai Đức Chính dự.", "Mai Đức Chính",
     ["Phó Chủ tịch Tổng LĐLĐVN"]),
    ("Đại tá Lê Văn Sao – Giám đốc Công an Hà Tĩnh báo cáo.", "Lê Văn Sao", ["Giám đốc Công an Hà Tĩnh"]),
    ("các vụ án như: vụ án Phạm Công Danh, vụ án Lê Dũng.", "Lê Dũng", []),
])
def test_officials_structures(analyse_text, text, name, positions):
    a = analyse_text("Tin\n\n" + text + "\n")
    assert by_name(a)[name].positions == positions


def test_officials_apposition_does_not_steal_next_persons_title(analyse_text):
    a = analyse_text("Tin\n\nĐại tá Đinh Ngọc Khoa, Giám đốc Công an tỉnh và Chủ tịch Hội LHPN tỉnh "
                     "Nguyễn Thị Thu Hà chứng kiến.\n")
    o = by_name(a)
    assert o["Đinh Ngọc Khoa"].positions == ["Giám đốc Công an tỉnh"]
    assert o["Nguyễn Thị Thu Hà"].positions == ["Chủ tịch Hội LHPN tỉnh"]
