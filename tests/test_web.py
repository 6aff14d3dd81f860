"""The web view: every page, facet and canned query through Datasette's test client, rows linked to
their source spans, the document page, the archive search, and `serve` as one in-process server."""
from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.kb.schema import TABLES
from pipeline.query.output import clean
from pipeline.query.questions import CANNED
from pipeline.web.metadata import FACETS, metadata
from tests.conftest import GZ, ROOT


@pytest.fixture(scope="module")
def site(research_kb):
    """get(path) -> httpx response, from a Datasette built as `serve` builds it."""
    from pipeline.web.server import make_datasette, start

    ds = make_datasette(research_kb)
    asyncio.run(start(ds))
    return lambda path: asyncio.run(ds.client.get(path))


@pytest.fixture(scope="module")
def db_name(research_kb) -> str:
    return research_kb.stem


def get_json(site, path: str):
    r = site(path)
    assert r.status_code == 200, (path, r.text[:500])
    return r.json()


def cleaned(rows: list[dict]) -> list[dict]:
    return [{k: clean(v) for k, v in r.items()} for r in rows]


# --- home, tables, metadata, facets -----------------------------------------------------------

def test_web_home_page_has_one_search_box_and_the_questions(site, db_name):
    r = site("/")
    assert r.status_code == 200
    assert 'action="/-/find"' in r.text and 'name="q"' in r.text
    for c in CANNED:
        assert f'href="/{db_name}/{c.name}"' in r.text


TABLE_NAMES = sorted(TABLES) + ["sentences_fts"]


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_web_every_table_page_renders_described_with_json_and_csv(site, db_name, table):
    meta = metadata(db_name)["databases"][db_name]["tables"][table]
    r = site(f"/{db_name}/{table}")
    assert r.status_code == 200
    assert meta["title"] in r.text
    data = get_json(site, f"/{db_name}/{table}.json?_shape=objects&_size=5")
    assert data["rows"], table
    r = site(f"/{db_name}/{table}.csv?_size=5")
    header = set(next(csv.reader(io.StringIO(r.text))))
    assert r.status_code == 200 and header - {"rowid"} == set(meta["columns"])


def test_web_metadata_describes_every_table_and_column(research_kb, db_name):
    tables = metadata(db_name)["databases"][db_name]["tables"]
    db = sqlite3.connect(research_kb)
    for table in TABLE_NAMES:
        meta = tables[table]
        assert meta["title"] and len(meta["description"]) > 20
        actual = [r[1] for r in db.execute(f"PRAGMA table_info([{table}])")]
        assert actual and all(meta["columns"].get(c) for c in actual), (table, set(actual) - set(meta["columns"]))


@pytest.mark.parametrize("table, facets", sorted(FACETS.items()))
def test_web_facets(site, db_name, table, facets):
    data = get_json(site, f"/{db_name}/{table}.json?_size=1&_extra=facet_results")
    results = data["facet_results"]
    results = results.get("results", results)  # the shape of Datasette 1.0 and of 0.65
    assert set(facets) <= set(results), results.keys()
    assert not data.get("facets_timed_out")


def test_web_facet_counts_add_up(site, db_name, research_kb):
    data = get_json(site, f"/{db_name}/entities.json?_size=1&_extra=facet_results")
    results = data["facet_results"].get("results", data["facet_results"])
    kinds = {f["value"]: f["count"] for f in results["kind"]["results"]}
    db = sqlite3.connect(research_kb)
    assert kinds == dict(db.execute("SELECT kind, count(*) FROM entities GROUP BY kind"))


# --- canned queries ---------------------------------------------------------------------------

# canned query, its form, the command that answers the same question, a fact the answer holds
CASES = [
    ("officials", {"name": "phan van loc"}, ["officials", "phan van loc"],
     lambda rows: [r["post"] for r in rows] == ["Giám đốc Công an tỉnh", "Ủy viên Ban Thường vụ Tỉnh ủy"]),
    ("officials", {"place": "thanh hoa", "when": "2023"}, ["officials", "--place", "thanh hoa", "--when", "2023"],
     lambda rows: {r["official"] for r in rows} == {"Hoàng Thị Mai Phương", "Lương Đình Nam", "Trịnh Văn Khải"}),
    ("outcomes_reported", {"program": "phu nu voi phap luat"}, ["outcomes", "--program", "phu nu voi phap luat"],
     lambda rows: {"trên 215.000 buổi tuyên truyền", "1.246 buổi tuyên truyền"} <= {r["figure"] for r in rows}),
    ("outcomes_reported", {"place": "Nghệ An", "period": "2024", "unit": "vụ"},
     ["outcomes", "--place", "Nghệ An", "--period", "2024", "--unit", "vụ"],
     lambda rows: [r["figure"] for r in rows] == ["1.318 vụ", "1.102 vụ"]),
    ("outcomes_reported", {"document": "Nghị định 105"}, ["outcomes", "--document", "Nghị định 105"],
     lambda rows: [r["figure"] for r in rows] == ["3.456 người", "ít nhất 95%"]),
    ("outcome_totals", {"unit": "lượt người"}, ["outcomes", "--unit", "lượt người", "--sum"],
     lambda rows: any(r["total"] and r["high"] is None for r in rows)),
    ("search", {"q": "ha tinh"}, ["search", "ha tinh"],
     lambda rows: rows and all("«Hà Tĩnh»" in r["hit"] for r in rows)),
    ("legal_documents", {"name": "chi thi 09"}, ["documents", "chi thi 09"],
     lambda rows: [(r["symbol"], r["issuer"]) for r in rows] == [("09/CT-TW", "Ban Bí thư")]),
    ("programs", {"name": "camera an ninh"}, ["programs", "camera an ninh"],
     lambda rows: [r["outcomes"] for r in rows] == [3]),
    ("agencies", {"level": "central"}, ["agencies", "--level", "central"],
     lambda rows: {"Bộ Công an", "Chính phủ"} <= {r["agency"] for r in rows}),
]


