"""Command line: `python -m pipeline COMMAND` (or the `vnreport` console script)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="vnreport")
def main() -> None:
    """Turn Vietnamese news and official reports into structured, checkable facts.

    \b
    Example:
        python -m pipeline extract corpora --out outputs/corpora
        python -m pipeline evaluate corpora/gold --docs corpora
    """


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the outputs, mirroring the inputs' paths (created if missing).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: all cores; with --executor dask: workers of the local cluster].")
@click.option("--force", is_flag=True, help="Redo documents whose output is already up to date.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr [default: only when stderr is a terminal].")
@click.option("--time-limit", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds one file may take; a file over it fails with E109 (0: no limit).")
@click.option("--memory-limit", type=click.IntRange(min=0), default=512, show_default=True,
              help="MB one worker may use; a file that needs more fails with E110 (0: no limit).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: supervised worker processes; dask: tasks on a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --executor dask: the scheduler (tcp://host:8786) [default: a LocalCluster here].")
@click.option("--debug", is_flag=True, help="Print tracebacks of internal errors (into the warnings log).")
def extract(paths: tuple[Path, ...], out_dir: Path, jobs: int | None, force: bool,
            progress: bool | None, time_limit: float, memory_limit: int, executor: str,
            scheduler: str | None, debug: bool) -> None:
    """Extract every document under PATHS into contract-shaped JSON in --out.

    PATHS are files or folders (walked recursively): .txt (UTF-8, UTF-16, Windows-1258, TCVN3,
    VNI), .html/.htm, .docx, .pdf. Other files in a folder are skipped and listed. A file that
    cannot be read gets one line naming it and the reason; the rest go on; the exit code is 1 if
    any file failed (130 if the run was interrupted). Outputs mirror the inputs' paths below the
    folder they were found in (a file named here: DIR/<stem>.json); a name another input owns is
    never taken over. Up-to-date outputs are unchanged, so an interrupted run resumes.
    `_extract_report.jsonl` in --out records every input's outcome; library warnings go to
    `_extract_warnings.log` there.

    \b
    Example:
        python -m pipeline extract corpora --out outputs/corpora
        python -m pipeline extract archive/2019 archive/2020/report.pdf --out out -j 2
        python -m pipeline extract archive --out out --executor dask --scheduler tcp://10.0.0.5:8786
    """
    from pipeline.batch import NOT_PROCESSED, ExecutorUnavailable, OutFolderBusy, echo, run_batch, summary

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler goes with --executor dask")
    show = sys.stderr.isatty() if progress is None else progress

    def report(o):  # failures and skips are reported as they happen, one line each
        if o.status == "failed":
            echo(f"error: {o.line()}")
        elif o.status == "skipped" and o.reason != NOT_PROCESSED:  # those are counted in the summary
            echo(f"note: {o.line()}")

    try:
        outcomes = run_batch(list(paths), out_dir, jobs=jobs, force=force, progress=show, debug=debug,
                             on_outcome=report, time_limit=time_limit or None,
                             memory_limit=memory_limit or None, executor=executor, scheduler=scheduler)
    except (OutFolderBusy, ExecutorUnavailable) as err:
        raise click.ClickException(str(err)) from None
    failed = [o for o in outcomes if o.status == "failed"]
    click.echo(summary(outcomes), err=True)
    for o in failed:
        click.echo(f"  failed {o.line()}", err=True)
    sys.exit(130 if outcomes.interrupted else 1 if failed else 0)


@main.command(context_settings=CONTEXT)
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the schema to this file instead of stdout.")
def schema(out_file: Path | None) -> None:
    """Print the per-document JSON Schema (from the pydantic models).

    \b
    Example:
        python -m pipeline schema --out outputs/document.schema.json
    """
    from pipeline.model import Document

    text = json.dumps(Document.model_json_schema(), ensure_ascii=False, indent=2)
    if out_file:
        out_file.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@main.command(context_settings=CONTEXT)
@click.argument("outputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(outputs: tuple[Path, ...]) -> None:
    """Check extracted JSON files against the contract: fields, and that every offset points at
    what it claims (`text[start:end]` equals a date's or figure's `text`).

    \b
    Example:
        python -m pipeline validate outputs/corpora
    """
    from pipeline.contract import check_file

    files = []
    for p in outputs:
        files += sorted(f for f in p.rglob("*.json")) if p.is_dir() else [p]
    bad = 0
    for f in files:
        problems = check_file(f)
        for prob in problems:
            click.echo(f"{f}: {prob}", err=True)
        bad += bool(problems)
    click.echo(f"{len(files)} files checked, {bad} with problems", err=True)
    sys.exit(1 if bad else 0)


@main.command(context_settings=CONTEXT)
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--docs", "docs_dir", type=click.Path(exists=True, path_type=Path), default=None,
              help="Input documents to extract first (default: use --pred as it is).")
@click.option("--pred", "pred_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of extracted JSON [default: a temporary folder when --docs is given].")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the scores as JSON.")
@click.option("--floors", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="JSON of pinned F1 floors; exit 1 when any kind falls below its floor.")
@click.option("--set", "floor_set", default=None, help="Which entry of --floors applies [default: GOLD_DIR's name].")
def evaluate(gold_dir: Path, docs_dir: Path | None, pred_dir: Path | None, json_out: Path | None,
             floors: Path | None, floor_set: str | None) -> None:
    """Score the pipeline on a gold folder: precision, recall and F1 per kind.

    \b
    Example:
        python -m pipeline evaluate corpora/gold --docs corpora/docs
        python -m pipeline evaluate ../shared/gold/seeds --docs ../shared/seeds \\
            --floors tests/quality_floors.json --set seeds
    """
    import tempfile

    from pipeline.batch import run_batch
    from pipeline.evaluate import check_floors, score_folder

    if docs_dir is None and pred_dir is None:
        raise click.UsageError("give --docs (to extract first) or --pred (already extracted)")
    with tempfile.TemporaryDirectory() as tmp:
        target = pred_dir or Path(tmp)
        if docs_dir is not None:
            outcomes = run_batch([docs_dir], target)
            for o in outcomes:
                if o.status == "failed":
                    click.echo(f"error: {o.line()}", err=True)
        report = score_folder(gold_dir, target)
    click.echo(report.table())
    if json_out:
        json_out.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    if floors:
        table = json.loads(floors.read_text(encoding="utf-8"))
        name = floor_set or gold_dir.name
        if name not in table:
            raise click.UsageError(f"{floors} has no entry {name!r} (entries: {', '.join(table)})")
        below = check_floors(report, {k: v for k, v in table[name].items() if not k.startswith("_")})
        for line in below:
            click.echo(f"below floor: {line}", err=True)
        sys.exit(1 if below else 0)
