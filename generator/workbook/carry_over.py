"""Next year's workbook from this year's (`juesuan init NEW --from OLD`): the 上年 columns filled, texts marked for review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from generator.errors import InputError, Location, OutputError
from generator.output_files import atomic_write
from generator.workbook import schema
from generator.workbook.blank import build_workbook
from generator.workbook.model import Cell, Row, UnitData
from generator.workbook.reader import read_workbook
from generator.workbook.schema import AMOUNT, Sheet

REVIEW_FILL = PatternFill("solid", fgColor="FCE4D6")  # light orange: carried from last year, to be rewritten
_FIRST_ROW = 3  # blank.build_workbook writes data from row 3 (row 1 title, row 2 header)

# 基本信息 rows that belong to one year: cleared; and year-end counts: carried but to be checked
_ONE_YEAR_INFO = ("publish_date", "evaluation_date")
_YEAR_END_INFO = ("staff_quota", "staff_actual", "staff_civil_servants", "staff_institution", "staff_workers",
                  "staff_retired", "sub_admin", "sub_civil", "sub_other", "sub_budget_units")
# list sheets: columns carried (the rest is this year's amounts and results, left empty); columns marked for review
_KEPT = {
    "projects": ("name", "department", "implementer", "exec_weight", "target", "summary", "decision", "management"),
    "indicators": ("project", "level1", "level2", "level3", "direction", "target", "weight"),
    "grid": ("level1", "level2", "level3", "standard", "weight"),
    "evaluators": ("name", "title", "unit"),
    "glossary": ("term", "text"),
}
_REVIEW = {
    "projects": ("target", "summary", "decision", "management"),
    "indicators": ("target",),
    "evaluators": ("name",),
    "glossary": ("text",),
}
# required amounts of a carried project: emptied (blank is “not given”, never 0), so the officer must type them
_FILL = {"projects": ("budget", "spent")}


@dataclass(frozen=True)
class Mark:
    """A cell of the new workbook the officer must rewrite, check or fill."""

    sheet: str
    cell: str
    what: str
    action: str  # 改写 / 核对 / 填写


@dataclass
class Carried:
    """What `carry_over` wrote: the new workbook, the count of 上年 cells per sheet, the cells to review."""

    path: Path
    source: Path
    year: int
    money_unit: str
    previous: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)

    def summary(self) -> list[str]:
        """The lines printed after `init --from` (Chinese)."""
        filled = "、".join(f"{schema.sheet(k).name} {n} 项" for k, n in self.previous.items() if n)
        carried = "、".join(f"{schema.sheet(k).name} {n} 行" for k, n in self.rows.items() if n)
        rewrite, check, fill = (sum(1 for m in self.marks if m.action == a) for a in ("改写", "核对", "填写"))
        projects = self.rows.get("projects", 0)
        return [
            f"已根据 {self.source.name} 生成 {self.year} 年度工作簿：{self.path}（金额单位：{self.money_unit}，与上年一致）",
            f"上年数（取自上年的本年数）：{filled or '无'}",
            f"基本信息：已带入，年度改为 {self.year}，公开日期和自评报告日期已清空",
            f"带入的文字和清单：{carried or '无'}；本年金额、完成值、得分和原因均已清空",
            f"橙色底纹标出需要改写的 {rewrite} 处、需要核对的 {check} 处和需要填写的 {fill} 处，"
            f"清单见“{schema.INSTRUCTIONS_SHEET}”工作表末尾",
            "本年数请填写或用 juesuan import 从公开表导入。",
            *([f"“{schema.PROJECTS.name}”表 {projects} 个项目的全年预算数、全年执行数须填写（公开表中没有；"
               "空白不等于0，填写前工作簿不能检查和生成）"] if projects else []),
        ]


class _Source:
    """Last year's workbook as read, and which of its cells were left blank (blank is “not given”, never 0)."""

    def __init__(self, path: Path):
        self.data: UnitData = read_workbook(path)
        self.scale = Decimal(10000) if self.data.info("money_unit") == "万元" else Decimal(1)
        wb = load_workbook(path, data_only=True)
        try:
            self._filled = {ws.title: {c.coordinate for row in ws.iter_rows() for c in row if c.value is not None}
                            for ws in wb.worksheets}
        finally:
            wb.close()

    def given(self, cell: Cell | None) -> bool:
        """A cell the officer filled: a blank amount reads as None, but a blank count reads as 0, so a 0 counts
        only where the sheet has a value (a dash, 0)."""
        if cell is None:
            return False
        where = cell.where
        return cell.value not in (None, "") and (cell.value != 0 or where.cell in self._filled.get(where.sheet, ()))

    def amount(self, cells: Iterable[Cell | None], kind: str = AMOUNT) -> int | float | None:
        """The sum of the given cells as written (amounts back in the workbook's own unit); None when none was given."""
        given = [c for c in cells if self.given(c)]
        if not given:
            return None
        value = sum((c.value for c in given), Decimal(0))  # type: ignore[misc]
        return _number(value / self.scale if kind == AMOUNT else value)


