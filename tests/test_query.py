"""`python -m pipeline query …`: researchers' questions, names with or without tone marks, ambiguity,
sums that say what they could not add, search, read-only SQL and output formats that round-trip."""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from pipeline import query as Q
from pipeline.cli import main
from pipeline.kb.build import build
from pipeline.query.names import text_matches, tier
from pipeline.query.places import places
from pipeline.query.sqlfuncs import highlight, hits, period_bounds
from tests.conftest import GZ
from tests.test_kb import write_docs

# Our own reports: one official of the Ministry, two namesakes in two provinces (one promoted),
# Hà and Hạ, and figures built so that a sum must skip a repeat, a percentage and a district.
NAMES = {
    "to2023": ("Bộ Công an sơ kết\n\nNgày 5/6/2023, tại Hà Nội, Trung tướng Trần Quốc Tỏ, Thứ trưởng Bộ Công an chủ "
               "trì hội nghị. Năm 2022, lực lượng Công an đã phát hiện 1.200 vụ.", {"published": "2023-06-05"}),
    "la2019": ("Công an Lai Châu tổng kết năm 2019\n\nNgày 10/1/2020, Công an tỉnh Lai Châu tổ chức hội nghị. Đại tá "
               "Nguyễn Văn Hùng, Phó Giám đốc Công an tỉnh Lai Châu chủ trì hội nghị. Năm 2019, Công an tỉnh Lai Châu "
               "đã phát hiện 120 vụ.", {"published": "2020-01-10"}),
    "la2023": ("Lai Châu: tổng kết công tác năm 2023\n\nNgày 12/1/2024, tại Lai Châu, Thiếu tướng Nguyễn Văn Hùng, "
               "Giám đốc Công an tỉnh Lai Châu phát biểu. Năm 2023, Công an tỉnh Lai Châu đã phát hiện 135 vụ, đạt 95% "
               "kế hoạch.", {"published": "2024-01-12"}),
    "la2023b": ("Lai Châu: nhìn lại năm 2023\n\nNăm 2023, Công an tỉnh Lai Châu đã phát hiện 135 vụ.",
                {"published": "2024-02-01"}),
    "sl2023": ("Sơn La: tổng kết năm 2023\n\nNgày 5/1/2024, ông Nguyễn Văn Hùng, Chủ tịch UBND huyện Mộc Châu, tỉnh Sơn "
               "La cho biết năm 2023, tỉnh Sơn La đã phát hiện 80 vụ; riêng huyện Mộc Châu phát hiện 30 vụ.",
               {"published": "2024-01-05"}),
    "ha1": ("Tin\n\nNgày 3/4/2024, bà Nguyễn Thị Hà, Phó Chủ tịch UBND tỉnh Yên Bái thăm 30 hộ.", {"published": "2024-04-03"}),
    "ha2": ("Tin\n\nNgày 4/4/2024, bà Nguyễn Thị Hạ, Phó Chủ tịch UBND tỉnh Yên Bái tặng 20 suất quà.",
            {"published": "2024-04-04"}),
}


