"""Legal documents: numbers, symbols, dates, issuers, subjects; generic mentions are not documents."""
from __future__ import annotations


import pytest

from pipeline.analysis import ClaimKind


def _docs(analyse_text, text):
    a = analyse_text(text)
    return a, [(d.type, d.number) for d in a.legal_documents]


@pytest.mark.parametrize("text, expected", [
    ("Tỉnh triển khai Kết luận số 72 ngày 5/3/2021 của Ban Bí thư về công tác dân vận.", [("Kết luận", "72")]),
    ("Các đơn vị quán triệt Chỉ thị số 12/CT-TW của Bộ Chính trị.", [("Chỉ thị", "12")]),
    ("Sửa đổi Nghị định 45/2019/NĐ-CP trong năm nay.", [("Nghị định", "45")]),
    ("Bộ ban hành Thông tư 33/2020/TT-BCA hướng dẫn thi hành.", [("Thông tư", "33")]),
    ("Tiếp tục thực hiện Kế hoạch 27 của Ban Chỉ đạo tỉnh.", [("Kế hoạch", "27")]),
    ("Hai ngành ký NQLT 03 năm 2015. Việc thực hiện NQLT03 đạt kết quả.", [("Nghị quyết liên tịch", "03")]),
    ("Thực hiện NQ 15 của HĐND tỉnh, ngành y tế cấp phép 7 cơ sở.", [("Nghị quyết", "15")]),  # type's code as alias
    ("Tiếp tục quán triệt CT 09 về phong trào toàn dân.", [("Chỉ thị", "09")]),
    ("Hai bên ký Chương trình phối hợp số 05/CTrPH-BCA-TWĐ về an ninh nông thôn.", [("Chương trình phối hợp", "05")]),
    ("Hội triển khai Kế hoạch phối hợp tuyên truyền pháp luật cho nữ công nhân giai đoạn 2024-2028.",
     [("Kế hoạch phối hợp", None)]),
    ("Cán bộ học tập Nghị quyết Đại hội lần thứ XIII của Đảng.", [("Nghị quyết", None)]),
    ("Thủ tướng phê duyệt Đề án “Phát triển văn hóa đọc trong cộng đồng”.", [("Đề án", None)]),
    # negatives: generic plurals, lists of types, verbs, no subject
    ("Quán triệt các chỉ thị, nghị quyết của Trung ương về công tác an ninh.", []),
    ("Thực hiện tốt Nghị quyết, Chỉ thị, Kết luận của Đảng và Nhà nước.", []),
    ("Phát biểu kết luận Hội nghị, đồng chí Bí thư nhấn mạnh.", []),
    ("Ban Chỉ đạo đã quyết định thành lập 5 đoàn kiểm tra.", []),
    ("Các tỉnh triển khai theo Kế hoạch của Ban Chỉ đạo.", []),
    ("Cần xây dựng các chương trình, kế hoạch cụ thể, thiết thực.", []),
    ("Văn phòng NQ tiếp nhận hồ sơ.", []),  # an alias with no number names nothing
])
def test_legal_mentions(analyse_text, text, expected):
    _, got = _docs(analyse_text, text)
    assert got == expected


def test_legal_fields_number_date_issuer_title(analyse_text):
    a = analyse_text("Tỉnh ủy quán triệt Chỉ thị số 21/CT-TW ngày 20/1/2018 của Ban Bí thư về "
                     "tiếp tục đẩy mạnh công tác phụ nữ trong tình hình mới.")
    (d,) = a.legal_documents
    assert (d.number, d.symbol, d.date, d.issuer) == ("21", "21/CT-TW", "2018-01-20", "Ban Bí thư")
    assert d.title == "tiếp tục đẩy mạnh công tác phụ nữ trong tình hình mới"
    assert a.text[d.mentions[0].start:d.mentions[0].end] == "Chỉ thị số 21/CT-TW"


