"""Agencies of other sectors: bodies over several sectors ("A, B và C"), council committees, police
divisions, project boards and companies with their business lines and trade names, and what is no
agency of the report: a newspaper cited as a source or standing as a masthead, "và" before a law."""
from __future__ import annotations

import pytest


def agencies_of(analyse_text, text):
    a = analyse_text("Tin\n\n" + text + "\n")
    return [ag.name for ag in a.agencies]


@pytest.mark.parametrize("text,name", [
    ("Trung tâm Văn hóa, Thông tin và Thể thao huyện Krông Pa tổ chức hội diễn.",
     "Trung tâm Văn hóa, Thông tin và Thể thao huyện Krông Pa"),
    ("Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Bến Tre giới thiệu sản phẩm.",
     "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Bến Tre"),
    ("Ban Kinh tế - Ngân sách HĐND tỉnh thẩm tra tờ trình.", "Ban Kinh tế - Ngân sách HĐND tỉnh"),
    ("Phòng An ninh kinh tế Công an tỉnh vào cuộc.", "Phòng An ninh kinh tế Công an tỉnh"),
    ("BQL dự án - quỹ đất TP Tam Kỳ bàn giao mặt bằng.", "BQL dự án - quỹ đất TP Tam Kỳ"),
    ("Công ty TNHH thương mại và dịch vụ Minh Phát trúng thầu.", "Công ty TNHH thương mại và dịch vụ Minh Phát"),
    ("Công ty Hoàng Long nộp hồ sơ.", "Công ty Hoàng Long"),  # a trade name shaped like a person's
    ("Đảng ủy Khối cơ quan và doanh nghiệp tỉnh tổ chức đại hội.", "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"),
    ("Báo Lai Châu được giao tuyên truyền kết quả.", "Báo Lai Châu"),  # given a task: an agency
    ("Thường trực HĐND tỉnh làm việc với ngành y tế.", "Thường trực HĐND tỉnh"),  # the council's standing body
    ("Thường trực Huyện ủy chỉ đạo các xã.", "Thường trực Huyện ủy"),  # before a body its head names alone
    ("Trung tâm Kiểm soát bệnh tật tỉnh tổ chức tiêm chủng.", "Trung tâm Kiểm soát bệnh tật tỉnh"),
    ("Cục Y tế dự phòng hướng dẫn các tỉnh.", "Cục Y tế dự phòng"),
    # military bodies and conscription councils, numbered military regions
    ("Ban Chỉ huy quân sự huyện Yên Sơn tổ chức lễ giao quân.", "Ban Chỉ huy quân sự huyện Yên Sơn"),
    ("Bộ Chỉ huy quân sự tỉnh kiểm tra công tác tuyển quân.", "Bộ Chỉ huy quân sự tỉnh"),
    ("Hội đồng nghĩa vụ quân sự huyện họp xét duyệt hồ sơ.", "Hội đồng nghĩa vụ quân sự huyện"),
    ("Các đơn vị thuộc Quân khu 5 tiếp nhận 300 tân binh.", "Quân khu 5"),
    # offices of national services in a province
    ("Kho bạc Nhà nước Thái Bình kiểm soát chi.", "Kho bạc Nhà nước Thái Bình"),
    ("Bảo hiểm xã hội tỉnh Hà Nam chi trả lương hưu.", "Bảo hiểm xã hội tỉnh Hà Nam"),
    ("Bưu điện tỉnh phối hợp chi trả trợ cấp.", "Bưu điện tỉnh"),
    ("Hồ sơ được chuyển đến Cơ quan Cảnh sát điều tra Công an tỉnh.", "Cơ quan Cảnh sát điều tra Công an tỉnh"),
    # a school named after a person; a district body before its district's name
    ("Trường THPT Lê Quý Đôn đạt chuẩn quốc gia.", "Trường THPT Lê Quý Đôn"),
    ("Huyện đoàn Ninh Phước ra quân.", "Huyện đoàn Ninh Phước"),
    # a regional office of a national service
    ("Chi cục Thuế khu vực Thành Nam hướng dẫn 300 hộ kinh doanh.", "Chi cục Thuế khu vực Thành Nam"),
])
def test_agencies_sectors_full_name(analyse_text, text, name):
    assert name in agencies_of(analyse_text, text)


@pytest.mark.parametrize("text,not_name", [
    ("Sở Tài chính, Sở Xây dựng và Sở Công Thương phối hợp.", "Sở Tài chính, Sở Xây dựng và Sở Công Thương"),
    ("Như Báo Người Lao Động đã thông tin, vụ việc được khởi tố.", "Báo Người Lao Động"),
    ("Theo Báo Tây Ninh, mô hình đạt kết quả tốt.", "Báo Tây Ninh"),
    ("Căn cứ Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương;", "Chính phủ và Luật Tổ chức"),
    ("Báo Dân tộc và Miền núi\nTin tức\n\nSở Y tế họp.", "Báo Dân tộc và Miền núi"),  # a masthead line
    # "Thường trực" ends a title ("Phó Chủ tịch Thường trực"), and before no known body opens none
    ("Ông Lê Văn An, Phó Chủ tịch Thường trực UBND tỉnh dự.", "Thường trực UBND tỉnh"),
    ("Ông Lê Văn An, Phó Chủ tịch Thường trực UBND huyện dự.", "Thường trực UBND huyện"),
    ("Thường trực Ban Chỉ đạo tỉnh họp.", "Thường trực Ban Chỉ đạo tỉnh"),
    ("Tỷ lệ tham gia Bảo hiểm xã hội đạt 40%.", "Bảo hiểm xã hội"),  # the insurance, no body
    ("Giám đốc Sở Y tế Nguyễn Văn An phát biểu.", "Sở Y tế Nguyễn Văn An"),  # a person ends a body's name
])
def test_agencies_sectors_not_an_agency(analyse_text, text, not_name):
    assert not_name not in agencies_of(analyse_text, text)
