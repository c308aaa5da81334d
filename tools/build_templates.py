"""Build the shipped templates (templates/NAME.docx, one per layout in TEMPLATES) with python-docx.

This file is the one source of truth for the shipped .docx files: after changing it, rebuild them with
`python tools/build_templates.py` (or into another folder: `python tools/build_templates.py OUTDIR`);
tests/test_shipped_templates.py fails while a shipped template differs from what this builds. The settings
beside each template (templates/NAME.toml) are written by hand. Users copy a shipped template
(`juesuan templates --copy`) and edit the copy in Word or WPS.

The build is deterministic: the same source gives the same bytes (python-docx's own template fixes the
document properties' dates; the zip entries get a fixed time here), so rebuilding an unchanged template
does not make `juesuan batch` regenerate every document.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

OUT = Path(__file__).resolve().parent.parent / "templates"
BODY_FONT, HEAD_FONT, KAI_FONT, TABLE_FONT = "仿宋", "黑体", "楷体", "宋体"
BODY_SIZE = Pt(14)
MARGIN_TWIPS = 57  # 0.1 cm: the left and right cell margins of form tables
SIGN_ROOM, DATE_ROOM = 3.5, 1.0  # cm left free right of a signer's label and of 年月日 in a sign-off box
HEADINGS = ("Part Title", "Section", "Subsection", "Item Heading", "Table Title")
OUTLINE = {"Part Title": 0, "Section": 1, "Subsection": 2}
TEXT_WIDTH = Cm(15.6)  # A4 portrait less the margins set in Builder
STYLE_FONTS = {"Caption Text": KAI_FONT, "Part Title": HEAD_FONT, "Title Line": HEAD_FONT, "Section": HEAD_FONT, "Subsection": KAI_FONT, "Cover Title": HEAD_FONT,
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
    pf.keep_with_next = name in HEADINGS  # no heading alone at a page foot
    if name in OUTLINE:  # Word's navigation pane and any table of contents a user inserts find the headings
        ppr = st.element.get_or_add_pPr()
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(OUTLINE[name]))
        ppr.insert_element_before(level, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
    return st


class Kept(list):
    """A form row (a list of cells) kept on the page of the row below it: see looped()."""


def looped(loop: str, cells: list, keep_last: bool = False) -> list:
    """Form rows repeating `cells` for each item ('row in perf.grid.indicators'), split into loops so that no row
    stands alone on a page. keep_last: a fixed row (总分, 说明) follows, and the last item keeps with it (all items
    but the last, then the last one, whose paragraphs keep with the next row); otherwise the table ends with the
    loop, and its last two items keep together."""
    var, seq = loop.split(" in ", 1)
    parts = ((f"{seq}[:-1]", False), (f"{seq}[-1:]", True)) if keep_last else \
        ((f"{seq}[:-2]", False), (f"{seq}[-2:-1]", True), (f"{seq}[-1:]", False))
    rows: list = []
    for items, kept in parts:
        rows += [("tr", f"for {var} in {items}"), Kept(cells) if kept else cells, ("tr", "endfor")]
    return rows


class Builder:
    """Writes paragraphs and tables, each template tag whole in a single run."""

    def __init__(self):
        self.doc = Document()
        self.joined = False  # the next table continues the one above (see gap)
        self.new_page = False  # the next paragraph starts a page (see page_break)
        self.contents: list[tuple[int, str, str]] | None = None  # (level, text, bookmark) once a 目录 is asked for
        d = self.doc
        style(d, "Normal", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        style(d, "Part Title", HEAD_FONT, Pt(16), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=12, after=12)
        style(d, "Section", HEAD_FONT, BODY_SIZE, before=6)
        style(d, "Subsection", KAI_FONT, BODY_SIZE, bold=True)
        style(d, "Item Heading", BODY_FONT, BODY_SIZE, bold=True)  # 1.项目绩效目标完成情况: a heading inside a subsection
        style(d, "Cover Title", HEAD_FONT, Pt(26), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        style(d, "Title Line", HEAD_FONT, Pt(16), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=12, after=12)
        for level, indent in ((1, 0), (2, 28)):  # the 目录's lines: title, dot leader, page number at the right margin
            toc = style(d, f"Contents {level}", BODY_FONT, BODY_SIZE, indent=False, bold=level == 1,
                        align=WD_ALIGN_PARAGRAPH.LEFT)
            toc.paragraph_format.left_indent = Pt(indent)
            toc.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
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
        if self.new_page and not text.startswith("{%"):  # a tag paragraph is removed, and its break with it
            para.paragraph_format.page_break_before = True
            self.new_page = False
        return para

    def tag(self, text: str) -> None:
        """A paragraph holding only a block tag ({%p … %}); docxtpl removes the paragraph itself."""
        self.p(text)

    def part(self, text: str, contents: bool = True) -> None:
        self.heading(text, "Part Title", 1 if contents else 0)

    def section(self, text: str, contents: bool = True) -> None:
        self.heading(text, "Section", 2 if contents else 0)

    def section_unlisted(self, text: str) -> None:
        self.section(text, contents=False)

    def heading(self, text: str, style: str, level: int) -> None:
        """A heading; listed in the 目录 at `level` (1 or 2) when the document has one. A heading inside a loop is
        never listed (contents=False): its bookmark would repeat."""
        para = self.p(text, style)
        if self.contents is None or not level:
            return
        name = f"_Toc{len(self.contents) + 100000001}"  # Word's own hidden-bookmark names for headings
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(len(self.contents) + 1))
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), str(len(self.contents) + 1))
        para._p.insert(para._p.index(para._p.r_lst[0]), start)
        para._p.append(end)
        self.contents.append((level, text, name))

    def contents_here(self) -> None:
        """Mark where the 目录 goes; its lines are written by fill_contents() once every heading is known."""
        self.contents = []
        self.contents_mark = self.doc.add_paragraph()._p

    def fill_contents(self) -> None:
        """The 目录: one line per listed heading, linked to it, with a PAGEREF field for its page number.

        Not a TOC field: LibreOffice shows a TOC field's stored result as it is (it does not update indexes when it
        converts), while it computes PAGEREF fields as it lays the pages out, and so does Word when it updates the
        fields on opening (w:updateFields in settings.xml). The lines are fixed by the template, like the headings.
        """
        mark = self.contents_mark
        for level, text, bookmark in self.contents or []:
            para = self.doc.add_paragraph(style=f"Contents {level}")
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), bookmark)
            link.set(qn("w:history"), "1")
            para._p.append(link)
            self.run_into(link, para, text + "\t")
            for kind, instr in (("begin", None), (None, f" PAGEREF {bookmark} \\h "), ("separate", None), ("end", None)):
                run = self.run_into(link, para, "")
                if kind:
                    el = OxmlElement("w:fldChar")
                    el.set(qn("w:fldCharType"), kind)
                else:
                    el = OxmlElement("w:instrText")
                    el.set(qn("xml:space"), "preserve")
                    el.text = instr
                run.append(el)
            mark.addprevious(para._p)
        mark.getparent().remove(mark)
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert_element_before(update, "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
                                       "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
                                       "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
                                       "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
                                       "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
                                       "w:listSeparator")

    def run_into(self, parent, para, text: str):
        """A run (with the paragraph style's East Asian font) appended to `parent`, a paragraph or a hyperlink."""
        r = self.run(para, text)._r
        parent.append(r)
        return r

    def numbered_from_here(self) -> None:
        """End the cover pages: the pages before carry no number, the next page is page 1."""
        body = self.doc.add_section(WD_SECTION.NEW_PAGE)  # python-docx moves the footer to the section before
        self.doc.sections[-2].footer.is_linked_to_previous = True  # the cover's section: no footer at all
        body.footer.is_linked_to_previous = False
        self.page_numbers(body)
        number = OxmlElement("w:pgNumType")
        number.set(qn("w:start"), "1")
        body._sectPr.insert_element_before(number, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                           "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
                                           "w:sectPrChange")

    def subsection(self, text: str) -> None:
        self.p(text, "Subsection")

    def item(self, text: str) -> None:
        self.p(text, "Item Heading")

    def caption(self, text: str) -> None:
        """A small title line above a table, kept on the page of the table's first row."""
        self.p(text, "Table Note").paragraph_format.keep_with_next = True

    def chart(self, name: str) -> None:
        """A chart with its caption, or the sentence that replaces it when all its values are zero."""
        self.tag(f"{{%p if charts.{name}.drawn %}}")
        self.p(f"{{{{ chart('{name}') }}}}", "Figure")
        self.p(f"{{{{ charts.{name}.caption }}}}", "Caption Text")
        self.tag("{%p else %}")
        self.p(f"{{{{ charts.{name}.empty_text }}}}")
        self.tag("{%p endif %}")

    def page_break(self) -> None:
        """The next paragraph starts a page: a break before it, not a paragraph holding a break, which would leave an
        empty page after a page the text fills to the bottom."""
        self.new_page = True

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
        self.narrow_margins(t)
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
        for row in t.rows:  # the header keeps with the first row below it
            for p in row._tr.iter(qn("w:p")):
                Paragraph(p, None).paragraph_format.keep_with_next = True
        # the looped rows in three loops, so that the last row never stands alone on a page: all rows but the last
        # two, then the last but one (kept with the next row), then the last one
        loops = ((f"{row_loop}[:-2]", False), (f"{row_loop}[-2:-1]", True), (f"{row_loop}[-1:]", False)) if row_loop else ()
        for loop, kept in loops:
            self.cell_text(t.add_row().cells[0], f"{{%tr for row in {loop} %}}")
            row = t.add_row()
            for i, text in enumerate(cells):
                self.cell_text(row.cells[i], text, right=i >= numeric_from and i not in labels)
                row.cells[i].paragraphs[0].paragraph_format.keep_with_next = kept or None
            self.cell_text(t.add_row().cells[0], "{%tr endfor %}")
        for fixed in fixed_rows:
            row = t.add_row()
            for i, text in enumerate(fixed):
                self.cell_text(row.cells[i], text, right=i >= numeric_from and i not in labels)
        for row in t.rows:
            row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))  # a row never breaks across pages
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
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.style = self.doc.styles["Table Text"]
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if text:
            self.run(p, text, bold)

    def form(self, widths: list[float], rows: list, header: int = 0, together: bool = False):
        """A bordered form table. A row is a list of cells — text, (text, span) or (text, span, align) with align
        'l', 'c' or 'r'; text '^' continues the cell above; a list of texts makes one paragraph each — or a pair
        ('tr', 'for x in y' / 'endfor' / 'if …' / 'endif') that becomes a docxtpl row tag. The first `header`
        rows repeat on every page the table spans. together: every row keeps with the next, so the whole table (a
        form's head block, a few rows) stays on one page with what follows it."""
        t = self.doc.add_table(rows=0, cols=len(widths))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.narrow_margins(t)
        self.continue_rule(t)
        ups: list[tuple[int, int]] = []
        for r, spec in enumerate(rows):
            row = t.add_row()
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a form row never breaks across pages
            if r < header:
                self.repeat_header(row)
            if isinstance(spec, tuple):
                self.cell_text(row.cells[0], f"{{%tr {spec[1]} %}}")
                continue
            col = 0
            for cell_spec in spec:
                text, span, align = (cell_spec, 1, "c") if isinstance(cell_spec, str | list) else (*cell_spec, "c")[:3]
                cell = row.cells[col]
                if span > 1:
                    cell = cell.merge(row.cells[col + span - 1])
                if text == "^":
                    ups.append((r, col, span))
                else:
                    self.cell_lines(cell, text if isinstance(text, list) else [text], align, bold=r < header)
                col += span
            if together or r < header or isinstance(spec, Kept):  # a header or Kept row starts no page alone
                for p in row._tr.iter(qn("w:p")):
                    Paragraph(p, None).paragraph_format.keep_with_next = True
        for r, c, span in ups:
            t.cell(r - 1, c).merge(t.cell(r, c + span - 1))
        t.autofit = False
        for i, w in enumerate(widths):
            t.columns[i].width = Cm(w)
            for cell in t.columns[i].cells:
                cell.width = Cm(w)
        return t

    @staticmethod
    def narrow_margins(t) -> None:
        """Cell margins of 0.1 cm (Word's default is 0.19): a four-character label fits a 1.5 cm column."""
        mar = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(MARGIN_TWIPS))
            el.set(qn("w:type"), "dxa")
            mar.append(el)
        t._tbl.tblPr.insert_element_before(mar, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")

    def continue_rule(self, t) -> None:
        """A table right after gap() draws no top rule: the rule above it is the bottom of the table before."""
        if not self.joined:
            return
        self.joined = False
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{side}")
            if side == "top":
                el.set(qn("w:val"), "nil")
            else:
                el.set(qn("w:val"), "single")
                el.set(qn("w:sz"), "4")
                el.set(qn("w:space"), "0")
                el.set(qn("w:color"), "auto")
            borders.append(el)
        t._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                           "w:tblDescription", "w:tblPrChange")

    def cell_lines(self, cell, texts: list, align: str = "c", bold: bool = False) -> None:
        """One paragraph per text; a text may be (text, align, right indent in cm) to place that line apart."""
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER  # a cell merged over rows: text in its middle
        for i, item in enumerate(texts):
            text, line_align, indent = (item, align, 0) if isinstance(item, str) else item
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.style = self.doc.styles["Table Text"]
            p.alignment = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER,
                           "r": WD_ALIGN_PARAGRAPH.RIGHT}[line_align]
            if indent:
                p.paragraph_format.right_indent = Cm(indent)
            if text:
                self.run(p, text, bold and not text.startswith("{{"))

    def gap(self) -> None:
        """A hairline paragraph between two tables: without it Word and LibreOffice join them into one table and
        the second one's header row would no longer repeat on each page. The next table has no top rule, so the
        two read as one form, not as a double rule."""
        p = self.doc.add_paragraph(style="Table Text")
        p.paragraph_format.line_spacing = Pt(1)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.keep_with_next = True
        self.joined = True

    def signature(self, *texts: str, lead: tuple[str, ...] = ()) -> None:
        """The sign-off lines at the right (unit, date), on one page with each other and with the `lead` lines
        printed before them (an 附件 line), and with the last line of text above: the date never stands alone on a
        page, nor the signature."""
        self.keep_last_text()
        for text in lead:
            self.p(text).paragraph_format.keep_with_next = True
        for i, text in enumerate(texts):
            p = self.p(text)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.keep_with_next = i < len(texts) - 1

    def keep_last_text(self) -> None:
        """The last paragraph written that is not a tag (nor blank) keeps with the next: with every paragraph after
        it, up to here, it stays on the page of what comes next."""
        for para in reversed(self.doc.paragraphs):
            para.paragraph_format.keep_with_next = True
            if para.text.strip() and not para.text.startswith("{%"):
                return

    def landscape_section(self) -> None:
        sec = self.doc.add_section()
        for restart in sec._sectPr.findall(qn("w:pgNumType")):  # numbering goes on from the pages before
            sec._sectPr.remove(restart)
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
    b.p("{{ unit.publish_date }}", "Title Line")
    b.page_break()
    b.p("目　　录", "Title Line")
    b.contents_here()
    b.numbered_from_here()


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
    b.tag("{%p endif %}")
    b.loop("{%p for item in performance_summary %}", ["{{ item }}"])
    b.item("1.项目绩效目标完成情况")
    b.tag("{%p if projects.entries %}")
    b.p("本部门在{{ year }}年度部门决算中反映{{ projects.names }}等{{ projects.count }}个项目的绩效目标实际完成情况"
        "（各项目的项目绩效目标完成情况表见附件2）：")
    b.loop("{%p for p in projects.entries %}", [
        "（{{ p.no }}）{{ p.name }}。项目全年预算数{{ p.budget }}万元，执行数{{ p.spent }}万元，{{ p.completion }}。"
        "{{ p.shortfall }}{{ p.achieved }}{{ p.problems }}{{ p.measures }}"])
    b.tag("{%p else %}")
    b.p("{{ year }}年度{{ unit.short }}未开展项目绩效评价。")
    b.tag("{%p endif %}")
    b.item("2.部门绩效评价结果")
    b.p("本部门按要求对{{ year }}年度部门整体支出开展了绩效自评，《{{ unit.short }}{{ year }}年部门整体支出绩效评价报告》"
        "见附件1。")
    b.tag("{%p if perf.list %}")
    b.p("本部门自行组织对{{ projects.names }}等{{ projects.count }}个项目开展了绩效评价，各项目的绩效评价报告见附件2"
        "（{% if perf.list|length > 1 %}附件2-1至附件2-{{ perf.count }}{% else %}附件2-1{% endif %}）。")
    b.tag("{%p endif %}")
    b.page_break()


