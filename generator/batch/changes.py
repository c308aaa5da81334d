"""What a document says, as labelled pieces of text, and what changed between two versions of it.

Read straight from word/document.xml with lxml: python-docx's object model is far slower for a whole document.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from generator.document.body_text import BodyText, Cell, Line, Table
from generator.document.render import paragraph_text

HEADING_STYLES = {"PartTitle", "Section", "Subsection", "TableTitle", "CaptionText"}  # style ids of the template
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_STYLE, _SPAN, _VAL = qn("w:pStyle"), qn("w:gridSpan"), qn("w:val")
_STYLE_PATH, _SPAN_PATH = f"{qn('w:pPr')}/{_STYLE}", f"{qn('w:tcPr')}/{_SPAN}"


def _style(p) -> str:
    style = p.find(_STYLE_PATH)
    return "" if style is None else style.get(_VAL, "")


def snapshot(path: Path) -> dict[str, str]:
    """Each paragraph keyed by its heading and place under it; each table cell by table, row label and column."""
    with zipfile.ZipFile(path) as z:
        return body_snapshot(etree.fromstring(z.read("word/document.xml")).find(qn("w:body")))


def body_snapshot(body, read: BodyText | None = None) -> dict[str, str]:
    """`snapshot` of a document body already in memory (the one just rendered: the same tree that was saved);
    `read`: its text already read (body_text.read_body), else the body's own paragraphs and tables are read here."""
    units: dict[str, str] = {}
    heading, count, title = "（开头）", 0, ""
    for block in (read.blocks if read is not None else _blocks(body)):
        if isinstance(block, Line):
            text = block.text.strip()
            if not text:
                continue
            if block.style in HEADING_STYLES:
                heading, count = text, 0
                title = text if block.style == "TableTitle" else title
                continue
            count += 1
            units[f"{heading} 第{count}段"] = text
        else:
            _numbers([[x for cell in row for x in [_cell_text(cell)] * cell.span] for row in block.rows],
                     title or heading, units)
    return units


def _blocks(body) -> Iterator[Line | Table]:
    """The body's own paragraphs and tables as body_text reads them, for a body of any shape: a table's rows and
    cells are all those inside it, a cell's text that of all paragraphs inside it."""
    for child in body:
        if child.tag == _P:
            yield Line(paragraph_text(child), "", _style(child))
        elif child.tag == _TBL:
            yield Table(tuple(tuple(Cell(_span(tc), tuple(Line(paragraph_text(p), "") for p in tc.iter(_P)))
                                    for tc in tr.iter(_TC)) for tr in child.iter(_TR)))


def _span(tc) -> int:
    span = tc.find(_SPAN_PATH)
    return int(span.get(_VAL)) if span is not None else 1


def _cell_text(cell: Cell) -> str:
    """A cell's text: its paragraphs, one a line."""
    return "\n".join(line.text for line in cell.lines).strip()


def _numbers(rows: list[list[str]], title: str, units: dict[str, str]) -> None:
    """Each number of a table's rows, keyed by the table's title, the row's label and the column's header."""
    if not rows:
        return
    header = rows[0]
    for r, row in enumerate(rows[1:], 2):
        label = " ".join(x for x in row[:2] if x and not NUMBER.fullmatch(x)) or f"第{r}行"
        for c, text in enumerate(row):
            if NUMBER.fullmatch(text):
                units[f"{title}｜{label}｜{header[c] if c < len(header) else c}"] = text


def changes(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Each changed figure, old → new, with where it stands."""
    out = []
    for key, text in new.items():
        before = old.get(key)
        if before is None or before == text:
            continue
        a, b = NUMBER.findall(before), NUMBER.findall(text)
        if len(a) == len(b) and NUMBER.sub("#", before) == NUMBER.sub("#", text):
            pairs = list(dict.fromkeys(f"{x} → {y}" for x, y in zip(a, b, strict=True) if x != y))
            out.append(f"{key}：{'；'.join(pairs)}\n    现为：{text}")
        else:
            out.append(f"{key}：\n    原为：{before}\n    现为：{text}")
    out += [f"{key}：新增\n    现为：{new[key]}" for key in new if key not in old]
    out += [f"{key}：删除\n    原为：{old[key]}" for key in old if key not in new]
    return out
