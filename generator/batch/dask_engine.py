"""A batch's documents made on a Dask cluster (`juesuan batch --scheduler`): the same jobs, the same outcomes.

This process (the client) reads the workbooks and templates and sends their bytes; workers on any machine,
with no shared folder, make the documents in their own temporary folders and send back the document bytes,
snapshots and findings; only this process writes into the output folder (run._finish), as with the local
process pool, so the documents, manifest, change lists and summary are the same.

What crosses the network: each template once per worker (a WorkerPlugin keeps it there, parsed once), each
job's workbooks with the job, each outcome back. A worker that dies has its jobs rescheduled elsewhere by
Dask; a job that kills worker after worker comes back as KilledWorker (after the scheduler's
`distributed.scheduler.allowed-failures`) and becomes that unit's failed row. Only a few jobs per worker
thread are sent ahead, so the client's memory stays small and Ctrl-C has little to cancel.
"""

from __future__ import annotations

import logging
import re
import signal
import threading
import time
import traceback
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from generator import __version__
from generator.batch.model import Job, Result
from generator.batch.worker import Outcome, Parcel, TemplateFiles, install_template, reason, run_parcel
from generator.checks.rules import Settings
from generator.errors import JuesuanError

try:  # the optional extra: without it, connect() says how to install it
    import dask
    from dask.utils import parse_timedelta
    from distributed import CancelledError, Client, KilledWorker, LocalCluster, as_completed, get_worker
    from distributed.diagnostics.plugin import WorkerPlugin

    HAVE_DASK = True
except ImportError:
    HAVE_DASK = False
    WorkerPlugin = object  # type: ignore[misc,assignment]

INSTALL = ("使用 --scheduler 需要安装 Dask：pip install 'juesuan[dask]'（即 dask[distributed]）；"
           "各台工作机器上也要安装同一版本的 juesuan[dask]")
SCHEDULER_FORMAT = "应为 tcp://主机:8786（已启动的 Dask 调度器的地址）或 local:N（在本机启动 N 个工作进程）"
KILLED = ("生成该文档的工作进程意外退出（共 {n} 次，每次换一个工作进程；可能是内存不足或数据异常），"
          "已放弃该文档；其他单位不受影响")
CANCELLED = "该文档的任务在 Dask 集群上被取消（调度器重启或连接中断），未生成"
DISCONNECTED = "与 Dask 调度器的连接已中断，未生成"
RETRIES = 2  # an exception in the worker's own work (its disk), not the unit's: tried on another worker
# How `local:N` runs Dask: one job per worker at a time (a worker that dies takes down only the job it was
# making), and without the diagnostics a dashboard would show (the statistical profiler and frequent event-loop,
# memory and system checks cost about 0.16 of a core when idle and 10 % per document on two cores).
# docs/scale.md gives the same settings as environment variables for `dask scheduler` and `dask worker`.
LOCAL_CLUSTER = {
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}
STOP_SECONDS = 1.0  # how long a local worker gets to finish after Ctrl-C before it is killed
AHEAD = 3  # jobs in flight per worker thread: enough to keep every thread busy


def parse_scheduler(text: str) -> str | int:
    """`local:N` → N (worker processes on this machine); an address such as tcp://host:8786 → itself."""
    local = re.fullmatch(r"local:(\d+)", text.strip())
    if local:
        if int(local.group(1)) < 1:
            raise JuesuanError(f"--scheduler local:N 中的 N 至少为 1（收到“{text}”）")
        return int(local.group(1))
    if re.fullmatch(r"(tcp|tls|ws|wss|ucx)://[^\s/]+", text.strip()):
        return text.strip()
    raise JuesuanError(f"--scheduler 的值“{text}”无法识别：{SCHEDULER_FORMAT}")


def juesuan_version() -> str:
    """Run on each worker: the code it would make the documents with."""
    return __version__


def make_document(parcel: Parcel, settings: Settings) -> Outcome:
    """The task a worker runs: the job in the worker's own folder (removed when the worker closes)."""
    return run_parcel(parcel, settings, get_worker().local_directory)


class TemplatePlugin(WorkerPlugin):
    """Gives every worker, and every worker that joins later, the run's templates: written and parsed once."""

    def __init__(self, templates: list[TemplateFiles]):
        self.templates = templates

    def setup(self, worker) -> None:
        for files in self.templates:
            install_template(files, worker.local_directory)


class InterruptsIgnored(WorkerPlugin):
    """Ctrl-C reaches every process of the terminal, the local workers too: this process alone handles it
    (it cancels the jobs and closes the workers) rather than each worker printing its own traceback."""

    def setup(self, worker) -> None:
        if threading.current_thread() is threading.main_thread():  # only the main thread may set handlers
            signal.signal(signal.SIGINT, signal.SIG_IGN)