def part_three(b: Builder) -> None:
    b.part("第三部分　名词解释")
    b.loop("{%p for g in glossary %}", ["{{ g.no }}.{{ g.term }}：{{ g.text }}"])


def unit_line(b: Builder, title: str, new_page: bool = True) -> None:
    """A 附表's title (on a new page: a page break before it, never an empty page after a full one) and unit line."""
    b.p(title, "Table Title").paragraph_format.page_break_before = new_page
    note = b.p("编制单位：{{ unit.name }}\t金额单位：万元", "Table Note")
    note.paragraph_format.tab_stops.add_tab_stop(Cm(24.6), WD_TAB_ALIGNMENT.RIGHT)
    note.paragraph_format.keep_with_next = True


def part_tables(b: Builder, title: str = "第五部分　附表", label: str = "") -> None:
    """The nine 公开 tables, landscape: 第五部分 附表 (Sichuan) or the 附件 a layout names (Chongqing)."""
    b.landscape_section()
    if label:
        b.p(label, "Section")
    b.part(title)
    unit_line(b, "公开01表　收入支出决算总表（{{ year }}年度）", new_page=False)
    b.table([[("收入", 2), ("支出", 2)], [("项目", 1), ("决算数", 1), ("项目", 1), ("决算数", 1)]],
            "tables.t01", ["{{ row[0] }}", "{{ row[1] }}", "{{ row[2] }}", "{{ row[3] }}"], [8.35, 4, 8.35, 4], numeric_from=1, labels=(2,))
    unit_line(b, "公开02表　收入决算表（{{ year }}年度）")
    b.table([[("科目编码", 1), ("科目名称", 1), ("本年收入合计", 1), ("财政拨款收入", 1), ("上级补助收入", 1),
              ("事业收入", 1), ("经营收入", 1), ("附属单位\n上缴收入", 1), ("其他收入", 1)]],
            "tables.t02", ["{{ row.code }}", "{{ row.name }}"] + [f"{{{{ row.cells[{i}] }}}}" for i in range(7)],
            [2.0, 6.3, 2.4, 2.4, 2.2, 2.2, 2.2, 2.4, 2.2])
    unit_line(b, "公开03表　支出决算表（{{ year }}年度）")
    b.table([[("科目编码", 1), ("科目名称", 1), ("本年支出合计", 1), ("基本支出", 1), ("项目支出", 1),
              ("上缴上级支出", 1), ("经营支出", 1), ("对附属单位\n补助支出", 1)]],
            "tables.t03", ["{{ row.code }}", "{{ row.name }}"] + [f"{{{{ row.cells[{i}] }}}}" for i in range(6)],
            [2.0, 7.1, 2.6, 2.6, 2.6, 2.6, 2.4, 2.8])
    unit_line(b, "公开04表　财政拨款收入支出决算总表（{{ year }}年度）")
    b.table([[("项目", 1), ("财政拨款", 4)], [("^", 1), ("一般公共预算", 1), ("政府性基金预算", 1),
                                               ("国有资本经营预算", 1), ("合计", 1)]],
            "tables.t04", ["{{ row[0] }}", "{{ row[1] }}", "{{ row[2] }}", "{{ row[3] }}", "{{ row[4] }}"],
            [8.7, 4, 4, 4, 4], numeric_from=1)
    unit_line(b, "公开05表　一般公共预算财政拨款支出决算表（{{ year }}年度）")
    b.table([[("科目编码", 1), ("科目名称", 1), ("预算数", 1), ("决算数", 3)],
             [("^", 1), ("^", 1), ("^", 1), ("合计", 1), ("基本支出", 1), ("项目支出", 1)]],
            "tables.t05", ["{{ row.code }}", "{{ row.name }}"] + [f"{{{{ row.cells[{i}] }}}}" for i in range(4)],
            [2.4, 9.1, 3.3, 3.3, 3.3, 3.3])
    unit_line(b, "公开06表　一般公共预算财政拨款基本支出决算表（{{ year }}年度）")
    b.table([[("经济分类编码", 1), ("科目名称", 1), ("合计", 1), ("人员经费", 1), ("公用经费", 1)]],
            "tables.t06", ["{{ row.code }}", "{{ row.name }}"] + [f"{{{{ row.cells[{i}] }}}}" for i in range(3)],
            [3, 9.7, 4, 4, 4])
    unit_line(b, "公开07表　一般公共预算财政拨款“三公”经费支出决算表（{{ year }}年度）")
    b.table([[("项目", 1), ("合计", 1), ("因公出国（境）费", 1), ("公务用车购置及运行维护费", 3), ("公务接待费", 1)],
             [("^", 1), ("^", 1), ("^", 1), ("小计", 1), ("公务用车购置费", 1), ("公务用车运行维护费", 1), ("^", 1)]],
            None, [], [3, 3.6, 3.6, 3.6, 3.6, 3.6, 3.6],
            fixed_rows=[["预算数"] + [f"{{{{ tables.t07.budget[{i}] }}}}" for i in range(6)],
                        ["决算数"] + [f"{{{{ tables.t07.actual[{i}] }}}}" for i in range(6)]], numeric_from=1)
    b.tag("{%p if tables.notes.t07 %}")
    b.p("{{ tables.notes.t07 }}", "Table Note")
    b.tag("{%p endif %}")
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


