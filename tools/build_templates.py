"""Build templates/sichuan_juesuan.docx, the Sichuan 部门决算公开 template, with python-docx.

The .docx it writes is what ships and what `juesuan generate` reads; users may open and edit it in
Word or WPS. Rerun this tool only to rebuild the template from scratch:  python tools/build_templates.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent.parent / "templates"
BODY_FONT, HEAD_FONT, KAI_FONT, TABLE_FONT = "仿宋", "黑体", "楷体", "宋体"
BODY_SIZE = Pt(14)
STYLE_FONTS = {"Caption Text": KAI_FONT, "Part Title": HEAD_FONT, "Section": HEAD_FONT, "Subsection": KAI_FONT, "Cover Title": HEAD_FONT,
               "Table Title": HEAD_FONT, "Table Note": TABLE_FONT, "Table Text": TABLE_FONT}


def east_asian(rpr_owner, name: str) -> None:
    """Set the font for Chinese text too (python-docx sets only the Latin font)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), "Times New Roman" if attr in ("w:ascii", "w:hAnsi", "w:cs") else name)


def style(doc, name: str, font: str, size, bold=False, align=None, indent=True, before=0, after=0, base="Normal"):
    st = doc.styles[name] if name in [s.name for s in doc.styles] else doc.styles.add_style(name, 1)
    if name != "Normal":
        st.base_style = doc.styles[base]
    st.font.size, st.font.bold = size, bold
    east_asian(st.element, font)
    pf = st.paragraph_format
    pf.first_line_indent = Pt(28) if indent else Pt(0)
    pf.line_spacing = Pt(28) if size >= Pt(12) else Pt(16)
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if align is not None:
        pf.alignment = align
    pf.keep_with_next = name in ("Part Title", "Section", "Subsection", "Table Title")  # no heading alone at a page foot
    return st


