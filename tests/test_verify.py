"""The verifier: claims of a draft judged against a knowledge base, each verdict with its source."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.kb.build import build
from pipeline.verify import Verifier
from tests.conftest import GZ, ROOT, SHARED
from tests.test_kb import write_docs

SOURCES = {
    "laichau_2023": ("Lai Châu tổng kết công tác phòng, chống ma túy năm 2023\n\n"
                     "Năm 2023, Công an tỉnh Lai Châu đã phát hiện 120 vụ vi phạm pháp luật về ma túy, bắt giữ "
                     "156 đối tượng. Tỷ lệ hộ nghèo của tỉnh giảm còn 2,4%. Hội LHPN tỉnh Lai Châu đã trao "
                     "110.500 suất quà và hỗ trợ 3 triệu 500 nghìn đồng cho mỗi hộ.\n\n"
                     "Tại hội nghị, UBND tỉnh đã khen thưởng 31 tập thể và 35 cá nhân.",
                     {"published": "2024-01-15"}),
    "laichau_2022": ("Lai Châu: kết quả năm 2022\n\nNăm 2022, Công an tỉnh Lai Châu đã phát hiện 98 vụ vi phạm "
                     "pháp luật về ma túy.", {"published": "2023-01-10"}),
    "sonla_2023": ("Sơn La: kết quả năm 2023\n\nNăm 2023, Công an tỉnh Sơn La đã phát hiện 95 vụ vi phạm pháp luật "
                   "về ma túy, bắt giữ 210 đối tượng.", {"published": "2024-01-12"}),
}


@pytest.fixture(scope="module")
def verifier(nlp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("verify")
    write_docs(nlp, folder / "out", SOURCES)
    db = folder / "kb.sqlite"
    build(db, [folder / "out"], GZ)
    return Verifier(db, nlp)


def judged(verifier, draft: str) -> dict[str, str]:
    return {c["text"]: c["verdict"] for c in verifier.verify_text(draft)["claims"]}


@pytest.mark.parametrize("draft, claim, verdict", [
    # the same quantity of the same thing
    ("Năm 2023, Công an tỉnh Lai Châu phát hiện 120 vụ vi phạm về ma túy.", "120 vụ", "supported"),
    # another value for the same place, period and thing
    ("Năm 2023, Công an tỉnh Lai Châu phát hiện 130 vụ vi phạm về ma túy.", "130 vụ", "contradicted"),
    # the same number said of another province, or of another year, is no support
    ("Năm 2023, Công an tỉnh Điện Biên phát hiện 120 vụ vi phạm về ma túy.", "120 vụ", "not_found"),
    ("Năm 2021, Công an tỉnh Lai Châu phát hiện 120 vụ vi phạm về ma túy.", "120 vụ", "not_found"),
    # another unit is another thing ("vụ" is not "đối tượng")
    ("Năm 2023, Công an tỉnh Lai Châu bắt giữ 120 đối tượng ma túy.", "120 đối tượng", "contradicted"),
    # hedges and magnitude words cover the source's value
    ("Năm 2023, Hội LHPN tỉnh Lai Châu đã trao hơn 110 nghìn suất quà.", "hơn 110 nghìn suất quà", "supported"),
    ("Năm 2023, Hội LHPN tỉnh Lai Châu đã trao khoảng 110.000 suất quà.", "khoảng 110.000 suất quà", "supported"),
    ("Năm 2023, Hội LHPN tỉnh Lai Châu đã trao hơn 120 nghìn suất quà.", "hơn 120 nghìn suất quà", "contradicted"),
    ("Năm 2023, Công an tỉnh Lai Châu bắt giữ gần 160 đối tượng.", "gần 160 đối tượng", "supported"),
    # rounding to the digits written: "2,4%" covers 2,35 to 2,45
    ("Năm 2023, tỷ lệ hộ nghèo của Lai Châu còn 2,4%.", "2,4%", "supported"),
    ("Năm 2023, tỷ lệ hộ nghèo của Lai Châu còn 2,9%.", "2,9%", "contradicted"),
    # a number written in words and digits mixed
    ("Năm 2023, Lai Châu hỗ trợ 3,5 triệu đồng cho mỗi hộ.", "3,5 triệu đồng", "supported"),
    # the place from a neighbouring sentence, the period from another
    ("Tại Lai Châu, lực lượng công an ráo riết vào cuộc. Trong năm 2023, Công an tỉnh đã phát hiện 120 vụ vi phạm "
     "về ma túy.", "120 vụ", "supported"),
    ("Tại Sơn La, lực lượng công an ráo riết vào cuộc. Trong năm 2023, Công an tỉnh đã phát hiện 120 vụ vi phạm "
     "về ma túy.", "120 vụ", "contradicted"),
    # a number written in pieces rounds by its last piece: 3 triệu 600 nghìn is not 3 triệu 500 nghìn
    ("Năm 2023, Lai Châu hỗ trợ 3 triệu 600 nghìn đồng cho mỗi hộ.", "3 triệu 600 nghìn đồng", "contradicted"),
    ("Năm 2023, Lai Châu hỗ trợ 3 triệu 500 nghìn đồng cho mỗi hộ.", "3 triệu 500 nghìn đồng", "supported"),
    # an open-ended claim reaches 20% above its number
    ("Năm 2023, Hội LHPN tỉnh Lai Châu đã trao hơn 100 nghìn suất quà.", "hơn 100 nghìn suất quà", "supported"),
    ("Năm 2023, Hội LHPN tỉnh Lai Châu đã trao hơn 90 nghìn suất quà.", "hơn 90 nghìn suất quà", "not_found"),
    # the day of an earlier sentence is not the period of the next one's figures
    ("Ngày 10/1/2024, UBND tỉnh Lai Châu họp tổng kết. Công an tỉnh Lai Châu đã phát hiện 120 vụ vi phạm về ma "
     "túy.", "120 vụ", "supported"),
])
def test_verify_verdicts(verifier, draft, claim, verdict):
    got = judged(verifier, draft)
    assert got.get(claim) == verdict, got


def test_verify_swapped_numbers_are_contradicted(verifier):
    got = judged(verifier, "Tại hội nghị tổng kết năm 2023, UBND tỉnh Lai Châu đã khen thưởng 35 tập thể và 31 cá nhân.")
    assert got == {"35 tập thể": "contradicted", "31 cá nhân": "contradicted"}


@pytest.mark.parametrize("draft, not_claims", [
    ("Ngày 15/1/2024, theo Kế hoạch số 123/KH-UBND, Lai Châu phát hiện 120 vụ.", ["15/1/2024", "123", "2024"]),
    ("Lần thứ 3, ông A, 56 tuổi, nhận bằng khen năm 2023.", ["3", "56 tuổi", "2023"]),
])
def test_verify_dates_numbers_ordinals_and_ages_are_not_claims(verifier, draft, not_claims):
    texts = [c["text"] for c in verifier.verify_text(draft)["claims"]]
    assert not any(n in t for n in not_claims for t in texts), texts


def test_verify_sources_cite_a_sentence_that_holds_the_figure(verifier):
    (c,) = verifier.verify_text("Năm 2023, Công an tỉnh Lai Châu phát hiện 120 vụ vi phạm về ma túy.")["claims"]
    s = c["sources"][0]
    assert s["text"] in s["sentence"] and s["value"] == 120 and s["path"].endswith("laichau_2023.txt")
    assert "120 vụ" in c["reason"]


@pytest.mark.parametrize("draft, adds_up", [
    ("Năm 2023, Lai Châu khen thưởng 31 tập thể và 35 cá nhân, tổng cộng 66 lượt.", True),
    ("Năm 2023, Lai Châu khen thưởng 31 tập thể và 35 cá nhân, tổng cộng 76 lượt.", False),
])
def test_verify_internal_sums_are_checked(verifier, draft, adds_up):
    claims = verifier.verify_text(draft)["claims"]
    (total,) = [c for c in claims if "internal_sum" in c]
    assert total["internal_sum"]["adds_up"] is adds_up and total["internal_sum"]["sum_of_parts"] == 66


@pytest.fixture(scope="module")
def kb_file(verifier):
    return str(verifier.db_path)


@pytest.mark.parametrize("draft, code", [
    ("Năm 2023, Công an tỉnh Lai Châu phát hiện 120 vụ vi phạm về ma túy.", 0),
    ("Năm 2023, Công an tỉnh Lai Châu phát hiện 130 vụ vi phạm về ma túy.", 1),
])
def test_verify_cli_exit_code_says_whether_anything_is_contradicted(kb_file, draft, code):
    result = CliRunner().invoke(main, ["verify", "-", "--db", kb_file, "--format", "json"], input=draft)
    assert result.exit_code == code, result.output
    assert json.loads(result.output)["claims"]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00" * 10])
def test_verify_cli_bad_draft_is_exit_2_with_one_line(kb_file, tmp_path, content):
    bad = tmp_path / "draft.txt"
    bad.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "pipeline", "verify", str(bad), "--db", kb_file],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and str(bad) in result.stderr


def test_verify_html_report_is_self_contained(kb_file, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Năm 2023, Công an tỉnh Lai Châu phát hiện 130 vụ vi phạm về ma túy.", encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["verify", str(draft), "--db", kb_file, "--format", "html", "--out", str(out)])
    assert result.exit_code == 1
    page = out.read_text(encoding="utf-8")
    assert '<mark class="contradicted"' in page and "laichau_2023.txt" in page
    assert "<script" not in page and "http" not in page and "<link" not in page


def test_verify_shared_example(nlp, tmp_path, extracted):
    """The shared example draft (seeds), scored by its own scorer: every verdict right."""
    example = SHARED / "gold" / "verify_example"
    if not example.exists():
        pytest.skip("../shared is absent")
    db = tmp_path / "kb.sqlite"
    build(db, [extracted("seeds")], GZ)
    pred = tmp_path / "pred"
    pred.mkdir()
    result = Verifier(db, nlp).verify_file(example / "001.txt")
    (pred / "001.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, str(SHARED / "eval" / "score_verify.py"), str(example), str(pred),
                          "--json", str(tmp_path / "s.json")], capture_output=True, text=True, check=True)
    assert "verdict accuracy 1.000" in out.stdout, out.stdout


def test_verify_readme_walkthrough_says_what_the_readme_says(nlp, extracted, tmp_path):
    """The README's first draft, against the corpus: the verdicts it promises."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    draft = re.search(r"echo '([^']+)' > draft\.txt", readme).group(1)
    db = tmp_path / "kb.sqlite"
    build(db, [extracted("corpora")], GZ)
    got = {c["text"]: c["verdict"] for c in Verifier(db, nlp).verify_text(draft)["claims"]}
    assert got["1.246 buổi tuyên truyền"] == "supported" and got["khoảng 86 nghìn lượt người"] == "supported"
    assert got["321 câu lạc bộ"] == "contradicted"


def test_verify_a_total_without_place_neither_contradicts_nor_disagrees_with_a_province(nlp, extracted, tmp_path):
    """Hà Tĩnh's 312 clubs contradict a draft's 321; the national 1.921 of another report (no place)
    is another slot: not a source of the verdict, not a disagreement between sources."""
    db = tmp_path / "kb.sqlite"
    build(db, [extracted("corpora")], GZ)
    draft = ('Từ năm 2021 đến nay, Hội LHPN và Công an tỉnh Hà Tĩnh đã tổ chức 1.246 buổi tuyên truyền. '
             'Hai lực lượng duy trì 321 câu lạc bộ "Phụ nữ với pháp luật".')
    (c,) = [c for c in Verifier(db, nlp).verify_text(draft)["claims"] if c["text"] == "321 câu lạc bộ"]
    assert c["verdict"] == "contradicted"
    assert [s["value"] for s in c["sources"]] == [312]
    assert "sources_disagree" not in c


# --- hedges on both sides, places, periods, fractions -----------------------------------------

MORE_SOURCES = {
    "hatinh_2023": ("Hà Tĩnh: kết quả năm 2023\n\n"
                    "Năm 2023, Hà Tĩnh có 13 huyện, thị xã, thành phố tham gia phong trào. Năm 2023, mô hình "
                    "\"Địa chỉ tin cậy\" ở Hà Tĩnh được duy trì ở 8/13 huyện, thị xã, thành phố. Năm 2023, diện tích "
                    "cây ăn quả của Hà Tĩnh đạt gần 21.000 ha. Năm 2023, các điểm du lịch của Hà Tĩnh thu hút hơn "
                    "86.000 lượt khách. Năm 2023, Sở Tài chính tỉnh Hà Tĩnh bố trí 2,45 tỷ đồng cho công tác tiêm "
                    "chủng.", {"published": "2024-01-10"}),
    "binhduong_bc": ("ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     " TỈNH BÌNH DƯƠNG                            Độc lập - Tự do - Hạnh phúc\n"
                     " Số: 15/BC-UBND                       Bình Dương, ngày 28 tháng 6 năm 2024\n\n"
                     "BÁO CÁO\nTình hình lao động 6 tháng đầu năm 2024\n\n"
                     "Trong 6 tháng đầu năm, các doanh nghiệp có nhu cầu tuyển dụng 38.500 lao động.\n", {}),
}


@pytest.fixture(scope="module")
def more_verifier(nlp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("verify-more")
    write_docs(nlp, folder / "out", MORE_SOURCES)
    db = folder / "kb.sqlite"
    build(db, [folder / "out"], GZ)
    return Verifier(db, nlp)


@pytest.mark.parametrize("draft, verdicts", [
    # a hedged source inside the claim's wording: the same hedge, or a wider one
    ("Năm 2023, diện tích cây ăn quả của Hà Tĩnh đạt gần 21.000 ha.", ["supported"]),
    ("Năm 2023, diện tích cây ăn quả của Hà Tĩnh đạt khoảng 21.000 ha.", ["supported"]),
    ("Năm 2023, diện tích cây ăn quả của Hà Tĩnh đạt hơn 21.000 ha.", ["contradicted"]),
    # an open-ended source: covered by the same opening from no higher a number, or read up to its reach
    ("Năm 2023, các điểm du lịch của Hà Tĩnh thu hút hơn 86 nghìn lượt khách.", ["supported"]),
    ("Năm 2023, các điểm du lịch của Hà Tĩnh thu hút hơn 80 nghìn lượt khách.", ["supported"]),
    ("Năm 2023, các điểm du lịch của Hà Tĩnh thu hút khoảng 86 nghìn lượt khách.", ["supported"]),
    # ... but an open-ended claim is not said of a figure far above its number, nor refuted by one
    ("Năm 2023, các điểm du lịch của Hà Tĩnh thu hút hơn 50 nghìn lượt khách.", ["not_found"]),
    ("Năm 2023, các điểm du lịch của Hà Tĩnh thu hút hơn 90 nghìn lượt khách.", ["not_found"]),
    # a fraction is not refuted by its whole, and is by another part of the same whole
    ("Năm 2023, mô hình \"Địa chỉ tin cậy\" ở Hà Tĩnh được duy trì ở 8/13 huyện, thị xã, thành phố.", ["supported"]),
    ("Năm 2023, mô hình \"Địa chỉ tin cậy\" ở Hà Tĩnh được duy trì ở 9/13 huyện, thị xã, thành phố.",
     ["contradicted"]),
    # an official document's province is its heading authority's
    ("Trong 6 tháng đầu năm 2024, các doanh nghiệp ở Bình Dương có nhu cầu tuyển dụng 38.500 lao động.",
     ["supported"]),
    ("Trong 6 tháng đầu năm 2024, các doanh nghiệp ở Bình Dương có nhu cầu tuyển dụng 35.800 lao động.",
     ["contradicted"]),
    ("Trong 6 tháng đầu năm 2024, các doanh nghiệp ở Đồng Nai có nhu cầu tuyển dụng 38.500 lao động.",
     ["not_found"]),
    # an agency with no place written takes the paragraph's province, not the draft's main one
    ("Năm 2023, Hà Tĩnh đẩy mạnh tiêm chủng. Sở Tài chính tỉnh Hà Tĩnh bố trí 2,45 tỷ đồng cho công tác tiêm "
     "chủng.\n\nTại Quảng Bình, năm 2023, Sở Tài chính bố trí 2,45 tỷ đồng cho công tác tiêm chủng.",
     ["supported", "not_found"]),
])
def test_verify_hedges_places_and_fractions(more_verifier, draft, verdicts):
    got = [(c["text"], c["verdict"]) for c in more_verifier.verify_text(draft)["claims"]]
    assert [v for _, v in got] == verdicts, got


@pytest.mark.parametrize("a, b, relation", [
    ("Hà Tĩnh", "Hà Tĩnh", "same"),
    ("Kỳ Anh", "Hà Tĩnh", "within"),
    ("Hà Tĩnh", "Kỳ Anh", "within"),
    ("Châu Thành", "Kiên Giang", "within"),   # a district name shared by several provinces
    ("Châu Thành", "Hà Tĩnh", None),
    ("Kỳ Anh", "Nghệ An", None),
    ("Hà Tĩnh", "Nghệ An", None),
])
def test_verify_place_relation_knows_districts(verifier, a, b, relation):
    assert verifier.place_relation(a, b) == relation


@pytest.mark.parametrize("place, known", [
    ("Hà Tĩnh", True), ("Kỳ Anh", True), ("Trường THPT Nguyễn Trãi", False), ("Thương", False), (None, False),
])
def test_verify_known_place_is_a_gazetteer_place(verifier, place, known):
    assert (verifier.known_place(place) is not None) is known
