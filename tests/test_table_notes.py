"""An all-zero 公开表 says so in the same words everywhere: “注：…年度无…，本表无数据。” under the table."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from docx import Document

from generator.document.context import build_context
from generator.document.pipeline import generate_document
from generator.document.public_tables import public_tables
from generator.document.public_tables_xlsx import write_public_tables
from generator.document.render import document_text
from generator.document.templates import find
from generator.figures.report import build_report
from generator.workbook.reader import read_workbook
from tests.conftest import LIZHOU, ROOT

HOTLINE = ROOT / "data_samples" / "益阳市行政审批服务局（部门）" / "益阳市政务服务热线中心_2020.xlsx"  # no 三公 at all
NOTE_07 = "注：政务服务热线中心2020年度无一般公共预算财政拨款“三公”经费预算和支出，本表无数据。"
NOTE_08 = "注：政务服务热线中心2020年度无政府性基金预算财政拨款收支，本表无数据。"


def _notes(book: Path) -> dict[str, str]:
    spec = find("sichuan_juesuan")
    return build_context(build_report(read_workbook(book)), spec.display, spec.charts)["tables"]["notes"]


def test_only_the_tables_with_nothing_in_them_carry_a_note():
    assert {k: v for k, v in _notes(HOTLINE).items() if v} == {
        "t07": NOTE_07, "t08": NOTE_08, "t09": "注：政务服务热线中心2020年度无国有资本经营预算财政拨款收支，本表无数据。"}
    assert {k for k, v in _notes(LIZHOU).items() if v} == {"t08", "t09"}  # 利州 has 三公 figures


def test_the_word_07_table_of_a_unit_without_three_public_spending_says_so(tmp_path):
    text = document_text(Document(str(generate_document(HOTLINE, "sichuan_juesuan", tmp_path).path)))
    t07, t08 = text.index("公开07表"), text.index("公开08表")
    assert text.index(NOTE_07) in range(t07, t08)  # under 07, before 08's title
    assert text.index(NOTE_08) > t08
    assert text.count("本表无数据") == 3  # 07, 08, 09: nothing else says it


def test_the_xlsx_07_sheet_carries_the_same_note(tmp_path):
    report = build_report(read_workbook(HOTLINE))
    ws = openpyxl.load_workbook(write_public_tables(report, tmp_path / "公开表.xlsx"))["公开07表"]
    assert NOTE_07 in [c.value for c in ws["A"]]


def test_a_table_with_figures_gets_no_note():
    assert not [t.no for t in public_tables(build_report(read_workbook(LIZHOU))) if t.empty_note and t.no < "08"]
