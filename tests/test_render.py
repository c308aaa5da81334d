"""render.Template's shortcuts against docxtpl's own way: when docxtpl would fix a table's grid, that way is taken."""

from __future__ import annotations

import re

import pytest
from docxtpl import DocxTemplate
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from generator.document.render import _declaring_tags_sub, _grid_to_fix

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DECLARING_TAG = re.compile(r"<[^<>]* xmlns[^<>]*>")  # what render used to find such tags with


def body(columns: int, rows: list[list[str]]) -> str:
    """A body with one table: `columns` grid columns; each cell given as its gridSpan ("" for none)."""
    def cell(span: str) -> str:
        pr = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span else ""
        return f"<w:tc>{pr}<w:p/></w:tc>"

    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(columns))
    return (f'<w:body xmlns:w="{W}"><w:tbl><w:tblGrid>{grid}</w:tblGrid>'
            + "".join("<w:tr>" + "".join(cell(s) for s in row) + "</w:tr>" for row in rows) + "</w:tbl></w:body>")


@pytest.mark.parametrize("columns, rows", [
    (3, [["", "", ""], ["", "", ""]]),          # as wide as the grid
    (3, [["2", ""], ["", "", ""]]),             # a span fills a row
    (3, [["", "", "", ""]]),                    # more cells than columns: docxtpl adds a column
    (3, [["", ""], ["", ""]]),                  # every row narrower than the grid: docxtpl drops a column
    (3, [["3"], ["", ""]]),                     # one full row is enough
    (2, [["", "", ""], ["2"]]),
    (4, [["2", "2"], ["", "", "2"]]),
    (2, []),                                    # no rows: docxtpl drops the grid's columns
    (0, []),
], ids=str)
def test_a_grid_is_left_to_docxtpl_exactly_when_docxtpl_changes_it(columns, rows):
    xml = body(columns, rows)
    ours = etree.fromstring(xml)
    fixed = DocxTemplate.fix_tables(None, xml)  # docxtpl's own pass (it uses nothing of the template)
    changed = etree.tostring(fixed) != etree.tostring(ours)
    assert _grid_to_fix(ours[0]) == changed


def test_a_span_that_is_not_a_plain_number_is_left_to_docxtpl():
    assert _grid_to_fix(etree.fromstring(body(2, [["02"]]))[0])
    assert _grid_to_fix(etree.fromstring(body(2, [["x"]]))[0])


@given(st.lists(st.sampled_from(["<", ">", " xmlns", '="x"', "w:p", " ", "a", ":w", "<w:body", "/>"]), max_size=30))
def test_declaring_tags_are_found_as_the_regular_expression_finds_them(pieces):
    xml = "".join(pieces)
    mark = "[{}]".format
    assert _declaring_tags_sub(mark, xml) == DECLARING_TAG.sub(lambda m: mark(m.group(0)), xml)


def test_the_styles_part_is_the_templates_own_bytes_and_python_docx_still_reads_styles(tmp_path):
    """Rendering keeps a template's styles part as it is, byte for byte (even written unlike python-docx writes
    it); python-docx outside a template's loading still parses styles."""
    import shutil
    import zipfile

    from docx import Document

    from generator.document.pipeline import render_data
    from generator.document.templates import find
    from generator.workbook.reader import read_workbook
    from tests.conftest import LIZHOU

    shipped = find("chongqing_juesuan").path
    own = tmp_path / "own.docx"
    shutil.copy(shipped.with_suffix(".toml"), own.with_suffix(".toml"))
    with zipfile.ZipFile(shipped) as src, zipfile.ZipFile(own, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/styles.xml":  # as another editor might write it: indented
                data = etree.tostring(etree.fromstring(data), pretty_print=True, xml_declaration=True,
                                      encoding="UTF-8", standalone=True)
                styles = data
            dst.writestr(item, data)
    made = render_data(read_workbook(LIZHOU), find(str(own)), tmp_path / "out")
    with zipfile.ZipFile(made) as document:
        assert document.read("word/styles.xml") == styles
    assert Document(str(made)).styles["Normal"].name == "Normal"
