"""Batch extraction: every input accounted for, resumable, bounded, never a traceback.

Each input ends as exactly one `Outcome`: done (JSON written), unchanged (its output is up to
date), skipped (with the reason) or failed (catalogue code and a one-line reason).

- Inputs: files and folders (walked without following links to folders); every entry of a
  walked folder is accounted for, broken links, link loops and FIFOs included.
- Outputs mirror each input's path below the folder it was found in (a file named on the command
  line: its name): `archive/2019/a/report.txt` given as `archive` -> `DIR/2019/a/report.json`.
  An output belongs to one input (its absolute path). A name another input already owns, in
  this run or an earlier one into the same folder, is never taken over: the input gets the
  next free name of a fixed list (`report--<folder>.json`, `report--txt.json`,
  `report--<parent>-<folder>.json`, ..., `report--<hash of its path>.json`).
- Identical inputs (same bytes) are processed once; the others are reported as skipped with the
  path of the one processed, and that one's report row lists them.
- `DIR/_extract_report.jsonl` is the folder's index: one row per input ever extracted into it,
  with its latest outcome, output, SHA-256, pipeline version and data digest. A run appends to
  `DIR/_extract_journal.jsonl` as files finish, so a run killed at any moment loses nothing
  finished; the next run folds the journal in.
- Resume: an input whose output exists for the same bytes, pipeline version and gazetteer
  data (`pipeline.process.fingerprint`) is unchanged; `force` redoes it.
- Files run in supervised worker processes (`pipeline.pool`) or on a Dask cluster
  (`pipeline.dask_executor`), both calling `process_one` -> `pipeline.process.process_file`.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import signal
import stat
import sys
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, NamedTuple

from pipeline.errors import CATALOGUE, PipelineError
from pipeline.readers import MAX_BYTES, check_path, format_of

REPORT_NAME = "_extract_report.jsonl"
JOURNAL_NAME = "_extract_journal.jsonl"
LOG_NAME = "_extract_warnings.log"
LOCK_NAME = "_extract.lock"
TMP_DIR = "_tmp"
PRELOAD = ("pipeline._forkserver",)  # imported once by the fork server the workers come from
NOT_PROCESSED = "not processed: the run was interrupted (run it again to resume)"
DEFAULT_TIME_LIMIT = 60.0
DEFAULT_MEMORY_LIMIT = 512  # MB: room above the 287 MB a document at the text limit needs
MAX_NAME_BYTES = 255  # a file name on ext4, xfs, btrfs, NTFS (as UTF-8)
_BY_CODE = {k.code: k for k in CATALOGUE.values()}


# ---------------------------------------------------------------------------------------------
# paths as text

def display(path: str | os.PathLike) -> str:
    """A path as UTF-8 text for reports, JSON and the terminal.

    File names are bytes; those that are not UTF-8 (Latin-1 or TCVN3 names from old archives)
    keep each such byte as the four characters `\\xNN`; control characters are shown the same
    way, so a name cannot break a line. `path_hex` gives the exact bytes in those cases.
    """
    raw = os.fsencode(path)
    text = raw.decode("utf-8", "backslashreplace")
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) == 127 else c for c in text)


def path_hex(path: str | os.PathLike) -> str | None:
    """The name's bytes in hex when `display` could not show them as they are."""
    raw = os.fsencode(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.hex()
    return raw.hex() if any(ord(c) < 32 or ord(c) == 127 for c in text) else None


def input_id(abspath: str) -> str:
    return hashlib.sha256(os.fsencode(abspath)).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# outcomes and inputs

@dataclass(slots=True)
class Outcome:
    path: str  # as displayed (see `display`)
    status: str  # done | unchanged | skipped | failed
    output: str | None = None
    code: str | None = None
    reason: str | None = None
    path_hex: str | None = None
    input_id: str | None = None
    sha256: str | None = None
    size: int | None = None
    mtime_ns: int | None = None
    pipeline_version: str | None = None
    data_digest: str | None = None
    output_rel: str | None = None  # the output's path under --out (the index key)
    same_as: str | None = None  # for an identical input: the input processed in its place
    duplicates: list[str] | None = None
    seconds: float | None = None
    peak_rss_mb: int | None = None  # the worker's peak resident memory while on this file
    run: str | None = None

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.path}: {self.code} {self.reason}"
        if self.status == "skipped":
            return f"{self.path}: skipped, {self.reason}"
        if self.status == "unchanged":
            return f"{self.path}: unchanged -> {self.output}"
        return f"{self.path}: done -> {self.output}"

    def row(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, [])}


