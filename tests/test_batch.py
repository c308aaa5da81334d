"""Batch work over a department: every unit, the consolidation, regeneration of only what changed."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import openpyxl
import pytest
from docx import Document

import generator.document.render
from generator.batch.run import FAILED, OK, UNCHANGED, batch
from generator.cli import main
from generator.document.render import document_text
from tests.conftest import LIZHOU, ROOT

pytestmark = pytest.mark.slow  # every test here runs whole batches in worker processes

DEPARTMENT = ROOT / "data_samples" / "益阳市行政审批服务局（部门）"
NAMES = {"益阳市行政审批服务局", "益阳市行政审批服务局（部门汇总）", "益阳市政务大厅服务中心", "益阳市智慧城市和大数据中心",
         "益阳市政务服务热线中心"}


@pytest.fixture
def folder(tmp_path) -> Path:
    copy = tmp_path / "单位数据"
    shutil.copytree(DEPARTMENT, copy)
    return copy


def _set(path: Path, sheet: str, row_label: str, column: str, value, dest: Path | None = None) -> Path:
    """Copy `path` to `dest` (default: in place) with one cell of a sheet changed."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    col = next(c.column_letter for c in ws[2] if c.value == column)
    row = next(c.row for c in ws["A"] if c.value is not None and str(c.value).removesuffix("（必填）") == row_label)
    ws[f"{col}{row}"] = value
    wb.save(dest or path)
    return dest or path


