"""`juesuan batch --scheduler`: the same batch on a Dask cluster (here a LocalCluster of two worker processes)
gives the local pool's documents byte for byte, its results, summary and exit codes; a worker that dies has
its jobs made elsewhere; a job that keeps killing workers is that unit's failed row; Ctrl-C leaves the cluster
usable; an unreachable scheduler or a missing Dask is one Chinese message."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from generator.batch.dask_engine import KILLED
from generator.batch.run import FAILED, OK, UNCHANGED, batch
from generator.cli import main
from tests.conftest import ROOT
from tests.test_batch import DEPARTMENT, _set

pytestmark = pytest.mark.slow  # every test here runs whole batches on worker processes
needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="Dask is not installed (pip install -e '.[dask]')")
SYNTHETIC_UNITS = 40
KILLED_UNITS = 12


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread, configured as `--scheduler local:2` starts them."""
    import dask
    from distributed import Client, LocalCluster

    from generator.batch.dask_engine import LOCAL_CLUSTER, DaskEngine

    with dask.config.set(LOCAL_CLUSTER):
        local = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    with local, Client(local, set_as_default=False) as client:
        yield local, client, DaskEngine(client)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[Path, Path]:
    """40 synthetic units (bench/synth.py) and what the local process pool makes of them."""
    from bench.synth import make

    work = tmp_path_factory.mktemp("synthetic")
    make(work / "units", SYNTHETIC_UNITS)
    run = batch(work / "units", work / "pool", jobs=2)
    assert len(run.results) == SYNTHETIC_UNITS and all(r.status == OK for r in run.results)
    return work / "units", work / "pool"


@pytest.fixture
def department(tmp_path) -> Path:
    copy = tmp_path / "单位数据"
    shutil.copytree(DEPARTMENT, copy)
    return copy


def _documents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.docx"))}


def _same_documents(made: Path, pool: Path) -> None:
    mine, theirs = _documents(made), _documents(pool)
    assert mine.keys() == theirs.keys()
    different = [name for name in mine if mine[name] != theirs[name]]
    assert not different, f"not byte-identical to the pool's: {different}"


def _summary(out: Path) -> dict[str, list[tuple]]:
    """The summary workbook's sheets, without what differs between two runs: seconds and the output folder."""
    book = openpyxl.load_workbook(out / "批量生成汇总.xlsx")
    sheets = {}
    for ws in book.worksheets:
        rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
        if ws.title == "生成结果":
            rows = [(*r[:6], Path(r[6]).name if r[6] else r[6], *r[8:]) for r in rows]
        sheets[ws.title] = rows
    return sheets


