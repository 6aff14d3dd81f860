"""An archive's own catalogue: what it knows of each file that the text may not say.

Input: a CSV (with a header; a tab-separated file too) or JSONL file, one row per file: `file` (a
file name, or a path relative to the catalogue's folder) and any of `url`, `outlet`, `title`,
`published` (YYYY-MM-DD, YYYY-MM or YYYY). Output: for each input file its row's values, and a
list of problems, each a row number and a one-line reason: a row naming no input, two rows for one
file, a file name that fits several inputs, a value that cannot be read. Nothing is dropped
silently: a row with problems keeps the values that could be read.

The values fill what the text does not say (`Analysis` reads them through the raw document's
metadata under "catalog"); where the text says otherwise the text wins and the disagreement is
recorded in the document's `catalog` field.

>>> parse_published("2023-07-10"), parse_published("2023-07"), parse_published("10/07/2023")
('2023-07-10', '2023-07', '2023-07-10')
>>> parse_published("2019-04-20 (byline line)"), parse_published("mùa xuân")
('2019-04-20', None)
"""
from __future__ import annotations

import csv
import hashlib
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from pipeline.errors import PipelineError
from pipeline.extract.dates import dmy_value
from pipeline.keys import match_key

# column names as catalogues write them -> ours
ALIASES = {
    "file": "file", "path": "file", "filename": "file", "file_name": "file", "name": "file",
    "url": "url", "link": "url", "source_url": "url",
    "outlet": "outlet", "source": "outlet", "publisher": "outlet", "site": "outlet",
    "title": "title", "headline": "title",
    "published": "published", "date": "published", "publication_date": "published",
    "publication_date_if_known": "published", "pubdate": "published",
}
FIELDS = ("url", "outlet", "title", "published")
_NOTE = re.compile(r"\s*\([^()]*\)\s*$")  # "2023-07 (store metadata prefix)": a note after the value


def parse_published(value: str) -> str | None:
    """A catalogue's date as the contract writes dates (the precision given), else None."""
    v = _NOTE.sub("", value.strip())
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?", v)
    if m:
        y, mo, d = m.groups()
        if d:
            return _calendar(dmy_value(d, mo, y))
        if mo:
            return f"{y}-{int(mo):02d}" if 1 <= int(mo) <= 12 else None
        return y if 1800 <= int(y) <= 2200 else None
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", v)  # "10/07/2023": day first, as Vietnamese write it
    if m:
        return _calendar(dmy_value(*m.groups()))
    return None


def _calendar(iso: str | None) -> str | None:
    """A day that exists ("2023-02-31" does not)."""
    if iso is None:
        return None
    try:
        datetime.date.fromisoformat(iso)
    except ValueError:
        return None
    return iso


@dataclass
class Row:
    line: int                      # row number in the file (the header is row 1 of a CSV)
    file: str
    values: dict[str, str] = field(default_factory=dict)   # url, outlet, title, published (read)


@dataclass
class Problem:
    line: int | None
    reason: str

    def __str__(self) -> str:
        """The one-line report: "E402 catalog-row: sources.csv row 5: 201.txt: names no input file"."""
        return str(PipelineError("catalog-row", detail=self.reason))

    def located(self, catalog: Path) -> str:
        where = f"{catalog.name} row {self.line}: " if self.line is not None else f"{catalog.name}: "
        return str(PipelineError("catalog-row", detail=where + self.reason))


