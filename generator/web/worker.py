"""`python -m generator.web.worker JOB_FOLDER`: do what the job's run.json asks, in this process.

A unit: each chosen layout through `generate_document` (the CLI's `generate`, with `force` for a draft), then PDFs.
A department: `generator.batch.run.batch` over the job's input folder into its output folder (its manifest there
makes a second run regenerate only what changed), then PDFs of the documents that have none yet, then one .zip of
everything for download. Progress goes to progress.json as it happens; the end to result.json and state.json.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
import traceback
import zipfile
from pathlib import Path

from generator.checks.rules import Settings
from generator.document.pdf import pdf_path, to_pdfs
from generator.document.templates import shipped
from generator.errors import ChecksFailed, JuesuanError
from generator.output_files import atomic_write
from generator.vocabulary import ERROR, NOTE
from generator.web.present import finding_row, finding_rows
from generator.web.store import DEPARTMENT, DONE, FAILED, RUNNING, Job, read_json, write_json

DOWNLOAD = "download.zip"
WORK = "work"  # LibreOffice's profiles and working copies while converting: inside the job's folder too
PDF_PROCESSES = 2  # LibreOffice conversions at once (each in its own profile)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    job = Job(Path(args[0]))
    run = job.state.get("run")  # the scheduler's token for this run, kept in every state this worker writes
    job.set_state(RUNNING, run=run, pid=os.getpid(), started=time.time())
    try:
        message = run_department(job) if job.kind == DEPARTMENT else run_unit(job)
    except JuesuanError as exc:
        job.set_state(FAILED, run=run, message=str(exc), finished=time.time())
        return 2
    except Exception as exc:  # a bug, not the user's data: the details go to worker.log
        traceback.print_exc()
        job.set_state(FAILED, run=run, message=f"程序内部错误（不是数据的问题）：{exc.__class__.__name__}: {exc}；"
                                               "详细信息在任务文件夹的 worker.log 中，请发给维护人员", finished=time.time())
        return 3
    job.set_state(DONE, run=run, message=message, finished=time.time())
    return 0


# ---------------------------------------------------------------- one unit
def run_unit(job: Job) -> str:
    from generator.document.pipeline import generate_document
    from generator.document.public_tables_xlsx import write_tables_beside

    request = job.request
    layouts = request.get("templates", [])
    workbook = job.input / job.info["workbook"]
    checked = job.info.get("check", {}).get("rows", [])
    documents: list[dict] = []
    job.set_progress(phase="生成文档", total=len(layouts), done=0)
    for i, layout in enumerate(layouts):
        entry = {"template": layout["title"], "status": "失败", "docx": "", "pdf": "", "tables": "", "note": "",
                 "findings": []}
        try:
            made = generate_document(workbook, layout["ref"], job.output, force=bool(request.get("force")))
            entry.update(status="草稿" if made.draft else "已生成", docx=made.path.name,
                         findings=_new_findings(made.findings, checked))
            if request.get("tables"):
                entry["tables"] = write_tables_beside(made.data, made.path).name
        except ChecksFailed as exc:  # data errors (or the document's own audit) without a draft asked for
            entry.update(note=_refused(exc), findings=_new_findings(exc.findings, checked))
        except JuesuanError as exc:
            entry["note"] = str(exc)
        documents.append(entry)
        job.set_progress(phase="生成文档", total=len(layouts), done=i + 1, current=layout["title"])
    if request.get("pdf"):
        _unit_pdfs(job, documents)
    _pack(job)
    job.set_result({"documents": documents, "finished": time.time()})
    made = sum(1 for d in documents if d["docx"])
    return f"已生成 {made} 份文档" + (f"，{len(documents) - made} 份未生成" if made < len(documents) else "")


def _refused(exc: ChecksFailed) -> str:
    errors = sum(1 for f in exc.findings if f.severity == ERROR)
    if exc.__class__.__name__ == "AuditFailed":
        return f"生成的文档未通过自检（{errors} 处数字前后不一致），未写出。可勾选“数据有错误时生成草稿”生成草稿供核对。"
    return f"数据有 {errors} 项错误，未生成。请改正工作簿后重新上传，或勾选“数据有错误时生成草稿”生成草稿供核对。"


def _new_findings(findings, checked: list[dict]) -> list[dict]:
    """What generating found beyond the check already shown (the layout's requirements, the document's audit)."""
    return [row for row in finding_rows(findings) if row not in checked]


def _unit_pdfs(job: Job, documents: list[dict]) -> None:
    made = [d for d in documents if d["docx"]]
    job.set_progress(phase="转换 PDF", total=len(made), done=0)
    by_path = {job.output / d["docx"]: d for d in made}
    for i, converted in enumerate(to_pdfs(by_path, PDF_PROCESSES, workdir=job.folder / WORK), 1):
        entry = by_path[converted.docx]
        entry["pdf"] = converted.pdf.name if converted.pdf else ""
        entry["pdf_problem"] = converted.problem
        job.set_progress(phase="转换 PDF", total=len(made), done=i, current=entry["template"])


# ---------------------------------------------------------------- a department
def run_department(job: Job) -> str:
    from generator.batch.run import FAILED as BATCH_FAILED
    from generator.batch.run import OK, UNCHANGED, batch

    request = job.request
    job.set_progress(phase="准备", total=0, done=0, failed=0)
    placed = merge_corrections(job)
    tally = {"total": 0, "done": 0, "failed": 0}

    def planned(total: int) -> None:
        tally["total"] = total
        job.set_progress(phase="生成文档", **tally)

    def progress(result) -> None:
        tally["failed" if result.status == BATCH_FAILED else "done"] += 1
        job.set_progress(phase="生成文档", current=f"{result.unit}（{result.template}）", **tally)

    templates = [t["ref"] for t in request.get("templates", [])] or None
    run = batch(job.input, job.output, templates, request.get("processes"), False, Settings(), progress, planned,
                tables_xlsx=bool(request.get("tables")))
    titles = {spec.name: spec.title for spec in shipped()}
    ordered = sorted(run.results, key=lambda r: (r.status != BATCH_FAILED, r.unit, r.template))  # failures first, as the CLI
    rows = [_row(r, job.output, titles) for r in ordered]
    if request.get("pdf"):
        _department_pdfs(job, rows, (OK, UNCHANGED))
    _pack(job)
    summary = run.summary_path.relative_to(job.output).as_posix() if run.summary_path else ""
    job.set_result({"rows": rows, "findings": [finding_row(f) for f in run.findings], "summary": summary,
                    "placed": placed, "finished": time.time()})
    made = sum(r["status"] == OK for r in rows)
    kept = sum(r["status"] == UNCHANGED for r in rows)
    return f"共 {len(rows)} 份：新生成 {made}，未变化 {kept}，失败 {len(run.failed)}。"


def merge_corrections(job: Job) -> list[dict]:
    """Put each corrected workbook (job/corrections/) in the place of the one it corrects: the same file name, or
    else the workbook of the same unit code and year; a workbook of a unit not in the job yet is added."""
    corrections = job.folder / "corrections"
    if not corrections.is_dir():
        return []
    identities = _identities(job)
    by_unit = {ident: rel for rel, ident in identities.items() if ident}
    placed = []
    for path in sorted(p for p in corrections.rglob("*.xlsx") if p.is_file()):
        rel = path.relative_to(corrections).as_posix()
        ident = _identity(path)
        target_rel = rel if rel in identities else by_unit.get(ident, rel) if ident else rel
        target = job.input / target_rel
        replaced = target.exists()
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        placed.append({"file": rel, "target": target_rel, "replaced": replaced})
    shutil.rmtree(corrections, ignore_errors=True)
    return placed


def _identities(job: Job) -> dict[str, tuple[str, str] | None]:
    """The unit code and year of every workbook in the job (read once per content, kept in identities.json)."""
    store = job.folder / "identities.json"
    known = read_json(store, {})
    found: dict[str, tuple[str, str] | None] = {}
    keep = {}
    for path in sorted(job.input.rglob("*.xlsx")):
        rel = path.relative_to(job.input).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        entry = known.get(rel)
        ident = tuple(entry["unit"]) if entry and entry["digest"] == digest and entry["unit"] else None
        if entry is None or entry["digest"] != digest:
            ident = _identity(path)
        found[rel] = ident
        keep[rel] = {"digest": digest, "unit": list(ident) if ident else None}
    write_json(store, keep)
    return found


def _identity(path: Path) -> tuple[str, str] | None:
    from generator.workbook.reader import read_info

    try:
        info = read_info(path)
        return info.get("code").text("value"), info.get("year").text("value")
    except JuesuanError:
        return None


def _row(result, output: Path, titles: dict[str, str]) -> dict:
    """A BatchRun result as the page shows it: the CLI summary's status and note, the change list, the files."""
    docx = Path(result.output) if result.output else None
    return {"status": result.status, "unit": result.unit, "template": titles.get(result.template, result.template),
            "note": result.note, "warnings": getattr(result, "warnings", 0), "changes": list(result.changes),
            "findings": finding_rows(f for f in getattr(result, "findings", ()) if f.severity != NOTE),
            "docx": docx.relative_to(output).as_posix() if docx and docx.is_relative_to(output) else "",
            "tables": _beside(docx, output), "pdf": "", "pdf_problem": ""}


