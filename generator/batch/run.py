"""Batch work: every unit of a folder and every department's consolidation, in parallel processes,
regenerating only what changed since the last run (a manifest in the output folder says what that is).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator import __version__
from generator.checks.rules import Finding, Settings, run_checks, template_findings
from generator.document.templates import TemplateSpec, find
from generator.errors import ChecksFailed, InputError, JuesuanError
from generator.vocabulary import ERROR, WARNING
from generator.workbook.reader import read_info

STATE_DIR = ".juesuan"
SUMMARY_NAME = "批量生成汇总.xlsx"
OK, UNCHANGED, FAILED = "已生成", "未变化", "失败"


@dataclass(frozen=True)
class UnitFile:
    """One workbook found in the folder, with what its 基本信息 says."""

    path: str
    code: str
    parent: str
    year: int
    name: str
    digest: str


@dataclass(frozen=True)
class Job:
    """One document to make: a unit's own, or a department's consolidation (members after the first)."""

    key: str
    template: str
    members: tuple[UnitFile, ...]
    previous: UnitFile | None
    consolidated: bool
    input_hash: str


@dataclass
class Result:
    key: str
    unit: str
    code: str
    template: str
    status: str
    errors: int = 0
    warnings: int = 0
    output: str = ""
    seconds: float = 0.0
    note: str = ""
    input_hash: str = ""
    output_hash: str = ""
    changes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def entry(self) -> dict:
        """What the manifest keeps of a result (not its change list or findings)."""
        return {k: v for k, v in asdict(self).items() if k not in ("changes", "findings")}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- finding units and their hierarchy
def _unit_file(path: Path, known: dict[str, list]) -> UnitFile:
    """What a workbook's 基本信息 says; read only when its content is new (`known`: content hash → fields)."""
    digest = _sha256(path)
    if digest not in known:
        info = read_info(path)
        known[digest] = [info.get(k).text("value") for k in ("code", "parent_code", "year", "name")]
    code, parent, year, name = known[digest]
    return UnitFile(str(path), code, parent, int(year), name, digest)


def discover(folder: Path, exclude: Path | None = None, known: dict[str, list] | None = None
             ) -> tuple[list[UnitFile], list[Finding]]:
    """Every unit workbook below `folder` (any file names); unreadable ones and duplicates are findings."""
    units: list[UnitFile] = []
    findings: list[Finding] = []
    seen: dict[tuple[str, int], UnitFile] = {}
    known = {} if known is None else known
    for path in sorted(folder.rglob("*.xlsx")):
        if path.name.startswith(("~$", ".")) or (exclude and exclude in path.parents):
            continue
        try:
            unit = _unit_file(path, known)
        except InputError as exc:
            findings.append(Finding("读取", ERROR, str(exc), unit=path.name))
            continue
        if (unit.code, unit.year) in seen:
            other = seen[(unit.code, unit.year)]
            findings.append(Finding("层级", ERROR, f"单位编码 {unit.code} 的 {unit.year} 年度工作簿有两本："
                                    f"{Path(other.path).name} 与 {path.name}；只使用前一本", unit=unit.name))
            continue
        seen[(unit.code, unit.year)] = unit
        units.append(unit)
    return units, findings


def hierarchy(units: list[UnitFile]) -> tuple[dict[str, list[UnitFile]], set[str], list[Finding]]:
    """Children by parent code (one year), the codes caught in a loop, and findings about the hierarchy."""
    by_code = {u.code: u for u in units}
    children: dict[str, list[UnitFile]] = {}
    findings: list[Finding] = []
    for u in units:
        if u.parent and u.parent not in by_code:
            findings.append(Finding("层级", WARNING, f"{u.name}的上级单位编码 {u.parent} 在本批数据中找不到，按顶级单位处理",
                                    unit=u.name))
        elif u.parent:
            children.setdefault(u.parent, []).append(u)
    looped: set[str] = set()
    for u in units:
        path, code = [], u.code
        while code and code in by_code and code not in path:
            path.append(code)
            code = by_code[code].parent
        if code in path:
            looped.update(path[path.index(code):])
    for code in sorted(looped):
        findings.append(Finding("层级", ERROR, f"{by_code[code].name}（{code}）的上级关系构成循环，不生成其部门汇总",
                                unit=by_code[code].name))
    return children, looped, findings


def descendants(code: str, children: dict[str, list[UnitFile]], looped: set[str]) -> list[UnitFile]:
    out: list[UnitFile] = []
    for child in children.get(code, []):
        if child.code in looped:
            continue
        out.append(child)
        out += descendants(child.code, children, looped)
    return out