def set_info(path: Path, dest: Path | None = None, **values) -> Path:
    """A copy of a workbook whose 基本信息 says something else (单位名称=…, 单位编码=…, 年度=…)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["基本信息"]
    rows = {str(c.value).removesuffix("（必填）"): c.row for c in ws["A"] if c.value is not None}
    for label, value in values.items():
        ws[f"B{rows[label]}"] = value
    wb.save(dest or path)
    return dest or path


def test_batch_makes_every_unit_and_the_consolidation(folder, tmp_path):
    before = {p.name: p.read_bytes() for p in folder.glob("*.xlsx")}
    run = batch(folder, tmp_path / "out", jobs=2)
    assert {p.name: p.read_bytes() for p in folder.glob("*.xlsx")} == before, "inputs are never modified"
    assert {r.unit for r in run.results} == NAMES and all(r.status == OK for r in run.results)
    assert not run.findings
    summary = openpyxl.load_workbook(run.summary_path)["生成结果"]
    assert [c.value for c in summary[1]][:4] == ["单位", "单位编码", "模板", "状态"]
    assert {row[0].value for row in summary.iter_rows(min_row=2)} == NAMES
    for r in run.results:
        assert Document(r.output).paragraphs  # every document opens


def test_consolidated_figures_are_the_sum_of_the_units(folder, tmp_path):
    run = batch(folder, tmp_path / "out", jobs=2)
    path = next(r.output for r in run.results if r.unit.endswith("（部门汇总）"))
    text = document_text(Document(path))
    # 1054.50 (本级) + 110.00 + 193.29 + 55.00 (the three units)
    assert "本年收入合计1412.79万元" in text and "部门汇总" in text
    # 基本支出 910.50 + 80.00 + 132.68 + 40.00；项目支出 144.00 + 30.00 + 60.61 + 15.00
    assert "基本支出1163.18万元" in text and "项目支出249.61万元" in text
    t05 = next(t for t in Document(path).tables if any("预算数" in c.text for c in t.rows[0].cells))
    assert [c.text for c in t05.rows[2].cells][1:3] == ["合计", "1,353.18"]  # budgets 990.50 + 110.00 + 197.68 + 55.00


def test_rerun_with_nothing_changed_regenerates_nothing(folder, tmp_path):
    out = tmp_path / "out"
    batch(folder, out, jobs=2)
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("*.docx")}
    again = batch(folder, out, jobs=2)
    assert {r.status for r in again.results} == {UNCHANGED}
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.docx")} == stamps
    assert {r.status for r in batch(folder, out, jobs=2, force=True).results} == {OK}


def test_one_corrected_cell_regenerates_that_unit_and_its_department_and_lists_the_change(folder, tmp_path):
    out = tmp_path / "out"
    batch(folder, out, jobs=2)
    _set(folder / "益阳市智慧城市和大数据中心_2020.xlsx", "其他事项", "国内公务接待批次", "本年数", 5)
    run = batch(folder, out, jobs=2)
    remade = {r.unit for r in run.results if r.status == OK}
    assert remade == {"益阳市智慧城市和大数据中心", "益阳市行政审批服务局（部门汇总）"}
    note = out / "益阳市智慧城市和大数据中心2020年度部门决算_变更.txt"
    text = note.read_text(encoding="utf-8")
    assert "2 → 5" in text and "全年国内公务接待5批次" in text
    consolidated = (out / "益阳市行政审批服务局2020年度部门决算（部门汇总）_变更.txt").read_text(encoding="utf-8")
    assert "5 → 8" in consolidated  # 3 batches of the 本级 + 5


def test_same_inputs_give_byte_identical_documents(folder, tmp_path):
    first = batch(folder, tmp_path / "a", jobs=2)
    batch(folder, tmp_path / "b", jobs=1)
    for r in first.results:
        twin = tmp_path / "b" / Path(r.output).name
        assert Path(r.output).read_bytes() == twin.read_bytes(), r.unit


@pytest.mark.parametrize("charts", ["native", "picture"])
def test_single_and_batch_paths_give_the_same_bytes(folder, tmp_path, charts):
    run = batch(folder, tmp_path / "a", jobs=2, chart_format=charts)
    batched = {Path(r.output).name: Path(r.output) for r in run.results if "部门汇总" not in r.unit}
    assert len(batched) == 4
    for book in folder.glob("*.xlsx"):
        assert main(["generate", str(book), "--output", str(tmp_path / "single"), "--charts", charts]) == 0
    single = {p.name: p for p in (tmp_path / "single").glob("*.docx")}
    assert single.keys() == batched.keys()
    assert all(single[n].read_bytes() == batched[n].read_bytes() for n in single)


def test_a_failing_unit_does_not_stop_the_others(folder, tmp_path, capsys):
    _set(folder / "益阳市政务大厅服务中心_2020.xlsx", "收支总表", "本年支出合计", "本年数", 999)
    (folder / "说明.xlsx").write_bytes(b"not a workbook")
    assert main(["batch", str(folder), "--output", str(tmp_path / "out"), "--jobs", "2"]) == 2
    out = capsys.readouterr().out
    assert "失败" in out and "益阳市政务大厅服务中心" in out
    assert any(line.startswith("无法读取") and "说明.xlsx" in line for line in out.splitlines())
    # it could be a fourth unit of the department: its 部门汇总 is not made without it, and says why
    consolidated = next(line for line in out.splitlines() if "（部门汇总）" in line)
    assert consolidated.startswith("失败") and "说明.xlsx" in consolidated
    made = {p.name for p in (tmp_path / "out").glob("*.docx")}
    assert "益阳市政务服务热线中心2020年度部门决算.docx" in made
    checked = openpyxl.load_workbook(tmp_path / "out" / "批量生成汇总.xlsx")["检查结果"]
    assert any(row[2].value == "表间-支出" and row[0].value == "益阳市政务大厅服务中心" for row in checked.iter_rows(min_row=2))
    assert "益阳市政务大厅服务中心2020年度部门决算.docx" not in made


@pytest.mark.parametrize(("edit", "message"), [
    (("益阳市政务服务热线中心_2020.xlsx", "上级单位编码", "999999"), "找不到"),
    (("本级_益阳市行政审批服务局_2020.xlsx", "上级单位编码", "430900104"), "循环"),
])
def test_hierarchy_problems_are_findings_not_crashes(folder, tmp_path, edit, message):
    name, row, value = edit
    _set(folder / name, "基本信息", row, "内容", value)
    run = batch(folder, tmp_path / "out", jobs=2)
    assert any(message in f.message for f in run.findings)
    assert all(r.status == OK for r in run.results if "部门汇总" not in r.unit)


def test_two_workbooks_for_one_unit_and_year(folder, tmp_path):
    shutil.copy(folder / "益阳市政务服务热线中心_2020.xlsx", folder / "热线中心_副本.xlsx")
    run = batch(folder, tmp_path / "out", jobs=2)
    assert any("有两本" in f.message for f in run.findings)
    assert sum(r.unit == "益阳市政务服务热线中心" for r in run.results) == 1


def test_a_killed_worker_leaves_no_broken_document_and_the_next_run_finishes(folder, tmp_path, monkeypatch):
    real = generator.document.render.save_stable

    def killed_midway(tpl, target: Path) -> None:
        real(tpl, target)
        if "热线" in target.name:
            target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
            os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(generator.document.render, "save_stable", killed_midway)  # inherited by forked workers
    out = tmp_path / "out"
    run = batch(folder, out, jobs=2)
    failed = [r for r in run.results if r.status == FAILED]
    assert [r.unit for r in failed] == ["益阳市政务服务热线中心"] and "意外退出" in failed[0].note
    for doc in out.glob("*.docx"):
        assert Document(str(doc)).paragraphs, f"{doc.name} is broken"
    assert not (out / "益阳市政务服务热线中心2020年度部门决算.docx").exists()
    monkeypatch.setattr(generator.document.render, "save_stable", real)
    again = batch(folder, out, jobs=2)
    assert {r.unit for r in again.results if r.status == OK} == {"益阳市政务服务热线中心"}
    assert not list(out.glob(".*.tmp"))


def test_a_users_own_template_works_in_batch(folder, tmp_path):
    """A copied and edited template is found by the workers too (they used to look it up by name only)."""
    mine = tmp_path / "模板" / "我的模板.docx"
    mine.parent.mkdir()
    assert main(["templates", "--copy", "chongqing_juesuan", str(mine)]) == 0
    run = batch(folder, tmp_path / "out", [str(mine)], jobs=1)
    assert run.results and all(r.status == OK for r in run.results), [r.note for r in run.results]
    text = document_text(Document(run.results[0].output))
    assert "七、决算公开联系方式" in text or "五、预算绩效管理情况说明" in text


def test_the_change_snapshot_of_the_rendered_body_is_the_saved_documents(tmp_path):
    """A batch takes its change-list snapshot from the body just rendered: the same as reading the saved file."""
    from generator.batch.changes import body_snapshot, snapshot
    from generator.document.pipeline import render_data
    from generator.document.templates import find
    from generator.workbook.reader import read_workbook

    seen: list[dict[str, str]] = []
    path = render_data(read_workbook(LIZHOU), find(None), tmp_path, on_body=lambda body, read: seen.append(body_snapshot(body, read)))
    assert len(seen) == 1 and len(seen[0]) > 100 and seen[0] == snapshot(path)


def test_workbooks_read_by_several_processes_are_read_as_one_process_reads_them(folder, tmp_path, monkeypatch):
    """Many new workbooks are read in processes while this one prepares the workers (discover.PARALLEL_FROM):
    every workbook gets the same row either way, the broken ones included, and what was read is kept."""
    from generator.batch import discover as found

    (folder / "坏的.xlsx").write_text("不是工作簿", encoding="utf-8")
    shutil.copy(folder / next(p.name for p in folder.glob("*.xlsx") if "本级" in p.name), folder / "副本.xlsx")
    here_known: dict = {}
    here = found.discover(folder, None, here_known)
    monkeypatch.setattr(found, "PARALLEL_FROM", 1)
    calls = []
    there_known: dict = {}
    there = found.discover(folder, None, there_known, workers=2, meanwhile=lambda: calls.append(1))
    assert calls == [1]
    assert [(r.path, r.status, r.note, r.unit) for r in there] == [(r.path, r.status, r.note, r.unit) for r in here]
    assert len(there) == 6 and sum(r.unit is None for r in there) == 1
    assert there_known == here_known and len(there_known) == 4  # the copy has its original's content
    calls.clear()
    monkeypatch.setattr(found, "PARALLEL_FROM", 2)  # only the broken workbook is new now
    again = found.discover(folder, None, there_known, workers=2, meanwhile=lambda: calls.append(1))
    assert [r.unit for r in again] == [r.unit for r in here] and calls == []  # read here


def test_a_batch_whose_workers_were_prepared_while_reading_makes_the_same_documents(folder, tmp_path, monkeypatch):
    from generator.batch import discover as found

    plain = batch(folder, tmp_path / "a", jobs=2)
    monkeypatch.setattr(found, "PARALLEL_FROM", 1)
    prepared = batch(folder, tmp_path / "b", jobs=2)
    assert [r.status for r in prepared.results] == [OK] * 5
    for r in plain.results:
        assert Path(r.output).read_bytes() == (tmp_path / "b" / Path(r.output).name).read_bytes(), r.unit