def _failed(path: str | os.PathLike, err: PipelineError, **kw) -> Outcome:
    return Outcome(display(path), "failed", code=err.code, reason=f"{err.kind.name}: {err.reason}",
                   path_hex=path_hex(path), **kw)


@dataclass(slots=True, eq=False)
class Input:
    path: Path  # as given or found in a walk
    root: Path  # the folder it was found in (for a file named on the command line: its folder)
    rel: PurePosixPath  # its path below root, mirrored below --out
    abspath: str
    fmt: str
    size: int = 0
    mtime_ns: int = 0
    sha256: str | None = None
    output_rel: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        self.id = input_id(self.abspath)

    @property
    def shown(self) -> str:
        return display(self.path)


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def collect_inputs(paths: Iterable[Path], out_dir: Path,
                   stop: Callable[[], bool] = lambda: False) -> tuple[list[Input], list[Outcome]]:
    """Files to process, and every other path met, with its outcome (skipped or failed).
    `stop()` ends the walk early (Ctrl-C while a large archive is listed)."""
    inputs: list[Input] = []
    other: list[Outcome] = []
    out_abs = os.path.abspath(out_dir)
    seen: set[str] = set()

    def add(path: Path, root: Path, rel: PurePosixPath) -> None:
        abspath = os.path.abspath(path)
        if abspath in seen:
            return
        seen.add(abspath)
        fmt = format_of(path)
        try:
            st = check_path(path)
        except PipelineError as err:
            other.append(_failed(path, err, input_id=input_id(abspath)))
            return
        if stat.S_ISDIR(st.st_mode):
            other.append(Outcome(display(path), "skipped", reason="a link to a folder (links to folders are not followed)",
                                 path_hex=path_hex(path), input_id=input_id(abspath)))
            return
        if fmt is None:
            other.append(Outcome(display(path), "skipped", path_hex=path_hex(path), input_id=input_id(abspath),
                                 reason=f"not a supported format ({display(path.suffix) or 'no suffix'})"))
            return
        inputs.append(Input(path, root, rel, abspath, fmt, st.st_size, st.st_mtime_ns))

    for p in paths:
        p = Path(p)
        try:
            st = check_path(p)
        except PipelineError as err:
            other.append(_failed(p, err, input_id=input_id(os.path.abspath(p))))
            continue
        if not stat.S_ISDIR(st.st_mode):
            if format_of(p) is None:  # named explicitly: an error, not a skip
                err = PipelineError("unsupported-format", suffix=p.suffix or "(none)")
                other.append(_failed(p, err, input_id=input_id(os.path.abspath(p))))
                continue
            add(p, p.parent, PurePosixPath(os.fsdecode(os.fsencode(p.name))))
            continue
        def unlisted(err: OSError, root: Path = p) -> None:  # a folder we may not read is reported
            where = err.filename or root
            other.append(_failed(where, PipelineError("unreadable-file", detail=f" (a folder that cannot be listed: {err.strerror})"),
                                 input_id=input_id(os.path.abspath(where))))

        for dirpath, dirnames, filenames in os.walk(p, onerror=unlisted):
            if stop():
                break
            dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
            here = Path(dirpath)
            in_out = _within(os.path.abspath(here), out_abs)
            for d in list(dirnames):
                if os.path.islink(here / d):  # os.walk lists links to folders as folders
                    dirnames.remove(d)
                    add(here / d, p, PurePosixPath(os.path.relpath(here / d, p)))
                elif in_out and os.path.abspath(here / d) == os.path.join(out_abs, TMP_DIR):
                    dirnames.remove(d)
            for name in sorted(filenames):
                if _is_hidden(name):
                    continue
                if in_out and (name.endswith((".json", ".jsonl", ".log", ".lock", ".part"))):
                    continue  # our own outputs, when --out lies inside an input folder
                f = here / name
                add(f, p, PurePosixPath(os.path.relpath(f, p)))
    return inputs, other


