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
        python -m pipeline extract corpora/docs --out outputs/corpora
        python -m pipeline evaluate corpora/gold --docs corpora/docs
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
@click.option("--catalog", "catalog_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The archive's catalogue (CSV with a header, TSV or JSONL; a `file` column and any of url, "
                   "outlet, title, published): fills what a text does not say; problems are reported (E402).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also load the outputs into this knowledge base (as `kb build --out DIR --db FILE`).")
@click.option("--debug", is_flag=True, help="Print tracebacks of internal errors (into the warnings log).")
def extract(paths: tuple[Path, ...], out_dir: Path, jobs: int | None, force: bool,
            progress: bool | None, time_limit: float, memory_limit: int, executor: str,
            scheduler: str | None, catalog_path: Path | None, db_path: Path | None, debug: bool) -> None:
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
        python -m pipeline extract corpora/docs --out outputs/corpora
        python -m pipeline extract archive/2019 archive/2020/report.pdf --out out -j 2
        python -m pipeline extract archive --out out --executor dask --scheduler tcp://10.0.0.5:8786
        python -m pipeline extract corpora/docs --out outputs/corpora --db outputs/kb.sqlite
        python -m pipeline extract archive --out out --catalog archive/catalogue.csv
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

    catalog = None
    if catalog_path is not None:
        from pipeline.catalog import Catalog
        from pipeline.errors import PipelineError

        try:
            catalog = Catalog.load(catalog_path)
        except PipelineError as err:
            raise click.ClickException(f"{catalog_path}: {err}") from None
    try:
        outcomes = run_batch(list(paths), out_dir, jobs=jobs, force=force, progress=show, debug=debug,
                             on_outcome=report, time_limit=time_limit or None,
                             memory_limit=memory_limit or None, executor=executor, scheduler=scheduler,
                             catalog=catalog)
    except (OutFolderBusy, ExecutorUnavailable) as err:
        raise click.ClickException(str(err)) from None
    for problem in outcomes.catalog_problems:  # rows that fit no input, or badly: never dropped silently
        echo(f"warning: {problem}")
    failed = [o for o in outcomes if o.status == "failed"]
    click.echo(summary(outcomes), err=True)
    for o in failed:
        click.echo(f"  failed {o.line()}", err=True)
    if db_path is not None and not outcomes.interrupted:
        _kb_build([out_dir], db_path, None, show)
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
    entry: dict = {}
    if floors:
        table = json.loads(floors.read_text(encoding="utf-8"))
        name = floor_set or gold_dir.name
        if name not in table or name.startswith("_"):
            raise click.UsageError(f"{floors} has no entry {name!r} "
                                   f"(entries: {', '.join(k for k in table if not k.startswith('_'))})")
        entry = table[name]
    with tempfile.TemporaryDirectory() as tmp:
        target = pred_dir or Path(tmp)
        if docs_dir is not None:
            outcomes = run_batch([docs_dir], target)
            for o in outcomes:
                if o.status == "failed":
                    click.echo(f"error: {o.line()}", err=True)
        report = score_folder(gold_dir, target, entry.get("_gold_files", "*.json"))
    click.echo(report.table())
    if json_out:
        json_out.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    if floors:
        below = check_floors(report, {k: v for k, v in entry.items() if not k.startswith("_")})
        for line in below:
            click.echo(f"below floor: {line}", err=True)
        sys.exit(1 if below else 0)


@main.group(context_settings=CONTEXT)
def kb() -> None:
    """The knowledge base: every extracted document in one SQLite file, entities merged.

    \b
    Example:
        python -m pipeline kb build outputs/corpora --db outputs/kb.sqlite
    """


@kb.command("build", context_settings=CONTEXT)
@click.argument("json_dirs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The SQLite file to create or update.")
@click.option("--judgements", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="JSONL of same/different decisions that override resolution (kb/judgements.jsonl).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr [default: only when stderr is a terminal].")
@click.option("--commit-every", "commit_every", type=click.IntRange(min=1), default=None,
              help="Documents loaded per transaction [default: 1000]: a killed build loads at most "
                   "these again; fewer commits build faster.")
def kb_build(json_dirs: tuple[Path, ...], db_path: Path, judgements: Path | None, progress: bool | None,
             commit_every: int | None) -> None:
    """Load the JSON that `extract` wrote (any number of folders) into one SQLite file and merge
    what several documents say about one official, agency, legal document or programme.

    Running it again changes nothing; a document whose file changed replaces its old facts; the
    same document reached through two folders is loaded once. A file that is not an extraction
    output is skipped with a one-line note.

    \b
    Example:
        python -m pipeline kb build outputs/corpora --db outputs/kb.sqlite
        python -m pipeline kb build out/2019 out/2020 --db kb.sqlite --judgements kb/judgements.jsonl
    """
    _kb_build(list(json_dirs), db_path, judgements, sys.stderr.isatty() if progress is None else progress,
              commit_every)


def _kb_build(dirs: list[Path], db_path: Path, judgements: Path | None, progress: bool,
              commit_every: int | None = None) -> None:
    from pipeline.kb.build import LOAD_GROUP, build

    try:
        summary = build(db_path, dirs, judgements=judgements, progress=progress,
                        on_skip=lambda path, reason: click.echo(f"note: {path}: skipped, {reason}", err=True),
                        load_group=commit_every or LOAD_GROUP)
    except ValueError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"{db_path}: {summary.line()}", err=True)


@main.command(context_settings=CONTEXT)
@click.argument("draft")
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The knowledge base to check against (from `kb build`).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="text: a report for the terminal; json: the contract's shape; html: the draft with every "
                   "number highlighted by verdict, sources on hover, one self-contained file.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file instead of standard output.")
def verify(draft: str, db_path: Path, fmt: str, out_file: Path | None) -> None:
    """Check every statistic in DRAFT against the knowledge base: supported, contradicted or not
    found, each with its source sentence.

    DRAFT is a file in any format `extract` reads, or - for standard input. Exit code 0 when
    nothing is contradicted, 1 when something is, 2 when the draft cannot be read.

    \b
    Example:
        python -m pipeline verify draft.txt --db outputs/kb.sqlite
        python -m pipeline verify draft.docx --db kb.sqlite --format html --out draft.html
        echo "Năm 2023, Lai Châu có 120 vụ." | python -m pipeline verify - --db kb.sqlite --format json
    """
    from pipeline.errors import PipelineError
    from pipeline.verify import Verifier
    from pipeline.verify_report import render

    verifier = Verifier(db_path)
    try:
        if draft == "-":
            result = verifier.verify_text(sys.stdin.read(), path="<stdin>")
        else:
            result = verifier.verify_file(Path(draft))
    except PipelineError as err:
        click.echo(f"error: {draft}: {err}", err=True)
        sys.exit(2)
    color = out_file is None and sys.stdout.isatty()
    text = render(result, fmt, color=color)
    if out_file is not None:
        out_file.write_text(text, encoding="utf-8")
    else:
        click.echo(text)
    sys.exit(1 if any(c["verdict"] == "contradicted" for c in result["claims"]) else 0)


# --- researchers' interfaces (pipeline/cli_research.py): query, serve, export ---
from pipeline.cli_research import export, query, serve  # noqa: E402

main.add_command(query)
main.add_command(serve)
main.add_command(export)
