"""The README documents the researchers' commands (query, serve, export): every command, option,
canned query and SQL function, examples that parse, and the walk from set-up to the browser."""
from __future__ import annotations

import re
import shlex
import sqlite3
from pathlib import Path

import click
import pytest

from pipeline.cli import main
from pipeline.query.questions import CANNED
from pipeline.query.sqlfuncs import register

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
RESEARCH = ("query", "serve", "export")


def commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, cmd in sorted(group.commands.items()):
        if path or name in RESEARCH:
            yield (*path, name), cmd
            if isinstance(cmd, click.Group):
                yield from commands(cmd, (*path, name))


COMMANDS = list(commands(main))


@pytest.mark.parametrize("path, command", COMMANDS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_docs_research_command_and_options_in_readme(path, command):
    assert f"python -m pipeline {' '.join(path)}" in README
    for p in command.params:
        if isinstance(p, click.Option):
            assert any(o in README for o in p.opts if o.startswith("--")), (path, p.opts)


@pytest.mark.parametrize("canned", CANNED, ids=lambda c: c.name)
def test_docs_research_canned_query_in_readme(canned):
    row = re.search(rf"^\| `{canned.name}` \| ([^|]+) \| `([^`]+)` \|$", README, re.M)
    assert row, canned.name
    assert row.group(1).strip() == canned.title and row.group(2) == canned.command


def test_docs_research_sql_functions_in_readme():
    conn = register(sqlite3.connect(":memory:"))
    names = [r[0] for r in conn.execute("SELECT name FROM pragma_function_list WHERE name LIKE 'vn\\_%' ESCAPE '\\'")]
    assert len(set(names)) >= 13
    for name in set(names):
        assert f"`{name}(" in README, name


EXAMPLES = [line.strip() for line in README.splitlines()
            if re.match(r"\s*(\.venv/bin/)?python -m pipeline (query|serve|export)\b", line)
            and "--db " in line and "FILE" not in line]


@pytest.mark.parametrize("line", EXAMPLES)
def test_docs_research_readme_examples_parse(line):
    args = shlex.split(line.split("python -m pipeline ", 1)[1])
    command: click.Command = main
    while isinstance(command, click.Group):      # the groups take no options of their own
        command, args = command.commands[args[0]], args[1:]
    command.make_context(command.name, args)     # raises on an unknown option or a bad value


def test_docs_research_readme_walks_from_setup_to_the_browser():
    setup = next(line for line in README.splitlines() if "pip install -e ." in line and "pipeline serve" in line)
    assert "extract corpora/docs" in setup and "--db outputs/kb.sqlite" in setup
    assert "http://127.0.0.1:8001/" in README
    for shot in re.findall(r"\]\((docs/[^)]+\.png)\)", README):
        assert (ROOT / shot).is_file(), shot
    assert len(EXAMPLES) >= 15
