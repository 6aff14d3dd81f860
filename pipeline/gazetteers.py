"""Loading the reviewed language data in `gazetteers/` (loaded once per process).

Three shapes: `.tsv` (header row, `#` comment lines and trailing `# why` comments allowed),
`.txt` lists (one entry a line) and `.yaml` for nested entries. `VNREPORT_GAZETTEERS` points at
another folder, e.g. a user's extended copy.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "gazetteers"


def gazetteer_dir() -> Path:
    return Path(os.environ.get("VNREPORT_GAZETTEERS", DEFAULT_DIR))


def _strip_comment(line: str) -> str:
    # a comment starts at "#" at the line start or after white space ("Bộ\tcentral  # why")
    return re.split(r"(?:^|\s)#", line, maxsplit=1)[0].rstrip()


@lru_cache(maxsize=None)
def load_list(name: str) -> tuple[str, ...]:
    out = []
    for line in (gazetteer_dir() / name).read_text(encoding="utf-8").splitlines():
        entry = _strip_comment(line).strip()
        if entry:
            out.append(entry)
    return tuple(out)


@lru_cache(maxsize=None)
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    rows = []
    header: list[str] | None = None
    for line in (gazetteer_dir() / name).read_text(encoding="utf-8").splitlines():
        entry = _strip_comment(line)
        if not entry.strip():
            continue
        cells = [c.strip() for c in entry.split("\t")]
        if header is None:
            header = cells
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return tuple(rows)


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    with (gazetteer_dir() / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