# ---------------------------------------------------------------------------------------------
# output names

def _fit(name: str, suffix: str = ".json") -> str:
    """`name + suffix`, shortened to MAX_NAME_BYTES: the start of the name, cut at a character
    boundary, then `~` and 8 hex of a hash of the whole name, so shortened names stay apart."""
    full = name + suffix
    raw = os.fsencode(full)
    if len(raw) <= MAX_NAME_BYTES:
        return full
    tag = "~" + hashlib.sha256(raw).hexdigest()[:8]
    keep = MAX_NAME_BYTES - len(os.fsencode(tag + suffix))
    head = os.fsencode(name)[:keep]
    while head and (head[-1] & 0xC0) == 0x80:  # do not split a UTF-8 sequence
        head = head[:-1]
    if head and head[-1] >= 0xC0:
        head = head[:-1]
    return os.fsdecode(head) + tag + suffix


def candidates(inp: Input) -> list[str]:
    """The output names an input may take, in order (paths below --out, '/'-separated)."""
    parent = inp.rel.parent
    stem = inp.rel.stem if inp.rel.suffix else inp.rel.name
    ext = inp.rel.suffix.lstrip(".").lower()
    folders = [x for x in Path(os.path.abspath(inp.root)).parts if x not in ("/", "\\")]
    tags = ['-'.join(folders[-depth:]) for depth in range(1, min(3, len(folders)) + 1)]
    names = [stem] + tags[:1] + [ext] + tags[1:]
    names = [names[0]] + [f"{stem}--{t}" for t in names[1:]] + [f"{stem}--{inp.id}"]
    out = []
    for n in names:
        c = str(parent / _fit(n)) if str(parent) != "." else _fit(n)
        if c not in out:
            out.append(c)
    return out


# ---------------------------------------------------------------------------------------------
# the folder's index (report + journal)

class Row(NamedTuple):
    """What the index keeps of an input's latest report row (the row itself stays on disk)."""

    status: str
    output_rel: str | None
    sha256: str | None
    size: int | None
    mtime_ns: int | None
    pipeline_version: str | None
    data_digest: str | None
    where: tuple[int, int]  # (file, line) of that row: 0 the report, 1 the journal


def _intern(x: str | None) -> str | None:
    return sys.intern(x) if isinstance(x, str) else None


class Index:
    """Report rows of earlier runs into --out, by input and by output name.

    Only the fields a run decides with are held (a few hundred bytes per input); the report is
    rewritten by streaming the old rows through (`_write_report`)."""

    FILES = (REPORT_NAME, JOURNAL_NAME)

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.rows: dict[str, Row] = {}  # input_id -> row
        self.owner: dict[str, str] = {}  # output_rel -> input_id
        self.journal_start = 0  # the journal's lines before this run (a killed run's)
        for k, name in enumerate(self.FILES):
            self._load(out_dir / name, k)

    @staticmethod
    def lines(path: Path):
        try:
            fh = path.open(encoding="utf-8", errors="replace")
        except OSError:
            return
        with fh:
            for n, line in enumerate(fh):
                try:
                    row = json.loads(line)
                except ValueError:
                    continue  # a line cut by a kill: its file is redone
                if isinstance(row, dict) and row.get("input_id"):
                    yield n, line, row

    def _load(self, path: Path, k: int) -> None:
        if k == 1:
            try:
                with path.open("rb") as fh:
                    self.journal_start = sum(1 for _ in fh)
            except OSError:
                self.journal_start = 0
        for n, _, row in self.lines(path):
            iid = row["input_id"]
            old = self.rows.get(iid)
            rel = row.get("output_rel")
            if old and old.output_rel and row.get("status") in ("failed", "skipped") and not rel and not row.get("same_as"):
                rel = old.output_rel  # interrupted or failed: it still owns its name
            self.rows[iid] = Row(_intern(row.get("status")), rel, row.get("sha256"), row.get("size"),
                                 row.get("mtime_ns"), _intern(row.get("pipeline_version")),
                                 _intern(row.get("data_digest")), (k, n))
            if rel:
                self.owner[rel] = iid

    def owner_of(self, rel: str) -> str | None:
        """The input owning output `rel`: from the index, else from the file itself."""
        if display(rel) in self.owner:
            return self.owner[display(rel)]
        target = self.out_dir / rel
        if not os.path.lexists(target):
            return None
        try:
            with open(target, encoding="utf-8") as fh:
                doc = json.load(fh)
            src = doc["source"]["path"]
        except (OSError, ValueError, KeyError, TypeError):
            return "(not an output of this program)"
        # `source.path` is as given when it was written (relative to that run's folder)
        return input_id(os.path.abspath(_undisplay(src)))


