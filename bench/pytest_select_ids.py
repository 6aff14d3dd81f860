"""A pytest plugin for timing the same tests at two commits: write the collected test ids at one,
run only those (that still exist) at another.

usage, from a checkout whose ../shared is present (without it the shared-data tests skip, and a
timing compares less work):
    PYTHONPATH=bench IDSEL=dump IDFILE=/tmp/ids.json .venv/bin/python -m pytest -p pytest_select_ids --collect-only -q
    PYTHONPATH=bench IDSEL=select IDFILE=/tmp/ids.json .venv/bin/python -m pytest -p pytest_select_ids -q -o addopts=--doctest-modules

Measured 2026-11-29 with ../shared present: the 599 tests that exist both at 80a5966 (before
issue 7's rework) and now, in two back-to-back pairs: 13.5 and 13.6 s there, 10.1 and 10.2 s now
(pytest's own count; a later lone run here 12.6 s). From a worktree without ../shared, 80a5966
ran them in 5.4 s with 13 skipped: the earlier "5.7 s" compared against that.
"""
from __future__ import annotations

import json
import os


def pytest_collection_modifyitems(config, items):
    mode = os.environ.get("IDSEL")
    if mode == "dump":
        with open(os.environ["IDFILE"], "w", encoding="utf-8") as fh:
            json.dump([item.nodeid for item in items], fh)
    elif mode == "select":
        with open(os.environ["IDFILE"], encoding="utf-8") as fh:
            keep = set(json.load(fh))
        config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in keep])
        items[:] = [item for item in items if item.nodeid in keep]
