"""The questions on a knowledge base of the team corpus with the shared seed and dev reports (when
../shared is there): every official, figure and document the knowledge base holds is found again
by the command and the canned query that answer its question. The expected rows are read from the
knowledge base itself, so no text of the shared reports is copied here."""
from __future__ import annotations

import asyncio
import json
import sqlite3
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.kb.build import build
from pipeline.kb.text import fold
from pipeline.query.output import clean
from tests.conftest import GZ


@pytest.fixture(scope="module")
def all_kb(extracted, tmp_path_factory):
    dirs = [extracted("corpora"), extracted("seeds"), extracted("dev")]   # skips without ../shared
    db = tmp_path_factory.mktemp("all-kb") / "kb.sqlite"
    build(db, dirs, GZ)
    return db


@pytest.fixture(scope="module")
def site(all_kb):
    from pipeline.web.server import make_datasette, start

    ds = make_datasette(all_kb)
    asyncio.run(start(ds))
    return lambda path: asyncio.run(ds.client.get(path))


def ask(db, *args: str) -> tuple[int, list[dict]]:
    r = CliRunner().invoke(main, ["query", *args, "--db", str(db), "--format", "json"])
    assert "Traceback" not in r.output
    return r.exit_code, json.loads(r.stdout) if r.stdout.strip() else []


def test_query_shared_every_official_with_a_post_is_found_by_its_toneless_name(all_kb, site):
    db = sqlite3.connect(all_kb)
    officials = db.execute("SELECT DISTINCT e.entity_id, e.name FROM entities e JOIN positions p USING (entity_id) "
                           "ORDER BY e.entity_id").fetchall()
    assert len(officials) > 40
    for eid, name in officials:
        code, rows = ask(all_kb, "officials", fold(name))
        if code == 1:      # another official's name folds the same: listed among the candidates
            assert eid in {c["entity_id"] for c in rows}, name
            continue
        assert code == 0 and eid in {r["entity_id"] for r in rows}, name
        web = site(f"/{all_kb.stem}/officials.json?_shape=array&{urlencode({'name': fold(name)})}").json()
        assert eid in {r["entity_id"] for r in web}, name


def test_query_shared_every_figure_is_found_by_its_place_unit_and_period(all_kb):
    db = sqlite3.connect(all_kb)
    figures = db.execute("SELECT outcome_id, place, unit_key, coalesce(period, year) FROM outcomes "
                         "WHERE place IS NOT NULL AND unit_key IS NOT NULL AND year IS NOT NULL "
                         "ORDER BY outcome_id").fetchall()
    assert len(figures) > 100
    for oid, place, unit, period in figures[::7]:
        args = ["outcomes", "--place", fold(place), "--unit", unit]
        if period and "/" not in str(period) and not str(period).startswith("X"):
            args += ["--period", str(period)[:7]]
        code, rows = ask(all_kb, *args)
        assert code == 0 and oid in {r["outcome_id"] for r in rows}, (oid, args)


def test_query_shared_every_document_is_found_by_words_of_its_title(all_kb, site):
    db = sqlite3.connect(all_kb)
    docs = db.execute("SELECT doc_id, title FROM documents WHERE title IS NOT NULL ORDER BY doc_id").fetchall()
    assert len(docs) > 20
    for doc_id, title in docs:
        words = fold(title).replace(":", " ").split()[:2]   # a title may run over two sentences
        code, rows = ask(all_kb, "search", " ".join(words))
        assert code == 0 and doc_id in {r["doc_id"] for r in rows}, title
    doc_id, title = docs[0]
    q = " ".join(fold(title).split()[:3])
    web = site(f"/{all_kb.stem}/search.json?_shape=array&{urlencode({'q': q})}").json()
    code, rows = ask(all_kb, "search", q)
    assert [{k: clean(v) for k, v in r.items()} for r in web] == rows


@pytest.mark.parametrize("command, canned", [("programs", "programs"), ("agencies", "agencies"),
                                             ("documents", "legal_documents"), ("outcomes", "outcomes_reported")])
def test_query_shared_commands_and_canned_queries_agree(all_kb, site, command, canned):
    code, rows = ask(all_kb, command)
    web = site(f"/{all_kb.stem}/{canned}.json?_shape=array").json()
    assert code == 0 and rows
    assert [{k: clean(v) for k, v in r.items()} for r in web] == rows[:1000]
