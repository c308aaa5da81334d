"""Sessions, jobs and uploaded templates as folders on disk, so that they survive a restart of the server.

    DATA/secret.key                          signs the session cookie (made once, readable by this user only)
    DATA/sessions/SID/jobs/JOB/              one job: everything it reads and writes stays below this folder
        job.json      what it is (kind, name, when made; for a unit: the findings of the check)
        run.json      what was last asked of it (layouts, PDF, draft)
        state.json    queued / running (with the worker's pid) / done / failed, with a message
        progress.json how far the worker is
        result.json   what the worker made
        input/        the uploaded workbooks        output/  the documents (and, for a batch, its state)
    DATA/sessions/SID/templates/TPL/NAME.docx (+ NAME.toml, check.json)   a template uploaded in that session

SID, JOB and TPL are random hex strings; a name from a request is used only after it matched that form, and a job
or template is looked up only inside the session of the cookie, so another session's id is simply not found.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.output_files import atomic_write

ID = re.compile(r"[0-9a-f]{32}")
UNIT, DEPARTMENT = "unit", "department"
NEW, QUEUED, RUNNING, DONE, FAILED = "new", "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
STATUS_LABELS = {NEW: "待生成", QUEUED: "排队中", RUNNING: "生成中", DONE: "已完成", FAILED: "失败"}
KIND_LABELS = {UNIT: "单位文档", DEPARTMENT: "部门批量"}


def new_id() -> str:
    return secrets.token_hex(16)


def valid_id(value: object) -> bool:
    return isinstance(value, str) and ID.fullmatch(value) is not None


def read_json(path: Path, default: Any = None) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def write_json(path: Path, data: Any) -> None:
    with atomic_write(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


class Job:
    """One upload and what was made from it."""

    def __init__(self, folder: Path):
        self.folder = folder

    @property
    def id(self) -> str:
        return self.folder.name

    @property
    def sid(self) -> str:
        return self.folder.parent.parent.name

    @property
    def input(self) -> Path:
        return self.folder / "input"

    @property
    def output(self) -> Path:
        return self.folder / "output"

    @property
    def info(self) -> dict:
        return read_json(self.folder / "job.json", {})

    def update_info(self, **values: Any) -> None:
        write_json(self.folder / "job.json", {**self.info, **values})

    @property
    def kind(self) -> str:
        return self.info.get("kind", UNIT)

    @property
    def state(self) -> dict:
        return read_json(self.folder / "state.json", {"status": NEW})

    @property
    def status(self) -> str:
        return self.state.get("status", NEW)

    def set_state(self, status: str, **values: Any) -> None:
        write_json(self.folder / "state.json", {"status": status, "time": time.time(), **values})

    @property
    def request(self) -> dict:
        return read_json(self.folder / "run.json", {})

    def set_request(self, request: dict) -> None:
        write_json(self.folder / "run.json", request)

    @property
    def progress(self) -> dict:
        return read_json(self.folder / "progress.json", {})

    def set_progress(self, **values: Any) -> None:
        write_json(self.folder / "progress.json", values)

    @property
    def result(self) -> dict:
        return read_json(self.folder / "result.json", {})

    def set_result(self, result: dict) -> None:
        write_json(self.folder / "result.json", result)

    def last_active(self) -> float:
        """When the job last changed: its state file, else its folder."""
        for name in ("state.json", "job.json"):
            try:
                return (self.folder / name).stat().st_mtime
            except OSError:
                continue
        return self.folder.stat().st_mtime


@dataclass(frozen=True)
class OwnTemplate:
    """A template uploaded in one session, with what `check-template` found in it."""

    folder: Path

    @property
    def id(self) -> str:
        return self.folder.name

    @property
    def check(self) -> dict:
        return read_json(self.folder / "check.json", {})

    @property
    def path(self) -> Path:
        return self.folder / self.check.get("file", "template.docx")

    @property
    def usable(self) -> bool:
        return bool(self.check.get("usable")) and self.path.is_file()


class Store:
    """Every session's jobs and templates below one data folder."""

    def __init__(self, root: Path):
        self.root = root
        self.sessions = root / "sessions"
        self.sessions.mkdir(parents=True, exist_ok=True)

    def secret_key(self) -> str:
        """The key that signs session cookies, kept so that sessions outlive a restart."""
        path = self.root / "secret.key"
        if not path.exists():
            with atomic_write(path) as tmp:
                tmp.write_text(secrets.token_hex(32), encoding="ascii")
                os.chmod(tmp, 0o600)
        return path.read_text(encoding="ascii").strip()

    def _session(self, sid: str) -> Path:
        if not valid_id(sid):
            raise ValueError("bad session id")
        return self.sessions / sid

    # ------------------------------------------------------------ jobs
    def create_job(self, sid: str, kind: str, name: str) -> Job:
        job = Job(self._session(sid) / "jobs" / new_id())
        job.input.mkdir(parents=True)
        job.output.mkdir()
        write_json(job.folder / "job.json", {"kind": kind, "name": name, "created": time.time()})
        job.set_state(NEW)
        return job

    def job(self, sid: str, job_id: str) -> Job | None:
        if not valid_id(sid) or not valid_id(job_id):
            return None
        folder = self._session(sid) / "jobs" / job_id
        return Job(folder) if (folder / "job.json").is_file() else None

    def jobs(self, sid: str) -> list[Job]:
        if not valid_id(sid):
            return []
        folder = self._session(sid) / "jobs"
        found = [Job(p) for p in folder.iterdir() if valid_id(p.name) and (p / "job.json").is_file()] \
            if folder.is_dir() else []
        return sorted(found, key=lambda j: j.info.get("created", 0), reverse=True)

    def every_job(self) -> Iterator[Job]:
        for session in self.sessions.iterdir():
            if valid_id(session.name):
                yield from self.jobs(session.name)

    def remove(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)

    # ------------------------------------------------------------ templates
    def new_template_folder(self, sid: str) -> Path:
        folder = self._session(sid) / "templates" / new_id()
        folder.mkdir(parents=True)
        return folder

    def templates(self, sid: str) -> list[OwnTemplate]:
        if not valid_id(sid):
            return []
        folder = self._session(sid) / "templates"
        found = [OwnTemplate(p) for p in folder.iterdir() if valid_id(p.name) and (p / "check.json").is_file()] \
            if folder.is_dir() else []
        return sorted(found, key=lambda t: t.check.get("uploaded", 0), reverse=True)

    def template(self, sid: str, template_id: str) -> OwnTemplate | None:
        if not valid_id(sid) or not valid_id(template_id):
            return None
        folder = self._session(sid) / "templates" / template_id
        return OwnTemplate(folder) if (folder / "check.json").is_file() else None

    # ------------------------------------------------------------ keeping the disk clean
    def expire(self, keep_days: float, now: float | None = None) -> int:
        """Remove jobs and templates untouched for `keep_days` (never a job still queued or running)."""
        cutoff = (now or time.time()) - keep_days * 86400
        removed = 0
        for job in list(self.every_job()):
            if job.status not in ACTIVE and job.last_active() < cutoff:
                self.remove(job.folder)
                removed += 1
        for session in list(self.sessions.iterdir()):
            for template in self.templates(session.name) if valid_id(session.name) else []:
                if (template.folder / "check.json").stat().st_mtime < cutoff:
                    self.remove(template.folder)
                    removed += 1
            _remove_empty(session)
        return removed


def _remove_empty(folder: Path) -> None:
    """Drop a session folder (and its jobs/ and templates/) once nothing is left in it."""
    for sub in (folder / "jobs", folder / "templates", folder):
        try:
            sub.rmdir()
        except OSError:
            pass
