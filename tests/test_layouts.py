"""Each layout as its seed: the sections the published documents have, the Chongqing project form, page polish.

Every test reads a generated document back with python-docx (paragraphs, table cells, the XML properties Word
and LibreOffice lay the pages out by) and compares it with what the workbook says.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length

from generator.document.pipeline import generate_document
from generator.workbook.reader import read_workbook
from tests.conftest import LIZHOU, ROOT, WULONG, YIYANG

JUNSHAN = ROOT / "data_samples" / "岳阳市君山区行政审批服务局_2020.xlsx"
JINKOUHE = ROOT / "data_samples" / "乐山市金口河区行政审批局_2024.xlsx"
WAN = Decimal(10000)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """(workbook, template) → the generated .docx, each made once for the module."""
    out = tmp_path_factory.mktemp("layouts")
    cache: dict[tuple[Path, str], Path] = {}

    def get(book: Path, template: str) -> Path:
        if (book, template) not in cache:
            cache[(book, template)] = generate_document(book, template, out / f"{book.stem}-{template}").path
        return cache[(book, template)]
    return get


def _paragraphs(path: Path) -> list[str]:
    """The body's paragraphs (not those in table cells), in order."""
    return [p.text for p in Document(str(path)).paragraphs]


def _between(paragraphs: list[str], first: str, last: str) -> list[str]:
    """From the paragraph `first` to the next paragraph `last` after it (a 目录 names headings before they come)."""
    start = paragraphs.index(first)
    return paragraphs[start:paragraphs.index(last, start)]


def _wan(yuan: Decimal) -> str:
    return f"{yuan / WAN:.2f}"


def _cell_text(tc) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))


