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


DOC_SETS = {"corpora": CORPORA / "docs", "seeds": SHARED / "seeds", "dev": SHARED / "dev",
            "dev_domains": SHARED / "dev_domains"}


@pytest.fixture(scope="session")
def extracted(nlp, tmp_path_factory):
    """extracted(set name) -> folder of <stem>.json outputs, each set extracted once per test run
    (with stage contracts checked). Sets of ../shared skip when it is absent."""
    from pipeline.readers import format_of

    done: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in done:
            src = DOC_SETS[name]
            if not src.exists():
                pytest.skip(f"{src} is absent (../shared is optional)")
            out = tmp_path_factory.mktemp(f"out-{name}")
            for f in sorted(src.iterdir()):
                if f.is_file() and format_of(f):
                    (out / f"{f.stem}.json").write_text(nlp.run_file(f).model_dump_json(), encoding="utf-8")
            done[name] = out
        return done[name]

    return get


@pytest.fixture(scope="session")
def seed_documents(extracted) -> dict:
    """Each seed report through the whole pipeline once per test run: {file stem: Document}."""
    from pipeline.model import Document

    return {p.stem: Document.model_validate_json(p.read_text(encoding="utf-8"))
            for p in sorted(extracted("seeds").glob("*.json"))}


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def research_kb(extracted, tmp_path_factory) -> Path:
    """A knowledge base of the team corpus, built once per test run, for the query, web and
    export tests (they only read it)."""
    from pipeline.kb.build import build

    db = tmp_path_factory.mktemp("research-kb") / "kb.sqlite"
    build(db, [extracted("corpora")], GZ)
    return db
