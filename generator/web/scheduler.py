"""Runs jobs in worker processes (`python -m generator.web.worker JOB_FOLDER`), a few at a time.

A worker process, not a thread: documents are drawn with matplotlib and rendered under a time limit, and a
department's batch starts its own process pool; none of that belongs in the server's threads, and a worker that
crashes takes only its own job down. The worker writes the job's state itself (running with its pid, then done or
failed); the scheduler only starts it, waits for it and notes a worker that died without a word. A job still
queued or running when the server stopped is started again when it comes back: the work is incremental (a batch
keeps a manifest), so nothing done is done twice.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
import uuid

from generator.document.pdf import stop_tree
from generator.web.store import ACTIVE, FAILED, QUEUED, RUNNING, Job, Store

log = logging.getLogger("juesuan.web")


class Scheduler:
    def __init__(self, store: Store, slots: int = 2, keep_days: float = 7.0):
        self.store = store
        self.keep_days = keep_days
        self._slots = threading.BoundedSemaphore(max(1, slots))
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._running: dict[str, subprocess.Popen] = {}
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Resume what a stopped server left queued or running; clean up old jobs now and every hour."""
        for job in self.store.every_job():
            if job.status in ACTIVE and not _alive(job.state.get("pid")):
                log.info("继续未完成的任务 %s", job.id)
                self.submit(job)
        self._thread(self._housekeeping)

    def submit(self, job: Job) -> None:
        """Queue a run. Each run has its own token, which the worker copies into every state it writes, so the
        thread waiting for an earlier run of the same job never mistakes this run's state for its own."""
        token = uuid.uuid4().hex
        job.set_state(QUEUED, run=token)
        self._thread(self._run, job, token)

    def _thread(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _run(self, job: Job, token: str) -> None:
        while not self._slots.acquire(timeout=0.2):
            if self._closing.is_set():
                return
        try:
            if self._closing.is_set():
                return
            proc = self._launch(job)
            with self._lock:
                self._running[job.id] = proc
            proc.wait()
            with self._lock:
                self._running.pop(job.id, None)
            state = job.state
            if not self._closing.is_set() and state.get("run") == token and state.get("status") in ACTIVE:
                # this run's worker died without writing its end
                job.set_state(FAILED, message=f"生成进程意外退出（代码 {proc.returncode}）；可重新上传或再次生成")
        finally:
            self._slots.release()

    def _launch(self, job: Job) -> subprocess.Popen:
        windows = sys.platform == "win32"
        options = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if windows else {"start_new_session": True}
        with (job.folder / "worker.log").open("ab") as out:
            return subprocess.Popen([sys.executable, "-m", "generator.web.worker", str(job.folder)],
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, **options)

    def _housekeeping(self) -> None:
        while not self._closing.is_set():
            try:
                removed = self.store.expire(self.keep_days)
                if removed:
                    log.info("已删除 %d 个超过 %g 天的任务或模板", removed, self.keep_days)
            except OSError as exc:  # a file held open (Windows) is tried again next time
                log.warning("清理旧任务时出错：%s", exc)
            self._closing.wait(3600)

    def busy(self) -> bool:
        with self._lock:
            return bool(self._running)

    def close(self) -> None:
        """Stop: running workers are stopped and their jobs stay 'running', to be resumed at the next start."""
        self._closing.set()
        with self._lock:
            running = list(self._running.values())
        for proc in running:
            stop_tree(proc)
        for thread in self._threads:
            thread.join(timeout=5)


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if sys.platform == "win32":
        done = subprocess.run(["tasklist", "/FI", f"PID eq {pid}", "/NH"], capture_output=True, text=True, check=False)
        return str(pid) in done.stdout
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_idle(job: Job, seconds: float = 120) -> str:
    """Wait until a job is neither queued nor running (for tests and scripts); returns its status."""
    deadline = time.monotonic() + seconds
    while job.status in (QUEUED, RUNNING) and time.monotonic() < deadline:
        time.sleep(0.2)
    return job.status
