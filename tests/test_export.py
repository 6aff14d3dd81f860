"""`python -m pipeline export`: tables and queries to CSV and Parquet, the same rows as SQLite holds,
columns typed and described."""
from __future__ import annotations

import csv
import sqlite3

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.kb.schema import TABLES
from pipeline.query.output import clean


def export(*args: str):
    r = CliRunner().invoke(main, ["export", *args])
    assert "Traceback" not in r.output, r.output
    return r


def sqlite_rows(db, sql: str) -> tuple[list[str], list[tuple]]:
    cur = sqlite3.connect(db).execute(sql)
    return [d[0] for d in cur.description], cur.fetchall()


@pytest.mark.parametrize("table", ["outcomes", "positions", "entities", "documents", "sentences_fts"])
def test_export_parquet_holds_the_tables_rows_typed_and_described(research_kb, tmp_path, table):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / f"{table}.parquet"
    r = export(table, "--db", str(research_kb), "--format", "parquet", "--out", str(out))
    assert r.exit_code == 0, r.output
    t = pq.read_table(out)
    columns, rows = sqlite_rows(research_kb, f"SELECT * FROM [{table}]")
    assert t.column_names == columns and t.num_rows == len(rows) and f"{len(rows)} rows" in r.output
    got = [tuple(d[c] for c in columns) for d in t.to_pylist()]
    assert got == [tuple(float(v) if isinstance(v, int) and t.schema.field(c).type == "double" else v
                         for c, v in zip(columns, row)) for row in rows]
    declared = TABLES.get(table, ("", {}))[1]
    for c in columns:
        field = t.schema.field(c)
        assert field.metadata and field.metadata[b"description"]          # every column documented
        if c in declared:
            assert str(field.type) == {str: "string", int: "int64", float: "double"}[declared[c][0]]


def test_export_csv_holds_the_tables_rows(research_kb, tmp_path):
    out = tmp_path / "positions.csv"
    assert export("positions", "--db", str(research_kb), "--format", "csv", "--out", str(out)).exit_code == 0
    columns, rows = sqlite_rows(research_kb, "SELECT * FROM positions")
    with open(out, encoding="utf-8", newline="") as f:
        got = list(csv.reader(f))
    assert got[0] == columns
    assert got[1:] == [["" if v is None else str(clean(v)) for v in r] for r in rows]


def test_export_sql_to_csv_and_parquet_hold_the_same_rows(research_kb, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    sql = "SELECT text, value, unit, vn_province(place) AS province FROM outcomes WHERE vn_in_place(place, 'nghe an')"
    export("--sql", sql, "--db", str(research_kb), "--format", "csv", "--out", str(tmp_path / "q.csv"))
    export("--sql", sql, "--db", str(research_kb), "--format", "parquet", "--out", str(tmp_path / "q.parquet"))
    with open(tmp_path / "q.csv", encoding="utf-8", newline="") as f:
        as_csv = list(csv.DictReader(f))
    as_parquet = pq.read_table(tmp_path / "q.parquet").to_pylist()
    assert as_csv and {r["province"] for r in as_csv} == {"Nghệ An"}
    assert as_csv == [{k: "" if v is None else str(clean(v)) for k, v in r.items()} for r in as_parquet]


@pytest.mark.parametrize("args, message", [
    (["no_such_table", "--format", "csv"], "no table 'no_such_table'"),
    (["--sql", "DELETE FROM outcomes", "--format", "csv"], "readonly"),
    (["outcomes", "--sql", "SELECT 1", "--format", "csv"], "one of the two"),
    (["--format", "csv"], "one of the two"),
])
def test_export_refuses_clearly(research_kb, tmp_path, args, message):
    out = tmp_path / "x.csv"
    r = export(*args, "--db", str(research_kb), "--out", str(out))
    assert r.exit_code != 0 and message in r.output
    assert not out.exists() and not list(tmp_path.glob(".*part"))     # nothing half-written


def test_export_empty_result_is_a_valid_file(research_kb, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "none.parquet"
    r = export("--sql", "SELECT doc_id, title FROM documents WHERE 0", "--db", str(research_kb), "--format", "parquet",
               "--out", str(out))
    assert r.exit_code == 0 and pq.read_table(out).column_names == ["doc_id", "title"]
