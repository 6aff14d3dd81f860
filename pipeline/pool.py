"""A supervised pool of worker processes: one file per worker at a time, watched by the main
process, so one bad file costs only itself.

Why not `concurrent.futures.ProcessPoolExecutor`: when one of its workers dies the whole pool
breaks and every queued file fails; it cannot stop a file that runs too long; its workers
outlive a killed main process; and Ctrl-C leaves it draining the queue. Here the main process
knows which file each worker holds, and:
- a file over the per-file time limit is stopped inside the worker (an alarm raises in it, so
  the worker lives on) or, if that does not work within a grace period, the worker is killed:
  E109; a worker whose memory grows past the limit is killed: E110; a worker that dies fails
  only the file it held: E111. A killed worker is replaced and the queue goes on.
- workers are forked from a fork server that has imported the pipeline once, so a replacement
  starts warm in a fraction of a second;
- workers ignore Ctrl-C (the main process decides) and die with the main process, whatever
  kills it: the kernel signals them when their parent (the fork server, which exits when the
  main process does) dies, and each also watches a pipe only the main process holds open.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Callable

GRACE = 5.0  # seconds between the in-worker alarm and killing the worker
POLL = 0.2  # how often the main process looks at deadlines and memory
RECYCLE_FRACTION = 0.5  # a worker that has grown past this share of the memory limit after a file is replaced
# (256 MB by default: a warm worker holds about 205 MB, and a stream of odd inputs leaves memory behind;
# measured on 300 generated bad inputs, workers drifted to 300 MB and more at 0.7)


def _rss(pid: int) -> int | None:
    """Resident set size in bytes (Linux /proc), or None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _reset_peak() -> None:
    """Start measuring this process's peak RSS afresh (Linux: clear_refs 5 resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _peak() -> int | None:
    """Peak RSS in bytes since the last `_reset_peak` (VmHWM), or None where unknown."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _watch_lifeline(conn) -> None:
    """Exit as soon as the main process is gone (its end of the pipe closes)."""
    try:
        conn.recv()
    except (EOFError, OSError):
        pass
    os._exit(3)


def _cap_address_space(limit: int | None) -> None:
    """Let the worker grow by at most `limit` bytes beyond what it has mapped once warm, so a
    runaway allocation raises MemoryError inside the worker (a clean failure) rather than
    waiting for the main process's next look at its memory or the kernel's OOM killer."""
    if not limit:
        return
    try:
        import resource

        with open("/proc/self/statm", "rb") as fh:
            vsize = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = vsize + limit
        if hard == resource.RLIM_INFINITY or cap < hard:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (OSError, ValueError, ImportError):
        pass


class TimeUp(BaseException):
    """Raised inside a worker by the per-file alarm (a BaseException, so that libraries'
    `except Exception` blocks do not swallow it)."""


_alarm_fired = False


def _alarm(signum, frame):
    global _alarm_fired
    _alarm_fired = True  # kept even if the TimeUp below lands in a finaliser, which swallows it
    raise TimeUp()


def worker_main(conn, lifeline, init: Callable[[dict], None], run: Callable[[dict], dict],
                settings: dict) -> None:
    """A worker: set up, say ready, then run one task at a time until told to stop."""
    parent = os.getppid()
    die_with_parent()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(3)
    threading.Thread(target=_watch_lifeline, args=(lifeline,), daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, _alarm)
    init(settings)
    _cap_address_space(settings.get("memory_limit"))
    limit = settings.get("time_limit") or 0
    conn.send(("ready", os.getpid(), None))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        if msg is None:
            break
        _reset_peak()
        global _alarm_fired
        _alarm_fired = False
        try:
            if limit:
                signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                result = run(msg)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if _alarm_fired:  # the alarm's exception was swallowed (raised inside a finaliser)
                raise TimeUp()
        except TimeUp:
            result = {"status": "failed", "code": "time-limit", "reason": None, "recycle": True}
        peak = _peak()
        if peak:
            result["peak_rss"] = peak
        conn.send(("done", os.getpid(), result))
        if result.get("recycle"):
            # stopped in the middle of a library call, or grew large: its state is not to be
            # trusted with the next file; the main process starts a fresh worker
            break
    conn.close()


def start_forkserver(preload: tuple[str, ...]) -> None:
    """Start the fork server now (it imports `preload` in its own process), so that its
    start-up overlaps with whatever the caller does before the first worker is needed."""
    if "forkserver" not in mp.get_all_start_methods():
        return
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))
    try:
        from multiprocessing import forkserver

        forkserver.ensure_running()
    except (OSError, ValueError):
        pass


MAX_FAILED_STARTS = 3


class WorkersCannotStart(RuntimeError):
    """Workers die before they are ready (a broken installation, not a bad file)."""


@dataclass
class _Worker:
    proc: mp.Process
    conn: object
    lifeline: object
    ready: bool = False
    task: object = None
    key: object = None
    started: float = 0.0
    killed_for: str | None = None
    peak_rss: int = 0
    exiting: bool = False


@dataclass
class PoolEvent:
    key: object
    result: dict
    seconds: float
    worker_rss: int | None = None


