"""Export a knowledge-base table, or the rows of a read-only query, to CSV or Parquet.

CSV: UTF-8, a header row, NULL as an empty field, whole floats written as integers (as `query`
prints them). Parquet through pyarrow: typed columns (a table's types from pipeline/kb/schema.py,
a query's from its values), each column's description from schema.py in the field metadata, and
written in batches so a table of millions of rows never sits in memory.
"""
from __future__ import annotations

import csv
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterator

from pipeline.kb.schema import TABLES
from pipeline.query import QueryError, connect
from pipeline.query.output import clean

BATCH = 10_000


class ExportError(ValueError):
    pass


def _rows(conn: sqlite3.Connection, sql: str) -> tuple[list[str], Iterator[list[tuple]]]:
    try:
        cur = conn.execute(sql)
    except sqlite3.DatabaseError as err:
        raise ExportError(str(err)) from None
    columns = [d[0] for d in cur.description or []]

    def batches():
        while True:
            rows = cur.fetchmany(BATCH)
            if not rows:
                return
            yield rows
    return columns, batches()


def _arrow_type(values: list[Any]):
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return None
    if kinds <= {int}:
        return pa.int64()
    if kinds <= {int, float}:
        return pa.float64()
    if kinds <= {bytes}:
        return pa.binary()
    return pa.string()


def _schema(columns: list[str], first: list[tuple], table: str | None):
    import pyarrow as pa

    from pipeline.web.metadata import FTS_COLUMNS

    declared = TABLES.get(table, ("", {}))[1] if table else {}
    described = {c: d for c, (_, d) in declared.items()} or (FTS_COLUMNS if table == "sentences_fts" else {})
    fields = []
    for i, c in enumerate(columns):
        if c in declared:
            t = {str: pa.string(), int: pa.int64(), float: pa.float64()}[declared[c][0]]
        else:
            t = _arrow_type([r[i] for r in first]) or pa.string()
        desc = described.get(c)
        fields.append(pa.field(c, t, metadata={"description": desc} if desc else None))
    return pa.schema(fields, metadata={"source": f"vnreport knowledge base, {'table ' + table if table else 'query'}"})


def _coerce(v: Any, t) -> Any:
    """A value in its column's type: SQLite lets a column hold any type."""
    import pyarrow as pa

    if v is None:
        return None
    if t == pa.string() and not isinstance(v, str):
        return str(v)
    if t == pa.int64() and isinstance(v, float):
        if not v.is_integer():
            raise ExportError(f"a column declared integer holds {v!r}: export it with --sql and CAST")
        return int(v)
    if t == pa.float64() and isinstance(v, (int, float)):
        return float(v)
    if t in (pa.int64(), pa.float64()) and isinstance(v, str):
        raise ExportError(f"a numeric column holds text {v!r}: export it with --sql and CAST")
    return v


def export(db_path: Path | str, out: Path | str, fmt: str, table: str | None = None, sql: str | None = None) -> int:
    """Write the rows; returns how many. The file appears whole or not at all (written beside
    it, then renamed)."""
    try:
        conn = connect(db_path, check=False)
    except QueryError as err:
        raise ExportError(str(err)) from None
    if table is not None:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        if table not in names:
            known = ", ".join(sorted(n for n in names if not n.startswith(("sqlite_", "sentences_fts_"))))
            raise ExportError(f"no table {table!r} in {db_path} (tables: {known})")
        sql = f"SELECT * FROM [{table}]"
    columns, batches = _rows(conn, sql)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.part")
    n = 0
    try:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(columns)
                for rows in batches:
                    w.writerows(["" if v is None else clean(v) for v in r] for r in rows)
                    n += len(rows)
        elif fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            writer = None
            schema = None
            for rows in batches:
                if schema is None:
                    schema = _schema(columns, rows, table)
                    writer = pq.ParquetWriter(tmp, schema)
                arrays = [pa.array([_coerce(r[i], f.type) for r in rows], type=f.type) for i, f in enumerate(schema)]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                n += len(rows)
            if writer is None:  # no rows: still a valid file with the columns
                schema = _schema(columns, [], table)
                writer = pq.ParquetWriter(tmp, schema)
            writer.close()
        else:
            raise ExportError(f"unknown format {fmt!r} (csv or parquet)")
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
        conn.close()
    return n
