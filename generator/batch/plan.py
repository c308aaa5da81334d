"""From the workbooks found to the documents to make: which year, which units, which departments, which names.

Every workbook gets a status here (used, 上年 of a unit, not processed and why); every department whose
members cannot all be read gets a blocked 部门汇总 job naming them, rather than a partial sum.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from generator import __version__
from generator.batch.model import (
    CONSOLIDATED,
    COPY,
    DUPLICATE,
    PREVIOUS,
    SKIPPED,
    UNREADABLE,
    USED,
    Job,
    UnitFile,
    Workbook,
)
from generator.bundled import template_dir
from generator.checks.rules import Finding
from generator.document.pipeline import document_name
from generator.document.templates import TemplateSpec
from generator.errors import JuesuanError
from generator.output_files import same_file_name
from generator.vocabulary import ERROR, WARNING


@dataclass
class Plan:
    year: int | None
    jobs: list[Job]
    findings: list[Finding]


def template_ref(spec: TemplateSpec) -> str:
    """How a job names its template for a worker: a shipped one by name, the user's own by its full path."""
    shipped = spec.path.resolve().parent == template_dir().resolve()
    return spec.name if shipped else str(spec.path.resolve())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _input_hash(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def choose_year(rows: list[Workbook], year: int | None) -> int | None:
    """The year asked for, or the newest year any workbook has."""
    years = sorted({r.unit.year for r in rows if r.unit})
    if year is None:
        return years[-1] if years else None
    if year not in years:
        have = "、".join(str(y) for y in years) or "无"
        raise JuesuanError(f"文件夹中没有 {year} 年度的工作簿（各工作簿的年度：{have}）")
    return year


def _one_per_code(rows: list[Workbook], year: int, findings: list[Finding]) -> tuple[dict[str, UnitFile], set[str]]:
    """The workbook of each code for `year`, and the codes with two different workbooks (never guessed
    between). An exact copy is used once and reported."""
    groups: dict[str, list[Workbook]] = defaultdict(list)
    for r in rows:
        if r.unit and r.unit.year == year:
            groups[r.unit.code].append(r)
    chosen: dict[str, UnitFile] = {}
    conflicted: set[str] = set()
    for code, group in groups.items():
        chosen[code] = group[0].unit
        if len(group) == 1:
            continue
        files = "、".join(r.path for r in group)
        if len({r.unit.digest for r in group}) == 1:
            for r in group[1:]:
                r.status, r.note = COPY, f"与 {group[0].path} 内容完全相同，只使用一本"
            findings.append(Finding("层级", WARNING, f"单位编码 {code} 的 {year} 年度工作簿有两本，内容相同：{files}；只使用一本",
                                    unit=group[0].unit.name))
            continue
        conflicted.add(code)
        for r in group:
            r.status, r.note = DUPLICATE, f"单位编码 {code} 的 {year} 年度工作簿有 {len(group)} 本且内容不同：{files}；请只保留一本"
        findings.append(Finding("层级", ERROR, f"单位编码 {code} 的 {year} 年度工作簿有 {len(group)} 本且内容不同：{files}；"
                                "不知道应使用哪一本，该单位的文档未生成", unit=group[0].unit.name))
    return chosen, conflicted


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


def _mark_other_years(rows: list[Workbook], year: int, current: dict[str, UnitFile],
                      conflicted_last: set[str]) -> dict[str, list[str]]:
    """Status of the workbooks of other years; returns, by parent code, why members are missing (a
    workbook of another year whose 上级单位编码 is a unit of this year is most likely a mistyped 年度)."""
    missing: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r.status or not r.unit or r.unit.year == year:
            continue
        u = r.unit
        if u.year == year - 1 and u.code in current:
            r.status = PREVIOUS
            r.note = f"作为{current[u.code].name}的上年数据" + ("（但该年度有两本不同的工作簿，均未使用）" if u.code in conflicted_last else "")
            continue
        r.status = SKIPPED
        r.note = f"年度为 {u.year}，本次处理的是 {year} 年度（可用 --year {u.year} 生成该年度）"
        if u.code not in current and u.parent in current:
            missing[u.parent].append(f"下属单位{u.name}（{u.code}）的工作簿 {r.path} 年度为 {u.year}，不是 {year}")
    return missing


def _blocked_department(head: UnitFile, members: list[UnitFile], missing: dict[str, list[str]],
                        conflicted: set[str], unreadable: dict[Path, list[str]]) -> str:
    """Why a department's 部门汇总 cannot be complete, or ""."""
    reasons = [m for u in (head, *members) for m in missing.get(u.code, [])]
    reasons += [f"成员单位编码 {u.code} 有两本不同的工作簿" for u in (head, *members) if u.code in conflicted]
    if members:  # a workbook that cannot be read could be any unit's: suspect it where the members are
        folders = sorted({Path(u.path).parent for u in (head, *members)})
        reasons += [f"同一文件夹中的 {f} 无法读取，可能是其成员单位" for folder in folders for f in unreadable.get(folder, [])]
    return "；".join(dict.fromkeys(reasons))


def plan(rows: list[Workbook], folder: Path, specs: list[TemplateSpec], options: str,
         year: int | None = None, chart_format: str | None = None, tables_xlsx: bool = False) -> Plan:
    """The documents to make for `year` (default: the newest in the folder); the year before serves as 上年."""
    year = choose_year(rows, year)
    if year is None:
        return Plan(None, [], [])
    findings: list[Finding] = []
    current, conflicted = _one_per_code(rows, year, findings)
    last, conflicted_last = _one_per_code(rows, year - 1, findings)
    missing = _mark_other_years(rows, year, current, conflicted_last)
    unreadable: dict[Path, list[str]] = defaultdict(list)
    for r in rows:
        if r.status == UNREADABLE:
            unreadable[(folder / r.path).parent].append(r.path)
    units = list(current.values())  # in file order: it is the order of the members in a 部门汇总
    children, looped, more = hierarchy(units)
    findings += more
    jobs: list[Job] = []
    for spec in specs:
        tpl = _sha256(spec.path) + (_sha256(spec.path.with_suffix(".toml")) if spec.path.with_suffix(".toml").exists() else "")
        for u in units:
            prev = None if u.code in conflicted_last else last.get(u.code)
            blocked = "该单位有两本不同的工作簿" if u.code in conflicted else (
                "上年工作簿有两本且内容不同" if u.code in conflicted_last else "")
            jobs.append(Job(f"{u.code}/{year}/{spec.name}", template_ref(spec), (u,), prev, False,
                            _input_hash([u.digest, prev.digest if prev else "", tpl, __version__, options]),
                            document_name(spec, u.name, year), blocked))
            below = descendants(u.code, children, looped) if u.code not in looped else []
            why = _blocked_department(u, below, missing, conflicted, unreadable)
            if below or why:
                members = (u, *below)
                jobs.append(Job(f"{u.code}/{year}/{spec.name}/{CONSOLIDATED}", template_ref(spec), members, None, True,
                                _input_hash([*(m.digest for m in members), tpl, __version__, options, CONSOLIDATED]),
                                document_name(spec, u.name, year, CONSOLIDATED),
                                f"部门汇总不完整，未生成：{why}" if why else ""))
    for r in rows:
        if not r.status and r.unit:
            r.status, r.note = USED, _use_note(r.unit, children, looped)
    jobs = [replace(j, chart_format=chart_format, tables_xlsx=tables_xlsx) for j in jobs]
    return Plan(year, _distinct_names(jobs, specs, year, findings), findings)


def _use_note(u: UnitFile, children: dict[str, list[UnitFile]], looped: set[str]) -> str:
    note = "生成本单位的文档" + ("及部门汇总" if children.get(u.code) and u.code not in looped else "")
    return note + (f"；计入上级 {u.parent} 的部门汇总" if u.parent and u.code not in looped else "")


def _distinct_names(jobs: list[Job], specs: list[TemplateSpec], year: int, findings: list[Finding]) -> list[Job]:
    """No two documents get one file name (on Windows, names differing only in case are one file): the units
    concerned get their 单位编码 in the name, the same on every run."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, job in enumerate(jobs):
        by_name[same_file_name(job.file_name)].append(i)
    spec = {template_ref(s): s for s in specs}
    taken = {same_file_name(j.file_name) for j in jobs}
    reported: set[str] = set()
    for clash in (ix for ix in by_name.values() if len(ix) > 1):
        codes = "、".join(dict.fromkeys(jobs[i].members[0].code for i in clash))
        original = jobs[clash[0]].file_name
        for i in clash:
            job, head = jobs[i], jobs[i].members[0]
            scope = CONSOLIDATED if job.consolidated else ""
            name, n = document_name(spec[job.template], head.name, year, scope, tag=head.code), 2
            while same_file_name(name) in taken:  # codes that are themselves unsafe could still meet
                name, n = document_name(spec[job.template], head.name, year, scope, tag=f"{head.code}-{n}"), n + 1
            taken.add(same_file_name(name))
            jobs[i] = replace(job, file_name=name, note=f"与单位编码 {codes} 的文档同名，文件名中加了单位编码以区分")
        if codes not in reported:
            reported.add(codes)
            findings.append(Finding("层级", WARNING, f"单位编码 {codes} 的文档会同名（「{original}」）："
                                    "单位名称相同，或只差在文件名不能用的字符、大小写；各自的文件名中加了单位编码以区分",
                                    unit=jobs[clash[0]].members[0].name))
    return jobs