# ---------------------------------------------------------------- 绩效 pieces shared by several layouts
def lines(b: Builder, name: str, numbered: str = "", sentences: bool = False) -> None:
    """One paragraph per line of a text list (numbered '1.' '（1）' '1、' when asked); `sentences`: each line ends
    with exactly one 。 (problems, suggestions, measures)."""
    prefix = {"": "", ".": "{{ loop.index }}.", "（）": "（{{ loop.index }}）", "、": "{{ loop.index }}、"}[numbered]
    source = f"{name}|sentences" if sentences else name
    b.loop(f"{{%p for line in {source} %}}", [prefix + "{{ line }}"])


def indicator_rows(value: str) -> list:
    """A looped indicator row whose 一级 and 二级 cells merge over their rows."""
    return looped(f"row in {value}", [
        "{% vmerge row.merge.level1 %}{{ row.level1 }}", "{% vmerge row.merge.level2 %}{{ row.level2 }}",
        ("{{ row.level3 }}", 1, "l"), "{{ row.target }}", "{{ row.actual }}"])


def project_targets_table(b: Builder) -> None:
    """项目绩效目标完成情况表 (Sichuan): one per project, 一级/二级 merged over their rows."""
    b.p("项目绩效目标完成情况表", "Table Title")
    b.p("（{{ year }}年度）", "Caption Text")
    # widths as in project_fund_form: no label breaks inside a word (其中：财政拨款 needs 2.5 cm)
    b.form([2.2, 2.6, 2.5, 2.6, 2.85, 2.85], together=True, rows=[
        ["项目名称", ("{{ p.name }}", 5, "l")],
        ["预算单位", ("{{ unit.name }}", 5, "l")],
        [["预算执行情况", "（万元）"], "预算数", "{{ p.budget }}", "执行数", ("{{ p.spent }}", 2)],
        ["^", "其中：财政拨款", "{{ p.fiscal_budget }}", "其中：财政拨款", ("{{ p.fiscal_spent }}", 2)],
        ["^", "其他资金", "{{ p.other_budget }}", "其他资金", ("{{ p.other_spent }}", 2)],
        [["年度目标", "完成情况"], ("预期目标", 2), ("实际完成目标", 3)],
        ["^", (["{%p for line in p.target %}", "{{ line }}", "{%p endfor %}"], 2, "l"),
         (["{%p for line in p.achieved %}", "{{ line }}", "{%p endfor %}"], 3, "l")],
    ])
    b.gap()
    b.form([1.7, 1.9, 2.5, 4.6, 2.45, 2.45], [
        [["{% vmerge False %}绩效指标", "完成情况"], "一级指标", "二级指标", "三级指标", "预期指标值", "实际完成值"],
        *looped("row in p.indicators", [
            "{% vmerge True %}", "{% vmerge row.merge.level1 %}{{ row.level1 }}",
            "{% vmerge row.merge.level2 %}{{ row.level2 }}", ("{{ row.level3 }}", 1, "l"), "{{ row.target }}",
            "{{ row.actual }}"]),
    ], header=1)