def _number(value: Decimal) -> int | float:
    """A cell value: an int when whole; floats keep up to 15 significant digits, which money has."""
    return int(value) if value == value.to_integral_value() else float(value)


def _plain(value: object) -> object:
    return _number(value) if isinstance(value, Decimal) else value


def _items(src: _Source, key: str, current: str) -> tuple[dict[str, dict[str, object]], int]:
    """An items sheet: each row's 上年 column from its 本年 column."""
    out, count = {}, 0
    sheet = schema.sheet(key)
    for row_key, row in src.data.table(key).by_key.items():
        kind = sheet.cell_field(next(f for f in sheet.rows if f.key == row_key), sheet.column(current)).kind
        value = src.amount([row.cells.get(current)], kind)
        if value is not None:
            out[row_key] = {"previous": value}
            count += 1
    return out, count


def _fiscal(src: _Source) -> tuple[dict[str, dict[str, object]], int]:
    """04: the 上年数 is the sum of the three funds (the sheet has one 上年 column for all three)."""
    out, count = {}, 0
    for row_key, row in src.data.table("fiscal").by_key.items():
        value = src.amount(row.cells.get(k) for k in ("gp", "fund", "soe"))
        if value is not None:
            out[row_key] = {"previous": value}
            count += 1
    return out, count


def _coded(src: _Source, key: str, columns: tuple[str, ...]) -> list[dict[str, object]]:
    """A coded sheet: the subjects that had spending last year, with it as 上年数 (their rows count in 上年 sums)."""
    rows = []
    for row in src.data.table(key).rows:
        value = src.amount(row.cells.get(c) for c in columns)
        if value:
            rows.append({"code": row.text("code"), "name": row.text("name"), "previous": value})
    return rows


def _kept(row: Row, keys: tuple[str, ...]) -> dict[str, object]:
    return {k: _plain(row.cells[k].value) for k in keys if k in row.cells and row.cells[k].value not in (None, "")}


def _projects(src: _Source) -> list[dict[str, object]]:
    rows = []
    for row in src.data.table("projects").rows:
        values = _kept(row, _KEPT["projects"])
        spent = src.amount([row.cells.get("spent")])
        if spent is not None:
            values["previous"] = spent
        rows.append(values)
    return rows


def _info(src: _Source, year: int) -> dict[str, object]:
    info = {k: _plain(r.cells["value"].value) for k, r in src.data.table("info").by_key.items()
            if k not in _ONE_YEAR_INFO and src.given(r.cells.get("value"))}
    info["year"] = year
    return info


def _values(src: _Source, year: int, carried: Carried) -> dict[str, object]:
    """The new workbook's values, keyed as blank.build_workbook takes them."""
    values: dict[str, object] = {"info": _info(src, year)}
    values["texts"] = {k: _plain(r.cells["value"].value) for k, r in src.data.table("texts").by_key.items()
                       if src.given(r.cells.get("value"))}
    for key, current in (("summary", "current"), ("three_public", "actual"), ("other", "current")):
        values[key], carried.previous[key] = _items(src, key, current)
    values["fiscal"], carried.previous["fiscal"] = _fiscal(src)
    for key, columns in (("gp", ("total",)), ("fund", ("total",)), ("soe", ("total",)),
                         ("basic", ("personnel", "public"))):
        values[key] = _coded(src, key, columns)
        carried.previous[key] = len(values[key])
    values["projects"] = _projects(src)
    carried.previous["projects"] = sum(1 for r in values["projects"] if "previous" in r)
    for key in ("indicators", "grid", "evaluators", "glossary"):
        values[key] = [_kept(r, _KEPT[key]) for r in src.data.table(key).rows]
    carried.rows = {"texts": len(values["texts"]), "projects": len(values["projects"]),
                    **{k: len(values[k]) for k in ("indicators", "grid", "evaluators", "glossary")}}
    return values


