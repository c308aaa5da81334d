"""Batch work: every unit of a folder and every department's consolidation, in parallel processes,
regenerating only what changed since the last run (a manifest in the output folder says what that is).

Every workbook found and every document planned ends up as a row of the summary; one unit's failure is
that unit's row, never the end of the run. Only this process writes into the output folder (the workers
return bytes), under a lock, and it stops at the first sign that the folder cannot be written.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.batch.discover import SUMMARY_NAME, discover
from generator.batch.lock import output_lock
from generator.batch.manifest import Manifest, record_changes, write_job_log, write_log
from generator.batch.model import (
    FAILED,
    NOT_MADE,
    OK,
    UNCHANGED,
    Job,
    Result,
    Workbook,
)
from generator.batch.plan import plan
from generator.batch.summary import write_summary
from generator.batch.worker import Outcome, reason, run_jobs, warm
from generator.checks.rules import Finding, Settings
from generator.document.public_tables_xlsx import tables_path
from generator.document.templates import find
from generator.errors import JuesuanError
from generator.output_files import WriteFailed, make_folder, write_bytes, write_text
from generator.vocabulary import WARNING
from generator.workbook.unit_cache import UnitCache

__all__ = ["FAILED", "OK", "SUMMARY_NAME", "UNCHANGED", "BatchRun", "batch"]

# Something that makes jobs elsewhere (dask_engine.DaskEngine): outcomes as they finish; None: the local pool.
Engine = Callable[[list[Job], Settings], Iterator[tuple[Job, Outcome]]]
STATE_DIR = ".juesuan"
UNITS_DIR = "units"  # parsed workbooks by content digest (generator/workbook/unit_cache.py)
KEPT = "输入未变化，沿用上次生成的文档"


@dataclass
class BatchRun:
    results: list[Result]
    findings: list[Finding]
    workbooks: list[Workbook] = field(default_factory=list)
    year: int | None = None
    summary_path: Path | None = None
    stopped: str = ""  # why the run ended early: the output folder could not be written
    summary_error: str = ""

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == FAILED]

    @property
    def not_made(self) -> list[Workbook]:
        """Workbooks whose documents were not made: unreadable, another year, two different copies."""
        return [w for w in self.workbooks if w.status in NOT_MADE]

    @property
    def complete(self) -> bool:
        """Every document the folder asks for is there, and so is the summary."""
        return not (self.failed or self.not_made or self.stopped or self.summary_error)


def _load_known(state: Path) -> dict[str, list]:
    """What earlier runs read from workbooks, by content hash; anything malformed is ignored."""
    try:
        data = json.loads((state / "units.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 4 and all(isinstance(x, str) for x in v)}


def _save_known(state: Path, known: dict[str, list], current: set[str]) -> None:
    """Keep what the workbooks of this run say, keyed by their content hash, for the next run."""
    write_text(state / "units.json", json.dumps({k: v for k, v in known.items() if k in current}, ensure_ascii=False))


def _clean_leftovers(output: Path, state: Path) -> None:
    """Temporary files of a run that was killed: never valid documents, so removed (we hold the lock)."""
    for tmp in [*output.glob(".*.tmp"), *state.rglob(".*.tmp")]:
        tmp.unlink(missing_ok=True)


def batch(folder: str | Path, output: str | Path, templates: list[str] | None = None, jobs: int | None = None,
          force: bool = False, settings: Settings | None = None,
          progress: Callable[[Result], None] | None = None, planned: Callable[[int], None] | None = None,
          year: int | None = None, chart_format: str | None = None, engine: Engine | None = None,
          tables_xlsx: bool = False) -> BatchRun:
    """Generate every unit's and every department's documents of `folder` into `output`.

    `chart_format`: "native" (Word charts) or "picture", overriding the templates' setting; `tables_xlsx`: also
    the nine 公开表 of each document as one .xlsx beside it.
    `year`: the 年度 to generate (default: the newest in the folder); `engine`: where the documents are made
    (default: a pool of `jobs` processes on this machine). Raises JuesuanError only when the run
    cannot start (no such folder, unknown template, the output folder locked or not writable)."""
    folder, output = Path(folder), Path(output)
    if not folder.is_dir():
        raise JuesuanError(f"找不到文件夹：{folder}")
    specs = [find(t) for t in (templates or [None])]
    make_folder(output)
    state = output / STATE_DIR
    with output_lock(state) as notice:
        _clean_leftovers(output, state)
        workers = jobs or os.cpu_count() or 1
        # while the workbooks are read by several processes, this one prepares what the workers forked from it need
        meanwhile = (lambda: warm(specs, chart_format)) if engine is None else None
        run, planned_jobs = _prepare(folder, output, state, specs, settings or Settings(), year, chart_format,
                                     tables_xlsx, workers, meanwhile)
        if notice:
            run.findings.insert(0, Finding("输出文件夹", WARNING, notice, unit=str(output)))
        _generate(run, planned_jobs, output, state, force, settings or Settings(), workers, progress, planned, engine)
        try:
            run.summary_path = write_summary(run, output / SUMMARY_NAME)
        except WriteFailed as exc:
            run.summary_error = f"汇总表未能写出：{exc}"
        return run


def _prepare(folder: Path, output: Path, state: Path, specs, settings: Settings,
             year: int | None, chart_format: str | None = None, tables_xlsx: bool = False, workers: int = 1,
             meanwhile: Callable[[], None] | None = None) -> tuple[BatchRun, list[Job]]:
    """Every workbook found and read (`workers` processes, `meanwhile` called while they read), and the documents
    to make."""
    known = _load_known(state)
    exclude = output.resolve() if output.resolve() != folder.resolve() else None
    rows = discover(folder, exclude, known, workers, meanwhile)
    for row in (r for r in rows if r.trace):
        log = write_log(state, "读取_" + Path(row.path).stem, str(folder / row.path), row.trace)
        row.note += f"；详细信息见 {log.relative_to(output)}"
    current = {r.unit.digest for r in rows if r.unit}
    _save_known(state, known, current)
    UnitCache(state / UNITS_DIR).keep_only(current)
    # the options that change a document's content are part of its input hash: switching them regenerates it
    options = f"threshold={settings.yoy_threshold.normalize()};charts={chart_format or ''}" + (";tables" if tables_xlsx else "")
    made = plan(rows, folder, specs, options, year, chart_format, tables_xlsx)
    return BatchRun([], made.findings, rows, made.year), made.jobs


def _generate(run: BatchRun, jobs: list[Job], output: Path, state: Path, force: bool, settings: Settings,
              workers: int, progress: Callable[[Result], None] | None, planned: Callable[[int], None] | None,
              engine: Engine | None = None) -> None:
    """Make the documents that are not already there as they would be made; record each as it is written."""
    manifest = Manifest(state)
    run.findings += [Finding("记录", WARNING, problem, unit="manifest.jsonl") for problem in manifest.problems]
    if planned:
        planned(len(jobs))

    def add(result: Result) -> None:
        run.results.append(result)
        if progress:
            progress(result)

    todo: list[Job] = []
    for job in jobs:
        entry = None if force or job.blocked else manifest.fresh(job, output)
        if entry and job.tables_xlsx and not tables_path(output / entry["output"]).is_file():
            entry = None  # the 公开表 .xlsx beside it was removed: both are made again
        if job.blocked:
            add(Result.failed(job, job.blocked))
        elif entry:
            add(Result.from_entry({**entry, "output": str(output / entry["output"]), "status": UNCHANGED,
                                   "seconds": 0.0, "note": "；".join(x for x in (KEPT, job.note) if x)}))
        else:
            todo.append(job)
    scratch = tempfile.mkdtemp(prefix="juesuan-")
    try:
        made = engine(todo, settings) if engine else run_jobs(todo, settings, workers, scratch, _cache_for(jobs, state),
                                                            started=_load_summary_writer)
        with contextlib.closing(made):  # however this loop ends, the workers stop now (not when collected)
            for job, outcome in made:
                result, stop = _finish(job, outcome, output, state, manifest)
                add(result)
                if stop:
                    run.stopped = stop
                    break
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if run.stopped:
        done = {r.key for r in run.results}
        for job in todo:
            if job.key not in done:
                add(Result.failed(job, "未生成：输出文件夹无法写入（见上）"))


def _cache_for(jobs: list[Job], state: Path) -> Callable[[Job], str | None]:
    """Which jobs read and keep parsed workbooks: those of a department's members, which its 部门汇总 reads again
    (keeping every unit's would cost a unit that belongs to no department ≈ 35 ms and help nothing)."""
    folder = str(state / UNITS_DIR)
    members = {m.digest for job in jobs if job.consolidated for m in job.members}
    return lambda job: folder if job.consolidated or job.members[0].digest in members else None


def _load_summary_writer() -> None:
    """openpyxl takes ≈ 0.25 s to import: done while the workers work (they have started), not after them."""
    import openpyxl  # noqa: F401


def _finish(job: Job, outcome: Outcome, output: Path, state: Path, manifest: Manifest) -> tuple[Result, str]:
    """Write what a worker made into the output folder. Returns the result, and why the run must stop
    when the folder itself cannot be written (disk full, read-only)."""
    result = outcome.result
    try:
        if outcome.trace:
            log = write_job_log(state, job, outcome.trace)
            result.note += f"；详细信息见 {log.relative_to(output)}"
        if outcome.document is None:
            return result, ""
        target = output / job.file_name
        made_before = target.exists() or manifest.made_before(job.key)
        write_bytes(target, outcome.document)
        if outcome.tables is not None:
            write_bytes(tables_path(target), outcome.tables)
        result.output = str(target)
        result.changes, notice = record_changes(target, outcome.snapshot or {}, state, job.key, made_before)
        result.note = "；".join(x for x in (job.note, notice) if x)
        manifest.record(result)
    except WriteFailed as exc:
        result.status, result.note = FAILED, str(exc)
        return result, str(exc) if exc.folder_unusable else ""
    except Exception as exc:  # this document's failure, never the run's
        result.status, result.note = FAILED, reason(exc)
        with contextlib.suppress(Exception):
            log = write_job_log(state, job, traceback.format_exc())
            result.note += f"；详细信息见 {log.relative_to(output)}"
    return result, ""
