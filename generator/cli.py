"""Command line: `juesuan init | generate | import | check | batch | demo | templates | check-template | serve`.
A thin layer over the library."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from generator import __version__
from generator.bundled import sample_dir
from generator.errors import JuesuanError

SAMPLES = sample_dir()


def _init(args: argparse.Namespace) -> int:
    from generator.workbook.blank import write_workbook

    if args.source:
        return _init_from(args)

    path = write_workbook(args.path, year=args.year, overwrite=args.force)
    print(f"已生成空白工作簿：{path}")
    print("请按“填表说明”工作表填写，然后运行：juesuan generate " + str(path))
    return 0


def _init_from(args: argparse.Namespace) -> int:
    """`init NEW --from OLD`: next year's workbook, with last year's figures as 上年数 (a folder: every unit's)."""
    from generator.workbook.carry_over import carry_over

    if Path(args.source).is_dir():
        return _next_year(Path(args.source), Path(args.path), args.force)
    carried = carry_over(args.source, args.path, overwrite=args.force, year=args.year)
    print("\n".join(carried.summary()))
    return 0


def _next_year(source: Path, target: Path, force: bool) -> int:
    """`batch OLD --next-year NEW` (or `init NEW --from OLD` with folders): every unit's next-year workbook."""
    from generator.batch.next_year import CARRIED, carry_over_folder

    def progress(row) -> None:
        print(f"  {row.status}  {row.source}" + (f" → {row.target}" if row.target else "") + (f"：{row.note}" if row.note else ""),
              flush=True)

    print(f"由 {source} 中的上年工作簿生成新年度工作簿，写入 {target}：")
    done = carry_over_folder(source, target, overwrite=force, progress=progress)
    made = sum(1 for r in done.rows if r.status == CARRIED)
    failed = len(done.failed)
    left = len(done.rows) - made - failed
    print(f"找到工作簿 {len(done.rows)} 本：生成 {done.year or ''} 年度工作簿 {made} 本"
          + (f"，失败 {failed} 本" if failed else "") + (f"，未处理 {left} 本" if left else "")
          + ("（原因见上）" if failed or left else "") + "。")
    if made:
        print("每本新工作簿中橙色底纹标出需要改写、核对和填写的单元格，清单见其“填表说明”工作表末尾；"
              "本年数请各单位填写，或用 juesuan import 从公开表导入。")
    return 2 if failed or not made else 0


def _import(args: argparse.Namespace) -> int:
    """`import 公开表.xlsx --into 本单位.xlsx`: the nine tables into our workbook (a copy of it, moved into place)."""
    from generator.workbook.public_tables_import import import_public_tables

    result = import_public_tables(args.tables, args.into, force=args.force)
    print("\n".join(result.summary()))
    if not result.complete:
        print("以上“未导入”和“未找到”的内容请对照原表在工作簿中补填。", file=sys.stderr)
    return 0 if result.complete else 1


def _settings(args: argparse.Namespace):
    from decimal import Decimal

    from generator.checks.rules import Settings

    return Settings(yoy_threshold=Decimal(str(args.threshold)) / 100)


def _generate(args: argparse.Namespace) -> int:
    from generator.checks.findings_table import format_table
    from generator.document.pipeline import generate_document
    from generator.errors import ChecksFailed

    try:
        result = generate_document(args.workbook, args.template, args.output, force=args.force,
                                   settings=_settings(args), previous=args.previous, chart_format=args.charts)
    except ChecksFailed as exc:
        print(format_table(exc.findings), file=sys.stderr)
        raise
    if result.findings:
        print(format_table(result.findings), file=sys.stderr)
    print(f"已生成{'草稿' if result.draft else ''}：{result.path}")
    if args.tables_xlsx:
        _write_tables_xlsx(result)
    return _pdf_of(result.path) if args.pdf else 0


def _pdf_of(document: Path) -> int:
    """`generate --pdf`: the PDF beside the document; without LibreOffice a notice, and the .docx stays (exit 1)."""
    from generator.document.pdf import PdfError, to_pdf

    try:
        print(f"已生成 PDF：{to_pdf(document)}")
    except PdfError as exc:
        print(f"注意：{exc}", file=sys.stderr)
        return 1
    return 0


def _batch_pdfs(run, workers: int | None) -> int:
    """`batch --pdf`, after the run: a PDF for each document that has none or an older one; 1 if any is missing."""
    from generator.batch.run import OK, UNCHANGED
    from generator.document.pdf import pdf_path, to_pdfs

    documents = [Path(r.output) for r in run.results if r.status in (OK, UNCHANGED) and r.output]
    wanted = [d for d in documents if not (pdf_path(d).exists() and pdf_path(d).stat().st_mtime >= d.stat().st_mtime)]
    problems: list[str] = []
    for converted in to_pdfs(wanted, workers=min(workers or 2, 4)):
        if converted.pdf:
            print(f"  已生成 PDF：{converted.pdf.name}", file=sys.stderr)
        elif converted.problem not in problems:  # "LibreOffice is missing" once, not once per document
            problems.append(converted.problem)
    failed = sum(1 for d in wanted if not pdf_path(d).exists() or pdf_path(d).stat().st_mtime < d.stat().st_mtime)
    print(f"PDF：新生成 {len(wanted) - failed}，沿用 {len(documents) - len(wanted)}，未能生成 {failed}。")
    for problem in problems:
        print(f"注意：{problem}", file=sys.stderr)
    return 1 if failed else 0


def _write_tables_xlsx(result) -> None:
    """`generate --tables-xlsx`: the nine 公开表 as one .xlsx beside the document, from the same figures."""
    from generator.document.public_tables_xlsx import write_tables_beside

    print(f"已生成公开表：{write_tables_beside(result.data, result.path)}")


def _check(args: argparse.Namespace) -> int:
    from generator.batch.discover import find_workbooks
    from generator.checks.findings_table import exit_code, format_table, write_report
    from generator.checks.rules import ERROR, Finding, run_checks
    from generator.errors import InputError
    from generator.workbook.reader import read_workbook

    target = Path(args.path)
    findings: list[Finding] = []
    if target.is_dir():
        books, problems = find_workbooks(target)
        findings += [Finding("读取", ERROR, p.note, unit=p.path) for p in problems]
        if not books and not problems:
            raise JuesuanError(f"文件夹 {target}（含子文件夹）中没有 .xlsx 工作簿")
    else:
        books = [target]
    for book in books:
        try:
            findings += run_checks(read_workbook(book), _settings(args))
        except InputError as exc:
            findings.append(Finding("读取", ERROR, str(exc), unit=str(book.relative_to(target)) if target.is_dir() else book.name))
    print(format_table(findings))
    if target.is_dir():
        print(f"已检查 {len(books)} 本工作簿（{target}，含子文件夹）" + (f"，另有 {len(problems)} 个文件无法打开" if problems else "") + "。")
    if args.report:
        print(f"检查报告已写入：{write_report(findings, Path(args.report))}")
    return exit_code(findings)


def _demo(args: argparse.Namespace) -> int:
    from generator.document.pipeline import generate
    from generator.document.templates import shipped

    books = sorted(SAMPLES.glob("*.xlsx"))
    if not books:
        raise JuesuanError(f"找不到示例工作簿（{SAMPLES}）")
    templates = [args.template] if args.template else [s.name for s in shipped()]
    jobs = [(book, t) for book in books for t in templates]
    for i, (book, template) in enumerate(jobs, 1):
        path = generate(book, template, args.output)
        print(f"[{i}/{len(jobs)}] 已生成：{path}")
    code = 0
    for folder in sorted(p for p in SAMPLES.iterdir() if p.is_dir()):
        print(f"\n批量生成示例部门：{folder.name}")
        code = max(code, _run_batch(folder, Path(args.output) / folder.name, templates, None, False, _settings(args)))
    return code


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the workers stop and the lock is released."""


def _on_sigterm(signum, frame) -> None:
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one while stopping must not interrupt the clean-up
    raise _Terminated()


def _run_batch(folder: Path, output: Path, templates: list[str] | None, jobs: int | None, force: bool, settings,
               year: int | None = None, chart_format: str | None = None, pdf: bool = False,
               scheduler: str | None = None, tables_xlsx: bool = False) -> int:
    import signal
    from contextlib import nullcontext

    from tqdm import tqdm

    from generator.batch.run import FAILED, batch
    from generator.checks.findings_table import format_table

    cluster = nullcontext()
    if scheduler:  # the Dask cluster: connected (or started) before anything is read or written
        from generator.batch.dask_engine import connect

        if jobs is not None:
            raise JuesuanError("--jobs 不能与 --scheduler 同时使用：进程数由 Dask 集群决定（local:N 即在本机启动 N 个工作进程）")
        cluster = connect(scheduler)
    bar = tqdm(desc="生成中", unit="份", file=sys.stderr, dynamic_ncols=True, disable=None)
    counts = {"done": 0, "failed": 0}

    def progress(result) -> None:
        counts["failed" if result.status == FAILED else "done"] += 1
        bar.update(1)
        bar.set_postfix_str(f"完成 {counts['done']}，失败 {counts['failed']}")
        if bar.disable:  # no terminal: one line per document instead of a bar
            print(f"  {result.status}  {result.unit}（{result.template}）", file=sys.stderr)

    def planned(total: int) -> None:
        bar.total = total
        bar.refresh()

    import threading

    main_thread = threading.current_thread() is threading.main_thread()  # only it may set signal handlers
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if main_thread else None
    try:
        with cluster as engine:
            if engine:
                print(f"使用{engine}", file=sys.stderr)
            run = batch(folder, output, templates, jobs, force, settings, progress, planned, year, chart_format,
                        engine, tables_xlsx)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
        bar.close()
    if run.findings:
        print(format_table(run.findings), file=sys.stderr)
    print(_batch_table(run))
    if run.stopped:
        print(f"已停止：{run.stopped}", file=sys.stderr)
    if run.summary_error:
        print(run.summary_error, file=sys.stderr)
    elif run.summary_path:
        print(f"汇总表：{run.summary_path}（“工作簿”工作表列出找到的每本工作簿，“检查结果”工作表列出每个警告和错误所在的单元格）")
    code = 0 if run.complete else 2
    return max(code, _batch_pdfs(run, jobs)) if pdf else code


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """`text` in exactly `width` terminal columns (a Chinese character takes two): padded, or cut with …."""
    if _width(text) > width:
        while _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _width(text))


def _table(header: list[str], rows: list[list[str]], caps: list[int]) -> list[str]:
    """Columns as wide as their widest cell (at most `caps`), the last one free."""
    widths = [min(cap, max(_width(r[i]) for r in [header, *rows])) + 2 for i, cap in enumerate(caps)]
    return ["".join(_fit(cell, w) for cell, w in zip(row, widths, strict=False)) + row[-1] for row in [header, *rows]]


def _batch_table(run) -> str:
    from generator.batch.model import COPY, DUPLICATE, PREVIOUS, SKIPPED, UNREADABLE, USED
    from generator.batch.run import FAILED, KEPT, OK, UNCHANGED

    rows = []
    for r in sorted(run.results, key=lambda r: (r.status != FAILED, r.code, r.key)):
        note = "；".join(x for x in (
            f"警告 {r.warnings} 项" if r.warnings and r.status != FAILED else "",
            f"{len(r.changes)} 处有变化，见 _变更.txt" if r.changes else "",
            r.note.replace(KEPT, "").strip("；")) if x)
        rows.append([r.status, r.unit, r.template, f"{r.seconds:.1f}s", note])
    lines = _table(["状态", "单位", "模板", "用时", "说明"], rows, [8, 44, 30, 8]) if rows else []
    others = [w for w in run.workbooks if w.status != USED]
    if others:
        lines += ["", "工作簿（未用于生成本年文档的）："]
        lines += _table(["处理情况", "文件", "说明"], [[w.status, w.path, w.note] for w in others], [10, 60])
    n = len(run.results)
    lines.append(f"共 {n} 份文档：新生成 {sum(r.status == OK for r in run.results)}，"
                 f"未变化 {sum(r.status == UNCHANGED for r in run.results)}，失败 {len(run.failed)}。")
    books = {s: sum(w.status == s for w in run.workbooks) for s in (PREVIOUS, COPY, SKIPPED, UNREADABLE, DUPLICATE)}
    used = sum(w.status == USED for w in run.workbooks)
    lines.append(f"找到工作簿 {len(run.workbooks)} 本：{run.year or ''} 年度 {used}" + "".join(
        f"，{s} {k}" for s, k in books.items() if k) + "。" if run.workbooks else "没有找到工作簿。")
    if run.not_made:
        lines.append(f"有 {len(run.not_made)} 本工作簿的文档没有生成（见上表“工作簿”部分）。")
    return "\n".join(lines)


def _batch(args: argparse.Namespace) -> int:
    if args.next_year:
        return _next_year(Path(args.folder), Path(args.next_year), args.force)
    if not args.output:
        raise JuesuanError("请用 --output 给出输出目录（或用 --next-year 新文件夹 生成下一年度的工作簿）")
    return _run_batch(Path(args.folder), Path(args.output), args.template, args.jobs, args.force, _settings(args),
                      args.year, args.charts, pdf=args.pdf, scheduler=args.scheduler, tables_xlsx=args.tables_xlsx)


def _check_template(args: argparse.Namespace) -> int:
    from generator.document.template_check import ERROR, check_template
    from generator.document.templates import find

    path = find(args.path).path
    problems = check_template(path)
    for problem in problems:
        print(problem)
    errors = sum(1 for p in problems if p.severity == ERROR)
    if not problems:
        print(f"模板检查通过：{path.name} 中的标签都能使用。")
        return 0
    print(f"共发现：错误 {errors} 项，警告 {len(problems) - errors} 项。")
    return 1 if errors else 0


def _templates(args: argparse.Namespace) -> int:
    from generator.document.templates import shipped

    if args.copy:
        return _copy_template(*args.copy, force=args.force)
    for spec in shipped():
        print(f"{spec.name}\t{spec.title}\n\t{spec.description}")
    print("\n如需修改版式或措辞，先复制一份自带模板再改：juesuan templates --copy 模板名称 我的模板.docx")
    return 0


def _copy_template(name: str, target: str, force: bool) -> int:
    """Copy a shipped template (.docx and its .toml settings) to where the user asks, for editing in Word/WPS."""
    import shutil

    from generator.document.templates import shipped
    from generator.errors import OutputError, TemplateError
    from generator.output_files import atomic_write

    specs = {spec.name: spec for spec in shipped()}
    if name not in specs:
        raise TemplateError(f"没有名为“{name}”的自带模板。可用的模板：{'、'.join(specs)}")
    docx = Path(target)
    if docx.suffix.lower() != ".docx":
        raise OutputError(f"复制的模板须保存为 .docx 文件：{docx}（例如 我的模板.docx）")
    pairs = [(specs[name].path, docx)]
    settings = specs[name].path.with_suffix(".toml")
    if settings.exists():
        pairs.append((settings, docx.with_suffix(".toml")))
    existing = [str(dst) for _, dst in pairs if dst.exists()]
    if existing and not force:  # checked for both files first, so a refusal leaves nothing half-copied
        raise OutputError(f"文件已存在，未覆盖：{'、'.join(existing)}（如需覆盖请加 --force）")
    for src, dst in pairs:
        with atomic_write(dst) as tmp:
            shutil.copyfile(src, tmp)
        print(f"已复制：{dst}")
    shown = f'"{docx}"' if " " in str(docx) else str(docx)
    settings_note = f"输出文件名、图表和数字显示等设置在 {docx.with_suffix('.toml').name} 中。" if len(pairs) > 1 else ""
    print(f"\n可在 Word 或 WPS 中修改 {docx.name}（{{{{ }}}} 和 {{% %}} 标签请整体保留）。{settings_note}\n"
          f"修改后检查模板：juesuan check-template {shown}\n"
          f"用它生成文档：juesuan generate 本单位.xlsx --template {shown}")
    return 0


# Modules of the optional extra `.[web]`: importing generator.web without them means the extra is not installed.
_WEB_EXTRA = ("fastapi", "uvicorn", "starlette", "python_multipart", "multipart", "itsdangerous", "anyio")


def _serve(args: argparse.Namespace) -> int:
    """`juesuan serve`: the web page (the optional extra `.[web]`, imported only here)."""
    import os

    try:
        from generator.web.server import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in _WEB_EXTRA:
            raise
        print(f"网页界面需要另外安装的组件（缺少 {exc.name}）。请在本工具的文件夹中运行：\n"
              "    pip install -e \".[web]\"\n"
              "（Windows：.venv\\Scripts\\pip install -e .[web]；用安装包安装的：pip install \"juesuan[web]\"）", file=sys.stderr)
        return 2
    password = args.password or os.environ.get("JUESUAN_WEB_PASSWORD", "")
    return serve(args.host, args.port, password, browser=not args.no_browser,
                 data=Path(args.data) if args.data else None, keep_days=args.keep_days, processes=args.jobs)


def _serve_command(sub) -> None:
    s = sub.add_parser("serve", help="启动网页界面：在浏览器中上传工作簿、查看检查结果、下载文档（需安装 .[web]）")
    s.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    s.add_argument("--host", default="127.0.0.1",
                   help="监听地址（默认 127.0.0.1，只有本机能访问）；0.0.0.0 供局域网访问，须同时设置 --password")
    s.add_argument("--password", default="", metavar="密码",
                   help="访问密码（局域网访问时必须；也可用环境变量 JUESUAN_WEB_PASSWORD，免得密码出现在命令行中）")
    s.add_argument("--no-browser", action="store_true", help="启动后不自动打开浏览器")
    s.add_argument("--data", metavar="文件夹", help="保存上传文件和生成结果的文件夹（默认在当前用户的应用数据目录中）")
    s.add_argument("--keep-days", type=float, default=7.0, metavar="天数", help="任务保留天数，过期自动删除（默认 7）")
    s.add_argument("--jobs", type=int, help="部门批量生成的并行进程数（默认：全部CPU核心）")
    s.set_defaults(run=_serve)


def _pdf_option(s: argparse.ArgumentParser) -> None:
    s.add_argument("--pdf", action="store_true",
                   help="同时用 LibreOffice 生成 PDF（目录页码随之更新）；未安装 LibreOffice 时只生成 Word 文档并给出提示")


def _show_progress_messages() -> None:
    """The toolkit's own notices (not those of the libraries below it) go to stderr."""
    log = logging.getLogger("juesuan")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def _threshold_option(s: argparse.ArgumentParser) -> None:
    s.add_argument("--threshold", type=float, default=10.0, metavar="百分比",
                   help="与上年相比变动超过此百分比而未填原因时给出警告（默认 10）")


def _init_from_option(s: argparse.ArgumentParser) -> None:
    s.add_argument("--from", dest="source", metavar="上年工作簿",
                   help="由上年的工作簿生成：上年数、基本信息、文字材料和项目清单自动带入")


def _tables_xlsx_option(s: argparse.ArgumentParser) -> None:
    s.add_argument("--tables-xlsx", action="store_true",
                   help="同时把九张公开表另存为一个 .xlsx（与文档放在一起，每表一个工作表）")


def _charts_option(s: argparse.ArgumentParser) -> None:
    s.add_argument("--charts", choices=("native", "picture"),
                   help="图表形式：native 为 Word 图表（可在 Word/WPS 中点击图表修改数据和颜色），picture 为图片；"
                        "默认按模板设置（.toml 中的 chart_format，自带模板为 native）")


def _import_command(sub) -> None:
    s = sub.add_parser("import", help="从公开表（.xlsx/.xls，如决算软件导出的九张公开表）导入本年数到工作簿")
    s.add_argument("tables", help="公开表文件（.xlsx、.xls）；不会被改动")
    s.add_argument("--into", required=True, metavar="工作簿",
                   help="要填入的工作簿：已存在则更新其中的表格（文字材料、上年数和原因不变），不存在则新建")
    s.add_argument("--force", action="store_true", help="公开表的年度与工作簿不一致时仍导入")
    s.set_defaults(run=_import)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="juesuan", description="部门决算公开文档生成工具")
    p.add_argument("--version", action="version", version=f"juesuan {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")
    s = sub.add_parser("init", help="生成空白的填报工作簿")
    s.add_argument("path", help="要生成的 .xlsx 文件")
    s.add_argument("--year", type=int, help="决算年度，如 2020")
    s.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    _init_from_option(s)
    s.set_defaults(run=_init)
    s = sub.add_parser("generate", help="检查一个单位的工作簿并生成文档")
    s.add_argument("workbook", help="填好的 .xlsx 工作簿")
    s.add_argument("--template", help="模板名称（见 juesuan templates）或 .docx 模板路径")
    s.add_argument("--output", default="output", help="输出目录（默认 output/）")
    s.add_argument("--force", action="store_true", help="数据有错误时仍生成，文档标为草稿")
    s.add_argument("--previous", metavar="上年工作簿", help="同一单位上年的工作簿：核对填写的上年数")
    _charts_option(s)
    _tables_xlsx_option(s)
    _pdf_option(s)
    _threshold_option(s)
    s.set_defaults(run=_generate)
    s = sub.add_parser("check", help="勾稽检查一个工作簿或一个文件夹中的全部工作簿")
    s.add_argument("path", help=".xlsx 工作簿或文件夹")
    s.add_argument("--report", help="把检查结果另存为 .xlsx（单元格位置可点击跳转）")
    _threshold_option(s)
    s.set_defaults(run=_check)
    s = sub.add_parser("demo", help="用自带的示例数据生成全部示例文档（每种版式各一份，含一个部门的批量生成与汇总）")
    s.add_argument("--template", help="模板名称或路径")
    s.add_argument("--output", default="output", help="输出目录（默认 output/）")
    _threshold_option(s)
    s.set_defaults(run=_demo)
    s = sub.add_parser("batch", help="批量生成一个文件夹中全部单位的文档及部门汇总")
    s.add_argument("folder", help="存放各单位工作簿的文件夹（文件名不限）")
    s.add_argument("--output", help="输出目录（生成文档时必须给出）")
    s.add_argument("--next-year", metavar="新文件夹",
                   help="不生成文档，而是为文件夹中最新年度的每个单位生成下一年度的工作簿（同 init --from），写入新文件夹")
    s.add_argument("--template", action="append", help="模板名称或路径，可多次给出（默认四川样式）")
    s.add_argument("--jobs", type=int, help="并行进程数（默认：全部CPU核心）")
    s.add_argument("--force", action="store_true", help="全部重新生成（默认只生成数据或模板有变化的）")
    s.add_argument("--year", type=int, help="生成哪个年度（默认：文件夹中最新的年度；上一年度的工作簿用作上年数据）")
    _charts_option(s)
    _pdf_option(s)
    _tables_xlsx_option(s)
    s.add_argument("--scheduler", metavar="地址",
                   help="在 Dask 集群上生成：tcp://主机:8786（已启动的调度器），或 local:N（在本机启动 N 个工作进程）；"
                        "需安装 pip install 'juesuan[dask]'，见 docs/scale.md")
    _threshold_option(s)
    s.set_defaults(run=_batch)
    _import_command(sub)
    s = sub.add_parser("check-template", help="检查一个 .docx 模板：未知名称、被拆分的标签、弯引号、未配对的块")
    s.add_argument("path", help="模板文件路径，或自带模板的名称")
    s.set_defaults(run=_check_template)
    s = sub.add_parser("templates", help="列出自带的模板，或复制一份自带模板以便修改")
    s.add_argument("--copy", nargs=2, metavar=("模板名称", "新模板.docx"),
                   help="把自带模板（.docx 及其同名 .toml 设置）复制到指定位置，供在 Word/WPS 中修改")
    s.add_argument("--force", action="store_true", help="与 --copy 一同使用：目标文件已存在时覆盖")
    s.set_defaults(run=_templates)
    _serve_command(sub)
    return p


def _ignore_further_interrupts() -> None:
    """Stopping already: another Ctrl-C or SIGTERM during the interpreter's shutdown would only print a traceback."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _show_progress_messages()
    try:
        return args.run(args)
    except JuesuanError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        _ignore_further_interrupts()
        print("已中断；已写出的文件均完整，未完成的文件没有写出。", file=sys.stderr)
        return 143 if isinstance(exc, _Terminated) else 130
    except Exception as exc:  # a bug, not the user's data: keep the details, show one line
        import tempfile
        import traceback

        with tempfile.NamedTemporaryFile("w", prefix="juesuan-error-", suffix=".log", delete=False, encoding="utf-8") as log:
            traceback.print_exc(file=log)
        print(f"程序内部错误（不是数据的问题）：{exc.__class__.__name__}: {exc}\n"
              f"详细信息已写入 {log.name}，请把该文件发给维护人员。已写出的文件均完整。", file=sys.stderr)
        return 3
