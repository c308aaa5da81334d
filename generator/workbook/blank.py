"""Write a formatted workbook in the declared format: blank (`juesuan init`) or filled (sample data)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from generator.output_files import atomic_write
from generator.workbook import schema
from generator.workbook.schema import AMOUNT, CHOICE, COUNT, FLAG, KIND_LABELS, Field, Sheet

_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_KEY_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FONT = Font(name="宋体", bold=True, size=11)
_BODY_FONT = Font(name="宋体", size=11)
_MONEY = "#,##0.00"
_BLANK_ROWS = 40  # formatted rows offered in list and coded sheets


def _style_header(ws, row: int, count: int) -> None:
    for c in range(1, count + 1):
        cell = ws.cell(row, c)
        cell.font, cell.fill, cell.border = _HEAD_FONT, _HEAD_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _style_body(cell, f: Field) -> None:
    cell.font, cell.border = _BODY_FONT, _BORDER
    if f.kind == AMOUNT:
        cell.number_format = _MONEY
    elif f.kind == COUNT:
        cell.number_format = "0"
    elif f.kind == schema.SCORE:
        cell.number_format = "0.##"
    else:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if f.kind in (schema.CODE, schema.TEXT, CHOICE):
            cell.number_format = "@"  # typed “=100%” stays text instead of becoming a formula
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _validate(ws, f: Field, ref: str) -> None:
    if f.kind in (CHOICE, FLAG):
        dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True,
                            error=f"请从下拉列表中选择：{'、'.join(f.choices)}", errorTitle="输入有误")
    elif f.kind in (AMOUNT, COUNT):
        dv = DataValidation(type="decimal" if f.kind == AMOUNT else "whole", operator="greaterThanOrEqual",
                            formula1="0", allow_blank=True, error="请填写不小于0的数字", errorTitle="输入有误")
    else:
        return
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(ref)


def _title_row(ws, sheet: Sheet, width: int) -> None:
    ws.cell(1, 1, f"{sheet.name}　{sheet.note}").font = Font(name="宋体", italic=True, size=10, color="595959")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def _table_header(ws, sheet: Sheet) -> None:
    """Title row, then the column names (with their notes as comments) in row 2."""
    _title_row(ws, sheet, len(sheet.columns))
    for c, f in enumerate(sheet.columns, 1):
        ws.cell(2, c, f.label)
        if f.note:
            ws.cell(2, c).comment = Comment(f.note, "juesuan")
    _style_header(ws, 2, len(sheet.columns))


def _write_keyvalue(ws, sheet: Sheet, values: Mapping[str, object]) -> None:
    _title_row(ws, sheet, 3)
    for c, f in enumerate(sheet.columns, 1):
        ws.cell(2, c, f.label)
    _style_header(ws, 2, 3)
    for r, f in enumerate(sheet.rows, 3):
        key = ws.cell(r, 1, f.label + ("（必填）" if f.required else ""))
        key.font, key.fill, key.border = _HEAD_FONT if f.required else _BODY_FONT, _KEY_FILL, _BORDER
        cell = ws.cell(r, 2, values.get(f.key))
        _style_body(cell, f)
        _validate(ws, f, cell.coordinate)
        hint = " ".join(x for x in (KIND_LABELS[f.kind] if f.kind != "text" else "", f.note) if x)
        ws.cell(r, 3, hint).font = Font(name="宋体", size=10, color="7F7F7F")
    ws.freeze_panes = "B3"


def _write_items(ws, sheet: Sheet, values: Mapping[str, Mapping[str, object]]) -> None:
    _table_header(ws, sheet)
    for r, row in enumerate(sheet.rows, 3):
        label = ws.cell(r, 1, row.label)
        label.font, label.fill, label.border = _BODY_FONT, _KEY_FILL, _BORDER
        if row.note:
            label.comment = Comment(row.note, "juesuan")
        given = values.get(row.key, {})
        for c, f in enumerate(sheet.columns[1:], 2):
            kind = sheet.cell_field(row, f)
            cell = ws.cell(r, c, given.get(f.key))
            _style_body(cell, kind)
            _validate(ws, kind, cell.coordinate)
    ws.freeze_panes = "B3"


def _write_rows(ws, sheet: Sheet, rows: Sequence[Mapping[str, object]]) -> None:
    _table_header(ws, sheet)
    count = max(len(rows), _BLANK_ROWS)
    for r in range(3, 3 + count):
        given = rows[r - 3] if r - 3 < len(rows) else {}
        for c, f in enumerate(sheet.columns, 1):
            _style_body(ws.cell(r, c, given.get(f.key)), f)
    for c, f in enumerate(sheet.columns, 1):
        letter = get_column_letter(c)
        _validate(ws, f, f"{letter}3:{letter}{2 + count}")
    ws.freeze_panes = "C3" if sheet.layout == "coded" else "B3"


def _instructions(ws, year: int | None) -> None:
    lines = [
        "部门决算公开数据填报工作簿" + (f"（{year}年度）" if year else ""),
        "",
        "1. 每个单位每个年度填一本工作簿；先在“基本信息”表选好“金额单位”（元或万元），全部金额均按此单位填写。",
        "2. 各表第2行为表头，请勿修改列名和工作表名；可以直接粘贴决算软件导出的公开表数据（含“栏次”行亦可）。",
        "3. 科目编码按功能分类类（3位）、款（5位）、项（7位）逐行填写；经济分类按类（3位）、款（5位）填写。",
        "4. 金额可填数字或带千分位的文本；“-”“—”“无”视为0。空白表示未填写，不等于0：上年数确实为零时请填0。不能填负数。",
        "5. “上年数”用于生成与上年对比的语句；“变动原因”“差异原因”用于说明变动较大或与预算不一致的原因。",
        "6. 带下拉箭头的单元格请从列表中选择。灰色底纹的项目名称请勿修改。",
        "7. 填好后运行：juesuan generate 本工作簿.xlsx",
        "",
        "各工作表：",
    ]
    lines += [f"  {s.name}：{s.note}" for s in schema.SHEETS]
    for r, text in enumerate(lines, 1):
        ws.cell(r, 1, text).font = Font(name="宋体", size=12 if r > 1 else 14, bold=r == 1)
    ws.column_dimensions["A"].width = 110


def build_workbook(year: int | None = None, values: Mapping[str, object] | None = None) -> Workbook:
    """A formatted workbook: instructions, one sheet per declared sheet, filled from `values` if given."""
    values = dict(values or {})
    info = dict(values.get("info", {}))
    if year and "year" not in info:
        info["year"] = year
    info.setdefault("money_unit", "万元")
    values["info"] = info
    wb = Workbook()
    _instructions(wb.active, year)
    wb.active.title = schema.INSTRUCTIONS_SHEET
    for sheet in schema.SHEETS:
        ws = wb.create_sheet(sheet.name)
        given = values.get(sheet.key, {} if sheet.layout in ("keyvalue", "items") else [])
        {"keyvalue": _write_keyvalue, "items": _write_items}.get(sheet.layout, _write_rows)(ws, sheet, given)
        for c, f in enumerate(sheet.columns, 1):
            ws.column_dimensions[get_column_letter(c)].width = f.width
        ws.row_dimensions[2].height = 30
    return wb


def write_workbook(path: str | Path, year: int | None = None, values: Mapping[str, object] | None = None,
                   overwrite: bool = False) -> Path:
    """Save a workbook atomically; refuses to replace an existing file unless asked."""
    wb = build_workbook(year, values)
    with atomic_write(Path(path), overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(path)
