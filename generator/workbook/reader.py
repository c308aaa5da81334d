"""Workbook → UnitData. The only module that reads a unit's workbook and knows cell addresses (python-calamine
for values, openpyxl only to tell which cells hold formulas)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from python_calamine import CalamineWorkbook

from generator.errors import InputError, Location
from generator.workbook import schema
from generator.workbook.limits import Package, check_bounds, column_letter, inspect, range_bounds
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
    try:
        return _normalised(text)
    except TypeError:  # an unhashable value (a rich-text cell): not worth caching
        return _normalised.__wrapped__(text)


@functools.lru_cache(maxsize=8192, typed=True)  # typed: 1, 1.0 and True are different cells
def _normalised(text: object) -> str:
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
        return Location(self.path, self.title, f"{column_letter(col + 1)}{row + 1}")

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


def _open(package: Package) -> CalamineWorkbook:
    """python-calamine on a file that passed the limits: a sheet is parsed only when asked for, in Rust (a unit's
    workbook in ≈ 5 ms where openpyxl's read-only mode took ≈ 80 ms). Cell addresses are kept: the grid starts at A1."""
    try:
        return CalamineWorkbook.from_path(str(package.path))
    except Exception as exc:  # calamine raises its own kinds for a broken package
        raise InputError(f"无法读取工作簿（{exc.__class__.__name__}），请确认它是 Excel 保存的 .xlsx 文件",
                         Location(str(package.path))) from None


def _cell_value(value: object) -> object:
    """A calamine value as openpyxl gives it, which the parsing rules expect: an empty cell is None, a whole
    number an int (Excel stores 100 as "100", calamine hands back 100.0), a date a datetime."""
    if value == "" and isinstance(value, str):
        return None
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    return value


def _values(package: Package, book: CalamineWorkbook, title: str) -> list[list[object]]:
    """The sheet's values from A1, refused past the row and column bounds before it is parsed."""
    package.check_sheet(title)
    try:
        rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
    except Exception as exc:  # malformed sheet XML surfaces only now
        raise InputError(f"无法读取工作表（{exc.__class__.__name__}），文件可能已损坏；请在 Excel/WPS 中打开、另存后再试",
                         Location(str(package.path), title)) from None
    check_bounds(package.path, title, len(rows), max((len(r) for r in rows), default=0), package.limits)
    return [[_cell_value(v) for v in row] for row in rows]


@dataclass(frozen=True)
class _Merge:
    min_row: int
    min_col: int
    max_row: int
    max_col: int


def _merged(package: Package, title: str) -> list[_Merge]:
    """The sheet's merged ranges (1-based bounds), from the counts `inspect` made of its XML."""
    stats = package.sheet_stats(title)
    ranges = []
    for ref in stats.merges if stats else ():
        bounds = range_bounds(ref)
        if bounds is None:
            raise InputError(f"合并单元格区域“{ref}”无效，文件可能已损坏", Location(str(package.path), title))
        ranges.append(_Merge(*bounds))
    return ranges


def _grid(package: Package, book: CalamineWorkbook, title: str) -> list[list[object]]:
    """The sheet's values from A1, rectangular; a merged range reads as its top-left value."""
    grid = _values(package, book, title)
    merged = _merged(package, title)
    limits = package.limits
    # as wide and as long as the cells and merged ranges reach (a merge of a whole row stops at the bounds)
    height = max([len(grid), *(min(m.max_row, limits.rows) for m in merged)])
    width = max([0, *(len(r) for r in grid), *(min(m.max_col, limits.columns) for m in merged)])
    covered = sum(max(0, min(m.max_row, height) - m.min_row + 1) * max(0, min(m.max_col, width) - m.min_col + 1)
                  for m in merged)
    if covered > limits.cells:  # each merged cell is filled in below
        raise InputError(f"合并单元格共覆盖 {covered:,} 个单元格，超过 {limits.cells:,} 个（上限，可用环境变量 "
                         "JUESUAN_MAX_SHEET_CELLS 调整），已拒绝读取", Location(str(package.path), title))
    grid += [[] for _ in range(height - len(grid))]
    for row in grid:
        row += [None] * (width - len(row))
    for m in merged:
        anchor = grid[m.min_row - 1][m.min_col - 1] if m.min_row <= height and m.min_col <= width else None
        for r in range(m.min_row - 1, min(m.max_row, height)):
            for c in range(m.min_col - 1, min(m.max_col, width)):
                grid[r][c] = anchor
    return grid


def _formula_cells(package: Package, titles: list[str]) -> dict[str, frozenset[str]]:
    """Cells holding formulas, by sheet title (a formula saved without its result reads as blank, which must not
    pass for "not given"). Only sheets whose XML has any formula are read again, by openpyxl, which tells formulas."""
    titles = [t for t in titles if (stats := package.sheet_stats(t)) is None or stats.formulas]
    if not titles:
        return {}
    from openpyxl import load_workbook  # ≈ 0.17 s to import: only for a workbook that has formulas

    try:
        wb = load_workbook(package.path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken package
        raise InputError(f"无法读取工作簿（{exc.__class__.__name__}），请确认它是 Excel 保存的 .xlsx 文件",
                         Location(str(package.path))) from None
    try:
        return {title: frozenset(c.coordinate for row in _openpyxl_rows(package, wb[title]) for c in row
                                 if c.data_type == "f")
                for title in titles if title in wb.sheetnames}
    finally:
        wb.close()


def _openpyxl_rows(package: Package, ws: ReadOnlyWorksheet) -> Iterator[tuple]:
    ws.reset_dimensions()  # a declared <dimension> (even A1:XFD1048576) would pad every row to it
    try:
        for index, row in enumerate(ws.iter_rows(values_only=False), 1):
            check_bounds(package.path, ws.title, index, len(row), package.limits)
            yield row
    except InputError:
        raise
    except Exception as exc:  # malformed sheet XML surfaces only now, while streaming
        raise InputError(f"无法读取工作表（{exc.__class__.__name__}），文件可能已损坏；请在 Excel/WPS 中打开、另存后再试",
                         Location(str(package.path), ws.title)) from None


def _find_sheet(book: CalamineWorkbook, sheet: Sheet) -> str | None:
    names = {normalise_label(n): n for n in book.sheet_names}
    for candidate in (sheet.name, *sheet.aliases):
        if normalise_label(candidate) in names:
            return names[normalise_label(candidate)]
    return None


def read_info(path: str | Path) -> Table:
    """Only the 基本信息 sheet, read fast (for finding units and their hierarchy in a folder): the other sheets are
    neither scanned for the limits nor parsed (reading the whole workbook later scans them)."""
    names = {normalise_label(n) for n in (schema.INFO.name, *schema.INFO.aliases)}
    package = inspect(path, sheets=lambda title: normalise_label(title) in names)
    book = _open(package)
    try:
        title = _find_sheet(book, schema.INFO)
        if title is None:
            raise InputError(f"缺少工作表「{schema.INFO.name}」", Location(str(package.path)))
        return _SheetReader(str(package.path), title, _grid(package, book, title), schema.INFO, Decimal(1)).read()
    finally:
        book.close()


def read_workbook(path: str | Path) -> UnitData:
    """Read one unit's workbook; every problem is an InputError naming file, sheet and cell.

    The file is checked against the limits (generator.workbook.limits) before any reader opens it.
    """
    path = Path(path)
    package = inspect(path)
    book = _open(package)
    try:
        found = [(sheet, _find_sheet(book, sheet)) for sheet in schema.SHEETS]
        formulas = _formula_cells(package, [title for _, title in found if title is not None])
        tables: dict[str, Table] = {}
        scale = Decimal(1)
        for sheet, title in found:
            if title is None:
                if sheet.required:
                    raise InputError(f"缺少工作表「{sheet.name}」", Location(str(path)))
                tables[sheet.key] = Table(sheet.name, present=False)
                continue
            grid = _grid(package, book, title)
            tables[sheet.key] = _SheetReader(str(path), title, grid, sheet, scale, formulas.get(title, frozenset())).read()
            if sheet.key == "info":
                scale = Decimal(10000) if tables["info"].get("money_unit").text("value") == "万元" else Decimal(1)
        return UnitData(str(path), Frozen(tables))
    finally:
        book.close()
