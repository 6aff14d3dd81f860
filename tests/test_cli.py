"""Every command works through click's CliRunner, documents itself with an example, and fails cleanly."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli import main

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_help_has_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_cli_main_help_lists_commands():
    result = CliRunner().invoke(main, ["-h"])
    assert result.exit_code == 0
    for c in COMMANDS:
        assert c in result.output


def test_cli_python_module_entry_point():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "vnreport" in out.stdout


@pytest.fixture
def small_batch(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("Tiêu đề bài\n\nChiều 22/6, Công an tỉnh tổ chức hội nghị.\n\nLê Minh", encoding="utf-8")
    (src / "sub" / "a.txt").write_text("Tiêu đề khác\n\nNgày 16/7, Hội họp.", encoding="utf-8")
    (src / "notes.csv").write_text("x,y", encoding="utf-8")
    return src


def test_cli_extract_writes_one_json_per_document_and_accounts_for_all(small_batch, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(small_batch), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == ["a.json", "sub/a.json"]
    report = [json.loads(line) for line in (out / "_extract_report.jsonl").read_text().splitlines()]
    assert sorted(r["status"] for r in report) == ["done", "done", "skipped"]
    assert "3 inputs: 2 done, 0 unchanged, 1 skipped, 0 failed" in result.output
    doc = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert doc["title"] == "Tiêu đề bài" and doc["authors"] == ["Lê Minh"]
    assert not any(p.suffix == ".json" for p in small_batch.rglob("*"))  # nothing written next to inputs


def test_cli_extract_resumes_and_force_redoes(small_batch, tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(main, ["extract", str(small_batch / "a.txt"), "--out", str(out)])
    again = CliRunner().invoke(main, ["extract", str(small_batch / "a.txt"), "--out", str(out)])
    assert "1 unchanged" in again.output
    forced = CliRunner().invoke(main, ["extract", str(small_batch / "a.txt"), "--out", str(out), "--force"])
    assert "1 done" in forced.output


def test_cli_extract_explicit_unsupported_file_fails_with_code(tmp_path):
    bad = tmp_path / "table.xlsx"
    bad.write_bytes(b"PK\x03\x04junk")
    result = CliRunner().invoke(main, ["extract", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "E102" in result.output and "table.xlsx" in result.output
    assert "Traceback" not in result.output


def test_cli_schema_is_json_schema_with_contract_fields():
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.output)
    for field in ("id", "source", "title", "published", "authors", "outlet", "text", "zones", "sentences",
                  "officials", "agencies", "legal_documents", "programs", "dates", "figures"):
        assert field in schema["properties"]


def test_cli_validate_flags_a_drifted_offset(small_batch, tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(main, ["extract", str(small_batch / "a.txt"), "--out", str(out)])
    ok = CliRunner().invoke(main, ["validate", str(out)])
    assert ok.exit_code == 0, ok.output
    doc = json.loads((out / "a.json").read_text(encoding="utf-8"))
    doc["dates"] = [{"text": "22/6", "value": "XXXX-06-22", "start": 0, "end": 4}]
    (out / "a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    bad = CliRunner().invoke(main, ["validate", str(out)])
    assert bad.exit_code == 1 and "dates[0]" in bad.output


def test_cli_evaluate_needs_docs_or_pred(tmp_path):
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2 and "--docs" in result.output


def test_cli_pipeline_runs_every_extractor_in_order(nlp):
    assert nlp.names == ["normalise", "zones", "sentences", "words",
                         "dates", "legal", "programs", "agencies", "officials", "figures", "references"]