def _undisplay(text: str) -> str:
    """Inverse of `display` for names it escaped (\\xNN back to the byte)."""
    if "\\x" not in text:
        return text
    import re

    raw = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), text.encode("utf-8"))
    return os.fsdecode(raw)


# ---------------------------------------------------------------------------------------------
# the work of one file (runs in a worker)

def _tmp_name(out_dir: Path) -> Path:
    _tmp_name.n = getattr(_tmp_name, "n", 0) + 1  # type: ignore[attr-defined]
    return out_dir / TMP_DIR / f"{os.getpid()}-{_tmp_name.n}.part"  # type: ignore[attr-defined]


def _up_to_date(target: Path, sha: str | None, fp: dict) -> bool:
    try:
        with target.open(encoding="utf-8") as fh:
            head = json.load(fh)
        return (bool(sha) and head.get("source", {}).get("sha256") == sha
                and head.get("pipeline_version") == fp["pipeline_version"]
                and head.get("data_digest") == fp["data_digest"])
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def _catalog_current(target: Path, values: dict | None) -> bool:
    """Was the output made with this catalogue row (or with none, when there is none now)?"""
    from pipeline.catalog import row_digest

    try:
        with target.open(encoding="utf-8") as fh:
            made = (json.load(fh).get("catalog") or {}).get("digest")
    except (OSError, ValueError, AttributeError):
        return False
    return made == (row_digest(values) if values else None)


def process_one(task: dict) -> dict:
    """Extract one file and write its JSON atomically; every failure becomes a result dict.

    task: path, out_dir, output_rel, sha256, check_existing, force, debug.
    """
    path = Path(task["path"])  # absolute: a worker's working folder may not be the caller's
    out_dir = Path(task["out_dir"])
    target = out_dir / task["output_rel"]
    try:
        from pipeline.process import fingerprint, process_file

        fp = fingerprint()
        if task.get("check_existing") and not task.get("force") and _up_to_date(target, task.get("sha256"), fp) \
                and ("catalog" not in task or _catalog_current(target, task["catalog"])):
            return {"status": "unchanged", **fp}
        doc = process_file(path, catalog=task.get("catalog"))
        doc.source.path = task["shown"]
        data = doc.model_dump_json(indent=1)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = _tmp_name(out_dir)
            tmp.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except OSError as err:
            raise PipelineError("output-not-written", detail=f" ({display(target)}: {err.strerror or type(err).__name__})") from None
        return {"status": "done", "sha256": doc.source.sha256, "pipeline_version": doc.pipeline_version,
                "data_digest": doc.data_digest}
    except PipelineError as err:
        return {"status": "failed", "code": err.code, "reason": f"{err.kind.name}: {err.reason}"}
    except MemoryError:
        return {"status": "failed", "code": "memory-limit", "reason": "(out of memory inside the worker)", "recycle": True}
    except RecursionError:
        return {"status": "failed", "code": "E201", "reason": "internal-error: nesting too deep (RecursionError)", "recycle": True}
    except Exception as err:  # a bug must not stop the batch; the reason names it in one line
        if task.get("debug"):
            traceback.print_exc()
        where = traceback.extract_tb(err.__traceback__)[-1]
        detail = f"{type(err).__name__}: {err} at {Path(where.filename).name}:{where.lineno}"
        return {"status": "failed", "code": "E201", "reason": f"internal-error: {' '.join(display(detail).split())[:300]}"}


class _CurrentFile(logging.Filter):
    name_now = "-"

    def filter(self, record: logging.LogRecord) -> bool:
        record.input = self.name_now
        return True


_current = _CurrentFile()


