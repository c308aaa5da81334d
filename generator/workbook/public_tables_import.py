"""`juesuan import 公开表.xlsx --into 本单位.xlsx`: the nine 公开表, as departments receive them, into our workbook.

Tables are found by their titles, values by row and column labels (with aliases), so that our own export, an
export of the 决算 system and a hand-made spreadsheet (extra title rows, 元 or 万元, merged two-row headers,
split 类/款/项 code columns, .xls) all read. Every value that cannot be placed is reported with its cell.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from generator.errors import InputError, Location
from generator.output_files import atomic_write
from generator.workbook import schema
from generator.workbook.blank import build_workbook
from generator.workbook.reader import normalise_label, parse_amount
from generator.workbook.schema import PUBLIC_TABLE_TITLES as TITLES
from generator.workbook.schema import Sheet

WAN = Decimal(10000)
Grid = list[list[object]]

# names the same tables go by in other years' and provinces' sets (the longest name found in a title wins)
_TITLE_ALIASES = {
    "01": ("收支决算总表", "部门收支决算总表", "部门收入支出决算总表"),
    "02": ("部门收入决算表",),
    "03": ("部门支出决算表",),
    "04": ("财政拨款收支决算总表",),
    "05": ("一般公共预算财政拨款支出决算明细表", "一般公共预算支出决算表", "一般公共预算财政拨款支出决算情况表"),
    "06": ("一般公共预算财政拨款基本支出决算明细表", "一般公共预算基本支出决算表", "一般公共预算财政拨款基本支出决算情况表"),
    "07": ("三公经费支出决算表", "三公经费财政拨款支出决算表", "一般公共预算财政拨款三公经费支出决算情况表"),
    "08": ("政府性基金预算财政拨款支出决算表", "政府性基金预算财政拨款收入支出决算情况表"),
    "09": ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算情况表"),
}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[、.](?!\d)|其中[:：])")
_LEVEL_SUFFIX = re.compile(r"\s*[(（](?:类|款|项)[)）]$")
_UNIT_IN_HEADER = re.compile(r"\((?:万元|元)\)$")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」")
_NOTE_STARTS = ("注", "说明", "备注")
_IGNORED = ("栏次", "行次")


def label(raw: object) -> str:
    """A label for matching: no spaces, half-width brackets, no quotes, no list numbering or unit suffix."""
    text = normalise_label(raw).translate(_QUOTES)
    text = _NUMBERING.sub("", text)
    return _UNIT_IN_HEADER.sub("", text)


def _labels(*names: str) -> tuple[str, ...]:
    return tuple(label(n) for n in names)


def _paths(*patterns: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(_labels(*p) for p in patterns)


# ---------------------------------------------------------------- what each table holds, and where it goes
@dataclass(frozen=True)
class ColumnSpec:
    """A value column: the header paths it may have (the end of the path of labels above it), best first."""

    key: str
    paths: tuple[tuple[str, ...], ...]
    not_under: tuple[str, ...] = ()


def _col(key: str, *patterns: tuple[str, ...], not_under: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(key, _paths(*patterns), _labels(*not_under))


_BUDGETS = ("预算数", "年初预算数", "全年预算数", "调整预算数")
_BUDGET_TABLE = (
    _col("budget", ("预算数",), ("年初预算数",), ("全年预算数",), ("预算数", "合计"), ("预算数", "小计")),
    _col("total", ("决算数", "合计"), ("决算数", "小计"), ("决算数",), ("合计",), ("本年决算数",), not_under=_BUDGETS),
    _col("basic", ("决算数", "基本支出"), ("基本支出",), not_under=_BUDGETS),
    _col("project", ("决算数", "项目支出"), ("项目支出",), not_under=_BUDGETS),
    _col("previous", ("上年数",), ("上年决算数",)),
)
CODED = {
    "02": ("income", (
        _col("total", ("本年收入合计",), ("合计",), ("收入合计",)), _col("fiscal", ("财政拨款收入",), ("财政拨款",)),
        _col("superior", ("上级补助收入",)), _col("business", ("事业收入",)), _col("operating", ("经营收入",)),
        _col("affiliate", ("附属单位上缴收入",)), _col("other", ("其他收入",)))),
    "03": ("expense", (
        _col("total", ("本年支出合计",), ("合计",), ("支出合计",)), _col("basic", ("基本支出",)),
        _col("project", ("项目支出",)), _col("remit", ("上缴上级支出",)), _col("operating", ("经营支出",)),
        _col("subsidy", ("对附属单位补助支出",)))),
    "05": ("gp", _BUDGET_TABLE),
    "06": ("basic", (
        _col("personnel", ("人员经费",), ("人员经费", "决算数"), ("人员经费", "金额"), ("人员经费", "合计")),
        _col("public", ("公用经费",), ("公用经费", "决算数"), ("公用经费", "金额"), ("公用经费", "合计")),
        _col("previous", ("上年数",), ("上年决算数",)))),
    "08": ("fund", _BUDGET_TABLE),
    "09": ("soe", _BUDGET_TABLE),
}
_CODE_PATHS = _paths(("科目编码",), ("科目代码",), ("功能分类科目编码",), ("经济分类科目编码",), ("经济分类编码",),
                     ("功能分类编码",), ("编码",), ("代码",))
_NAME_PATHS = _paths(("科目名称",), ("功能分类科目名称",), ("经济分类科目名称",), ("名称",), ("项目",))
_CODE_PARTS = _labels("类", "款", "项")
_DERIVED = {"06": _paths(("合计",), ("决算数",))}  # 06's 合计 = 人员 + 公用: known, not imported


@dataclass(frozen=True)
class GridSpec:
    """A table of fixed rows × columns (04, 07); `transposable` when it is also published the other way round."""

    sheet: str
    rows: dict[str, tuple[str, ...]]
    columns: tuple[ColumnSpec, ...]
    derived: tuple[tuple[str, ...], ...] = ()
    transposable: bool = False


GRIDS = {
    "04": GridSpec("fiscal", {
        "income": _labels("本年财政拨款收入", "本年收入"), "opening": _labels("年初财政拨款结转和结余", "年初结转和结余"),
        "expense": _labels("本年财政拨款支出", "本年支出"), "closing": _labels("年末财政拨款结转和结余", "年末结转和结余"),
        "income_total": _labels("财政拨款收入总计", "收入总计"), "expense_total": _labels("财政拨款支出总计", "支出总计")},
        (_col("gp", ("一般公共预算",), ("一般公共预算财政拨款",)), _col("fund", ("政府性基金预算",), ("政府性基金预算财政拨款",)),
         _col("soe", ("国有资本经营预算",), ("国有资本经营预算财政拨款",))),
        derived=_paths(("合计",), ("财政拨款", "合计"), ("总计",))),
    "07": GridSpec("three_public", {
        "total": _labels("合计", "三公经费合计", "三公经费"), "abroad": _labels("因公出国(境)费", "因公出国(境)费用"),
        "car": _labels("公务用车购置及运行维护费", "公务用车购置及运行费"),
        "car_purchase": _labels("公务用车购置费", "购置费"),
        "car_running": _labels("公务用车运行维护费", "公务用车运行费", "运行维护费", "运行费"),
        "reception": _labels("公务接待费"), "foreign_reception": _labels("外事接待费")},
        (_col("budget", ("预算数",), ("年初预算数",), ("全年预算数",)),
         _col("actual", ("决算数",), ("实际支出",), ("本年决算数",))),
        transposable=True),
}
# 01: row label → 收支总表 row; “总计” is the side's own
SUMMARY_ROWS = {
    "gp_income": _labels("一般公共预算财政拨款收入", "一般公共预算财政拨款"),
    "fund_income": _labels("政府性基金预算财政拨款收入", "政府性基金预算财政拨款"),
    "soe_income": _labels("国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款"),
    "superior_grant": _labels("上级补助收入"), "business_income": _labels("事业收入"),
    "operating_income": _labels("经营收入"), "affiliate_income": _labels("附属单位上缴收入"),
    "other_income": _labels("其他收入"), "income_total": _labels("本年收入合计"),
    "use_nonfiscal_balance": _labels("使用非财政拨款结余", "使用非财政拨款结余(含专用结余)", "用事业基金弥补收支差额"),
    "opening_balance": _labels("年初结转和结余"), "income_grand_total": _labels("收入总计"),
    "expense_total": _labels("本年支出合计"), "surplus_distribution": _labels("结余分配"),
    "closing_balance": _labels("年末结转和结余"), "expense_grand_total": _labels("支出总计"),
}
_GRAND = label("总计")
_VALUE_HEADS = _labels("决算数", "金额", "本年数", "本年决算数", "决算金额")


# ---------------------------------------------------------------- what the import found
@dataclass(frozen=True)
class Problem:
    """A value that was not imported, or a notice about the file; `where` names sheet and cell."""

    where: Location
    text: str


@dataclass
class Imported:
    """The values read from the 公开表, in 元, ready to be written into a workbook."""

    source: Path
    found: dict[str, Location] = field(default_factory=dict)  # table number → its title cell
    items: dict[str, dict[str, dict[str, Decimal | None]]] = field(default_factory=dict)  # sheet → row → column
    coded: dict[str, tuple[tuple[str, ...], list[dict[str, object]]]] = field(default_factory=dict)  # sheet → (columns, rows)
    problems: list[Problem] = field(default_factory=list)
    unit_name: str = ""
    year: int | None = None

    def missing(self) -> list[str]:
        return [no for no in TITLES if no not in self.found]


# ---------------------------------------------------------------- reading any spreadsheet into grids
_ENGINES = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".xls": "calamine", ".xlsb": "calamine", ".ods": "calamine"}


def read_grids(path: Path) -> dict[str, Grid]:
    """Every sheet as a grid of raw values (row 0 = sheet row 1, column 0 = column A), whatever the file format.

    .xlsx goes through openpyxl, the older and other formats through calamine (python-calamine), both via pandas.
    """
    if not path.exists():
        raise InputError("找不到文件", Location(str(path)))
    engine = _ENGINES.get(path.suffix.lower())
    if engine is None:
        raise InputError("不是 Excel 表格（支持 .xlsx、.xls、.xlsm、.xlsb、.ods）", Location(str(path)))
    try:
        with warnings.catch_warnings():  # openpyxl's notes on styles and extensions it drops say nothing about values
            warnings.simplefilter("ignore", UserWarning)
            frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine=engine)
    except Exception as exc:  # each engine raises its own kinds for a broken or encrypted file
        raise InputError(f"无法读取表格（{exc.__class__.__name__}），文件可能已损坏或设置了打开密码",
                         Location(str(path))) from None
    return {name: [[None if _blank(v) else v for v in row] for row in frame.itertuples(index=False)]
            for name, frame in frames.items()}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())


def _cell(grid: Grid, r: int, c: int) -> object:
    return grid[r][c] if r < len(grid) and c < len(grid[r]) else None


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        try:
            parse_amount(value, Location())
        except InputError:
            return False
        return bool(re.search(r"\d", value))
    return False


def _is_code(value: object) -> bool:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalise_label(value)
    return text.isdigit() and len(text) in (3, 5, 7)


# ---------------------------------------------------------------- finding the tables
def _title_match(text: object) -> str | None:
    """The table a title names: the longest known name inside it."""
    if not isinstance(text, str):
        return None
    t = label(text)
    best: tuple[int, str] | None = None
    for no in TITLES:
        for name in (TITLES[no], *_TITLE_ALIASES[no]):
            n = label(name)
            if n in t and len(t) <= len(n) + 24 and (best is None or len(n) > best[0]):
                best = (len(n), no)
    return best[1] if best else None


def _title_rows(grid: Grid) -> list[tuple[int, int, str]]:
    """(row, column, table number) of each title line: a row of at most three texts, one naming a table."""
    out = []
    for r, row in enumerate(grid):
        texts = [(c, v) for c, v in enumerate(row) if v is not None]
        if not texts or len(texts) > 3 or any(_is_number(v) for _, v in texts):
            continue
        for c, v in texts:
            no = _title_match(v)
            if no:
                out.append((r, c, no))
                break
    return out


@dataclass(frozen=True)
class Region:
    """One table inside a sheet: its rows from the title to before the next table."""

    sheet: str
    no: str
    start: int
    end: int
    title_col: int = 0

    def where(self, r: int, c: int) -> Location:
        return Location("", self.sheet, f"{get_column_letter(c + 1)}{r + 1}")


def find_tables(grids: dict[str, Grid]) -> tuple[list[Region], list[Problem]]:
    """Every 公开表 in the workbook; a table found twice is reported and read once."""
    regions, problems, seen = [], [], set()
    for sheet, grid in grids.items():
        titles = _title_rows(grid)
        if not titles:
            no = _title_match(sheet) or _number_in(sheet)
            titles = [(0, 0, no)] if no else []
        for i, (r, c, no) in enumerate(titles):
            end = titles[i + 1][0] if i + 1 < len(titles) else len(grid)
            region = Region(sheet, no, r, end, c)
            if no in seen:
                problems.append(Problem(region.where(r, c), f"公开{no}表 {TITLES[no]} 出现了不止一次，只导入了第一张"))
                continue
            seen.add(no)
            regions.append(region)
    return regions, problems


def _number_in(text: str) -> str | None:
    m = re.search(r"公开(0[1-9])表", normalise_label(text))
    return m.group(1) if m else None


# ---------------------------------------------------------------- headers
@dataclass(frozen=True)
class Header:
    """The header rows of one table and each column's path of labels (top to bottom)."""

    first: int
    last: int
    paths: dict[int, tuple[str, ...]]