def test_legal_alias_and_full_form_are_one_document(analyse_text):
    a = analyse_text("Sơ kết Nghị quyết liên tịch 02/TW về giáo dục thanh niên. "
                     "Qua 5 năm thực hiện NQLT 02, hai ngành đã phối hợp tốt. NQLT02 được đánh giá cao.")
    (d,) = a.legal_documents
    assert (d.type, d.number, len(d.mentions)) == ("Nghị quyết liên tịch", "02", 3)


def test_legal_same_subject_merges_unnumbered(analyse_text):
    a = analyse_text("Hai ngành ký Kế hoạch phối hợp phòng, chống mua bán người giai đoạn 2023-2027. "
                     "Kế hoạch phối hợp phòng, chống mua bán người giai đoạn 2023-2027 gồm 5 nội dung.")
    assert len(a.legal_documents) == 1 and len(a.legal_documents[0].mentions) == 2


def test_legal_claims_document_numbers(analyse_text):
    a = analyse_text("Thực hiện Quyết định số 1234/QĐ-TTg của Thủ tướng Chính phủ, tỉnh đã cấp 300 suất quà.")
    assert a.is_claimed(a.text.index("1234"), a.text.index("1234") + 4, (ClaimKind.LEGAL_REFERENCE,))
    assert not a.is_claimed(a.text.index("300"), a.text.index("300") + 3, (ClaimKind.LEGAL_REFERENCE,))
    assert all(f.value != 1234 for f in a.figures)


@pytest.mark.parametrize("text, laws", [
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
     [("Luật", "Luật Tổ chức chính quyền địa phương", "2015-06-19")]),
    ("Theo Bộ luật Hình sự năm 2015 và Luật Đấu thầu 2013, các bên chịu trách nhiệm.",
     [("Bộ luật", "Bộ luật Hình sự", "2015"), ("Luật", "Luật Đấu thầu", "2013")]),
    ("thi hành một số điều của Luật Phòng, chống ma túy, các địa phương đã lập hồ sơ.",
     [("Luật", "Luật Phòng, chống ma túy", None)]),
    ("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương "
     "ngày 22 tháng 11 năm 2019 có hiệu lực.",
     [("Luật", "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
               "phương", "2019-11-22"),
      ("Luật", "Luật Tổ chức Chính phủ", None),
      ("Luật", "Luật Tổ chức chính quyền địa phương", "2019-11-22")]),
    # the name ends before a place or purpose: "trên", "cho"
    ("Đài tuyên truyền Luật Giao thông đường bộ trên hệ thống loa truyền thanh.",
     [("Luật", "Luật Giao thông đường bộ", None)]),
    ("Sở phổ biến Luật Đất đai cho 300 hộ dân.", [("Luật", "Luật Đất đai", None)]),
    # not laws: a lawyer, the law in general, lower case
    ("Luật sư Nguyễn Văn A cho biết pháp luật quy định rõ.", []),
    ("Theo quy định của luật, các bên phải thực hiện.", []),
])
def test_legal_laws_are_read_by_their_names(analyse_text, text, laws):
    a = analyse_text("Tin\n\n" + text)
    got = sorted((d.type, d.title, d.date) for d in a.legal_documents if d.type in ("Luật", "Bộ luật"))
    assert got == sorted(laws, key=lambda x: (x[0], x[1], x[2] or ""))