@pytest.fixture(scope="module")
def names_kb(nlp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("names")
    out = write_docs(nlp, folder / "out", NAMES)
    db = folder / "kb.sqlite"
    build(db, [out], GZ)
    return db


def cli(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    assert "Traceback" not in r.output, r.output
    return r.exit_code, r.stdout, r.stderr


def rows_json(*args: str) -> list[dict]:
    code, out, err = cli(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def stems(rows: list[dict], key: str = "path") -> list[str]:
    return [r[key].rsplit("/", 1)[-1].rsplit(".", 1)[0] for r in rows]


# --- names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, query, expected", [
    ("Trần Quốc Tỏ", "tran quoc to", 3),         # no tone marks: tones folded
    ("Trần Quốc Tỏ", "Trần Quốc Tỏ", 3),
    ("Trần Quốc Tỏ", "TRẦN QUỐC TỎ", 3),
    ("Trần Quốc Tỏ", "quoc to", 2),              # words in order
    ("Trần Quốc Tỏ", "tran quoc toa", 1),        # a slip of the keyboard
    ("Trần Quốc Tỏ", "Trần Quốc Tô", 0),         # same letters, another tone: another name
    ("Nguyễn Thị Hạ", "Nguyễn Thị Hà", 0),
    ("Nguyễn Thị Hạ", "nguyen thi ha", 3),
    ("Bùi Thị Hòa", "Bùi Thị Hoà", 3),           # tone placement is not a difference
    ("Trần Quốc Tỏ", "to quoc", 0),              # words out of order
    ("Hội LHPN tỉnh Hà Tĩnh", "lhpn ha tinh", 0),  # words not next to each other
])
def test_query_name_tiers(value, query, expected):
    assert tier(value, query) == expected
    assert text_matches(value, query) is (expected > 0)


@pytest.mark.parametrize("query", ["tran quoc to", "Trần Quốc Tỏ", "Tran Quoc To", "tran quoc toa", "quoc to"])
def test_query_officials_finds_a_name_however_typed(names_kb, query):
    rows = rows_json("query", "officials", query, "--db", str(names_kb))
    assert [(r["official"], r["post"], r["rank"], r["earliest"]) for r in rows] == [
        ("Trần Quốc Tỏ", "Thứ trưởng Bộ Công an", "Trung tướng", "2023-06-05")]


def test_query_officials_ambiguous_name_lists_candidates_instead_of_guessing(names_kb):
    code, out, err = cli("query", "officials", "nguyen thi ha", "--db", str(names_kb), "--format", "json")
    assert code == 1 and "matches 2 official" in err
    assert sorted(c["name"] for c in json.loads(out)) == ["Nguyễn Thị Hà", "Nguyễn Thị Hạ"]
    # with the tone marks it is one name; Hạ is never taken for Hà
    rows = rows_json("query", "officials", "Nguyễn Thị Hà", "--db", str(names_kb))
    assert [r["official"] for r in rows] == ["Nguyễn Thị Hà"]
    # an entity id settles it
    rows = rows_json("query", "officials", json.loads(out)[0]["entity_id"], "--db", str(names_kb))
    assert len({r["entity_id"] for r in rows}) == 1


def test_query_officials_namesakes_are_two_people_not_an_ambiguity(names_kb):
    rows = rows_json("query", "officials", "nguyen van hung", "--db", str(names_kb))
    people = {(r["entity_id"], r["place"]) for r in rows}
    assert {p for _, p in people} == {"Lai Châu", "Mộc Châu"} and len(people) == 2
    # the promoted one: both posts, each with its earliest and latest report
    la = [(r["post"], r["earliest"], r["latest"]) for r in rows if r["place"] == "Lai Châu"]
    assert la == [("Phó Giám đốc Công an tỉnh Lai Châu", "2020-01-10", "2020-01-10"),
                  ("Giám đốc Công an tỉnh Lai Châu", "2024-01-12", "2024-01-12")]


@pytest.mark.parametrize("options, posts", [
    (["--place", "Sơn La"], ["Chủ tịch UBND huyện Mộc Châu"]),           # a district is in its province
    (["--place", "son la"], ["Chủ tịch UBND huyện Mộc Châu"]),
    (["--place", "Lai Châu", "--when", "2020"], ["Phó Giám đốc Công an tỉnh Lai Châu"]),
    (["--place", "Lai Châu", "--when", "2024-01"], ["Giám đốc Công an tỉnh Lai Châu"]),
    (["--when", "2022"], []),                                              # no report spans 2022
    (["--agency", "cong an tinh lai chau"], ["Phó Giám đốc Công an tỉnh Lai Châu", "Giám đốc Công an tỉnh Lai Châu"]),
    (["--place", "Hà Giang"], []),
])
def test_query_officials_filters(names_kb, options, posts):
    rows = rows_json("query", "officials", "Nguyễn Văn Hùng", *options, "--db", str(names_kb))
    assert [r["post"] for r in rows] == posts


def test_query_officials_rows_point_at_the_officials_mention(names_kb):
    db = sqlite3.connect(names_kb)
    texts = dict(db.execute("SELECT doc_id, text FROM document_texts"))
    rows = rows_json("query", "officials", "--db", str(names_kb))
    assert len(rows) == 6
    for r in rows:
        assert texts[r["doc_id"]][r["start"]:r["end"]] == r["official"]
        assert r["sources"] and r["reports"] >= 1


def test_query_officials_on_the_corpus(research_kb):
    # Đại tá in 01 (2024) and 67, Thiếu tướng in 64 (2025): one man, his latest posts
    rows = rows_json("query", "officials", "phan van loc", "--db", str(research_kb))
    assert [(r["post"], r["organisation"], r["place"], r["rank"]) for r in rows] == [
        ("Giám đốc Công an tỉnh", "Công an tỉnh Hà Tĩnh", "Hà Tĩnh", "Thiếu tướng"),
        ("Ủy viên Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy", "Hà Tĩnh", "Thiếu tướng")]
    assert stems(rows) == ["64_tin_tong_ket_phoi_hop_ha_tinh"] * 2
    rows = rows_json("query", "officials", "--place", "thanh hoa", "--when", "2023", "--db", str(research_kb))
    assert {r["official"] for r in rows} == {"Hoàng Thị Mai Phương", "Lương Đình Nam", "Trịnh Văn Khải"}


@pytest.mark.parametrize("name, message", [
    ("Ngô Bảo Châu", "no official matches"),
])
def test_query_officials_unknown_name_is_one_line(names_kb, name, message):
    code, out, err = cli("query", "officials", name, "--db", str(names_kb))
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1


# --- outcomes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("options, figures", [
    (["--place", "Sơn La"], ["80 vụ", "30 vụ"]),                       # Mộc Châu counts for Sơn La
    (["--place", "Mộc Châu"], ["30 vụ"]),
    (["--place", "lai chau", "--period", "2023"], ["135 vụ", "95%", "135 vụ"]),
    (["--period", "2019/2020"], ["120 vụ"]),
    (["--period", "2022", "--unit", "vu"], ["1.200 vụ"]),
    (["--unit", "suất quà"], ["20 suất quà"]),
    (["--unit", "suat qua"], ["20 suất quà"]),
    (["--unit", "quà"], []),                                            # another thing counted
    (["--agency", "Công an tỉnh Lai Châu", "--period", "2019"], ["120 vụ"]),
])
def test_query_outcomes_filters(names_kb, options, figures):
    rows = rows_json("query", "outcomes", *options, "--db", str(names_kb))
    assert [r["figure"] for r in rows] == figures
    for r in rows:
        assert r["doc_id"] and r["start"] is not None and r["end"] is not None and r["figure"] in r["sentence"]