def _header(grid: Grid, region: Region, known: set[str], row_labels: set[str] = frozenset()) -> Header | None:
    """The header: from the first row naming a known column, down over the rows of text only below it."""
    for r in range(region.start + 1, min(region.end, region.start + 15)):
        if any(label(v) in known for v in grid[r] if isinstance(v, str)):
            break
    else:
        return None
    last = r
    while last + 1 < region.end and last - r < 2 and _header_like(grid[last + 1], row_labels):
        last += 1
    return Header(r, last, _column_paths(grid, r, last))


def _header_like(row: Sequence[object], row_labels: set[str]) -> bool:
    values = [v for v in row if v is not None]
    return bool(values) and not any(_is_number(v) or _is_code(v) for v in values) \
        and not any(label(v) in row_labels or label(v) in _IGNORED for v in values)


def _column_paths(grid: Grid, first: int, last: int) -> dict[int, tuple[str, ...]]:
    """Each column's labels from the top header row down; a label spanning columns (merged) is carried right
    to the columns that have a label of their own below it."""
    width = max(len(grid[r]) for r in range(first, last + 1))
    paths: dict[int, list[str]] = {c: [] for c in range(width)}
    for r in range(first, last + 1):
        carried = None
        for c in range(width):
            value = _cell(grid, r, c)
            below = _cell(grid, r + 1, c) if r < last else None
            if value is not None:
                carried = label(value)
                paths[c].append(carried)
            elif carried and below is not None:
                paths[c].append(carried)
            else:
                carried = None if below is None else carried
    return {c: tuple(p) for c, p in paths.items() if p}


