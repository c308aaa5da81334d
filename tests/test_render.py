"""render.Template's shortcuts against docxtpl's own way: when docxtpl would fix a table's grid, that way is taken."""

from __future__ import annotations

import pytest
from docxtpl import DocxTemplate
from lxml import etree

from generator.document.render import _grid_to_fix

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


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