class Builder:
    """Writes paragraphs and tables, each template tag whole in a single run."""

    def __init__(self):
        self.doc = Document()
        d = self.doc
        style(d, "Normal", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        style(d, "Part Title", HEAD_FONT, Pt(16), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=12, after=12)
        style(d, "Section", HEAD_FONT, BODY_SIZE, before=6)
        style(d, "Subsection", KAI_FONT, BODY_SIZE, bold=True)
        style(d, "Cover Title", HEAD_FONT, Pt(26), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        style(d, "Table Title", HEAD_FONT, Pt(14), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=6)
        style(d, "Table Note", TABLE_FONT, Pt(10), indent=False)
        style(d, "Table Text", TABLE_FONT, Pt(9), indent=False)
        figure = style(d, "Figure", BODY_FONT, Pt(10), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=6)
        figure.paragraph_format.line_spacing = 1.0  # a fixed line height would crop the picture
        figure.paragraph_format.keep_with_next = True
        style(d, "Caption Text", KAI_FONT, Pt(12), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=6)
        sec = d.sections[0]
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
        self.page_numbers(sec)

    def page_numbers(self, section) -> None:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        self.run(p, "— ")
        run = p.add_run()
        for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._r.append(el)
        self.run(p, " —")

    def run(self, p, text: str, bold: bool = False):
        """A run carrying its East Asian font itself, as WPS does not always take it from the style."""
        r = p.add_run(text)
        r.bold = bold or None
        east_asian(r._r, STYLE_FONTS.get(p.style.name if p.style is not None else "Normal", BODY_FONT))
        return r

    def p(self, text: str = "", style: str = "Normal", bold: bool = False):
        para = self.doc.add_paragraph(style=style)
        if text:
            self.run(para, text, bold)
        return para

    def tag(self, text: str) -> None:
        """A paragraph holding only a block tag ({%p … %}); docxtpl removes the paragraph itself."""
        self.p(text)

    def part(self, text: str) -> None:
        self.p(text, "Part Title")

    def section(self, text: str) -> None:
        self.p(text, "Section")

    def subsection(self, text: str) -> None:
        self.p(text, "Subsection")

    def chart(self, name: str) -> None:
        """A chart with its caption, or the sentence that replaces it when all its values are zero."""
        self.tag(f"{{%p if charts.{name}.drawn %}}")
        self.p(f"{{{{ chart('{name}') }}}}", "Figure")
        self.p(f"{{{{ charts.{name}.caption }}}}", "Caption Text")
        self.tag("{%p else %}")
        self.p(f"{{{{ charts.{name}.empty_text }}}}")
        self.tag("{%p endif %}")

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def loop(self, head: str, body: list[str], tail: str = "{%p endfor %}") -> None:
        self.tag(head)
        for text in body:
            self.p(text)
        self.tag(tail)

    # ---- tables
    def table(self, headers: list[list[tuple[str, int]]], row_loop: str | None, cells: list[str],
              widths: list[float], fixed_rows: list[list[str]] = (), numeric_from: int = 2, labels: tuple[int, ...] = ()):
        """A bordered table: header rows ((text, span) cells; '' continues a vertical merge),
        an optional looped row, then fixed rows."""
        ncols = len(widths)
        t = self.doc.add_table(rows=0, cols=ncols)
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for hr in headers:
            row = t.add_row()
            self.repeat_header(row)
            col = 0
            for text, span in hr:
                cell = row.cells[col]
                if span > 1:
                    cell = cell.merge(row.cells[col + span - 1])
                if text != "^":
                    self.cell_text(cell, text, bold=True, center=True)
                col += span
        for r in range(1, len(headers)):  # '^' marks a cell merged with the one above
            col = 0
            for text, span in headers[r]:
                if text == "^":
                    t.cell(r - 1, col).merge(t.cell(r, col))
                col += span
        if row_loop:
            self.cell_text(t.add_row().cells[0], f"{{%tr for row in {row_loop} %}}")
            row = t.add_row()
            for i, text in enumerate(cells):
                self.cell_text(row.cells[i], text, right=i >= numeric_from and i not in labels)
            self.cell_text(t.add_row().cells[0], "{%tr endfor %}")
        for fixed in fixed_rows:
            row = t.add_row()
            for i, text in enumerate(fixed):
                self.cell_text(row.cells[i], text, right=i >= numeric_from and i not in labels)
        t.autofit = False
        for i, w in enumerate(widths):  # LibreOffice and WPS read the grid, Word reads the cells
            t.columns[i].width = Cm(w)
            for cell in t.columns[i].cells:
                cell.width = Cm(w)
        return t

    @staticmethod
    def repeat_header(row) -> None:
        trpr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trpr.append(el)

    def cell_text(self, cell, text: str, bold=False, center=False, right=False) -> None:
        p = cell.paragraphs[0]
        p.style = self.doc.styles["Table Text"]
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if text:
            self.run(p, text, bold)

    def landscape_section(self) -> None:
        sec = self.doc.add_section()
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21)
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(2.5), Cm(2.5), Cm(2.5), Cm(2.5)


def cover(b: Builder) -> None:
    for _ in range(6):
        b.p()
    b.p("{{ unit.name }}", "Cover Title")
    b.p("{{ year }}年度部门决算{{ unit.scope }}", "Cover Title")
    for _ in range(10):
        b.p()
    b.p("{{ unit.publish_date }}", "Part Title")
    b.page_break()
    b.p("目　　录", "Part Title")
    for line in ("第一部分　部门概况", "第二部分　{{ year }}年度部门决算情况说明", "第三部分　名词解释",
                 "第四部分　附表"):
        b.p(line)
    b.page_break()


def part_one(b: Builder) -> None:
    b.part("第一部分　部门概况")
    b.section("一、基本职能及主要工作")
    b.subsection("（一）主要职能")
    b.loop("{%p for item in functions %}", ["{{ loop.index }}.{{ item }}"])
    b.subsection("（二）{{ year }}年重点工作完成情况")
    b.loop("{%p for item in key_work %}", ["{{ loop.index }}.{{ item }}"])
    b.section("二、机构设置")
    b.p("{{ unit.short }}下属二级单位{{ unit.subunits }}个，其中行政单位{{ unit.sub_admin }}个，参照公务员法管理的事业单位"
        "{{ unit.sub_civil }}个，其他事业单位{{ unit.sub_other }}个。")
    b.p("纳入{{ unit.short }}{{ year }}年度部门决算编制范围的二级预算单位{{ unit.sub_budget_units }}个。")
    b.loop("{%p for item in organisation %}", ["{{ item }}"])
    b.page_break()


def part_two(b: Builder) -> None:
    b.part("第二部分　{{ year }}年度部门决算情况说明")
    b.section("一、收入支出决算总体情况说明")
    b.p("{{ year }}年度收入总计{{ grand.income.amount }}万元，{{ grand.income.yoy }}；支出总计{{ grand.expense.amount }}万元，"
        "{{ grand.expense.yoy }}。本年收入合计{{ income.amount }}万元，{{ income.yoy }}。{{ income.reason }}"
        "本年支出合计{{ expense.amount }}万元，{{ expense.yoy }}。{{ expense.reason }}")
    b.chart("totals")
    b.section("二、收入决算情况说明")
    b.p("{{ year }}年本年收入合计{{ income.amount }}万元{{ income.structure }}。")
    b.chart("income_structure")
    b.section("三、支出决算情况说明")
    b.p("{{ year }}年本年支出合计{{ expense.amount }}万元{{ expense.structure }}。")
    b.chart("expense_structure")
    b.section("四、财政拨款收入支出决算总体情况说明")
    b.p("{{ year }}年度财政拨款收入总计{{ fiscal.income.amount }}万元，{{ fiscal.income.yoy }}。{{ fiscal.income.reason }}"
        "财政拨款支出总计{{ fiscal.expense.amount }}万元，{{ fiscal.expense.yoy }}。{{ fiscal.expense.reason }}")
    b.chart("fiscal_totals")
    b.section("五、一般公共预算财政拨款支出决算情况说明")
    b.subsection("（一）一般公共预算财政拨款支出决算总体情况")
    b.p("{{ year }}年一般公共预算财政拨款支出{{ gp.amount }}万元，占本年支出合计的{{ gp.share_of_expense }}%，"
        "{{ gp.yoy }}。{{ gp.reason }}")
    b.chart("gp_change")
    b.subsection("（二）一般公共预算财政拨款支出决算结构情况")
    b.p("{{ year }}年一般公共预算财政拨款支出{{ gp.amount }}万元{{ gp.structure }}。")
    b.chart("gp_structure")
    b.subsection("（三）一般公共预算财政拨款支出决算具体情况")
    b.p("{{ year }}年一般公共预算财政拨款支出决算数为{{ gp.amount }}万元，{{ gp.completion }}。其中：")
    b.loop("{%p for line in gp.lines %}", ["{{ line.no }}.{{ line.name }}：支出决算为{{ line.amount }}万元，{{ line.budget_text }}。"])
    b.section("六、一般公共预算财政拨款基本支出决算情况说明")
    b.p("{{ year }}年一般公共预算财政拨款基本支出{{ basic.amount }}万元，其中：")
    b.p("人员经费{{ basic.personnel }}万元{{ basic.personnel_items }}。")
    b.p("公用经费{{ basic.public }}万元{{ basic.public_items }}。")
    b.section("七、“三公”经费财政拨款支出决算情况说明")
    b.subsection("（一）“三公”经费财政拨款支出决算总体情况说明")
    b.p("{{ year }}年“三公”经费财政拨款支出决算为{{ three.total.amount }}万元，{{ three.total.budget_text }}。"
        "“三公”经费支出{{ three.total.yoy }}。{{ three.total.reason }}")
    b.subsection("（二）“三公”经费财政拨款支出决算具体情况说明")
    b.tag("{%p if three.has_spending %}")
    b.p("{{ year }}年“三公”经费财政拨款支出决算中{{ three.structure }}。具体情况如下：")
    b.tag("{%p else %}")
    b.p("{{ year }}年度{{ unit.short }}未发生“三公”经费财政拨款支出。各项情况如下：")
    b.tag("{%p endif %}")
    b.chart("three_public_structure")
    b.p("1.因公出国（境）费支出{{ three.abroad.amount }}万元，{{ three.abroad.budget_text }}。全年安排因公出国（境）团组"
        "{{ three.abroad_groups }}个，累计{{ three.abroad_people }}人次。因公出国（境）费支出{{ three.abroad.yoy }}。{{ three.abroad.reason }}")
    b.p("2.公务用车购置及运行维护费支出{{ three.car.amount }}万元，{{ three.car.budget_text }}。其中：公务用车购置费"
        "{{ three.car_purchase.amount }}万元，本年购置公务用车{{ three.cars_bought }}辆；公务用车运行维护费"
        "{{ three.car_running.amount }}万元，截至{{ year }}年12月31日公务用车保有量{{ three.cars_held }}辆。"
        "公务用车购置及运行维护费支出{{ three.car.yoy }}。{{ three.car.reason }}")
    b.p("3.公务接待费支出{{ three.reception.amount }}万元，{{ three.reception.budget_text }}。公务接待费支出"
        "{{ three.reception.yoy }}。{{ three.reception.reason }}")
    b.p("其中：国内公务接待支出{{ three.domestic_amount }}万元，{{ three.reception_use }}全年国内公务接待"
        "{{ three.reception_batches }}批次、{{ three.reception_people }}人次（不包括陪同人员）。{{ three.reception_content }}")
    b.p("外事接待支出{{ three.foreign_amount }}万元，外事接待{{ three.foreign_batches }}批次、{{ three.foreign_people }}人次。")
    b.section("八、政府性基金预算支出决算情况说明")
    b.tag("{%p if fund.any %}")
    b.p("{{ year }}年政府性基金预算财政拨款支出{{ fund.amount }}万元{{ fund.structure }}。")
    b.tag("{%p else %}")
    b.p("{{ unit.short }}{{ year }}年度无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出。")
    b.tag("{%p endif %}")
    b.section("九、国有资本经营预算支出决算情况说明")
    b.tag("{%p if soe.any %}")
    b.p("{{ year }}年国有资本经营预算财政拨款支出{{ soe.amount }}万元{{ soe.structure }}。")
    b.tag("{%p else %}")
    b.p("{{ unit.short }}{{ year }}年度无国有资本经营预算财政拨款支出。")
    b.tag("{%p endif %}")
    b.section("十、其他重要事项的情况说明")
    b.subsection("（一）机关运行经费支出情况")
    b.p("{{ year }}年，{{ unit.short }}机关运行经费支出{{ running.amount }}万元，{{ running.yoy }}。{{ running.reason }}")
    b.subsection("（二）政府采购支出情况")
    b.tag("{%p if procurement.any %}")
    b.p("{{ year }}年，{{ unit.short }}政府采购支出总额{{ procurement.total }}万元，其中：{{ procurement.parts }}。"
        "授予中小企业合同金额{{ procurement.sme }}万元，占政府采购支出总额的{{ procurement.sme_share }}%，其中：授予小微企业合同金额"
        "{{ procurement.micro }}万元，占政府采购支出总额的{{ procurement.micro_share }}%。")
    b.tag("{%p else %}")
    b.p("{{ year }}年，{{ unit.short }}未发生政府采购支出。")
    b.tag("{%p endif %}")
    b.subsection("（三）国有资产占有使用情况")
    b.p("截至{{ year }}年12月31日，{{ unit.short }}共有车辆{{ assets.cars }}辆，其中：{{ assets.car_kinds }}；单价50万元以上"
        "通用设备{{ assets.general_equipment }}台（套），单价100万元以上专用设备{{ assets.special_equipment }}台（套）。")
    b.subsection("（四）预算绩效管理情况")
    b.tag("{%p if projects.entries %}")
    b.p("根据预算绩效管理要求，{{ unit.short }}在年初预算编制阶段{{ projects.pre_assessed }}，{{ projects.has_targets }}；"
        "预算执行过程中{{ projects.monitored }}；年度终了{{ projects.self_assessed }}。")
    b.loop("{%p for item in performance_summary %}", ["{{ item }}"])
    b.p("本部门在{{ year }}年度部门决算中反映{{ projects.names }}等{{ projects.count }}个项目的绩效目标实际完成情况：")
    b.loop("{%p for p in projects.entries %}", [
        "（{{ p.no }}）{{ p.name }}。项目全年预算数{{ p.budget }}万元，执行数{{ p.spent }}万元，{{ p.completion }}。"
        "{{ p.shortfall }}{{ p.achieved }}{{ p.problems }}{{ p.measures }}"])
    b.tag("{%p else %}")
    b.p("{{ year }}年度{{ unit.short }}未开展项目绩效评价。")
    b.tag("{%p endif %}")
    b.page_break()


def part_three(b: Builder) -> None:
    b.part("第三部分　名词解释")
    b.loop("{%p for g in glossary %}", ["{{ g.no }}.{{ g.term }}：{{ g.text }}"])


def unit_line(b: Builder, title: str) -> None:
    b.p(title, "Table Title")
    note = b.p("编制单位：{{ unit.name }}\t金额单位：万元", "Table Note")
    note.paragraph_format.tab_stops.add_tab_stop(Cm(24.6), WD_TAB_ALIGNMENT.RIGHT)


def part_tables(b: Builder) -> None:
    b.landscape_section()
    b.part("第四部分　附表")
    unit_line(b, "公开01表　收入支出决算总表（{{ year }}年度）")
    b.table([[("收入", 2), ("支出", 2)], [("项目", 1), ("决算数", 1), ("项目", 1), ("决算数", 1)]],
            "tables.t01", ["{{ row[0] }}", "{{ row[1] }}", "{{ row[2] }}", "{{ row[3] }}"], [8.35, 4, 8.35, 4], numeric_from=1, labels=(2,))
    b.page_break()
    unit_line(b, "公开02表　收入决算表（{{ year }}年度）")
    b.table([[("科目编码", 1), ("科目名称", 1), ("本年收入合计", 1), ("财政拨款收入", 1), ("上级补助收入", 1),
              ("事业收入", 1), ("经营收入", 1), ("附属单位上缴收入", 1), ("其他收入", 1)]],
            "tables.t02", ["{{ row.code }}", "{{ row.name }}"] + [f"{{{{ row.cells[{i}] }}}}" for i in range(7)],
            [2.0, 6.3, 2.4, 2.4, 2.2, 2.2, 2.2, 2.4, 2.2])
    b.page_break()
    unit_line(b, "公开03表　支出决算表（{{ year }}年度）")
    b.table([[("科目编码", 1), ("科目名称", 1), ("本年支出合计", 1), ("基本支出", 1), ("项目支出", 1),
              ("上缴上级支出", 1), ("经营支出", 1), ("对附属单位补助支出", 1)]],
            "tables.t03", ["{{ row.code }}", "{{ row.name }}"] + [f"{{{{ row.cells[{i}] }}}}" for i in range(6)],
            [2.0, 7.1, 2.6, 2.6, 2.6, 2.6, 2.4, 2.8])
    b.page_break()
    unit_line(b, "公开04表　财政拨款收入支出决算总表（{{ year }}年度）")
    b.table([[("项目", 1), ("财政拨款", 4)], [("^", 1), ("一般公共预算", 1), ("政府性基金预算", 1),
                                               ("国有资本经营预算", 1), ("合计", 1)]],
            "tables.t04", ["{{ row[0] }}", "{{ row[1] }}", "{{ row[2] }}", "{{ row[3] }}", "{{ row[4] }}"],
            [8.7, 4, 4, 4, 4], numeric_from=1)
    b.page_break()
    unit_line(b, "公开05表　一般公共预算财政拨款支出决算表（{{ year }}年度）")
    b.table([[("科目编码", 1), ("科目名称", 1), ("预算数", 1), ("决算数", 3)],
             [("^", 1), ("^", 1), ("^", 1), ("合计", 1), ("基本支出", 1), ("项目支出", 1)]],
            "tables.t05", ["{{ row.code }}", "{{ row.name }}"] + [f"{{{{ row.cells[{i}] }}}}" for i in range(4)],
            [2.4, 9.1, 3.3, 3.3, 3.3, 3.3])
    b.page_break()
    unit_line(b, "公开06表　一般公共预算财政拨款基本支出决算表（{{ year }}年度）")
    b.table([[("经济分类编码", 1), ("科目名称", 1), ("合计", 1), ("人员经费", 1), ("公用经费", 1)]],
            "tables.t06", ["{{ row.code }}", "{{ row.name }}"] + [f"{{{{ row.cells[{i}] }}}}" for i in range(3)],
            [3, 9.7, 4, 4, 4])
    b.page_break()
    unit_line(b, "公开07表　一般公共预算财政拨款“三公”经费支出决算表（{{ year }}年度）")
    b.table([[("项目", 1), ("合计", 1), ("因公出国（境）费", 1), ("公务用车购置及运行维护费", 3), ("公务接待费", 1)],
             [("^", 1), ("^", 1), ("^", 1), ("小计", 1), ("公务用车购置费", 1), ("公务用车运行维护费", 1), ("^", 1)]],
            None, [], [3, 3.6, 3.6, 3.6, 3.6, 3.6, 3.6],
            fixed_rows=[["预算数"] + [f"{{{{ tables.t07.budget[{i}] }}}}" for i in range(6)],
                        ["决算数"] + [f"{{{{ tables.t07.actual[{i}] }}}}" for i in range(6)]], numeric_from=1)
    b.page_break()
    for no, key, title, empty in (("08", "t08", "政府性基金预算财政拨款收入支出决算表", "fund"),
                                  ("09", "t09", "国有资本经营预算财政拨款支出决算表", "soe")):
        unit_line(b, f"公开{no}表　{title}（{{{{ year }}}}年度）")
        b.table([[("科目编码", 1), ("科目名称", 1), ("预算数", 1), ("决算数", 3)],
                 [("^", 1), ("^", 1), ("^", 1), ("合计", 1), ("基本支出", 1), ("项目支出", 1)]],
                f"tables.{key}", ["{{ row.code }}", "{{ row.name }}"] + [f"{{{{ row.cells[{i}] }}}}" for i in range(4)],
                [2.4, 9.1, 3.3, 3.3, 3.3, 3.3])
        b.tag(f"{{%p if not tables.{key} %}}")
        b.p(f"注：{{{{ unit.short }}}}{{{{ year }}}}年度无{'政府性基金预算' if empty == 'fund' else '国有资本经营预算'}财政拨款收支，本表无数据。", "Table Note")
        b.tag("{%p endif %}")
        if no == "08":
            b.page_break()


def build() -> Path:
    b = Builder()
    cover(b)
    part_one(b)
    part_two(b)
    part_three(b)
    part_tables(b)
    b.doc.core_properties.title = "部门决算公开（四川样式）"
    b.doc.core_properties.author = "juesuan"
    path = OUT / "sichuan_juesuan.docx"
    b.doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
