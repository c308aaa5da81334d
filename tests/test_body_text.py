"""The one walk over a rendered body (document/body_text.py): what it reads, and the shapes it leaves to the
readers' own walks. That it gives every reader what its own walk gives, for every layout, is tested in
test_templates.py on the rendered documents."""

from __future__ import annotations

import pytest
from docx.oxml.parser import parse_xml

from generator.batch.changes import body_snapshot
from generator.document.audit import read_blocks
from generator.document.body_text import Line, read_body

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def body(inner: str):
    return parse_xml(f"<w:body {W}>{inner}</w:body>")


def p(text: str, style: str = "") -> str:
    head = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{head}<w:r><w:t>{text}</w:t></w:r></w:p>"


def table(*rows: list[str], span_first: int = 1) -> str:
    def cell(text: str, span: int) -> str:
        pr = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else ""
        return f"<w:tc>{pr}{p(text)}</w:tc>"

    return "<w:tbl>" + "".join("<w:tr>" + "".join(cell(t, span_first if j == 0 else 1) for j, t in enumerate(r))
                               + "</w:tr>" for r in rows) + "</w:tbl>"


def test_a_paragraph_keeps_tabs_and_breaks_for_the_leftover_scan_and_drops_them_for_the_audit():
    read = read_body(body('<w:p><w:r><w:t>合计</w:t><w:tab/><w:t>12.5</w:t><w:br/><w:t>万元</w:t></w:r></w:p>'))
    assert read.blocks == (Line("合计\t12.5\n万元", "合计12.5万元"),)
    assert read.texts == ("合计\t12.5\n万元",)


def test_tables_cells_and_spans_give_the_same_snapshot_and_audit_rows_as_the_xml_walks():
    xml = body(p("表1 收入支出决算总表", "TableTitle") + table(["项目", "金额"], ["收入合计", "100.00"], span_first=1)
               + p("正文一段，金额100.00万元。") + table(["一般公共服务", "20.00"], ["合计", "20.00"], span_first=2))
    read = read_body(xml)
    assert read is not None
    assert body_snapshot(xml, read) == body_snapshot(xml)
    assert body_snapshot(xml, read)["表1 收入支出决算总表｜收入合计｜金额"] == "100.00"
    fast, slow = read_blocks(xml, read), read_blocks(xml)
    assert [getattr(b, "rows", b) for b in fast] == [getattr(b, "rows", b) for b in slow]
    assert fast[-1].rows[0] == ("一般公共服务", "一般公共服务", "20.00")  # a cell spanning two columns, twice


@pytest.mark.parametrize("shape", [
    "<w:tbl><w:tr><w:tc>" + table(["内层"]) + "<w:p/></w:tc></w:tr></w:tbl>",  # a table in a table
    "<w:sdt><w:sdtContent>" + p("内容控件中的段落") + "</w:sdtContent></w:sdt>",
    '<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>' + p("文本框")
    + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>",
], ids=["nested table", "content control", "text box"])
def test_other_shapes_are_left_to_each_readers_own_walk(shape):
    xml = body(p("前") + shape + p("后"))
    assert read_body(xml) is None
    assert body_snapshot(xml)  # the readers still read it, their own way
    assert read_blocks(xml)
