"""The template context of every sample × every distinct display setting, compared with tests/snapshots/.

The context is every value a template can place, already formatted; a change to it shows up here as a
reviewable JSON diff before it shows up in any document. Regenerate after an intended change with
`pytest tests/test_context_snapshots.py --update-snapshots` and review `git diff tests/snapshots/`.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

import pytest

from generator.batch.discover import discover
from generator.batch.plan import plan
from generator.document.context import build_context
from generator.document.templates import TemplateSpec, find, shipped
from generator.figures.report import Report, build_report
from generator.workbook.consolidate import consolidate
from generator.workbook.model import UnitData
from generator.workbook.reader import read_workbook
from tests.conftest import ROOT, SAMPLES

DEPARTMENT = ROOT / "data_samples" / "益阳市行政审批服务局（部门）"
CONSOLIDATED = "益阳市行政审批服务局_2020（部门汇总）"


def _distinct_settings() -> dict[str, TemplateSpec]:
    """The shipped templates grouped by what the context depends on (display and charts), named by their
    members joined with '+': templates that share a setting share a snapshot."""
    groups: dict[tuple, list[TemplateSpec]] = {}
    for spec in shipped():
        groups.setdefault((spec.display, spec.charts), []).append(spec)
    return {"+".join(s.name for s in specs): specs[0] for specs in groups.values()}


SETTINGS = _distinct_settings()
SAMPLE_NAMES = [*(book.stem for book in SAMPLES), CONSOLIDATED]


def _department_summary() -> UnitData:
    """The department's 部门汇总 as a batch builds it: hierarchy from 基本信息, the 本级 workbook first."""
    rows = discover(DEPARTMENT, None, {})
    planned = plan(rows, DEPARTMENT, [find(None)], "")
    assert not planned.findings, planned.findings
    (job,) = [j for j in planned.jobs if j.consolidated]
    own, *below = (read_workbook(member.path) for member in job.members)
    return consolidate(own, below)


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    """Sample name → its report, each workbook read once for the module."""
    out = {book.stem: build_report(read_workbook(book)) for book in SAMPLES}
    out[CONSOLIDATED] = build_report(_department_summary())
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"the context holds a {type(value).__name__}; teach the snapshot how to write it")


def normalised(context: dict[str, Any]) -> str:
    """The context as stable JSON: sorted keys, Decimals as strings, the chart views as plain fields."""
    return json.dumps(context, default=_json_value, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def snapshot_name(sample: str, setting: str) -> str:
    return f"{sample}__{setting}.json"


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_context_matches_its_snapshot(reports, snapshots, sample, setting):
    spec = SETTINGS[setting]
    context = build_context(reports[sample], spec.display, spec.charts)
    snapshots.check(snapshot_name(sample, setting), normalised(context))


def test_every_snapshot_belongs_to_a_case(snapshots):
    snapshots.prune({snapshot_name(sample, setting) for sample in SAMPLE_NAMES for setting in SETTINGS})


def test_the_consolidation_is_the_department_and_its_three_units(reports):
    report = reports[CONSOLIDATED]
    assert report.unit.scope == "部门汇总" and len(report.institutions) == 4
    assert report.unit.name == "益阳市行政审批服务局"
    assert [i.name for i in report.institutions] == ["市行政审批服务局", "政务大厅服务中心", "政务服务热线中心", "智慧城市和大数据中心"]

