"""Resolution on evidence: namesakes, promotions, bare 'Công an tỉnh', document spellings, judgements."""
from __future__ import annotations

import json
import sqlite3

import pytest

from pipeline.kb.build import build
from pipeline.kb.resolve import Judgements
from tests.conftest import GZ
from tests.test_kb import write_docs

REPORTS = {
    "la2019": ("Công an Lai Châu tổng kết năm 2019\n\nNgày 10/1/2020, Công an tỉnh Lai Châu tổ chức hội nghị. "
               "Đại tá Nguyễn Văn Hùng, Phó Giám đốc Công an tỉnh Lai Châu chủ trì hội nghị. Năm 2019, Công an "
               "tỉnh đã phát hiện 120 vụ.", {"published": "2020-01-10"}),
    "la2023": ("Lai Châu: tổng kết công tác năm 2023\n\nNgày 12/1/2024, tại Lai Châu, Thiếu tướng Nguyễn Văn Hùng, "
               "Giám đốc Công an tỉnh Lai Châu phát biểu. Năm 2023, Công an tỉnh đã phát hiện 135 vụ.",
               {"published": "2024-01-12"}),
    "sl2022": "Sơn La: huyện Mộc Châu tổng kết\n\nNgày 5/1/2023, ông Nguyễn Văn Hùng, Chủ tịch UBND huyện Mộc "
              "Châu, tỉnh Sơn La cho biết huyện đã hỗ trợ 300 hộ nghèo. Công an tỉnh Sơn La đã phối hợp.",
    "db2022": "Điện Biên: Công an tỉnh ra quân\n\nNgày 3/3/2022, Công an tỉnh Điện Biên ra quân. Tại Điện Biên, "
              "Công an tỉnh đã bắt giữ 40 đối tượng.",
    "hoa1": "Tin\n\nBà Bùi Thị Hoà, Chủ tịch Hội LHPN tỉnh Lào Cai trao 50 suất quà.",
    "hoa2": "Tin\n\nBà Bùi Thị Hòa, Chủ tịch Hội LHPN tỉnh Lào Cai dự hội nghị với 200 hội viên.",
    "ha1": "Tin\n\nBà Nguyễn Thị Hà, Phó Chủ tịch UBND tỉnh Yên Bái thăm 30 hộ.",
    "ha2": "Tin\n\nBà Nguyễn Thị Hạ, Phó Chủ tịch UBND tỉnh Yên Bái tặng 20 suất quà.",
    # a provincial post whose province the report does not say: the same title joins, another stays apart
    "loc1": "Tin\n\nBà Trần Thị Mai, Chủ tịch Hội LHPN tỉnh phát biểu tại hội nghị với 30 đại biểu.",
    "loc2": "Lào Cai: hội nghị phụ nữ\n\nBà Trần Thị Mai, Chủ tịch Hội LHPN tỉnh Lào Cai trao 40 suất quà.",
    "loc3": "Tin\n\nBà Trần Thị Mai, Giám đốc Sở Y tế tỉnh kiểm tra 12 trạm y tế.",
    "nq_a": "Tin\n\nThực hiện Nghị quyết liên tịch số 01/2002/NQLT-BCA-TWHLHPNVN, hai ngành đã phối hợp.",
    "nq_b": "Tin\n\nQua 20 năm thực hiện NQLT 01, các cấp Hội đã vận động 500 hội viên.",
    "nq_c": "Tin\n\nSơ kết Nghị quyết liên tịch 01 giữa hai ngành.",
    "nq_d": "Tin\n\nHai ngành ký Nghị quyết liên tịch 01/TW về phối hợp.",
    "ct_tw": "Tin\n\nThực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị, tỉnh đã tổ chức 20 hội nghị.",
    "ct_ttg": "Tin\n\nThực hiện Chỉ thị số 05/CT-TTg ngày 1/3/2021 của Thủ tướng Chính phủ, tỉnh đã kiểm tra 15 cơ sở.",
    # one provincial resolution cited with its issuer written three ways, and another province's
    # resolution of the same number with the same bare issuer
    "qb_nq1": "Quảng Bình: giám sát chính sách\n\nThường trực HĐND tỉnh Quảng Bình giám sát Nghị quyết số "
              "15/2023/NQ-HĐND của HĐND tỉnh Quảng Bình; 400 người đã được hỗ trợ.",
    "qb_nq2": "Quảng Bình: ngành y tế\n\nThực hiện Nghị quyết 15/NQ-HĐND của HĐND tỉnh, Sở Y tế Quảng Bình đã "
              "cấp phép 6 cơ sở.",
    "ht_nq": "Hà Tĩnh: hỗ trợ cai nghiện\n\nThực hiện Nghị quyết 15/NQ-HĐND của HĐND tỉnh, Sở Y tế đã hỗ trợ "
             "268 người.",
    # one department written with "tỉnh" before its province, without it, and bare in a report of that province
    "qb_syt1": "Quảng Bình: kiểm tra\n\nSở Y tế tỉnh Quảng Bình kiểm tra 12 trạm y tế.",
    "qb_syt2": "Quảng Bình: cấp phép\n\nSở Y tế đã cấp phép 4 cơ sở.",
    # one department of a province written in its two spellings (gazetteers/place_spellings.tsv)
    "dl_syt1": "Đắk Lắk: tiêm chủng\n\nSở Y tế tỉnh Đắk Lắk triển khai 20 điểm tiêm.",
    "dl_syt2": "Đăk Lăk: kiểm tra\n\nSở Y tế tỉnh Đăk Lăk kiểm tra 15 cơ sở.",
}