def test_query_outcomes_sum_adds_comparable_and_says_what_it_could_not(names_kb):
    rows = rows_json("query", "outcomes", "--unit", "vụ", "--sum", "--db", str(names_kb))
    sums = {(r["period"], r["total"], r["figures"]) for r in rows if not r["not_added"]}
    assert sums == {("2019", 120, 1), ("2022", 1200, 1), ("2023", 215, 2)}  # 135 (Lai Châu) + 80 (Sơn La)
    left = sorted((r["added"], len(r["outcome_ids"].split()), r["not_added"].split(" (")[0])
                  for r in rows if r["not_added"])
    assert left == [("135 vụ", 2, "the same figure in 2 reports"), ("30 vụ", 1, "part of the figure for Sơn La")]
    pct = rows_json("query", "outcomes", "--place", "Lai Châu", "--sum", "--db", str(names_kb))
    assert [r["not_added"] for r in pct if r["unit"] == "%"] == ["a percentage: percentages do not add"]


def test_query_outcomes_sum_keeps_hedge_bounds(research_kb):
    rows = rows_json("query", "outcomes", "--unit", "lượt người", "--sum", "--db", str(research_kb))
    added = [r for r in rows if not r["not_added"]]
    assert added and all(r["total"] >= (r["low"] or 0) for r in added)
    open_ended = [r for r in added if "hơn" in r["added"] or "trên" in r["added"]]
    assert open_ended and all(r["high"] is None for r in open_ended)   # "hơn 86.000": no upper bound


