"""The main job for one workbook: read → check → compute → context → draw → render."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.charts import draw_all
from generator.checks import ERROR, Finding, Settings, run_checks
from generator.context import build_context
from generator.errors import ChecksFailed
from generator.reader import read_workbook
from generator.render import render
from generator.report import build_report
from generator.templates import TemplateSpec, find


@dataclass(frozen=True)
class Generated:
    path: Path
    findings: tuple[Finding, ...]
    draft: bool


def generate_document(workbook: str | Path, template: str | None = None, output_dir: str | Path = "output",
                      force: bool = False, settings: Settings | None = None,
                      previous: str | Path | None = None) -> Generated:
    """Check one workbook (against last year's, if given) and generate its document.

    Errors stop it unless `force`; the document is then marked as a draft.
    """
    spec: TemplateSpec = find(template)
    data = read_workbook(workbook)
    findings = tuple(run_checks(data, settings, read_workbook(previous) if previous else None))
    draft = any(f.severity == ERROR for f in findings)
    if draft and not force:
        raise ChecksFailed(str(workbook), findings)
    report = build_report(data)
    context = build_context(report, spec.display, spec.charts)
    images = draw_all({name: view for name, view in context.pop("_chart_views").items() if name in spec.charts})
    name = spec.output_name(data.info("name"), report.year)
    if draft:
        name = name.removesuffix(".docx") + "（草稿）.docx"
    path = render(spec, context, Path(output_dir) / name, images=images, draft=draft)
    return Generated(path, findings, draft)


def generate(workbook: str | Path, template: str | None = None, output_dir: str | Path = "output") -> Path:
    """Generate one document from one clean workbook; returns the path written."""
    return generate_document(workbook, template, output_dir).path
