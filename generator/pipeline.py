"""The main job for one workbook: read → compute → context → render."""

from __future__ import annotations

from pathlib import Path

from generator.charts import draw_all
from generator.context import build_context
from generator.reader import read_workbook
from generator.render import render
from generator.report import build_report
from generator.templates import TemplateSpec, find


def generate(workbook: str | Path, template: str | None = None, output_dir: str | Path = "output") -> Path:
    """Generate one document from one workbook; returns the path written."""
    spec: TemplateSpec = find(template)
    data = read_workbook(workbook)
    report = build_report(data)
    context = build_context(report, spec.display, spec.charts)
    images = draw_all({name: view for name, view in context.pop("_chart_views").items() if name in spec.charts})
    target = Path(output_dir) / spec.output_name(data.info("name"), report.year)
    return render(spec, context, target, images=images)