def setup_worker_logging(log_path: str | None, redirect_stderr: bool = True) -> None:
    """Library warnings and log records go to `log_path` (in --out), with the file in hand;
    with `redirect_stderr`, so does anything a library prints to the process's stderr."""
    import warnings

    if not log_path:
        return
    handler = logging.FileHandler(log_path, encoding="utf-8", errors="backslashreplace")
    handler.addFilter(_current)
    handler.setFormatter(logging.Formatter("%(asctime)s pid %(process)d %(input)s: %(name)s %(levelname)s: %(message)s"))
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler):
            root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)
    warnings.simplefilter("default")
    if redirect_stderr:
        try:
            fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            os.dup2(fd, 2)
            os.close(fd)
            sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1)
        except OSError:
            pass


WARM_TEXT = "Ủy ban nhân dân tỉnh Lai Châu họp ngày 15/01/2024.\n\nÔng Nguyễn Văn A báo cáo 2.500 tỷ đồng."


def _warm() -> None:
    """Per-worker warm-up: import the pipeline, assemble it, and run it once on a short text so
    the models it loads on first use are loaded before the first file's clock starts; then set
    the garbage collector for a long run (`process.tune_collector`)."""
    import tempfile

    import pipeline.process as process

    process.warm()
    process.fingerprint()
    fd, name = tempfile.mkstemp(suffix=".txt", prefix="vnreport-warm-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(WARM_TEXT)
        process.process_file(Path(name))
    except Exception:  # warming is an optimisation: a failure here shows on the first file
        pass
    finally:
        try:
            os.remove(name)
        except OSError:
            pass
    process.tune_collector()


def worker_init(settings: dict) -> None:
    setup_worker_logging(settings.get("log_path"))
    _warm()


def worker_run(task: dict) -> dict:
    _current.name_now = display(task["path"])
    try:
        return process_one(task)
    finally:
        _current.name_now = "-"


# ---------------------------------------------------------------------------------------------
# the run

_bar = None


def echo(line: str) -> None:
    """Print a line to stderr without breaking the progress bar (tqdm.write when one is up)."""
    if _bar is not None:
        from tqdm import tqdm

        tqdm.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr, flush=True)


class Outcomes(list):
    """The outcomes of a run, in input order; `interrupted` when it was stopped early."""

    interrupted: bool = False
    catalog_problems: list[str] = []
    peak_worker_rss: int | None = None
    respawns: int = 0


class OutFolderBusy(Exception):
    pass


class ExecutorUnavailable(Exception):
    pass


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _code_of(result: dict) -> str | None:
    code = result.get("code")
    if code and not code.startswith("E"):
        code = CATALOGUE[code].code
    return code


def _reason_of(result: dict, code: str | None, limits: dict) -> str | None:
    reason = result.get("reason")
    if code is None:
        return reason
    kind = _BY_CODE[code]
    if code == "E109":
        return f"{kind.name}: " + kind.template.format(limit=f"{limits['time']:g} s", detail=f" {reason}" if reason else "")
    if code == "E110":
        return f"{kind.name}: " + kind.template.format(limit=f"{limits['memory']} MB", detail=f" {reason}" if reason else "")
    if code == "E111":
        return f"{kind.name}: " + kind.template.format(detail=f" ({reason})" if reason else "")
    return reason


