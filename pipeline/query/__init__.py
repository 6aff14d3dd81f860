"""Answers to researchers' questions over a knowledge base (`python -m pipeline query …`).

Who held which post, when (`officials`); which programme reported what outcome, where and when
(`outcomes`, `totals`); programmes, agencies and legal documents; what the archives say about
something (`search`); and read-only SQL (`sql`). Each function returns a `Result` whose rows carry
the document and span they come from. The SQL is shared with the web view's canned queries
(`pipeline.query.questions`); names typed by a user are resolved to entities first
(`pipeline.query.names`), and an ambiguous one raises `Ambiguous` with the candidates.

    kb = connect("outputs/kb.sqlite")
    officials(kb, "tran quoc to").dicts()   # [{"official": "Trần Quốc Tỏ", "post": …, "doc_id": …}]
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.gazetteers import Gazetteers, default_gazetteers
from pipeline.query import questions as q
from pipeline.query.names import Ambiguous, NotFound, resolve  # noqa: F401  (re-exported)
from pipeline.query.places import places
from pipeline.query.sqlfuncs import register, valid_period

NEEDED = ("documents", "entities", "mentions", "positions", "outcomes", "sentences_fts")


class QueryError(ValueError):
    """A question that cannot be asked as written (a bad period, SQL that writes, a missing file)."""


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    notes: list[str] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r)) for r in self.rows]


READ_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
                "table_list", "function_list", "pragma_list", "module_list", "collation_list", "database_list"}


def _read_only(action: int, arg1, arg2, db_name, trigger) -> int:
    """SQLite authorizer. The file is opened read-only, so nothing in it can be written; this also
    refuses ATTACH (which could open another file for writing) and pragmas that set a value."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and arg1 not in READ_PRAGMAS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def connect(db_path: Path | str, gz: Gazetteers | None = None, check: bool = True) -> sqlite3.Connection:
    """A read-only connection with the vn_* SQL functions."""
    path = Path(db_path)
    if not path.is_file():
        raise QueryError(f"{path}: no such file (build one with `python -m pipeline kb build`)")
    conn = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=ro", uri=True, check_same_thread=False)
    register(conn, gz)
    if check:
        try:
            have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as err:
            raise QueryError(f"{path}: not a SQLite file ({err})") from None
        missing = [t for t in NEEDED if t not in have]
        if missing:
            raise QueryError(f"{path}: not a knowledge base (no {', '.join(missing)}): build one with "
                             f"`python -m pipeline kb build`")
    conn.set_authorizer(_read_only)
    return conn


def run(conn: sqlite3.Connection, sql: str, params: dict[str, Any] | None = None,
        limit: int | None = None) -> Result:
    try:
        cur = conn.execute(sql, params or {})
        rows = cur.fetchmany(limit) if limit is not None else cur.fetchall()
    except sqlite3.DatabaseError as err:
        msg = str(err)
        if msg == "not authorized":
            msg += " (the knowledge base is read-only: no ATTACH, no pragma that sets a value)"
        raise QueryError(msg) from None
    return Result([d[0] for d in cur.description or []], rows)


def _params(names: list[str], given: dict[str, str | None]) -> dict[str, str]:
    return {n: (given.get(n) or "") for n in names}


def _resolve_into(conn, params: dict, resolved: set, param: str, kind: str, place: str | None,
                  gz: Gazetteers | None) -> None:
    text = params.get(param)
    if not text:
        return
    pl = places(gz or default_gazetteers())
    place_ok = None
    if place:
        place_ok = lambda p, name: pl.matches(p, place) or pl.bare(place) in pl.bare(name)  # noqa: E731
    params[f"{param}_ids"] = json.dumps(resolve(conn, kind, text, place_ok))
    resolved.add(param)


def _check_period(period: str | None) -> None:
    if period and not valid_period(period):
        raise QueryError(f"period {period!r}: write YYYY, YYYY-MM or YYYY/YYYY")


