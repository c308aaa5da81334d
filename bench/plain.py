"""The plain way, as a competent user would write it: one process; per unit, load the workbook with pandas,
build the context, draw the charts with matplotlib, render a fresh DocxTemplate, save. Same template, same
computation and the same documents as `juesuan batch`, byte for byte (checked by bench/run.py).
"""

from __future__ import annotations

import io
import math
import sys
from decimal import Decimal
from pathlib import Path

import jinja2
import pandas as pd
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage

from generator.document.charts import draw_all
from generator.document.context import build_context
from generator.document.render import _VMERGE_CELL, _vmerge_cell, write_stable_zip
from generator.document.templates import find
from generator.figures.report import build_report
from generator.wording.filters import FILTERS
from generator.workbook import schema
from generator.workbook.model import Frozen, UnitData
from generator.workbook.reader import _SheetReader


class Template(DocxTemplate):
    """docxtpl as it comes, plus the templates' {% vmerge %} cell tag (without it the documents would differ);
    none of the tool's shortcuts (patched parts kept per process, the listing pass skipped, one zip write)."""

    def patch_xml(self, src_xml: str) -> str:
        return _VMERGE_CELL.sub(_vmerge_cell, super().patch_xml(src_xml))


def _grid(frame: pd.DataFrame) -> list[list[object]]:
    """A pandas sheet as rows of cell values from A1 (what the parsing rules read)."""
    return [[None if isinstance(v, float) and math.isnan(v) else v for v in row]
            for row in frame.itertuples(index=False, name=None)]


def load(path: Path) -> UnitData:
    frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    tables, scale = {}, Decimal(1)
    for sheet in schema.SHEETS:
        tables[sheet.key] = _SheetReader(str(path), sheet.name, _grid(frames[sheet.name]), sheet, scale).read()
        if sheet.key == "info":
            scale = Decimal(10000) if tables["info"].get("money_unit").text("value") == "万元" else Decimal(1)
    return UnitData(str(path), Frozen(tables))


def generate(path: Path, output: Path, template: str | None = None) -> Path:
    spec = find(template)
    report = build_report(load(path))
    context = build_context(report, spec.display, spec.charts)
    images = draw_all({k: v for k, v in context.pop("_chart_views").items() if k in spec.charts})
    tpl = Template(spec.path)
    context["chart"] = lambda name, width_cm=15.0: InlineImage(tpl, io.BytesIO(images[name]), width=Cm(width_cm)) if name in images else ""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)  # the templates' own filters (say, joined, sentences)
    tpl.render(context, jinja_env=env, autoescape=True)
    target = output / spec.output_name(report.unit.name, report.year)
    tpl.docx.core_properties.title = target.stem
    tpl.docx.core_properties.comments = "由 juesuan 根据填报数据生成"
    buf = io.BytesIO()
    tpl.save(buf)
    write_stable_zip(buf.getvalue(), target)
    return target


def main(folder: Path, output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    books = sorted(folder.glob("*.xlsx"))
    for book in books:
        generate(book, output)
    return len(books)


if __name__ == "__main__":
    print(main(Path(sys.argv[1]), Path(sys.argv[2])))
