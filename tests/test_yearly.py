"""`juesuan init NEW --from OLD`: next year's workbook reads back with last year's 本年 figures as its 上年 figures."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.checks.rules import run_checks
from generator.cli import main
from generator.figures.report import build_report
from generator.workbook import schema
from generator.workbook.carry_over import REVIEW_FILL, carry_over
from generator.workbook.reader import read_info, read_workbook
from tests.conftest import LIZHOU, SAMPLES, WULONG, YIYANG

ZERO = Decimal(0)


@pytest.fixture(scope="module")
def carried(tmp_path_factory) -> Callable[[str], tuple]:
    """A sample carried over to next year, once per module: stem → (last year's data, next year's data, path)."""
    out = tmp_path_factory.mktemp("next")
    cache: dict[str, tuple] = {}

    def get(stem: str) -> tuple:
        if stem not in cache:
            book = next(b for b in SAMPLES if b.stem == stem)
            path = carry_over(book, out / f"{book.stem}_next.xlsx").path
            cache[stem] = (read_workbook(book), read_workbook(typed_project_amounts(path)), path)
        return cache[stem]

    return get


def typed_project_amounts(path: Path, filled: Path | None = None) -> Path:
    """`path` with this year's 全年预算数/全年执行数 typed in (saved as `filled`, by default a copy beside it), as
    the officer must before the workbook reads: the carried projects have them emptied, and a blank required
    amount is an error, not zero."""
    filled = filled or path.with_name(path.stem + "_filled.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.PROJECTS.name]
    columns = [c.column for c in ws[2] if c.value in ("全年预算数", "全年执行数")]
    for row in range(3, ws.max_row + 1):
        if ws.cell(row, 1).value:
            for col in columns:
                ws.cell(row, col).value = 0
    wb.save(filled)
    return filled


def _sample_ids() -> list[str]:
    return [b.stem for b in SAMPLES]


@pytest.mark.slow
@pytest.mark.parametrize("stem", _sample_ids())
def test_previous_columns_are_last_years_figures(carried, stem):
    old, new, _ = carried(stem)
    for key, current in (("summary", "current"), ("three_public", "actual"), ("other", "current")):
        for row_key in (f.key for f in schema.sheet(key).rows):  # a blank stays blank (None), not 0
            assert new.table(key).get(row_key).optional("previous") == old.table(key).get(row_key).optional(current), \
                (key, row_key)
    for row_key in (f.key for f in schema.FISCAL.rows):
        given = [v for c in ("gp", "fund", "soe") if (v := old.table("fiscal").get(row_key).optional(c)) is not None]
        assert new.table("fiscal").get(row_key).optional("previous") == (sum(given) if given else None), row_key
    for key, columns in (("gp", ("total",)), ("fund", ("total",)), ("soe", ("total",)), ("basic", ("personnel", "public"))):
        last = {code: sum(r.num(c) for c in columns) for code, r in old.table(key).by_key.items()}
        now = {code: r.num("previous") for code, r in new.table(key).by_key.items()}
        assert now == {code: v for code, v in last.items() if v}, key
    assert [(r.text("name"), r.num("previous")) for r in new.table("projects").rows] == \
           [(r.text("name"), r.num("spent")) for r in old.table("projects").rows]


@pytest.mark.slow
@pytest.mark.parametrize("stem", _sample_ids())
def test_the_documents_last_year_figures_are_last_years_figures(carried, stem):
    old, new, _ = carried(stem)
    last, this = build_report(old), build_report(new)
    for name in ("income_total", "expense_total", "income_grand_total", "expense_grand_total",
                 "fiscal_income_total", "fiscal_expense_total", "gp_total", "running_cost"):
        assert getattr(this, name).previous == getattr(last, name).current, name
    for item in last.three_public:
        assert this.three(item.key).previous == item.actual, item.key
    assert this.year == last.year + 1
    assert not [f for f in run_checks(new, previous=old) if f.rule == "上年数"]


@pytest.mark.slow
@pytest.mark.parametrize("stem", _sample_ids())
def test_this_years_figures_and_results_are_left_empty(carried, stem):
    old, new, _ = carried(stem)
    assert new.info("money_unit") == old.info("money_unit")
    assert new.info("publish_date") == "" and new.info("evaluation_date") == ""
    assert new.info("name") == old.info("name") and new.info("code") == old.info("code")
    for key in ("summary", "other"):
        assert all(r.num("current") == 0 and r.text("reason") == "" for r in new.table(key).rows)
    assert all(r.num("actual") == 0 and r.num("budget") == 0 for r in new.table("three_public").rows)
    assert all(r.num("total") == 0 and r.num("budget") == 0 for r in new.table("gp").rows)
    assert not new.table("income").rows and not new.table("expense").rows
    for p in new.table("projects").rows:
        assert (p.num("budget"), p.num("spent"), p.text("achieved"), p.optional("self_score")) == (0, 0, "", None)
    assert [r.text("level3") for r in new.table("indicators").rows] == [r.text("level3") for r in old.table("indicators").rows]
    assert all(r.text("actual") == "" and r.optional("score") is None for r in new.table("indicators").rows)
    for key in (f.key for f in schema.TEXTS.rows):
        assert new.text(key) == old.text(key)


def _raw(path: Path, sheet: str) -> dict[str, dict[str, object]]:
    """Cells of an items sheet by row label and header label, as stored."""
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[2]]
    return {str(r[0].value): dict(zip(header, (c.value for c in r), strict=False)) for r in ws.iter_rows(min_row=3)}


@pytest.mark.parametrize("book", [LIZHOU, WULONG], ids=["元", "万元"])
def test_amounts_keep_last_years_unit_and_blanks_stay_blank(carried, book):
    """A 元 workbook stays in 元 and a 万元 one in 万元; a figure left blank last year is still “not given”."""
    _, _, path = carried(book.stem)
    last, now = _raw(book, "收支总表"), _raw(path, "收支总表")
    for label in (f.label for f in schema.SUMMARY.rows):
        assert now[label]["上年数"] == last[label]["本年数"], label
    assert any(last[label]["本年数"] is None for label in last)  # the samples leave some totals blank


def test_texts_are_marked_for_review_and_listed_in_the_instructions(carried):
    _, _, path = carried(LIZHOU.stem)
    wb = openpyxl.load_workbook(path)
    texts = wb["文字材料"]
    assert texts["B3"].value and texts["B3"].fill.fgColor.rgb == REVIEW_FILL.fgColor.rgb
    listed = [str(c.value) for c in wb["填表说明"]["A"] if c.value]
    assert any("改写：文字材料 B3" in line and "主要职能" in line for line in listed)
    assert any("填写：基本信息" in line and "公开日期" in line for line in listed)
    link = next(c for c in wb["填表说明"]["A"] if str(c.value).startswith("  改写：文字材料 B3"))
    assert link.hyperlink.location == "'文字材料'!B3" or link.hyperlink.target == "#'文字材料'!B3"


def test_glossary_entries_are_carried_for_review(tmp_path):
    book = tmp_path / "上年.xlsx"
    wb = openpyxl.load_workbook(LIZHOU)
    wb["名词解释"]["A3"], wb["名词解释"]["B3"] = "政务服务", "指本单位为企业和群众办理行政审批等事项。"
    wb.save(book)
    carried = carry_over(book, tmp_path / "2021.xlsx")
    new = openpyxl.load_workbook(carried.path)
    assert new["名词解释"]["A3"].value == "政务服务"
    assert new["名词解释"]["B3"].fill.fgColor.rgb == REVIEW_FILL.fgColor.rgb
    assert any(m.sheet == "名词解释" and m.cell == "B3" and "政务服务" in m.what for m in carried.marks)
    assert read_workbook(typed_project_amounts(carried.path)).table("glossary").rows[0].text("text").startswith("指本单位")


def test_init_from_on_the_command_line(tmp_path, capsys):
    target = tmp_path / "2021.xlsx"
    assert main(["init", str(target), "--from", str(LIZHOU)]) == 0
    out = capsys.readouterr().out
    assert "2021 年度" in out and "上年数" in out and "金额单位：元" in out and "橙色" in out
    before = target.read_bytes()
    assert main(["init", str(target), "--from", str(LIZHOU)]) == 2
    assert "已存在" in capsys.readouterr().err and target.read_bytes() == before
    assert main(["init", str(target), "--from", str(LIZHOU), "--force"]) == 0
    assert read_info(target).get("year").text("value") == "2021"


def test_carried_projects_wait_for_this_years_amounts(tmp_path, capsys):
    """The carried projects' 全年预算数/全年执行数 are blank (not given): listed to fill, and check names the cell
    until the officer types them."""
    target = tmp_path / "2021.xlsx"
    assert main(["init", str(target), "--from", str(LIZHOU)]) == 0
    out = capsys.readouterr().out
    projects = read_workbook(LIZHOU).table("projects").rows
    assert f"“项目绩效”表 {len(projects)} 个项目的全年预算数、全年执行数须填写" in out
    ws = openpyxl.load_workbook(target)["项目绩效"]
    header = [c.value for c in ws[2]]
    budget, spent = (header.index(label) + 1 for label in ("全年预算数", "全年执行数"))
    assert all(ws.cell(3 + i, c).value is None for i in range(len(projects)) for c in (budget, spent))
    listed = [str(c.value) for c in openpyxl.load_workbook(target)["填表说明"]["A"] if c.value]
    first = f"{ws.cell(3, budget).column_letter}3"
    assert any(f"填写：项目绩效 {first}" in line and projects[0].text("name") in line for line in listed)
    assert ws[first].fill.fgColor.rgb == REVIEW_FILL.fgColor.rgb
    assert main(["check", str(target)]) == 2
    shown = capsys.readouterr().out
    assert "2021.xlsx" in shown and "项目绩效" in shown and first in shown and "全年预算数" in shown
    typed = read_workbook(typed_project_amounts(target, target)).table("projects").rows
    assert [r.text("name") for r in typed] == [r.text("name") for r in projects]


def test_init_from_refuses_a_year_that_does_not_follow(tmp_path, capsys):
    target = tmp_path / "2023.xlsx"
    assert main(["init", str(target), "--from", str(LIZHOU), "--year", "2023"]) == 2
    err = capsys.readouterr().err
    assert "应为 2021" in err and LIZHOU.name in err and not target.exists()


def test_init_from_a_broken_workbook_names_the_cell_and_writes_nothing(tmp_path, capsys):
    broken = tmp_path / "上年.xlsx"
    wb = openpyxl.load_workbook(LIZHOU)
    ws = wb["收支总表"]
    ws["B3"] = "一百万"
    wb.save(broken)
    target = tmp_path / "2021.xlsx"
    assert main(["init", str(target), "--from", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "上年.xlsx" in err and "收支总表" in err and "B3" in err and not target.exists()


# ---------------------------------------------------------------- a whole folder: batch --next-year
def test_a_folder_of_last_years_workbooks_becomes_next_years_folder(tmp_path, capsys):
    """Every unit of the latest year is carried into the new folder (sub-folders and names kept, the year in a name
    follows); another year's workbook, a broken one and a file that is not a workbook are each a row; a second run
    overwrites nothing."""
    import shutil

    old = tmp_path / "2020年"
    shutil.copytree(YIYANG.parent, old / "益阳")
    shutil.copy(LIZHOU, old / LIZHOU.name)
    shutil.copy(next(p for p in SAMPLES if p.name.endswith("_2024.xlsx")), old / "金口河_2024.xlsx")  # the latest year: only it is carried
    (old / "坏的_2024.xlsx").write_bytes(b"not a workbook")
    new = tmp_path / "2025年"
    assert main(["batch", str(old), "--next-year", str(new)]) == 2  # the broken file is a failure
    out = capsys.readouterr().out
    assert sorted(p.relative_to(new).as_posix() for p in new.rglob("*.xlsx")) == ["金口河_2025.xlsx"]
    lines = {line.split()[1].split("：")[0]: line.split()[0] for line in out.splitlines() if line.startswith("  ")}
    assert lines["金口河_2024.xlsx"] == "已生成" and lines["坏的_2024.xlsx"] == "失败"
    assert lines[LIZHOU.name] == "未处理" and lines["益阳/益阳市政务服务热线中心_2020.xlsx"] == "未处理"
    assert "找到工作簿 7 本：生成 2025 年度工作簿 1 本，失败 1 本，未处理 5 本" in out
    assert read_info(new / "金口河_2025.xlsx").get("year").text("value") == "2025"


def test_a_department_folder_carried_unit_by_unit(tmp_path, capsys):
    department = YIYANG.parent
    new = tmp_path / "2021"
    assert main(["init", str(new), "--from", str(department)]) == 0
    made = sorted(p.name for p in new.glob("*.xlsx"))
    assert made == sorted(p.name.replace("2020", "2021") for p in department.glob("*.xlsx"))
    for book in department.glob("*.xlsx"):
        carried = new / book.name.replace("2020", "2021")
        last, this = read_info(book), read_info(carried)
        assert this.get("parent_code").text("value") == last.get("parent_code").text("value")  # kept for next batch
        assert this.get("year").text("value") == "2021"
        ws_last, ws_this = openpyxl.load_workbook(book)["收支总表"], openpyxl.load_workbook(carried)["收支总表"]
        assert ws_this[_cell_of(ws_this, "本年收入合计", "上年数")].value == ws_last[_cell_of(ws_last, "本年收入合计", "本年数")].value
    before = {p: p.read_bytes() for p in new.glob("*.xlsx")}
    assert main(["batch", str(department), "--next-year", str(new)]) == 2
    assert "文件已存在，未覆盖" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in new.glob("*.xlsx")} == before


def test_next_year_refuses_a_folder_inside_last_years(tmp_path, capsys):
    old = tmp_path / "2020"
    old.mkdir()
    assert main(["batch", str(old), "--next-year", str(old / "2021")]) == 2
    assert "不能是上年文件夹本身或在它里面" in capsys.readouterr().err


# ---------------------------------------------------------------- --previous compares 02, 03 and 06 as well
def _cell_of(ws, row_label: str, column_label: str, key_col: int = 1) -> str:
    """The address of the cell in the row whose first (or key) column reads `row_label`, under `column_label`."""
    header = next(r for r in ws.iter_rows(max_row=5) if any(c.value == column_label for c in r))
    col = next(c.column_letter for c in header if c.value == column_label)
    row = next(r[0].row for r in ws.iter_rows(min_row=header[0].row + 1) if str(r[key_col - 1].value) == row_label)
    return f"{col}{row}"


def _findings(this: Path, last: Path) -> list:
    return [f for f in run_checks(read_workbook(this), previous=read_workbook(last)) if f.rule == "上年数"]


def _places(findings) -> set[str]:
    return {f"{Path(i.where.file).name}!{i.where.sheet}!{i.where.cell}" for f in findings for i in f.cells}


def test_previous_compares_last_years_income_and_expense_tables(tmp_path):
    """Last year's 02 and 03 totals must agree with this year's 上年数 in 收支总表 (01 alone agreeing is not enough)."""
    last = tmp_path / "2020.xlsx"
    wb = openpyxl.load_workbook(LIZHOU)
    for sheet, column in (("收入决算表", "本年收入合计"), ("支出决算表", "本年支出合计")):
        ws = wb[sheet]
        address = _cell_of(ws, str(read_workbook(LIZHOU).table("income" if sheet == "收入决算表" else "expense").rows[0].text("code")), column)
        ws[address] = float(ws[address].value) + 100  # the 类 row, where the table total comes from
    wb.save(last)
    # 上年数 from last year's 01, as typed; this year's project amounts typed as the officer must
    this = typed_project_amounts(carry_over(LIZHOU, tmp_path / "carried.xlsx").path, tmp_path / "2021.xlsx")
    assert not _findings(this, LIZHOU)
    found = _findings(this, last)
    messages = " ".join(f.message for f in found)
    assert "收入决算表合计的“本年收入合计”" in messages and "支出决算表合计的“本年支出合计”" in messages
    summary = openpyxl.load_workbook(this)["收支总表"]
    assert {f"2021.xlsx!收支总表!{_cell_of(summary, '本年收入合计', '上年数')}",
            f"2021.xlsx!收支总表!{_cell_of(summary, '本年支出合计', '上年数')}",
            "2020.xlsx!收入决算表!", "2020.xlsx!支出决算表!"} <= _places(found)
    assert all(f.severity == "warning" for f in found)


def test_a_blank_previous_total_is_not_compared_with_last_years_tables(tmp_path):
    """本年收入合计's 上年数 left blank while this year has a figure is not given: nothing to compare with 02's total
    (the template's previous.summary requirement names the cell), never a 0 that disagrees."""
    this = typed_project_amounts(carry_over(LIZHOU, tmp_path / "carried.xlsx").path, tmp_path / "2021.xlsx")
    wb = openpyxl.load_workbook(this)
    ws = wb["收支总表"]
    ws[_cell_of(ws, "本年收入合计", "本年数")] = 1000
    ws[_cell_of(ws, "本年收入合计", "上年数")] = None
    wb.save(this)
    assert not [f for f in _findings(this, LIZHOU) if "收入决算表合计" in f.message]


def test_previous_compares_basic_spending_by_code(tmp_path):
    this = typed_project_amounts(carry_over(LIZHOU, tmp_path / "carried.xlsx").path, tmp_path / "2021.xlsx")
    wb = openpyxl.load_workbook(this)
    ws = wb["基本支出表"]
    address = _cell_of(ws, "30101", "上年数")
    ws[address] = float(ws[address].value) + 1
    wb.save(this)
    found = _findings(this, LIZHOU)
    assert len(found) == 1 and "基本支出表 30101" in found[0].message
    assert f"2021.xlsx!基本支出表!{address}" in _places(found)
    assert any(p.startswith(f"{LIZHOU.name}!基本支出表!C") for p in _places(found))


def _year_2019(tmp_path: Path, basic: dict[str, float] | None = None) -> Path:
    """The 利州 sample as its own 2019 workbook, with some 基本支出表 figures (by code) set."""
    last = tmp_path / "2019.xlsx"
    wb = openpyxl.load_workbook(LIZHOU)
    next(r for r in wb["基本信息"].iter_rows() if str(r[0].value).startswith("年度"))[1].value = 2019
    ws = wb["基本支出表"]
    for code, value in (basic or {}).items():
        ws[_cell_of(ws, code, "人员经费" if code in ("301", "303") else "公用经费")] = value
    wb.save(last)
    return last


def test_basic_spending_previous_given_on_class_rows_only(tmp_path):
    """The samples give 06's 上年数 on the 类 rows (301, 302, 303) only: the blank 款 rows are not given, not 0."""
    stated = {r.text("code"): float(r.num("previous")) for r in read_workbook(LIZHOU).table("basic").rows
              if r.optional("previous") is not None}
    assert set(stated) == {"301", "302", "303"}
    assert not [f for f in _findings(LIZHOU, _year_2019(tmp_path, stated)) if "基本支出表" in f.message]
    found = [f for f in _findings(LIZHOU, _year_2019(tmp_path, {**stated, "302": stated["302"] + 1}))
             if "基本支出表" in f.message]
    assert len(found) == 1 and "基本支出表 302" in found[0].message
    ws = openpyxl.load_workbook(LIZHOU)["基本支出表"]
    assert f"{LIZHOU.name}!基本支出表!{_cell_of(ws, '302', '上年数')}" in _places(found)
    assert f"2019.xlsx!基本支出表!{_cell_of(ws, '302', '公用经费')}" in _places(found)


def test_a_blank_previous_column_in_basic_spending_is_one_finding(tmp_path):
    """06's 上年数 column left wholly blank: one warning naming the column, not one per row."""
    this = tmp_path / "2020.xlsx"
    wb = openpyxl.load_workbook(LIZHOU)
    ws = wb["基本支出表"]
    column = _cell_of(ws, "301", "上年数").rstrip("0123456789")
    for cell in ws[column][2:]:
        cell.value = None
    wb.save(this)
    found = [f for f in _findings(this, _year_2019(tmp_path)) if "基本支出表" in f.message]
    assert len(found) == 1 and "没有填写" in found[0].message
    assert found[0].cells[0].where.sheet == "基本支出表" and ":" in found[0].cells[0].where.cell
