"""What a document says, as labelled pieces of text, and what changed between two versions of it."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

HEADING_STYLES = {"Part Title", "Section", "Subsection", "Table Title", "Caption Text"}
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")


def snapshot(path: Path) -> dict[str, str]:
    """Each paragraph keyed by its heading and place under it; each table cell by table, row label and column."""
    doc = Document(str(path))
    units: dict[str, str] = {}
    heading, count, title = "（开头）", 0, ""
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            p = Paragraph(child, doc)
            text = p.text.strip()
            if not text:
                continue
            if p.style is not None and p.style.name in HEADING_STYLES:
                heading, count = text, 0
                title = text if p.style.name == "Table Title" else title
                continue
            count += 1
            units[f"{heading} 第{count}段"] = text
        elif child.tag.endswith("}tbl"):
            _table(DocxTable(child, doc), title or heading, units)
    return units


def _table(table: DocxTable, title: str, units: dict[str, str]) -> None:
    rows = [[c.text.strip() for c in r.cells] for r in table.rows]
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