# ---------------------------------------------------------------- jobs and their input hashes
def _input_hash(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def plan(units: list[UnitFile], templates: list[TemplateSpec], options: str) -> tuple[list[Job], list[Finding]]:
    """The documents to make for the newest year in the folder; older years serve as 上年 workbooks."""
    if not units:
        return [], []
    year = max(u.year for u in units)
    current = [u for u in units if u.year == year]
    last = {u.code: u for u in units if u.year == year - 1}
    children, looped, findings = hierarchy(current)
    jobs = []
    for spec in templates:
        tpl = _sha256(spec.path) + (_sha256(spec.path.with_suffix(".toml")) if spec.path.with_suffix(".toml").exists() else "")
        for u in current:
            prev = last.get(u.code)
            jobs.append(Job(f"{u.code}/{year}/{spec.name}", spec.name, (u,), prev, False,
                            _input_hash([u.digest, prev.digest if prev else "", tpl, __version__, options])))
            below = descendants(u.code, children, looped) if u.code not in looped else []
            if below:
                members = (u, *below)
                jobs.append(Job(f"{u.code}/{year}/{spec.name}/部门汇总", spec.name, members, None, True,
                                _input_hash([*(m.digest for m in members), tpl, __version__, options, "部门汇总"])))
    return jobs, findings


# ---------------------------------------------------------------- one job, in a worker process
def run_job(job: Job, output: str, settings: Settings, state: str) -> Result:
    """Read, check, compute and render one document; never raises (a failure is a result)."""
    from generator.document.pipeline import render_data
    from generator.workbook.consolidate import consolidate
    from generator.workbook.reader import read_workbook

    started = time.perf_counter()
    head = job.members[0]
    result = Result(job.key, head.name + ("（部门汇总）" if job.consolidated else ""), head.code, job.template, FAILED,
                    input_hash=job.input_hash)
    try:
        data = read_workbook(head.path)
        if job.consolidated:  # only the summed data is checked: it is what the document shows
            data = consolidate(data, [read_workbook(m.path) for m in job.members[1:]])
        spec = find(job.template)
        findings = run_checks(data, settings, read_workbook(job.previous.path) if job.previous else None)
        findings += template_findings(data, spec.requires, spec.name)
        result.findings = list(findings)
        result.errors = sum(1 for f in findings if f.severity == ERROR)
        result.warnings = sum(1 for f in findings if f.severity == WARNING)
        if result.errors:
            raise ChecksFailed(head.path, tuple(findings))
        path = render_data(data, spec, Path(output))
        result.output, result.output_hash, result.status = str(path), _sha256(path), OK
        result.changes = _record_changes(path, Path(state), job.key)
    except ChecksFailed as exc:
        result.note = "；".join(f.message for f in exc.findings if f.severity == ERROR)[:500]
    except JuesuanError as exc:
        result.note = str(exc)
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def _record_changes(path: Path, state: Path, key: str) -> list[str]:
    """Compare with the last version's snapshot; write the change list beside the document."""
    from generator.batch.changes import changes, snapshot
    from generator.output_files import atomic_write

    store = state / "snapshots" / (hashlib.sha1(key.encode()).hexdigest() + ".json")
    new = snapshot(path)
    listed: list[str] = []
    if store.exists():
        listed = changes(json.loads(store.read_text(encoding="utf-8")), new)
        if listed:
            note = path.with_name(path.stem + "_变更.txt")
            with atomic_write(note) as tmp:
                tmp.write_text(f"{path.name} 与上次生成相比的变化（{len(listed)} 处）：\n\n" + "\n".join(listed) + "\n",
                               encoding="utf-8")
    store.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(store) as tmp:
        tmp.write_text(json.dumps(new, ensure_ascii=False), encoding="utf-8")
    return listed


# ---------------------------------------------------------------- the manifest: an append-only journal
class Manifest:
    """One JSON line per finished document; the last line for a key wins. A cut-off last line is ignored,
    so an interrupted run leaves it consistent with the documents on disk."""

    def __init__(self, state: Path):
        self.path = state / "manifest.jsonl"
        self.entries: dict[str, dict] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                self.entries[entry["key"]] = entry

    def fresh(self, job: Job) -> dict | None:
        """The entry of an unchanged job whose document is still there as it was written."""
        entry = self.entries.get(job.key)
        if not entry or entry["input_hash"] != job.input_hash or entry["status"] != OK:
            return None
        out = Path(entry["output"])
        return entry if out.exists() and _sha256(out) == entry["output_hash"] else None

    def record(self, result: Result) -> None:
        entry = result.entry()
        self.entries[result.key] = entry
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())


# ---------------------------------------------------------------- the whole run
@dataclass
class BatchRun:
    results: list[Result]
    findings: list[Finding]
    summary_path: Path | None = None

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == FAILED]


