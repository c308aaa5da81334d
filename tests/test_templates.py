"""Every shipped layout rendered from every sample; merged indicator cells; `check-template` on broken templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from generator.cli import main
from generator.document.pipeline import render_data
from generator.document.render import document_text, paragraph_text
from generator.document.template_check import ERROR, WARNING, check_template
from generator.document.templates import find, shipped
from generator.workbook.consolidate import consolidate
from generator.workbook.reader import read_workbook
from tests.conftest import ROOT, SAMPLES, WULONG, YIYANG

TEMPLATES = [s.name for s in shipped()]
JUNSHAN = ROOT / "data_samples" / "岳阳市君山区行政审批服务局_2020.xlsx"
JINKOUHE = ROOT / "data_samples" / "乐山市金口河区行政审批局_2024.xlsx"


def test_five_layouts_are_shipped_and_listed(capsys):
    assert set(TEMPLATES) == {"sichuan_juesuan", "chongqing_juesuan", "hunan_zhengti_zipingbiao",
                              "sichuan_zhengti_zipingbaogao", "hunan_zhengti_zipingbaogao"}
    assert main(["templates"]) == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in TEMPLATES)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(template, sample stem) → the generated document, for every template and every sample."""
    out = tmp_path_factory.mktemp("layouts")
    return {(name, book.stem): render_data(read_workbook(book), find(name), out / name)
            for name in TEMPLATES for book in SAMPLES}


@pytest.fixture(scope="module")
def rendered(made) -> dict[tuple[str, str], str]:
    """(template, sample stem) → the text of the generated document."""
    return {key: document_text(Document(str(path))) for key, path in made.items()}


def test_the_one_walk_reads_what_each_reader_reads_for_every_layout(made):
    """body_text.read_body reads a rendered body once for the leftover scan, the audit and the change list: for
    every layout and sample it must give each of them what its own walk of the XML gives."""
    from generator.batch.changes import body_snapshot
    from generator.document.audit import Grid, read_blocks
    from generator.document.body_text import read_body

    for key, path in made.items():
        body = Document(str(path)).element.body
        read = read_body(body)
        assert read is not None, key
        assert list(read.texts) == [paragraph_text(p) for p in body.iter(qn("w:p"))], key
        assert body_snapshot(body, read) == body_snapshot(body), key
        fast, slow = read_blocks(body, read), read_blocks(body)
        assert [type(b) for b in fast] == [type(b) for b in slow], key
        for a, b in zip(fast, slow, strict=True):
            if isinstance(a, Grid):
                assert (a.number, a.title, a.first_cell(), a.rows) == (b.number, b.title, b.first_cell(), b.rows), key
            else:
                assert a == b, key


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_for_every_sample(rendered, template):
    for book in SAMPLES:
        text = rendered[(template, book.stem)]
        name = read_workbook(book).info("name")
        assert name in text, f"{template} × {book.stem}"
        assert "None" not in text and "nan" not in text and "{{" not in text
        for pair in ("。；", "。。", "；。", "，。", "：。", "；；", "，，"):
            assert pair not in text, f"{template} × {book.stem}: doubled punctuation {pair}"


def test_hunan_form_reproduces_the_published_figures_of_seed_001(rendered):
    text = rendered[("hunan_zhengti_zipingbiao", JUNSHAN.stem)]
    for figure in ("1595.33", "797.73", "797.6", "1125.76", "135.36", "112.53", "22.83", "990.4", "469.57", "16.65",
                   "8.65", "482.02"):
        assert figure in text, figure
    assert "局机关及二级机构汇总" in text
    lines = text.splitlines()
    assert lines[lines.index("绩效自评综合得分") + 1] == "97" and lines[lines.index("评价等次") + 1] == "优秀"


def test_sichuan_report_reproduces_seed_003(rendered):
    text = rendered[("sichuan_zhengti_zipingbaogao", JINKOUHE.stem)]
    assert "本年收入合计467.65万元，其中：一般公共预算财政拨款收入467.65万元，占100%。" in text
    assert "本年支出合计467.65万元，其中：基本支出433.1万元，占92.61%；项目支出34.55万元，占7.39%。" in text
    assert "组织对2024年度7个项目全面开展绩效自评" in text
    assert "绩效自评得分为95分，评价等级为“优秀”" in text
    assert "2025年3月26日" in text