def _beside(docx: Path | None, output: Path) -> str:
    """The 公开表 .xlsx beside a document, when the batch made one."""
    from generator.document.public_tables_xlsx import tables_path

    if not docx or not docx.is_relative_to(output) or not tables_path(docx).is_file():
        return ""
    return tables_path(docx).relative_to(output).as_posix()


def _department_pdfs(job: Job, rows: list[dict], with_document: tuple[str, ...]) -> None:
    """A PDF for every document that has none, or an older one (a document regenerated since)."""
    wanted = {}
    for row in rows:
        if row["status"] in with_document and row["docx"]:
            docx = job.output / row["docx"]
            pdf = pdf_path(docx)
            if pdf.exists() and pdf.stat().st_mtime >= docx.stat().st_mtime:
                row["pdf"] = pdf.relative_to(job.output).as_posix()
            else:
                wanted[docx] = row
    job.set_progress(phase="转换 PDF", total=len(wanted), done=0, failed=0)
    failed = 0
    for i, converted in enumerate(to_pdfs(wanted, PDF_PROCESSES, workdir=job.folder / WORK), 1):
        row = wanted[converted.docx]
        if converted.pdf:
            row["pdf"] = converted.pdf.relative_to(job.output).as_posix()
        else:
            row["pdf_problem"] = converted.problem
            failed += 1
        job.set_progress(phase="转换 PDF", total=len(wanted), done=i - failed, failed=failed, current=row["unit"])


def _pack(job: Job) -> None:
    """Everything the run made, in one .zip: documents, PDFs, change lists and 批量生成汇总.xlsx."""
    files = sorted(p for p in job.output.rglob("*") if p.is_file() and _shipped(p.relative_to(job.output)))
    with atomic_write(job.folder / DOWNLOAD) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            zf.write(path, path.relative_to(job.output).as_posix())


def _shipped(relative: Path) -> bool:
    """Not the batch's own state folder (.juesuan), temporary files or lock files."""
    return not any(part.startswith((".", "~$")) for part in relative.parts)


if __name__ == "__main__":
    sys.exit(main())