@pytest.fixture(scope="module")
def reports(nlp, tmp_path_factory):
    return write_docs(nlp, tmp_path_factory.mktemp("reports") / "out", REPORTS)


@pytest.fixture(scope="module")
def kb(reports):
    db = reports.parent / "kb.sqlite"
    build(db, [reports], GZ)
    return sqlite3.connect(db)


def entities_of(db, name: str, kind: str) -> dict[str, set[str]]:
    """entity_id -> file stems of the documents where a document entity named `name` stands."""
    out: dict[str, set[str]] = {}
    for eid, path in db.execute("SELECT d.entity_id, doc.path FROM doc_entities d JOIN documents doc USING (doc_id) "
                                "WHERE d.kind = ? AND d.name = ?", [kind, name]):
        out.setdefault(eid, set()).add(path.rsplit("/", 1)[-1][:-4])
    return out


@pytest.mark.parametrize("name, kind, groups", [
    # a promotion in one province is one man; his namesake in Sơn La is another
    ("Nguyễn Văn Hùng", "official", [{"la2019", "la2023"}, {"sl2022"}]),
    # tone placement is not a difference (Hoà = Hòa) ...
    ("Bùi Thị Hoà", "official", [{"hoa1"}]),
    # ... but a tone is (Hà ≠ Hạ)
    ("Nguyễn Thị Hà", "official", [{"ha1"}]),
    ("Nguyễn Thị Hạ", "official", [{"ha2"}]),
    ("Nghị quyết liên tịch 01", "legal_document", [{"nq_a", "nq_b", "nq_c", "nq_d"}]),
    ("Chỉ thị 05", "legal_document", [{"ct_tw"}, {"ct_ttg"}]),
    ("Trần Thị Mai", "official", [{"loc1", "loc2"}, {"loc3"}]),
])
def test_kb_resolution_groups(kb, name, kind, groups):
    assert sorted(entities_of(kb, name, kind).values(), key=sorted) == sorted(groups, key=sorted)


def groups_of(db, kind: str, like: str, stems: set[str]) -> list[set[str]]:
    """The documents (among `stems`) whose entity of `kind` named LIKE `like` each entity holds."""
    out: dict[str, set[str]] = {}
    for eid, path in db.execute("SELECT d.entity_id, doc.path FROM doc_entities d JOIN documents doc USING (doc_id) "
                                "WHERE d.kind = ? AND d.name LIKE ?", [kind, like]):
        stem = path.rsplit("/", 1)[-1][:-4]
        if stem in stems:
            out.setdefault(eid, set()).add(stem)
    return sorted(out.values(), key=sorted)


@pytest.mark.parametrize("kind, like, groups", [
    # "HĐND tỉnh" is the council of each report's province: the issuer as an entity, not as written
    ("legal_document", "Nghị quyết 15", [{"qb_nq1", "qb_nq2"}, {"ht_nq"}]),
    ("agency", "Sở Y tế%", [{"qb_nq2", "qb_syt1", "qb_syt2"}, {"ht_nq"}, {"dl_syt1", "dl_syt2"}]),
])
def test_kb_resolution_provincial_bodies_written_many_ways(kb, kind, like, groups):
    stems = {"qb_nq1", "qb_nq2", "ht_nq", "qb_syt1", "qb_syt2", "dl_syt1", "dl_syt2"}
    assert groups_of(kb, kind, like, stems) == sorted(groups, key=sorted)


@pytest.mark.parametrize("key, place, expected", [
    ("sở y tế tỉnh quảng bình", "Quảng Bình", "sở y tế quảng bình"),
    ("sở y tế quảng bình", "Quảng Bình", "sở y tế quảng bình"),
    ("sở y tế", "Quảng Bình", "sở y tế quảng bình"),
    ("công an tỉnh", "Quảng Bình", "công an quảng bình"),
    ("công an thành phố hà nội", "Hà Nội", "công an hà nội"),
    # a district keeps its level word: a district and a town of one name are two places
    ("ủy ban nhân dân huyện cẩm xuyên", "Cẩm Xuyên", "ủy ban nhân dân huyện cẩm xuyên"),
    # a place inside the name stays where it is written
    ("phòng cảnh sát giao thông công an tỉnh quảng bình đội 1", "Quảng Bình",
     "phòng cảnh sát giao thông công an tỉnh quảng bình đội 1"),
])
def test_kb_resolution_agency_place_key(key, place, expected):
    from collections import defaultdict

    from pipeline.kb.resolve import place_key
    provinces: dict[str, set[str]] = defaultdict(set)
    for r in GZ.tsv("places.tsv"):
        provinces[r["name"].lower()].add(r["name"].lower())
    words = tuple(r["word"].lower().rstrip(".") for r in GZ.tsv("level_words.tsv") if r["level"] == "province")
    assert place_key(key, place, provinces, words) == expected


