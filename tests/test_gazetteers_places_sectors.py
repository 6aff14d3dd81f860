"""Shape tests for the gazetteers the officials and agencies stages added: districts, sectors,
ethnic name starts, place words and words that only look like an agency head."""
from __future__ import annotations

import unicodedata

import pytest

from tests.conftest import GZ
from pipeline.keys import match_key

LISTS = ("ethnic_name_starts.txt", "place_words.txt", "not_agency_words.txt")


@pytest.mark.parametrize("name", LISTS)
def test_gazetteers_places_sectors_list_shape(name):
    items = GZ.list(name)
    assert items and all(i == i.strip() and unicodedata.is_normalized("NFC", i) for i in items)
    assert len({match_key(i) for i in items}) == len(items), f"duplicate entries in {name}"


def test_gazetteers_places_sectors_districts_shape():
    rows = GZ.tsv("districts.tsv")
    assert len(rows) > 600  # 696 district-level units before the 2025 reform
    provinces = {r["name"] for r in GZ.tsv("places.tsv")}
    for r in rows:
        assert tuple(r)[:3] == ("name", "type", "province")
        assert r["type"] in {"quận", "huyện", "thị xã", "thành phố"}, r
        assert r["province"] in provinces, r
        assert unicodedata.is_normalized("NFC", r["name"])


@pytest.mark.parametrize("name,province,present", [
    ("Trần Văn Thời", "Cà Mau", True), ("Cẩm Lệ", "Đà Nẵng", True), ("Buôn Ma Thuột", "Đắk Lắk", True),
    ("Trần Quốc Tỏ", "Hà Nội", False), ("Lai Châu", "Hà Nội", False),
])
def test_gazetteers_places_sectors_district_names(name, province, present):
    assert ((name, province) in {(r["name"], r["province"]) for r in GZ.tsv("districts.tsv")}) is present


def test_gazetteers_places_sectors_sectors_shape():
    rows = GZ.tsv("sectors.tsv")
    keys = [match_key(r["sector"]) for r in rows]
    assert len(keys) == len(set(keys))
    for r in rows:
        assert set(r["heads"].split(",")) <= {"Bộ", "Sở", "Phòng"}, r
        assert r["variants"] == "-" or all(v.strip() == v and v for v in r["variants"].split("|")), r


@pytest.mark.parametrize("canonical,alias,present", [
    ("Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", True),
    ("Bộ Văn hóa, Thể thao và Du lịch", "Bộ VHTTDL", True),
    ("Phòng Giáo dục và Đào tạo", "Phòng GD&ĐT", True),
    ("Phòng Ngoại giao", "Phòng Ngoại giao", False),     # no district office of foreign affairs
])
def test_gazetteers_places_sectors_sector_bodies(canonical, alias, present):
    from pipeline.extract.agencies import sector_bodies
    bodies = {c: aliases for c, aliases, _ in sector_bodies(GZ)}
    assert (alias in bodies.get(canonical, [])) is present


@pytest.mark.parametrize("name, ways", [
    ("Đắk Glei", ["Đắk Glei", "Đăk Glei"]),
    ("Đắk Lắk", ["Đắk Lắk", "Đắk Lăk", "Đăk Lắk", "Đăk Lăk"]),
    ("Kon Tum", ["Kon Tum"]),          # nothing to spell another way
    ("Krông Pắk", ["Krông Pắk"]),      # only whole syllables listed in place_spellings.tsv
])
def test_gazetteers_place_spellings_give_every_way_a_name_is_written(name, ways):
    from pipeline.gazetteers import spelled_ways
    assert spelled_ways(name, GZ) == ways


def test_gazetteers_place_spellings_differ_only_in_marks_and_name_listed_places():
    """Each row is a second spelling of one syllable (marks aside the same letters), and its
    standard form occurs in a listed place name."""
    from pipeline.keys import strip_tones
    listed = {w for f in ("places.tsv", "districts.tsv") for r in GZ.tsv(f) for w in r["name"].split()}
    rows = GZ.tsv("place_spellings.tsv")
    assert rows
    for r in rows:
        assert r["written"] != r["standard"] and strip_tones(r["written"]) == strip_tones(r["standard"]), r
        assert r["standard"] in listed, r
