"""The README documents every command and the two set-up commands CI runs."""
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import CATALOGUE

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
CI = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_docs_readme_documents_command(command):
    assert f"python -m pipeline {command}" in README


def test_docs_ci_runs_the_readme_test_command():
    test_line = next(line for line in CI.splitlines() if "pytest" in line).strip()
    assert test_line in README


@pytest.mark.parametrize("code", sorted(k.code for k in CATALOGUE.values()))
def test_docs_readme_lists_error_code(code):
    assert f"| {code} |" in README


@pytest.mark.parametrize("option", sorted(o for p in main.commands["extract"].params for o in p.opts if o.startswith("--")))
def test_docs_readme_documents_extract_option(option):
    assert option in README
