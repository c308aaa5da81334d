"""A batch never loses a unit: every workbook is accounted for, every failure is one row, the output folder
survives a full disk, a damaged manifest and a killed run, and the processes end when they should."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document

import generator.batch.discover
import generator.document.render
import generator.workbook.reader
from generator.batch.manifest import NO_PREVIOUS_RECORD
from generator.batch.model import DUPLICATE, PREVIOUS, SKIPPED, UNREADABLE, Result
from generator.batch.run import FAILED, OK, UNCHANGED, BatchRun, batch
from generator.cli import _batch_table, _width, main
from generator.document.render import document_text
from tests.conftest import ROOT
from tests.test_batch import DEPARTMENT, _set, set_info

LESHAN = ROOT / "data_samples" / "乐山市金口河区行政审批局_2024.xlsx"
HOTLINE = "益阳市政务服务热线中心_2020.xlsx"
HALL = "益阳市政务大厅服务中心_2020.xlsx"
CONSOLIDATED = "益阳市行政审批服务局（部门汇总）"


@pytest.fixture
def folder(tmp_path) -> Path:
    copy = tmp_path / "单位数据"
    shutil.copytree(DEPARTMENT, copy)
    return copy


def rows(summary: Path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(summary)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]


def by_unit(run: BatchRun) -> dict[str, Result]:
    return {r.unit: r for r in run.results}


# ---------------------------------------------------------------- every workbook accounted for
@pytest.mark.slow
def test_the_newest_year_is_made_and_every_other_workbook_is_listed(folder, tmp_path, capsys):
    (folder / "2024").mkdir()
    shutil.copy(LESHAN, folder / "2024" / LESHAN.name)
    set_info(folder / HOTLINE, folder / "热线中心_2019.xlsx", 年度=2019)
    out = tmp_path / "out"
    assert main(["batch", str(folder), "--output", str(out), "--jobs", "2"]) == 2, "documents of 5 workbooks not made"
    printed = capsys.readouterr().out
    assert "已生成  乐山市金口河区行政审批局" in printed
    books = {r["文件"]: r for r in rows(out / "批量生成汇总.xlsx", "工作簿")}
    assert set(books) == {p.relative_to(folder).as_posix() for p in folder.rglob("*.xlsx")}
    for name, row in books.items():
        if name.startswith("2024"):
            assert row["处理情况"] == "本年数据"
        else:
            assert row["处理情况"] == SKIPPED and "本次处理的是 2024 年度" in row["说明"], row
            assert any(line.startswith(SKIPPED) and name in line for line in printed.splitlines()), name

    run = batch(folder, tmp_path / "out2020", jobs=2, year=2020)
    assert {r.unit for r in run.results} == {"益阳市行政审批服务局", CONSOLIDATED, "益阳市政务大厅服务中心",
                                             "益阳市智慧城市和大数据中心", "益阳市政务服务热线中心"}
    status = {w.path: (w.status, w.note) for w in run.workbooks}
    assert status["热线中心_2019.xlsx"] == (PREVIOUS, "作为益阳市政务服务热线中心的上年数据")
    assert status[f"2024/{LESHAN.name}"][0] == SKIPPED
    with pytest.raises(Exception, match="没有 2021 年度的工作簿"):
        batch(folder, tmp_path / "out2021", year=2021)


@pytest.mark.slow
def test_a_member_whose_year_is_mistyped_stops_its_department_summary(folder, tmp_path):
    set_info(folder / HOTLINE, 年度=2002)
    run = batch(folder, tmp_path / "out", jobs=2)
    failed = by_unit(run)[CONSOLIDATED]
    assert failed.status == FAILED and "益阳市政务服务热线中心" in failed.note and "2002" in failed.note
    assert not list((tmp_path / "out").glob("*部门汇总*.docx"))
    assert {w.path: w.status for w in run.workbooks}[HOTLINE] == SKIPPED
    assert not run.complete


@pytest.mark.slow
def test_two_different_workbooks_with_one_code_are_not_guessed_between(folder, tmp_path):
    _set(folder / HOTLINE, "其他事项", "国内公务接待批次", "本年数", 7, dest=folder / "热线中心（修改版）.xlsx")
    run = batch(folder, tmp_path / "out", jobs=2)
    results = by_unit(run)
    assert results["益阳市政务服务热线中心"].status == FAILED and "两本" in results["益阳市政务服务热线中心"].note
    assert results[CONSOLIDATED].status == FAILED and "430900104" in results[CONSOLIDATED].note
    assert results["益阳市政务大厅服务中心"].status == OK
    assert sorted(w.path for w in run.workbooks if w.status == DUPLICATE) == ["热线中心（修改版）.xlsx", HOTLINE]
    assert any("内容不同" in f.message and "热线中心（修改版）.xlsx" in f.message for f in run.findings)


@pytest.mark.slow
def test_codes_with_full_width_digits_or_invisible_characters_still_attach(folder, tmp_path):
    set_info(folder / HOTLINE, 上级单位编码="４３０９００１０１\u200b ")
    set_info(folder / HALL, 单位编码=" 430900102\u200b", 上级单位编码="430900101\u3000")
    run = batch(folder, tmp_path / "out", jobs=2)
    assert not run.findings and {r.status for r in run.results} == {OK}
    text = document_text(Document(by_unit(run)[CONSOLIDATED].output))
    assert "本年收入合计1412.79万元" in text, "all four units are in the 部门汇总"


@pytest.mark.slow
def test_members_that_share_a_project_name_are_summed_as_two_projects(folder, tmp_path):
    wb = openpyxl.load_workbook(folder / HOTLINE)
    for sheet in ("项目绩效", "绩效指标"):
        for row in wb[sheet].iter_rows():
            for cell in row:
                if cell.value == "12345热线坐席服务":
                    cell.value = "政务大厅日常运行保障"  # the name of the 政务大厅服务中心's project
    wb.save(folder / HOTLINE)
    run = batch(folder, tmp_path / "out", jobs=2)
    assert by_unit(run)[CONSOLIDATED].status == OK, by_unit(run)[CONSOLIDATED].note
    text = document_text(Document(by_unit(run)[CONSOLIDATED].output))
    assert "政务大厅日常运行保障（益阳市政务服务热线中心）" in text and "政务大厅日常运行保障（益阳市政务大厅服务中心）" in text


def _break_info_xml(book: Path, dest: Path) -> None:
    """A workbook whose 基本信息 sheet is not well-formed XML."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(dest, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            out.writestr(item, b"<worksheet><sheetData><row r='1'>" if item.filename == "xl/worksheets/sheet2.xml" else data)


