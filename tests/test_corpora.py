"""The bundled sample corpus (`corpora/`): every document has a gold file of the seeds' shape,
gold strings stand in the document as written, generated formats match a fresh regeneration,
and the whole corpus extracts cleanly into contract-valid JSON.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from pipeline.keys import match_key

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
DOCS = CORPORA / "docs"
GOLD = CORPORA / "gold"
SOURCES = CORPORA / "sources"


def _load_make_formats():
    """corpora/ is not a package: load make_formats.py under its own module name."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("corpora_make_formats", CORPORA / "make_formats.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


MF = _load_make_formats()

GOLD_KEYS = {"doc", "published", "title", "authors", "source", "officials", "agencies",
             "legal_documents", "programs", "dates", "figures"}
# CONTRACT.md: YYYY[-MM[-DD]], XXXX-MM[-DD], and intervals of those ("XXXX-07/XXXX-09" for a quarter
# without a year in a report with no publication date) or open ones ("2016/..")
DATE_VALUE = re.compile(r"(\d{4}|XXXX)(-\d{2}(-\d{2})?)?(/((\d{4}|XXXX)(-\d{2}(-\d{2})?)?|\.\.))?")
PROGRAM_KINDS = {"phong trào", "cuộc vận động", "chương trình", "kế hoạch", "dự án", "mô hình", "câu lạc bộ"}
RANKS = {"Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá", "Trung tá",
         "Thiếu tá", "Đại úy", "Thượng úy", "Trung úy", "Thiếu úy", "Đại uý", "Thượng uý", "Trung uý", "Thiếu uý"}


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


def doc_files() -> list[Path]:
    return sorted(p for p in DOCS.iterdir() if p.is_file())


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def written_text(doc: Path) -> str:
    """The document as its author wrote it (NFC): the UTF-8 source for generated files, the file
    itself otherwise. Gold `text` fields must occur here verbatim."""
    if doc.name in MF.TARGETS:
        return unicodedata.normalize("NFC", MF.written_text(MF.read_source(MF.TARGETS[doc.name][0])))
    return unicodedata.normalize("NFC", doc.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ pairing and shape

def test_corpora_has_at_least_twelve_documents_in_every_format():
    docs = doc_files()
    assert len(docs) >= 12
    assert {p.suffix for p in docs} >= {".txt", ".html", ".docx", ".pdf"}


def test_corpora_every_document_has_gold_and_every_gold_a_document():
    docs = {p.name for p in doc_files()}
    golds = {load(g)["doc"] for g in gold_files()}
    assert docs == golds
    for g in gold_files():  # the gold file is named after its document's stem
        assert g.stem == Path(load(g)["doc"]).stem


@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: p.stem)
def test_corpora_gold_has_the_seed_shape(gold):
    d = load(gold)
    assert set(d) == GOLD_KEYS
    assert d["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["published"])
    assert all(isinstance(a, str) and a for a in d["authors"])
    for o in d["officials"]:
        assert set(o) == {"name", "rank", "positions"} and (o["rank"] is None or o["rank"] in RANKS)
        assert o["name"] not in d["authors"], "authors are never officials"
    assert len({match_key(a) for a in d["agencies"]}) == len(d["agencies"]), "each agency once"
    for leg in d["legal_documents"]:
        assert set(leg) == {"type", "number", "symbol", "date", "issuer", "title"}
        assert leg["number"] or leg["title"], "a legal document has a number or a subject"
    for p in d["programs"]:
        assert set(p) == {"kind", "name"} and p["kind"] in PROGRAM_KINDS
    for date in d["dates"]:
        assert set(date) == {"text", "value"} and DATE_VALUE.fullmatch(date["value"]), date
    for f in d["figures"]:
        assert set(f) == {"text", "value", "unit", "qualifier"} and isinstance(f["value"], (int, float))
        assert f["unit"], f


@pytest.mark.parametrize("value, ok", [("2024-05-14", True), ("2024-01/2024-06", True), ("2016/..", True),
                                       ("XXXX-03-12", True), ("XXXX-07/XXXX-09", True), ("14/5/2024", False),
                                       ("2024-5", False), ("XXXX-7/XXXX-9", False)])
def test_corpora_date_value_pattern(value, ok):
    assert bool(DATE_VALUE.fullmatch(value)) is ok


# ------------------------------------------------------------------ gold strings in the text

def _spaced(s: str) -> str:
    return " ".join(s.split())


def strings_not_in_text(d: dict, text: str) -> list[str]:
    """Gold strings that do not stand in the document as written. Hard-wrapped official documents
    break mentions across lines ("ngày\n02 tháng 12 năm 2024"): gold writes them with one space
    (../shared/gold/dev_domains/DECISIONS.md), so runs of white space are folded to one space."""
    text = _spaced(text)
    missing = [x["text"] for x in d["dates"] + d["figures"] if _spaced(x["text"]) not in text]
    missing += [o["name"] for o in d["officials"] if o["name"] not in text]
    missing += [a for a in d["authors"] if a not in text]
    if d["title"] and _spaced(d["title"]) not in text:
        missing.append(d["title"])
    return missing


@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: p.stem)
def test_corpora_gold_strings_occur_in_the_document(gold):
    d = load(gold)
    missing = strings_not_in_text(d, written_text(DOCS / d["doc"]))
    assert not missing, f"{d['doc']}: not in the text as written: {missing}"


