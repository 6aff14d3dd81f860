"""Shared fixtures. `../shared` (seeds, dev, gold) is optional: tests that need it skip cleanly."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.gazetteers import Gazetteers

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = ROOT / "corpora"
GZ = Gazetteers(ROOT / "gazetteers")  # the project's data, one object for every test


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
def nlp():
    """The whole pipeline, assembled once, with stage contracts checked on every run."""
    from pipeline.assembly import Pipeline

    return Pipeline(gazetteers=GZ, check=True)


@pytest.fixture(scope="session")
def analyse_text(nlp):
    """Run the whole pipeline on a string and return the Analysis."""
    from pipeline.assembly import text_document

    return lambda text: nlp.analyse(text_document(text))


@pytest.fixture(scope="session")
def seed_documents(nlp) -> dict:
    """Each seed report through the whole pipeline once per test run: {file stem: Document}."""
    return {p.stem: nlp.run_file(p) for p in sorted(shared_dir("seeds").glob("*.txt"))}


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
