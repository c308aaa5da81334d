"""Findings and results as plain rows for the pages (and for the JSON files a job keeps): the same fields the CLI
prints — severity, sheet, cell, value, message — in the CLI's order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from generator.checks.findings_table import summary
from generator.checks.rules import Finding
from generator.document.template_check import Problem
from generator.vocabulary import ERROR, NOTE, SEVERITY_ORDER, WARNING, Severity


def finding_row(f: Finding) -> dict:
    """One finding: its message and the cells it speaks of (as `juesuan check` lists them under 涉及)."""
    cells = [{"file": Path(i.where.file).name if i.where.file else "", "sheet": i.where.sheet, "cell": i.where.cell,
              "label": i.label, "value": _shown(i.value)}
             for i in f.cells if i.where.cell or i.value]
    return {"rule": f.rule, "severity": f.severity.value, "label": f.severity.label, "message": f.message,
            "tolerance": f.tolerance, "unit": f.unit, "sheet": f.sheet, "cells": cells}


def _shown(value: str) -> str:
    """The value as the page shows it: a blank cell reaches the findings as "None" (str of a missing value in the
    checks layer), which the page shows as blank (the template writes （空）), never as a word of Python."""
    return "" if value == "None" else value


def finding_rows(findings: Iterable[Finding]) -> list[dict]:
    """Grouped as `format_table` groups them: by unit, then sheet, errors first, then rule."""
    ordered = sorted(findings, key=lambda f: (f.unit, f.sheet, SEVERITY_ORDER[f.severity], f.rule))
    return [finding_row(f) for f in ordered]


def counts(findings: Sequence[Finding]) -> dict[str, int]:
    return {s.value: sum(1 for f in findings if f.severity == s) for s in (ERROR, WARNING, NOTE)}


def check_summary(findings: Sequence[Finding]) -> dict:
    """What the page says above the table: the CLI's summary line and the counts."""
    return {"text": summary(findings), "counts": counts(findings), "rows": finding_rows(findings)}


def problem_row(p: Problem) -> dict:
    """A `check-template` problem: severity, where in the template (part, paragraph) and what is wrong."""
    return {"severity": p.severity.value, "label": p.severity.label, "message": p.message, "part": p.part,
            "paragraph": p.paragraph}


def severity_label(value: str) -> str:
    return Severity(value).label