def officials(conn, name: str | None = None, place: str | None = None, agency: str | None = None,
              when: str | None = None, limit: int | None = None, gz: Gazetteers | None = None) -> Result:
    """Each official's posts over time: earliest and latest report of each post, and the reports."""
    if when and not valid_period(when) or (when and "/" in when):
        raise QueryError(f"when {when!r}: write YYYY or YYYY-MM")
    params = _params(["name", "place", "agency", "when"], locals())
    resolved: set[str] = set()
    _resolve_into(conn, params, resolved, "name", "official", place, gz)
    _resolve_into(conn, params, resolved, "agency", "agency", place, gz)
    return run(conn, q.officials(frozenset(resolved)), params, limit)


def _outcome_params(conn, given: dict, gz) -> tuple[dict, frozenset[str]]:
    _check_period(given.get("period"))
    params = _params(["program", "agency", "place", "period", "unit", "document"], given)
    resolved: set[str] = set()
    for param, kind in (("program", "program"), ("agency", "agency"), ("document", "legal_document")):
        _resolve_into(conn, params, resolved, param, kind, given.get("place"), gz)
    return params, frozenset(resolved)


def outcomes(conn, program: str | None = None, agency: str | None = None, place: str | None = None,
             period: str | None = None, unit: str | None = None, document: str | None = None,
             limit: int | None = None, gz: Gazetteers | None = None) -> Result:
    """Every figure reported, with its hedge, period, place, programme and sentence."""
    params, resolved = _outcome_params(conn, locals(), gz)
    return run(conn, q.outcomes(resolved), params, limit)


def totals(conn, program: str | None = None, agency: str | None = None, place: str | None = None,
           period: str | None = None, unit: str | None = None, document: str | None = None,
           limit: int | None = None, gz: Gazetteers | None = None) -> Result:
    """Comparable figures added up, and the ones that could not be, with the reason."""
    params, resolved = _outcome_params(conn, locals(), gz)
    res = run(conn, q.totals(resolved), params, limit)
    left = sum(1 for r in res.rows if r[res.columns.index("not_added")])
    if left:
        res.notes.append(f"{left} figure(s) not added: see the not_added column")
    return res


def programs(conn, name: str | None = None, place: str | None = None, limit: int | None = None,
             gz: Gazetteers | None = None) -> Result:
    params = _params(["name", "place"], locals())
    resolved: set[str] = set()
    _resolve_into(conn, params, resolved, "name", "program", place, gz)
    return run(conn, q.programs(frozenset(resolved)), params, limit)


def agencies(conn, name: str | None = None, place: str | None = None, level: str | None = None,
             limit: int | None = None, gz: Gazetteers | None = None) -> Result:
    params = _params(["name", "place", "level"], locals())
    resolved: set[str] = set()
    _resolve_into(conn, params, resolved, "name", "agency", place, gz)
    return run(conn, q.agencies(frozenset(resolved)), params, limit)


def legal_documents(conn, name: str | None = None, issuer: str | None = None, limit: int | None = None,
                    gz: Gazetteers | None = None) -> Result:
    params = _params(["name", "issuer"], locals())
    resolved: set[str] = set()
    _resolve_into(conn, params, resolved, "name", "legal_document", None, gz)
    return run(conn, q.legal_documents(frozenset(resolved)), params, limit)


def search(conn, text: str, limit: int | None = None) -> Result:
    """Every sentence that says `text`, newest report first, the hit between « and »."""
    from pipeline.kb.text import fts_query

    try:
        fts_query(text)
    except ValueError as err:
        raise QueryError(str(err)) from None
    return run(conn, q.search(limit), {"q": text})


def sql(conn, statement: str, params: dict[str, Any] | None = None, limit: int | None = None) -> Result:
    """Any read-only SQL (the vn_* functions included); a statement that writes is refused."""
    return run(conn, statement, params or {}, limit)
