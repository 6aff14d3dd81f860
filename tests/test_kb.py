"""The knowledge base: contract relations, incremental and idempotent builds, search, resolution."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.kb.build import build
from pipeline.kb.text import fts_query
from tests.conftest import GZ, ROOT

CONTRACT = {
    "documents": {"doc_id", "path", "title", "published", "outlet"},
    "entities": {"entity_id", "kind", "name", "canonical"},
    "mentions": {"entity_id", "doc_id", "start", "end"},
    "positions": {"entity_id", "position", "doc_id", "as_of"},
    "outcomes": {"outcome_id", "doc_id", "start", "end", "text", "value", "unit", "qualifier", "period", "place",
                 "agency_id", "program_id", "legal_document_id", "sentence"},
    "sentences_fts": {"doc_id", "start", "end", "text"},
}


def dump(db_path: Path) -> dict[str, list]:
    """Every table's rows, sorted: two databases with equal dumps hold the same facts."""
    db = sqlite3.connect(db_path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                                       "'sentences_fts_%' AND name NOT LIKE 'sqlite_%'")]
    out = {t: sorted(map(repr, db.execute(f"SELECT * FROM [{t}]"))) for t in tables}
    db.close()
    return out


def write_docs(nlp, folder: Path, texts: dict[str, str | tuple[str, dict]]) -> Path:
    """Extract each text (named like a file) into folder/<name>.json, as `extract` would."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, t in texts.items():
        text, meta = (t, {}) if isinstance(t, str) else t
        doc = nlp.run_text(text, meta, path=f"archive/{name}.txt")
        (folder / f"{name}.json").write_text(doc.model_dump_json(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus_kb(extracted, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    build(db, [extracted("corpora")], GZ)
    return db


def test_kb_contract_relations_have_their_columns(corpus_kb):
    db = sqlite3.connect(corpus_kb)
    for table, columns in CONTRACT.items():
        got = {r[1] for r in db.execute(f"PRAGMA table_info([{table}])")}
        assert columns <= got, (table, columns - got)
        assert db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0] > 0, table


def test_kb_every_outcome_has_document_offsets_sentence_and_raw_offsets(corpus_kb):
    db = sqlite3.connect(corpus_kb)
    texts = dict(db.execute("SELECT doc_id, text FROM document_texts"))
    rows = db.execute("SELECT doc_id, start, end, text, sentence, sentence_start, sentence_end, raw_start, raw_end "
                      "FROM outcomes").fetchall()
    assert rows
    for doc_id, s, e, text, sentence, ss, se, rs, re_ in rows:
        assert texts[doc_id][s:e] == text and texts[doc_id][ss:se] == sentence and text in sentence
        assert rs is not None and re_ is not None and re_ > rs


def test_kb_mentions_and_positions_point_into_their_documents(corpus_kb):
    db = sqlite3.connect(corpus_kb)
    texts = dict(db.execute("SELECT doc_id, text FROM document_texts"))
    for doc_id, s, e, text, eid in db.execute("SELECT doc_id, start, end, text, entity_id FROM mentions"):
        assert texts[doc_id][s:e] == text and eid
    assert db.execute("SELECT count(*) FROM positions WHERE entity_id IS NULL").fetchone()[0] == 0
    kinds = dict(db.execute("SELECT entity_id, kind FROM entities"))
    for (eid,) in db.execute("SELECT agency_id FROM outcomes WHERE agency_id IS NOT NULL"):
        assert kinds[eid] == "agency"


def test_kb_building_twice_changes_nothing(extracted, tmp_path):
    db = tmp_path / "kb.sqlite"
    n = len(list(extracted("corpora").glob("*.json")))
    first = build(db, [extracted("corpora")], GZ)
    before = dump(db)
    again = build(db, [extracted("corpora")], GZ)
    assert (first.added, again.added, again.unchanged) == (n, 0, n)
    assert dump(db) == before


def test_kb_same_document_by_two_folders_is_loaded_once(extracted, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(extracted("corpora"), a)
    shutil.copytree(extracted("corpora"), b)
    one = tmp_path / "one.sqlite"
    two = tmp_path / "two.sqlite"
    n = len(list(a.glob("*.json")))
    build(one, [a], GZ)
    summary = build(two, [a, b], GZ)
    assert summary.documents == n and summary.unchanged == n
    assert dump(one)["entities"] == dump(two)["entities"]
    assert sqlite3.connect(two).execute("SELECT count(DISTINCT json_path) FROM document_paths").fetchone()[0] == 2 * n


def test_kb_changed_file_replaces_exactly_its_document(nlp, tmp_path):
    texts = {"a": "Tin\n\nNgày 2/3/2024, Công an tỉnh Lai Châu đã bắt giữ 12 đối tượng.",
             "b": "Tin\n\nNgày 5/3/2024, Hội LHPN tỉnh Sơn La đã trao 35 suất quà."}
    out = write_docs(nlp, tmp_path / "out", texts)
    db = tmp_path / "kb.sqlite"
    build(db, [out], GZ)
    before = sqlite3.connect(db)
    b_rows = before.execute("SELECT * FROM outcomes WHERE text LIKE '%suất quà%'").fetchall()
    before.close()
    write_docs(nlp, out, {"a": "Tin\n\nNgày 2/3/2024, Công an tỉnh Lai Châu đã bắt giữ 15 đối tượng."})
    summary = build(db, [out], GZ)
    assert (summary.added, summary.replaced, summary.unchanged, summary.documents) == (0, 1, 1, 2)
    after = sqlite3.connect(db)
    assert [r[0] for r in after.execute("SELECT value FROM outcomes WHERE unit = 'đối tượng'")] == [15]
    assert after.execute("SELECT * FROM outcomes WHERE text LIKE '%suất quà%'").fetchall() == b_rows
    # the old sentences left the full-text index with their document, and only they did
    indexed = sorted(after.execute('SELECT doc_id, start, "end", text FROM sentences_fts'))
    expected = []
    for f in sorted(out.glob("*.json")):
        doc = json.loads(f.read_text(encoding="utf-8"))
        expected += [(doc["id"], s["start"], s["end"], doc["text"][s["start"]:s["end"]]) for s in doc["sentences"]]
    assert indexed == sorted(expected)
    assert [r[0] for r in after.execute(
        "SELECT text FROM sentences_fts WHERE sentences_fts MATCH ?", [fts_query("bắt giữ")])] == [
        "Ngày 2/3/2024, Công an tỉnh Lai Châu đã bắt giữ 15 đối tượng."]


def test_kb_build_leaves_every_index_in_place(corpus_kb):
    """Resolution drops the indexes of the columns it rewrites while it writes them: all are back."""
    from pipeline.kb import schema
    db = sqlite3.connect(corpus_kb)
    have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    want = {schema.index_name(t, cols) for t, ixs in schema.INDEXES.items() for cols in ixs}
    assert want <= have
    assert all(cols in schema.INDEXES[t] for t, ixs in schema.RESOLVED_COLUMNS.items() for cols in ixs)


def _many_documents(extracted, folder: Path, copies: int) -> Path:
    """Copies of the corpus outputs as distinct documents (distinct ids and paths)."""
    folder.mkdir()
    src = sorted(extracted("corpora").glob("*.json"))
    for k in range(copies):
        for f in src:
            d = json.loads(f.read_text(encoding="utf-8"))
            d["id"] = f"{k:04d}{d['id'][4:]}"
            d["source"]["path"] = f"copy{k}/{d['source']['path']}"
            (folder / f"{k:04d}-{f.name}").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    return folder


def test_kb_killed_build_then_rerun_equals_an_uninterrupted_build(extracted, tmp_path):
    docs = _many_documents(extracted, tmp_path / "docs", 16)
    whole = tmp_path / "whole.sqlite"
    build(whole, [docs], GZ)
    killed = tmp_path / "killed.sqlite"
    cmd = [sys.executable, "-m", "pipeline", "kb", "build", str(docs), "--db", str(killed), "--no-progress",
           "--commit-every", "20"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    loaded = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(f"file:{killed}?mode=ro", uri=True, timeout=0.05) as c:
                loaded = c.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            loaded = 0
        if loaded >= 40:
            break
        time.sleep(0.02)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert loaded < 16 * len(list(extracted("corpora").glob("*.json"))), \
        "the build finished before it could be killed: make the input larger"
    summary = build(killed, [docs], GZ)
    assert summary.unchanged >= 40
    assert dump(killed) == dump(whole)


@pytest.fixture(scope="module")
def search_kb(nlp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    write_docs(nlp, folder / "out", {
        "hoa": "Tin\n\nĐoàn công tác làm việc tại tỉnh Thanh Hoá và xã Hoà Bình.",
        "hanoi": "Tin\n\nHội nghị diễn ra tại Hà Nội với 200 đại biểu.",
        "ha": "Tin\n\nCông trình ở huyện Hạ Lang đã hoàn thành.",
        "dong": "Tin\n\nĐồng Tháp đã trao 30 suất học bổng.",
    })
    db = folder / "kb.sqlite"
    build(db, [folder / "out"], GZ)
    return sqlite3.connect(db)


def _found(db, query: str) -> set[str]:
    rows = db.execute("SELECT d.path FROM sentences_fts f JOIN documents d ON d.doc_id = f.doc_id "
                      "WHERE sentences_fts MATCH ?", [fts_query(query)])
    return {Path(r[0]).stem for r in rows}


@pytest.mark.parametrize("query, found, not_found", [
    ("Hòa Bình", {"hoa"}, set()),          # the other tone placement of "Hoà Bình"
    ("Thanh Hóa", {"hoa"}, set()),
    ("ha noi", {"hanoi"}, set()),          # no tone marks: tones folded
    ("Hà Nội", {"hanoi"}, set()),
    ("Hà", {"hanoi"}, {"ha"}),             # "Hà" never finds "Hạ"
    ("ha", {"hanoi", "ha"}, set()),        # a bare query finds both
    ("dong thap", {"dong"}, set()),        # đ folds to d
    ("Đông", set(), {"dong"}),             # "Đông" is not "Đồng"
])
def test_kb_search_finds_vietnamese_with_or_without_tone_marks(search_kb, query, found, not_found):
    got = _found(search_kb, query)
    assert found <= got and not (not_found & got), got


def test_kb_raw_fts_match_works_on_written_and_folded_text(search_kb):
    hits = search_kb.execute("SELECT doc_id FROM sentences_fts WHERE sentences_fts MATCH 'ha noi'").fetchall()
    assert hits and search_kb.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'Hà'"
                                      ).fetchone()[0] == 1


def test_kb_skips_what_is_not_a_document(extracted, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(extracted("corpora"), out)
    (out / "_extract_report.jsonl").write_text("{}\n", encoding="utf-8")
    (out / "notes.json").write_text('{"hello": 1}', encoding="utf-8")
    (out / "broken.json").write_text('{"id": ', encoding="utf-8")
    seen = []
    summary = build(tmp_path / "kb.sqlite", [out], GZ, on_skip=lambda p, r: seen.append(Path(p).name))
    assert sorted(seen) == ["broken.json", "notes.json"]
    assert summary.added == len(list(extracted("corpora").glob("*.json")))


@pytest.mark.parametrize("value, written, read_back", [
    ({"b": "Hà Nội", "a": None}, '{"a":null,"b":"Hà Nội"}', {"a": None, "b": "Hà Nội"}),
    # past 64 bits: the standard library writes it; read back as a float, as SQLite would store it
    ({"n": 10 ** 30}, '{"n": 1000000000000000000000000000000}', {"n": 1e30}),
])
def test_kb_details_json_sorted_whatever_the_values(value, written, read_back):
    from pipeline.kb.load import dumps_sorted, loads
    assert dumps_sorted(value) == written
    assert loads(written.encode("utf-8")) == read_back


@pytest.mark.parametrize("data, error", [
    (b'{"id": 1', ValueError),           # truncated: the standard library's JSONDecodeError, as before
    (b'{"t": "\xff"}', UnicodeDecodeError),  # not UTF-8
])
def test_kb_unreadable_json_fails_with_the_standard_error(data, error):
    from pipeline.kb.load import loads
    with pytest.raises(error):
        loads(data)


@pytest.mark.parametrize("keep_time, unchanged, skipped", [
    (True, 2, 0),    # same size and time: not read again (the garbage inside is never seen)
    (False, 1, 1),   # a new time: read again, and found not to be a document
])
def test_kb_rebuild_reads_only_json_whose_size_or_time_changed(nlp, tmp_path, keep_time, unchanged, skipped):
    out = write_docs(nlp, tmp_path / "out", {
        "a": "Tin\n\nNgày 2/3/2024, Công an tỉnh Lai Châu đã bắt giữ 12 đối tượng.",
        "b": "Tin\n\nNgày 5/3/2024, Hội LHPN tỉnh Sơn La đã trao 35 suất quà."})
    db = tmp_path / "kb.sqlite"
    build(db, [out], GZ)
    f = out / "a.json"
    st = f.stat()
    f.write_bytes(b"x" * st.st_size)
    if keep_time:
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    else:
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    summary = build(db, [out], GZ)
    assert (summary.unchanged, len(summary.skipped)) == (unchanged, skipped)