class DaskEngine:
    """Runs a batch's jobs on the cluster of `client` (the engine `run.batch` takes)."""

    def __init__(self, client: Client):
        self.client = client
        self._threads, self._checked = 1, 0.0

    def __str__(self) -> str:
        threads = self.client.nthreads()
        return f"Dask 调度器 {self.client.scheduler.address}：{len(threads)} 个工作进程，共 {sum(threads.values())} 个线程"

    def __call__(self, todo: list[Job], settings: Settings) -> Iterator[tuple[Job, Outcome]]:
        """Outcomes as jobs finish. However the caller stops (Ctrl-C, an unwritable output folder), the jobs
        still on the cluster are cancelled and the cluster is left as it was, ready for the next run."""
        if not todo:
            return
        templates, problems = _read_templates(todo)
        plugin = f"juesuan-templates-{uuid.uuid4().hex}"
        try:
            self.client.register_plugin(TemplatePlugin(list(templates.values())), name=plugin)
        except (OSError, TimeoutError) as exc:
            raise JuesuanError(f"无法把模板发送到 Dask 集群（{_short(exc)}）：请确认调度器仍在运行") from None
        pending, running, done = deque(todo), {}, as_completed(loop=self.client.loop)
        try:
            while pending or running:
                while pending and len(running) < self._window():
                    job = pending.popleft()
                    try:
                        if job.template in problems:
                            raise problems[job.template]
                        parcel = Parcel.pack(job, templates[job.template].digest)
                    except JuesuanError as exc:  # the template: said as the local pool says it
                        yield job, Outcome(Result.failed(job, str(exc)))
                        continue
                    except Exception as exc:  # the workbook has gone since it was found
                        yield job, Outcome(Result.failed(job, reason(exc)), trace=traceback.format_exc())
                        continue
                    future = self.client.submit(make_document, parcel, settings, pure=False, retries=RETRIES)
                    running[future] = job
                    done.add(future)
                if running:
                    future = next(done)
                    job = running.pop(future)
                    yield job, self._outcome(job, future)
                if self.client.status not in ("running", "newly-created"):
                    while pending:  # the scheduler is gone: every job left is a row saying so
                        job = pending.popleft()
                        yield job, Outcome(Result.failed(job, DISCONNECTED))
        finally:
            with suppress(Exception):
                if running:
                    self.client.cancel(list(running))
                self.client.unregister_worker_plugin(plugin)

    def _window(self) -> int:
        """How many jobs to keep on the cluster: AHEAD per worker thread (looked up at most once a second,
        as workers come and go)."""
        if time.monotonic() - self._checked > 1:
            with suppress(Exception):
                self._threads = max(1, sum(self.client.nthreads().values()))
            self._checked = time.monotonic()
        return AHEAD * self._threads

    def _outcome(self, job: Job, future) -> Outcome:
        try:
            return future.result()
        except KilledWorker as exc:
            return Outcome(Result.failed(job, KILLED.format(n=exc.allowed_failures + 1)))
        except CancelledError:
            return Outcome(Result.failed(job, CANCELLED))
        except Exception as exc:  # the worker's own failure, after RETRIES more workers tried
            return Outcome(Result.failed(job, reason(exc)), trace=traceback.format_exc())
        finally:
            future.release()


def _read_templates(todo: list[Job]) -> tuple[dict[str, TemplateFiles], dict[str, Exception]]:
    """Each template the jobs use, read now; a template that cannot be read fails its jobs, not the run."""
    templates: dict[str, TemplateFiles] = {}
    problems: dict[str, Exception] = {}
    for name in dict.fromkeys(job.template for job in todo):
        try:
            templates[name] = TemplateFiles.read(name)
        except Exception as exc:
            problems[name] = exc
    return templates, problems


@contextmanager
def connect(scheduler: str, timeout: float | None = None) -> Iterator[DaskEngine]:
    """A DaskEngine on the scheduler at an address, or on a LocalCluster of N worker processes (`local:N`),
    checked to have workers running this version of juesuan. Closing it closes a LocalCluster it started;
    a cluster at an address is left running. `timeout` (seconds): to connect and to wait for a worker
    (default: Dask's `distributed.comm.timeouts.connect`)."""
    where = parse_scheduler(scheduler)
    if not HAVE_DASK:
        raise JuesuanError(INSTALL)
    timeout = timeout or parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"))
    if isinstance(where, int):
        # one job per worker at a time: a worker that dies takes down only the job it was making
        # Dask's own log lines stay quiet: every job's fate is its row of the results table
        with dask.config.set(LOCAL_CLUSTER):
            cluster = LocalCluster(n_workers=where, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.CRITICAL)
        with cluster, Client(cluster, set_as_default=False) as client:
            client.register_plugin(InterruptsIgnored(), name="juesuan-interrupts-ignored")
            try:
                yield _checked(DaskEngine(client), scheduler, timeout)
            except BaseException:  # Ctrl-C: the workers write nothing, so end them now, not after their document
                for nanny in list(cluster.workers.values()):
                    with suppress(Exception):
                        cluster.sync(nanny.close, timeout=STOP_SECONDS)
                raise
        return
    try:
        client = Client(where, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise JuesuanError(f"无法连接 Dask 调度器 {where}（{timeout:g} 秒内没有应答：{_short(exc)}）。"
                           "请确认调度器已启动（dask scheduler）、地址和端口正确、防火墙允许连接") from None
    with client:
        yield _checked(DaskEngine(client), where, timeout)


def _checked(engine: DaskEngine, where: str, timeout: float) -> DaskEngine:
    """The engine, once its cluster has a worker and every worker runs this version of juesuan."""
    client = engine.client
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        raise JuesuanError(f"Dask 调度器 {where} 上 {timeout:g} 秒内没有可用的工作进程：请在各台工作机器上运行 "
                           f"dask worker {where} --nworkers N --nthreads 1") from None
    try:
        versions = client.run(juesuan_version)
    except Exception as exc:
        raise JuesuanError(f"Dask 集群的工作进程无法运行 juesuan（{_short(exc)}）：请在每台工作机器上安装同一版本："
                           f"pip install 'juesuan[dask]=={__version__}'") from None
    other = {w: v for w, v in versions.items() if v != __version__}
    if other:
        listed = "、".join(f"{w}（{v}）" for w, v in sorted(other.items()))
        raise JuesuanError(f"Dask 集群中有工作进程的 juesuan 版本与本机的 {__version__} 不同：{listed}；"
                           f"请安装同一版本：pip install 'juesuan[dask]=={__version__}'")
    return engine


def _short(exc: BaseException) -> str:
    return " ".join(f"{exc.__class__.__name__}: {exc}".split())[:200]
