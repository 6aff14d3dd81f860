"""Shape of the number, hedge, unit and date-word gazetteers the dates and figures stages read."""
from __future__ import annotations

import pytest

from tests.conftest import GZ
from pipeline.keys import match_key


@pytest.mark.parametrize("name, columns", [
    ("number_words.tsv", {"word", "value", "role", "note"}),
    ("magnitudes.tsv", {"word", "value", "note"}),
    ("hedges.tsv", {"hedge", "position", "low", "high", "note"}),
])
def test_gazetteers_numbers_tsv_shape(name, columns):
    rows = GZ.tsv(name)
    assert rows and all(set(r) == columns for r in rows)
    first = [r[sorted(columns - {"note", "value", "position", "role"})[0]] for r in rows]
    assert len(first) == len(set(first)), "duplicate entries"


@pytest.mark.parametrize("word, value", [("hai", 2), ("ba", 3), ("mười", 10), ("bảy", 7)])
def test_gazetteers_number_words_values(word, value):
    assert {r["word"]: int(r["value"]) for r in GZ.tsv("number_words.tsv")}[word] == value


@pytest.mark.parametrize("word, role", [("hai", "unit"), ("mười", "teen"), ("năm", "unit_if_numeral"),
                                       ("một", "unit_before_mult"), ("mươi", "tens"), ("lăm", "after_tens"),
                                       ("mốt", "after_tens"), ("tư", "after_tens"), ("trăm", "hundred"),
                                       ("linh", "filler"), ("lẻ", "filler")])
def test_gazetteers_number_words_roles(word, role):
    rows = GZ.tsv("number_words.tsv")
    assert {r["role"] for r in rows} <= {"unit", "unit_if_numeral", "unit_before_mult", "teen", "tens",
                                         "after_tens", "hundred", "filler"}
    assert {r["word"]: r["role"] for r in rows}[word] == role


@pytest.mark.parametrize("word", ["vài", "mấy", "nhiều"])
def test_gazetteers_number_words_exclude_words_without_a_value(word):
    assert word not in {r["word"] for r in GZ.tsv("number_words.tsv")}


@pytest.mark.parametrize("phrase, value", [
    ("hai", 2), ("mười", 10), ("mười một", 11), ("mười lăm", 15), ("hai mươi", 20), ("hai mươi mốt", 21),
    ("ba mươi tư", 34), ("chín mươi chín", 99), ("một trăm", 100), ("một trăm hai mươi", 120),
    ("hai trăm linh năm", 205), ("ba trăm lẻ tư", 304), ("năm nghìn", 5000), ("ba nghìn năm trăm", 3500),
    ("một triệu hai trăm nghìn", 1_200_000), ("hai tỷ", 2_000_000_000),
    # not one number
    ("một", None), ("mươi", None), ("hai ba", None), ("hai mươi năm", None), ("linh năm", None),
    ("mốt", None), ("trăm", None), ("nghìn", None), ("hai trăm linh", None),
])
def test_gazetteers_number_grammar_reads_vietnamese_numbers(phrase, value):
    from pipeline.numbers import grammar
    assert grammar(GZ).value(phrase) == value


@pytest.mark.parametrize("word, value", [("nghìn", 1000), ("ngàn", 1000), ("vạn", 10000), ("triệu", 10**6),
                                         ("tỷ", 10**9), ("tỉ", 10**9)])
def test_gazetteers_magnitudes_values(word, value):
    assert {r["word"]: int(r["value"]) for r in GZ.tsv("magnitudes.tsv")}[word] == value


@pytest.mark.parametrize("hedge, position", [("hơn", "before"), ("trên", "before"), ("gần", "before"),
                                             ("khoảng", "before"), ("ít nhất", "before"), ("trở lên", "after"),
                                             ("hàng", "vague")])
def test_gazetteers_hedges_positions(hedge, position):
    assert {r["hedge"]: r["position"] for r in GZ.tsv("hedges.tsv")}[hedge] == position


def test_gazetteers_hedges_positions_are_known():
    assert {r["position"] for r in GZ.tsv("hedges.tsv")} <= {"before", "after", "vague"}


