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
from generator.document.public_tables_xlsx import TITLES, public_tables, write_public_tables
from generator.document.templates import find
from generator.figures.report import build_report
from generator.wording.numbers import WAN
from generator.workbook.reader import read_workbook
from tests.conftest import LIZHOU, SAMPLES

SPEC = find("sichuan_juesuan")
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
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [f"公开{no:02d}表" for no in range(1, 10)]
    word = _word_rows(build_context(report, SPEC.display, SPEC.charts)["tables"])
    for table in public_tables(report):
        ws = wb[table.sheet_name]
        assert ws["A1"].value == TITLES[table.no]
        assert ws["A3"].value == f"编制单位：{report.data.info('name')}"
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
    assert not report.fund_subjects
    ws = openpyxl.load_workbook(path)["公开08表"]
    assert ws["A6"].value == f"注：{report.data.info('short_name') or report.data.info('name')}{report.year}年度无政府性基金预算财政拨款收支，本表无数据。"


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
