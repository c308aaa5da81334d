"""A rendered body read back as text in one walk: what the leftover scan, the self-audit and the change list read.

Each of the three used to walk the body's XML on its own (≈ 35 ms of a ≈ 200 ms batch document). A body of the
usual shape — paragraphs and tables directly in the body, paragraphs directly in table cells — is read here once, in
document order; a body of any other shape (content controls, text boxes, nested tables) gives None, and the three
readers then walk the XML as before. tests/test_body_text.py checks both ways give the same text for every layout.
"""

from __future__ import annotations

from typing import NamedTuple

from docx.oxml.ns import qn

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_BODY = qn("w:body")
_STYLE, _SPAN = qn("w:pStyle"), qn("w:gridSpan")
_VAL = qn("w:val")
_BREAKS = {_TAB: "\t", _BR: "\n", _CR: "\n"}


class Line(NamedTuple):
    """One paragraph: its text as Word shows it (tabs and breaks included) and the text of its w:t runs alone."""

    text: str
    words: str
    style: str = ""  # the paragraph style's id, for the body's own paragraphs


class Cell(NamedTuple):
    span: int  # grid columns it covers
    lines: tuple[Line, ...]


class Table(NamedTuple):
    rows: tuple[tuple[Cell, ...], ...]


class BodyText(NamedTuple):
    blocks: tuple[Line | Table, ...]  # the body's own paragraphs and tables, in order
    texts: tuple[str, ...]  # every paragraph's text in document order, table cells included


def read_body(body) -> BodyText | None:
    """The body's paragraphs and tables as text, or None when its shape is not the usual one.

    One pass over the elements in document order; the text pieces (w:t, tab, break) go to the paragraph last
    opened, which holds in the usual shape, where no paragraph holds another. Written as one loop with local names:
    it visits some ten thousand elements per document."""
    if body.tag != _BODY:
        return None
    blocks: list[Line | Table] = []
    texts: list[str] = []
    rows: list[list[tuple[int, list[Line]]]] = []  # the open table's rows: (span, paragraphs of each cell)
    table = row = cell = None  # the open table's element, its open row's and open cell's
    place: list | None = None  # where the open paragraph goes: the body's blocks or a cell's paragraphs
    style = ""
    para = None  # the open paragraph's element when it is the body's own (its style is kept)
    pieces: list[str] = []  # the open paragraph's text, and its w:t text alone
    words: list[str] = []

    def close_table() -> None:
        blocks.append(Table(tuple(tuple(Cell(span, tuple(lines)) for span, lines in r) for r in rows)))

    # A paragraph's style and a cell's span are read as they come (w:pPr and w:tcPr open their elements):
    # lxml's find() with a path costs ≈ 4 µs an element, more than all the rest of the walk.
    for el in body.iter(_P, _TBL, _TR, _TC, _T, _TAB, _BR, _CR, _STYLE, _SPAN):
        tag = el.tag
        if tag == _T:
            text = el.text or ""
            pieces.append(text)
            words.append(text + (el.tail or ""))  # as lxml's itertext gives it (the audit's reading)
            continue
        if tag in _BREAKS:
            pieces.append(_BREAKS[tag])
            continue
        if tag == _STYLE:
            if para is not None and not pieces and el.getparent().getparent() is para:  # pPr/pStyle, not a change
                style = el.get(_VAL, "")
            continue
        if tag == _SPAN:
            if cell is not None and rows[-1][-1][0] == 1 and el.getparent().getparent() is cell:  # tcPr/gridSpan
                rows[-1][-1] = (int(el.get(_VAL)), rows[-1][-1][1])
            continue
        if place is not None:  # any other element ends the open paragraph
            line = Line("".join(pieces), "".join(words), style)
            texts.append(line.text)
            place.append(line)
            pieces, words, place, para = [], [], None, None
        elif pieces:  # text outside any paragraph
            return None
        parent = el.getparent()
        if tag == _P:
            if parent is body:
                if table is not None:
                    close_table()
                    table = row = cell = None
                style, para, place = "", el, blocks
            elif cell is not None and parent is cell:
                style, para, place = "", None, rows[-1][-1][1]
            else:  # a text box, a content control or a nested table
                return None
        elif tag == _TC:
            if row is None or parent is not row:
                return None
            rows[-1].append((1, []))
            cell = el
        elif tag == _TR:
            if table is None or parent is not table:
                return None
            rows.append([])
            row, cell = el, None
        else:  # a table
            if parent is not body:
                return None
            if table is not None:
                close_table()
            rows, table, row, cell = [], el, None, None
    if place is not None:
        line = Line("".join(pieces), "".join(words), style)
        texts.append(line.text)
        place.append(line)
    elif pieces:
        return None
    if table is not None:
        close_table()
    return BodyText(tuple(blocks), tuple(texts))