def part_annexes(b: Builder) -> None:
    """第四部分 附件 (Sichuan): the department's 绩效评价报告, then per project its report and its targets table."""
    b.part("第四部分　附件")
    b.p("附件1", "Section")
    b.heading("{{ unit.short }}{{ year }}年部门整体支出绩效评价报告", "Part Title", 2)
    b.section_unlisted("一、部门（单位）概况")
    b.subsection("（一）机构组成")
    b.p("{{ unit.name }}为{{ unit.kind }}，下属二级单位{{ unit.subunits }}个，纳入{{ year }}年度部门决算编制范围的二级预算单位"
        "{{ unit.sub_budget_units }}个。")
    lines(b, "texts.composition")
    b.subsection("（二）机构职能")
    lines(b, "functions", ".")
    b.subsection("（三）人员概况")
    b.p("{{ unit.short }}编制数{{ perf.staff.quota }}人，年末实有人数{{ perf.staff.actual }}人{{ perf.staff.kinds }}；"
        "退休人员{{ perf.staff.retired }}人。")
    b.section_unlisted("二、部门财政资金收支情况")
    b.subsection("（一）部门财政资金收入情况")
    b.p("{{ year }}年本年收入合计{{ income.amount }}万元{{ income.structure }}。")
    b.subsection("（二）部门财政资金支出情况")
    b.p("{{ year }}年本年支出合计{{ expense.amount }}万元{{ expense.structure }}。")
    b.section_unlisted("三、部门整体预算绩效管理情况")
    b.subsection("（一）部门预算管理")
    lines(b, "texts.budget_management")
    b.subsection("（二）结果应用情况")
    lines(b, "texts.result_use")
    b.section_unlisted("四、评价结论及建议")
    b.subsection("（一）评价结论")
    lines(b, "texts.conclusion")
    b.tag("{%p if perf.dept_score.scored %}")
    b.p("{{ unit.short }}{{ year }}年部门整体支出绩效自评得分{{ perf.dept_score.score }}分，评价等级为“{{ perf.dept_score.grade_word }}”。")
    b.tag("{%p endif %}")
    b.subsection("（二）存在问题")
    lines(b, "texts.problems", sentences=True)
    b.subsection("（三）改进建议")
    lines(b, "texts.suggestions", sentences=True)
    b.tag("{%p for p in perf.list %}")
    b.page_break()
    b.p("附件2-{{ p.no }}", "Section")
    b.part("{{ p.name }}项目{{ year }}年绩效评价报告", contents=False)
    b.section_unlisted("一、项目概况")
    lines(b, "p.summary")
    b.p("项目全年预算数{{ p.budget }}万元，执行数{{ p.spent }}万元，{{ p.completion }}。{{ p.shortfall }}")
    b.section_unlisted("二、评价结论及绩效分析")
    b.subsection("（一）评价结论")
    lines(b, "p.achieved")
    b.tag("{%p if p.scored %}")
    b.p("项目绩效自评得分{{ p.score }}分，评价等级为“{{ p.grade_word }}”。项目评价得分如下表：")
    b.form([6, 3.5, 3.5], [
        ["目标任务", "分值", "得分"],
        *looped("s in p.by_level1", [("{{ s.name }}", 1, "l"), "{{ s.weight }}分", "{{ s.score }}分"], keep_last=True),
        ["合　计", "{{ p.possible }}分", "{{ p.score }}分"],
    ], header=1)
    b.tag("{%p endif %}")
    b.subsection("（二）绩效分析")
    b.item("1.项目决策")
    lines(b, "p.decision")
    b.item("2.项目管理")
    lines(b, "p.management")
    b.p("项目全年预算数{{ p.budget }}万元，{{ year }}年执行数{{ p.spent }}万元，{{ p.completion }}。")
    b.item("3.项目绩效")
    lines(b, "p.effect")
    b.section_unlisted("三、存在主要问题")
    lines(b, "p.problems", sentences=True)
    b.section_unlisted("四、相关措施建议")
    lines(b, "p.measures", sentences=True)
    b.page_break()
    project_targets_table(b)
    b.tag("{%p endfor %}")


def sichuan_juesuan() -> Builder:
    b = Builder()
    cover(b)
    part_one(b)
    part_two(b)
    part_three(b)
    b.page_break()
    part_annexes(b)
    part_tables(b)
    b.fill_contents()
    return b


# ---------------------------------------------------------------- B. 部门决算公开, Chongqing
def project_fund_form(b: Builder) -> None:
    """项目资金绩效自评表 (Chongqing), one per project: the funds block, then the indicator grid (its header row
    repeats on each page).

    Widths (cm, 15.6 in all) such that no label breaks inside a word at the 9-point table font, with 0.2 cm of cell
    margins: N characters need 0.32 N + 0.2 (四个字 1.5, 五个字 1.8, 七个字 2.5); longer labels break where their
    lines below say. The two tables have their own columns and the same outer width.
    """
    b.p("{{ year }}年度项目资金绩效自评表", "Table Title")
    b.form([1.7, 1.9, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0], together=True, rows=[
        ["项目名称", ("{{ p.name }}", 3, "l"), "总分", "{{ p.score }}", "等级", "{{ p.grade }}"],
        ["主管部门", ("{{ p.department }}", 3, "l"), "实施单位", ("{{ p.implementer }}", 3, "l")],
        [("项目资金（万元）", 2), "年初预算数", ["全年预算数", "（A）"], ["全年执行数", "（B）"], ["执行率", "（B/A）"], "分值",
         "得分"],
        ("tr", "for f in p.funds"),
        [("{{ f.name }}", 2, "l"), "{{ f.initial }}", "{{ f.budget }}", "{{ f.spent }}", "{{ f.rate }}", "{{ f.weight }}",
         "{{ f.score }}"],
        ("tr", "endfor"),
        [["年度总体", "目标"], ("年初设定目标", 4), ("全年目标实际完成情况", 3)],
        ["^", (["{%p for line in p.target %}", "{{ line }}", "{%p endfor %}"], 4, "l"),
         (["{%p for line in p.achieved %}", "{{ line }}", "{%p endfor %}"], 3, "l")],
    ])
    b.gap()
    b.form([1.9, 2.5, 2.9, 1.5, 1.5, 1.0, 1.5, 1.0, 1.8], [
        ["一级指标", "二级指标", "三级指标", ["年度", "指标值"], ["全年", "完成值"], "分值", "得分系数", "得分",
         ["偏离绩效", "目标原因", "及下一步", "改进措施"]],
        *looped("row in p.indicators", [
            "{% vmerge row.merge.level1 %}{{ row.level1 }}", "{% vmerge row.merge.level2 %}{{ row.level2 }}",
            ("{{ row.level3 }}", 1, "l"), "{{ row.target }}", "{{ row.actual }}", "{{ row.weight }}",
            "{{ row.coefficient }}", "{{ row.score }}", ("{{ row.reason }}", 1, "l")], keep_last=True),
        ["说明", ("{{ p.note }}", 8, "l")],
    ], header=1)