def _assign(paths: dict[int, tuple[str, ...]], specs: Iterable[ColumnSpec]) -> dict[str, int]:
    """Columns for keys: the longest (most specific) matching path first, then each key's preferred path."""
    candidates = []
    for order, spec in enumerate(specs):
        for rank, pattern in enumerate(spec.paths):
            for c, path in paths.items():
                if path[-len(pattern):] == pattern and len(path) >= len(pattern) \
                        and not set(path[:-len(pattern)]) & set(spec.not_under):
                    candidates.append((-len(pattern), rank, order, c, spec.key))
    out: dict[str, int] = {}
    for *_, c, key in sorted(candidates):
        if key not in out and c not in out.values():
            out[key] = c
    return out


# ---------------------------------------------------------------- reading one table
class _TableReader:
    """Reads one region of one sheet into `Imported`, reporting what it cannot place."""

    def __init__(self, grid: Grid, region: Region, into: Imported):
        self.grid, self.region, self.into = grid, region, into
        self.scale = self._unit()

    def where(self, r: int, c: int) -> Location:
        return self.region.where(r, c)

    def problem(self, r: int, c: int, text: str) -> None:
        self.into.problems.append(Problem(self.where(r, c), text))

    def _preamble(self) -> list[tuple[int, int, str]]:
        """Texts between the title and the header (and the title itself): unit, year, 编制单位."""
        out = []
        for r in range(self.region.start, min(self.region.end, self.region.start + 6)):
            for c, v in enumerate(self.grid[r]):
                if isinstance(v, str):
                    out.append((r, c, v))
        return out

    def _unit(self) -> Decimal:
        for _, _, text in self._preamble():
            m = re.search(r"单位[:：]\s*(万元|元)", normalise_label(text))
            if m:
                return WAN if m.group(1) == "万元" else Decimal(1)
        self.problem(self.region.start, self.region.title_col,
                     f"公开{self.region.no}表没有写明金额单位，按“万元”读取")
        return WAN

    def read_context(self) -> None:
        for _, _, text in self._preamble():
            t = normalise_label(text)
            m = re.search(r"(?:编制单位|单位名称|部门名称|部门|单位)[:：](.+?)(?:金额单位|单位[:：]|\d{4}年|$)", t)
            if m and not self.into.unit_name and m.group(1) not in ("万元", "元"):
                self.into.unit_name = m.group(1)
            y = re.search(r"(19|20)\d{2}(?=年)", t)
            if y and self.into.year is None:
                self.into.year = int(y.group(0))

    def amount(self, r: int, c: int) -> Decimal | None:
        """A value in 元; None for a blank cell; a bad value is reported and skipped."""
        raw = _cell(self.grid, r, c)
        try:
            value = parse_amount(raw, self.where(r, c))
        except InputError as exc:
            self.problem(r, c, f"{exc.problem}（读到的值：{raw!r}），未导入")
            return None
        return None if value is None else value * self.scale

    def data_rows(self, header: Header) -> list[int]:
        rows = []
        for r in range(header.last + 1, self.region.end):
            values = [v for v in self.grid[r] if v is not None]
            if not values or any(label(v) in _IGNORED for v in values if isinstance(v, str)):
                continue
            first = label(values[0])
            if isinstance(values[0], str) and first.startswith(_NOTE_STARTS) and not any(_is_number(v) for v in values[1:]):
                break
            rows.append(r)
        return rows

    def unplaced_column(self, c: int, path: tuple[str, ...], rows: list[int]) -> None:
        cells = [r for r in rows if _is_number(_cell(self.grid, r, c)) and self._nonzero(r, c)]
        if cells:
            span = f"{get_column_letter(c + 1)}{cells[0] + 1}:{get_column_letter(c + 1)}{cells[-1] + 1}"
            self.into.problems.append(Problem(Location("", self.region.sheet, span),
                                              f"列“{'/'.join(path)}”对应不到工作簿的列，其中 {len(cells)} 个数值未导入"))

    def _nonzero(self, r: int, c: int) -> bool:
        """A value worth reporting when it cannot be placed: a figure, or something that is not one; a blank
        cell (not given) and a zero are nothing lost."""
        try:
            value = parse_amount(_cell(self.grid, r, c), Location())
        except InputError:
            return True
        return value is not None and value != 0

    def unplaced_value(self, r: int, c: int, why: str) -> None:
        if self._nonzero(r, c):
            self.problem(r, c, f"{why}，数值 {_cell(self.grid, r, c)} 未导入")