@pytest.mark.parametrize("name, form, command, holds", CASES, ids=[f"{c[0]}-{'-'.join(c[1])}" for c in CASES])
def test_web_canned_query_gives_the_commands_rows(site, db_name, research_kb, name, form, command, holds):
    rows = cleaned(get_json(site, f"/{db_name}/{name}.json?_shape=array&{urlencode(form)}"))
    assert rows and holds(rows)
    r = CliRunner().invoke(main, ["query", *command, "--db", str(research_kb), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == rows


def test_web_every_question_has_a_canned_query_and_a_command():
    queries = {c.name: c for c in CANNED}
    for question, command in (("officials", "officials"), ("outcomes_reported", "outcomes"), ("search", "search")):
        assert queries[question].command == f"query {command}"      # the three researchers' questions
    commands = set(main.commands["query"].commands)
    for c in CANNED:
        assert c.command.split()[1] in commands


@pytest.mark.parametrize("canned", CANNED, ids=lambda c: c.name)
def test_web_every_canned_query_runs_with_an_empty_form(site, db_name, canned):
    r = site(f"/{db_name}/{canned.name}")
    assert r.status_code == 200 and canned.title in r.text
    for p in canned.params:
        assert f'name="{p}"' in r.text                         # each parameter is a form field
    assert "Query interrupted" not in r.text and "error" not in r.text.lower().split("</h1>")[1][:400]


@pytest.mark.parametrize("name, form", [("outcomes_reported", {"place": "Hà Tĩnh"}), ("officials", {}), ("search", {"q": "mua bán người"})])
def test_web_canned_query_json_and_csv_hold_the_same_rows(site, db_name, name, form):
    query = urlencode(form)
    rows = get_json(site, f"/{db_name}/{name}.json?_shape=array&{query}")
    r = site(f"/{db_name}/{name}.csv?{query}")
    assert r.status_code == 200
    as_csv = list(csv.DictReader(io.StringIO(r.text)))
    assert as_csv == [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows]


def test_web_map_query_puts_provinces_at_their_points(site, db_name):
    rows = get_json(site, f"/{db_name}/outcomes_by_province.json?_shape=array")
    points = {r["name"]: (float(r["latitude"]), float(r["longitude"])) for r in GZ.tsv("province_points.tsv")}
    assert {"Nghệ An", "Hà Tĩnh", "Thanh Hóa"} <= {r["province"] for r in rows}
    for r in rows:
        assert (r["latitude"], r["longitude"]) == points[r["province"]]
    nghe_an = next(r for r in rows if r["province"] == "Nghệ An")
    assert "Quỳnh Lưu" in nghe_an["places"]                 # a district's figures are its province's
    assert "datasette-cluster-map" in site(f"/{db_name}/outcomes_by_province").text


# --- links to sources -------------------------------------------------------------------------

@pytest.mark.parametrize("name, form", [("outcomes_reported", {}), ("officials", {}), ("search", {"q": "ha tinh"}),
                                        ("programs", {}), ("agencies", {}), ("legal_documents", {})])
def test_web_every_answer_row_links_to_its_document_span(site, db_name, name, form):
    query = urlencode(form)
    rows = get_json(site, f"/{db_name}/{name}.json?_shape=array&{query}")
    page = site(f"/{db_name}/{name}?{query}").text
    assert rows
    for r in rows:
        if r["doc_id"] is None:
            continue
        link = f'/-/document/{r["doc_id"]}?start={r["start"]}&amp;end={r["end"]}#cited'
        assert link in page, link


def test_web_table_rows_link_to_document_span_and_entities(site, db_name, research_kb):
    page = site(f"/{db_name}/outcomes?_size=20").text
    first = sqlite3.connect(research_kb).execute(
        'SELECT doc_id, start, "end", agency_id FROM outcomes WHERE agency_id IS NOT NULL ORDER BY outcome_id LIMIT 1').fetchone()
    assert f"/-/document/{first[0]}?start={first[1]}&amp;end={first[2]}#cited" in page
    assert f'/{db_name}/entities/' in page


def test_web_document_page_highlights_every_mention_and_the_cited_span(site, research_kb):
    db = sqlite3.connect(research_kb)
    doc_id, start, end, text = db.execute('SELECT doc_id, start, "end", text FROM outcomes ORDER BY outcome_id LIMIT 1').fetchone()
    r = site(f"/-/document/{doc_id}?start={start}&end={end}")
    assert r.status_code == 200
    body = r.text
    cited = re.search(r'<(?:a|span) class="[^"]*vn-cited[^"]*" id="cited"[^>]*>([^<]*)<', body)
    assert cited and text.startswith(cited.group(1))
    data = get_json(site, f"/-/document/{doc_id}.json?start={start}&end={end}")
    mentions = db.execute("SELECT count(*) FROM mentions WHERE doc_id = ?", [doc_id]).fetchone()[0]
    figures = db.execute("SELECT count(*) FROM outcomes WHERE doc_id = ?", [doc_id]).fetchone()[0]
    assert len(data["spans"]) == mentions + figures and data["cited"]["text"] == text
    full = db.execute("SELECT text FROM document_texts WHERE doc_id = ?", [doc_id]).fetchone()[0]
    for s in data["spans"]:
        assert full[s["start"]:s["end"]]
    # every mention is marked: one mark at least per distinct span (a programme that is also a legal
    # text shares its span with it)
    distinct = {(s["start"], s["end"]) for s in data["spans"]}
    assert body.count('class="vn-mark') >= len(distinct)


@pytest.mark.parametrize("path, served", [("/-/document/0000000000000000", False), ("/-/document/..%2Fetc", False),
                                          ("/-/document/cb6d4ab460de56b5?start=5&end=2", True)])  # no span cited
def test_web_document_page_bad_requests(site, path, served):
    r = site(path)
    assert (r.status_code == 200) is served and ('id="cited"' not in r.text)


@pytest.mark.parametrize("q, found, absent", [("ha tinh", "«Hà Tĩnh»", None), ("Hà Tĩnh", "«Hà Tĩnh»", None),
                                              ("mua ban nguoi", "«mua bán người»", None), ("?!", None, "«")])
def test_web_find_page_searches_every_document_and_sentence(site, q, found, absent):
    r = site(f"/-/find?{urlencode({'q': q})}")
    assert r.status_code == 200
    if found:
        assert f"<mark>{found[1:-1]}</mark>" in r.text and "/-/document/" in r.text and "in context" in r.text
    if absent:
        assert "<mark>" not in r.text


def test_web_database_is_served_immutable(site, db_name):
    dbs = get_json(site, "/-/databases.json")
    mine = next(d for d in dbs if d["name"] == db_name)
    assert mine["is_mutable"] is False


# --- serve ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_pids(port: int) -> set[int]:
    """PIDs holding a listening socket on `port` (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if int(parts[1].rsplit(":", 1)[1], 16) == port and parts[3] == "0A":
                inodes.add(parts[9])
    pids = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}").removeprefix("socket:[").rstrip("]") in inodes:
                    pids.add(int(pid))
        except OSError:
            continue
    return pids


def start_server(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("serve did not answer within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_web_serve_is_one_command_one_process_read_only(research_kb):
    port = free_port()
    before = research_kb.stat().st_mtime_ns
    proc = start_server(research_kb, port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200 and b"/-/find" in r.read()
        if Path("/proc/net/tcp").exists():
            assert listening_pids(port) == {proc.pid}            # uvicorn runs in the serve process itself
    finally:
        stop_server(proc)
    assert research_kb.stat().st_mtime_ns == before


def test_web_serve_bad_database_is_one_line(tmp_path):
    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.sqlite")])
    assert r.exit_code == 1 and "no such file" in r.output and "Traceback" not in r.output


def test_web_database_and_row_pages(site, db_name, research_kb):
    r = site(f"/{db_name}")
    assert r.status_code == 200
    for c in CANNED:
        assert c.title in r.text
    from datasette.utils import tilde_encode

    db = sqlite3.connect(research_kb)
    for table, pk in (("entities", "entity_id"), ("outcomes", "outcome_id"), ("documents", "doc_id")):
        key = db.execute(f"SELECT {pk} FROM {table} ORDER BY {pk} LIMIT 1").fetchone()[0]
        page = site(f"/{db_name}/{table}/{tilde_encode(key)}")
        assert page.status_code == 200 and key in page.text
        assert get_json(site, f"/{db_name}/{table}/{tilde_encode(key)}.json")["rows"]
    outcome = db.execute('SELECT outcome_id, doc_id, start, "end" FROM outcomes ORDER BY outcome_id LIMIT 1').fetchone()
    page = site(f"/{db_name}/outcomes/{tilde_encode(outcome[0])}").text
    assert f"/-/document/{outcome[1]}?start={outcome[2]}&amp;end={outcome[3]}#cited" in page