def test_kb_resolution_tone_placement_variants_are_one_official(kb):
    ids = {eid for (eid,) in kb.execute("SELECT entity_id FROM doc_entities WHERE name IN ('Bùi Thị Hoà', 'Bùi Thị Hòa')")}
    assert len(ids) == 1


def test_kb_resolution_bare_cong_an_tinh_is_each_reports_province(kb):
    rows = kb.execute("SELECT e.entity_id, e.place FROM entities e WHERE e.kind = 'agency' AND e.name LIKE 'Công an tỉnh%'")
    assert {place for _, place in rows} >= {"Lai Châu", "Sơn La", "Điện Biên"}
    bare = kb.execute("SELECT m.text, e.place FROM mentions m JOIN entities e USING (entity_id) "
                      "WHERE m.text = 'Công an tỉnh'").fetchall()
    assert {place for _, place in bare} == {"Lai Châu", "Điện Biên"}


def test_kb_resolution_who_held_which_post_when(kb):
    rows = kb.execute("SELECT p.position, p.as_of, p.rank FROM positions p JOIN entities e USING (entity_id) "
                      "WHERE e.entity_id = 'official:nguyen-van-hung.lai-chau' ORDER BY p.as_of").fetchall()
    assert rows == [("Phó Giám đốc Công an tỉnh Lai Châu", "2020-01-10", "Đại tá"),
                    ("Giám đốc Công an tỉnh Lai Châu", "2024-01-12", "Thiếu tướng")]


def test_kb_resolution_decisions_are_explained(kb):
    (reason,) = kb.execute("SELECT reason FROM entity_links WHERE entity_id = 'official:nguyen-van-hung.lai-chau'"
                           ).fetchone()
    assert reason == "same name, same organisation"


@pytest.mark.parametrize("judgement, name, groups", [
    ({"different": ["la2019#Nguyễn Văn Hùng", "la2023#Nguyễn Văn Hùng"], "why": "two men"},
     "Nguyễn Văn Hùng", [{"la2019"}, {"la2023"}, {"sl2022"}]),
    ({"same": ["sl2022#Nguyễn Văn Hùng", "la2019#Nguyễn Văn Hùng"], "why": "moved province"},
     "Nguyễn Văn Hùng", [{"la2019", "la2023", "sl2022"}]),
    ({"different": ["legal:nghị quyết liên tịch:1", "nq_d#Nghị quyết liên tịch 01"], "why": "another text"},
     "Nghị quyết liên tịch 01", [{"nq_a", "nq_b", "nq_c"}, {"nq_d"}]),
])
def test_kb_resolution_judgements_override(reports, tmp_path, judgement, name, groups):
    jfile = tmp_path / "judgements.jsonl"
    jfile.write_text("# decisions, one JSON a line\n" + json.dumps(judgement, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "kb.sqlite"
    build(db, [reports], GZ, judgements=jfile)
    kind = "legal_document" if name.startswith("Nghị") else "official"
    got = entities_of(sqlite3.connect(db), name, kind)
    assert sorted(got.values(), key=sorted) == sorted(groups, key=sorted)


@pytest.mark.parametrize("line", ['{"same": ["a"]}', '{"maybe": ["a", "b"]}', "not json"])
def test_kb_resolution_bad_judgement_line_names_the_line(line):
    with pytest.raises(ValueError, match=r"j.jsonl:2: expected"):
        Judgements.parse(["# header", line], "j.jsonl")


@pytest.mark.parametrize("name, parent", [
    ("Công an tỉnh Lai Châu", "Bộ Công an"),
    ("UBND huyện Mộc Châu", "Ủy ban nhân dân tỉnh Sơn La"),   # a district's province, from districts.tsv
    ("Bộ Chính trị", None),                                  # a national body answers to no one listed
])
def test_kb_resolution_agency_parents_where_known(kb, name, parent):
    (got,) = kb.execute("SELECT parent FROM entities WHERE kind = 'agency' AND name = ?", [name]).fetchone()
    assert got == parent


@pytest.mark.parametrize("place, report_place, province", [
    ("Đắk Glei", None, "kon tum"),
    ("Đăk Glei", None, "kon tum"),       # Kon Tum's own spelling (gazetteers/place_spellings.tsv)
    ("Đăk Lăk", None, "đắk lắk"),        # a province in its other spelling: the listed one
    ("Đắk Lắk", None, "đắk lắk"),
    ("Châu Thành", None, "châu thành"),  # in several provinces: left as written without the report's
    ("Châu Thành", "Tây Ninh", "tây ninh"),
])
def test_kb_resolution_province_of_a_post_in_any_spelling(place, report_place, province):
    from pipeline.kb.build import province_homes
    from pipeline.kb.resolve import province_of
    assert province_of(place, report_place, province_homes(GZ)) == province