class _CodedReader(_TableReader):
    """02, 03, 05, 06, 08, 09: rows keyed by subject code."""

    def read(self) -> None:
        sheet, specs = CODED[self.region.no]
        known = {p[-1] for s in specs for p in s.paths} | {p[-1] for p in _CODE_PATHS + _NAME_PATHS}
        header = _header(self.grid, self.region, known)
        if header is None:
            self.problem(self.region.start, self.region.title_col, f"公开{self.region.no}表找不到表头（科目编码、科目名称等）")
            return
        rows = self.data_rows(header)
        merged: dict[str, dict[str, object]] = {}
        used: set[int] = set()
        columns: set[str] = set()
        for block in self._blocks(header.paths):
            assigned = _assign({c: header.paths[c] for c in block if c in header.paths}, specs)
            code_cols = self._code_columns(header.paths, block)
            name_col = _assign({c: header.paths[c] for c in block if c in header.paths},
                               [ColumnSpec("name", _NAME_PATHS)]).get("name")
            used |= set(assigned.values()) | set(code_cols) | ({name_col} if name_col is not None else set())
            columns |= set(assigned)
            self._rows(rows, code_cols, name_col, assigned, merged)
        for c, path in header.paths.items():
            if c not in used and path[-1] not in _IGNORED and path[-1:] not in _DERIVED.get(self.region.no, ()):
                self.unplaced_column(c, path, rows)
        ordered = tuple(s.key for s in specs if s.key in columns)
        self.into.coded[sheet] = (ordered, sorted(merged.values(), key=lambda row: str(row["code"])))

    def _blocks(self, paths: dict[int, tuple[str, ...]]) -> list[list[int]]:
        """Column blocks: a table printed as two halves side by side (06) has a code column in each."""
        starts = [c for c, p in sorted(paths.items()) if p[-1] in {x[-1] for x in _CODE_PATHS}]
        if len(starts) < 2:
            return [sorted(paths)]
        bounds = [*starts, max(paths) + 1]
        return [list(range(0 if i == 0 else bounds[i], bounds[i + 1])) for i in range(len(starts))]

    def _code_columns(self, paths: dict[int, tuple[str, ...]], block: list[int]) -> list[int]:
        """The code column, or the 类, 款, 项 columns when the code is printed in three parts."""
        parts = [c for c in block if c in paths and paths[c][-1] in _CODE_PARTS]
        if len(parts) >= 2:
            return parts
        found = _assign({c: paths[c] for c in block if c in paths}, [ColumnSpec("code", _CODE_PATHS)])
        return [found["code"]] if "code" in found else []

    def _code(self, r: int, cols: list[int], last: str) -> tuple[str, str]:
        """(code, name printed in the code cell) of a row; parts (201 | 03 | 01) are joined, parts left blank
        under their 类 or 款 taken from the row above."""
        pieces = [_code_text(_cell(self.grid, r, c)) for c in cols]
        if len(cols) == 1:
            m = re.match(r"^(\d{3}(?:\d{2}){0,2})(?!\d)(.*)$", pieces[0])
            return (m.group(1), m.group(2).strip()) if m else ("", "")
        full = [p for p in pieces if len(p) in (3, 5, 7) and p.isdigit()]
        if full and len(full[-1]) > 3:  # each part cell holds the whole code (201 | 20103 | 2010301)
            return full[-1], ""
        cls, kuan, xiang = (pieces + ["", ""])[:3]
        if not (cls or kuan or xiang):
            return "", ""
        cls = cls or last[:3]
        if xiang:
            return cls + (kuan or last[3:5]).zfill(2) + xiang.zfill(2), ""
        return (cls + kuan.zfill(2), "") if kuan else (cls, "")

    def _rows(self, rows: list[int], code_cols: list[int], name_col: int | None, assigned: dict[str, int],
              merged: dict[str, dict[str, object]]) -> None:
        last = ""
        for r in rows:
            code, name_in_code = self._code(r, code_cols, last) if code_cols else ("", "")
            name = _subject_name(_cell(self.grid, r, name_col) if name_col is not None else None) or name_in_code
            if not re.fullmatch(r"\d{3}(?:\d{2}){0,2}", code or ""):
                if label(name) not in _labels("合计", "总计", "本年合计") and name:
                    for c in assigned.values():
                        self.unplaced_value(r, c, f"行“{name}”没有有效的科目编码")
                continue
            last = code
            row = merged.setdefault(code, {"code": code, "name": name})
            row["name"] = row["name"] or name
            for key, c in assigned.items():
                row[key] = self.amount(r, c)