@pytest.mark.parametrize("options, expected", [
    (["--program", "phu nu voi phap luat"], {"trên 215.000 buổi tuyên truyền", "1.246 buổi tuyên truyền"}),
    (["--document", "Nghị định 105"], {"3.456 người", "ít nhất 95%"}),
    (["--place", "Nghệ An", "--unit", "tập thể"], {"45 tập thể"}),       # Quỳnh Lưu is in Nghệ An
    (["--place", "Hà Tĩnh", "--unit", "nguồn tin"], {"gần 40 nguồn tin"}),
])
def test_query_outcomes_on_the_corpus(research_kb, options, expected):
    rows = rows_json("query", "outcomes", *options, "--db", str(research_kb))
    assert expected <= {r["figure"] for r in rows}
    assert all(r["program"] or "--program" not in options for r in rows)


def test_query_outcomes_bad_period_is_one_line(research_kb):
    code, _, err = cli("query", "outcomes", "--period", "last year", "--db", str(research_kb))
    assert code == 1 and "YYYY" in err


# --- programmes, agencies, legal documents ----------------------------------------------------

def test_query_programs_agencies_documents(research_kb):
    progs = rows_json("query", "programs", "toan dan bao ve an ninh to quoc", "--db", str(research_kb))
    assert [(p["program"], p["kind"], p["documents"]) for p in progs] == [("toàn dân bảo vệ an ninh Tổ quốc", "phong trào", 10)]
    ags = rows_json("query", "agencies", "--level", "central", "--db", str(research_kb))
    assert {"Bộ Công an", "Chính phủ", "Ban Bí thư"} <= {a["agency"] for a in ags}
    assert all(a["level"] == "central" for a in ags)
    docs = rows_json("query", "documents", "chi thi 09", "--db", str(research_kb))
    assert [(d["document"], d["symbol"], d["issuer"], d["cited_by"], d["reported"]) for d in docs] == [
        ("Chỉ thị 09", "09/CT-TW", "Ban Bí thư", 3, "hai ngành")]
    assert sorted(stems([{"path": p} for p in docs[0]["citing"].split(" | ")])) == [
        "01_tin_ngan_so_ket_phoi_hop", "04_ke_hoach_ubnd_vni", "60_tin_cai_nghien_quang_binh_2021"]
    by_issuer = rows_json("query", "documents", "--issuer", "ban bi thu", "--db", str(research_kb))
    # 23 in 45_ke_hoach_atgt; 40 and Kết luận 06 in 76_bao_cao_ngan_hang_chinh_sach
    assert {d["document"] for d in by_issuer} == {"Chỉ thị 09", "Kết luận 44", "Chỉ thị 23", "Chỉ thị 40", "Kết luận 06"}


@pytest.mark.parametrize("command", ["programs", "agencies", "documents"])
def test_query_entity_rows_point_at_a_mention(research_kb, command):
    db = sqlite3.connect(research_kb)
    texts = dict(db.execute("SELECT doc_id, text FROM document_texts"))
    rows = rows_json("query", command, "--db", str(research_kb))
    assert rows
    for r in rows:
        assert texts[r["doc_id"]][r["start"]:r["end"]], r


# --- search -----------------------------------------------------------------------------------

