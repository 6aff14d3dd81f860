"""A batch with bad files: one line per bad file naming it with a catalogue code, the rest
processed, exit code 1, no traceback, and nothing written into the input folder."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.readers.legacy import encode_legacy

GOOD = ("Ủy ban nhân dân tỉnh Lai Châu báo cáo kết quả thực hiện nhiệm vụ năm 2023.\n\n"
        "Ngày 15/01/2024, tổng thu ngân sách trên địa bàn đạt 2.500 tỷ đồng.")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

# file name -> (bytes, expected catalogue code or None for a good file)
CASES = {
    "good_utf8.txt": (GOOD.encode("utf-8"), None),
    "good_tcvn3.txt": (encode_legacy(GOOD, "tcvn3"), None),
    "picture.txt": (PNG + bytes(range(256)) * 4, "E104"),
    "empty.txt": (b"", "E103"),
    "blank.txt": (b" \n\t\n", "E103"),
    "undecodable.txt": (b"abc \x81\x8d\x8f\x90 \x9d\x81 xyz " * 5, "E105"),
    "truncated.pdf": (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty", "E106"),
    "corrupt.docx": (b"PK\x03\x04" + b"\x00garbage" * 20, "E106"),
    "not_a_pdf.pdf": (b"hello, I am text with a .pdf suffix", "E106"),
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    src = tmp_path_factory.mktemp("inputs")
    for name, (data, _) in CASES.items():
        (src / name).write_bytes(data)
    (src / "notes.xlsx").write_bytes(b"PK")  # unsupported: skipped, not failed
    before = sorted(p.name for p in src.iterdir())
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["extract", str(src), "--out", str(out), "-j", "1", "--no-progress"])
    return src, out, result, before


def test_batch_bad_inputs_exit_code_and_no_traceback(batch):
    _, _, result, _ = batch
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("name", [n for n, (_, code) in CASES.items() if code])
def test_batch_bad_inputs_one_error_line_per_bad_file(batch, name):
    _, _, result, _ = batch
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error:") and name in ln]
    assert len(lines) == 1, result.output
    assert re.search(rf"\b{CASES[name][1]}\b", lines[0]), lines[0]


@pytest.mark.parametrize("name", [n for n, (_, code) in CASES.items() if code is None])
def test_batch_bad_inputs_good_files_still_processed(batch, name):
    _, out, result, _ = batch
    target = out / (name.rsplit(".", 1)[0] + ".json")
    assert target.exists(), result.output
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert "Ủy ban nhân dân tỉnh Lai Châu" in doc["text"]
    assert "error:" not in "\n".join(ln for ln in result.output.splitlines() if name in ln)


def test_batch_bad_inputs_report_accounts_for_every_input(batch):
    src, out, _, _ = batch
    rows = [json.loads(ln) for ln in (out / "_extract_report.jsonl").read_text(encoding="utf-8").splitlines()]
    status = {r["path"].rsplit("/", 1)[-1]: r["status"] for r in rows}
    assert status == {**{n: ("failed" if c else "done") for n, (_, c) in CASES.items()}, "notes.xlsx": "skipped"}


def test_batch_bad_inputs_nothing_written_into_input_folder(batch):
    src, _, _, before = batch
    assert sorted(p.name for p in src.rglob("*")) == before
