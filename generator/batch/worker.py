"""Making documents in worker processes.

A worker is pure: it reads workbooks and returns the document's bytes, its snapshot and its findings; only
the parent writes into the output folder. A worker that outlives its parent (killed, or interrupted) would
otherwise go on working unseen, so each worker watches its parent and exits within half a second of it.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import multiprocessing.connection
import ntpath
import os
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.batch.model import OK, Job, Result, UnitFile
from generator.checks.rules import Settings
from generator.errors import ChecksFailed, JuesuanError

if TYPE_CHECKING:
    from generator.document.templates import TemplateSpec
from generator.vocabulary import ERROR, WARNING

PARENT_CHECK_SECONDS = 0.5
DIED = "生成该文档的工作进程意外退出（可能是内存不足或被系统终止）"


@dataclass
class Outcome:
    """What a job gives back: the result, and on success the document and its snapshot; `trace` holds the
    details of an unexpected exception, for the log file."""

    result: Result
    document: bytes | None = None
    snapshot: dict[str, str] | None = None
    trace: str = ""
    tables: bytes | None = None  # the nine 公开表 as .xlsx, when the job asks for them


def reason(exc: BaseException) -> str:
    """One Chinese line for an exception a job did not expect."""
    if isinstance(exc, MemoryError):
        return "内存不足，未能生成该文档（可减少 --jobs 后重试）"
    if isinstance(exc, JuesuanError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f"（{exc.filename}）" if exc.filename else ""
        return f"读写文件出错：{exc.strerror or exc.__class__.__name__}{where}"
    text = " ".join(str(exc).split())[:200]
    return f"程序内部错误（{exc.__class__.__name__}: {text}），不是数据的问题"


def run_job(job: Job, settings: Settings, scratch: str | None = None, spec: TemplateSpec | None = None,
            cache: str | None = None) -> Outcome:
    """Read, check, compute and render one document; never raises (a failure is a failed result).

    The document is rendered under `scratch` (a temporary folder of the run, never the output folder) and
    returned as bytes. `spec`: the template already parsed (a cluster worker's copy), else `job.template`'s.
    `cache`: the folder of parsed workbooks (generator/workbook/unit_cache.py), shared by the run's workers."""
    started = time.perf_counter()
    result = Result.failed(job, "")
    outcome = Outcome(result)
    # Python's cycle collector would walk the growing heap again and again while a 部门汇总 reads 300 members
    # (half of its time: 7.7 s against 4.0 s for a 300-unit department); a job makes little cyclic garbage, and
    # what it makes is collected when the collector is back on, after the job.
    collecting = gc.isenabled()
    gc.disable()
    try:
        outcome.document, outcome.snapshot, outcome.tables = _make(job, settings, result, scratch, spec, cache)
        result.output_hash = hashlib.sha256(outcome.document).hexdigest()
        result.status = OK
    except ChecksFailed as exc:
        if not result.errors:  # the data passed; the document's audit did not
            result.findings += list(exc.findings)
            result.errors = sum(1 for f in exc.findings if f.severity == ERROR)
        result.note = "；".join(f.message for f in exc.findings if f.severity == ERROR)[:500]
    except JuesuanError as exc:
        result.note = str(exc)
    except Exception as exc:  # MemoryError, OSError and bugs alike: this unit's failure, not the run's
        result.note = reason(exc)
        outcome.trace = traceback.format_exc()
    finally:
        if collecting:
            gc.enable()
    result.seconds = round(time.perf_counter() - started, 2)
    return outcome


def _make(job: Job, settings: Settings, result: Result, scratch: str | None,
          spec: TemplateSpec | None, cache: str | None = None) -> tuple[bytes, dict[str, str], bytes | None]:
    from generator.batch.changes import body_snapshot
    from generator.checks.rules import run_checks, template_findings
    from generator.document.pipeline import render_data
    from generator.document.templates import find
    from generator.workbook.consolidate import consolidate
    from generator.workbook.reader import read_workbook
    from generator.workbook.unit_cache import UnitCache

    kept = UnitCache(cache) if cache else None

    def read(unit: UnitFile):
        return kept.read(unit.path, unit.digest) if kept else read_workbook(unit.path)

    head = job.members[0]
    data = read(head)
    if job.consolidated:  # only the summed data is checked: it is what the document shows
        data = consolidate(data, [read(m) for m in job.members[1:]])
    spec = spec or find(job.template)
    findings = run_checks(data, settings, read(job.previous) if job.previous else None)
    findings += template_findings(data, spec.requires, spec.name)
    result.findings = list(findings)
    result.errors = sum(1 for f in findings if f.severity == ERROR)
    result.warnings = sum(1 for f in findings if f.severity == WARNING)
    if result.errors:
        raise ChecksFailed(head.path, tuple(findings))
    with tempfile.TemporaryDirectory(prefix="job-", dir=scratch) as tmp:
        audit: list = []
        seen: list[dict[str, str]] = []
        path = render_data(data, spec, Path(tmp), findings=audit, file_name=job.file_name, chart_format=job.chart_format,
                           on_body=lambda body, read: seen.append(body_snapshot(body, read)))
        result.findings += audit
        result.warnings += sum(1 for f in audit if f.severity == WARNING)
        tables = None
        if job.tables_xlsx:
            from generator.document.public_tables_xlsx import write_tables_beside

            tables = write_tables_beside(data, path).read_bytes()
        return path.read_bytes(), seen[0], tables


def warm(specs: list[TemplateSpec], chart_format: str | None) -> None:
    """What every worker would do before its first document (≈ 0.5 s: imports, each template's body compiled),
    done once in this process before the workers are forked from it (while the workbooks are being found)."""
    from generator.batch import changes  # noqa: F401 - imported for the workers that are forked from here
    from generator.checks import rules  # noqa: F401
    from generator.document import pipeline  # noqa: F401
    from generator.document.render import prepare
    from generator.workbook import consolidate, reader, unit_cache  # noqa: F401

    for spec in specs:
        if spec.charts and (chart_format or spec.chart_format) == "native":
            from generator.document import native_charts  # noqa: F401
        elif spec.charts:
            from generator.document import charts  # noqa: F401
        prepare(spec)


# ---------------------------------------------------------------- jobs that carry their bytes
# A worker on another machine cannot read the client's folders: the job comes with its workbooks' bytes and
# names its template by content; the worker keeps each template once (files in its own folder, parsed once).
_TEMPLATES: dict[str, TemplateSpec] = {}
_TEMPLATES_LOCK = threading.Lock()


@dataclass(frozen=True)
class TemplateFiles:
    """A template's .docx and .toml as bytes, named by their content."""

    name: str  # the .docx file's stem: the template's name in documents' names and messages
    docx: bytes
    toml: bytes | None
    digest: str

    @classmethod
    def read(cls, template: str) -> TemplateFiles:
        from generator.document.templates import find

        path = find(template).path
        docx = path.read_bytes()
        toml = path.with_suffix(".toml").read_bytes() if path.with_suffix(".toml").exists() else None
        digest = hashlib.sha256(docx).hexdigest() + hashlib.sha256(toml if toml is not None else b"").hexdigest()
        return cls(path.stem, docx, toml, hashlib.sha256(digest.encode()).hexdigest())


@dataclass(frozen=True)
class Parcel:
    """A job with the bytes of every workbook it reads (by the path the job names it with) and its
    template's digest; `version` lets a worker with other code refuse it rather than make another document."""

    job: Job
    books: tuple[tuple[str, bytes], ...]
    template: str
    version: str = __version__

    @classmethod
    def pack(cls, job: Job, template: str) -> Parcel:
        """Read the job's workbooks now (raises OSError when one has gone since it was found)."""
        paths = dict.fromkeys(u.path for u in (*job.members, *((job.previous,) if job.previous else ())))
        return cls(job, tuple((p, Path(p).read_bytes()) for p in paths), template)


def install_template(files: TemplateFiles, root: str | Path) -> TemplateSpec:
    """Write a template's files below `root` and parse them, once per process and content."""
    from generator.document.templates import find

    with _TEMPLATES_LOCK:
        if files.digest not in _TEMPLATES:
            folder = Path(root) / "juesuan-templates" / files.digest[:32]
            folder.mkdir(parents=True, exist_ok=True)
            if files.toml is not None:
                (folder / f"{files.name}.toml").write_bytes(files.toml)
            (folder / f"{files.name}.docx").write_bytes(files.docx)
            _TEMPLATES[files.digest] = find(str(folder / f"{files.name}.docx"))
        return _TEMPLATES[files.digest]


def run_parcel(parcel: Parcel, settings: Settings, root: str | Path) -> Outcome:
    """`run_job` on a machine that has only the parcel: the workbooks are written into a temporary folder
    below `root` under their own names (messages name the file), and the outcome names the client's paths.

    Raises only for the worker's own trouble (`root` cannot be written, the template did not arrive)."""
    job = parcel.job
    if parcel.version != __version__:
        return Outcome(Result.failed(job, f"工作节点上的 juesuan 版本为 {__version__}，与本机的 {parcel.version} 不同；"
                                          f"请在每台工作机器上安装同一版本：pip install 'juesuan[dask]=={parcel.version}'"))
    spec = _TEMPLATES.get(parcel.template)
    if spec is None:  # this worker's fault, not the unit's: raised, so that another worker tries
        raise JuesuanError("工作进程没有收到模板（模板未能写入它的临时文件夹，请查看该工作进程的日志）")
    with tempfile.TemporaryDirectory(prefix="job-", dir=root) as tmp:
        here: dict[str, str] = {}
        for i, (path, data) in enumerate(parcel.books):
            local = Path(tmp, "books", str(i), ntpath.basename(path))  # the client may be Windows
            local.parent.mkdir(parents=True)
            local.write_bytes(data)
            here[path] = str(local)
        moved = replace(job, template=str(spec.path), members=tuple(replace(m, path=here[m.path]) for m in job.members),
                        previous=replace(job.previous, path=here[job.previous.path]) if job.previous else None)
        outcome = run_job(moved, settings, tmp, spec)
    return _named_as_sent(outcome, job, [(local, path) for path, local in here.items()])


def _named_as_sent(outcome: Outcome, job: Job, pairs: list[tuple[str, str]]) -> Outcome:
    """The outcome as the client would have had it: its template and workbook paths, not the worker's."""
    result = outcome.result
    result.template = job.template
    result.note = _swap(result.note, pairs)
    result.findings = [_swap(f, pairs) for f in result.findings]
    outcome.trace = _swap(outcome.trace, pairs)
    return outcome


def _swap(value, pairs: list[tuple[str, str]]):
    """`value` with every worker path replaced by the client's, in strings and (frozen) dataclasses alike."""
    if type(value) is str:
        for local, original in pairs:
            value = value.replace(local, original)
        return value
    if isinstance(value, tuple):
        return tuple(_swap(v, pairs) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _swap(getattr(value, f.name), pairs) for f in fields(value) if f.init})
    return value