def _code_text(raw: object) -> str:
    """A code cell as text: 2010301.0 read as 2010301, spaces dropped."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return "" if raw is None else re.sub(r"\s+", "", str(raw)).translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def _subject_name(raw: object) -> str:
    """A subject name without indentation or a “（类）” level mark."""
    if raw is None:
        return ""
    return _LEVEL_SUFFIX.sub("", str(raw).strip().strip("\u3000").strip())


class _GridReader(_TableReader):
    """04 and 07: fixed rows × fixed columns, 07 also accepted the other way round."""

    def read(self) -> None:
        spec = GRIDS[self.region.no]
        row_labels = {a for aliases in spec.rows.values() for a in aliases}
        measures = {p[-1] for s in spec.columns for p in s.paths}
        known = measures | row_labels | set(_labels("项目")) | {p[-1] for p in spec.derived}
        header = _header(self.grid, self.region, known, row_labels if not spec.transposable else measures)
        if header is None:
            self.problem(self.region.start, self.region.title_col, f"公开{self.region.no}表找不到表头")
            return
        rows = self.data_rows(header)
        straight = self._match(header, rows, spec.rows, spec.columns)
        if spec.transposable:
            items = tuple(ColumnSpec(k, tuple(p for a in v for p in ((a, "小计"), (a, "合计"), (a,))))
                          for k, v in spec.rows.items())
            turned = self._match(header, rows, {s.key: tuple(p[-1] for p in s.paths) for s in spec.columns}, items)
            if _size(turned) > _size(straight):
                straight = ({(item, m): rc for (m, item), rc in turned[0].items()}, turned[1], turned[2])
        found, used_rows, used_cols = straight
        table = self.into.items.setdefault(spec.sheet, {})
        for (row_key, col_key), (r, c) in found.items():
            table.setdefault(row_key, {})[col_key] = self.amount(r, c)
        for r in rows:
            for c, value in enumerate(self.grid[r]):
                if (r, c) in found.values() or not _is_number(value) or c in used_cols and r in used_rows:
                    continue
                path = header.paths.get(c, ())
                if path and (path[-1] in _IGNORED or path[-len(path):] in spec.derived or path[-1:] in spec.derived):
                    continue
                self.unplaced_value(r, c, "行或列的名称对应不到工作簿")

    def _match(self, header: Header, rows: list[int], row_specs: dict[str, tuple[str, ...]],
               col_specs: Sequence[ColumnSpec]) -> tuple[dict[tuple[str, str], tuple[int, int]], set[int], set[int]]:
        cols = _assign(header.paths, col_specs)
        found: dict[tuple[str, str], tuple[int, int]] = {}
        used_rows = set()
        for r in rows:
            key = next((k for v in self.grid[r] if isinstance(v, str)
                        for k, aliases in row_specs.items() if label(v) in aliases), None)
            if key is None or any(k == key for k, _ in found):
                continue
            used_rows.add(r)
            for col_key, c in cols.items():
                found[(key, col_key)] = (r, c)
        return found, used_rows, set(cols.values())


def _size(match: tuple[dict, set, set]) -> int:
    return len(match[0])


class _SummaryReader(_TableReader):
    """01: labels with their amount to the right, income on the left and expenditure on the right."""

    def read(self) -> None:
        all_labels = {a for aliases in SUMMARY_ROWS.values() for a in aliases} | {_GRAND}
        header = _header(self.grid, self.region, set(_VALUE_HEADS) | set(_labels("项目", "收入", "支出")), all_labels)
        first = header.last + 1 if header else self.region.start + 1
        value_cols = sorted(c for c, p in (header.paths.items() if header else ()) if set(p) & set(_VALUE_HEADS))
        rows = self.data_rows(header) if header else list(range(first, self.region.end))
        table = self.into.items.setdefault("summary", {})
        sides: dict[str, set[int]] = {"income": set(), "expense": set()}
        grand: list[tuple[int, int]] = []
        placed: set[tuple[int, int]] = set()
        for r in rows:
            for c, value in enumerate(self.grid[r]):
                if not isinstance(value, str) or _is_number(value):
                    continue
                key = next((k for k, aliases in SUMMARY_ROWS.items() if label(value) in aliases), None)
                target = self._value_col(r, c, value_cols)
                if label(value) == _GRAND:
                    grand.append((r, c))
                elif key and target is not None and key not in table:
                    sides["expense" if key in _EXPENSE_SIDE else "income"].add(c)
                    table[key] = {"current": self.amount(r, target)}
                    placed.add((r, target))
                elif target is not None and not value.strip().endswith("支出"):
                    self.unplaced_value(r, target, f"“{value.strip()}”对应不到收支总表的项目")
                    placed.add((r, target))
                elif target is not None:
                    placed.add((r, target))  # a 类 of expenditure: 03 gives it, with its 款 and 项
        for i, (r, c) in enumerate(grand):
            key = "income_grand_total" if c in sides["income"] or (i == 0 and c not in sides["expense"]) else "expense_grand_total"
            target = self._value_col(r, c, value_cols)
            if target is not None and key not in table:
                table[key] = {"current": self.amount(r, target)}
                placed.add((r, target))
        for r in rows:
            for c in value_cols:
                if (r, c) not in placed and _is_number(_cell(self.grid, r, c)):
                    self.unplaced_value(r, c, "此行没有可识别的项目名称")

    def _value_col(self, r: int, c: int, value_cols: list[int]) -> int | None:
        """The amount of a label: the nearest amount column to its right (past a 行次 column)."""
        right = [x for x in value_cols if x > c]
        if right:
            return right[0]
        for x in range(c + 1, len(self.grid[r])):
            if _is_number(self.grid[r][x]):
                return x
        return None


_EXPENSE_SIDE = {"expense_total", "surplus_distribution", "closing_balance", "expense_grand_total"}


def read_public_tables(path: str | Path) -> Imported:
    """Read the 公开表 from a spreadsheet; raises InputError only when there is none to read."""
    path = Path(path)
    grids = read_grids(path)
    regions, problems = find_tables(grids)
    if not regions:
        names = "、".join(f"「{s}」" for s in grids)
        raise InputError(f"没有找到任何公开表（按表名查找，如“{TITLES['01']}”；工作表：{names}）", Location(str(path)))
    into = Imported(path, problems=problems)
    for region in regions:
        grid = grids[region.sheet]
        into.found[region.no] = region.where(region.start, region.title_col)
        reader = {"01": _SummaryReader}.get(region.no) or (_GridReader if region.no in GRIDS else _CodedReader)
        table = reader(grid, region, into)
        table.read_context()
        table.read()
    into.problems = [Problem(Location(str(path), p.where.sheet, p.where.cell), p.text) for p in into.problems]
    return into


# ---------------------------------------------------------------- writing into our workbook
def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class _Target:
    """One sheet of the target workbook, laid out as `schema` declares it."""

    def __init__(self, ws: Worksheet, sheet: Sheet):
        self.ws, self.sheet = ws, sheet
        self.header, self.cols = self._header()

    def _header(self) -> tuple[int, dict[str, int]]:
        first = self.sheet.columns[0]
        names = {normalise_label(n) for n in (first.label, *first.aliases)}
        for r in range(1, min(16, self.ws.max_row + 1)):
            row = [normalise_label(self.ws.cell(r, c).value) for c in range(1, self.ws.max_column + 1)]
            if names & set(row):
                cols = {}
                for f in self.sheet.columns:
                    wanted = {normalise_label(n) for n in (f.label, *f.aliases)}
                    at = next((i + 1 for i, v in enumerate(row) if v in wanted), None)
                    if at is not None:
                        cols[f.key] = at
                return r, cols
        raise InputError(f"找不到表头行（应有一列名为“{first.label}”）", Location("", self.ws.title))

    def row_of(self, label_text: str) -> int | None:
        col = self.cols[self.sheet.columns[0].key]
        for r in range(self.header + 1, self.ws.max_row + 1):
            if normalise_label(self.ws.cell(r, col).value) == normalise_label(label_text):
                return r
        return None

    def data_range(self) -> tuple[int, int]:
        """First data row and the row after the last one (a 注 line ends the table)."""
        start = self.header + 1
        first_col = self.cols[self.sheet.columns[0].key]
        if normalise_label(self.ws.cell(start, first_col).value) in _IGNORED:
            start += 1
        end = start
        for r in range(start, self.ws.max_row + 1):
            text = normalise_label(self.ws.cell(r, first_col).value)
            if text.startswith(_NOTE_STARTS) and not text.isdigit():
                return start, r
            if any(self.ws.cell(r, c).value is not None for c in self.cols.values()):
                end = r + 1
        return start, end


def _info_cell(wb: Workbook, key: str):
    ws = _sheet(wb, schema.INFO)
    f = next(x for x in schema.INFO.rows if x.key == key)
    for r in range(1, ws.max_row + 1):
        if normalise_label(ws.cell(r, 1).value) == normalise_label(f.label):
            return ws.cell(r, 2)
    raise InputError(f"“基本信息”表中没有“{f.label}”一行", Location("", ws.title))


def _sheet(wb: Workbook, sheet: Sheet) -> Worksheet:
    names = {normalise_label(n): n for n in wb.sheetnames}
    for candidate in (sheet.name, *sheet.aliases):
        if normalise_label(candidate) in names:
            return wb[names[normalise_label(candidate)]]
    raise InputError(f"工作簿中没有“{sheet.name}”工作表", Location())


def _write_items(wb: Workbook, key: str, rows: dict[str, dict[str, Decimal | None]], scale: Decimal) -> int:
    sheet = schema.sheet(key)
    target = _Target(_sheet(wb, sheet), sheet)
    count = 0
    for row_key, values in rows.items():
        r = target.row_of(next(f.label for f in sheet.rows if f.key == row_key))
        if r is None:
            continue
        for col_key, value in values.items():
            c = target.cols.get(col_key)
            if c is not None:
                target.ws.cell(r, c).value = None if value is None else _number(value / scale)
                count += value is not None
    return count


def _existing_rows(target: _Target, start: int, end: int) -> dict[str, dict[str, object]]:
    rows: dict[str, dict[str, object]] = {}
    code_col = target.cols["code"]
    for r in range(start, end):
        raw = target.ws.cell(r, code_col).value
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        code = normalise_label(raw)
        if code.isdigit():
            rows[code] = {k: target.ws.cell(r, c).value for k, c in target.cols.items()}
            rows[code]["code"] = code
    return rows


def _write_coded(wb: Workbook, key: str, columns: tuple[str, ...], rows: list[dict[str, object]], scale: Decimal) -> int:
    """Merge by code: this year's columns from the import; 上年数 and reasons kept; rows no longer used dropped."""
    sheet = schema.sheet(key)
    target = _Target(_sheet(wb, sheet), sheet)
    start, end = target.data_range()
    merged = _existing_rows(target, start, end)
    for row in merged.values():
        row.update({k: None for k in columns})
    for row in rows:
        mine = merged.setdefault(str(row["code"]), {"code": row["code"]})
        mine["name"] = row.get("name") or mine.get("name")
        mine.update({k: None if row.get(k) is None else _number(row[k] / scale) for k in columns})  # type: ignore[operator]
    kept = [r for r in merged.values() if any(v not in (None, "") for k, v in r.items() if k not in ("code", "name"))
            or r["code"] in {str(x["code"]) for x in rows}]
    kept.sort(key=lambda r: str(r["code"]))
    _rewrite(target, start, end, kept)
    return sum(1 for r in rows for k in columns if r.get(k) is not None)