@pytest.mark.slow
def test_files_that_cannot_be_read_are_rows_and_the_run_goes_on(folder, tmp_path):
    other = folder / "其他"
    other.mkdir()
    (other / "文件夹.xlsx").mkdir()
    (other / "断开的链接.xlsx").symlink_to(tmp_path / "不存在.xlsx")
    (other / "链接的文件夹").symlink_to(folder, target_is_directory=True)
    _break_info_xml(folder / HOTLINE, other / "基本信息损坏.xlsx")
    (other / "~$打开中.xlsx").write_bytes(b"Excel's lock file")
    run = batch(folder, tmp_path / "out", jobs=2)
    assert {r.status for r in run.results} == {OK}, "the department's own folder is complete"
    unreadable = {w.path: w.note for w in run.workbooks if w.status == UNREADABLE}
    assert set(unreadable) == {"其他/断开的链接.xlsx", "其他/基本信息损坏.xlsx", "其他/链接的文件夹"}
    assert "不存在" in unreadable["其他/断开的链接.xlsx"] and "无法读取" in unreadable["其他/基本信息损坏.xlsx"]
    assert run.summary_path.exists() and not run.complete


def test_an_unexpected_error_while_looking_at_a_workbook_is_its_row_with_a_log(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "单位数据"
    folder.mkdir()
    shutil.copy(DEPARTMENT / HOTLINE, folder / HOTLINE)

    def bug(path):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(generator.batch.discover, "_fields", bug)
    out = tmp_path / "out"
    assert main(["batch", str(folder), "--output", str(out)]) == 2
    line = next(x for x in capsys.readouterr().out.splitlines() if HOTLINE in x)
    assert line.startswith(UNREADABLE) and "RuntimeError" in line and ".juesuan/logs/" in line
    log = next((out / ".juesuan" / "logs").glob("*.log"))
    assert "Traceback" in log.read_text(encoding="utf-8") and HOTLINE in log.read_text(encoding="utf-8")
    assert rows(out / "批量生成汇总.xlsx", "工作簿")[0]["处理情况"] == UNREADABLE


# ---------------------------------------------------------------- one job's exception is one row
@pytest.mark.slow
def test_any_exception_in_a_job_is_that_units_row_with_a_log(folder, tmp_path, monkeypatch, capsys):
    real = generator.workbook.reader.read_workbook

    def flaky(path):
        name = Path(path).name
        if name == HOTLINE:
            raise MemoryError()
        if name.startswith("益阳市智慧城市"):
            raise OSError(errno.EIO, "Input/output error", str(path))
        if name == HALL:
            raise KeyError("a bug")
        return real(path)

    monkeypatch.setattr(generator.workbook.reader, "read_workbook", flaky)  # inherited by forked workers
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        assert main(["batch", str(folder), "--output", str(out), "--jobs", "2"]) == 2
    finally:
        os.umask(old)
    printed = capsys.readouterr().out
    lines = {line.split()[1]: line for line in printed.splitlines() if line.startswith((FAILED, OK))}
    assert lines["益阳市政务服务热线中心"].startswith(FAILED) and "内存不足" in lines["益阳市政务服务热线中心"]
    assert "读写文件出错" in lines["益阳市智慧城市和大数据中心"]
    assert "程序内部错误（KeyError" in lines["益阳市政务大厅服务中心"]
    assert lines[CONSOLIDATED].startswith(FAILED)
    assert lines["益阳市行政审批服务局"].startswith(OK)
    logs = list((out / ".juesuan" / "logs").glob("*.log"))
    assert len(logs) == 4 and all("Traceback" in p.read_text(encoding="utf-8") for p in logs)
    assert ".juesuan/logs/" in lines["益阳市政务服务热线中心"]
    summary = rows(out / "批量生成汇总.xlsx", "生成结果")
    assert len(summary) == 5 and sum(r["状态"] == FAILED for r in summary) == 4
    made = out / "益阳市行政审批服务局2020年度部门决算.docx"
    assert made.stat().st_mode & 0o777 == 0o644, "an ordinary file, not a private temporary one"
    assert made.name in (out / ".juesuan" / "manifest.jsonl").read_text(encoding="utf-8")


# ---------------------------------------------------------------- a full disk, a read-only folder
@pytest.mark.slow
def test_a_full_disk_stops_the_run_cleanly_and_the_next_run_completes(folder, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    real = Path.write_bytes
    written: list[str] = []

    def disk_fills_after_one_document(self, data):
        if self.parent == out and self.name.endswith(".docx.tmp"):
            if written:
                real(self, data[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(self.name)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_fills_after_one_document)
    assert main(["batch", str(folder), "--output", str(out), "--jobs", "2"]) == 2
    printed = capsys.readouterr()
    assert "已停止：磁盘空间不足" in printed.err
    documents = list(out.glob("*.docx"))
    assert len(documents) == 1 and Document(str(documents[0])).paragraphs
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")], "no partial file is left"
    assert printed.out.count(FAILED + "  ") == 4
    monkeypatch.setattr(Path, "write_bytes", real)
    assert main(["batch", str(folder), "--output", str(out), "--jobs", "2"]) == 0
    printed = capsys.readouterr().out
    assert printed.count(OK + "  ") == 4 and printed.count(UNCHANGED + "  ") == 1
    assert len(list(out.glob("*.docx"))) == 5


def test_a_full_disk_while_generating_one_document(tmp_path, monkeypatch, capsys):
    def full(tpl, target: Path) -> None:
        target.write_bytes(b"PK" * 500)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(generator.document.render, "save_stable", full)
    out = tmp_path / "out"
    assert main(["generate", str(DEPARTMENT / HOTLINE), "--output", str(out)]) == 2
    assert "磁盘空间不足" in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_a_read_only_output_folder_is_one_message(folder, tmp_path, monkeypatch, capsys):
    out = tmp_path / "只读"
    out.mkdir()
    real_open, real_mkdir = os.open, os.mkdir

    def read_only(path) -> bool:
        return Path(path) == out or out in Path(path).parents

    def no_open(path, flags, *args, **kwargs):
        if read_only(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    def no_mkdir(path, *args, **kwargs):
        if read_only(path) and not Path(path).exists():
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_open)
    monkeypatch.setattr(os, "mkdir", no_mkdir)
    assert main(["batch", str(folder), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert "只读" in err and str(out) in err and "Traceback" not in err
    assert list(out.iterdir()) == []


# ---------------------------------------------------------------- the manifest and change lists
@pytest.mark.slow
def test_a_damaged_manifest_is_read_around_and_repaired(folder, tmp_path, capsys):
    out = tmp_path / "out"
    first = batch(folder, out, jobs=2)
    manifest = out / ".juesuan" / "manifest.jsonl"
    lines = manifest.read_bytes().splitlines(keepends=True)
    cut_unit = next(r.unit for r in first.results if r.key.encode() in lines[0])
    manifest.write_bytes(lines[0][: len(lines[0]) // 2] + b"\n\xff\xfe\n{}\n[1]\n" + b"".join(lines[1:]))
    assert main(["batch", str(folder), "--output", str(out), "--jobs", "2"]) == 0
    printed = capsys.readouterr()
    for number in (1, 2, 3, 4):
        assert f"manifest.jsonl 第 {number} 行无法读取" in printed.err
    status = {line.split()[1]: line.split()[0] for line in printed.out.splitlines() if line.startswith((OK, UNCHANGED))}
    assert status.pop(cut_unit) == OK and set(status.values()) == {UNCHANGED}
    assert main(["batch", str(folder), "--output", str(out), "--jobs", "2"]) == 0
    assert "无法读取" not in capsys.readouterr().err, "the warning is given once: the manifest was rewritten"


@pytest.mark.slow
def test_change_lists_never_go_stale_or_missing_without_a_word(folder, tmp_path):
    out = tmp_path / "out"
    batch(folder, out, jobs=2)
    _set(folder / "益阳市智慧城市和大数据中心_2020.xlsx", "其他事项", "国内公务接待批次", "本年数", 5)
    batch(folder, out, jobs=2)
    note = out / "益阳市智慧城市和大数据中心2020年度部门决算_变更.txt"
    assert "2 → 5" in note.read_text(encoding="utf-8")
    forced = batch(folder, out, jobs=2, force=True)
    assert not note.exists(), "nothing changed since the last version: the old list no longer applies"
    assert not [r for r in forced.results if r.changes or r.note]
    shutil.rmtree(out / ".juesuan" / "snapshots")
    _set(folder / "益阳市智慧城市和大数据中心_2020.xlsx", "其他事项", "国内公务接待批次", "本年数", 6)
    run = batch(folder, out, jobs=2)
    remade = {r.unit: r for r in run.results if r.status == OK}
    assert set(remade) == {"益阳市智慧城市和大数据中心", CONSOLIDATED}
    assert all(r.note == NO_PREVIOUS_RECORD for r in remade.values())


@pytest.mark.slow
def test_the_same_output_folder_named_relatively_or_absolutely_is_one_folder(folder, tmp_path, monkeypatch):
    batch(folder, tmp_path / "out", jobs=2)
    monkeypatch.chdir(tmp_path)
    run = batch(Path(folder.name), Path("out"), jobs=2)
    assert {r.status for r in run.results} == {UNCHANGED}


@pytest.mark.slow
def test_output_into_the_input_folder_ignores_the_tools_own_files(folder, capsys):
    assert main(["batch", str(folder), "--output", str(folder), "--jobs", "2"]) == 0
    assert (folder / "批量生成汇总.xlsx").exists()
    capsys.readouterr()
    assert main(["batch", str(folder), "--output", str(folder), "--jobs", "2"]) == 0
    table = capsys.readouterr().out.split("汇总表：")[0]
    assert "批量生成汇总" not in table and "找到工作簿 4 本" in table


# ---------------------------------------------------------------- small things the user sees
def test_check_reads_subfolders_and_says_how_many_workbooks(tmp_path, capsys):
    shutil.copytree(DEPARTMENT, tmp_path / "部门" / "子文件夹")
    shutil.copy(LESHAN, tmp_path / LESHAN.name)
    main(["check", str(tmp_path)])
    assert f"已检查 5 本工作簿（{tmp_path}，含子文件夹）" in capsys.readouterr().out


def test_the_results_table_lines_up_with_chinese_names():
    results = [Result("a", "益阳市行政审批服务局（部门汇总）", "1", "sichuan_juesuan", FAILED, note="部门汇总不完整"),
               Result("b", "Unit A", "2", "chongqing_juesuan", OK, seconds=12.5),
               Result("c", "长" * 60, "3", "x", UNCHANGED)]
    lines = _batch_table(BatchRun(results, [])).splitlines()[:4]
    starts = set()
    for line, r in zip(lines[1:], results, strict=True):
        before, _, _ = line.partition(r.template)
        starts.add(_width(before))
    assert len(starts) == 1, lines
    assert _width(lines[0].partition("模板")[0]) == starts.pop(), "the header lines up too"


# ---------------------------------------------------------------- processes
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
TEMPLATES = ["--template", "sichuan_juesuan", "--template", "chongqing_juesuan", "--template", "hunan_zhengti_zipingbaogao"]


# The batch as `juesuan batch` runs it, except that each job waits 2 s before it starts: the tests below act on a
# batch whose workers are busy, and a whole batch of the samples now takes less time than they need to act.
_BUSY_BATCH = """
import sys, time
import generator.batch.worker as worker
real = worker.run_job
def run_job(*args, **kwargs):
    time.sleep(2)
    return real(*args, **kwargs)
worker.run_job = run_job  # sent to the (forked) workers by reference, as __main__.run_job
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _start(folder: Path, out: Path) -> subprocess.Popen:
    """A batch in its own process group, as a terminal would start it, whose jobs take at least 2 s each."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", _BUSY_BATCH, "batch", str(folder), "--output", str(out),
                             "--jobs", "2", *TEMPLATES], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # state, ppid, …


def _alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def _workers(parent: int, timeout: float = 60) -> list[int]:
    """The parent's worker processes, once both are running and have started on a document."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and (_stat(int(p.name)) or ["", ""])[1] == str(parent)]
        workers = [k for k in kids if Path(f"/proc/{k}/cmdline").read_bytes() == Path(f"/proc/{parent}/cmdline").read_bytes()]
        if len(workers) >= 2:
            time.sleep(1.0)
            return workers
        time.sleep(0.1)
    raise AssertionError("the batch never started its workers")


def _gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@linux_only
def test_killing_the_batch_ends_its_workers_and_the_next_run_takes_over(folder, tmp_path, capsys):
    out = tmp_path / "out"
    batch_process = _start(folder, out)
    workers = _workers(batch_process.pid)
    batch_process.kill()
    batch_process.communicate()
    assert _gone_within(workers, 2.0), "no worker outlives its parent by more than 2 s"
    left = sorted(out.iterdir())
    time.sleep(1.0)
    assert sorted(out.iterdir()) == left, "nothing is written after the batch is killed"
    assert main(["batch", str(folder), "--output", str(out), "--jobs", "2"]) == 0
    assert "没有正常结束，已接管" in capsys.readouterr().err
    assert not (out / ".juesuan" / "lock").read_text(), "the lock is released at the end"


@pytest.mark.slow
@linux_only
@pytest.mark.parametrize(("send", "code"), [("interrupt", 130), ("terminate", 143)])
def test_ctrl_c_or_sigterm_stops_promptly_with_one_message(folder, tmp_path, send, code):
    batch_process = _start(folder, tmp_path / "out")
    workers = _workers(batch_process.pid)
    started = time.monotonic()
    if send == "interrupt":  # Ctrl-C in a terminal reaches every process of the group
        os.killpg(batch_process.pid, signal.SIGINT)
    else:
        batch_process.terminate()
    _, err = batch_process.communicate(timeout=30)
    assert time.monotonic() - started < 3.0
    assert batch_process.returncode == code
    assert err.count("已中断") == 1 and "Traceback" not in err, err
    assert _gone_within(workers, 2.0)
    assert not (tmp_path / "out" / ".juesuan" / "lock").read_text()


def _sleep(*_args) -> None:
    time.sleep(60)


def _live_pool_threads() -> list:
    """Process-pool manager threads still running: one alive at exit races the interpreter's exit handler."""
    import concurrent.futures.process

    return [thread for thread in list(concurrent.futures.process._threads_wakeups) if thread.is_alive()]


@linux_only
def test_a_pool_left_early_kills_its_workers_and_leaves_no_thread_running():
    """Ctrl-C in the middle of a pool's work: the workers are killed, not waited for, and the pool's manager thread
    is gone before the block is left (left running, it once made a 1-in-20 Ctrl-C print a traceback at exit)."""
    from generator.batch.worker import worker_pool

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), worker_pool(2) as pool:
        futures = [pool.submit(_sleep) for _ in range(4)]
        workers = [p.pid for p in pool._processes.values()]
        time.sleep(0.3)
        raise KeyboardInterrupt
    assert time.monotonic() - started < 10, "the workers were waited for"
    assert _gone_within(workers, 2.0)
    assert _live_pool_threads() == []
    assert all(f.done() for f in futures)


_HALF_SENT = """
import os, struct, sys, time
from generator.batch.worker import worker_pool

def half_sent():  # a worker killed while sending its document leaves half a message in the results pipe
    os.write(pool._result_queue._writer.fileno(), struct.pack("!i", 1_000_000) + b"x" * 1000)
    time.sleep(60)

try:
    with worker_pool(1) as pool:
        pool.submit(half_sent)
        time.sleep(1.0)
        raise KeyboardInterrupt
except KeyboardInterrupt:
    print("left", flush=True)
"""


@linux_only
def test_a_worker_killed_while_sending_its_document_does_not_hang_the_batch():
    """The manager thread waits for the rest of a half-sent message: killing the workers must end that wait too,
    or the block (and the program's exit, which joins that thread) would never end."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _HALF_SENT], env=env, capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout, done.stderr) == (0, "left\n", "")


@linux_only
def test_ctrl_c_while_many_new_workbooks_are_read_stops_their_readers_at_once(folder, monkeypatch):
    """Reading thousands of new workbooks in processes: Ctrl-C does not wait for the reading to finish."""
    import multiprocessing

    monkeypatch.setattr(generator.batch.discover, "PARALLEL_FROM", 1)
    monkeypatch.setattr(generator.batch.discover, "_read_units", _sleep)

    def interrupted() -> None:
        time.sleep(0.3)
        raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        generator.batch.discover.discover(folder, None, {}, workers=2, meanwhile=interrupted)
    assert time.monotonic() - started < 10, "the readers were waited for"
    assert multiprocessing.active_children() == []
    assert _live_pool_threads() == []


@pytest.mark.slow
@linux_only
def test_a_second_batch_into_the_same_folder_is_refused_naming_the_first(folder, tmp_path, capsys):
    out = tmp_path / "out"
    first = _start(folder, out)
    try:
        _workers(first.pid)
        assert main(["batch", str(folder), "--output", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"正由另一个批量生成（进程 {first.pid}，" in err and "请等它结束后再运行" in err
    finally:
        os.killpg(first.pid, signal.SIGINT)
        first.communicate(timeout=30)
