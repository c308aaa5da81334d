"""The command line as a user runs it: messages in Chinese, non-zero exits, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from generator.cli import main
from tests.conftest import LIZHOU


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd)


def test_generate_prints_where(tmp_path):
    result = run("generate", str(LIZHOU), "--output", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "已生成" in result.stdout and (tmp_path / "广元市利州区行政审批局2020年度部门决算.docx").exists()


def test_missing_workbook_is_one_readable_message(tmp_path):
    result = run("generate", str(tmp_path / "没有这个文件.xlsx"), "--output", str(tmp_path))
    assert result.returncode == 2
    assert "错误：" in result.stderr and "没有这个文件.xlsx" in result.stderr and "找不到文件" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_cell_is_named_on_the_command_line(tmp_path):
    wb = openpyxl.load_workbook(LIZHOU)
    wb["三公经费表"]["C8"] = "一万"
    book = tmp_path / "bad.xlsx"
    wb.save(book)
    result = run("generate", str(book), "--output", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "三公经费表" in result.stderr and "C8" in result.stderr and "一万" in result.stderr
    assert not list(tmp_path.glob("*.docx"))


def test_unknown_template(tmp_path, capsys):
    assert main(["generate", str(LIZHOU), "--template", "no_such", "--output", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "找不到模板“no_such”" in err and "sichuan_juesuan" in err


def test_templates_lists_the_shipped_ones(capsys):
    assert main(["templates"]) == 0
    assert "sichuan_juesuan" in capsys.readouterr().out


def test_init_writes_a_fillable_workbook_and_never_overwrites(tmp_path, capsys):
    path = tmp_path / "新单位.xlsx"
    assert main(["init", str(path), "--year", "2021"]) == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "填表说明" and "一般公共预算支出表" in wb.sheetnames
    info = wb["基本信息"]
    assert info.freeze_panes == "B3"
    lists = [dv.formula1 for dv in info.data_validations.dataValidation if dv.type == "list"]
    assert '"元,万元"' in lists and '"行政单位,参照公务员法管理的事业单位,其他事业单位"' in lists
    year_row = next(c.row for c in info["A"] if str(c.value).startswith("年度"))
    assert info[f"B{year_row}"].value == 2021
    gp = wb["一般公共预算支出表"]
    assert gp["C2"].value == "预算数" and gp["C3"].number_format == "#,##0.00"
    before = path.read_bytes()
    assert main(["init", str(path)]) == 2
    assert "已存在" in capsys.readouterr().err and path.read_bytes() == before


def test_data_format_doc_agrees_with_the_code():
    from generator.docs import data_format_markdown

    doc = Path(__file__).resolve().parent.parent / "docs" / "data-format.md"
    assert doc.read_text(encoding="utf-8") == data_format_markdown(), "run: python -m generator.docs > docs/data-format.md"


def test_checks_doc_agrees_with_the_registry():
    from generator.docs import checks_markdown

    doc = Path(__file__).resolve().parent.parent / "docs" / "checks.md"
    assert doc.read_text(encoding="utf-8") == checks_markdown(), "run: python -m generator.docs checks > docs/checks.md"


def test_an_internal_error_is_one_message_and_a_log(monkeypatch, capsys, tmp_path):
    import generator.document.pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(generator.document.pipeline, "generate_document", broken)
    assert main(["generate", str(LIZHOU), "--output", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "程序内部错误" in err and "Traceback" not in err
    log = Path(err.split("详细信息已写入 ")[1].split("，")[0])
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