def chongqing_juesuan() -> Builder:
    b = Builder()
    b.p("{{ unit.name }}{{ year }}年度部门决算情况说明{{ unit.scope }}", "Cover Title")
    b.section("一、部门基本情况")
    b.subsection("（一）职能职责")
    lines(b, "functions", ".")
    b.subsection("（二）机构设置")
    lines(b, "organisation", ".")
    b.subsection("（三）机构改革情况、单位构成")
    lines(b, "texts.reform")
    b.p("{{ unit.short }}纳入{{ year }}年度部门决算编制范围的二级预算单位{{ unit.sub_budget_units }}个，年末实有人数{{ perf.staff.actual }}人。")
    b.section("二、部门决算情况说明")
    b.subsection("（一）收入支出决算总体情况说明")
    b.p("1.总体情况。{{ year }}年度收入总计{{ grand.income.amount }}万元，支出总计{{ grand.expense.amount }}万元。"
        "收入总计{{ cq.grand.yoy }}。{{ cq.grand.reason }}")
    b.p("2.收入情况。{{ year }}年度本年收入合计{{ cq.income.amount }}万元，{{ cq.income.yoy }}。{{ cq.income.reason }}"
        "{{ income.main_sentence }}")
    b.p("3.支出情况。{{ year }}年度本年支出合计{{ cq.expense.amount }}万元，{{ cq.expense.yoy }}。{{ cq.expense.reason }}"
        "{{ expense.main_sentence }}")
    b.p("4.结转结余情况。{{ year }}年度年末结转和结余{{ cq.closing.amount }}万元，{{ cq.closing.yoy }}。{{ cq.closing.reason }}")
    b.subsection("（二）财政拨款收入支出决算总体情况说明")
    b.p("{{ year }}年度财政拨款收入总计{{ fiscal.income.amount }}万元，{{ fiscal.income.yoy }}；财政拨款支出总计"
        "{{ fiscal.expense.amount }}万元，{{ fiscal.expense.yoy }}。{{ fiscal.expense.reason }}")
    b.subsection("（三）一般公共预算财政拨款支出决算情况说明")
    b.p("1.收入情况。{{ year }}年度一般公共预算财政拨款收入{{ cq.gp_income.amount }}万元，{{ cq.gp_income.yoy }}。"
        "{{ cq.gp_income.reason }}")
    b.p("2.支出情况。{{ year }}年度一般公共预算财政拨款支出{{ cq.gp_expense.amount }}万元，{{ cq.gp_expense.yoy }}，"
        "{{ cq.gp_expense.vs_budget }}。{{ cq.gp_expense.reason }}")
    b.p("3.结转结余情况。{{ year }}年度年末一般公共预算财政拨款结转和结余{{ cq.gp_closing }}万元。")
    b.p("4.比较情况。{{ unit.short }}{{ year }}年度一般公共预算财政拨款支出主要用于以下方面：")
    b.loop("{%p for c in cq.classes %}", ["（{{ c.no }}）{{ c.name }}{{ c.amount }}万元，占{{ c.share }}%，{{ c.vs_budget }}。{{ c.reason }}"])
    b.subsection("（四）一般公共预算财政拨款基本支出决算情况说明")
    b.p("{{ year }}年度一般公共预算财政拨款基本支出{{ basic.amount }}万元。其中：人员经费{{ cq.personnel.amount }}万元，"
        "{{ cq.personnel.yoy }}{{ basic.personnel_items }}。公用经费{{ cq.public.amount }}万元，{{ cq.public.yoy }}。"
        "{{ cq.public.reason }}")
    b.subsection("（五）政府性基金预算财政拨款收支决算情况说明")
    b.tag("{%p if fund.any %}")
    b.p("{{ year }}年度政府性基金预算财政拨款支出{{ fund.amount }}万元{{ fund.structure }}。")
    b.tag("{%p else %}")
    b.p("{{ unit.short }}{{ year }}年度无政府性基金预算财政拨款收支。")
    b.tag("{%p endif %}")
    b.subsection("（六）国有资本经营预算财政拨款支出决算情况说明")
    b.tag("{%p if soe.any %}")
    b.p("{{ year }}年度国有资本经营预算财政拨款支出{{ soe.amount }}万元{{ soe.structure }}。")
    b.tag("{%p else %}")
    b.p("{{ unit.short }}{{ year }}年度无国有资本经营预算财政拨款支出。")
    b.tag("{%p endif %}")
    b.section("三、“三公”经费情况说明")
    b.subsection("（一）“三公”经费支出总体情况说明")
    b.p("{% if cq.three.total.none %}{{ year }}年度未发生“三公”经费支出，年初未安排预算，上年也未发生。{% else %}"
        "{{ year }}年度“三公”经费支出共计{{ cq.three.total.amount }}万元，{{ cq.three.total.vs_budget }}。"
        "{{ cq.three.total.budget_reason }}{{ cq.three.total.yoy }}。{{ cq.three.total.reason }}{% endif %}")
    b.subsection("（二）“三公”经费分项支出情况")
    for key, name in (("abroad", "因公出国（境）费"), ("car_purchase", "公务用车购置费"), ("car_running", "公务用车运行维护费"),
                      ("reception", "公务接待费")):
        b.p(f"{{% if cq.three.{key}.none %}}{name}：本年未发生，年初未安排预算，上年也未发生。{{% else %}}"
            f"{name}{{{{ cq.three.{key}.amount }}}}万元，{{{{ cq.three.{key}.vs_budget }}}}。{{{{ cq.three.{key}.budget_reason }}}}"
            f"{{{{ cq.three.{key}.yoy }}}}。{{{{ cq.three.{key}.reason }}}}{{% endif %}}")
    b.subsection("（三）“三公”经费实物量情况")
    b.p("{{ year }}年度{{ unit.short }}因公出国（境）共计{{ three.abroad_groups }}个团组、{{ three.abroad_people }}人次；"
        "公务用车购置{{ three.cars_bought }}辆，公务用车保有量{{ three.cars_held }}辆；国内公务接待{{ three.reception_batches }}批次"
        "{{ three.reception_people }}人，外事接待{{ three.foreign_batches }}批次{{ three.foreign_people }}人。"
        "{{ year }}年度人均接待费{{ cq.reception_per_head }}元，车均购置费{{ cq.purchase_per_car }}万元，"
        "车均运行维护费{{ cq.running_per_car }}万元。")
    b.section("四、其他需要说明的事项")
    b.subsection("（一）机关运行经费情况说明")
    b.p("{% if cq.running.none %}{{ year }}年度{{ unit.short }}未发生机关运行经费支出，上年也未发生。{% else %}"
        "{{ year }}年度{{ unit.short }}机关运行经费支出{{ cq.running.amount }}万元，{{ cq.running.yoy }}。{{ cq.running.reason }}"
        "{% endif %}")
    b.p("{% if cq.meeting.none %}本年度未发生会议费支出，上年也未发生。{% else %}"
        "本年度会议费支出{{ cq.meeting.amount }}万元，{{ cq.meeting.yoy }}。{{ cq.meeting.reason }}{% endif %}"
        "{% if cq.training.none %}本年度未发生培训费支出，上年也未发生。{% else %}"
        "培训费支出{{ cq.training.amount }}万元，{{ cq.training.yoy }}。{{ cq.training.reason }}{% endif %}")
    b.subsection("（二）国有资产占用情况说明")
    b.p("截至{{ year }}年12月31日，{{ unit.short }}共有车辆{{ assets.cars }}辆，其中：{{ assets.car_kinds }}；单价50万元（含）以上"
        "通用设备{{ assets.general_equipment }}台（套），单价100万元（含）以上专用设备{{ assets.special_equipment }}台（套）。")
    b.subsection("（三）政府采购支出情况说明")
    b.tag("{%p if procurement.any %}")
    b.p("{{ year }}年度{{ unit.short }}政府采购支出总额{{ procurement.total }}万元，其中：{{ procurement.parts }}。"
        "授予中小企业合同金额{{ procurement.sme }}万元，占政府采购支出总额的{{ procurement.sme_share }}%。")
    b.tag("{%p else %}")
    b.p("{{ year }}年度{{ unit.short }}未发生政府采购支出。")
    b.tag("{%p endif %}")
    b.section("五、预算绩效管理情况说明")
    b.p("根据预算绩效管理要求，{{ unit.short }}对{{ perf.count }}个项目开展了绩效自评。")
    b.subsection("（一）预算绩效管理工作开展情况")
    b.p("1.项目基本情况。{{ year }}年{{ unit.short }}共有{{ perf.count }}个项目，分别为：{{ perf.listing }}，"
        "合计{{ perf.budget }}万元。")
    b.p("2.资金投入情况分析。{{ year }}年项目资金全年预算{{ perf.budget }}万元，执行{{ perf.spent }}万元，{{ perf.completion }}。")
    b.item("3.绩效目标完成情况分析")
    b.loop("{%p for p in perf.list %}", ["（{{ p.no }}）{{ p.name }}：{% for line in p.achieved|sentences %}{{ line }}{% endfor %}"])
    b.subsection("（二）绩效自评结果")
    b.tag("{%p if perf.scores_grade %}")
    b.p("各项目自评得分和等级：{{ perf.scores_grade }}。")
    b.tag("{%p endif %}")
    b.item("1.绩效自评表")
    b.p("各项目的项目资金绩效自评表如下。")
    b.tag("{%p for p in perf.list %}")
    project_fund_form(b)
    b.p()
    b.tag("{%p endfor %}")
    b.item("2.绩效自评报告或案例")
    b.tag("{%p if texts.self_report %}")
    lines(b, "texts.self_report")
    b.tag("{%p else %}")  # blank means there is none (the workbook's note says so), as the published layout prints 无
    b.p("无。")
    b.tag("{%p endif %}")
    b.subsection("（三）重点绩效评价结果")
    b.tag("{%p if texts.key_evaluation %}")
    lines(b, "texts.key_evaluation")
    b.tag("{%p else %}")
    b.p("无。")
    b.tag("{%p endif %}")
    b.section("六、专业名词解释")
    b.loop("{%p for g in glossary %}", ["（{{ g.no }}）{{ g.term }}：{{ g.text }}"])
    b.tag("{%p if unit.phone %}")  # no phone given: the section is left out (check warns), never “联系方式：。”
    b.section("七、决算公开联系方式及信息反馈渠道")
    b.p("{{ unit.short }}决算公开信息反馈和联系方式：{{ unit.phone }}。")
    b.tag("{%p endif %}")
    b.p()
    b.signature("{{ unit.name }}", "{{ unit.publish_date }}", lead=("附件：{{ unit.name }}{{ year }}年度部门决算公开表", ""))
    part_tables(b, "{{ unit.name }}{{ year }}年度部门决算公开表", "附件")  # the annex the line above names
    return b


