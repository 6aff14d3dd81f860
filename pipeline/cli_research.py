"""Commands for researchers: `query` (questions over a knowledge base), `serve` (the web view) and
`export` (tables and queries to CSV or Parquet). Registered on the main group in pipeline/cli.py.

Every `query` subcommand takes the same output options, as sqlite-utils' commands do:
`--db FILE` (or $VNREPORT_DB), `--format table|json|jsonl|csv` and `--limit N`.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def db_option(f):
    return click.option("--db", "db_path", required=True, envvar="VNREPORT_DB",
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="The knowledge base (`kb build --db FILE`) [env: VNREPORT_DB].")(f)


def output_options(f):
    """--db, --format and --limit, shared by every query command."""
    f = click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N rows.")(f)
    f = click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]), default="table",
                     show_default=True, help="table for reading; json, jsonl (one object a line) or csv for programs.")(f)
    return db_option(f)


def _answer(fn):
    """Open the knowledge base, run the question, print the rows; errors as one line, never a
    traceback; an ambiguous name lists the candidates (exit 1)."""
    @functools.wraps(fn)
    def wrapper(db_path: Path, fmt: str, limit: int | None, **kwargs):
        from pipeline import query as Q
        from pipeline.query.output import write

        try:
            conn = Q.connect(db_path)
            result = fn(Q, conn, limit=limit, **kwargs)
        except Q.Ambiguous as err:
            click.echo(f"error: {err}", err=True)
            rows = [c.as_row() for c in err.candidates]
            write(list(rows[0]), [list(r.values()) for r in rows], fmt, sys.stdout)
            sys.exit(1)
        except (Q.QueryError, Q.NotFound) as err:
            raise click.ClickException(str(err).strip('"')) from None
        write(result.columns, result.rows, fmt, sys.stdout)
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
    return wrapper


@click.group(context_settings=CONTEXT)
def query() -> None:
    """Ask the knowledge base researchers' questions; every row names the document and the span
    (doc_id, start, end) it comes from.

    Names match with or without tone marks and in part ('tran quoc to' finds Trần Quốc Tỏ); a
    name that could be several entities lists them instead of guessing (give a fuller name or
    an entity id). Output: --format table|json|jsonl|csv, --limit N, on every subcommand.

    \b
    Example:
        python -m pipeline query officials "tran quoc to" --db outputs/kb.sqlite
        python -m pipeline query outcomes --place "Nghệ An" --period 2024 --db outputs/kb.sqlite --format csv
        python -m pipeline query search "mua bán người" --db outputs/kb.sqlite
    """


@query.command(context_settings=CONTEXT)
@click.argument("name", required=False)
@click.option("--place", help="Province, district or city of the post (a district is in its province).")
@click.option("--agency", help="The body the post is in (name, acronym or entity id).")
@click.option("--when", help="YYYY or YYYY-MM: posts whose reports span that time.")
@output_options
@_answer
def officials(Q, conn, name, place, agency, when, limit):
    """Each official with their posts over time: rank, post, organisation, place, earliest and
    latest report of each post, how many reports, the reports, and the span of the first.

    \b
    Example:
        python -m pipeline query officials "phan van loc" --db outputs/kb.sqlite
        python -m pipeline query officials --place "Thanh Hóa" --when 2023 --db outputs/kb.sqlite
        python -m pipeline query officials --agency "Công an tỉnh Hà Tĩnh" --db outputs/kb.sqlite --format json
    """
    return Q.officials(conn, name, place=place, agency=agency, when=when, limit=limit)


@query.command(context_settings=CONTEXT)
@click.option("--program", help="Programme, movement or campaign (name in part, or entity id).")
@click.option("--agency", help="Agency the figure is reported by or for.")
@click.option("--place", help="Province, district or city (a district's figures count for its province).")
@click.option("--period", help="YYYY, YYYY-MM or YYYY/YYYY: figures whose period overlaps it.")
@click.option("--unit", help="What is counted ('vụ', 'nguồn tin', 'lượt người'; with or without tone marks).")
@click.option("--document", help="Legal document the figure is reported under ('Chỉ thị 09').")
@click.option("--sum", "add_up", is_flag=True,
              help="Add up comparable figures (same unit, same period) and list those that cannot be added.")
@output_options
@_answer
def outcomes(Q, conn, program, agency, place, period, unit, document, add_up, limit):
    """Every reported figure with its hedge and bounds, period, place, programme, agency, legal
    document and the sentence it stands in.

    With --sum: one row per unit and period with the total and the bounds the hedges allow
    ("hơn 86.000" adds an open upper bound), and one row per figure not added, with the reason:
    a percentage, no period, the same figure from a second report (counted once), or a
    district's figure when its province has one for the same unit and period.

    \b
    Example:
        python -m pipeline query outcomes --program "phu nu voi phap luat" --db outputs/kb.sqlite
        python -m pipeline query outcomes --place "Nghệ An" --period 2024 --unit vụ --db outputs/kb.sqlite
        python -m pipeline query outcomes --unit "lượt người" --sum --db outputs/kb.sqlite
    """
    fn = Q.totals if add_up else Q.outcomes
    return fn(conn, program=program, agency=agency, place=place, period=period, unit=unit, document=document,
              limit=limit)


@query.command(context_settings=CONTEXT)
@click.argument("name", required=False)
@click.option("--place", help="Programmes of that place, or named in reports about it.")
@output_options
@_answer
def programs(Q, conn, name, place, limit):
    """Programmes, movements and campaigns: kind, how many reports name them and when, their
    figures, the agencies reporting them and the legal text they rest on.

    \b
    Example:
        python -m pipeline query programs --db outputs/kb.sqlite
        python -m pipeline query programs "toan dan bao ve an ninh" --db outputs/kb.sqlite
    """
    return Q.programs(conn, name, place=place, limit=limit)


@query.command(context_settings=CONTEXT)
@click.argument("name", required=False)
@click.option("--place", help="Province of the agency.")
@click.option("--level", type=click.Choice(["central", "province", "district", "commune"]),
              help="Administrative level.")
@output_options
@_answer
def agencies(Q, conn, name, place, level, limit):
    """Agencies: level, province, how many reports name them, their officials and figures.

    \b
    Example:
        python -m pipeline query agencies --level central --db outputs/kb.sqlite
        python -m pipeline query agencies "cong an tinh" --place "Hà Tĩnh" --db outputs/kb.sqlite
    """
    return Q.agencies(conn, name, place=place, level=level, limit=limit)


@query.command(context_settings=CONTEXT)
@click.argument("name", required=False)
@click.option("--issuer", help="Who issued it ('Ban Bí thư', 'Chính phủ').")
@output_options
@_answer
def documents(Q, conn, name, issuer, limit):
    """Legal documents: symbol, date, issuer and subject, the reports that cite them, the
    figures reported under each and the programmes based on it.

    \b
    Example:
        python -m pipeline query documents "Chỉ thị 09" --db outputs/kb.sqlite
        python -m pipeline query documents --issuer "ban bi thu" --db outputs/kb.sqlite
    """
    return Q.legal_documents(conn, name, issuer=issuer, limit=limit)


@query.command(context_settings=CONTEXT)
@click.argument("text")
@output_options
@_answer
def search(Q, conn, text, limit):
    """Full-text search over every sentence: the hit between « and », its document, date and a
    citation (file, date, character span). Without tone marks the search ignores them ('ha noi'
    finds Hà Nội); with them it keeps them ('Hà' never finds Hạ).

    \b
    Example:
        python -m pipeline query search "ha tinh" --db outputs/kb.sqlite
        python -m pipeline query search "mua bán người" --db outputs/kb.sqlite --format jsonl --limit 20
    """
    return Q.search(conn, text, limit=limit)


@query.command("sql", context_settings=CONTEXT)
@click.argument("statement")
@click.option("--param", "-p", "params", type=(str, str), multiple=True,
              help="A named parameter: -p name value (used as :name).")
@output_options
@_answer
def sql_command(Q, conn, statement, params, limit):
    """Read-only SQL over the knowledge base, with the vn_* functions (vn_fold, vn_match,
    vn_in_place, vn_province, vn_fts, vn_highlight, …; see the README). A statement that
    writes is refused.

    \b
    Example:
        python -m pipeline query sql "SELECT kind, count(*) AS n FROM entities GROUP BY kind" --db outputs/kb.sqlite
        python -m pipeline query sql "SELECT name FROM entities WHERE vn_match(name, :q)" -p q "ha tinh" --db outputs/kb.sqlite
    """
    return Q.sql(conn, statement, dict(params), limit=limit)


@click.command(context_settings=CONTEXT)
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port to listen on.")
def serve(db_path: Path, host: str, port: int) -> None:
    """Serve the knowledge base as a Datasette site, read-only, from this process.

    Tables and columns described in plain language, facets on province, year, kind, unit and
    agency level, the researchers' questions as canned queries with form fields, one search box
    over every document and sentence (/-/find), a page per document with every mention
    highlighted (/-/document/ID), links from every row to its source span, and JSON and CSV of
    every table and query.

    \b
    Example:
        python -m pipeline serve --db outputs/kb.sqlite
        python -m pipeline serve --db outputs/kb.sqlite --port 8080
    """
    from pipeline.query import QueryError
    from pipeline.web.server import serve as run_server

    try:
        run_server(db_path, host=host, port=port)
    except QueryError as err:
        raise click.ClickException(str(err)) from None


@click.command(context_settings=CONTEXT)
@click.argument("table", required=False)
@db_option
@click.option("--sql", "sql_text", help="Export the rows of this read-only query instead of a table.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), required=True,
              help="csv (UTF-8, header row) or parquet (typed columns, descriptions in the schema).")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (replaced when it exists).")
def export(table: str | None, db_path: Path, sql_text: str | None, fmt: str, out_file: Path) -> None:
    """Write a table (or the rows of --sql) to CSV or Parquet. Columns are the table's, as
    pipeline/kb/schema.py describes them; a Parquet file carries each column's description in its
    schema metadata.

    \b
    Example:
        python -m pipeline export outcomes --db outputs/kb.sqlite --format parquet --out outcomes.parquet
        python -m pipeline export --sql "SELECT * FROM positions WHERE place = 'Hà Tĩnh'" --db outputs/kb.sqlite \\
            --format csv --out ha_tinh_posts.csv
    """
    from pipeline.export import ExportError, export as run_export

    if (table is None) == (sql_text is None):
        raise click.UsageError("give a TABLE or --sql QUERY (one of the two)")
    try:
        n = run_export(db_path, out_file, fmt, table=table, sql=sql_text)
    except ExportError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"{out_file}: {n} rows", err=True)
