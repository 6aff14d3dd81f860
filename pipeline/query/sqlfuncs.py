"""SQL functions for Vietnamese questions, registered on every connection the query commands, the
exports and the web view open (Datasette's `prepare_connection`):

| function | returns |
|---|---|
| `vn_fold(s)` | `s` without tone marks, lower case, đ -> d |
| `vn_canon(s)` | `s` in one tone-mark convention, lower case |
| `vn_match(name, q)` | 1 when `name` answers `q` (see `pipeline.query.names`); 1 for an empty `q` |
| `vn_in_place(place, q)` | 1 when `place` is the place `q` or lies in it ("Vinh" in "Nghệ An"); 1 for an empty `q` |
| `vn_province(place)` | the province of a province, district or city name, or null |
| `vn_lat(place)`, `vn_lon(place)` | the map point of that province (gazetteers/province_points.tsv) |
| `vn_unit_is(unit, q)` | 1 when `unit` counts what `q` counts ("nguồn tin có giá trị" is a "nguồn tin") |
| `vn_period_lo(p)`, `vn_period_hi(p)` | first and last day of "2023", "2023-05" or "2021/2023" (ISO strings) |
| `vn_fts(q)` | the FTS5 MATCH expression for `q` (`pipeline.kb.text.fts_query`) |
| `vn_highlight(text, q)` | `text` with each hit of `q` between « and » |
| `vn_hit(text, q, 0 or 1)` | offset of the first hit's start (0) or end (1) in `text`, or null |

Every function is deterministic and cached, so SQLite computes one with constant arguments once.
"""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache

from pipeline.gazetteers import Gazetteers, default_gazetteers
from pipeline.kb.text import canonical, fold, fts_query, has_marks
from pipeline.keys import _FOLD
from pipeline.query.names import text_matches
from pipeline.query.places import places
from pipeline.units import units

_WORDS = re.compile(r"\w+", re.UNICODE)
_PERIOD = re.compile(r"^\s*(\d{4})(?:-(\d\d))?\s*(?:(?:/|-|–|\.\.|to)\s*(\d{4})(?:-(\d\d))?)?\s*$")
_LAST_DAY = {"02": "29", "04": "30", "06": "30", "09": "30", "11": "30"}
MARK_OPEN, MARK_CLOSE = "«", "»"


def period_bounds(p: str | None) -> tuple[str | None, str | None]:
    """("2021/2023") -> ("2021-01-01", "2023-12-31"); "2024-05" -> ("2024-05-01", "2024-05-31").

    >>> period_bounds("2021/2023"), period_bounds("2024-02")
    (('2021-01-01', '2023-12-31'), ('2024-02-01', '2024-02-29'))
    """
    m = _PERIOD.match(p or "")
    if not m:
        return None, None
    y1, m1, y2, m2 = m.groups()
    if y2 is None:
        y2, m2 = y1, m1
    lo = f"{y1}-{m1 or '01'}-01"
    hi = f"{y2}-{m2 or '12'}-{_LAST_DAY.get(m2 or '12', '31')}"
    return lo, hi


def valid_period(p: str) -> bool:
    return period_bounds(p)[0] is not None


def _folded_chars(text: str) -> str:
    """Lower case without tone marks, one character for one character (offsets stay valid)."""
    out = text.lower().translate(_FOLD)
    if len(out) != len(text):  # a character whose lower case is longer ("İ"): fold one by one
        out = "".join((c.lower() if len(c.lower()) == 1 else c).translate(_FOLD) for c in text)
    return out


@lru_cache(maxsize=4096)
def _hit_pattern(q: str) -> tuple[re.Pattern | None, str | None]:
    words = _WORDS.findall(fold(q))
    if not words:
        return None, None
    pattern = re.compile(r"(?<!\w)" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?!\w)")
    return pattern, (" ".join(_WORDS.findall(canonical(q))) if has_marks(q) else None)


def hits(text: str | None, q: str | None) -> list[tuple[int, int]]:
    """Spans of `q` in `text`: tones folded for a bare query, one tone convention for a toned one.

    >>> hits("Tại Hà Nội và huyện Hạ Lang", "ha"), hits("Tại Hà Nội và huyện Hạ Lang", "Hà")
    ([(4, 6), (20, 22)], [(4, 6)])
    """
    if not text or not q:
        return []
    pattern, toned = _hit_pattern(q)
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(_folded_chars(text)):
        if toned is None or " ".join(_WORDS.findall(canonical(text[m.start():m.end()]))) == toned:
            out.append((m.start(), m.end()))
    return out


def highlight(text: str | None, q: str | None) -> str | None:
    if text is None:
        return None
    out, last = [], 0
    for s, e in hits(text, q):
        out += [text[last:s], MARK_OPEN, text[s:e], MARK_CLOSE]
        last = e
    out.append(text[last:])
    return "".join(out)


def _hit(text: str | None, q: str | None, which: int) -> int | None:
    found = hits(text, q)
    return found[0][which] if found else None


def unit_is(unit: str | None, q: str | None, u) -> bool:
    """Does a figure's unit count what the user's unit counts? Toned: by the unit rules of
    pipeline.units; toneless: the same rule on toneless keys."""
    if not unit or not q:
        return False
    if has_marks(q):
        return u.same(q, unit) and len(u.key(q)) <= len(u.key(unit))
    k, qk = fold(u.key(unit)), fold(q)
    return k == qk or (k.startswith(qk + " ") and len(qk) >= len(fold(u.head(unit))))


def register(conn: sqlite3.Connection, gz: Gazetteers | None = None) -> sqlite3.Connection:
    """Add the vn_* functions to a connection (Datasette calls this for each of its connections)."""
    gz = gz or default_gazetteers()
    pl = places(gz)
    u = units(gz)

    @lru_cache(maxsize=65536)
    def unit_q(unit, q):
        return int(unit_is(unit, q, u))

    def fts(q):
        try:
            return fts_query(q or "")
        except ValueError:
            return 'folded : "\x01"'  # no words: a phrase no sentence holds, so nothing matches

    def point(place, i):
        p = pl.point(place)
        return p[i] if p else None

    funcs = {
        "vn_fold": (1, lambda s: fold(s) if s is not None else None),
        "vn_canon": (1, lambda s: canonical(s) if s is not None else None),
        "vn_match": (2, lambda name, q: 1 if not q else int(text_matches(name, q))),
        "vn_in_place": (2, lambda place, q: 1 if not q else int(pl.matches(place, q))),
        "vn_province": (1, pl.province_of),
        "vn_lat": (1, lambda place: point(place, 0)),
        "vn_lon": (1, lambda place: point(place, 1)),
        "vn_unit_is": (2, lambda unit, q: 1 if not q else unit_q(unit, q)),
        "vn_period_lo": (1, lambda p: period_bounds(p)[0]),
        "vn_period_hi": (1, lambda p: period_bounds(p)[1]),
        "vn_fts": (1, fts),
        "vn_highlight": (2, highlight),
        "vn_hit": (3, _hit),
    }
    for name, (n, f) in funcs.items():
        conn.create_function(name, n, f, deterministic=True)
    return conn