# ---------------------------------------------------------------- C. 部门整体支出绩效自评表, Hunan form
def institution_table(b: Builder, title: str, header: list, cells: str, n: int, widths: list[float]) -> None:
    b.caption(title)
    b.form(widths, [*header, *looped("row in perf.institutions", [("{{ row.name }}", 1, "l")]
                                     + [(f"{{{{ row.{cells}[{i}] }}}}", 1, "r") for i in range(n)])],
           header=len(header))


def sign_off(opinion: str, signer: str) -> list:
    """A sign-off box: the opinion's label, room to write, then the signer's label and the date at the right, each
    ending short of the right edge to leave room for a signature (and a seal) and for the day."""
    room = ["", "", ""]
    signer_line = [(signer, "r", SIGN_ROOM)] if signer else []
    return [opinion, *room, *signer_line, ("年　　月　　日", "r", DATE_ROOM)]


def hunan_form() -> Builder:
    b = Builder()
    b.p("{{ year }}年度部门（单位）整体支出绩效自评表", "Part Title")
    b.p("部门（单位）名称：{{ unit.name }}{{ unit.scope }}", "Table Note")
    b.section("一、部门（单位）基本概况")
    b.form([3.2, 4.6, 3.2, 4.6], [
        ["联系人", "{{ unit.contact }}", "联络电话", "{{ unit.phone }}"],
        ["人员编制", "{{ perf.staff.quota }}", "实有人数", "{{ perf.staff.actual }}"],
        ["职能职责概述", (["{%p for line in functions %}", "{{ loop.index }}.{{ line }}", "{%p endfor %}"], 3, "l")],
        ["年度主要工作内容", (["{%p for line in key_work %}", "任务{{ loop.index }}：{{ line }}", "{%p endfor %}"], 3, "l")],
        [["年度部门（单位）", "总体运行情况", "及取得的成绩"],
         (["{%p for line in texts.dept_achieved %}", "{{ line }}", "{%p endfor %}"], 3, "l")],
    ])
    b.section("二、部门（单位）收支情况")
    institution_table(b, "年度收入情况（万元）", [
        ["机构名称", "收入合计", ("其中：", 5)],
        ["^", "^", "上年结转", "公共财政拨款", "政府基金拨款", ["纳入专户", "管理的非税", "收入拨款"], "其他收入"]],
        "income", 6, [3.6, 1.8, 1.8, 2.3, 2.3, 2.1, 1.7])
    institution_table(b, "年度支出和结余情况（万元）", [
        ["机构名称", "支出合计", ("基本支出", 3), "项目支出", ("结余", 2)],
        ["^", "^", "小计", "人员支出", "公用支出", "^", "当年结余", "累计结余"]],
        "expense", 7, [3.6, 1.7, 1.7, 1.7, 1.7, 1.7, 1.75, 1.75])
    institution_table(b, "“三公”经费支出情况（万元）", [
        ["机构名称", ["“三公”经费", "合计"], ("其中：", 4)],
        ["^", "^", "公务接待费", ["公务用车", "运维费"], ["公务用车", "购置费"], "因公出国费"]],
        "three", 5, [3.6, 2.4, 2.4, 2.4, 2.4, 2.4])
    institution_table(b, "固定资产情况（万元）", [
        ["机构名称", "固定资产合计", ("其中：", 3)],
        ["^", "^", "在用固定资产", "出租固定资产", "其他"]],
        "assets", 4, [3.6, 3.0, 3.0, 3.0, 3.0])
    b.section("三、部门（单位）整体支出绩效自评情况")
    b.form([3.0, 6.3, 6.3], [
        [["整体支出绩效", "定性目标及", "完成情况"], "预期目标", "实际完成"],
        ["^", (["{%p for line in perf.dept.target %}", "目标{{ loop.index }}：{{ line }}", "{%p endfor %}"], 1, "l"),
         (["{%p for line in perf.dept.achieved %}", "{{ loop.index }}.{{ line }}", "{%p endfor %}"], 1, "l")],
    ])
    b.caption("整体支出绩效定量目标及完成情况")
    b.form([2.0, 2.6, 4.8, 3.1, 3.1], [
        ["一级指标", "二级指标", "绩效目标", "年度指标值", "完成情况"],
        *indicator_rows("perf.dept.indicators"),
    ], header=1)
    b.gap()
    b.form([5.0, 10.6], [
        ["绩效自评综合得分", "{{ perf.dept_score.score }}"],
        ["评价等次", "{{ perf.dept_score.grade_word }}"],
    ])
    b.section("四、评价人员")
    b.form([2.6, 4.0, 5.4, 3.6], [
        ["姓　名", "职务/职称", "单　位", "签　字"],
        *looped("e in perf.evaluators", ["{{ e.name }}", "{{ e.title }}", "{{ e.unit }}", ""]),
    ], header=1)
    b.form([15.6], [
        [(sign_off("评价组组长（签字）：", ""), 1, "l")],
        [(sign_off("部门（单位）意见：", "部门（单位）负责人（签章）："), 1, "l")],
        [(sign_off("财政部门归口业务科室意见：", "财政部门归口业务股室负责人（签章）："), 1, "l")],
    ])
    b.p("填报人（签名）：　　　　　　　　联系电话：{{ unit.phone }}", "Table Note")
    b.page_break()
    b.section("五、评价报告综述")
    b.subsection("（一）部门（单位）概况")
    lines(b, "texts.composition")
    b.p("主要职能：{{ functions|joined('；') }}")
    b.subsection("（二）部门（单位）整体支出规模、使用方向和主要内容")
    b.p("{{ year }}年度本年支出合计{{ expense.amount }}万元{{ expense.main_structure }}。基本支出中，人员经费{{ basic.personnel }}万元，"
        "公用经费{{ basic.public }}万元。")
    lines(b, "texts.spending_use")
    b.subsection("（三）部门（单位）整体支出管理及使用情况")
    b.p("基本支出主要用于人员和机关运行开支；项目支出{{ by_nature.project }}万元，用于{{ perf.count }}个项目，全年预算{{ perf.budget }}万元，"
        "执行{{ perf.spent }}万元，{{ perf.completion }}。")
    lines(b, "texts.project_funds")
    b.subsection("（四）部门（单位）专项组织实施情况")
    b.item("1.专项组织情况")
    lines(b, "texts.special_organisation")
    b.item("2.专项管理情况")
    lines(b, "texts.special_management")
    b.subsection("（五）部门（单位）整体支出绩效情况")
    lines(b, "texts.fulfilment")
    b.subsection("（六）存在的主要问题")
    lines(b, "texts.problems", ".", sentences=True)
    b.subsection("（七）改进措施和有关建议")
    lines(b, "texts.suggestions", ".", sentences=True)
    b.landscape_section()
    b.p("部门整体支出绩效评价评分表", "Part Title")
    b.form([2.6, 2.8, 3.4, 9.4, 1.5, 1.7, 3.3], [
        ["一级指标", "二级指标", "三级指标", "评分标准", "分值", "自评得分", "扣分原因和其他说明"],
        *looped("row in perf.grid.indicators", [
            ["{% vmerge row.merge.level1 %}{{ row.level1 }}", "{{ row.level1_points }}"],
            ["{% vmerge row.merge.level2 %}{{ row.level2 }}", "{{ row.level2_points }}"], ("{{ row.level3 }}", 1, "l"),
            ("{{ row.standard }}", 1, "l"), "{{ row.weight }}", "{{ row.score }}", ("{{ row.reason }}", 1, "l")],
            keep_last=True),
        [("总　分", 4), "{{ perf.grid.possible }}", "{{ perf.grid.score }}", "{{ perf.grid.grade_word }}"],
    ], header=1)
    b.p("备注：本表以部门整体支出绩效评价指标体系为基础；部门（单位）结合自身职能调整了指标的，按调整后的指标和分值填列。"
        "自评得分低于分值的，在“扣分原因和其他说明”栏写明原因。", "Table Note")
    return b


