"""Build the Datasette object over one knowledge base and serve it in this process.

The database is opened immutable (read-only, no locking, row counts computed once), the
metadata is generated (pipeline.web.metadata), and our plugin is registered when Datasette's
entry points have not already done it. `serve` runs uvicorn in-process, so the PID that
started it is the server's.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

SETTINGS = {
    # facets are configured per table; suggesting more runs a query per column of every page
    "suggest_facets": False,
    "sql_time_limit_ms": 1000,   # Datasette's default, named: bench/bench_web.py measures against it
    "facet_time_limit_ms": 1000,
    "default_page_size": 50,
}


def _register_plugin() -> None:
    from datasette.plugins import pm

    import pipeline.web as plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="vnreport")


def make_datasette(db_path: Path | str, settings: dict | None = None):
    from datasette.app import Datasette

    from pipeline.query import connect
    from pipeline.web.metadata import metadata

    path = Path(db_path).resolve()
    connect(path).close()  # a clear error for a missing file or one that is not a knowledge base
    _register_plugin()
    ds = Datasette(immutables=[str(path)], metadata=metadata(path.stem),
                   settings={**SETTINGS, **(settings or {})})
    return ds


async def start(ds) -> None:
    await ds.invoke_startup()
    await ds.refresh_schemas()


def serve(db_path: Path | str, host: str = "127.0.0.1", port: int = 8001) -> None:
    import uvicorn

    ds = make_datasette(db_path)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(start(ds))
    loop.close()
    print(f"Serving {db_path} at http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
