"""The nine 公开表 as .xlsx: the Word 附表's figures, laid out as published; and read back into a workbook."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from generator.cli import main
from generator.document.context import Formatter, build_context
from generator.document.public_tables import TITLES, public_tables
from generator.document.public_tables_xlsx import write_public_tables
from generator.document.templates import find
from generator.figures.report import build_report
from generator.wording.numbers import WAN
from generator.workbook.reader import read_workbook
from tests.conftest import LIZHOU, SAMPLES, YIYANG
from tests.test_yearly import typed_project_amounts

SPEC = find("sichuan_juesuan")
BOOKS = {b.stem: b for b in SAMPLES}
CELL = Formatter(SPEC.display, "", "").cell  # how the Word 附表 prints an amount


def _shown(value: object) -> str:
    """A cell of the .xlsx as the Word 附表 would print it."""
    if isinstance(value, int | float):
        return CELL(Decimal(str(value)) * WAN)
    return "" if value is None else str(value)


def _rows(ws, header_rows: int) -> list[list[str]]:
    """The data rows of a 公开表 sheet, up to a 注 line."""
    out = []
    for row in ws.iter_rows(min_row=4 + header_rows, values_only=True):
        if isinstance(row[0], str) and row[0].startswith("注："):
            break
        out.append([_shown(v) for v in row])
    return out


def _word_rows(tables: dict) -> dict[str, list[list[str]]]:
    """The context's 附表 rows (what the Word document prints), as lists of printed cells."""
    coded = {k: [[r["code"], r["name"], *r["cells"]] for r in tables[k]] for k in ("t02", "t03", "t05", "t06", "t08", "t09")}
    return {"01": tables["t01"], "02": coded["t02"], "03": coded["t03"], "04": tables["t04"], "05": coded["t05"],
            "06": coded["t06"], "07": [["预算数", *tables["t07"]["budget"]], ["决算数", *tables["t07"]["actual"]]],
            "08": coded["t08"], "09": coded["t09"]}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, tuple]:
    """Every sample's report and its 公开表.xlsx: stem → (report, path)."""
    out = tmp_path_factory.mktemp("tables")
    result = {}
    for book in SAMPLES:
        report = build_report(read_workbook(book))
        result[book.stem] = (report, write_public_tables(report, out / f"{book.stem}_公开表.xlsx"))
    return result


@pytest.mark.parametrize("stem", [b.stem for b in SAMPLES])
def test_the_xlsx_holds_the_word_tables_figures(exported, stem):
    report, path = exported[stem]
    name = read_workbook(BOOKS[stem]).info("name")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [f"公开{no:02d}表" for no in range(1, 10)]
    word = _word_rows(build_context(report, SPEC.display, SPEC.charts)["tables"])
    for table in public_tables(report):
        ws = wb[table.sheet_name]
        assert ws["A1"].value == TITLES[table.no]
        assert ws["A3"].value == f"编制单位：{name}"
        assert ws.cell(3, len(table.widths)).value == "金额单位：万元"
        assert ws["A2"].value == f"{report.year}年度"
        assert _rows(ws, len(table.header)) == [list(r) for r in word[table.no]], table.no


def test_amounts_are_exact_wan_yuan_with_two_decimals_shown(exported):
    """A 元 workbook's 1,234.56 元 is stored as 0.123456 万元: rounding is the display's, sums stay true."""
    report, path = exported[LIZHOU.stem]
    ws = openpyxl.load_workbook(path)["公开05表"]
    first = report.gp_subjects[0]
    row = next(r for r in ws.iter_rows(min_row=6) if r[0].value == first.code)
    assert Decimal(str(row[3].value)) * WAN == first.row.num("total")
    assert row[3].number_format == "#,##0.00" and row[0].number_format == "@"