def _rewrite(target: _Target, start: int, end: int, rows: list[dict[str, object]]) -> None:
    ws, style_row = target.ws, start
    if len(rows) > end - start and end <= ws.max_row and any(ws.cell(end, c).value for c in target.cols.values()):
        ws.insert_rows(end, len(rows) - (end - start))  # room above a 注 line
    for r in range(start, max(end, start + len(rows))):
        for key, c in target.cols.items():
            cell = ws.cell(r, c)
            if r >= end or not cell.has_style:
                cell._style = copy(ws.cell(style_row, c)._style)
            cell.value = rows[r - start].get(key) if r - start < len(rows) else None


def _settle_info(wb: Workbook, imported: Imported, force: bool, target: Path) -> list[str]:
    """Year and unit name: filled when blank; a different year is refused unless forced."""
    notes = []
    year_cell, name_cell = _info_cell(wb, "year"), _info_cell(wb, "name")
    stated = normalise_label(year_cell.value).removesuffix(".0").removesuffix("年")
    if imported.year and not stated:
        year_cell.value = imported.year
    elif imported.year and stated != str(imported.year):
        message = f"公开表是 {imported.year} 年度的，而工作簿的年度是 {stated}"
        if not force:
            raise InputError(message + "（确认无误请加 --force）", Location(str(target), year_cell.parent.title, year_cell.coordinate))
        notes.append(message + "，已按 --force 导入")
    if imported.unit_name and not name_cell.value:
        name_cell.value = imported.unit_name
    elif imported.unit_name and normalise_label(name_cell.value) != normalise_label(imported.unit_name):
        notes.append(f"公开表的编制单位是“{imported.unit_name}”，工作簿的单位名称是“{name_cell.value}”，请确认是同一单位")
    return notes


