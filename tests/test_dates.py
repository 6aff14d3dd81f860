"""Dates: the forms official Vietnamese writing uses, with spans; negatives beside positives."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.dates import document_numbers, find_dates, values
from tests.conftest import load_gold


@pytest.mark.parametrize("text, pub_year, expected", [
    ("ngày 22/1/2019", None, ["2019-01-22"]),
    # days of one month, the month written once at the end
    ("Từ ngày 26 đến ngày 28/10, mưa lớn kéo dài.", 2024, ["2024-10-26/2024-10-28"]),
    ("từ ngày 10 đến 12/12/2024", None, ["2024-12-10/2024-12-12"]),
    ("từ ngày 28 đến ngày 26/10", 2024, ["2024-10-26"]),  # backwards: no range, the date written
    ("Ngày 14-7", None, ["XXXX-07-14"]),
    ("Chiều 22/6, Công an tỉnh", 2024, ["2024-06-22"]),
    ("Chiều 22/6, Công an tỉnh", None, ["XXXX-06-22"]),
    ("Chiều 9.6, tại Hà Nội", None, ["XXXX-06-09"]),
    ("sáng 7-2, Trung tướng", None, ["XXXX-02-07"]),
    ("Thứ Hai, 17/07/2020 07:00", None, ["2020-07-17"]),
    ("Cập nhật ngày 14/5/2024", None, ["2024-05-14"]),
    ("ngày 1 tháng 12 năm 2011", None, ["2011-12-01"]),
    ("tháng 6-2017", None, ["2017-06"]),
    ("tháng 6 năm 2024", None, ["2024-06"]),
    ("trong tháng 6, trong đó", None, ["XXXX-06"]),
    ("năm 2016", None, ["2016"]),
    ("sinh năm 1919", None, ["1919"]),
    ("quý III/2017", None, ["2017-07/2017-09"]),
    ("quý I năm 2024", None, ["2024-01/2024-03"]),
    ("6 tháng đầu năm 2024", None, ["2024-01/2024-06"]),
    ("6 tháng cuối năm", None, ["XXXX-07/XXXX-12"]),
    ("6 tháng cuối năm", 2017, ["2017-07/2017-12"]),
    ("giai đoạn 2017-2020", None, ["2017/2020"]),
    ("giai đoạn 2021 – 2025", None, ["2021/2025"]),
    ("Trong 5 năm (2019- 2024), Hội", None, ["2019/2024"]),
    ("từ năm 2016 đến 2020", None, ["2016/2020"]),
    ("Từ năm 2016 đến nay", None, ["2016/.."]),
    ("tháng 11/1964 - 4/1975", None, ["1964-11/1975-04"]),
    ("(27/7/1947 - 27/7/2017)", None, ["1947-07-27/2017-07-27"]),
    ("Từ ngày 1/7 đến ngày 15/7/2024, lực lượng", None, ["2024-07-01/2024-07-15"]),
    ("từ ngày 1/7 đến ngày 15/7", 2023, ["2023-07-01/2023-07-15"]),
    ("cùng kỳ 2016", None, ["2016"]),
    ("cuối năm 2016", None, ["2016"]),
    ("những tháng đầu năm 2017", None, ["2017"]),
    # not dates: durations, fractions, ranges of figures, document numbers, times alone
    ("3 năm triển khai", None, []),
    ("5 năm qua", None, []),
    ("8/8 huyện, thành phố", None, []),
    ("từ 5-10%", None, []),
    ("Nghị quyết số 68/2016/QH14", None, []),
    ("Nghị định 86/2014/NĐ-CP", None, []),
    ("Chỉ thị số 09/CT-TW", None, []),
    ("khoảng 20 giờ 15", None, []),
    ("thương binh hạng 3/4", None, []),
    ("năm nay", None, []),
    ("2.000 vụ án", None, []),
])
def test_dates_values(text, pub_year, expected):
    assert values(text, pub_year) == expected


@pytest.mark.parametrize("text, symbol", [
    ("Chỉ thị số 09/CT-TW ngày 1/12/2011", "09/CT-TW"),
    ("Nghị quyết số 68/2016/QH14 ngày 1 tháng 12 năm 2011", "68/2016/QH14"),
    ("Nghị định số 100/TTg về việc", "100/TTg"),
    ("Chỉ thị số 05-CT/TW của Bộ Chính trị", "05-CT/TW"),
    ("Chương trình phối hợp số 07/CTrPH-BCA-MTTW", "07/CTrPH-BCA-MTTW"),
])
def test_dates_document_numbers_are_not_dates(text, symbol):
    spans = document_numbers(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == [symbol]
    for s, e, _, _ in find_dates(text, 0, len(text), None, spans):
        assert e <= spans[0][0] or s >= spans[0][1]


def test_dates_span_includes_part_of_day_but_value_does_not():
    text = "Chiều 22/6, Công an tỉnh họp."
    (s, e, _, v), = find_dates(text, 0, len(text), 2022)
    assert text[s:e] == "Chiều 22/6" and v == "2022-06-22"


@pytest.fixture(scope="module")
def seed_outputs(seed_documents):
    """Each seed report's output as a contract dict (extracted once per run in conftest)."""
    return {stem: d.model_dump() for stem, d in seed_documents.items()}


