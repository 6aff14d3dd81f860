"""`extract --executor dask`: the same per-file task on a Dask cluster.

Each Dask worker assembles the pipeline once (a worker plugin calls `batch._warm` and routes
library warnings to `_extract_warnings.log` in --out), then runs `batch.process_one` per file,
which writes the output straight into --out: on a cluster, --out and the inputs must be on a
filesystem every machine mounts at the same path. The main process plans the run (names,
resume, identical inputs) and writes the report exactly as with the local pool.

Without `--scheduler`, a `distributed.LocalCluster` of `--jobs` single-threaded worker processes
starts on this machine and stops with the run; its workers are killed with the main process.

Limits: a file over the time limit is stopped inside the worker (an exception raised in the
worker thread); if it does not stop within the grace period, the worker process exits, a marker
in --out/_tmp tells the main process why, and the file fails with E109. The memory limit is the
worker's own (`memory_limit`): a worker over it is restarted by its nanny and the file fails
with E111. Dask is told never to retry a task whose worker died (`allowed-failures: 0`), so a
file that kills workers fails once instead of killing three; on a cluster you start yourself,
start the scheduler with `DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=0` for the same.
"""
from __future__ import annotations

import ctypes
import logging
import os
import threading
import time
from collections import deque
from pathlib import Path

from distributed import WorkerPlugin

GRACE = 5.0
IN_FLIGHT_PER_WORKER = 4  # tasks submitted ahead of the results, so a million inputs do not
# become a million futures on the scheduler at once


class _Setup(WorkerPlugin):
    """Worker plugin: logging into --out, warm pipeline, die with the main process (local)."""

    name = "vnreport-setup"

    def __init__(self, settings: dict, local: bool) -> None:
        self.settings = settings
        self.local = local

    def setup(self, worker) -> None:
        from pipeline import batch, pool

        if self.local:
            pool.die_with_parent()
        batch.setup_worker_logging(self.settings.get("log_path"), redirect_stderr=False)
        batch._warm()

    def teardown(self, worker) -> None:
        pass


def _raise_in(thread_id: int, exc: type[BaseException]) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc))


def run_task(task: dict, time_limit: float | None, marker: str) -> tuple[dict, float]:
    """One file on a Dask worker, under the per-file time limit."""
    from pipeline import batch
    from pipeline.pool import TimeUp

    start = time.monotonic()
    done = threading.Event()
    lock = threading.Lock()
    me = threading.get_ident()
    fired = threading.Event()

    def watchdog() -> None:
        if done.wait(time_limit):
            return
        with lock:
            if done.is_set():
                return
            fired.set()  # the verdict even if the exception lands in a finaliser, which swallows it
            _raise_in(me, TimeUp)  # stops Python code at its next instruction
        if done.wait(GRACE):
            return
        try:  # stuck in C code: give up the worker, saying why
            Path(marker).parent.mkdir(parents=True, exist_ok=True)
            Path(marker).write_text("time-limit", encoding="utf-8")
        finally:
            os._exit(70)

    if time_limit:
        threading.Thread(target=watchdog, daemon=True).start()
    timeout = {"status": "failed", "code": "time-limit", "reason": None}
    from pipeline.pool import _peak, _reset_peak

    _reset_peak()  # one task at a time per worker process (threads_per_worker=1)
    try:
        try:
            result = batch.worker_run(task)
        except TimeUp:
            result = timeout
        with lock:
            done.set()
            if fired.is_set():
                result = timeout
    except TimeUp:  # raised just as the file finished
        result = timeout
        done.set()
    peak = _peak()
    if peak:
        result = dict(result, peak_rss=peak)
    return result, time.monotonic() - start


class DaskRunner:
    def __init__(self, scheduler: str | None, jobs: int | None, time_limit: float | None,
                 memory_limit: int | None, settings: dict) -> None:
        import dask
        from distributed import Client, LocalCluster

        # never retry a task whose worker died; no spilling or pausing (tasks hold no data to
        # spill, and a paused worker would stall the run): a worker over its limit is restarted
        dask.config.set({"distributed.scheduler.allowed-failures": 0,
                         "distributed.worker.memory.target": False,
                         "distributed.worker.memory.spill": False,
                         "distributed.worker.memory.pause": False,
                         "distributed.worker.memory.terminate": 0.95})
        # the scheduler and nannies of a LocalCluster live in this process: their notices go to
        # the warnings log in --out, not over the terminal and its progress bar
        dlog = logging.getLogger("distributed")
        dlog.setLevel(logging.WARNING)
        dlog.propagate = False
        if not any(isinstance(h, logging.FileHandler) for h in dlog.handlers):
            fh = logging.FileHandler(settings["log_path"], encoding="utf-8")
            fh.setFormatter(logging.Formatter("%(asctime)s pid %(process)d main: %(name)s %(levelname)s: %(message)s"))
            dlog.addHandler(fh)
        self._dlog_handlers = dlog.handlers
        self.time_limit = time_limit
        self.tmp = Path(settings["log_path"]).parent / "_tmp"
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler, timeout="30s")
        else:
            n = jobs or os.cpu_count() or 1
            self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                        memory_limit=f"{memory_limit}MB" if memory_limit else None,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.client.register_plugin(_Setup(settings, local=scheduler is None), name=_Setup.name)
        self.nworkers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.peak_rss = None
        self.respawns = 0

    def map(self, tasks, stop):
        from distributed import wait
        from distributed.client import FutureCancelledError

        from pipeline.pool import PoolEvent

        queue = deque(tasks)
        running: dict = {}
        limit = self.nworkers * IN_FLIGHT_PER_WORKER
        while queue or running:
            if stop():
                self.client.cancel(list(running))
                return
            while queue and len(running) < limit:
                key, task = queue.popleft()
                marker = str(self.tmp / f"dask-{key}.killed")
                fut = self.client.submit(run_task, task, self.time_limit, marker, key=f"vnreport-{key}-{time.time_ns()}",
                                         pure=False, retries=0)
                running[fut] = (key, marker, time.monotonic())
            try:
                done, _ = wait(list(running), timeout=0.25, return_when="FIRST_COMPLETED")
            except TimeoutError:
                continue
            for fut in done:
                key, marker, started = running.pop(fut)
                if fut.status == "finished":
                    result, seconds = fut.result()
                    yield PoolEvent(key, result, seconds)
                    continue
                try:
                    exc = fut.exception()
                except FutureCancelledError as err:
                    exc = err
                why = None
                try:
                    why = Path(marker).read_text(encoding="utf-8").strip()
                    os.remove(marker)
                except OSError:
                    pass
                self.respawns += 1
                if why == "time-limit" or type(exc).__name__ == "TimeUp":
                    yield PoolEvent(key, {"status": "failed", "code": "time-limit", "reason": None}, time.monotonic() - started)
                else:
                    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:160]
                    yield PoolEvent(key, {"status": "failed", "code": "worker-died",
                                          "reason": f"Dask worker lost: {detail}"}, time.monotonic() - started)

    def close(self, kill: bool = False) -> None:
        try:
            self.client.close(timeout=10)
        except Exception:  # closing a cluster that is already gone
            pass
        if self.cluster is not None:
            try:
                self.cluster.close(timeout=10)
            except Exception:
                pass
        dlog = logging.getLogger("distributed")
        for h in list(dlog.handlers):
            if isinstance(h, logging.FileHandler):
                dlog.removeHandler(h)
                h.close()
