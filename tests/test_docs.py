"""The README documents every command and the two set-up commands CI runs."""
from pathlib import Path

import pytest

from pipeline.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
CI = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_docs_readme_documents_command(command):
    assert f"python -m pipeline {command}" in README


def test_docs_ci_runs_the_readme_test_command():
    test_line = next(line for line in CI.splitlines() if "pytest" in line).strip()
    assert test_line in README


@pytest.mark.parametrize("code", ["E101", "E102", "E103", "E104", "E105", "E106", "E107", "E108", "E201", "E301"])
def test_docs_readme_lists_error_code(code):
    assert code in README