def test_dates_seed_spans_pass_the_contract_and_skip_furniture(seed_outputs):
    for doc in seed_outputs.values():
        furniture = [(z["start"], z["end"]) for z in doc["zones"] if z["kind"] == "furniture"]
        for d in doc["dates"]:
            assert doc["text"][d["start"]:d["end"]] == d["text"]
            assert not any(s <= d["start"] < e for s, e in furniture), d


def test_dates_seed_values_match_gold(seed_outputs, shared_gold):
    for gf in sorted((shared_gold / "seeds").glob("*.json")):
        gold = load_gold(gf)
        stem = gf.stem
        pred = seed_outputs[Path(gold["doc"]).stem]
        got = {d["value"] for d in pred["dates"]}
        for g in gold["dates"]:
            v = g["value"]
            assert v in got or (v.startswith("XXXX-") and any(p[4:] == v[4:] and len(p) == len(v) for p in got)), (stem, g)


@pytest.mark.parametrize("text, pub, expected", [
    ("Quý III, tỉnh đạt 95%.", 2024, ["2024-07/2024-09"]),
    ("trong quý I tăng 5%", None, ["XXXX-01/XXXX-03"]),
    ("quý IV/2023 và quý II năm 2024", 2025, ["2023-10/2023-12", "2024-04/2024-06"]),
    ("quý báu, quý khách, quý vị", 2024, []),
    ("Trong hai ngày 30 và 31-5, đoàn làm việc.", 2024, ["2024-05-30", "2024-05-31"]),
    ("Ngày 14 và 15/3/2023, hội thi diễn ra.", None, ["2023-03-14", "2023-03-15"]),
    ("ngày 30 và 31 tháng trước", 2024, []),
    ("từ 30 và 31 đối tượng", 2024, []),
])
def test_dates_quarter_without_year_and_two_days_of_one_month(text, pub, expected):
    assert values(text, pub) == expected


@pytest.mark.parametrize("text, pub, expected", [
    ("Sáng nay (16/10), Cục Thống kê họp báo.", 2023, ["2023-10-16"]),
    ("Sáng nay, 9/11, Sở tổ chức hội nghị.", None, ["XXXX-11-09"]),
    ("Hôm nay (5/3), Sở họp.", 2024, ["2024-03-05"]),
    ("Trong 9 tháng năm 2020, tỉnh thu 5 tỷ đồng.", None, ["2020-01/2020-09"]),
    ("7 tháng năm 2024 giải ngân 41%.", None, ["2024-01/2024-07"]),
    # not dates: a fraction, a count of months, a month count past twelve
    ("Sáng nay có 8/8 huyện tham gia.", 2024, []),
    ("Án treo 9 tháng, thử thách 18 tháng.", 2024, []),
    ("Sau 15 tháng năm 2023 vẫn chưa xong.", None, ["2023"]),
])
def test_dates_today_and_months_so_far(text, pub, expected):
    assert values(text, pub) == expected


def test_dates_today_span_leaves_the_bracket_out(analyse_text):
    a = analyse_text("Tin\n\nSáng nay (16/10), Cục Thống kê tỉnh họp báo.")
    assert [a.text[d.start:d.end] for d in a.dates] == ["16/10"]


def test_dates_tried_at_openings_equal_a_full_scan_of_every_pattern(monkeypatch):
    """find_dates tries the patterns only where a digit, "(" or an opening word stands: the dates
    are those of running every pattern over the whole text (the team corpus and 6,000 generated
    strings of date words, digits and separators, fixed seed)."""
    import random

    import pipeline.extract.dates as dates
    from tests.conftest import CORPORA

    rnd = random.Random(20261129)
    pieces = ("ngày tháng năm quý nửa đầu cuối giữa từ đến hết nay sáng Chiều thứ hai chủ nhật ( ) , - / . "
              "1 2 12 30 31 2020 2024 1999 III I giai đoạn cùng kỳ những và hiện cập nhật Ngày Quý").split()
    texts = [" ".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 25))) for _ in range(3000)]
    texts += ["".join(rnd.choice(["ngày", " ", "1", "/", "5", "2024", "-", "(", ")", "tháng", "năm", "quý"])
                      for _ in range(rnd.randint(1, 30))) for _ in range(3000)]
    for p in sorted((CORPORA / "docs").glob("*.txt")):
        try:
            texts.append(p.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue

    def found(text: str) -> list:
        blocked = dates.document_numbers(text, 0, len(text))
        return dates.find_dates(text, 0, len(text), 2024, blocked)

    tried = [found(t) for t in texts]
    monkeypatch.setattr(dates, "_matches", lambda pat, text, openings, end: pat.finditer(text, 0, end))
    assert [found(t) for t in texts] == tried
    assert sum(map(len, tried)) > 3000  # the strings hold dates to find
