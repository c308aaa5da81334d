"""Nothing false in print: each case is a workbook variant whose generated document is read back.

A blank cell is “not given”, a 0 is zero; figures come from the table that holds them; listed items add up to
their total; nothing that did not occur is described as “持平”; no sentence with an empty value.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from generator.checks.rules import run_checks
from generator.document.pipeline import generate_document
from generator.document.render import document_text
from generator.errors import ChecksFailed
from generator.workbook.reader import read_workbook
from tests.conftest import ROOT, WULONG, YIYANG

HOTLINE = ROOT / "data_samples" / "益阳市行政审批服务局（部门）" / "益阳市政务服务热线中心_2020.xlsx"


def _variant(tmp_path: Path, book: Path, sheet: str, edit) -> Path:
    """A copy of a sample workbook with one sheet edited by `edit(worksheet)`."""
    target = tmp_path / book.name
    shutil.copy(book, target)
    wb = openpyxl.load_workbook(target)
    edit(wb[sheet])
    wb.save(target)
    return target


def _column(ws, label: str) -> int:
    return next(c.column for c in ws[2] if c.value == label)


def _blank_basic_previous(ws) -> None:
    col = _column(ws, "上年数")
    for row in range(3, ws.max_row + 1):
        ws.cell(row, col).value = None


def _set_info(key_label: str, value):
    def edit(ws) -> None:
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key_label)
        ws.cell(row, 2).value = value
    return edit


def _text(path: Path) -> str:
    return document_text(Document(str(path)))


def test_seed_002_personnel_change_is_stated(tmp_path):
    text = _text(generate_document(WULONG, "chongqing_juesuan", tmp_path).path)
    assert "人员经费381.06万元，较上年决算数增加26.12万元，增长7.4%" in text
    assert "公用经费118.20万元，较上年决算数增加15.85万元，增长15.5%" in text


def test_blank_prior_year_column_is_not_zero(tmp_path):
    book = _variant(tmp_path, WULONG, "基本支出表", _blank_basic_previous)
    with pytest.raises(ChecksFailed) as failed:
        generate_document(book, "chongqing_juesuan", tmp_path / "cq")
    blank = [f for f in failed.value.findings if f.rule == "模板所需数据"]
    assert blank and all(f.cells[0].where.sheet == "基本支出表" for f in blank)
    assert {f.cells[0].where.cell[:1] for f in blank} == {"E"}  # the 上年数 column, named cell by cell
    assert any("301" in f.message for f in blank)
    draft = _text(generate_document(book, "chongqing_juesuan", tmp_path / "cq", force=True).path)
    assert "人员经费381.06万元，上年决算数数据未填写，无法比较" in draft
    assert "增加381.06万元" not in draft and "增加118.20万元" not in draft
    # The Sichuan layout does not compare 人员经费 with last year: the same workbook is fine for it.
    assert generate_document(book, "sichuan_juesuan", tmp_path / "sc").draft is False


def test_hunan_basic_data_takes_office_and_utilities_from_table_06(tmp_path):
    doc = Document(str(generate_document(YIYANG, "hunan_zhengti_zipingbaogao", tmp_path).path))
    rows = {r.cells[0].text: [c.text for c in r.cells] for t in doc.tables for r in t.rows}
    assert rows["其中：办公经费"][1:] == ["—", "—", "15.41"]
    assert rows["水费、电费、差旅费"][1:] == ["—", "—", "58.26"]  # 水费 8.00 + 电费 35.00 + 差旅费 15.26


def test_listed_projects_add_up_to_the_project_spending(tmp_path):
    text = _text(generate_document(YIYANG, "hunan_zhengti_zipingbaogao", tmp_path).path)
    assert "项目支出144.00万元" in text
    assert "项目支出主要包括：政务大厅综合窗口服务外包98.00万元，税务窗口工作人员经费46.00万元。" in text


def test_what_did_not_occur_is_said_so(tmp_path):
    text = _text(generate_document(HOTLINE, "chongqing_juesuan", tmp_path).path)
    assert "公务用车购置费：本年未发生，年初未安排预算，上年也未发生。" in text
    assert "2020年度未发生“三公”经费支出" in text
    assert "与年初预算数持平。与上年决算数持平" not in text


def test_blank_phone_leaves_the_contact_section_out_and_is_reported(tmp_path):
    book = _variant(tmp_path, WULONG, "基本信息", _set_info("联系电话", None))
    text = _text(generate_document(book, "chongqing_juesuan", tmp_path).path)
    assert "联系方式：。" not in text and "七、决算公开联系方式" not in text
    found = [f for f in run_checks(read_workbook(book)) if f.rule == "联系方式"]
    assert [f.severity for f in found] == ["warning"] and found[0].cells[0].where.sheet == "基本信息"


def test_placeholder_phone_is_an_error(tmp_path):
    book = _variant(tmp_path, WULONG, "基本信息", _set_info("联系电话", "0737-0000000"))
    with pytest.raises(ChecksFailed) as failed:
        generate_document(book, "chongqing_juesuan", tmp_path)
    assert any(f.rule == "联系方式" and "占位号码" in f.message for f in failed.value.findings)


def test_the_seed_phone_is_printed(tmp_path):
    text = _text(generate_document(WULONG, "chongqing_juesuan", tmp_path).path)
    assert "决算公开信息反馈和联系方式：023-77820755。" in text


def _template_with(tmp_path: Path, paragraph: str) -> Path:
    """A copy of the Sichuan template with one more paragraph at its end."""
    docx = tmp_path / "自改模板.docx"
    shutil.copy(ROOT / "templates" / "sichuan_juesuan.docx", docx)
    shutil.copy(ROOT / "templates" / "sichuan_juesuan.toml", docx.with_suffix(".toml"))
    doc = Document(str(docx))
    doc.add_paragraph(paragraph)
    doc.save(str(docx))
    return docx


def test_a_document_that_contradicts_itself_is_not_written(tmp_path):
    """The self-audit reads the rendered document back: a typed figure that disagrees stops it, like a leftover tag."""
    from generator.document.audit import AuditFailed
    from tests.conftest import LIZHOU

    docx = _template_with(tmp_path, "本年收入合计{{ income.amount }}万元，其中：一般公共预算财政拨款收入900.00万元，"
                                    "政府性基金预算财政拨款收入1.00万元。")
    with pytest.raises(AuditFailed) as failed:
        generate_document(LIZHOU, str(docx), tmp_path / "out")
    assert "902.05" in str(failed.value.findings[0].message) and not list((tmp_path / "out").glob("*.docx"))
    draft = generate_document(LIZHOU, str(docx), tmp_path / "out", force=True)
    assert draft.draft and "草稿" in draft.path.name
