"""Hostile inputs: each kind that once took the batch off its path, made here as our own small
file, ends as a normal outcome (done, or failed with its own catalogue code, never E201), within
the per-file limit, in bounded memory, with a complete report, no traceback and no library noise
on the terminal; every output passes `validate`.

The kinds follow ../shared/fixtures/hostile/README.md (the files there are not copied): a PDF
whose root refers to itself, a deflate bomb, a crowded one-sentence PDF page, very long
sentences, a 200-digit figure, an unknown HTML charset, a damaged deflate stream in a DOCX,
compatibility characters and NEL line breaks, an empty page that makes libraries warn.
"""
from __future__ import annotations

import io
import json
import unicodedata
import zipfile

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.badinputs import _lines_content, _page_objects, _pdf, _pdf_case

GOOD = "Ủy ban nhân dân tỉnh Lai Châu báo cáo kết quả năm 2023.\n\nNgày 15/01/2024, tổng thu đạt 2.500 tỷ đồng."


def _docx_bad_deflate() -> bytes:
    import docx

    d = docx.Document()
    for i in range(40):
        d.add_paragraph(f"Đoạn {i}: Ủy ban nhân dân tỉnh Lai Châu tổ chức hội nghị tổng kết công tác năm 2023.")
    buf = io.BytesIO()
    d.save(buf)
    data = bytearray(buf.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(8):  # the middle of the compressed document part
        data[start + info.compress_size // 2 + k] ^= 0xFF
    return bytes(data)


def _long_sentence(unit: str, n: int) -> bytes:
    return ("Năm 2023, " + " ".join(unit.format(i=i) for i in range(n)) + ".").encode("utf-8")


# name -> (bytes, allowed outcomes: status or status:code)
CASES = {
    "hang_pdf_root_selfref.pdf": (_pdf([b"1 0 R"]), {"failed:E106"}),
    "pdf_reference_cycle.pdf": (_pdf([b"2 0 R", b"3 0 R", b"1 0 R"]), {"failed:E106"}),
    "memory_pdf_deflate_bomb.pdf": (_pdf_case(None, "deflate_bomb", "", 1.0), {"failed:E108"}),
    "slow_pdf_1000_lines_one_sentence.pdf": (
        _pdf(_page_objects(_lines_content([f"dòng {i} của một câu rất dài không dấu chấm" for i in range(1000)], size=0.7))),
        {"done"}),
    "validate_reject_figure_overflow.txt": ((f"Năm 2023, tỉnh đã hỗ trợ 1{'0' * 200} người.\n").encode("utf-8"), {"done"}),
    "e201_html_charset_undefined.html": (
        f'<html><head><meta charset="undefined"></head><body><p>{GOOD}</p></body></html>'.encode("utf-8"), {"done"}),
    "e201_html_charset_not_text.html": (
        f'<html><head><meta charset="rot13"></head><body><p>{GOOD}</p></body></html>'.encode("utf-8"), {"done"}),
    "e201_docx_bad_deflate.docx": (_docx_bad_deflate(), {"failed:E106"}),
    "promise_text_not_nfc.txt": (("Điện trở 5 \u2126, \u212bngström, \uf900 và dấu chấm phẩy Hy Lạp\u037e "
                                  + GOOD).encode("utf-8"), {"done"}),
    "promise_nel_line_break.txt": (("Tiêu đề bản tin\u0085" + GOOD.replace("\n\n", "\u2029") + "\u2028Hết.").encode("utf-8"),
                                   {"done"}),
    "stderr_noise_html_empty_body.html": (b"<html><body></body></html>", {"failed:E107"}),
    "good.txt": (GOOD.encode("utf-8"), {"done"}),
}

# texts whose cost grows faster than their length in the words stage (see the batch report):
# with a short limit each must end as done or E109, on time, and the batch goes on
SLOW = {
    "slow_long_sentence_1000_decisions.txt": _long_sentence("Quyết định số {i}/QĐ-UBND", 1000),
    "slow_tiny_lowercase_sentences.txt": ("a. " * 3000).encode("utf-8"),
    "slow_abbreviation_sentences.txt": ("Đ/c. " * 1200).encode("utf-8"),
    "slow_1300_figures_one_sentence.txt": _long_sentence("hơn {i}.500 tỷ đồng,", 1300),
}
SLOW_LIMIT = 2.0
GRACE = 5.0  # pipeline.pool.GRACE


def _run(folder, out, *extra):
    return CliRunner().invoke(main, ["extract", str(folder), "--out", str(out), "-j", "2", "--no-progress", *extra])


def _rows(out) -> dict[str, dict]:
    rows = [json.loads(ln) for ln in (out / "_extract_report.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["path"].rsplit("/", 1)[-1]: r for r in rows}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    src = tmp_path_factory.mktemp("hostile")
    for name, (data, _) in CASES.items():
        (src / name).write_bytes(data)
    out = tmp_path_factory.mktemp("hostile_out")
    result = _run(src, out, "--time-limit", "30")
    return src, out, result


@pytest.fixture(scope="module")
def slow(tmp_path_factory):
    src = tmp_path_factory.mktemp("slow")
    for name, data in SLOW.items():
        (src / name).write_bytes(data)
    (src / "good.txt").write_bytes(GOOD.encode("utf-8"))
    out = tmp_path_factory.mktemp("slow_out")
    return src, out, _run(src, out, "--time-limit", str(SLOW_LIMIT))


@pytest.mark.parametrize("name", sorted(CASES))
def test_batch_hostile_case_ends_as_a_normal_outcome(hostile, name):
    _, out, result = hostile
    row = _rows(out)[name]
    got = row["status"] + (f":{row['code']}" if row.get("code") else "")
    assert got in CASES[name][1], (row, result.output)


@pytest.mark.parametrize("name", sorted(SLOW))
def test_batch_hostile_slow_case_stops_at_the_time_limit(slow, name):
    _, out, result = slow
    row = _rows(out)[name]
    assert row["status"] == "done" or row["code"] == "E109", row
    assert row["seconds"] <= SLOW_LIMIT + GRACE + 1, row
    assert _rows(out)["good.txt"]["status"] == "done"  # the batch went on


def test_batch_hostile_report_is_complete_without_traceback_or_noise(hostile):
    src, out, result = hostile
    assert result.exit_code == 1, result.output  # some cases fail, with codes
    assert "Traceback" not in result.output and "E201" not in result.output
    assert "discarding data" not in result.output and "WARNING" not in result.output
    assert set(_rows(out)) == {p.name for p in src.iterdir()}
    assert "trafilatura" in (out / "_extract_warnings.log").read_text(encoding="utf-8")  # logged, not lost


def test_batch_hostile_memory_stays_bounded(hostile):
    _, out, _ = hostile
    peaks = {n: r["peak_rss_mb"] for n, r in _rows(out).items() if r.get("peak_rss_mb")}
    assert peaks and max(peaks.values()) < 1000, peaks


def test_batch_hostile_outputs_pass_validate(hostile):
    _, out, _ = hostile
    result = CliRunner().invoke(main, ["validate", str(out)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name, check", [
    ("promise_text_not_nfc.txt", lambda t: t == unicodedata.normalize("NFC", t) and "\u03a9" in t and "\u2126" not in t),
    ("promise_nel_line_break.txt", lambda t: not any(c in t for c in "\u0085\u2028\u2029") and t.count("\n") >= 3),
    ("validate_reject_figure_overflow.txt", lambda t: "1000000" in t),
])
def test_batch_hostile_text_promises_hold(hostile, name, check):
    _, out, _ = hostile
    doc = json.loads((out / (name.rsplit(".", 1)[0] + ".json")).read_text(encoding="utf-8"))
    assert check(doc["text"]), doc["text"][:200]
    for f in doc["figures"]:
        assert abs(f["value"]) <= 10**18
