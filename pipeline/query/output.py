"""Rows out, as sqlite-utils prints them: a table for people, JSON, newline-delimited JSON or CSV
for programs. One cleaning rule for every format, so CSV and JSON of one query hold the same rows:
a whole float is written as an integer (13.0 -> 13), everything else as SQLite gave it."""
from __future__ import annotations

import csv
import json
from typing import IO, Any, Iterable, Sequence

FORMATS = ("table", "json", "jsonl", "csv")
WIDE = 48  # a long text column wraps at this width in a table


def clean(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:
        return int(v)
    if isinstance(v, bytes):
        return v.hex()
    return v


def dicts(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    return [{c: clean(v) for c, v in zip(columns, r)} for r in rows]


def write(columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, out: IO[str]) -> None:
    rows = [[clean(v) for v in r] for r in rows]
    if fmt == "json":
        out.write(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(dict(zip(columns, r)), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        w.writerows(["" if v is None else v for v in r] for r in rows)
    elif fmt == "table":
        from tabulate import tabulate

        if not rows:
            out.write("(no rows)\n")
            return
        long_cols = [i for i, c in enumerate(columns) if any(isinstance(r[i], str) and len(r[i]) > WIDE for r in rows)]
        widths = [WIDE if i in long_cols else None for i in range(len(columns))]
        out.write(tabulate(rows, headers=list(columns), tablefmt="simple", maxcolwidths=widths,
                           disable_numparse=True) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