def _scale(wb: Workbook) -> Decimal:
    cell = _info_cell(wb, "money_unit")
    if not cell.value:
        cell.value = "万元"
    return WAN if str(cell.value).strip() == "万元" else Decimal(1)


@dataclass
class ImportResult:
    imported: Imported
    target: Path
    created: bool
    written: dict[str, int]
    notes: list[str]

    @property
    def complete(self) -> bool:
        return not self.imported.problems and not [n for n in self.imported.missing() if n not in ("08", "09")]

    def summary(self) -> list[str]:
        """The lines printed after an import (Chinese)."""
        im = self.imported
        lines = [f"已{'新建并' if self.created else ''}导入到：{self.target}（源文件 {im.source.name} 未改动；文字材料未改动）"]
        for no, where in im.found.items():
            lines.append(f"  公开{no}表 {TITLES[no]}：工作表「{where.sheet}」{where.cell}")
        lines.append(f"共写入 {sum(self.written.values())} 个数值：" + "、".join(
            f"{schema.sheet(k).name} {n}" for k, n in self.written.items()))
        for no in im.missing():
            lines.append(f"未找到：公开{no}表 {TITLES[no]}" + ("（无此项收支时可忽略；工作簿中该表未改动）" if no in ("08", "09") else
                                                      "（工作簿中该表未改动）"))
        for p in im.problems:
            lines.append(f"未导入：{p.where}：{p.text}")
        lines += self.notes
        return lines