@dataclass
class LocalPool:
    """Run `run(task)` in `jobs` worker processes; results come back as `PoolEvent`s.

    `init(settings)` runs once per worker (the warm-up hook); `run` and `init` must be
    importable top-level functions. A result dict is whatever `run` returned, or
    {"status": "failed", "code": "time-limit" | "memory-limit" | "worker-died", "reason": ...}
    from the supervision.
    """

    jobs: int
    init: Callable[[dict], None]
    run: Callable[[dict], dict]
    settings: dict = field(default_factory=dict)
    time_limit: float | None = None
    memory_limit: int | None = None  # bytes
    preload: tuple[str, ...] = ()
    workers: list[_Worker] = field(default_factory=list)
    peak_rss: int = 0
    respawns: int = 0
    failed_starts: int = 0
    last_exit: int | None = None

    def __post_init__(self) -> None:
        if "forkserver" in mp.get_all_start_methods():
            self.ctx = mp.get_context("forkserver")
            if self.preload:
                self.ctx.set_forkserver_preload(list(self.preload))
        else:  # pragma: no cover - platforms without fork
            self.ctx = mp.get_context("spawn")

    # -- workers -------------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        here, there = self.ctx.Pipe(duplex=True)
        life_r, life_w = self.ctx.Pipe(duplex=False)
        settings = dict(self.settings, time_limit=self.time_limit, memory_limit=self.memory_limit)
        proc = self.ctx.Process(target=worker_main, args=(there, life_r, self.init, self.run, settings),
                                daemon=True, name="vnreport-worker")
        proc.start()
        there.close()
        life_r.close()
        w = _Worker(proc, here, life_w)
        self.workers.append(w)
        return w

    def _retire(self, w: _Worker, kill: bool) -> None:
        if kill and w.proc.is_alive():
            try:
                w.proc.kill()
            except OSError:
                pass
        w.proc.join(timeout=5)
        for c in (w.conn, w.lifeline):
            try:
                c.close()
            except OSError:
                pass
        if w in self.workers:
            self.workers.remove(w)

    def close(self, kill: bool = False) -> None:
        for w in list(self.workers):
            if not kill and w.task is None and w.proc.is_alive():
                try:
                    w.conn.send(None)
                except OSError:
                    pass
        for w in list(self.workers):
            if not kill:
                w.proc.join(timeout=2)
            self._retire(w, kill=True)

    # -- running ---------------------------------------------------------------------------
    def map(self, tasks: list[tuple[object, dict]], stop: Callable[[], bool]):
        """Yield a PoolEvent per (key, task); stop early (killing busy workers) when `stop()`.

        Returns (through StopIteration's value) nothing; keys not yielded were not finished.
        """
        queue = list(reversed(tasks))
        want = max(1, min(self.jobs, len(tasks)))
        while queue or any(w.task is not None for w in self.workers):
            if stop():
                return
            while len(self.workers) < want and queue:
                if self.failed_starts > MAX_FAILED_STARTS:
                    raise WorkersCannotStart(self.last_exit)
                self._spawn()
            for w in self.workers:
                if w.ready and not w.exiting and w.task is None and queue:
                    key, task = queue.pop()
                    try:
                        w.conn.send(task)
                    except OSError:
                        queue.append((key, task))
                        continue
                    w.task, w.key, w.started, w.killed_for = task, key, time.monotonic(), None
            waitables = [w.conn for w in self.workers] + [w.proc.sentinel for w in self.workers]
            for obj in wait(waitables, timeout=POLL):
                w = next((x for x in self.workers if obj in (x.conn, x.proc.sentinel)), None)
                if w is None:
                    continue
                event = self._receive(w)
                if event is not None:
                    yield event
            now = time.monotonic()
            for w in list(self.workers):
                if w.task is None or w.killed_for:
                    continue
                rss = _rss(w.proc.pid)
                if rss:
                    w.peak_rss = max(w.peak_rss, rss)
                    self.peak_rss = max(self.peak_rss, rss)
                if self.memory_limit and rss and rss > self.memory_limit:
                    w.killed_for = "memory-limit"
                elif self.time_limit and now - w.started > self.time_limit + GRACE:
                    w.killed_for = "time-limit"
                if w.killed_for:
                    w.proc.kill()

    def _receive(self, w: _Worker) -> PoolEvent | None:
        msg = None
        if w.proc.is_alive() or w.conn.poll(0):
            try:
                if w.conn.poll(0):
                    msg = w.conn.recv()
            except (EOFError, OSError):
                msg = None
        if msg is not None:
            kind, pid, result = msg
            if kind == "ready":
                w.ready = True
                return None
            rss = _rss(w.proc.pid)
            if rss:
                w.peak_rss = max(w.peak_rss, rss)
                self.peak_rss = max(self.peak_rss, rss)
            event = PoolEvent(w.key, result, time.monotonic() - w.started, rss)
            w.task = w.key = None
            if result.get("recycle"):
                w.exiting = True  # it exits after this result: no new task for it
            if self.memory_limit and rss and rss > RECYCLE_FRACTION * self.memory_limit and not w.exiting:
                try:
                    w.conn.send(None)  # grown large on one file: start a fresh one
                except OSError:
                    pass
                self._retire(w, kill=False)
                self.respawns += 1
            return event
        if w.proc.is_alive():
            return None
        # the worker is gone
        w.proc.join(timeout=1)
        if not w.ready and not w.exiting:
            self.failed_starts += 1
            self.last_exit = w.proc.exitcode
        else:
            self.failed_starts = 0
        event = None
        if w.task is not None:
            code = w.killed_for or "worker-died"
            detail = None
            if code == "worker-died":
                ec = w.proc.exitcode
                detail = (f"killed by signal {signal.Signals(-ec).name}" if ec is not None and ec < 0
                          and -ec in signal.valid_signals() else f"exit status {ec}")
            event = PoolEvent(w.key, {"status": "failed", "code": code, "reason": detail},
                              time.monotonic() - w.started, w.peak_rss or None)
        self._retire(w, kill=True)
        self.respawns += 1
        return event
