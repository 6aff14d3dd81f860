"""The reviewed language data in `gazetteers/`, as one object a pipeline receives when it is built.

Three file shapes: `.tsv` (header row, `#` comment lines and trailing `# why` comments allowed),
`.txt` lists (one entry a line) and `.yaml` for nested entries. A `Gazetteers` object reads a
folder on demand and keeps what it read; each stage derives its lexicon from it once
(`memo`), so two pipelines over two folders never see each other's data, and a long-running
process reloads data by building a new object. `digest` fingerprints the folder's files; every
output records it so that a resumed batch redoes documents extracted with other data.

>>> gz = Gazetteers()
>>> gz.tsv("hedges.tsv")[0]["hedge"]
'hơn'
"""
from __future__ import annotations

import hashlib
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, TypeVar

import yaml

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "gazetteers"
ENV_VAR = "VNREPORT_GAZETTEERS"  # a user's extended copy of the folder

T = TypeVar("T")


def default_folder() -> Path:
    """The folder a new `Gazetteers()` reads: $VNREPORT_GAZETTEERS, else the project's own."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DIR)


def _strip_comment(line: str) -> str:
    # a comment starts at "#" at the line start or after white space ("Bộ\tcentral  # why")
    return re.split(r"(?:^|\s)#", line, maxsplit=1)[0].rstrip()


def read_list(path: Path) -> tuple[str, ...]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = _strip_comment(line).strip()
        if entry:
            out.append(entry)
    return tuple(out)


def read_tsv(path: Path) -> tuple[dict[str, str], ...]:
    rows = []
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
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


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class Gazetteers:
    """One folder of language data, read on demand, with the lexicons stages build from it."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder) if folder is not None else default_folder()
        if not self.folder.is_dir():
            raise FileNotFoundError(f"gazetteer folder {self.folder} does not exist")
        self._files: dict[str, Any] = {}
        self._memo: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Gazetteers({str(self.folder)!r})"

    def _read(self, name: str, reader: Callable[[Path], Any]) -> Any:
        if name not in self._files:
            self._files[name] = reader(self.folder / name)
        return self._files[name]

    def list(self, name: str) -> tuple[str, ...]:
        return self._read(name, read_list)

    def tsv(self, name: str) -> tuple[dict[str, str], ...]:
        return self._read(name, read_tsv)

    def yaml(self, name: str) -> Any:
        return self._read(name, read_yaml)

    def memo(self, key: str, build: Callable[["Gazetteers"], T]) -> T:
        """What `build(self)` returns, built once per object (a stage's lexicon)."""
        if key not in self._memo:
            self._memo[key] = build(self)
        return self._memo[key]

    @cached_property
    def digest(self) -> str:
        """SHA-256 over every data file's relative path and bytes, first 16 hex digits."""
        h = hashlib.sha256()
        for f in sorted(p for p in self.folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
            h.update(str(f.relative_to(self.folder)).encode("utf-8") + b"\0")
            h.update(f.read_bytes() + b"\0")
        return h.hexdigest()[:16]


_DEFAULT: dict[Path, Gazetteers] = {}


def _other_spellings(gz: "Gazetteers") -> dict[str, list[str]]:
    other: dict[str, list[str]] = {}
    for r in gz.tsv("place_spellings.tsv"):
        other.setdefault(r["standard"], []).append(r["written"])
    return other


def spelled_ways(name: str, gz: "Gazetteers") -> list[str]:
    """A place name and its other spellings (gazetteers/place_spellings.tsv), the name first:
    "Đắk Glei" -> ["Đắk Glei", "Đăk Glei"]."""
    other = gz.memo("place_spellings", _other_spellings)
    ways = [""]
    for k, syllable in enumerate(name.split(" ")):
        ways = [f"{w} {v}" if k else v for w in ways for v in [syllable] + other.get(syllable, [])]
    return ways


def standard_spelling(name: str, gz: "Gazetteers") -> str:
    """A place name as the administrative list writes it (gazetteers/place_spellings.tsv):
    "Đăk Lăk" -> "Đắk Lắk"; any other name unchanged."""
    standard = gz.memo("place_standard_spellings",
                       lambda g: {r["written"]: r["standard"] for r in g.tsv("place_spellings.tsv")})
    return " ".join(standard.get(syllable, syllable) for syllable in name.split(" "))


def district_homes(gz: "Gazetteers", key: Callable[[str], str]) -> dict[str, set[str]]:
    """key(a district's name, in every spelling) -> the provinces it lies in, as places.tsv writes
    them (gazetteers/districts.tsv; "Châu Thành" lies in several). `key` is the caller's matching
    key: tone-sensitive for extraction and entity keys, toneless for queries."""
    homes: dict[str, set[str]] = {}
    for r in gz.tsv("districts.tsv"):
        for way in spelled_ways(r["name"], gz):
            homes.setdefault(key(way), set()).add(r["province"])
    return homes


def default_gazetteers() -> Gazetteers:
    """The shared object for the default folder: for quick helpers (doctests, `values()`), and the
    readers' byte tables. Pipelines receive theirs explicitly."""
    folder = default_folder().resolve()
    if folder not in _DEFAULT:
        _DEFAULT[folder] = Gazetteers(folder)
    return _DEFAULT[folder]


# The readers' legacy-font byte tables are read through these (character tables, not language data).
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    return default_gazetteers().tsv(name)


def load_yaml(name: str) -> Any:
    return default_gazetteers().yaml(name)