def _load_known(state: Path) -> dict[str, list]:
    try:
        return json.loads((state / "units.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_known(state: Path, known: dict[str, list], current: set[str]) -> None:
    """Keep what the workbooks of this run say, keyed by their content hash, for the next run."""
    from generator.output_files import atomic_write

    state.mkdir(parents=True, exist_ok=True)
    with atomic_write(state / "units.json") as tmp:
        tmp.write_text(json.dumps({k: v for k, v in known.items() if k in current}, ensure_ascii=False), encoding="utf-8")


def _clean_leftovers(output: Path) -> None:
    """Temporary files of a run that was killed: never valid documents, so removed."""
    for tmp in output.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)


def batch(folder: str | Path, output: str | Path, templates: list[str] | None = None, jobs: int | None = None,
          force: bool = False, settings: Settings | None = None,
          progress: Callable[[Result], None] | None = None, planned: Callable[[int], None] | None = None) -> BatchRun:
    """Generate every unit's and every department's documents of `folder` into `output`."""
    folder, output = Path(folder), Path(output)
    if not folder.is_dir():
        raise JuesuanError(f"找不到文件夹：{folder}")
    settings = settings or Settings()
    specs = [find(t) for t in (templates or [None])]
    output.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(output)
    state = output / STATE_DIR
    known = _load_known(state)
    units, findings = discover(folder, output.resolve() if output.resolve() != folder.resolve() else None, known)
    _save_known(state, known, {u.digest for u in units})
    jobs_planned, more = plan(units, specs, f"threshold={settings.yoy_threshold}")
    findings += more
    if planned:
        planned(len(jobs_planned))
    manifest = Manifest(state)
    results: list[Result] = []
    todo: list[Job] = []
    for job in jobs_planned:
        entry = None if force else manifest.fresh(job)
        if entry:
            kept = Result(**{**entry, "status": UNCHANGED, "seconds": 0.0, "note": "输入未变化，沿用上次生成的文档"})
            results.append(kept)
            if progress:
                progress(kept)
        else:
            todo.append(job)
    for result in _run_parallel(todo, output, settings, state, jobs or os.cpu_count() or 1, progress):
        if result.status == OK:
            manifest.record(result)
        results.append(result)
    run = BatchRun(results, findings)
    run.summary_path = write_summary(run, output / SUMMARY_NAME)
    return run


def _run_parallel(todo: list[Job], output: Path, settings: Settings, state: Path, workers: int,
                  progress: Callable[[Result], None] | None) -> Iterator[Result]:
    """Results as jobs finish. A worker that dies breaks its whole pool: the jobs it took down are then
    run again one at a time, each alone in its own process, so only the job that really dies fails."""
    broken = yield from _run_pool(todo, output, settings, state, workers, progress, last_try=False)
    for job in broken:
        yield from _run_pool([job], output, settings, state, 1, progress, last_try=True)


def _run_pool(todo: list[Job], output: Path, settings: Settings, state: Path, workers: int,
              progress: Callable[[Result], None] | None, last_try: bool) -> Generator[Result, None, list[Job]]:
    """Run jobs in one pool; returns the jobs lost to a dead worker (reported failed on the last try)."""
    lost: list[Job] = []
    if not todo:
        return lost
    pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)))
    try:
        left: dict[Future, Job] = {pool.submit(run_job, job, str(output), settings, str(state)): job for job in todo}
        while left:
            done, _ = wait(left, return_when=FIRST_COMPLETED)
            for future in done:
                job = left.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    if not last_try:
                        lost.append(job)
                        continue
                    head = job.members[0]
                    result = Result(job.key, head.name, head.code, job.template, FAILED,
                                    note="生成该文档的工作进程意外退出", input_hash=job.input_hash)
                if progress:
                    progress(result)
                yield result
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return lost


def write_summary(run: BatchRun, target: Path) -> Path:
    """The run as a workbook: one row per document, then the findings about files and hierarchy."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from generator.checks.findings_table import fill_sheet
    from generator.output_files import atomic_write

    wb = Workbook()
    ws = wb.active
    ws.title = "生成结果"
    ws.append(["单位", "单位编码", "模板", "状态", "错误", "警告", "输出文件", "用时（秒）", "变化", "说明"])
    for r in sorted(run.results, key=lambda r: (r.status != FAILED, r.code, r.key)):
        ws.append([r.unit, r.code, r.template, r.status, r.errors, r.warnings, Path(r.output).name if r.output else "",
                   r.seconds, len(r.changes), r.note])
    for c in ws[1]:
        c.font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJ", (36, 12, 18, 8, 6, 6, 50, 10, 6, 60), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    checked = [f for r in run.results for f in r.findings]
    if checked:
        fill_sheet(wb.create_sheet("检查结果"), checked, target)
    if run.findings:
        fs = wb.create_sheet("文件与层级")
        fs.append(["单位或文件", "级别", "说明"])
        for f in run.findings:
            fs.append([f.unit, "错误" if f.severity == ERROR else "警告", f.message])
        fs.column_dimensions["A"].width, fs.column_dimensions["C"].width = 36, 90
    with atomic_write(target) as tmp:
        wb.save(tmp)
    return target
