"""The main job for one workbook: read → check → compute → context → draw → render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.checks.rules import Finding, Settings, run_checks, template_findings
from generator.document.audit import AuditFailed
from generator.document.context import ChartView, build_context
from generator.document.render import render
from generator.document.templates import TemplateSpec, find
from generator.errors import ChecksFailed
from generator.figures.report import build_report
from generator.output_files import safe_file_name
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
    data: UnitData | None = None  # the workbook as read (for what is written beside the document: the 公开表)


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
        path = render_data(data, spec, Path(output_dir), draft, audit, chart_format=chart_format)
    except AuditFailed:
        if not force:
            raise
        draft = True  # as for data errors under --force: the document is written, marked as a draft
        path = render_data(data, spec, Path(output_dir), draft, audit, chart_format=chart_format)
    return Generated(path, findings + tuple(audit), draft, data)


def render_data(data: UnitData, spec: TemplateSpec, output_dir: Path, draft: bool = False,
                findings: list[Finding] | None = None, file_name: str | None = None,
                chart_format: str | None = None, on_body: Callable[[Any, Any], None] | None = None) -> Path:
    """Compute, draw and render one unit's (or a department's consolidated) data with one template.

    `findings` receives the document's self-audit; `file_name`: the name to write (a batch decides names
    beforehand), by default `document_name`'s; charts are native Word charts or pictures as `chart_format` says,
    else as the template's setting says.
    """
    report = build_report(data)
    context = build_context(report, spec.display, spec.charts)
    views = {name: view for name, view in context.pop("_chart_views").items() if name in spec.charts}
    images = _charts(views, chart_format or spec.chart_format)
    file_name = file_name or document_name(spec, data.info("name"), report.year, data.scope, draft)
    return render(spec, context, output_dir / file_name, images=images, draft=draft, findings=findings,
                  on_body=on_body)


def document_name(spec: TemplateSpec, unit: str, year: int, scope: str = "", draft: bool = False,
                  tag: str = "") -> str:
    """The document's file name: the template's `output` pattern with the unit and year, then （tag）,
    （部门汇总） and （草稿）, made safe by `safe_file_name` (the unit name is what gets shortened)."""
    marker = "\x00"  # where the unit name goes in the pattern: only that part may be shortened
    before, *rest = spec.output_name(marker, year).split(marker)
    unit, after = (unit, unit.join(rest)) if rest else ("", "")
    after = after.removesuffix(".docx") + "".join(f"（{x}）" for x in (tag, scope, "草稿" if draft else "") if x)
    return safe_file_name(unit, prefix=before, suffix=after, extension=".docx")


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
