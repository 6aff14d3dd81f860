"""Agencies: named bodies found once, generic references not, place filled from the report."""
from __future__ import annotations

import pytest

from pipeline.keys import match_key

from tests.conftest import SHARED, load_gold


@pytest.fixture(scope="module")
def lai_chau(analyse_text):
    return analyse_text(
        "Lai Châu: Công an và hội phụ nữ phối hợp\n\n"
        "Trên địa bàn tỉnh Lai Châu, Công an tỉnh và Hội LHPN tỉnh đã phối hợp với Bộ Công an. "
        "Lực lượng Công an và Hội phụ nữ các cấp tham gia. Hội LHPN các huyện, thành phố cũng tham gia. "
        "Đại tá Nguyễn Văn A, Ủy viên Ban Thường vụ Tỉnh ủy, Giám đốc Công an tỉnh phát biểu.\n")


@pytest.mark.parametrize("name,canonical", [
    ("Công an tỉnh", "Công an tỉnh Lai Châu"),
    ("Hội LHPN tỉnh", "Hội Liên hiệp Phụ nữ tỉnh Lai Châu"),
    ("Bộ Công an", "Bộ Công an"),
    ("Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy"),
])
def test_agencies_found_with_canonical(lai_chau, name, canonical):
    found = {ag.name: ag.canonical for ag in lai_chau.agencies}
    assert found.get(name) == canonical


@pytest.mark.parametrize("not_agency", ["Công an", "Hội phụ nữ", "Hội LHPN", "Tỉnh ủy", "Lực lượng Công an"])
def test_agencies_generic_not_counted(lai_chau, not_agency):
    assert not_agency not in {ag.name for ag in lai_chau.agencies}


def test_agencies_each_body_once(lai_chau):
    names = [ag.canonical for ag in lai_chau.agencies]
    assert len(names) == len(set(names))
    for ag in lai_chau.agencies:
        for m in ag.mentions:
            assert lai_chau.text[m.start:m.end]


@pytest.mark.parametrize("text,name", [
    ("Hội LHPNVN và Hội LHPN Việt Nam phối hợp với Đảng ủy Công an Trung ương.", "Đảng ủy Công an Trung ương"),
    ("Đội Cảnh sát Hình sự Công an quận Cẩm Lệ bắt giữ đối tượng.", "Đội Cảnh sát Hình sự Công an quận Cẩm Lệ"),
    ("Thủ tướng Chính phủ ban hành Chỉ thị.", "Chính phủ"),
])
def test_agencies_named_body(analyse_text, text, name):
    a = analyse_text("Tin\n\n" + text + "\n")
    assert name in {ag.name for ag in a.agencies}


def test_agencies_acronym_variants_meet(analyse_text):
    a = analyse_text("Tin\n\nHội LHPNVN phối hợp. Sau đó Hội LHPN Việt Nam tổng kết.\n")
    assert [ag.canonical for ag in a.agencies] == ["Hội Liên hiệp Phụ nữ Việt Nam"]


@pytest.mark.skipif(not (SHARED / "gold" / "seeds").exists(), reason="../shared is optional")
def test_agencies_seed_recall(seed_documents):
    """Every gold agency of the seeds is found (scorer-style token-set matching)."""
    from rapidfuzz import fuzz
    missed = []
    for gold_path in sorted((SHARED / "gold" / "seeds").glob("*.json")):
        gold = load_gold(gold_path)
        a = seed_documents[gold_path.stem]
        preds = [x for ag in a.agencies for x in (ag.name.lower(), ag.canonical.lower())]
        for g in gold["agencies"]:
            if not any(fuzz.token_set_ratio(g.lower(), p) >= 90 for p in preds):
                missed.append(g)
    assert not missed


def test_agencies_title_look_back_covers_the_longest_title():
    """is_generic looks back MAX_STOP tokens for a title holding the candidate: no title is longer."""
    from pipeline.extract.agencies import MAX_STOP
    from pipeline.matching import pattern_words
    from tests.conftest import GZ

    longest = max(len(pattern_words(r[k])) for name, k in (("titles.tsv", "title"), ("ranks.tsv", "rank"))
                  for r in GZ.tsv(name))
    assert longest < MAX_STOP


HEADING_ONLY = ("UBND TỈNH QUẢNG BÌNH                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                "      SỞ Y TẾ                               Độc lập - Tự do - Hạnh phúc\n"
                " Số: 1862/BC-SYT                      Quảng Bình, ngày 20 tháng 9 năm 2024\n\n"
                "                               BÁO CÁO\n"
                "       Kết quả công tác y tế dự phòng 9 tháng đầu năm 2024\n\n"
                "Sở đã phối hợp với Công an tỉnh cấp phép cho 6 cơ sở cai nghiện.\n")


@pytest.mark.parametrize("text, place", [
    # the heading's authority names the province; the body never does (the heading is not
    # readable text, but what it says the document is about counts)
    (HEADING_ONLY, "quảng bình"),
    ("Quảng Bình: ra quân\n\nCông an tỉnh ra quân, bắt 40 đối tượng.", "quảng bình"),
    # one mention in capitals and one in mixed case are one place named twice
    ("QUẢNG BÌNH: RA QUÂN\n\nNgày 3/3, Công an tỉnh Quảng Bình ra quân.", "quảng bình"),
    ("Tin\n\nCông an tỉnh ra quân, bắt 40 đối tượng.", None),
    # two provinces named as often: the report is about neither
    ("Tin\n\nCông an Quảng Bình và Công an Hà Tĩnh phối hợp bắt 12 đối tượng.", None),
    # a district after its level word counts for its province (Kỳ Anh lies in Hà Tĩnh only)
    ("Tin\n\nUBND huyện Kỳ Anh họp. Công an huyện Kỳ Anh bắt 3 đối tượng.", "hà tĩnh"),
    ("Tin\n\nUBND huyện Kỳ Anh họp. Đoàn của tỉnh Hà Tĩnh dự. Công an tỉnh bắt 3 đối tượng.", "hà tĩnh"),
    # once is not enough; a name without its level word is not a district ("Phạm Bình Minh")
    ("Tin\n\nUBND huyện Kỳ Anh họp. Công an tỉnh bắt 3 đối tượng.", None),
    ("Tin\n\nÔng Phạm Bình Minh và ông Nguyễn Bình Minh dự họp.", None),
    # Kon Tum writes "Đăk Glei", the administrative list "Đắk Glei" (gazetteers/place_spellings.tsv)
    ("Tin\n\nUBND huyện Đăk Glei họp. Công an huyện Đăk Glei bắt 3 đối tượng.", "kon tum"),
    ("Tin\n\nUBND huyện Đắk Glei họp. Công an huyện Đắk Glei bắt 3 đối tượng.", "kon tum"),
])
def test_agencies_report_province(analyse_text, text, place):
    got = analyse_text(text).report_place
    assert (match_key(got) if got else None) == place