def _ref(sheet: Sheet, row: int, column: str) -> str:
    """The cell blank.build_workbook wrote for a value: data rows from row 3, columns in declared order."""
    col = 2 if sheet.layout == "keyvalue" else next(i for i, c in enumerate(sheet.columns, 1) if c.key == column)
    return f"{get_column_letter(col)}{_FIRST_ROW + row}"


def _marks(values: dict[str, object]) -> list[Mark]:
    """Every carried text to rewrite, every year-end count to check, every one-year date and every carried
    project's required amounts to fill."""
    marks = []
    texts = values["texts"]
    for i, f in enumerate(schema.TEXTS.rows):
        if f.key in texts:  # type: ignore[operator]
            marks.append(Mark(schema.TEXTS.name, _ref(schema.TEXTS, i, "value"), f.label, "改写"))
    info = values["info"]
    for i, f in enumerate(schema.INFO.rows):
        if f.key in _YEAR_END_INFO and f.key in info:  # type: ignore[operator]
            marks.append(Mark(schema.INFO.name, _ref(schema.INFO, i, "value"), f.label + "（年末数）", "核对"))
        elif f.key in _ONE_YEAR_INFO:
            marks.append(Mark(schema.INFO.name, _ref(schema.INFO, i, "value"), f.label, "填写"))
    for key, columns in _REVIEW.items():
        sheet = schema.sheet(key)
        for i, row in enumerate(values[key]):  # type: ignore[arg-type]
            for column in columns:
                if column in row:
                    name = row.get("name") or row.get("project") or row.get("term") or ""
                    what = f"{name}：{sheet.column(column).label}" if name else sheet.column(column).label
                    marks.append(Mark(sheet.name, _ref(sheet, i, column), what, "改写" if key != "evaluators" else "核对"))
    for key, columns in _FILL.items():
        sheet = schema.sheet(key)
        for i, row in enumerate(values[key]):  # type: ignore[arg-type]
            marks += [Mark(sheet.name, _ref(sheet, i, column), f"{row.get('name', '')}：{sheet.column(column).label}", "填写")
                      for column in columns]
    return marks


def _mark_cells(wb: Workbook, marks: list[Mark], source: str) -> None:
    for m in marks:
        cell = wb[m.sheet][m.cell]
        cell.fill = REVIEW_FILL
        if m.action != "填写":
            cell.comment = Comment(f"由上年工作簿 {source} 带入，请{m.action}。", "juesuan")


def _list_in_instructions(wb: Workbook, carried: Carried) -> None:
    """The to-do list at the end of 填表说明, each line a link to its cell."""
    ws = wb[schema.INSTRUCTIONS_SHEET]
    row = ws.max_row + 2
    head = ws.cell(row, 1, f"本工作簿由上年工作簿 {carried.source.name} 生成：上年数已填好；"
                           "橙色底纹的单元格是带入的上年内容或需本年填写的项目，请逐项处理：")
    head.font = Font(name="宋体", size=12, bold=True)
    for m in carried.marks:
        row += 1
        cell = ws.cell(row, 1, f"  {m.action}：{m.sheet} {m.cell}　{m.what}")
        cell.hyperlink = f"#'{m.sheet}'!{m.cell}"
        cell.font = Font(name="宋体", size=12, color="0563C1", underline="single")
        cell.fill = REVIEW_FILL


def carry_over(source: str | Path, target: str | Path, overwrite: bool = False, year: int | None = None) -> Carried:
    """Write next year's workbook at `target` from last year's at `source`; nothing is written on any error."""
    source, target = Path(source), Path(target)
    if target.exists() and not overwrite:  # say so before reading a workbook that may have errors of its own
        raise OutputError(f"文件已存在，未覆盖：{target}（如需覆盖请加 --force）")
    if target.resolve() == source.resolve():
        raise InputError("新工作簿不能与上年工作簿是同一个文件", Location(str(source)))
    src = _Source(source)
    next_year = int(src.data.info("year")) + 1
    if year is not None and year != next_year:
        raise InputError(f"上年工作簿的年度是 {next_year - 1}，新工作簿的年度应为 {next_year}（--year 给的是 {year}）",
                         src.data.table("info").get("year").where("value"))
    carried = Carried(target, source, next_year, src.data.info("money_unit"))
    values = _values(src, next_year, carried)
    carried.marks = _marks(values)
    wb = build_workbook(next_year, values)
    _mark_cells(wb, carried.marks, source.name)
    _list_in_instructions(wb, carried)
    with atomic_write(target, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return carried
