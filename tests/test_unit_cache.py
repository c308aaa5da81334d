"""The parsed-workbook cache of a batch's output folder: what it gives back is what the reader gives, it is used
only for the same bytes, and a damaged or foreign entry only costs a fresh read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import generator.workbook.reader
from generator.batch.run import STATE_DIR, UNITS_DIR, batch
from generator.workbook.reader import read_workbook
from generator.workbook.unit_cache import UnitCache, decode, encode, file_digest
from tests.conftest import ROOT, YIYANG

SAMPLES = sorted((ROOT / "data_samples").rglob("*.xlsx"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_an_entry_gives_back_exactly_what_the_reader_gives(path):
    data = read_workbook(path)
    assert decode(encode(data), str(path)) == data


@pytest.fixture
def counted(monkeypatch):
    calls: list[str] = []
    real = generator.workbook.reader.read_workbook

    def read(path):
        calls.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(generator.workbook.reader, "read_workbook", read)
    return calls


def test_the_same_bytes_are_read_once_wherever_the_file_is(tmp_path, counted):
    cache = UnitCache(tmp_path / "cache")
    book = tmp_path / "a.xlsx"
    shutil.copy(YIYANG, book)
    first = cache.read(book, file_digest(book))
    moved = tmp_path / "moved" / "b.xlsx"
    moved.parent.mkdir()
    book.rename(moved)
    again = cache.read(moved, file_digest(moved))
    assert counted == ["a.xlsx"]
    assert again.path == str(moved) and again.info("name") == first.info("name")
    where = again.table("summary").rows[0].cells["current"].where
    assert where.file == str(moved) and where.cell  # findings name the file where it is now


def test_a_damaged_or_foreign_entry_is_read_again(tmp_path, counted):
    cache = UnitCache(tmp_path / "cache")
    digest = file_digest(YIYANG)
    cache.read(YIYANG, digest)
    entry = tmp_path / "cache" / f"{digest}.json"
    for damaged in (b"{not json", b'{"format": 999, "tables": {}}', entry.read_bytes()[:500], b"[1, 2]"):
        entry.write_bytes(damaged)
        assert cache.read(YIYANG, digest) == read_workbook(YIYANG)
    assert counted.count(YIYANG.name) == 1 + 4  # each damaged entry: the workbook read again (and kept anew)


def test_a_file_changed_while_it_was_read_is_not_kept(tmp_path, counted):
    cache = UnitCache(tmp_path / "cache")
    book = tmp_path / "a.xlsx"
    shutil.copy(YIYANG, book)
    cache.read(book, "0" * 64)  # the digest the plan saw is not the file's any more
    assert not list((tmp_path / "cache").glob("*.json"))


@pytest.mark.slow
def test_a_batch_keeps_every_workbook_parsed_and_replaces_only_the_changed_entry(tmp_path):
    """After a full run every workbook is kept parsed; after one changes, the 部门汇总 and that unit are remade and
    only its entry is replaced (the others are what the 部门汇总 read instead of their workbooks)."""
    folder = tmp_path / "单位数据"
    shutil.copytree(YIYANG.parent, folder)
    out = tmp_path / "out"
    batch(folder, out, jobs=1)
    kept = sorted(p.name for p in (out / STATE_DIR / UNITS_DIR).glob("*.json"))
    assert len(kept) == len(list(folder.glob("*.xlsx")))
    hotline = next(folder.glob("*热线*.xlsx"))
    import openpyxl

    wb = openpyxl.load_workbook(hotline)
    ws = wb["其他事项"]
    row = next(c.row for c in ws["A"] if c.value == "国内公务接待批次")
    ws[f"B{row}"] = (ws[f"B{row}"].value or 0) + 1
    wb.save(hotline)
    run = batch(folder, out, jobs=1)
    remade = sorted(r.unit for r in run.results if r.status == "已生成")
    assert remade == ["益阳市政务服务热线中心", "益阳市行政审批服务局（部门汇总）"]
    now = sorted(p.name for p in (out / STATE_DIR / UNITS_DIR).glob("*.json"))
    assert len(now) == len(kept) and f"{file_digest(hotline)}.json" in now  # the old entry of the hotline is gone