@pytest.mark.parametrize("field, index, wrong", [
    ("figures", 0, "hơn 68.000 lượt người"),   # a transposed figure
    ("officials", 0, "Trần Văn Nam"),           # a name the report does not hold
    ("title", None, "Một tiêu đề khác"),
])
def test_corpora_gold_string_check_catches_a_wrong_string(field, index, wrong):
    d = load(GOLD / "01_tin_ngan_so_ket_phoi_hop.json")
    text = written_text(DOCS / d["doc"])
    assert strings_not_in_text(d, text) == []
    if field == "title":
        d["title"] = wrong
    elif field == "officials":
        d["officials"][index]["name"] = wrong
    else:
        d[field][index]["text"] = wrong
    assert strings_not_in_text(d, text) == [wrong]


@pytest.mark.parametrize("name, folded, present", [
    ("53_nghi_quyet_hdnd_ha_giang.txt", "ngày 02 tháng 12 năm 2024", True),   # broken by the wrap: found folded
    ("53_nghi_quyet_hdnd_ha_giang.txt", "3 triệu 500 nghìn đồng", True),
    ("53_nghi_quyet_hdnd_ha_giang.txt", "ngày 02 tháng 11 năm 2024", False),  # a wrong month is still reported
    ("45_ke_hoach_atgt_thai_binh.txt", "ngày 14 tháng 01 năm 2025", True),
])
def test_corpora_gold_string_check_folds_line_wrapping(name, folded, present):
    raw = written_text(DOCS / name)
    assert (folded in _spaced(raw)) is present
    if present:
        assert folded not in raw  # the case exists: the mention really is broken across a line end


# ------------------------------------------------------------------ generated formats

def _generated():
    return MF.TARGETS


@pytest.mark.parametrize("name", ["03_hoi_nghi_tong_ket_tcvn3.txt", "04_ke_hoach_ubnd_vni.txt",
                                  "05_tin_bieu_duong.html", "08_tin_ca_mau_cp1258.txt",
                                  "09_toa_dam_dak_lak_utf16.txt", "10_tin_bac_giang_nfd.txt",
                                  "44_tin_nong_san_lam_dong.html"])
def test_corpora_generated_text_formats_match_regeneration(name):
    targets = _generated()
    assert targets[name][2], "listed here because it is byte-deterministic"
    assert (DOCS / name).read_bytes() == targets[name][1](written_source(name))


def written_source(name: str) -> str:
    return MF.read_source(MF.TARGETS[name][0])


@pytest.mark.parametrize("name, encoding", [("03_hoi_nghi_tong_ket_tcvn3.txt", "tcvn3"),
                                            ("04_ke_hoach_ubnd_vni.txt", "vni"),
                                            ("08_tin_ca_mau_cp1258.txt", "windows-1258"),
                                            ("09_toa_dam_dak_lak_utf16.txt", "utf-16"),
                                            ("10_tin_bac_giang_nfd.txt", "utf-8"),
                                            ("01_tin_ngan_so_ket_phoi_hop.txt", "utf-8")])
def test_corpora_text_files_decode_to_what_was_written(name, encoding):
    from pipeline.normalize import normalise
    from pipeline.readers import read_document

    raw = read_document(DOCS / name)
    assert raw.encoding == encoding
    decoded = normalise(raw.raw, raw.legacy_table).text
    assert _fold(decoded).strip() == _fold(written_text(DOCS / name)).strip()


def _fold(text: str) -> str:
    """The normaliser folds typographic quotes and dashes; compare modulo that."""
    return text.translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
                                         "\u2013": "-", "\u2014": "-"}))


def _words(text: str) -> list[str]:
    return " ".join(text.split()).split(" ")