def _rows(table) -> list[list[str]]:
    """A table's rows as the texts of their <w:tc> cells (a merged cell once)."""
    return [[_cell_text(tc) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def _tables(path: Path, first_cell: str) -> list:
    return [t for t in Document(str(path)).tables if _rows(t) and _rows(t)[0][0] == first_cell]


# ---------------------------------------------------------------- 7. the seeds' sections
def test_sichuan_performance_section_has_its_two_parts_and_names_the_annexes(made):
    paragraphs = _paragraphs(made(LIZHOU, "sichuan_juesuan"))
    section = _between(paragraphs, "（四）预算绩效管理情况", "第三部分　名词解释")
    assert section.index("1.项目绩效目标完成情况") < section.index("2.部门绩效评价结果")
    data = read_workbook(LIZHOU)
    short, count = data.info("short_name"), len(data.table("projects").rows)
    results = " ".join(section[section.index("2.部门绩效评价结果"):])
    assert f"《{short}2020年部门整体支出绩效评价报告》见附件1" in results
    assert f"见附件2（附件2-1至附件2-{count}）" in results
    annexes = paragraphs[paragraphs.index("第四部分　附件", paragraphs.index("（四）预算绩效管理情况")):]
    assert annexes[1] == "附件1" and annexes[2] == f"{short}2020年部门整体支出绩效评价报告"
    assert [p for p in annexes if re.fullmatch(r"附件2-\d+", p)] == [f"附件2-{i}" for i in range(1, count + 1)]


def test_chongqing_performance_section_follows_seed_002(made):
    paragraphs = _paragraphs(made(WULONG, "chongqing_juesuan"))
    section = _between(paragraphs, "五、预算绩效管理情况说明", "六、专业名词解释")
    headings = ["（一）预算绩效管理工作开展情况", "（二）绩效自评结果", "1.绩效自评表", "2.绩效自评报告或案例",
                "（三）重点绩效评价结果"]
    assert [section.index(h) for h in headings] == sorted(section.index(h) for h in headings)
    # the workbook leaves both texts blank, which its notes say means there is none
    data = read_workbook(WULONG)
    assert not data.text("self_report") and not data.text("key_evaluation")
    assert section[section.index("2.绩效自评报告或案例") + 1] == "无。"
    assert section[section.index("（三）重点绩效评价结果") + 1] == "无。"


def test_chongqing_prints_the_texts_the_workbook_gives(made):
    paragraphs = _paragraphs(made(JUNSHAN, "chongqing_juesuan"))
    data = read_workbook(JUNSHAN)
    assert paragraphs[paragraphs.index("2.绩效自评报告或案例") + 1] == data.text("self_report")
    assert paragraphs[paragraphs.index("（三）重点绩效评价结果") + 1] == data.text("key_evaluation")


def test_chongqing_annex_is_the_public_tables_it_names(made):
    path = made(WULONG, "chongqing_juesuan")
    paragraphs = _paragraphs(path)
    name = read_workbook(WULONG).info("name")
    title = f"{name}2020年度部门决算公开表"
    reference = paragraphs.index(f"附件：{title}")
    assert paragraphs.index(name, reference) > reference  # the signature comes after the reference, as in the seed
    annex = paragraphs[paragraphs.index(title):]
    assert [p[:5] for p in annex if p.startswith("公开")] == [f"公开0{i}表" for i in range(1, 10)]
    # the 01 table prints the workbook's 本年收入合计
    wb = openpyxl.load_workbook(WULONG, read_only=True)
    summary = {r[0]: r[1] for r in wb["收支总表"].iter_rows(min_row=3, values_only=True) if r[0]}
    [t01] = _tables(path, "收入")
    assert any(row[:2] == ["本年收入合计", f"{Decimal(str(summary['本年收入合计'])):.2f}"] for row in _rows(t01))


def test_chongqing_carry_over_sentence_is_the_general_budget_part(made):
    paragraphs = _paragraphs(made(JUNSHAN, "chongqing_juesuan"))
    closing = read_workbook(JUNSHAN).table("fiscal").get("closing")
    gp, whole = closing.num("gp"), closing.num("gp") + closing.num("fund") + closing.num("soe")
    assert gp != whole  # the sample carries 政府性基金 money over too: the two readings differ
    [line] = [p for p in paragraphs if p.startswith("3.结转结余情况。")]
    assert f"年末一般公共预算财政拨款结转和结余{_wan(gp)}万元" in line and _wan(whole) not in line


def test_hunan_form_has_the_special_funds_section_and_the_note_under_the_grid(made):
    path = made(JUNSHAN, "hunan_zhengti_zipingbiao")
    paragraphs = _paragraphs(path)
    data = read_workbook(JUNSHAN)
    section = _between(paragraphs, "（四）部门（单位）专项组织实施情况", "（五）部门（单位）整体支出绩效情况")
    assert section[1:] == ["1.专项组织情况", data.text("special_organisation"), "2.专项管理情况",
                           data.text("special_management")]
    body = Document(str(path)).element.body
    grid = next(t for t in body.iter(qn("w:tbl")) if "评分标准" in _cell_text(t.find(qn("w:tr"))))
    after = grid.getnext()
    assert after.tag == qn("w:p") and "".join(t.text for t in after.iter(qn("w:t"))).startswith("备注：")


def _basic_data(path: Path) -> dict[str, list[str]]:
    [table] = _tables(path, "经费控制情况（万元）")
    return {row[0]: row[1:] for row in _rows(table)}


def test_hunan_basic_data_table_has_the_seed_004_rows(made):
    rows = _basic_data(made(YIYANG, "hunan_zhengti_zipingbaogao"))
    wb = openpyxl.load_workbook(YIYANG, read_only=True)
    other = {r[0]: r[1] for r in wb["其他事项"].iter_rows(min_row=3, values_only=True) if r[0]}
    procurement = sum(Decimal(str(other[k] or 0)) for k in ("政府采购货物支出", "政府采购工程支出", "政府采购服务支出"))
    assert rows["政府采购金额"][2] == f"{procurement:.2f}" and rows["政府采购金额"][1] == "—"  # no budget is given
    data = read_workbook(YIYANG)
    assert not data.text("basic_adjustment") and not data.text("building_control")
    assert rows["部门基本支出预算调整"] == ["无"]
    assert rows["楼堂馆所控制情况\n（2020年完工项目）"] == ["无"]
    lines = data.text("frugality").splitlines()
    assert rows["厉行节约保障措施"] == ["\n".join(f"{i}.{line}" for i, line in enumerate(lines, 1))]


def test_hunan_basic_data_prints_the_given_texts(made):
    rows = _basic_data(made(JUNSHAN, "hunan_zhengti_zipingbaogao"))
    data = read_workbook(JUNSHAN)
    assert rows["部门基本支出预算调整"] == [data.text("basic_adjustment")]
    assert rows["楼堂馆所控制情况\n（2020年完工项目）"] == [data.text("building_control")]


def test_sichuan_report_lists_the_projects_of_50_wan_and_more(made):
    data = read_workbook(JUNSHAN)
    large = [r.text("name") for r in data.table("projects").rows if r.num("budget") >= 50 * WAN]
    assert large
    paragraphs = _paragraphs(made(JUNSHAN, "sichuan_zhengti_zipingbaogao"))
    section = _between(paragraphs, "2.50万元以上项目", "（三）结果应用情况")[1:]
    assert [re.sub(r"^（\d+）", "", p).split("：")[0] for p in section] == large


def test_sichuan_report_says_when_there_is_no_project_of_50_wan(made):
    data = read_workbook(JINKOUHE)
    assert all(r.num("budget") < 50 * WAN for r in data.table("projects").rows)
    paragraphs = _paragraphs(made(JINKOUHE, "sichuan_zhengti_zipingbaogao"))
    assert _between(paragraphs, "2.50万元以上项目", "（三）结果应用情况")[1:] == ["2024年度无全年预算50万元以上的项目。"]


# ---------------------------------------------------------------- 8. the Chongqing 项目资金绩效自评表
def _project_forms(path: Path) -> list[tuple[list[list[str]], list[list[str]]]]:
    """Each project's (funds block, indicator grid) as rows of cell texts."""
    return list(zip([_rows(t) for t in _tables(path, "项目名称")], [_rows(t) for t in _tables(path, "一级指标")],
                    strict=True))


def test_project_form_fiscal_row_and_note_come_from_the_workbook(made):
    forms = _project_forms(made(WULONG, "chongqing_juesuan"))
    projects = read_workbook(WULONG).table("projects").rows
    assert len(forms) == len(projects)
    for (funds, grid), project in zip(forms, projects, strict=True):
        fiscal = next(r for r in funds if r[0] == "其中：当年财政拨款")
        assert fiscal[1] == _wan(project.optional("initial_budget"))  # 年初预算数, not “—”
        note = grid[-1]
        assert note[0] == "说明"
        reason = project.text("shortfall_reason")
        if project.num("spent") < project.num("budget") and reason:
            assert reason in note[1]
        else:
            assert note[1] == "无"


def _with_other_funds(tmp_path: Path) -> Path:
    """WULONG with its first project's 财政拨款 below its budget: the rest is 其他资金."""
    book = tmp_path / WULONG.name
    shutil.copy(WULONG, book)
    wb = openpyxl.load_workbook(book)
    ws = wb["项目绩效"]
    col = {c.value: c.column for c in ws[2]}
    ws.cell(3, col["其中财政拨款预算数"]).value = 30
    ws.cell(3, col["其中财政拨款执行数"]).value = 30
    wb.save(book)
    return book


def test_project_form_fiscal_initial_is_not_guessed_when_other_funds_share_the_budget(tmp_path):
    path = generate_document(_with_other_funds(tmp_path), "chongqing_juesuan", tmp_path / "out").path
    funds, _ = _project_forms(path)[0]
    by_name = {r[0]: r for r in funds}
    assert by_name["其中：当年财政拨款"][1:3] == ["—", "30.00"]
    assert by_name["年度资金总额"][1] == "42.00"


def _width_needed(text: str, points: float) -> float:
    """cm a line of text needs at `points`: a CJK character is one em, other characters at most half one."""
    ems = sum(1 if ord(ch) > 0x2E80 else 0.5 for ch in text)
    return ems * points * 2.54 / 72


def _cm(twips: str | None) -> float:
    return int(twips) * 2.54 / 1440


def _grid(table) -> list[float]:
    return [_cm(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]


def _cell_widths(table):
    """(cell, its width in cm) for every cell: the sum of the grid columns it spans."""
    grid = _grid(table)
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            yield tc, sum(grid[col:col + span])
            col += span


def _margins(table) -> float:
    """The left and right cell margins of a table, cm (Word's default 0.19 cm each where it sets none)."""
    cell_margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    if cell_margins is None:
        return 2 * _cm("108")
    return sum(_cm(m.get(qn("w:w"))) for m in cell_margins.iter(qn("w:left"), qn("w:right")))


LABELS = {"项目名称", "主管部门", "实施单位", "总分", "等级", "项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率",
          "（B/A）", "分值", "得分", "年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金", "年度总体", "一级指标",
          "二级指标", "三级指标", "指标值", "完成值", "得分系数", "说明", "产出指标", "效益指标", "满意度指标", "数量指标",
          "质量指标", "时效指标", "成本指标", "社会效益指标", "可持续影响指标"}


def test_project_form_labels_fit_their_columns(made):
    """No label breaks inside a word: each fits its cell's width less the cell margins, at the table font."""
    path = made(WULONG, "chongqing_juesuan")
    doc = Document(str(path))
    points = doc.styles["Table Text"].font.size.pt
    text_width = Length(doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin).cm
    checked = 0
    for table in [*_tables(path, "项目名称"), *_tables(path, "一级指标")]:
        assert sum(_grid(table)) <= text_width + 0.01
        margins = _margins(table)
        for tc, width in _cell_widths(table):
            for line in _cell_text(tc).splitlines():
                if line in LABELS:
                    checked += 1
                    assert _width_needed(line, points) + margins <= width + 0.005, (line, width)
    assert checked > 40


def test_stacked_tables_of_a_form_draw_one_rule_between_them(made):
    """The indicator grid under the funds block has no top rule: the funds block's bottom rule is the only one."""
    for table in _tables(made(WULONG, "chongqing_juesuan"), "一级指标"):
        top = table._tbl.tblPr.find(f"{qn('w:tblBorders')}/{qn('w:top')}")
        assert top is not None and top.get(qn("w:val")) == "nil"
        spacer = table._tbl.getprevious()
        assert spacer.tag == qn("w:p") and spacer.getprevious().tag == qn("w:tbl")


def _keeps(tr) -> bool:
    paragraphs = list(tr.iter(qn("w:p")))
    return all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in paragraphs)


@pytest.mark.parametrize("book, template, first, last", [
    (WULONG, "chongqing_juesuan", "一级指标", "说明"),
    (JUNSHAN, "hunan_zhengti_zipingbiao", "一级指标", "总　分"),
    (YIYANG, "hunan_zhengti_zipingbaogao", "一级指标", "总　分"),
])
def test_the_last_row_never_stands_alone_on_a_page(made, book, template, first, last):
    """The row above a 说明 or 总分 row keeps with it (and the header with the first row); no other row is held."""
    tables = [t for t in _tables(made(book, template), first) if _rows(t)[-1][0] == last]
    assert tables
    for table in tables:
        rows = table._tbl.tr_lst
        last = template == "hunan_zhengti_zipingbaogao"  # its 总分 row keeps with the 填表人 line under the table
        assert [_keeps(tr) for tr in rows] == [True] + [False] * (len(rows) - 3) + [True, last]


# ---------------------------------------------------------------- 9. page polish
SEEDS = {"sichuan_juesuan": LIZHOU, "chongqing_juesuan": WULONG, "hunan_zhengti_zipingbiao": JUNSHAN,
         "sichuan_zhengti_zipingbaogao": JINKOUHE, "hunan_zhengti_zipingbaogao": YIYANG}


def _lines(p) -> list[str]:
    """A paragraph's lines: its text split where it has a line break (<w:br/>)."""
    text = "".join("\n" if el.tag == qn("w:br") else el.text or "" for el in p.iter(qn("w:t"), qn("w:br")))
    return text.split("\n")


def _fixed_labels(template: str) -> set[str]:
    """The texts the template itself writes in table cells (no tag in them): the forms' labels."""
    doc = Document(str(ROOT / "templates" / f"{template}.docx"))
    return {line for t in doc.tables for p in t._tbl.iter(qn("w:p")) for line in _lines(p)
            if line.strip() and "{" not in line}


@pytest.mark.parametrize("template", sorted(SEEDS))
def test_no_table_label_breaks_inside_a_word(made, template):
    """Every label of every table fits on its line in its column, at the table font, less the cell margins."""
    path = made(SEEDS[template], template)
    doc = Document(str(path))
    labels = _fixed_labels(template)
    points = doc.styles["Table Text"].font.size.pt
    checked = 0
    for table in doc.tables:
        margins = _margins(table)
        for tc, width in _cell_widths(table):
            for p in tc.iter(qn("w:p")):
                indent = p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
                room = width - margins - (_cm(indent.get(qn("w:right"))) if indent is not None else 0)
                for line in _lines(p):
                    if line in labels:
                        checked += 1
                        assert _width_needed(line, points) <= room + 0.005, (line, round(width, 2))
    assert checked >= len(labels) > 10 or not doc.tables  # the Sichuan report (seed 003) has no table


def _bookmarks(body) -> dict[str, str]:
    """Bookmark name → the text of the paragraph it is in."""
    out = {}
    for start in body.iter(qn("w:bookmarkStart")):
        p = start.getparent()
        out[start.get(qn("w:name"))] = "".join(t.text or "" for t in p.iter(qn("w:t")))
    return out


def test_contents_lines_point_at_their_headings_and_word_updates_them(made):
    doc = Document(str(made(LIZHOU, "sichuan_juesuan")))
    body = doc.element.body
    marks = _bookmarks(body)
    lines = [p for p in doc.paragraphs if p.style.name.startswith("Contents")]
    assert len(lines) >= 15
    for p in lines:
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText"))).split()
        assert instr[0] == "PAGEREF" and marks[instr[1]] == p.text.split("\t")[0]  # its heading reads the same
        assert p._p.find(qn("w:hyperlink")).get(qn("w:anchor")) == instr[1]
    titles = [p.text for p in doc.paragraphs if p.style.name in ("Part Title", "Section")]
    assert [p.text.split("\t")[0] for p in lines if p.style.name == "Contents 1"] == [t for t in titles if t.startswith("第")]
    update = doc.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_cover_and_contents_carry_no_page_number_and_the_body_starts_at_1(made):
    doc = Document(str(made(LIZHOU, "sichuan_juesuan")))
    cover, body = doc.sections[0], doc.sections[1]
    assert cover.footer.is_linked_to_previous  # the first section: no footer of its own, so none at all
    assert not body.footer.is_linked_to_previous
    assert "PAGE" in "".join(t.text for t in body.footer._element.iter(qn("w:instrText")))
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert all(s._sectPr.find(qn("w:pgNumType")) is None for s in doc.sections[2:])  # numbering goes on
    texts = [p.text for p in doc.paragraphs]
    assert "目　　录" in texts[:texts.index("第一部分　部门概况")]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice and poppler-utils")
def test_libreoffice_fills_the_contents_with_the_pages_the_headings_are_on(made, tmp_path):
    import subprocess

    path = made(LIZHOU, "sichuan_juesuan")
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / (path.stem + ".pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    footer = re.compile(r"—\s*(\d+)\s*—")
    assert not footer.search(pages[0]) and not footer.search(pages[1])  # cover and 目录: no number
    shown = {i: int(m.group(1)) for i, page in enumerate(pages) if (m := footer.search(page))}
    assert shown[2] == 1
    contents = [re.match(r"\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", line) for line in pages[1].splitlines()]
    entries = [(m.group(1).replace(" ", ""), int(m.group(2))) for m in contents if m]
    assert len(entries) >= 15
    for title, number in entries:  # the heading is on the page whose footer shows that number
        page = next(i for i, n in shown.items() if n == number)
        assert title in pages[page].replace(" ", ""), (title, number)


_HEADING_TEXT = re.compile(r"^(?:第[一二三四五]部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)[^。：；]{1,30}$")


@pytest.mark.parametrize("template", sorted(SEEDS))
def test_every_heading_keeps_with_the_paragraph_after_it(made, template):
    doc = Document(str(made(SEEDS[template], template)))
    headings = [p for p in doc.paragraphs if _HEADING_TEXT.match(p.text) and not p.style.name.startswith("Contents")]
    assert headings
    for p in headings:
        style_keeps = p.style.paragraph_format.keep_with_next
        assert p.paragraph_format.keep_with_next or (p.paragraph_format.keep_with_next is None and style_keeps), p.text


def test_public_tables_keep_their_last_rows_together(made):
    doc = Document(str(made(LIZHOU, "sichuan_juesuan")))
    coded = [t for t in doc.tables if _rows(t)[0][0] in ("科目编码", "经济分类编码") and len(t.rows) > 3]
    assert len(coded) >= 4
    for table in coded:
        rows = table._tbl.tr_lst
        header = sum(1 for tr in rows if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None)
        keeps = [_keeps(tr) for tr in rows]
        assert keeps == [True] * header + [False] * (len(rows) - header - 2) + [True, False]
        assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in rows)


@pytest.mark.parametrize("template", sorted(set(SEEDS) - {"sichuan_zhengti_zipingbaogao"}))
def test_merged_cells_are_centred_vertically(made, template):
    doc = Document(str(made(SEEDS[template], template)))
    merged = [tc for tc in doc.element.body.iter(qn("w:tc"))
              if tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") is not None
              and tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}").get(qn("w:val")) == "restart"]
    assert merged
    for tc in merged:
        align = tc.find(f"{qn('w:tcPr')}/{qn('w:vAlign')}")
        assert align is not None and align.get(qn("w:val")) == "center", _cell_text(tc)


def test_hunan_sign_off_is_at_the_right_with_room_to_sign(made):
    doc = Document(str(made(JUNSHAN, "hunan_zhengti_zipingbiao")))
    boxes = [tc for tc in doc.element.body.iter(qn("w:tc")) if "年　　月　　日" in _cell_text(tc)]
    assert len(boxes) == 3
    for tc in boxes:
        paragraphs = list(tc.iter(qn("w:p")))
        texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs]
        assert texts[0].endswith("：") and texts[1:4] == ["", "", ""]  # the opinion's label, then room to write
        for p, text in zip(paragraphs[4:], texts[4:], strict=True):  # 负责人（签章）： and the date, at the right
            jc = p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
            ind = p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
            assert jc.get(qn("w:val")) == "right" and ind is not None, text
            room = _cm(ind.get(qn("w:right")))
            assert room >= (3 if "签章" in text else 0.5), (text, room)


@pytest.mark.parametrize("template", sorted(SEEDS))
def test_scores_in_a_document_are_whole_or_have_two_decimals(made, template):
    from generator.document.render import document_text

    text = document_text(Document(str(made(SEEDS[template], template))))
    scores = re.findall(r"(?:得分|总分|自评得分|得分为)\D{0,3}?(\d+(?:\.\d+)?)分", text)
    scores += re.findall(r"(\d+(?:\.\d+)?)分（[优良中差]", text)
    assert all(len(s.partition(".")[2]) in (0, 2) for s in scores), scores


def test_chongqing_text_and_forms_use_the_same_grade_words(made):
    path = made(WULONG, "chongqing_juesuan")
    paragraphs = _paragraphs(path)
    [line] = [p for p in paragraphs if p.startswith("各项目自评得分和等级：")]
    listed = line.removeprefix("各项目自评得分和等级：").rstrip("。")
    said = {name: (score, grade) for name, score, grade in re.findall(r"([^；]+?)(\d+(?:\.\d+)?)分（([^）]+)）", listed)}
    forms = {funds[0][1]: (funds[0][3], funds[0][5]) for funds, _ in _project_forms(path)}
    assert said == forms and said


@pytest.mark.parametrize("book, template", [(WULONG, "chongqing_juesuan"), (JINKOUHE, "sichuan_zhengti_zipingbaogao")])
def test_sign_off_lines_stay_on_one_page(made, book, template):
    """The unit and the date at the end (and Chongqing's 附件 line above them) keep together: no date alone on a page."""
    doc = Document(str(made(book, template)))
    data = read_workbook(book)
    paragraphs = doc.paragraphs
    texts = [p.text for p in paragraphs]
    name = len(texts) - 1 - texts[::-1].index(data.info("name"))
    date = paragraphs[name + 1]
    assert date.text in (data.info("publish_date"), data.info("evaluation_date"))
    assert paragraphs[name].paragraph_format.keep_with_next and not date.paragraph_format.keep_with_next
    assert date.alignment == paragraphs[name].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    if template == "chongqing_juesuan":
        annex = texts.index(f"附件：{data.info('name')}2020年度部门决算公开表")
        assert all(p.paragraph_format.keep_with_next for p in paragraphs[annex:name])
