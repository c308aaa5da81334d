"""Reading the workbook: lenient where the data rules say so, a located Chinese error everywhere else."""

from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from generator.errors import InputError, Location
from generator.workbook.blank import write_workbook
from generator.workbook.reader import parse_amount, parse_code, parse_year, read_workbook
from tests.conftest import LIZHOU, WULONG

HERE = Location("a.xlsx", "收入决算表", "C5")


@pytest.mark.parametrize(("raw", "expected"), [
    ("-", "0"), ("—", "0"), ("－", "0"),
    ("1,234.50", "1234.50"), (" 12.3 ", "12.3"), ("１２３．４", "123.4"), (0.1, "0.1"), (902.05, "902.05"),
    (12, "12"), ("1，234", "1234"),
])
def test_amounts_as_the_data_rules_say(raw, expected):
    assert parse_amount(raw, HERE) == D(expected)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_a_blank_amount_is_not_given_not_zero(raw):
    assert parse_amount(raw, HERE) is None


@pytest.mark.parametrize("raw", ["abc", "12元", "1.2.3", True])
def test_text_in_an_amount_cell_names_the_cell(raw):
    with pytest.raises(InputError) as err:
        parse_amount(raw, HERE)
    message = str(err.value)
    assert "a.xlsx" in message and "收入决算表" in message and "C5" in message and repr(raw) in message


def test_negative_amount_is_an_error():
    with pytest.raises(InputError, match="不能为负数"):
        parse_amount("-5", HERE)


@pytest.mark.parametrize(("raw", "expected"), [(2010301.0, "2010301"), (" 20103 ", "20103"), (201, "201")])
def test_codes_stored_as_numbers_or_spaced_text(raw, expected):
    assert parse_code(raw, HERE, (3, 5, 7)) == expected


@pytest.mark.parametrize("raw", ["20103a", "2010", 20103011, "一般"])
def test_malformed_code(raw):
    with pytest.raises(InputError, match="3/5/7位"):
        parse_code(raw, HERE, (3, 5, 7))


@pytest.mark.parametrize(("raw", "ok"), [(2020, True), ("2020", True), ("2020年", True), (2020.0, True),
                                         ("20", False), ("明年", False), (1800, False)])
def test_year(raw, ok):
    if ok:
        assert parse_year(raw, HERE) == 2020
    else:
        with pytest.raises(InputError, match="四位年份"):
            parse_year(raw, HERE)


def test_amounts_in_wan_and_yuan_read_to_the_same_yuan():
    lizhou = read_workbook(LIZHOU)  # in 元
    wulong = read_workbook(WULONG)  # in 万元
    assert lizhou.table("summary").get("income_total").num("current") == D("9020500")
    assert wulong.table("summary").get("income_total").num("current") == D("6060400")


def test_every_value_remembers_its_cell():
    data = read_workbook(LIZHOU)
    where = data.table("gp").by_key["2010302"].where("budget")
    assert where.sheet == "一般公共预算支出表" and where.cell.startswith("C")


def _edited(tmp_path: Path, sheet: str, cell: str, value) -> Path:
    wb = openpyxl.load_workbook(LIZHOU)
    wb[sheet][cell] = value
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


def _cell_of(sheet: str, code: str, column_label: str) -> str:
    ws = openpyxl.load_workbook(LIZHOU)[sheet]
    col = next(c.column_letter for c in ws[2] if c.value == column_label)
    row = next(c.row for c in ws["A"] if str(c.value) == code)
    return f"{col}{row}"


def test_text_in_numeric_cell_of_a_workbook(tmp_path):
    cell = _cell_of("一般公共预算支出表", "2010302", "预算数")
    with pytest.raises(InputError) as err:
        read_workbook(_edited(tmp_path, "一般公共预算支出表", cell, "七十四万"))
    assert f"单元格 {cell}" in str(err.value) and "一般公共预算支出表" in str(err.value) and "七十四万" in str(err.value)


def test_duplicated_code(tmp_path):
    cell = _cell_of("支出决算表", "2010399", "科目编码")
    with pytest.raises(InputError, match="2010302 重复"):
        read_workbook(_edited(tmp_path, "支出决算表", cell, "2010302"))


def test_missing_sheet(tmp_path):
    wb = openpyxl.load_workbook(LIZHOU)
    del wb["基本支出表"]
    path = tmp_path / "no_sheet.xlsx"
    wb.save(path)
    with pytest.raises(InputError, match="缺少工作表「基本支出表」"):
        read_workbook(path)


def test_renamed_column(tmp_path):
    with pytest.raises(InputError, match="缺少列：预算数"):
        read_workbook(_edited(tmp_path, "一般公共预算支出表", "C2", "预算"))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("data.csv", b"a,b\n1,2\n", "不是 .xlsx"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "不是 .xlsx"),
    ("empty.xlsx", b"", "文件为空"),
    ("renamed.xlsx", None, "无法读取工作簿"),
])
def test_files_that_are_not_workbooks(tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:  # a .docx renamed to .xlsx: a zip, but not a workbook
        from docx import Document
        Document().save(str(path))
    else:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_workbook(path)
    assert name in str(err.value)


def test_blank_workbook_from_init_asks_for_the_unit_name(tmp_path):
    path = write_workbook(tmp_path / "blank.xlsx", 2021)
    with pytest.raises(InputError, match="必填项“单位名称”未填写"):
        read_workbook(path)