def test_gazetteers_hedges_bounds_rules_are_well_formed():
    import re
    rule = re.compile(r"inf|0|(?:\d+(?:\.\d+)?)?v[+-]?")
    for r in GZ.tsv("hedges.tsv"):
        assert rule.fullmatch(r["low"]) and rule.fullmatch(r["high"]), r
        assert r["low"] != "inf", r


@pytest.mark.parametrize("name, present, absent", [
    ("time_units.txt", ["năm", "tháng", "ngày", "tuổi"], ["vụ", "người", "buổi"]),
    ("currencies.txt", ["đồng", "USD"], ["người"]),
    ("counted_nouns.txt", ["người", "vụ", "đối tượng", "trẻ"], ["năm", "của"]),
    ("not_figure_before.txt", ["số", "thứ", "dự án", "ảnh"], ["hơn", "trên", "tổng"]),
    ("not_unit_words.txt", ["của", "và", "giúp"], ["người", "vụ"]),
])
def test_gazetteers_numbers_lists(name, present, absent):
    entries = {match_key(x) for x in GZ.list(name)}
    assert entries and all(x == x.strip() for x in GZ.list(name))
    for p in present:
        assert match_key(p) in entries
    for a in absent:
        assert match_key(a) not in entries


def test_gazetteers_date_words_shape():
    w = GZ.yaml("date_words.yaml")
    for key in ("part_of_day", "weekdays", "update_words", "day_words", "period_words", "open_end_words",
                "year_parts", "same_period"):
        assert isinstance(w[key], list) and w[key] and all(isinstance(x, str) for x in w[key]), key
    assert set(w["half_year"]) == {"first", "last"}
    assert sorted(set(w["quarters"].values())) == [1, 2, 3, 4]
    assert isinstance(w["document_number"], str)


@pytest.mark.parametrize("key, word", [("day_word", "ngày"), ("month_word", "tháng"), ("year_word", "năm"),
                                       ("quarter_word", "quý")])
def test_gazetteers_date_words_calendar_nouns(key, word):
    assert GZ.yaml("date_words.yaml")[key] == word


@pytest.mark.parametrize("key, present, absent", [
    ("from_words", ["từ"], ["đến"]),
    ("to_words", ["đến", "tới"], ["từ"]),
    ("through_words", ["hết"], ["nay"]),
    ("half_words", ["nửa"], ["đầu"]),
    # hedges and count words before a bare year; "năm" and "từ" must not be here ("từ năm 2016")
    ("not_year_after", ["hơn", "trên", "số", "tổng", "tăng"], ["năm", "từ", "đến"]),
])
def test_gazetteers_date_words_connectives(key, present, absent):
    entries = GZ.yaml("date_words.yaml")[key]
    assert isinstance(entries, list) and all(isinstance(x, str) and x == x.strip() and x for x in entries)
    assert len(entries) == len(set(entries)), "duplicate entries"
    for p in present:
        assert p in entries
    for a in absent:
        assert a not in entries


def test_gazetteers_figure_context_shape():
    w = GZ.yaml("figure_context.yaml")
    for key in ("reporter_heads", "place_words", "reporter_verbs", "recipient_markers"):
        assert isinstance(w[key], list) and w[key], key
        assert all(isinstance(x, str) and x and x == x.strip() for x in w[key]), key
    assert "đã" in w["reporter_verbs"] and "Công an" not in w["reporter_verbs"]
    assert w["recipient_markers"] == ["cho"]


@pytest.mark.parametrize("key, present, absent", [
    ("range_words", ["đến", "tới"], ["từ"]),
    ("percent_words", ["phần trăm"], ["%"]),
    ("from_words", ["từ"], ["đến"]),
    ("total_markers", ["tổng số"], ["số"]),  # a bare "số" marks an identifier (not_figure_before.txt)
    ("not_count_after", ["thứ", "lần", "tháng", "quý"], ["hơn", "có"]),
    ("change_words", ["lên", "xuống", "thành"], ["từ"]),
])
def test_gazetteers_figure_words_lists(key, present, absent):
    entries = GZ.yaml("figure_words.yaml")[key]
    assert isinstance(entries, list) and all(isinstance(x, str) and x and x == x.strip() for x in entries)
    assert len(entries) == len(set(entries)), "duplicate entries"
    for p in present:
        assert p in entries
    for a in absent:
        assert a not in entries