@pytest.mark.parametrize("name, kept", [
    ("06_bao_cao_6_thang.docx", "Toàn tỉnh | 412 mô hình | 1.035 nguồn tin | 286 người"),  # the table survived
    # the heading block is a borderless two-column table: one row, authority and number | motto and date
    ("48_bao_cao_lao_dong_binh_duong.docx", "Số: 1856/BC-SLĐTBXH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("48_bao_cao_lao_dong_binh_duong.docx", "Lưu: VT, LĐVL. | GIÁM ĐỐC Nguyễn Thị Kim Oanh"),
])
def test_corpora_docx_matches_regeneration_by_text(tmp_path, name, kept):
    from pipeline.readers import read_document

    fresh = tmp_path / name
    fresh.write_bytes(_generated()[name][1](written_source(name)))
    committed, regenerated = read_document(DOCS / name), read_document(fresh)
    assert _words(committed.raw) == _words(regenerated.raw)
    assert kept in committed.raw
    assert _words(committed.raw) == _words(written_text(DOCS / name))  # and the reader reads what was written


@pytest.mark.parametrize("name", ["07_thong_bao_ket_luan.pdf", "50_ke_hoach_khcn_phu_tho.pdf"])
def test_corpora_pdf_matches_regeneration_by_text(tmp_path, name):
    from pipeline.readers import read_document

    pytest.importorskip("reportlab")
    if MF.pdf_font() is None:
        pytest.skip("no TrueType font with Vietnamese glyphs on this machine")
    fresh = tmp_path / name
    fresh.write_bytes(_generated()[name][1](written_source(name)))
    committed, regenerated = read_document(DOCS / name), read_document(fresh)
    assert _words(committed.raw) == _words(regenerated.raw)
    # and the text layer is the source's words (line breaks of the layout aside; a two-column block
    # comes out column after column, with no "|" between them)
    assert _words(committed.raw) == [w for w in _words(written_text(DOCS / name)) if w != "|"]


@pytest.mark.parametrize("line, cols, written", [
    ("^ A // B || C // // D", [["A", "B"], ["C", "", "D"]], "A B | C D"),
    ("^ Số: 12/KL-TTr || Hà Nội, ngày 5 tháng 10 năm 2023", [["Số: 12/KL-TTr"], ["Hà Nội, ngày 5 tháng 10 năm 2023"]],
     "Số: 12/KL-TTr | Hà Nội, ngày 5 tháng 10 năm 2023"),
    ("| a | b |", None, "a | b"),   # a table row is not a column block
    ("Số 1/2 // không phải", None, "Số 1/2 // không phải"),  # "//" in running text is left alone
])
def test_corpora_make_formats_reads_column_blocks(line, cols, written):
    blocks = MF.parse_marked(line)
    if cols is None:
        assert blocks[0][0] != "columns"
    else:
        assert blocks == [("columns", cols)]
    assert MF.written_text(line) == written


# ------------------------------------------------------------------ the whole corpus extracts

@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory):
    from click.testing import CliRunner

    from pipeline.cli import main

    out = tmp_path_factory.mktemp("corpora_out")
    result = CliRunner().invoke(main, ["extract", str(DOCS), "--out", str(out), "--no-progress"])
    return result, out


def test_corpora_extracts_with_exit_code_zero(corpus_out):
    result, out = corpus_out
    assert result.exit_code == 0, result.output
    assert {p.stem for p in out.glob("*.json") if not p.name.startswith("_")} == {p.stem for p in doc_files()}


def test_corpora_outputs_pass_the_contract(corpus_out):
    from pipeline.contract import check_file

    _, out = corpus_out
    problems = {p.name: check_file(p) for p in sorted(out.glob("*.json"))}
    assert not {k: v for k, v in problems.items() if v}


@pytest.mark.parametrize("name, encoding, fmt", [("03_hoi_nghi_tong_ket_tcvn3", "tcvn3", "txt"),
                                                 ("04_ke_hoach_ubnd_vni", "vni", "txt"),
                                                 ("05_tin_bieu_duong", "utf-8", "html"),
                                                 ("06_bao_cao_6_thang", None, "docx"),
                                                 ("07_thong_bao_ket_luan", None, "pdf"),
                                                 ("44_tin_nong_san_lam_dong", "utf-8", "html"),
                                                 ("48_bao_cao_lao_dong_binh_duong", None, "docx"),
                                                 ("50_ke_hoach_khcn_phu_tho", None, "pdf")])
def test_corpora_outputs_record_format_and_encoding(corpus_out, name, encoding, fmt):
    _, out = corpus_out
    src = load(out / f"{name}.json")["source"]
    assert src["format"] == fmt
    if encoding:
        assert src["encoding"] == encoding