def test_chongqing_per_capita_and_one_decimal_percentages(rendered):
    text = rendered[("chongqing_juesuan", WULONG.stem)]
    assert "较上年决算数增加7.47万元，增长1.2%" in text
    assert "人均接待费98.14元" in text  # 7.39万元 / 753人, computed (the published 98.11 does not follow from its totals)
    assert "车均运行维护费4.40万元" in text
    assert text.count("年度项目资金绩效自评表") == 6


def _cells(doc, header: str) -> list[list]:
    """Rows of <w:tc> elements of every table whose first cell reads `header`."""
    out = []
    for t in doc.tables:
        rows = t._tbl.tr_lst
        first = rows[0].tc_lst[0]
        if "".join(x.text or "" for x in first.iter(qn("w:t"))) == header:
            out.append([tr.tc_lst for tr in rows])
    return out


def _merge(tc) -> str:
    vm = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return "" if vm is None else vm.get(qn("w:val"), "continue")


def test_indicator_cells_merge_over_their_groups_whatever_the_count(tmp_path):
    data = read_workbook(WULONG)
    doc = Document(str(render_data(data, find("chongqing_juesuan"), tmp_path)))
    tables = _cells(doc, "一级指标")
    projects = data.table("projects").rows
    assert len(tables) == len(projects)
    for rows, project in zip(tables, projects, strict=True):
        levels = [r.text("level1") for r in data.table("indicators").rows if r.text("project") == project.text("name")]
        filled = []
        for level in levels:
            filled.append(level or filled[-1])
        body = rows[1:1 + len(levels)]
        marks = [_merge(r[0]) for r in body]
        starts = [i for i, m in enumerate(marks) if m == "restart"]
        assert len(starts) == len(set(filled)) and all(m in ("restart", "continue") for m in marks)
        for i, row in enumerate(body):  # a continued cell is empty; a starting one names its group
            shown = "".join(x.text or "" for x in row[0].iter(qn("w:t")))
            assert shown == ("" if marks[i] == "continue" else filled[i])


def test_scoring_grid_merges_level_one_and_two_and_totals_100(tmp_path):
    doc = Document(str(render_data(read_workbook(JUNSHAN), find("hunan_zhengti_zipingbiao"), tmp_path)))
    [rows] = [r for r in _cells(doc, "一级指标") if len(r[0]) == 7]
    body, total = rows[1:-1], rows[-1]
    assert [_merge(r[0]) for r in body].count("restart") == 4  # 投入 过程 产出 效果
    assert [_merge(r[1]) for r in body].count("restart") == 6  # 二级 groups restart inside each 一级
    first = "".join(x.text or "" for x in body[0][0].iter(qn("w:t")))
    assert first == "投入（15分）"
    texts = ["".join(x.text or "" for x in tc.iter(qn("w:t"))) for tc in total]
    assert texts[:3] == ["总　分", "100", "97"]


def test_consolidated_department_rows_follow_its_units(tmp_path):
    folder = YIYANG.parent
    below = [read_workbook(p) for p in sorted(folder.glob("*.xlsx")) if p != YIYANG]
    data = consolidate(read_workbook(YIYANG), below)
    text = document_text(Document(str(render_data(data, find("hunan_zhengti_zipingbiao"), tmp_path))))
    rows = [line for line in text.splitlines() if line[:2] in ("1、", "2、", "3、", "4、")]
    assert rows[:4] == ["1、局机关"] + [f"{i}、{b.info('short_name')}" for i, b in enumerate(below, 2)]
    assert len(below) == 3


def test_missing_text_a_template_needs_is_an_error_naming_the_cell(tmp_path):
    import openpyxl

    from generator.document.pipeline import generate_document
    from generator.errors import ChecksFailed

    wb = openpyxl.load_workbook(JINKOUHE)
    ws = wb["文字材料"]
    row = next(c.row for c in ws["A"] if c.value == "存在问题")
    ws.cell(row, 2).value = None
    book = tmp_path / "no_problems.xlsx"
    wb.save(book)
    with pytest.raises(ChecksFailed) as caught:
        generate_document(book, "sichuan_zhengti_zipingbaogao", tmp_path / "out")
    [finding] = [f for f in caught.value.findings if f.rule == "模板所需数据"]
    assert "存在问题" in finding.message and finding.cells[0].where.cell == f"B{row}"
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


