"""The per-file time limit holds even when the stopping exception lands where Python swallows it
(a finaliser: "Exception ignored in ..."), in the local pool's workers and in the function a Dask
worker runs. Seen in CI: a text stopped by one executor finished under the other."""
from __future__ import annotations

import time

import pytest

from pipeline import batch, dask_executor
from pipeline.pool import LocalPool


class _SlowFinaliser:
    def __del__(self):
        end = time.monotonic() + 1.5
        while time.monotonic() < end:  # Python code: the stop lands here and is swallowed
            pass


def _noop_init(settings: dict) -> None:
    pass


def work(task: dict) -> dict:
    if task["slow"]:
        obj = _SlowFinaliser()
        del obj
    return {"status": "done", "code": None, "reason": None}


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("slow, status", [(True, "failed"), (False, "done")])
def test_pool_time_limit_holds_when_the_stop_lands_in_a_finaliser(slow, status):
    pool = LocalPool(1, _noop_init, work, time_limit=0.3)
    try:
        events = list(pool.map([("a", {"slow": slow})], stop=lambda: False))
    finally:
        pool.close()
    assert [(e.key, e.result["status"], e.result.get("code")) for e in events] == [
        ("a", status, "time-limit" if slow else None)]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("slow, status", [(True, "failed"), (False, "done")])
def test_dask_task_time_limit_holds_when_the_stop_lands_in_a_finaliser(monkeypatch, tmp_path, slow, status):
    monkeypatch.setattr(batch, "worker_run", work)
    result, _ = dask_executor.run_task({"slow": slow}, 0.3, str(tmp_path / "marker"))
    assert (result["status"], result.get("code")) == (status, "time-limit" if slow else None)



_KEPT: list[bytes] = []


def grow_and_say_pid(task: dict) -> dict:
    """Keeps `task["mb"]` megabytes alive in the worker (memory an odd input leaves behind) and
    says which process ran it and how large that process is."""
    import os

    from pipeline.pool import _rss

    if task["mb"]:
        _KEPT.append(b"x" * (task["mb"] << 20))  # written, so resident (bytes(n) would be untouched zero pages)
    return {"status": "done", "code": None, "reason": None, "pid": os.getpid(), "rss": _rss(os.getpid())}


def test_pool_worker_grown_past_half_the_memory_limit_is_replaced_between_files():
    probe = LocalPool(1, _noop_init, grow_and_say_pid)
    try:
        base = next(iter(probe.map([("p", {"mb": 0})], stop=lambda: False))).result["rss"]
    finally:
        probe.close()
    limit = 2 * (base + (100 << 20))  # replaced past base + 100 MB, stopped at twice that
    pool = LocalPool(1, _noop_init, grow_and_say_pid, memory_limit=limit)
    try:
        events = list(pool.map([("a", {"mb": 0}), ("b", {"mb": 200}), ("c", {"mb": 0})], stop=lambda: False))
    finally:
        pool.close()
    by_key = {e.key: e.result for e in events}
    assert [by_key[k]["status"] for k in "abc"] == ["done", "done", "done"]  # its file is done, not failed
    assert by_key["a"]["pid"] == by_key["b"]["pid"] != by_key["c"]["pid"]      # then a fresh worker
