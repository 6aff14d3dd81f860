"""`extract --executor dask` on a real dask.distributed LocalCluster (2 worker processes) gives
byte-identical outputs and the same report as the local pool, on the team corpus and (when
../shared is there) the shared seeds; bad files fail the same way."""
from __future__ import annotations

import filecmp
import json

import pytest

pytest.importorskip("distributed")

from pipeline.batch import run_batch  # noqa: E402
from tests.conftest import CORPORA, SHARED  # noqa: E402


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    bad = tmp_path_factory.mktemp("bad")
    (bad / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (bad / "loop.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n1 0 R\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    # a text near the size limit, dense with names and figures (3-4 s of work here since the words stage got
    # faster; the corpus's slowest file takes 0.09 s): stopped at a 1-second limit by both executors
    unit = "Ông Nguyễn Văn An, Giám đốc Sở Tài chính tỉnh Lai Châu, nhận 1.500 tỷ đồng và 2.300 hộ dân ngày 5/3/2024. "
    (bad / "slow.txt").write_text("Tin\n\n" + unit * (380_000 // len(unit)), encoding="utf-8")
    inputs = [CORPORA / "docs", bad] + ([SHARED / "seeds"] if (SHARED / "seeds").exists() else [])
    local, dask = tmp_path_factory.mktemp("local"), tmp_path_factory.mktemp("dask")
    lo = run_batch(inputs, local, jobs=2, time_limit=1)
    do = run_batch(inputs, dask, jobs=2, executor="dask", time_limit=1)
    return local, dask, lo, do


def _names(out):
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json") if not p.name.startswith("_"))


def test_batch_dask_outputs_identical_to_the_local_pool(both):
    local, dask, lo, do = both
    names = _names(local)
    assert names == _names(dask) and len(names) >= len(list((CORPORA / "docs").iterdir()))
    _, mismatch, errors = filecmp.cmpfiles(local, dask, names, shallow=False)
    assert not mismatch and not errors, mismatch


def test_batch_dask_same_report_as_the_local_pool(both):
    _, _, lo, do = both
    assert [(o.path, o.status, o.code, o.output_rel) for o in lo] == [(o.path, o.status, o.code, o.output_rel) for o in do]
    assert {(o.path.rsplit("/", 1)[-1], o.code) for o in do if o.status == "failed"} == {
        ("truncated.pdf", "E106"), ("loop.pdf", "E106"), ("slow.txt", "E109")}
    assert not do.interrupted


def test_batch_dask_resume_sees_local_outputs_as_unchanged(both):
    local, _, _, _ = both
    again = run_batch([CORPORA / "docs"], local, jobs=2, executor="dask")
    assert {o.status for o in again} == {"unchanged"}
    rows = [json.loads(ln) for ln in (local / "_extract_report.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(r["status"] in ("unchanged", "done", "failed", "skipped") for r in rows)