# ---------------------------------------------------------------- check-template
def _broken(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("{{ unit.nmae }}是本单位。")
    p = doc.add_paragraph()
    p.add_run("{{ income.")
    bold = p.add_run("amount }}")
    bold.font.size = Pt(20)
    doc.add_paragraph("{{ chart(“totals”) }}")
    doc.add_paragraph("{%p for p in perf.list %}")
    doc.add_paragraph("{{ p.score }}{{ p.nothing }}")
    doc.add_paragraph("{%p if fund.any %}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(path)
    return path


def test_check_template_finds_each_kind_of_fault(tmp_path):
    problems = check_template(_broken(tmp_path / "broken.docx"))
    by_kind = {(p.severity, p.message.split("“")[0]) for p in problems}
    assert (WARNING, "标签") in by_kind  # split across runs
    assert any("弯）引号" in p.message and "chart" in p.paragraph for p in problems)
    assert any("没有对应的 {% endif %}" in p.message or "没有结束标签" in p.message for p in problems)
    assert all(p.paragraph for p in problems)


def test_check_template_names_unknown_names_with_their_paragraph(tmp_path):
    path = _broken(tmp_path / "names.docx")
    doc = Document(str(path))
    doc.paragraphs[-2]._p.getparent().remove(doc.paragraphs[-2]._p)  # drop the stray {%p if %}: now balanced
    doc.save(path)
    problems = check_template(path)
    unknown = [p for p in problems if p.severity == ERROR and "未知的名称" in p.message]
    assert {p.message.split("“")[1].split("”")[0] for p in unknown} == {"unit.nmae", "p.nothing"}
    assert next(p for p in unknown if "unit.nmae" in p.message).paragraph == "{{ unit.nmae }}是本单位。"


def test_check_template_reports_every_problem_even_when_blocks_do_not_balance(tmp_path):
    doc = Document()
    doc.add_paragraph("{%p for p in perf.list %}")
    doc.add_paragraph("项目：{{ p.nmae }}")
    doc.add_paragraph("{{ unit.nmae }}是本单位。")
    doc.add_paragraph("{{ unit.name|no_such_filter }}")
    doc.add_paragraph("{{ unit.name + }}")
    doc.add_paragraph("{{ chart('no_such_chart') }}")
    path = tmp_path / "unbalanced.docx"
    doc.save(path)
    problems = [p for p in check_template(path) if p.severity == ERROR]
    by_paragraph = {p.paragraph: p.message for p in problems}
    assert "没有结束标签" in by_paragraph["{%p for p in perf.list %}"]
    assert "p.nmae" in by_paragraph["项目：{{ p.nmae }}"]  # the loop variable is still known after its for
    assert "unit.nmae" in by_paragraph["{{ unit.nmae }}是本单位。"]
    assert "未知的过滤器“no_such_filter”" in by_paragraph["{{ unit.name|no_such_filter }}"]
    assert "语法错误" in by_paragraph["{{ unit.name + }}"]
    assert "未知的图表“no_such_chart”" in by_paragraph["{{ chart('no_such_chart') }}"]
    assert [p.paragraph for p in problems] == list(by_paragraph)  # in document order, one each


@pytest.mark.parametrize("template", TEMPLATES)
def test_shipped_templates_pass_check_template(template, capsys):
    assert main(["check-template", template]) == 0
    assert "模板检查通过" in capsys.readouterr().out


def test_check_template_command_exits_1_on_errors(tmp_path, capsys):
    assert main(["check-template", str(_broken(tmp_path / "b.docx"))]) == 1
    out = capsys.readouterr().out
    assert "所在段落" in out and "错误" in out


def test_templates_doc_agrees_with_the_code():
    from generator.docs import templates_markdown
    from generator.document.context_names import GROUPS, context_shape

    assert set(context_shape()) <= set(GROUPS), "every top-level name needs a description in names.GROUPS"
    doc = ROOT / "docs" / "templates.md"
    assert doc.read_text(encoding="utf-8") == templates_markdown(), "run: python -m generator.docs templates > docs/templates.md"