# ---------------------------------------------------------------- D. 部门整体绩效自评报告, Sichuan narrative
def sichuan_report() -> Builder:
    b = Builder()
    b.p("{{ unit.name }}", "Cover Title")
    b.p("{{ year }}年部门整体绩效自评报告{{ unit.scope }}", "Part Title")
    b.section("一、部门基本情况")
    b.subsection("（一）机构组成")
    lines(b, "texts.composition")
    b.subsection("（二）机构职能和人员概况")
    b.item("1.机构职能")
    lines(b, "functions", "（）")
    b.item("2.人员概况")
    b.p("截至{{ year }}年12月，{{ unit.short }}编制数{{ perf.staff.quota }}人，在编在岗{{ perf.staff.actual }}人{{ perf.staff.kinds }}。")
    b.subsection("（三）年度主要工作任务")
    lines(b, "key_work", "、")
    b.subsection("（四）部门整体支出绩效目标")
    lines(b, "perf.dept.target", "、")
    b.section("二、部门财政资金收支情况")
    b.subsection("（一）部门财政资金收入情况")
    b.p("{{ year }}年本年收入合计{{ income.amount }}万元{{ income.main_structure }}。")
    b.subsection("（二）部门财政资金支出情况")
    b.p("{{ year }}年本年支出合计{{ expense.amount }}万元{{ expense.main_structure }}。")
    b.subsection("（三）部门财政资金结转结余情况")
    b.p("{{ year }}年{{ closing_balance }}。")
    b.section("三、部门整体绩效管理情况")
    b.subsection("（一）部门整体履职绩效分析")
    lines(b, "texts.fulfilment")
    b.subsection("（二）特定目标类项目绩效分析")
    b.item("1.整体情况")
    b.p("{{ unit.short }}组织对{{ year }}年度{{ perf.count }}个项目全面开展绩效自评，项目全年预算{{ perf.budget }}万元，执行"
        "{{ perf.spent }}万元，{{ perf.completion }}。")
    b.loop("{%p for p in perf.list %}", ["（{{ p.no }}）{{ p.name }}：全年预算数{{ p.budget }}万元，执行数{{ p.spent }}万元，"
                                         "{{ p.completion }}。{{ p.shortfall }}{% if p.scored %}自评得分{{ p.score }}分，等级为“{{ p.grade_word }}”。{% endif %}"])
    b.tag("{%p if perf.dept_score.scored %}")
    b.p("{{ unit.short }}部门整体（含部门预算项目）绩效自评得分为{{ perf.dept_score.score }}分，评价等级为“{{ perf.dept_score.grade_word }}”。")
    b.tag("{%p endif %}")
    b.item("2.50万元以上项目")
    b.tag("{%p if perf.large %}")  # each with what it achieved; the figures are those of the list above
    b.loop("{%p for p in perf.large %}", ["（{{ loop.index }}）{{ p.name }}：全年预算数{{ p.budget }}万元，{{ p.completion }}。"
                                          "{% for line in p.achieved|sentences %}{{ line }}{% endfor %}"])
    b.tag("{%p else %}")
    b.p("{{ year }}年度无全年预算50万元以上的项目。")
    b.tag("{%p endif %}")
    b.subsection("（三）结果应用情况")
    lines(b, "texts.result_use")
    b.section("四、评价结论及建议")
    b.subsection("（一）评价结论")
    lines(b, "texts.conclusion")
    b.subsection("（二）存在问题")
    lines(b, "texts.problems", sentences=True)
    b.subsection("（三）改进建议")
    lines(b, "texts.suggestions", sentences=True)
    b.p()
    b.signature("{{ unit.name }}", "{{ unit.evaluation_date }}")
    return b