# ---------------------------------------------------------------- worker processes
def _watch_parent(parent_pid: int) -> None:
    """Exit as soon as the parent is gone (it was killed, or died): nobody would take this work."""
    parent = multiprocessing.parent_process()
    while True:
        if os.name == "nt":  # no re-parenting on Windows: wait on the parent's process handle
            if parent is None or multiprocessing.connection.wait([parent.sentinel], PARENT_CHECK_SECONDS):
                os._exit(1)
        else:
            if os.getppid() != parent_pid:
                os._exit(1)
            time.sleep(PARENT_CHECK_SECONDS)


def _worker_start(parent_pid: int) -> None:
    """Ctrl-C reaches every process of the terminal: the parent alone handles it (and stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler may have been inherited by fork
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True, name="juesuan-parent-watch").start()


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of worker processes that ends with the block, however the block ends.

    When the block is left early (Ctrl-C, an unwritable output folder, an exception) the workers are killed at
    once, not after their current job (they write nothing, so nothing is lost), and queued jobs are cancelled.
    Either way the pool's manager thread has ended when the block is left: one still running at exit races the
    interpreter's own exit handler, which writes to the thread's wake-up pipe while the thread closes it, and
    prints a "Bad file descriptor" traceback after the user's one message.
    """
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        _kill_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers so that its manager thread can end.

    A worker killed while it sends its document leaves half a message in the results pipe, and the manager
    thread then waits for the rest for ever (so would the interpreter's exit, which joins it). This process
    holds the pipe's write end too; once it is closed as well, the dead workers' ends were the last ones, the
    thread reads the end of the pipe and ends as with any worker that died."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with suppress(Exception):
            process.kill()
    with suppress(Exception):
        pool._result_queue._writer.close()


def run_jobs(todo: list[Job], settings: Settings, workers: int, scratch: str,
             cache: Callable[[Job], str | None] = lambda job: None,
             started: Callable[[], None] | None = None) -> Iterator[tuple[Job, Outcome]]:
    """Outcomes as jobs finish. A worker that dies breaks its whole pool: the jobs it took down are then
    run again one at a time, each alone in its own process, so only the job that really dies fails.

    `cache(job)`: the folder of parsed workbooks that job reads and keeps, or None. `started` is called once the
    workers have started (and been forked: never start threads before that)."""
    broken = yield from _run_pool(todo, settings, workers, scratch, cache, last_try=False, started=started)
    for job in broken:
        yield from _run_pool([job], settings, 1, scratch, cache, last_try=True)


def _run_pool(todo: list[Job], settings: Settings, workers: int, scratch: str, cache: Callable[[Job], str | None],
              last_try: bool, started: Callable[[], None] | None = None) -> Generator[tuple[Job, Outcome], None, list[Job]]:
    """Run jobs in one pool; returns the jobs lost to a dead worker (reported failed on the last try).

    However the caller stops (Ctrl-C, an unwritable output folder, an exception), the workers end with it."""
    lost: list[Job] = []
    if not todo:
        return lost
    with worker_pool(min(workers, len(todo))) as pool:
        left: dict[Future, Job] = {pool.submit(run_job, job, settings, scratch, None, cache(job)): job for job in todo}
        if started:
            started()
        while left:
            done, _ = wait(left, return_when=FIRST_COMPLETED)
            for future in done:
                job = left.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    if not last_try:
                        lost.append(job)
                        continue
                    outcome = Outcome(Result.failed(job, DIED))
                except Exception as exc:  # the job could not be sent or its outcome not received
                    outcome = Outcome(Result.failed(job, reason(exc)), trace=traceback.format_exc())
                yield job, outcome
    return lost