@pytest.mark.parametrize("text, expected", [
    # the document kinds of other sectors, read when numbered (or named, for a plan)
    ("UBND tỉnh ban hành Tờ trình số 112/TTr-UBND ngày 3/4/2024 đề nghị HĐND tỉnh.", [("Tờ trình", "112")]),
    ("Theo Báo cáo số 45/BC-SYT của Sở Y tế, các chỉ tiêu đều đạt.", [("Báo cáo", "45")]),
    ("Triển khai Phương án số 02/PA-UBND về phòng, chống thiên tai.", [("Phương án", "02")]),
    ("Thủ tướng ký Công điện số 14/CĐ-TTg yêu cầu ứng phó bão.", [("Công điện", "14")]),
    # negatives: an unnumbered meeting report, a body whose name holds a type word
    ("Báo cáo tại hội nghị, Giám đốc Sở cho biết kết quả năm 2024.", []),
    ("Sở Kế hoạch và Đầu tư tỉnh đã thẩm định hồ sơ dự án.", []),
    ("Phòng Tài chính - Kế hoạch huyện chủ trì thực hiện.", []),
])
def test_legal_document_kinds_of_other_sectors(analyse_text, text, expected):
    _, got = _docs(analyse_text, text)
    assert got == expected


@pytest.mark.parametrize("text, expected", [
    # inside a decision, what it approves is its content, not another document
    ("QUYẾT ĐỊNH\nVề việc phê duyệt Đề án phát triển du lịch\n\nĐiều 1. Phê duyệt Đề án phát triển du lịch "
     "cộng đồng tỉnh giai đoạn 2025-2030.", []),
    # in a news report, the approved plan is a document people cite
    ("Tin\n\nThủ tướng Chính phủ phê duyệt Đề án “Phát triển văn hóa đọc trong cộng đồng”.", [("Đề án", None)]),
])
def test_legal_what_a_decision_approves_is_not_another_document(analyse_text, text, expected):
    _, got = _docs(analyse_text, text)
    assert [g for g in got if g[0] == "Đề án"] == expected


@pytest.mark.parametrize("text, expected", [
    # a qualifier between the type and a symbol carrying the type's code
    ("Thực hiện Quyết định thanh tra số 45/QĐ-TTr ngày 12/6/2023 của Chánh Thanh tra tỉnh.", [("Quyết định", "45")]),
    ("Xét Báo cáo thẩm tra số 145/BC-VHXH ngày 5/12/2024 của Ban Văn hóa - Xã hội.", [("Báo cáo", "145")]),
    # a qualifier and a number of another kind: no document
    ("Thực hiện Quyết định thanh tra số 45/KH-TTr, đoàn đã làm việc.", []),
    # a type in lower case with only a year or generic words: no document; with a capital it is one
    ("Các đơn vị hoàn thành kế hoạch nhiệm vụ năm 2021 đúng hạn.", []),
    ("Các tồn tại nêu trong kết luận thanh tra năm 2020 chưa được khắc phục.", []),
    ("Ban Chỉ đạo ban hành Chương trình công tác năm 2017 với nhiều nội dung.", [("Chương trình công tác", None)]),
    # a specific subject stays
    ("Tỉnh triển khai kế hoạch cải cách hành chính năm 2019 trên địa bàn.", [("Kế hoạch", None)]),
    # what a decision issues is its content
    ("Căn cứ Quyết định số 521/QĐ-UBND ngày 10/4/2024 của UBND tỉnh về ban hành Chương trình công tác năm 2024.",
     [("Quyết định", "521")]),
])
def test_legal_qualified_numbers_generic_plans_and_issued_content(analyse_text, text, expected):
    _, got = _docs(analyse_text, text)
    assert got == expected


@pytest.mark.parametrize("text, title", [
    ("Các bị cáo vi phạm Luật Đấu thầu, gây thiệt hại cho ngân sách nhà nước hơn 1,2 tỉ đồng.", "Luật Đấu thầu"),
    ("Căn cứ Luật Trật tự, an toàn giao thông đường bộ ngày 27 tháng 6 năm 2024;",
     "Luật Trật tự, an toàn giao thông đường bộ"),
    ("Căn cứ Luật Khám bệnh, chữa bệnh ngày 09 tháng 01 năm 2023;", "Luật Khám bệnh, chữa bệnh"),
])
def test_legal_a_comma_inside_a_law_name(analyse_text, text, title):
    a = analyse_text("Tin\n\n" + text)
    assert [d.title for d in a.legal_documents if d.type == "Luật"] == [title]