def test_published_layout_merged_headers_borders_and_print_setup(exported):
    _, path = exported[LIZHOU.stem]
    wb = openpyxl.load_workbook(path)
    ws = wb["公开05表"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:F1", "D4:F4", "A4:A5", "B4:B5", "C4:C5"} <= merged
    assert [ws.cell(5, c).value for c in (4, 5, 6)] == ["合计", "基本支出", "项目支出"]
    assert ws["D4"].value == "决算数" and ws["B6"].value == "合计"
    for cell in (ws["A4"], ws["D5"], ws["C6"], ws.cell(ws.max_row, 6)):
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$4:$5"
    t07 = wb["公开07表"]
    assert "D4:F4" in {str(m) for m in t07.merged_cells.ranges} and t07["D5"].value == "小计"
    assert wb["公开02表"].print_title_rows == "$4:$4"


def test_an_empty_table_says_so(exported):
    report, path = exported[LIZHOU.stem]
    data = read_workbook(LIZHOU)
    assert not report.fund_subjects and not data.table("fund").rows
    ws = openpyxl.load_workbook(path)["公开08表"]
    short = data.info("short_name") or data.info("name")
    assert ws["A6"].value == f"注：{short}{data.info('year')}年度无政府性基金预算财政拨款收支，本表无数据。"


def _table_after(doc, heading: str) -> DocxTable:
    """The Word table that follows the paragraph starting with `heading`."""
    seen = False
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p") and Paragraph(child, doc).text.startswith(heading):
            seen = True
        elif seen and child.tag.endswith("}tbl"):
            return DocxTable(child, doc)
    raise AssertionError(f"no table after {heading}")


def test_generate_tables_xlsx_writes_both_and_they_agree(tmp_path, capsys):
    assert main(["generate", str(LIZHOU), "--template", "sichuan_juesuan", "--output", str(tmp_path), "--tables-xlsx"]) == 0
    out = capsys.readouterr().out
    docx = next(tmp_path.glob("*.docx"))
    xlsx = tmp_path / f"{docx.stem}_公开表.xlsx"
    assert xlsx.exists() and str(xlsx) in out
    doc = Document(str(docx))
    wb = openpyxl.load_workbook(xlsx)
    for no, header_rows in (("05", 2), ("02", 1), ("06", 1)):
        word = _table_after(doc, f"公开{no}表")
        printed = [[c.text for c in row.cells] for row in word.rows[header_rows:]]
        assert printed and printed == _rows(wb[f"公开{no}表"], header_rows), no
    assert not list(Path(tmp_path).glob(".*.tmp"))


@pytest.mark.slow
def test_batch_tables_xlsx_beside_every_document_and_the_summary_agrees(tmp_path, capsys):
    """`batch --tables-xlsx`: each unit's document and the 部门汇总 get their 公开表 .xlsx, with the Word tables'
    figures; a rerun keeps both; a removed .xlsx is made again."""
    out = tmp_path / "out"
    assert main(["batch", str(YIYANG.parent), "--output", str(out), "--tables-xlsx"]) == 0
    documents = sorted(out.glob("*.docx"))
    assert len(documents) == 5 and any("部门汇总" in d.name for d in documents)
    for docx in documents:
        xlsx = out / f"{docx.stem}_公开表.xlsx"
        doc, wb = Document(str(docx)), openpyxl.load_workbook(xlsx)
        for no, header_rows in (("01", 1), ("05", 2)):
            printed = [[c.text for c in row.cells] for row in _table_after(doc, f"公开{no}表").rows[header_rows:]]
            assert printed and printed == _rows(wb[f"公开{no}表"], header_rows), (docx.name, no)
    summary = next(d for d in documents if "部门汇总" in d.name)
    (out / f"{summary.stem}_公开表.xlsx").unlink()
    capsys.readouterr()
    assert main(["batch", str(YIYANG.parent), "--output", str(out), "--tables-xlsx"]) == 0
    assert "新生成 1，未变化 4" in capsys.readouterr().out
    assert (out / f"{summary.stem}_公开表.xlsx").is_file()


# ---------------------------------------------------------------- import: 公开表 → our workbook
FIXTURES = Path(__file__).parent / "fixtures"
JUNSHAN = next(b for b in SAMPLES if b.stem.startswith("岳阳市君山区"))


def _target(path: Path, like: Path, money_unit: str | None = None) -> Path:
    """A blank workbook from `init` with what the officer types first: 基本信息 and the two required texts."""
    from generator.workbook.blank import write_workbook

    data = read_workbook(like)
    write_workbook(path, overwrite=True)
    wb = openpyxl.load_workbook(path)
    for row in wb["基本信息"].iter_rows(min_row=3):
        key = str(row[0].value).removesuffix("（必填）")
        values = {"单位编码": data.info("code"), "单位性质": data.info("unit_kind"),
                  "金额单位": money_unit or data.info("money_unit")}
        if key in values:
            row[1].value = values[key]
    wb["文字材料"]["B3"], wb["文字材料"]["B4"] = "主要职能的文字。", "重点工作的文字。"
    wb.save(path)
    return path


def _tables_of(path: Path) -> list:
    return [(t.no, t.rows) for t in public_tables(build_report(read_workbook(path)))]


@pytest.mark.slow
@pytest.mark.parametrize("stem", [b.stem for b in SAMPLES])
def test_round_trip_gives_identical_figures(exported, tmp_path, stem):
    """our workbook → 公开表.xlsx → import into a blank workbook → read: the nine tables are the same.

    Identical means what the documents print: a figure our workbook left blank comes back as an explicit 0 (the
    table printed 0.00), which prints the same; the 上年数 are not in the 公开表 and stay blank (not given)."""
    from generator.workbook.public_tables_import import import_public_tables

    report, xlsx = exported[stem]
    target = _target(tmp_path / "本单位.xlsx", BOOKS[stem])
    result = import_public_tables(xlsx, target)
    assert result.complete and not result.imported.problems
    assert _tables_of(target) == [(t.no, t.rows) for t in public_tables(report)]
    data = read_workbook(target)
    printed = [_word_rows(build_context(r, SPEC.display, SPEC.charts)["tables"]) for r in (build_report(data), report)]
    assert printed[0] == printed[1]
    assert all(r.optional("previous") is None for key in ("summary", "fiscal", "three_public") for r in data.table(key).rows)
    assert data.info("name") == read_workbook(BOOKS[stem]).info("name") and data.info("year") == str(report.year)


def test_round_trip_into_a_workbook_in_yuan(exported, tmp_path):
    """Tables in 万元 into a workbook kept in 元: the workbook's own unit is written, the figures stay."""
    report, xlsx = exported[JUNSHAN.stem]
    assert read_workbook(JUNSHAN).info("money_unit") == "万元"
    target = _target(tmp_path / "本单位.xlsx", JUNSHAN, money_unit="元")
    assert main(["import", str(xlsx), "--into", str(target)]) == 0
    assert _tables_of(target) == [(t.no, t.rows) for t in public_tables(report)]
    summary = openpyxl.load_workbook(target)["收支总表"]
    assert summary["B11"].value == pytest.approx(float(report.income_total.current))


def test_import_keeps_last_years_figures_texts_and_the_input(exported, tmp_path, capsys):
    """The yearly routine: init --from, then import this year's tables; 上年数, reasons and texts stay."""
    report, xlsx = exported[JUNSHAN.stem]
    last_year = tmp_path / "2019.xlsx"
    wb = openpyxl.load_workbook(JUNSHAN)
    year_row = next(r for r in wb["基本信息"].iter_rows() if str(r[0].value).startswith("年度"))
    year_row[1].value = 2019
    wb.save(last_year)
    target = tmp_path / "2020.xlsx"
    assert main(["init", str(target), "--from", str(last_year)]) == 0
    before = read_workbook(typed_project_amounts(target, target))  # the 公开表 have no project amounts
    source_bytes = xlsx.read_bytes()
    assert main(["import", str(xlsx), "--into", str(target)]) == 0
    assert xlsx.read_bytes() == source_bytes
    after = read_workbook(target)
    assert _tables_of(target) == [(t.no, t.rows) for t in public_tables(report)]
    for key in ("summary", "three_public", "other", "fiscal"):  # a blank 上年数 stays blank (not given)
        assert [r.optional("previous") for r in after.table(key).rows] == \
               [r.optional("previous") for r in before.table(key).rows]
    assert {c: r.num("previous") for c, r in after.table("gp").by_key.items() if r.num("previous")} == \
           {c: r.num("previous") for c, r in before.table("gp").by_key.items()}
    assert after.text("functions") == before.text("functions")
    assert build_report(after).income_total.previous == build_report(read_workbook(JUNSHAN)).income_total.current
    assert not list(tmp_path.glob(".*.tmp"))
    assert "已导入到" in capsys.readouterr().out


def test_old_xls_reads_like_the_xlsx(tmp_path):
    """A .xls (made once with LibreOffice from our export of the 君山 sample, tests/fixtures) reads through calamine."""
    target = _target(tmp_path / "本单位.xlsx", JUNSHAN)
    assert main(["import", str(FIXTURES / "岳阳市君山区行政审批服务局_2020_公开表.xls"), "--into", str(target)]) == 0
    assert _tables_of(target) == _tables_of(JUNSHAN)


# hand-made variants of our export, built here from code
def _copy_sheet(ws_in, ws, rows: int = 0, cols: int = 0, yuan: bool = False) -> None:
    """Values and merges of `ws_in` into `ws`, moved down `rows` and right `cols`; amounts in 元 if asked."""
    for row in ws_in.iter_rows():
        for c in row:
            value = c.value
            if value is None or type(c).__name__ == "MergedCell":
                continue
            if yuan and isinstance(value, int | float):
                value = float(Decimal(str(value)) * WAN)
            elif yuan and value == "金额单位：万元":
                value = "单位：元"
            ws.cell(c.row + rows, c.column + cols, value)
    for m in ws_in.merged_cells.ranges:
        ws.merge_cells(start_row=m.min_row + rows, start_column=m.min_col + cols,
                       end_row=m.max_row + rows, end_column=m.max_col + cols)


def _variant(src: Path, dest: Path, yuan: bool = False, stacked: bool = False, drop: tuple[str, ...] = ()) -> Path:
    """Title rows added above each table, a blank first column, 元 instead of 万元, all tables on one sheet."""
    wb_in = openpyxl.load_workbook(src)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    row = 0
    for i, ws_in in enumerate(wb_in.worksheets, 1):
        if ws_in.title in drop:
            continue
        ws = wb["部门决算公开表"] if stacked and i > 1 else wb.create_sheet("部门决算公开表" if stacked else f"Sheet{i}")
        ws.cell(row + 1, 2, f"附件{i}")
        ws.cell(row + 2, 2, "益阳市2020年度部门决算公开资料")
        _copy_sheet(ws_in, ws, rows=row + 3, cols=1, yuan=yuan)
        row = ws.max_row + 2 if stacked else 0
    wb.save(dest)
    return dest


@pytest.mark.parametrize(("yuan", "stacked"), [(False, False), (True, False), (True, True)],
                         ids=["标题行", "元", "一个工作表"])
def test_variants_of_the_export_read_the_same(exported, tmp_path, yuan, stacked):
    report, xlsx = exported[JUNSHAN.stem]
    source = _variant(xlsx, tmp_path / "公开表.xlsx", yuan=yuan, stacked=stacked)
    target = _target(tmp_path / "本单位.xlsx", JUNSHAN)
    assert main(["import", str(source), "--into", str(target)]) == 0
    assert _tables_of(target) == [(t.no, t.rows) for t in public_tables(report)]


def _split_codes(ws, subjects) -> None:
    """05 as some systems print it: 科目编码 in 类 | 款 | 项 columns (parts, blank under their parent),
    names marked （类）（款）（项） and indented, a 栏次 row, no 合计 row."""
    ws.delete_rows(1, ws.max_row)
    ws.merged_cells.ranges.clear() if hasattr(ws.merged_cells.ranges, "clear") else None
    ws.append(["一般公共预算财政拨款支出决算表"])
    ws.append([None, None, None, None, None, None, None, "单位：万元"])
    ws.append(["科目编码", None, None, "科目名称", "预算数", "决算数", None, None])
    ws.append(["类", "款", "项", None, None, "合计", "基本支出", "项目支出"])
    ws.append(["栏次", None, None, None, 1, 2, 3, 4])
    for s in subjects:
        parts = {1: [s.code, None, None], 2: [None, s.code[3:5], None], 3: [None, None, s.code[5:7]]}[s.level]
        name = "　" * (s.level - 1) + s.name + "（" + "类款项"[s.level - 1] + "）"
        ws.append([*parts, name, *(float(s.row.num(c) / WAN) for c in ("budget", "total", "basic", "project"))])
    for cells in ("A3:C3", "D3:D4", "E3:E4", "F3:H3"):
        ws.merge_cells(cells)


def _code_and_name_in_one_cell(ws, subjects) -> None:
    """03 with “2010301 行政运行” in one 科目编码 column and no 科目名称 column."""
    ws.delete_rows(1, ws.max_row)
    ws.append(["支出决算表"])
    ws.append(["金额单位：万元"])
    ws.append(["科目编码", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"])
    for s in subjects:
        ws.append([f"{s.code} {s.name}", *(float(s.row.num(c) / WAN) for c in ("total", "basic", "project", "remit", "operating", "subsidy"))])


def _three_public_by_rows(ws, report) -> None:
    """07 the other way round: one row per item, 预算数 and 决算数 as columns."""
    ws.delete_rows(1, ws.max_row)
    ws.append(["一般公共预算财政拨款“三公”经费支出决算表"])
    ws.append(["编制单位：某单位", None, "金额单位：万元"])
    ws.append(["项目", "预算数", "决算数"])
    for key, name in (("total", "合计"), ("abroad", "1.因公出国（境）费"), ("car", "2.公务用车购置及运行维护费"),
                      ("car_purchase", "（1）公务用车购置费"), ("car_running", "（2）公务用车运行维护费"),
                      ("reception", "3.公务接待费")):
        item = report.three(key)
        ws.append([name, float(item.budget / WAN), float(item.actual / WAN)])


def test_codes_in_parts_codes_with_names_and_a_turned_three_public_table(exported, tmp_path):
    report, xlsx = exported[JUNSHAN.stem]
    wb = openpyxl.load_workbook(xlsx)
    for sheet in ("公开05表", "公开03表", "公开07表"):
        for m in list(wb[sheet].merged_cells.ranges):
            wb[sheet].unmerge_cells(str(m))
    _split_codes(wb["公开05表"], report.gp_subjects)
    _code_and_name_in_one_cell(wb["公开03表"], report.expense_subjects)
    _three_public_by_rows(wb["公开07表"], report)
    source = tmp_path / "公开表.xlsx"
    wb.save(source)
    target = _target(tmp_path / "本单位.xlsx", JUNSHAN)
    assert main(["import", str(source), "--into", str(target)]) == 0
    assert _tables_of(target) == [(t.no, t.rows) for t in public_tables(report)]


def test_what_cannot_be_placed_is_reported_with_its_cell(exported, tmp_path, capsys):
    report, xlsx = exported[JUNSHAN.stem]
    wb = openpyxl.load_workbook(xlsx)
    t01 = wb["公开01表"]
    t01.insert_rows(14)
    t01["A14"], t01["B14"] = "九、其他补助收入", 5
    t03 = wb["公开03表"]
    t03["I4"] = "备注金额"
    for r in range(6, 9):
        t03.cell(r, 9, 1.5)
    del wb["公开04表"]
    source = tmp_path / "公开表.xlsx"
    wb.save(source)
    target = _target(tmp_path / "本单位.xlsx", JUNSHAN)
    assert main(["import", str(source), "--into", str(target)]) == 1
    out = capsys.readouterr().out
    assert "未导入：文件「公开表.xlsx」，工作表「公开01表」，单元格 B14" in out and "其他补助收入" in out
    assert "工作表「公开03表」，单元格 I6:I8" in out and "备注金额" in out and "3 个数值" in out
    assert "未找到：公开04表 财政拨款收入支出决算总表" in out
    assert "公开08表" not in out.split("未找到")[-1] or "可忽略" in out
    assert read_workbook(target).table("gp").by_key  # the rest was imported


def test_unit_not_stated_is_read_as_wan_and_said(exported, tmp_path, capsys):
    report, xlsx = exported[JUNSHAN.stem]
    wb = openpyxl.load_workbook(xlsx)
    wb["公开06表"]["E3"] = None
    source = tmp_path / "公开表.xlsx"
    wb.save(source)
    target = _target(tmp_path / "本单位.xlsx", JUNSHAN)
    assert main(["import", str(source), "--into", str(target)]) == 1
    out = capsys.readouterr().out
    assert "工作表「公开06表」，单元格 A1：公开06表没有写明金额单位，按“万元”读取" in out
    assert _tables_of(target) == [(t.no, t.rows) for t in public_tables(report)]


def test_another_years_tables_are_refused_and_nothing_changes(exported, tmp_path, capsys):
    _, xlsx = exported[JUNSHAN.stem]
    target = _target(tmp_path / "本单位.xlsx", JUNSHAN)
    wb = openpyxl.load_workbook(target)
    year_row = next(r for r in wb["基本信息"].iter_rows() if str(r[0].value).startswith("年度"))
    year_row[1].value = 2021
    wb.save(target)
    before = target.read_bytes()
    assert main(["import", str(xlsx), "--into", str(target)]) == 2
    err = capsys.readouterr().err
    assert "公开表是 2020 年度的，而工作簿的年度是 2021" in err and "本单位.xlsx" in err and "--force" in err
    assert target.read_bytes() == before
    assert main(["import", str(xlsx), "--into", str(target), "--force"]) == 0


def test_import_into_a_new_workbook_and_what_is_not_a_table(exported, tmp_path, capsys):
    _, xlsx = exported[JUNSHAN.stem]
    target = tmp_path / "新单位.xlsx"
    assert main(["import", str(xlsx), "--into", str(target)]) == 0
    out = capsys.readouterr().out
    assert "已新建并导入到" in out and "单位编码" in out
    wb = openpyxl.load_workbook(target)
    assert wb["收入决算表"]["A3"].value == "201"
    other = tmp_path / "其他.xlsx"
    openpyxl.Workbook().save(other)
    assert main(["import", str(other), "--into", str(tmp_path / "x.xlsx")]) == 2
    assert "没有找到任何公开表" in capsys.readouterr().err and not (tmp_path / "x.xlsx").exists()


def test_basic_spending_printed_as_two_halves(tmp_path):
    """06 as often published: 人员经费 on the left, 公用经费 on the right, each with its own code and name columns."""
    from generator.workbook.public_tables_import import read_public_tables

    rows = read_workbook(JUNSHAN).table("basic").rows
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["一般公共预算财政拨款基本支出决算表"])
    ws.append(["编制单位：岳阳市君山区行政审批服务局", None, None, None, None, "单位：万元"])
    ws.append(["人员经费", None, None, "公用经费", None, None])
    ws.append(["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"])
    ws.merge_cells("A3:C3")
    ws.merge_cells("D3:F3")
    left = [(r.text("code"), r.text("name"), float(r.num("personnel") / WAN)) for r in rows if r.num("personnel")]
    right = [(r.text("code"), r.text("name"), float(r.num("public") / WAN)) for r in rows if r.num("public")]
    for i in range(max(len(left), len(right))):
        ws.append([*(left[i] if i < len(left) else (None,) * 3), *(right[i] if i < len(right) else (None,) * 3)])
    source = tmp_path / "06.xlsx"
    wb.save(source)
    imported = read_public_tables(source)
    columns, got = imported.coded["basic"]
    assert columns == ("personnel", "public") and not imported.problems
    assert {g["code"]: (g.get("personnel") or 0, g.get("public") or 0) for g in got} == \
           {r.text("code"): (r.num("personnel"), r.num("public")) for r in rows}