@pytest.mark.parametrize("query, found, not_found", [
    ("ha noi", {"to2023"}, set()),
    ("Hà", {"to2023", "ha1"}, {"ha2"}),      # "Hà" never finds "Hạ"
    ("ha", {"to2023", "ha1", "ha2"}, set()),
    ("moc chau", {"sl2023"}, set()),
    ("Mộc Châu", {"sl2023"}, set()),
    ("Mốc Châu", set(), {"sl2023"}),
])
def test_query_search_with_or_without_tone_marks(names_kb, query, found, not_found):
    rows = rows_json("query", "search", query, "--db", str(names_kb))
    got = set(stems(rows))
    assert found <= got and not (not_found & got), got


def test_query_search_hit_is_highlighted_dated_and_cited(names_kb):
    rows = rows_json("query", "search", "tran quoc to", "--db", str(names_kb))
    assert len(rows) == 1
    r = rows[0]
    assert "«Trần Quốc Tỏ»" in r["hit"] and r["published"] == "2023-06-05"
    text = dict(sqlite3.connect(names_kb).execute("SELECT doc_id, text FROM document_texts"))[r["doc_id"]]
    assert text[r["start"]:r["end"]] == "Trần Quốc Tỏ"
    assert r["citation"] == f"archive/to2023.txt (2023-06-05), characters {r['start']}-{r['end']}"


@pytest.mark.parametrize("text, q, expected", [
    ("Tại Hà Nội và huyện Hạ Lang", "ha", "Tại «Hà» Nội và huyện «Hạ» Lang"),
    ("Tại Hà Nội và huyện Hạ Lang", "Hạ", "Tại Hà Nội và huyện «Hạ» Lang"),
    ("Tỉnh Thanh Hoá, Hoà Bình", "Thanh Hóa", "Tỉnh «Thanh Hoá», Hoà Bình"),   # the other tone placement
    ("Đồng Tháp", "dong thap", "«Đồng Tháp»"),
    ("Hà Nội", "hanoi", "Hà Nội"),                                               # words are words
])
def test_query_highlight(text, q, expected):
    assert highlight(text, q) == expected
    assert all(text[s:e] for s, e in hits(text, q))


def test_query_search_without_words_is_one_line(names_kb):
    code, _, err = cli("query", "search", "?!", "--db", str(names_kb))
    assert code == 1 and "no words" in err


# --- sql --------------------------------------------------------------------------------------

def test_query_sql_reads_with_vietnamese_functions(names_kb):
    rows = rows_json("query", "sql", "SELECT name FROM entities WHERE kind = 'official' AND vn_match(name, :q) "
                     "ORDER BY name", "-p", "q", "nguyen thi ha", "--db", str(names_kb))
    assert [r["name"] for r in rows] == ["Nguyễn Thị Hà", "Nguyễn Thị Hạ"]
    rows = rows_json("query", "sql", "SELECT vn_province('Mộc Châu') AS p, vn_fold('Đắk Lắk') AS f, "
                     "vn_period_hi('2024-02') AS hi", "--db", str(names_kb))
    assert rows == [{"p": "Sơn La", "f": "dak lak", "hi": "2024-02-29"}]


@pytest.mark.parametrize("statement, message", [
    ("DELETE FROM outcomes", "readonly"),
    ("UPDATE entities SET name = 'x'", "readonly"),
    ("CREATE TABLE t (x)", "readonly"),
    ("ATTACH DATABASE 'other.sqlite' AS other", "not authorized"),
    ("PRAGMA query_only = 0", "not authorized"),
    ("SELECT * FROM no_such_table", "no such table"),
])
def test_query_sql_is_read_only(names_kb, statement, message):
    before = sqlite3.connect(names_kb).execute("SELECT count(*) FROM outcomes").fetchone()
    code, _, err = cli("query", "sql", statement, "--db", str(names_kb))
    assert code == 1 and message in err
    assert sqlite3.connect(names_kb).execute("SELECT count(*) FROM outcomes").fetchone() == before