# ---------------------------------------------------------------- E. 整体支出绩效自评报告 + 基础数据表 + 自评表, Hunan
def hunan_report() -> Builder:
    b = Builder()
    b.p("{{ unit.name }}", "Cover Title")
    b.p("{{ year }}年度整体支出绩效自评报告{{ unit.scope }}", "Part Title")
    b.section("一、部门（单位）基本情况")
    b.item("1.主要职能")
    lines(b, "functions", "（）")
    b.item("2.机构设置")
    lines(b, "texts.composition")
    b.section("二、一般公共预算支出情况")
    b.p("{{ year }}年度一般公共预算财政拨款支出{{ gp.amount }}万元，其中基本支出{{ by_nature.gp_basic }}万元，项目支出"
        "{{ by_nature.gp_project }}万元。基本支出中，人员经费{{ basic.personnel }}万元{{ basic.personnel_items }}；"
        "公用经费{{ basic.public }}万元{{ basic.public_items }}。")
    b.tag("{%p if perf.list and by_nature.gp_project_is_projects %}")
    b.p("项目支出主要包括：{{ perf.spent_listing }}。")
    b.tag("{%p elif perf.list %}")  # the projects are not all of (or not only) the 一般公共预算 项目支出: say what they are
    b.p("开展绩效自评的项目{{ perf.count }}个，全年执行{{ perf.spent }}万元，分别为：{{ perf.spent_listing }}。")
    b.tag("{%p endif %}")
    b.section("三、政府性基金预算支出情况")
    b.tag("{%p if fund.any %}")
    b.p("{{ year }}年度政府性基金预算财政拨款支出{{ fund.amount }}万元{{ fund.structure }}。")
    b.tag("{%p else %}")
    b.p("{{ unit.short }}无政府性基金预算支出。")
    b.tag("{%p endif %}")
    b.section("四、国有资本经营预算支出情况")
    b.tag("{%p if soe.any %}")
    b.p("{{ year }}年度国有资本经营预算财政拨款支出{{ soe.amount }}万元{{ soe.structure }}。")
    b.tag("{%p else %}")
    b.p("{{ unit.short }}无国有资本经营预算支出。")
    b.tag("{%p endif %}")
    b.section("五、社会保险基金预算支出情况")
    b.p("{{ unit.short }}无社会保险基金预算支出。")
    b.section("六、部门整体支出绩效情况")
    lines(b, "texts.fulfilment")
    b.section("七、存在的问题及原因分析")
    lines(b, "texts.problems", sentences=True)
    b.section("八、下一步改进措施")
    lines(b, "texts.suggestions", sentences=True)
    b.section("九、部门整体支出绩效自评结果拟应用和公开情况")
    b.tag("{%p if perf.dept.scored %}")
    b.p("{{ year }}年部门整体支出绩效自评得分{{ perf.dept.score }}分，自评结果为“{{ perf.dept.grade_word }}”。")
    b.tag("{%p endif %}")
    lines(b, "texts.result_use")
    b.tag("{%p if texts.other_notes %}")
    b.section("其他需要说明的情况")
    lines(b, "texts.other_notes")
    b.tag("{%p endif %}")
    b.p("附件：1.部门整体支出绩效评价基础数据表；2.部门整体支出绩效自评表")
    b.page_break()
    b.p("附件1", "Section")
    b.p("{{ year }}年度部门整体支出绩效评价基础数据表", "Part Title")
    b.form([5.2, 5.2, 5.2], [
        [("财政供养人员情况（人）", 3)],
        ["编制数", "{{ year }}年实际在职人数", "控制率"],
        ["{{ perf.staff.quota }}", "{{ perf.staff.actual }}", "{{ perf.staff.control_rate }}"],
    ])
    b.p()
    rows = [["经费控制情况（万元）", "{{ last_year }}年决算数", "{{ year }}年预算数", "{{ year }}年决算数"]]
    for group, label in (("three", ""), ("projects", "项目支出："), ("public", "")):
        if label:
            rows.append([(label, 4, "l")])
        rows += [("tr", f"for row in perf.basic_data.{group}"),
                 [("{{ row.name }}", 1, "l"), ("{{ row.cells[0] }}", 1, "r"), ("{{ row.cells[1] }}", 1, "r"),
                  ("{{ row.cells[2] }}", 1, "r")],
                 ("tr", "endfor")]
    rows += [
        [("{{ perf.basic_data.procurement.name }}", 1, "l")]
        + [(f"{{{{ perf.basic_data.procurement.cells[{i}] }}}}", 1, "r") for i in range(3)],
        [("部门基本支出预算调整", 1, "l"), (["{%p for line in perf.basic_data.adjustment %}", "{{ line }}", "{%p endfor %}"], 3, "l")],
        Kept([(["楼堂馆所控制情况", "（{{ year }}年完工项目）"], 1, "l"),
              (["{%p for line in perf.basic_data.buildings %}", "{{ line }}", "{%p endfor %}"], 3, "l")]),
        Kept([("厉行节约保障措施", 1, "l"), (["{%p for line in perf.basic_data.frugality %}",
                                           "{{ loop.index }}.{{ line }}", "{%p endfor %}"], 3, "l")]),
    ]
    b.form([6.0, 3.2, 3.2, 3.2], rows, header=1)  # its last rows keep with the two lines under it
    b.p("说明：“项目支出”为基本支出以外的全部项目；“公用经费”为基本支出中的商品和服务支出等。",
        "Table Note").paragraph_format.keep_with_next = True
    b.p("填表人：　　　　填报日期：　　　　联系电话：{{ unit.phone }}　　　　单位负责人签字：", "Table Note")
    b.page_break()
    b.p("附件2", "Section")
    b.p("{{ year }}年度部门整体支出绩效自评表", "Part Title")
    w = [1.9, 1.9, 2.6, 1.9, 1.9, 1.2, 1.6, 2.6]
    b.form(w, [
        [("预算部门", 2), ("{{ unit.name }}", 6, "l")],
        [("年度预算申请（万元）", 2), "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [("年度资金总额", 2), "{{ perf.dept.funds.initial }}", "{{ perf.dept.funds.budget }}", "{{ perf.dept.funds.spent }}",
         "{{ perf.dept.funds.weight }}", "{{ perf.dept.funds.rate }}", "{{ perf.dept.funds.score }}"],
        [("按收入性质分", 2), (["一般公共预算：{{ by_nature.gp }}", "政府性基金拨款：{{ by_nature.fund }}",
                            "其他资金：{{ by_nature.other }}"], 3, "l"),
         ["按支出", "性质分"], (["基本支出：{{ by_nature.basic }}", "项目支出：{{ by_nature.project }}"], 2, "l")],
        [("年度总体目标", 2), ("预期目标", 3), ("实际完成情况", 3)],
        [("^", 2), (["{%p for line in perf.dept.target %}", "{{ loop.index }}.{{ line }}", "{%p endfor %}"], 3, "l"),
         (["{%p for line in perf.dept.achieved %}", "{{ loop.index }}.{{ line }}", "{%p endfor %}"], 3, "l")],
    ])
    b.gap()
    b.form([1.9, 2.5, 2.5, 1.8, 1.8, 1.0, 1.0, 3.1], [
        ["一级指标", "二级指标", "三级指标", ["年度", "指标值"], ["实际", "完成值"], "分值", "得分", ["偏差原因分析", "及改进措施"]],
        *looped("row in perf.dept.indicators", [
            ["{% vmerge row.merge.level1 %}{{ row.level1 }}", "{{ row.level1_points }}"],
            "{% vmerge row.merge.level2 %}{{ row.level2 }}",
            ("{{ row.level3 }}", 1, "l"), "{{ row.target }}", "{{ row.actual }}", "{{ row.weight }}", "{{ row.score }}",
            ("{{ row.reason }}", 1, "l")], keep_last=True),
        Kept([("总　分", 5), "{{ perf.dept.possible }}", "{{ perf.dept.score }}", "{{ perf.dept.grade_word }}"]),
    ], header=1)  # 总分 keeps with the 填表人 line under the table
    b.p("填表人：　　　　填报日期：　　　　联系电话：{{ unit.phone }}　　　　单位负责人签字：", "Table Note")
    return b


TEMPLATES = {
    "sichuan_juesuan": (sichuan_juesuan, "部门决算公开（四川样式）"),
    "chongqing_juesuan": (chongqing_juesuan, "部门决算公开（重庆样式）"),
    "hunan_zhengti_zipingbiao": (hunan_form, "部门整体支出绩效自评表（湖南样式）"),
    "sichuan_zhengti_zipingbaogao": (sichuan_report, "部门整体绩效自评报告（四川样式）"),
    "hunan_zhengti_zipingbaogao": (hunan_report, "整体支出绩效自评报告（湖南样式）"),
}


ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry: no build time in the file


def save(doc, path: Path) -> None:
    """Save a document as python-docx does, but with fixed zip entry times and attributes."""
    made = io.BytesIO()
    doc.save(made)
    out = io.BytesIO()
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.infolist():
            fixed = zipfile.ZipInfo(entry.filename, ZIP_TIME)
            fixed.create_system, fixed.external_attr = 3, 0o644 << 16  # the same on Windows as on Linux
            dst.writestr(fixed, src.read(entry), zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def build_one(name: str, path: Path) -> Path:
    """Write the template TEMPLATES[name] to path."""
    make, title = TEMPLATES[name]
    b = make()
    b.doc.core_properties.title = title
    b.doc.core_properties.author = "juesuan"
    save(b.doc, path)
    return path


def build(out: Path = OUT) -> list[Path]:
    """Write every template in TEMPLATES to OUT/NAME.docx; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    return [build_one(name, out / f"{name}.docx") for name in TEMPLATES]


if __name__ == "__main__":
    for built in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(built)