def _manifest(out: Path) -> list[str]:
    lines = (out / ".juesuan" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted(re.sub(r'"seconds": [0-9.]+', "", line) for line in lines)


def _table(text: str, out: Path) -> list[str]:
    """The results table as printed, with the seconds and the output folder taken out."""
    text = text.replace(str(out), "OUT")
    return [" ".join(re.sub(r"\b\d+\.\ds\b", "", line).split()) for line in text.splitlines()]


@needs_dask
def test_the_cli_on_local_workers_prints_writes_and_exits_as_the_pool_does(department, tmp_path, capsys):
    _set(department / "益阳市政务大厅服务中心_2020.xlsx", "收支总表", "本年支出合计", "本年数", 999)  # a failing unit
    pool, dask = tmp_path / "pool", tmp_path / "dask"
    assert main(["batch", str(department), "--output", str(pool), "--jobs", "2"]) == 2
    pool_out = capsys.readouterr().out
    assert main(["batch", str(department), "--output", str(dask), "--scheduler", "local:2"]) == 2
    captured = capsys.readouterr()
    assert "使用Dask 调度器 tcp://127.0.0.1:" in captured.err and "2 个工作进程" in captured.err
    assert "失败" in captured.out and "益阳市政务大厅服务中心" in captured.out
    assert _table(captured.out, dask) == _table(pool_out, pool)
    _same_documents(dask, pool)
    assert _summary(dask) == _summary(pool)  # the findings name the client's workbook paths, not the worker's
    assert _manifest(dask) == _manifest(pool)


@needs_dask
def test_a_corrected_cell_remakes_the_same_documents_with_the_same_change_lists(cluster, department, tmp_path):
    _, _, engine = cluster
    pool, dask = tmp_path / "pool", tmp_path / "dask"
    batch(department, pool, jobs=2)
    batch(department, dask, engine=engine)
    _set(department / "益阳市智慧城市和大数据中心_2020.xlsx", "其他事项", "国内公务接待批次", "本年数", 5)
    by_pool, by_dask = batch(department, pool, jobs=2), batch(department, dask, engine=engine)
    remade = {r.unit for r in by_dask.results if r.status == OK}
    assert remade == {r.unit for r in by_pool.results if r.status == OK} == {"益阳市智慧城市和大数据中心",
                                                                               "益阳市行政审批服务局（部门汇总）"}
    assert _manifest(dask) == _manifest(pool)
    changes = {p.name: p.read_text(encoding="utf-8") for p in sorted(dask.glob("*_变更.txt"))}
    assert changes and changes == {p.name: p.read_text(encoding="utf-8") for p in sorted(pool.glob("*_变更.txt"))}
    assert "2 → 5" in changes["益阳市智慧城市和大数据中心2020年度部门决算_变更.txt"]
    _same_documents(dask, pool)


@needs_dask
def test_forty_synthetic_units_on_the_cluster_are_the_pools_documents(cluster, synthetic, tmp_path):
    _, _, engine = cluster
    units, pool = synthetic
    seen = []
    run = batch(units, tmp_path / "dask", engine=engine, progress=seen.append)
    assert len(seen) == SYNTHETIC_UNITS and all(r.status == OK for r in run.results) and run.complete
    _same_documents(tmp_path / "dask", pool)
    assert _summary(tmp_path / "dask") == _summary(pool)


def _kill_a_busy_worker(client) -> list:
    """SIGKILL a worker process that is making a document; returns the tasks it was running."""
    pids = client.run(os.getpid)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        busy = {address: keys for address, keys in client.processing().items() if keys}
        if busy:
            address, keys = next(iter(busy.items()))
            os.kill(pids[address], signal.SIGKILL)
            return keys
        time.sleep(0.05)
    raise AssertionError("no worker was ever busy")


@needs_dask
def test_a_worker_killed_mid_batch_still_gives_every_document(cluster, synthetic, tmp_path):
    _, client, engine = cluster
    every, pool = synthetic
    units = tmp_path / "units"  # a dozen of them is enough to kill a worker in the middle
    units.mkdir()
    for book in sorted(every.glob("*.xlsx"))[:KILLED_UNITS]:
        shutil.copy(book, units)
    before = set(client.run(os.getpid).values())
    killed = []

    def kill_once(result) -> None:
        if not killed:
            killed.extend(_kill_a_busy_worker(client))

    run = batch(units, tmp_path / "dask", engine=engine, progress=kill_once)
    assert killed, "a worker was killed while it made a document"
    assert all(r.status == OK for r in run.results) and len(run.results) == KILLED_UNITS and run.complete
    made = _documents(tmp_path / "dask")
    assert len(made) == KILLED_UNITS and all(made[name] == (pool / name).read_bytes() for name in made)
    client.wait_for_workers(2, timeout=60)
    assert set(client.run(os.getpid).values()) != before, "the killed worker was replaced by a new process"


@needs_dask
def test_a_job_that_keeps_killing_workers_fails_alone_with_a_reason(cluster, department, tmp_path):
    local, client, engine = cluster
    allowed = local.scheduler.allowed_failures
    local.scheduler.allowed_failures = 0  # "repeatedly" is then once: the next death gives up on the job
    killed = []

    def kill_once(result) -> None:
        if not killed:
            killed.extend(_kill_a_busy_worker(client))

    try:
        run = batch(department, tmp_path / "dask", engine=engine, progress=kill_once)
    finally:
        local.scheduler.allowed_failures = allowed
    failed = [r for r in run.results if r.status == FAILED]
    assert killed and failed, "the job on the killed worker is given up"
    assert all(r.note == KILLED.format(n=1) for r in failed)
    assert all(r.status == OK for r in run.results if r not in failed) and len(run.results) == 5
    assert not run.complete
    made = {p.name for p in (tmp_path / "dask").glob("*.docx")}
    assert len(made) == 5 - len(failed)
    rows = {row[0]: row for row in _summary(tmp_path / "dask")["生成结果"][1:]}
    assert all(rows[r.unit][3] == FAILED and "工作进程意外退出" in rows[r.unit][-1] for r in failed)
    client.wait_for_workers(2, timeout=60)


@needs_dask
def test_ctrl_c_cancels_the_jobs_and_leaves_the_cluster_usable(cluster, department, tmp_path):
    _, client, engine = cluster
    out = tmp_path / "dask"

    def interrupt(result) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        batch(department, out, engine=engine, progress=interrupt)
    deadline = time.monotonic() + 10
    while any(client.processing().values()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(client.processing().values()), "the jobs left on the cluster were cancelled"
    assert not (out / ".juesuan" / "lock").read_text(), "the lock is released"
    again = batch(department, out, engine=engine)
    assert {r.status for r in again.results} <= {OK, UNCHANGED} and len(again.results) == 5 and again.complete
    assert sum(r.status == UNCHANGED for r in again.results) == 1, "the document written before Ctrl-C is kept"


@needs_dask
def test_an_unreachable_scheduler_is_one_chinese_message_and_exit_2(department, tmp_path, capsys):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["batch", str(department), "--output", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "无法连接 Dask 调度器 tcp://127.0.0.1:1" in err and "dask scheduler" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists(), "nothing is written when the cluster cannot be reached"


def test_a_scheduler_that_is_not_an_address_is_refused(department, tmp_path, capsys):
    assert main(["batch", str(department), "--output", str(tmp_path / "out"), "--scheduler", "8786"]) == 2
    assert "--scheduler 的值“8786”无法识别" in capsys.readouterr().err


def test_without_dask_the_option_says_how_to_install_it(department, tmp_path):
    """Dask made unimportable in a fresh interpreter, as on a machine without the extra."""
    code = ("import sys; sys.modules['distributed'] = None\n"
            "from generator.cli import main\n"
            f"sys.exit(main(['batch', {str(department)!r}, '--output', {str(tmp_path / 'out')!r}, '--scheduler', 'local:2']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2, done.stderr
    assert "需要安装 Dask：pip install 'juesuan[dask]'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
