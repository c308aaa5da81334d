"""Workbook → UnitData. The only module that knows openpyxl and cell addresses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from generator.errors import InputError, Location
from generator.workbook import schema
from generator.workbook.limits import Package, check_bounds, inspect
from generator.workbook.model import Cell, Frozen, Row, Table, UnitData
from generator.workbook.schema import AMOUNT, CHOICE, CODE, COUNT, FLAG, SCORE, YEAR, Field, Sheet

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

_BLANKS = {"", "-", "—", "－", "--", "——", "/", "无"}
_HEADER_SCAN = 15
_NUMBER_JUNK = re.compile(r"[,，\s\u3000]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－（）", "0123456789.-()")


def normalise_label(text: object) -> str:
    """Label text for matching: no spaces or line breaks, half-width brackets."""
    return re.sub(r"\s+", "", str(text or "")).translate(_FULLWIDTH).removesuffix("(必填)")


def parse_amount(raw: object, where: Location) -> Decimal | None:
    """A money cell as an exact Decimal; a dash (-, —, 无) is zero, a blank cell is not given (None)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise InputError("这里应填金额，读到的是逻辑值", where, raw)
    if isinstance(raw, int | float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise InputError("这里应填金额，读到的不是有效数字", where, raw)
        value = Decimal(str(raw))  # str() gives the shortest repr, so 0.1 stays 0.1
    else:
        text = _NUMBER_JUNK.sub("", str(raw).translate(_FULLWIDTH))
        if text in _BLANKS:
            return Decimal(0)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InputError("这里应填金额，读到的不是数字", where, raw) from None
        if not value.is_finite():
            raise InputError("这里应填金额，读到的不是有效数字", where, raw)
    if value < 0:
        raise InputError("金额不能为负数", where, raw)
    return value


def parse_count(raw: object, where: Location) -> Decimal:
    """A count (people, cars, batches): a whole number, blank = 0."""
    value = parse_amount(raw, where)
    if value is None:
        return Decimal(0)
    if value != value.to_integral_value():
        raise InputError("这里应填整数", where, raw)
    return value.to_integral_value()


def parse_score(raw: object, where: Location) -> Decimal | None:
    """A score (分值, 得分): blank stays blank (None), so “not given” differs from 0."""
    if raw is None or (isinstance(raw, str) and _NUMBER_JUNK.sub("", raw.translate(_FULLWIDTH)) in _BLANKS):
        return None
    try:
        return parse_amount(raw, where)
    except InputError as exc:
        raise InputError(exc.problem.replace("金额", "分数"), where, raw) from None


def parse_code(raw: object, where: Location, levels: tuple[int, ...]) -> str:
    """A subject code as text: 2010301.0 and ' 20103 ' are read as codes."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = re.sub(r"\s+", "", str(raw)).translate(_FULLWIDTH)
    if not text.isdigit() or len(text) not in levels:
        wanted = "/".join(str(n) for n in levels)
        raise InputError(f"科目编码应为{wanted}位数字", where, raw)
    return text


def parse_year(raw: object, where: Location) -> int:
    text = normalise_label(raw).removesuffix("年").removesuffix(".0")
    if not (text.isdigit() and len(text) == 4 and 1990 <= int(text) <= 2100):
        raise InputError("年度应为四位年份，如 2020", where, raw)
    return int(text)


def _parse(f: Field, raw: object, where: Location, levels: tuple[int, ...]) -> object:
    if f.kind == AMOUNT:
        return parse_amount(raw, where)
    if f.kind == COUNT:
        return parse_count(raw, where)
    if f.kind == SCORE:
        return parse_score(raw, where)
    if f.kind == CODE:
        return parse_code(raw, where, levels)
    if f.kind == YEAR:
        return parse_year(raw, where)
    text = "" if raw is None else str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if f.kind in (CHOICE, FLAG) and text and text not in f.choices:
        raise InputError(f"应为以下之一：{'、'.join(f.choices)}", where, raw)
    return text


class _SheetReader:
    """Reads one worksheet's grid of values according to its Sheet declaration."""

    def __init__(self, path: str, title: str, grid: list[list[object]], sheet: Sheet, scale: Decimal,
                 formulas: frozenset[str] = frozenset()):
        self.path, self.title, self.grid, self.sheet, self.scale, self.formulas = path, title, grid, sheet, scale, formulas

    def where(self, row: int, col: int) -> Location:
        return Location(self.path, self.title, f"{get_column_letter(col + 1)}{row + 1}")

    def value(self, row: int, col: int | None) -> object:
        if col is None or row >= len(self.grid) or col >= len(self.grid[row]):
            return None
        return self.grid[row][col]

    def header(self) -> tuple[int, dict[str, int]]:
        """Find the header row (the first row naming the first column) and map column keys to indexes."""
        first = self.sheet.columns[0]
        names = {normalise_label(n) for n in (first.label, *first.aliases)}
        for r in range(min(_HEADER_SCAN, len(self.grid))):
            if any(normalise_label(v) in names for v in self.grid[r]):
                return r, self._columns(r)
        raise InputError(f"找不到表头行（应有一列名为“{first.label}”）", Location(self.path, self.title))

    def _columns(self, r: int) -> dict[str, int]:
        found: dict[str, int] = {}
        for f in self.sheet.columns:
            names = {normalise_label(n) for n in (f.label, *f.aliases)}
            for rr in (r, r + 1):  # a two-level header puts the column names one row lower
                for c, v in enumerate(self.grid[rr] if rr < len(self.grid) else ()):
                    if normalise_label(v) in names and f.key not in found:
                        found[f.key] = c
        missing = [f.label for f in self.sheet.columns if f.key not in found and (f.required or (f.kind == AMOUNT and not f.may_omit))]
        if missing and self.sheet.layout != "keyvalue":
            raise InputError(f"缺少列：{'、'.join(missing)}（表头在第{r + 1}行；列名可能被改动）",
                             Location(self.path, self.title))
        return found

    def cell(self, f: Field, r: int, col: int | None) -> Cell:
        where = self.where(r, col) if col is not None else Location(self.path, self.title)
        raw = self.value(r, col)
        if raw is None and where.cell in self.formulas:
            raise InputError("单元格含公式，但工作簿中没有保存公式的计算结果（请在 Excel/WPS 中打开、保存后再试）", where)
        value = _parse(f, raw, where, self.sheet.code_levels)
        if f.kind == AMOUNT and value is not None:
            value = value * self.scale  # type: ignore[operator]
        return Cell(value, where)

    def data_rows(self, start: int, cols: dict[str, int]) -> list[int]:
        """Indexes of data rows: blank rows, the 栏次 row and a 合计 row are skipped; notes end the table."""
        out = []
        label_col = cols[self.sheet.columns[0].key]
        name_col = cols.get("name")
        first_field = self.sheet.columns[0]
        header_names = {normalise_label(n) for n in (first_field.label, *first_field.aliases)}
        for r in range(start, len(self.grid)):
            row = self.grid[r]
            if all(v is None or str(v).strip() == "" for v in row):
                continue
            first = normalise_label(self.value(r, label_col))
            name = normalise_label(self.value(r, name_col))
            if first in ("栏次", "行次") or name in ("栏次", "行次") or first in header_names:
                continue  # the 栏次 row, or the lower row of a two-level header
            if first.startswith(("注", "说明", "备注")):
                break
            if self.sheet.layout == "coded" and first == "" and name in ("合计", "总计", "本年合计"):
                continue
            if self.sheet.layout == "list" and first in ("合计", "总计", "总分"):
                continue  # a list's total line is computed, never read
            out.append(r)
        return out

    def read(self) -> Table:
        if self.sheet.layout == "keyvalue":
            return self._read_fixed(label_col=0, value_cols={"value": 1})
        start, cols = self.header()
        if self.sheet.layout == "items":
            value_cols = {f.key: cols.get(f.key) for f in self.sheet.columns[1:]}
            return self._read_fixed(label_col=cols["item"], value_cols=value_cols, start=start + 1)
        rows = []
        for r in self.data_rows(start + 1, cols):
            cells = {f.key: self.cell(f, r, cols.get(f.key)) for f in self.sheet.columns}
            for f in self.sheet.columns:
                if f.required and cells[f.key].value in ("", None):
                    raise InputError(f"“{f.label}”不能为空", cells[f.key].where)
            rows.append(Row(Frozen(cells), r + 1))
        return Table(self.title, tuple(rows), self._index(rows))

    def _index(self, rows: list[Row]) -> Frozen:
        if self.sheet.layout != "coded":
            return Frozen({})
        index: dict[str, Row] = {}
        for row in rows:
            code = row.text("code")
            if code in index:
                raise InputError(f"科目编码 {code} 重复出现（另见第{index[code].line}行）", row.where("code"), code)
            index[code] = row
        return Frozen(index)

    def _read_fixed(self, label_col: int, value_cols: dict[str, int | None], start: int = 0) -> Table:
        by_label = {normalise_label(f.label): f for f in self.sheet.rows}
        found: dict[str, Row] = {}
        for r in range(start, len(self.grid)):
            f = by_label.get(normalise_label(self.value(r, label_col)))
            if f is None or f.key in found:
                continue
            cells = {}
            for key, col in value_cols.items():
                if key == "hint":
                    continue
                kind = f if self.sheet.layout == "keyvalue" else self.sheet.cell_field(f, self.sheet.column(key))
                cells[key] = self.cell(kind, r, col)
            found[f.key] = Row(Frozen(cells), r + 1)
        for f in self.sheet.rows:
            if f.required and (f.key not in found or found[f.key].text("value") == ""):
                raise InputError(f"必填项“{f.label}”未填写", Location(self.path, self.title, f"B{found[f.key].line}" if f.key in found else ""))
        return Table(self.title, tuple(found.values()), Frozen(found))


def _load(package: Package, data_only: bool = True):
    """openpyxl on a file that passed the limits; read-only, so a sheet is parsed only when read, row by row."""
    try:
        return load_workbook(package.path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a broken package
        raise InputError(f"无法读取工作簿（{exc.__class__.__name__}），请确认它是 Excel 保存的 .xlsx 文件",
                         Location(str(package.path))) from None


def _part(ws: ReadOnlyWorksheet) -> str:
    """The zip part a read-only sheet streams from (openpyxl keeps it on the sheet; "" if it ever stops)."""
    return getattr(ws, "_worksheet_path", "")


def _rows(package: Package, ws: ReadOnlyWorksheet, values_only: bool = True) -> Iterator[tuple]:
    """The sheet's rows as openpyxl streams them, refused past the row and column bounds.

    The counts from `inspect` refuse most oversized sheets at once; the bounds are checked again here,
    row by row, because they are what keeps memory bounded whatever the XML looks like.
    """
    package.check_sheet(ws.title, _part(ws))
    ws.reset_dimensions()  # a declared <dimension> (even A1:XFD1048576) would pad every row to it
    try:
        for index, row in enumerate(ws.iter_rows(values_only=values_only), 1):
            check_bounds(package.path, ws.title, index, len(row), package.limits)
            yield row
    except InputError:
        raise
    except Exception as exc:  # malformed sheet XML surfaces only now, while streaming
        raise InputError(f"无法读取工作表（{exc.__class__.__name__}），文件可能已损坏；请在 Excel/WPS 中打开、另存后再试",
                         Location(str(package.path), ws.title)) from None


def _merged(package: Package, ws: ReadOnlyWorksheet) -> list[CellRange]:
    stats = package.parts.get(_part(ws))
    ranges = []
    for ref in stats.merges if stats else ():
        try:
            ranges.append(CellRange(ref))
        except (ValueError, TypeError):
            raise InputError(f"合并单元格区域“{ref}”无效，文件可能已损坏", Location(str(package.path), ws.title)) from None
    return ranges


def _grid(package: Package, ws: ReadOnlyWorksheet) -> list[list[object]]:
    """The sheet's values from A1, rectangular; a merged range reads as its top-left value."""
    grid = [list(row) for row in _rows(package, ws)]
    merged = _merged(package, ws)
    limits = package.limits
    # as wide and as long as the cells and merged ranges reach (a merge of a whole row stops at the bounds)
    height = max([len(grid), *(min(m.max_row, limits.rows) for m in merged)])
    width = max([0, *(len(r) for r in grid), *(min(m.max_col, limits.columns) for m in merged)])
    covered = sum(max(0, min(m.max_row, height) - m.min_row + 1) * max(0, min(m.max_col, width) - m.min_col + 1)
                  for m in merged)
    if covered > limits.cells:  # each merged cell is filled in below
        raise InputError(f"合并单元格共覆盖 {covered:,} 个单元格，超过 {limits.cells:,} 个（上限，可用环境变量 "
                         "JUESUAN_MAX_SHEET_CELLS 调整），已拒绝读取", Location(str(package.path), ws.title))
    grid += [[] for _ in range(height - len(grid))]
    for row in grid:
        row += [None] * (width - len(row))
    for m in merged:
        anchor = grid[m.min_row - 1][m.min_col - 1] if m.min_row <= height and m.min_col <= width else None
        for r in range(m.min_row - 1, min(m.max_row, height)):
            for c in range(m.min_col - 1, min(m.max_col, width)):
                grid[r][c] = anchor
    return grid


def _formula_cells(package: Package, sheets: list[ReadOnlyWorksheet]) -> dict[str, frozenset[str]]:
    """Cells holding formulas, by sheet title; read only for sheets whose XML has any formula at all."""
    titles = [ws.title for ws in sheets if (stats := package.parts.get(_part(ws))) is None
              or stats.formulas]
    if not titles:
        return {}
    wb = _load(package, data_only=False)
    try:
        return {title: frozenset(c.coordinate for row in _rows(package, wb[title], values_only=False)
                                 for c in row if c.data_type == "f")
                for title in titles}
    finally:
        wb.close()


def _find_sheet(wb, sheet: Sheet) -> ReadOnlyWorksheet | None:
    names = {normalise_label(n): n for n in wb.sheetnames}
    for candidate in (sheet.name, *sheet.aliases):
        if normalise_label(candidate) in names:
            return wb[names[normalise_label(candidate)]]
    return None


def read_info(path: str | Path) -> Table:
    """Only the 基本信息 sheet, read fast (for finding units and their hierarchy in a folder)."""
    package = inspect(path)
    wb = _load(package)
    try:
        ws = _find_sheet(wb, schema.INFO)
        if ws is None:
            raise InputError(f"缺少工作表「{schema.INFO.name}」", Location(str(package.path)))
        return _SheetReader(str(package.path), ws.title, _grid(package, ws), schema.INFO, Decimal(1)).read()
    finally:
        wb.close()


def read_workbook(path: str | Path) -> UnitData:
    """Read one unit's workbook; every problem is an InputError naming file, sheet and cell.

    The file is checked against the limits (generator.workbook.limits) before openpyxl opens it.
    """
    path = Path(path)
    package = inspect(path)
    wb = _load(package)
    try:
        found = [(sheet, _find_sheet(wb, sheet)) for sheet in schema.SHEETS]
        formulas = _formula_cells(package, [ws for _, ws in found if ws is not None])
        tables: dict[str, Table] = {}
        scale = Decimal(1)
        for sheet, ws in found:
            if ws is None:
                if sheet.required:
                    raise InputError(f"缺少工作表「{sheet.name}」", Location(str(path)))
                tables[sheet.key] = Table(sheet.name, present=False)
                continue
            grid = _grid(package, ws)
            tables[sheet.key] = _SheetReader(str(path), ws.title, grid, sheet, scale, formulas.get(ws.title, frozenset())).read()
            if sheet.key == "info":
                scale = Decimal(10000) if tables["info"].get("money_unit").text("value") == "万元" else Decimal(1)
        return UnitData(str(path), Frozen(tables))
    finally:
        wb.close()
