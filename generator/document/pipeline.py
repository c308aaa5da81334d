"""The main job for one workbook: read → check → compute → context → draw → render."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.checks.rules import Finding, Settings, run_checks, template_findings
from generator.document.audit import AuditFailed
from generator.document.context import ChartView, build_context
from generator.document.render import render
from generator.document.templates import TemplateSpec, find
from generator.errors import ChecksFailed
from generator.figures.report import build_report
from generator.vocabulary import ERROR
from generator.workbook.model import UnitData
from generator.workbook.reader import read_workbook

if TYPE_CHECKING:
    from generator.document.native_charts import NativeChart


@dataclass(frozen=True)
class Generated:
    path: Path
    findings: tuple[Finding, ...]
    draft: bool


def generate_document(workbook: str | Path, template: str | None = None, output_dir: str | Path = "output",
                      force: bool = False, settings: Settings | None = None,
                      previous: str | Path | None = None, chart_format: str | None = None) -> Generated:
    """Check one workbook (against last year's, if given) and generate its document.

    Errors stop it unless `force`; the document is then marked as a draft. `chart_format` ("native" or "picture")
    overrides the template's own setting.
    """
    spec: TemplateSpec = find(template)
    data = read_workbook(workbook)
    findings = tuple(run_checks(data, settings, read_workbook(previous) if previous else None)
                     + template_findings(data, spec.requires, spec.name))
    draft = any(f.severity == ERROR for f in findings)
    if draft and not force:
        raise ChecksFailed(str(workbook), findings)
    audit: list[Finding] = []
    try:
        path = render_data(data, spec, Path(output_dir), draft, audit, chart_format)
    except AuditFailed:
        if not force:
            raise
        draft = True  # as for data errors under --force: the document is written, marked as a draft
        path = render_data(data, spec, Path(output_dir), draft, audit, chart_format)
    return Generated(path, findings + tuple(audit), draft)


def render_data(data: UnitData, spec: TemplateSpec, output_dir: Path, draft: bool = False,
                findings: list[Finding] | None = None, chart_format: str | None = None) -> Path:
    """Compute, draw and render one unit's (or a department's consolidated) data with one template.

    Charts are native Word charts or pictures as `chart_format` says, else as the template's setting says.
    """
    report = build_report(data)
    context = build_context(report, spec.display, spec.charts)
    views = {name: view for name, view in context.pop("_chart_views").items() if name in spec.charts}
    images = _charts(views, chart_format or spec.chart_format)
    name = spec.output_name(data.info("name"), report.year)
    suffix = "".join(f"（{x}）" for x in (data.scope, "草稿" if draft else "") if x)
    return render(spec, context, output_dir / (name.removesuffix(".docx") + suffix + ".docx"), images=images, draft=draft,
                  findings=findings)


def _charts(views: dict[str, ChartView], chart_format: str) -> dict[str, bytes] | dict[str, NativeChart]:
    """Imported here: each kind needs a library the other does not (matplotlib takes about 0.4 s to import)."""
    if chart_format == "native":
        from generator.document.native_charts import build_all

        return build_all(views)
    if chart_format == "picture":
        from generator.document.charts import draw_all

        return draw_all(views)
    raise ValueError(f"unknown chart format {chart_format!r}")


def generate(workbook: str | Path, template: str | None = None, output_dir: str | Path = "output") -> Path:
    """Generate one document from one clean workbook; returns the path written."""
    return generate_document(workbook, template, output_dir).path