def test_query_sql_reading_a_pragma_is_allowed(names_kb):
    rows = rows_json("query", "sql", "PRAGMA table_info(outcomes)", "--db", str(names_kb))
    assert "unit_key" in {r["name"] for r in rows}


# --- output formats ---------------------------------------------------------------------------

QUESTIONS = [
    ["officials"], ["outcomes"], ["outcomes", "--sum"], ["programs"], ["agencies"], ["documents"],
    ["search", "ha tinh"], ["sql", "SELECT doc_id, year, title FROM documents ORDER BY doc_id"],
]


def _as_csv_strings(rows: list[dict]) -> list[dict]:
    return [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: " ".join(q)[:30])
def test_query_formats_round_trip(research_kb, question):
    args = ["query", *question, "--db", str(research_kb)]
    as_json = rows_json(*args)
    assert as_json, question
    _, out, _ = cli(*args, "--format", "csv")
    assert list(csv.DictReader(io.StringIO(out))) == _as_csv_strings(as_json)
    _, out, _ = cli(*args, "--format", "jsonl")
    assert [json.loads(line) for line in out.splitlines()] == as_json
    code, out, _ = cli(*args, "--format", "table")
    assert code == 0 and out.splitlines()[0].split()[0] == next(iter(as_json[0]))
    _, out, _ = cli(*args, "--format", "json", "--limit", "2")
    assert json.loads(out) == as_json[:2]


@pytest.mark.parametrize("args, message", [
    (["officials", "--db", "no/such.sqlite"], "no such file"),
    (["officials", "--db", "README.md"], "not a SQLite file"),
])
def test_query_bad_database_is_one_line(args, message):
    code, _, err = cli("query", *args)
    assert code == 1 and message in err


def test_query_not_a_knowledge_base_is_one_line(tmp_path):
    db = tmp_path / "other.sqlite"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.commit()
    code, _, err = cli("query", "officials", "--db", str(db))
    assert code == 1 and "not a knowledge base" in err


QUERY_COMMANDS = sorted(main.commands["query"].commands)


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_query_help_has_an_example_and_the_shared_output_options(command):
    r = CliRunner().invoke(main, ["query", command, "--help"])
    assert r.exit_code == 0 and "Example:" in r.output
    for option in ("--db", "--format", "--limit"):
        assert option in r.output


# --- places and periods -------------------------------------------------------------------------

@pytest.mark.parametrize("place, query, expected", [
    ("Vinh", "Nghệ An", True), ("Quỳnh Lưu", "nghe an", True), ("Nghệ An", "tỉnh Nghệ An", True),
    ("Thanh Hoá", "Thanh Hóa", True), ("Bà Rịa - Vũng Tàu", "ba ria vung tau", True),
    ("Châu Thành", "Long An", False),     # a district name several provinces have: no guess
    ("Hà Tĩnh", "Hà Nội", False), ("Kỳ Anh", "Nghệ An", False), (None, "Nghệ An", False),
])
def test_query_places_match(place, query, expected):
    assert places(GZ).matches(place, query) is expected


@pytest.mark.parametrize("period, bounds", [
    ("2023", ("2023-01-01", "2023-12-31")), ("2021/2023", ("2021-01-01", "2023-12-31")),
    ("2024-02", ("2024-02-01", "2024-02-29")), ("2024-01/2024-06", ("2024-01-01", "2024-06-30")),
    ("last year", (None, None)), ("23", (None, None)),
])
def test_query_period_bounds(period, bounds):
    assert period_bounds(period) == bounds


def test_query_api_result_rows_carry_their_source(research_kb):
    conn = Q.connect(research_kb)
    res = Q.outcomes(conn, place="Hà Tĩnh", limit=5)
    assert len(res.rows) == 5 and {"doc_id", "start", "end", "path", "sentence"} <= set(res.columns)
