"""Findings for people: a terminal table grouped by unit and sheet, and an .xlsx report with links to the cells."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from generator.checks.rules import Finding
from generator.output_files import atomic_write
from generator.vocabulary import ERROR, NOTE, SEVERITY_LABELS, SEVERITY_ORDER, WARNING


def exit_code(findings: Sequence[Finding]) -> int:
    """0 clean (notes only), 1 warnings only, 2 errors."""
    severities = {f.severity for f in findings}
    return 2 if ERROR in severities else 1 if WARNING in severities else 0


def summary(findings: Sequence[Finding]) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in (ERROR, WARNING, NOTE)}
    if not any(counts.values()):
        return "检查通过：未发现问题。"
    return f"共发现：错误 {counts[ERROR]} 项，警告 {counts[WARNING]} 项，提示 {counts[NOTE]} 项。"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _cells(f: Finding) -> str:
    return "、".join(f"{i.where.sheet}!{i.where.cell}={i.value or '（空）'}" if i.where.cell else f"{i.label}={i.value}"
                     for i in f.cells if i.where.cell or i.value)


def format_table(findings: Sequence[Finding]) -> str:
    """Findings grouped by unit, then sheet, errors first within each group."""
    lines: list[str] = []
    ordered = sorted(findings, key=lambda f: (f.unit, f.sheet, SEVERITY_ORDER[f.severity], f.rule))
    unit = sheet = None
    for f in ordered:
        if f.unit != unit:
            unit, sheet = f.unit, None
            lines.append(f"\n【{unit or '（未能读取的文件）'}】")
        if f.sheet != sheet:
            sheet = f.sheet
            lines.append(f"  工作表「{sheet or '—'}」")
        lines.append(f"    {pad(SEVERITY_LABELS[f.severity], 4)} {pad(f.rule, 12)} {f.message}")
        cells = _cells(f)
        if cells:
            lines.append(f"    {'':4} {'':12} 涉及：{cells}" + (f"；容差：{f.tolerance}" if f.tolerance else ""))
    lines.append(summary(findings))
    return "\n".join(lines).lstrip("\n")


def write_report(findings: Sequence[Finding], target: Path) -> Path:
    """An .xlsx of the findings; each cell reference links to that cell in its workbook."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "检查结果"
    fill_sheet(ws, findings, target)
    with atomic_write(target) as tmp:
        wb.save(tmp)
    return target


def fill_sheet(ws, findings: Sequence[Finding], target: Path) -> None:
    """Findings as rows of a worksheet, one per cell involved, the cell a link relative to `target`."""
    from openpyxl.styles import Font

    ws.append(["单位", "级别", "规则", "说明", "工作表", "单元格", "值", "容差", "文件"])
    for c in ws[1]:
        c.font = Font(bold=True)
    row = 1  # the row just written (openpyxl's max_row looks at every cell each time it is asked)
    for f in sorted(findings, key=lambda f: (f.unit, SEVERITY_ORDER[f.severity], f.sheet)):
        places = [i for i in f.cells if i.where.cell] or [None]
        for i in places:
            ws.append([f.unit, SEVERITY_LABELS[f.severity], f.rule, f.message, i.where.sheet if i else f.sheet,
                       i.where.cell if i else "", i.value if i else "", f.tolerance, i.where.file if i else ""])
            row += 1
            if i is not None:
                link = ws.cell(row, 6)
                rel = os.path.relpath(i.where.file, target.parent) if i.where.file else ""
                link.hyperlink = f"{rel}#'{i.where.sheet}'!{i.where.cell}"
                link.font = Font(color="0563C1", underline="single")
    for col, width in zip("ABCDEFGHI", (28, 6, 14, 70, 18, 8, 14, 12, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
