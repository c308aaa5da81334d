"""A unit's name is untrusted input: whatever it says, the document lands in the output folder under a name
Windows and Linux both accept, and two units never share a file."""

from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from generator.batch.run import OK, batch
from generator.cli import main
from generator.document.pipeline import document_name
from generator.document.templates import find, shipped
from generator.output_files import FILE_NAME_BYTES, NAME_BYTES, safe_file_name
from generator.workbook.reader import read_info
from tests.conftest import SAMPLES
from tests.test_batch import DEPARTMENT, set_info

HOTLINE = DEPARTMENT / "益阳市政务服务热线中心_2020.xlsx"
WINDOWS_FORBIDDEN = set('<>:"/\\|?*')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
# Every trick a 单位名称 could play on a file name.
HOSTILE = {
    "traversal": "../../TRAVERSED/热线中心",
    "absolute": "/tmp/ABSOLUTE/热线中心",
    "backslashes": "..\\..\\WINDOWS\\热线中心",
    "subfolders": "政务/服务/热线中心",
    "windows_forbidden": '热线:中心*?"<>|',
    "newlines": "热线\n中心\r\t",
    "zero_width_and_bidi": "热线\u200b中心\u202e\ufeff",
    "reserved": "CON",
    "reserved_lower_with_dot": "nul.",
    "dots_and_spaces": " .. ",
    "hidden": ".热线中心",
    "long_81": "长" * 81,
    "long_300": "长" * 300,
    "long_ascii": "x" * 300,
}


def assert_safe(name: str) -> None:
    """What Windows and Linux both accept as one file name in a folder."""
    assert not set(name) & WINDOWS_FORBIDDEN, name
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in name), repr(name)
    assert name == name.strip() and not name.startswith(".") and not name.endswith((".", " ")), repr(name)
    assert name.split(".")[0].rstrip().upper() not in RESERVED, name
    assert len(name.encode("utf-8")) <= FILE_NAME_BYTES, len(name.encode("utf-8"))


def everything_below(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_names_are_made_safe(name):
    for spec in shipped():
        made = document_name(spec, name, 2020, "部门汇总", draft=True, tag="430900104")
        assert_safe(made)
        assert made.endswith("（430900104）（部门汇总）（草稿）.docx"), "the suffixes are kept whole"


@given(st.text(max_size=400), st.text(max_size=40), st.text(max_size=40))
def test_any_text_gives_a_safe_name(name, prefix, suffix):
    made = safe_file_name(name, prefix=prefix, suffix=suffix, extension=".docx")
    assert_safe(made)
    assert made.endswith(".docx") and made != ".docx"


def test_names_that_were_safe_do_not_change():
    for book in SAMPLES:
        unit = read_info(book).get("name").text("value")
        for spec in shipped():
            assert document_name(spec, unit, 2020) == spec.output_name(unit, 2020)


def test_a_long_name_keeps_the_year_and_the_template_text():
    made = document_name(find("sichuan_juesuan"), "长" * 300, 2020, "部门汇总")
    assert made.endswith("长2020年度部门决算（部门汇总）.docx")
    assert len(made.split("2020")[0].encode("utf-8")) <= NAME_BYTES


@pytest.mark.slow
def test_generate_writes_only_into_the_output_folder(tmp_path, capsys):
    books = tmp_path / "books"
    books.mkdir()
    out = tmp_path / "a" / "b" / "out"
    out.mkdir(parents=True)
    for key, name in HOSTILE.items():
        set_info(HOTLINE, books / f"{key}.xlsx", 单位名称=name)
    before = everything_below(tmp_path)
    for key in HOSTILE:
        assert main(["generate", str(books / f"{key}.xlsx"), "--output", str(out)]) == 0, key
        written = Path(capsys.readouterr().out.strip().removeprefix("已生成："))
        assert written.parent == out and written.is_file(), (key, written)
        assert_safe(written.name)
        assert Document(str(written)).paragraphs
    made = everything_below(tmp_path) - before
    assert made and all(p.parent == out.relative_to(tmp_path) for p in made), sorted(made)
    assert not Path("/tmp/ABSOLUTE").exists()


@pytest.mark.slow
def test_batch_writes_only_into_the_output_folder_and_names_each_unit_apart(tmp_path):
    folder = tmp_path / "books"
    folder.mkdir()
    for i, (key, name) in enumerate(HOSTILE.items()):
        set_info(HOTLINE, folder / f"{key}.xlsx", 单位名称=name, 单位编码=f"9{i:02d}", 上级单位编码=None)
    out = tmp_path / "a" / "b" / "out"
    out.mkdir(parents=True)
    before = everything_below(tmp_path)
    run = batch(folder, out, jobs=2)
    assert {r.status for r in run.results} == {OK}, [(r.unit, r.note) for r in run.results if r.status != OK]
    assert len(run.results) == len(HOSTILE)
    made = everything_below(tmp_path) - before
    outside = {p for p in made if out.relative_to(tmp_path) not in (p, *p.parents)}
    assert not outside
    documents = {p.name for p in out.glob("*.docx")}
    assert len(documents) == len(HOSTILE), "no unit overwrote another"
    for name in documents:
        assert_safe(name)
    assert {Path(r.output).name for r in run.results} == documents
    # "长"*81 and "长"*300 are cut to the same name: both get their unit code, and the summary says why
    longs = [r for r in run.results if r.unit.startswith("长")]
    assert all(r.code in Path(r.output).name and "同名" in r.note for r in longs)
    assert any("同名" in f.message for f in run.findings)


@pytest.mark.slow
def test_two_units_with_one_name_get_two_documents_named_the_same_way_every_run(tmp_path, capsys):
    folder = tmp_path / "单位数据"
    shutil.copytree(DEPARTMENT, folder)
    set_info(folder / "益阳市政务服务热线中心_2020.xlsx", 单位名称="益阳市政务大厅服务中心")
    out = tmp_path / "out"
    assert main(["batch", str(folder), "--output", str(out), "--jobs", "2"]) == 0
    twins = sorted(p.name for p in out.glob("益阳市政务大厅服务中心*.docx"))
    assert twins == ["益阳市政务大厅服务中心2020年度部门决算（430900102）.docx",
                     "益阳市政务大厅服务中心2020年度部门决算（430900104）.docx"]
    texts = {name: "\n".join(p.text for p in Document(str(out / name)).paragraphs) for name in twins}
    assert texts[twins[0]] != texts[twins[1]], "two different units' documents"
    printed = capsys.readouterr()
    assert "同名" in printed.out and "430900102、430900104" in printed.err
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")}
    again = batch(folder, out, jobs=2)
    assert {r.status for r in again.results} == {"未变化"}, "the names do not flip between runs"
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")} == stamps


def test_generated_files_get_ordinary_permissions(tmp_path):
    if os.name == "nt":
        pytest.skip("POSIX permissions")
    old = os.umask(0o022)
    try:
        from generator.output_files import write_text

        made = write_text(tmp_path / "x.txt", "内容")
    finally:
        os.umask(old)
    assert made.stat().st_mode & 0o777 == 0o644