def import_public_tables(source: str | Path, target: str | Path, force: bool = False) -> ImportResult:
    """Fill `target` (our workbook; created when absent) from the 公开表 in `source`; written atomically."""
    source, target = Path(source), Path(target)
    if target.exists() and target.resolve() == source.resolve():
        raise InputError("导入的公开表和要写入的工作簿是同一个文件", Location(str(source)))
    imported = read_public_tables(source)
    created = not target.exists()
    wb = build_workbook(imported.year) if created else _open_target(target)
    notes = _settle_info(wb, imported, force, target)
    scale = _scale(wb)
    written: dict[str, int] = {}
    for key, rows in imported.items.items():
        written[key] = _write_items(wb, key, rows, scale)
    for key, (columns, rows) in imported.coded.items():
        written[key] = _write_coded(wb, key, columns, rows, scale)
    if created:
        notes.append("新建的工作簿还需在“基本信息”表填写单位编码、单位性质等必填项")
    with atomic_write(target, overwrite=True) as tmp:
        wb.save(tmp)
    return ImportResult(imported, target, created, {k: v for k, v in written.items() if v}, notes)


def _open_target(path: Path) -> Workbook:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError("要写入的工作簿应为 .xlsx", Location(str(path)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(path)
    except Exception as exc:
        raise InputError(f"无法打开工作簿（{exc.__class__.__name__}）", Location(str(path))) from None
