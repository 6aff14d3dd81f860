"""Shared fixtures. `../shared` (seeds, dev, gold) is optional: tests that need it skip cleanly."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = ROOT / "corpora"


def shared_dir(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent (../shared is optional)")
    return p


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return shared_dir("seeds")


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    return shared_dir("dev")


@pytest.fixture(scope="session")
def shared_gold() -> Path:
    return shared_dir("gold")


def shared_texts(kind: str) -> list[Path]:
    p = SHARED / kind
    return sorted(p.glob("*.txt")) if p.exists() else []


@pytest.fixture(scope="session")
def analyse_text(tmp_path_factory):
    """Run the whole pipeline on a string (written to a UTF-8 .txt) and return the Analysis."""
    from pipeline.process import analyse

    base = tmp_path_factory.mktemp("docs")
    counter = iter(range(10**6))

    def run(text: str):
        p = base / f"doc{next(counter)}.txt"
        p.write_text(text, encoding="utf-8")
        return analyse(p)

    return run


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