def run_batch(paths: list[Path], out_dir: Path, jobs: int | None = None, force: bool = False,
              progress: bool = False, debug: bool = False,
              on_outcome: Callable[[Outcome], None] | None = None,
              time_limit: float | None = DEFAULT_TIME_LIMIT, memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
              executor: str = "local", scheduler: str | None = None, catalog=None) -> Outcomes:
    """Extract `paths` into `out_dir`; see the module docstring. Ctrl-C (or SIGTERM) stops the
    run within seconds: finished outputs are kept, the report is written, `interrupted` set."""
    if executor == "local":
        from pipeline.pool import start_forkserver

        start_forkserver(PRELOAD)  # loads the pipeline for the workers while this process plans
    from pipeline.process import fingerprint

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = open(out_dir / LOCK_NAME, "a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        raise OutFolderBusy(f"another extract is writing to {display(out_dir)}") from None
    try:
        return _run_locked(paths, out_dir, jobs, force, progress, debug, on_outcome, time_limit,
                           memory_limit, executor, scheduler, fingerprint(), catalog)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


def _make_runner(executor: str, scheduler: str | None, jobs: int | None, n_tasks: int,
                 time_limit: float | None, memory_limit: int | None, settings: dict):
    if executor == "dask":
        try:
            from pipeline.dask_executor import DaskRunner
        except ImportError as err:
            raise ExecutorUnavailable(f"--executor dask needs dask.distributed ({err}): "
                                      "pip install 'vn-report-pipeline[dask]'") from None
        try:
            return DaskRunner(scheduler, jobs, time_limit, memory_limit, settings)
        except Exception as err:  # no scheduler at that address, a cluster that cannot start
            raise ExecutorUnavailable(f"cannot start or reach the Dask cluster: {' '.join(str(err).split())[:200]}") from None
    from pipeline.pool import LocalPool

    n = max(1, min(jobs or os.cpu_count() or 1, n_tasks))
    return LocalPool(n, worker_init, worker_run, settings, time_limit=time_limit,
                     memory_limit=memory_limit * 1024 * 1024 if memory_limit else None,
                     preload=PRELOAD)


def _run_locked(paths, out_dir: Path, jobs, force, progress, debug, on_outcome, time_limit,
                memory_limit, executor, scheduler, fp: dict, catalog=None) -> Outcomes:
    run_id = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    stop = {"flag": False}

    def on_signal(signum, frame):  # Ctrl-C, SIGTERM: finish cleanly, within seconds
        stop["flag"] = True

    old_handlers = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            old_handlers[sig] = signal.signal(sig, on_signal)
        except ValueError:  # not the main thread
            pass
    try:
        shutil.rmtree(out_dir / TMP_DIR, ignore_errors=True)  # left by a killed run
        index = Index(out_dir)
        inputs, early = collect_inputs(paths, out_dir, stop=lambda: stop["flag"])
    except BaseException:
        for sig, h in old_handlers.items():
            signal.signal(sig, h)
        raise
    outcomes = Outcomes()
    limits = {"time": time_limit, "memory": memory_limit}
    # the archive's catalogue: each input's row; rows that fit no input, or badly, are reported
    rows: dict[str, dict] = {}
    if catalog is not None:
        by_abs = {inp.abspath: Path(inp.abspath) for inp in inputs}
        catalog.match(list(by_abs.values()))
        rows = {a: v for a, p in by_abs.items() if (v := catalog.values_for(p)) is not None}
        outcomes.catalog_problems = [pr.located(catalog.path) for pr in catalog.problems]
    unavailable: ExecutorUnavailable | None = None
    bar = None
    if progress:
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: workers are forked
        bar = tqdm(total=len(inputs) + len(early), unit="file", file=sys.stderr, dynamic_ncols=True)
    global _bar
    _bar = bar
    journal = open(out_dir / JOURNAL_NAME, "a+", encoding="utf-8")
    if journal.tell() > 0:  # a killed run's journal may end inside a line: start on a new one
        journal.seek(journal.tell() - 1)
        if journal.read(1) != "\n":
            journal.write("\n")

    def record(o: Outcome) -> None:
        o.run = run_id
        old = index.rows.get(o.input_id) if o.input_id else None
        if old and old.output_rel and not o.output_rel and o.status in ("skipped", "failed") and not o.same_as:
            o.output_rel = old.output_rel  # interrupted or failed: it still owns its old output's name
        outcomes.append(o)
        journal.write(json.dumps(o.row(), ensure_ascii=False) + "\n")
        journal.flush()
        if on_outcome:
            on_outcome(o)
        if bar is not None:
            bar.update(1)

    try:
        for o in early:
            record(o)
        # bytes: reuse the last run's hash when size and modification time are unchanged
        todo: list[Input] = []
        for inp in inputs:
            if stop["flag"]:
                todo.append(inp)
                continue
            row = index.rows.get(inp.id)
            if row and row.size == inp.size and row.mtime_ns == inp.mtime_ns and row.sha256:
                inp.sha256 = row.sha256
            elif inp.size <= MAX_BYTES[inp.fmt]:
                try:
                    inp.sha256 = _hash_file(inp.path)
                except OSError as err:
                    record(_failed(inp.path, PipelineError("unreadable-file", detail=f" ({err.strerror})"),
                                   input_id=inp.id))
                    continue
            todo.append(inp)
        # names: first free candidate, in a fixed order of inputs
        claimed: dict[str, str] = {}
        named: list[Input] = []
        for inp in sorted(todo, key=lambda i: os.fsencode(i.abspath)):
            for c in candidates(inp):
                if c in claimed:
                    continue
                owner = index.owner_of(c)
                if owner is None or owner == inp.id:
                    claimed[c] = inp.id
                    inp.output_rel = c
                    break
            if inp.output_rel is None:
                record(_failed(inp.path, PipelineError("output-not-written", detail=" (every name it may take belongs to other files)"),
                               input_id=inp.id))
                continue
            target = os.path.abspath(out_dir / inp.output_rel)
            if os.path.dirname(target) == os.path.dirname(inp.abspath):
                record(_failed(inp.path, PipelineError("output-not-written",
                       detail=" (it would be written beside the input: choose an --out folder apart from the inputs)"),
                       input_id=inp.id))
                continue
            named.append(inp)
        order = {inp.id: n for n, inp in enumerate(inputs)}
        named.sort(key=lambda i: order[i.id])
        # identical bytes: one representative per content, preferring one already up to date
        by_sha: dict[str, list[Input]] = {}
        for inp in named:
            by_sha.setdefault(inp.sha256 or f"unhashed:{inp.id}", []).append(inp)

        def current(inp: Input) -> bool:
            row = index.rows.get(inp.id)
            return bool(row and row.status in ("done", "unchanged") and row.output_rel == display(inp.output_rel)
                        and row.sha256 == inp.sha256 and row.pipeline_version == fp["pipeline_version"]
                        and row.data_digest == fp["data_digest"] and (out_dir / inp.output_rel).is_file()
                        and (catalog is None or _catalog_current(out_dir / inp.output_rel, rows.get(inp.abspath))))

        reps: list[Input] = []
        dups: dict[str, list[Input]] = {}
        for group in by_sha.values():
            group.sort(key=lambda i: (not current(i), os.fsencode(i.abspath)))
            reps.append(group[0])
            dups[group[0].id] = group[1:]
        reps.sort(key=lambda i: order[i.id])

        def base(inp: Input, **kw) -> Outcome:
            return Outcome(inp.shown, kw.pop("status"), path_hex=path_hex(inp.path), input_id=inp.id,
                           sha256=inp.sha256, size=inp.size, mtime_ns=inp.mtime_ns,
                           output=display(out_dir / inp.output_rel) if inp.output_rel else None,
                           output_rel=display(inp.output_rel) if inp.output_rel else None, **kw)

        tasks = []
        for inp in reps:
            if stop["flag"]:
                break
            if not force and current(inp):
                record(base(inp, status="unchanged", pipeline_version=fp["pipeline_version"],
                            data_digest=fp["data_digest"], duplicates=[d.shown for d in dups[inp.id]] or None))
                continue
            tasks.append((inp.id, {"path": inp.abspath, "shown": inp.shown, "out_dir": os.path.abspath(out_dir),
                                   "output_rel": inp.output_rel, "catalog": rows.get(inp.abspath),
                                   "sha256": inp.sha256, "force": force, "debug": debug,
                                   "check_existing": (out_dir / inp.output_rel).exists()}))
        by_id = {inp.id: inp for inp in reps}
        finished: set[str] = set()

        def finish(key: str, result: dict, seconds: float | None) -> None:
            inp = by_id[key]
            code = _code_of(result)
            status = result["status"]
            o = base(inp, status=status, code=code, reason=_reason_of(result, code, limits),
                     pipeline_version=result.get("pipeline_version"), data_digest=result.get("data_digest"),
                     seconds=round(seconds, 3) if seconds is not None else None,
                     peak_rss_mb=round(result["peak_rss"] / 2**20) if result.get("peak_rss") else None,
                     duplicates=[d.shown for d in dups[inp.id]] or None if status in ("done", "unchanged") else None)
            if status == "failed":
                o.output = None
            record(o)
            finished.add(key)

        peak = None
        respawns = 0
        if tasks and not stop["flag"]:
            try:
                runner = _make_runner(executor, scheduler, jobs, len(tasks), time_limit, memory_limit,
                                      {"log_path": str(out_dir / LOG_NAME)})
            except ExecutorUnavailable as err:
                unavailable = err
                runner = None
            if runner is not None:
                try:
                    for ev in runner.map(tasks, lambda: stop["flag"]):
                        finish(ev.key, ev.result, ev.seconds)
                except Exception as err:  # the executor itself failed (cluster gone, workers cannot start)
                    reason = " ".join(f"{type(err).__name__}: {err}".split())[:200]
                    for key, _ in tasks:
                        if key not in finished:
                            finish(key, {"status": "failed", "code": "worker-died", "reason": reason}, None)
                finally:
                    runner.close(kill=stop["flag"])
                    peak = getattr(runner, "peak_rss", None)
                    respawns = getattr(runner, "respawns", 0)
        # inputs not reached (the run was stopped)
        reached = {o.input_id for o in outcomes}
        for inp in reps:
            if inp.id not in reached:
                record(base(inp, status="skipped",
                            reason=f"not processed: {unavailable}" if unavailable else NOT_PROCESSED))
        # identical inputs, once their representative is settled
        rep_outcome = {o.input_id: o for o in outcomes}
        for rep_id, group in dups.items():
            ro = rep_outcome.get(rep_id)
            for d in group:
                what = (f"identical to {ro.path}" + (f", output {ro.output}" if ro and ro.output else "")
                        + (f" (which failed: {ro.code})" if ro and ro.status == "failed" else "")) if ro else "identical to another input"
                o = base(d, status="skipped", reason=what, same_as=ro.path if ro else None)
                o.output = ro.output if ro else None
                o.output_rel = None
                record(o)
        outcomes.interrupted = stop["flag"]
        outcomes.peak_worker_rss = peak
        outcomes.respawns = respawns
    finally:
        for sig, h in old_handlers.items():
            signal.signal(sig, h)
        if bar is not None:
            bar.close()
        _bar = None
        journal.close()
        _write_report(out_dir, index, {o.input_id for o in outcomes if o.input_id})
        for leftover in (out_dir / TMP_DIR, out_dir / LOG_NAME):
            try:
                if leftover.is_dir():
                    leftover.rmdir()  # only when empty
                elif leftover.stat().st_size == 0:
                    leftover.unlink()
            except OSError:
                pass
    if unavailable is not None:
        raise unavailable
    position = {display(inp.path): n for n, inp in enumerate(inputs)}
    outcomes.sort(key=lambda o: (position.get(o.path, -1), o.path))
    return outcomes


def _write_report(out_dir: Path, index: Index, this_run: set[str]) -> None:
    """Merge this run's rows into the folder's report, atomically, then drop the journal.

    Streamed, so the folder's report can index millions of inputs: the latest row of each input
    not in this run is copied from the old report or journal, then this run's rows, which the
    journal holds from line `index.journal_start` on."""
    tmp = out_dir / (REPORT_NAME + ".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        for k, name in enumerate(Index.FILES):
            for n, line, row in Index.lines(out_dir / name):
                iid = row["input_id"]
                old = index.rows.get(iid)
                if k == 1 and n >= index.journal_start:
                    keep = True  # this run's own rows
                else:
                    keep = iid not in this_run and old is not None and old.where == (k, n)
                if keep:
                    fh.write(line if line.endswith("\n") else line + "\n")
    os.replace(tmp, out_dir / REPORT_NAME)
    try:
        os.remove(out_dir / JOURNAL_NAME)
    except OSError:
        pass


def summary(outcomes: list[Outcome]) -> str:
    n = {k: sum(o.status == k for o in outcomes) for k in ("done", "unchanged", "skipped", "failed")}
    text = (f"{len(outcomes)} inputs: {n['done']} done, {n['unchanged']} unchanged, "
            f"{n['skipped']} skipped, {n['failed']} failed")
    if getattr(outcomes, "interrupted", False):
        left = sum(o.status == "skipped" and (o.reason or "").startswith("not processed") for o in outcomes)
        text += f"; INTERRUPTED: {left} not processed, run the same command again to resume"
    return text
