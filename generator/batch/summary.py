"""批量生成汇总.xlsx: one row per document, one row per workbook found, then the findings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.batch.model import FAILED
from generator.vocabulary import ERROR

if TYPE_CHECKING:
    from generator.batch.run import BatchRun


def _sheet(wb, title: str, header: list[str], widths: tuple[int, ...], rows: list[list]):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append(row)
    for c in ws[1]:
        c.font = Font(bold=True)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    return ws


def write_summary(run: BatchRun, target: Path) -> Path:
    """The run as a workbook, written atomically into the output folder."""
    from openpyxl import Workbook

    from generator.checks.findings_table import fill_sheet
    from generator.output_files import atomic_write

    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "生成结果", ["单位", "单位编码", "模板", "状态", "错误", "警告", "输出文件", "用时（秒）", "变化", "说明"],
           (36, 12, 18, 8, 6, 6, 50, 10, 6, 60),
           [[r.unit, r.code, r.template, r.status, r.errors, r.warnings, r.output, r.seconds, len(r.changes), r.note]
            for r in sorted(run.results, key=lambda r: (r.status != FAILED, r.code, r.key))])
    _sheet(wb, "工作簿", ["文件", "单位", "单位编码", "上级单位编码", "年度", "处理情况", "说明"], (50, 30, 12, 12, 6, 10, 80),
           [[w.path, w.unit.name if w.unit else "", w.unit.code if w.unit else "", w.unit.parent if w.unit else "",
             w.unit.year if w.unit else "", w.status, w.note] for w in run.workbooks])
    checked = [f for r in run.results for f in r.findings]
    if checked:
        fill_sheet(wb.create_sheet("检查结果"), checked, target)
    if run.findings:
        _sheet(wb, "文件与层级", ["单位或文件", "级别", "说明"], (36, 8, 90),
               [[f.unit, "错误" if f.severity == ERROR else "警告", f.message] for f in run.findings])
    with atomic_write(target) as tmp:
        wb.save(tmp)
    return target