@dataclass
class Catalog:
    path: Path
    rows: list[Row]
    problems: list[Problem] = field(default_factory=list)
    by_input: dict[Path, Row] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "Catalog":
        """Read a catalogue. An unreadable file raises (E401); bad rows become problems."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise PipelineError("catalog-unreadable", detail=f": {err.strerror or err}") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PipelineError("catalog-unreadable", detail=": not UTF-8 text") from None
        cat = cls(path=path, rows=[])
        records = _jsonl(text, cat) if _looks_jsonl(path, text) else _csv(text, cat)
        for line, rec in records:
            cat._add(line, rec)
        return cat

    def _add(self, line: int, rec: dict[str, object]) -> None:
        cols = {ALIASES[k.strip().lower()]: v for k, v in rec.items()
                if isinstance(k, str) and k.strip().lower() in ALIASES}
        name = str(cols.get("file") or "").strip()
        if not name:
            self.problems.append(Problem(line, "no file named (a `file` column is needed)"))
            return
        row = Row(line, name)
        for f in FIELDS:
            raw = cols.get(f)
            if raw is None or str(raw).strip() == "":
                continue
            value = str(raw).strip()
            if f == "published":
                parsed = parse_published(value)
                if parsed is None:
                    self.problems.append(Problem(line, f"{name}: published {value!r} is not a date "
                                                       f"(YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY)"))
                    continue
                value = parsed
            row.values[f] = value
        self.rows.append(row)

    def match(self, inputs: list[Path]) -> None:
        """Tie rows to input files: by path relative to the catalogue's folder, else by file name
        when exactly one input has it. Rows that name no input, or one file twice, are problems."""
        resolved = {p.resolve(): p for p in inputs}
        by_name: dict[str, list[Path]] = {}
        for p in inputs:
            by_name.setdefault(p.name, []).append(p)
        base = self.path.resolve().parent
        for row in self.rows:
            target = resolved.get((base / row.file).resolve())
            if target is None and "/" not in row.file.replace("\\", "/"):
                named = by_name.get(row.file, [])
                if len(named) > 1:
                    self.problems.append(Problem(row.line, f"{row.file}: the name fits {len(named)} inputs; "
                                                           f"give its path relative to the catalogue"))
                    continue
                target = named[0] if named else None
            if target is None:
                self.problems.append(Problem(row.line, f"{row.file}: names no input file"))
                continue
            if target in self.by_input:
                self.problems.append(Problem(row.line, f"{row.file}: a second row for the same file "
                                                       f"(row {self.by_input[target].line} is used)"))
                continue
            self.by_input[target] = row

    def values_for(self, path: Path) -> dict[str, object] | None:
        row = self.by_input.get(path)
        if row is None:
            return None
        return {"row": row.line, "file": row.file, **row.values}


def _looks_jsonl(path: Path, text: str) -> bool:
    return path.suffix.lower() in (".jsonl", ".ndjson", ".json") or text.lstrip().startswith("{")


def _jsonl(text: str, cat: Catalog):
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            cat.problems.append(Problem(n, f"not a JSON object ({err.msg})"))
            continue
        if not isinstance(rec, dict):
            cat.problems.append(Problem(n, "not a JSON object"))
            continue
        yield n, rec


def _csv(text: str, cat: Catalog):
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames or not any(k and k.strip().lower() in ALIASES and ALIASES[k.strip().lower()] == "file"
                                        for k in reader.fieldnames):
        raise PipelineError("catalog-unreadable", detail=": no header with a `file` column")
    for rec in reader:
        n = reader.line_num
        if None in rec:  # more cells than the header has
            cat.problems.append(Problem(n, f"{len(rec[None])} cell(s) more than the header has"))
            rec.pop(None)
        yield n, rec


def _agree(field_name: str, text_value: str, catalog_value: str) -> bool:
    if field_name == "published":  # "2023-07" and "2023-07-10" say the same at the precision given
        return text_value.startswith(catalog_value) or catalog_value.startswith(text_value)
    a, b = match_key(text_value), match_key(catalog_value)
    if field_name == "outlet":
        return a == b or a in b or b in a
    return fuzz.token_set_ratio(a, b) >= 90


def row_digest(values: dict[str, object]) -> str:
    """What a catalogue row said (its values, not its position): a resumed run redoes a file
    whose row changed."""
    said = {k: values.get(k) for k in ("file", *FIELDS)}
    return hashlib.sha256(json.dumps(said, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def reconcile(found: dict[str, str | None], row: dict[str, object] | None) -> tuple[dict[str, str | None], dict | None]:
    """Fill from a catalogue row what the text did not say; the text wins where both say something,
    and where they disagree the disagreement is recorded.

    >>> reconcile({"title": "Tin A", "published": None, "outlet": None},
    ...           {"row": 2, "file": "a.txt", "published": "2023-07", "outlet": "baothanhhoa.vn"})[1]["filled"]
    ['published', 'outlet']
    >>> reconcile({"title": None, "published": None, "outlet": None},
    ...           {"row": 4, "file": "c.txt", "url": "https://www.baolaichau.vn/xa-hoi/tin-1.html"})[0]["outlet"]
    'baolaichau.vn'
    >>> reconcile({"title": None, "published": "2024-01-05", "outlet": None},
    ...           {"row": 3, "file": "b.txt", "published": "2023-12-30"})[1]["disagreements"]
    [{'field': 'published', 'text': '2024-01-05', 'catalog': '2023-12-30'}]
    """
    if not row:
        return found, None
    digest = row_digest(row)  # of the row as written (a resumed run compares it)
    if not row.get("outlet") and row.get("url"):  # the site a URL names is the outlet
        host = urlsplit(str(row["url"])).hostname or ""
        row = {**row, "outlet": host.removeprefix("www.")} if "." in host else row
    out = dict(found)
    filled, disagreements = [], []
    for f in ("title", "published", "outlet"):
        cv = row.get(f)
        if cv is None:
            continue
        tv = found.get(f)
        if not tv:
            out[f] = str(cv)
            filled.append(f)
        elif not _agree(f, str(tv), str(cv)):
            disagreements.append({"field": f, "text": tv, "catalog": cv})
    record = {"row": row.get("row"), "file": row.get("file"), "url": row.get("url"),
              "filled": filled, "disagreements": disagreements, "digest": digest}
    return out, record
