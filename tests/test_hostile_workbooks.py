"""Hostile and mistaken inputs: refused quickly, before openpyxl inflates anything, with a message naming the
file and the limit, and no document written. Every hostile workbook is built here from the sample's zip."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from generator.document.pipeline import generate_document
from generator.errors import InputError, JuesuanError
from generator.workbook import limits
from generator.workbook.limits import inspect
from generator.workbook.reader import read_workbook
from tests.conftest import LIZHOU

MB = 1024 * 1024
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
INSTRUCTIONS = "xl/worksheets/sheet1.xml"  # 填表说明: a sheet the tool does not read
INFO = "xl/worksheets/sheet2.xml"  # 基本信息
SPENDING = "xl/worksheets/sheet8.xml"  # 一般公共预算支出表
STRINGS = "xl/sharedStrings.xml"
ROOT = Path(__file__).resolve().parent.parent


def sample_part(name: str) -> bytes:
    with zipfile.ZipFile(LIZHOU) as z:
        return z.read(name)


def rebuilt(tmp_path: Path, parts: dict[str, bytes], name: str = "hostile.xlsx",
            compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """The sample workbook's zip with some parts replaced or added."""
    path = tmp_path / name
    with zipfile.ZipFile(LIZHOU) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename not in parts:
                out.writestr(item, src.read(item))
        for part, data in parts.items():
            out.writestr(zipfile.ZipInfo(part), data, compress_type=compression)
    return path


def with_rows(xml: bytes, rows: bytes) -> bytes:
    """A sheet's XML with rows added at the end of its sheetData."""
    assert b"</sheetData>" in xml
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


def refused(path: Path, *expected: str) -> str:
    """Reading is refused in under 2 s with a message naming the file and each expected text."""
    start = time.perf_counter()
    with pytest.raises(InputError) as err:
        read_workbook(path)
    seconds = time.perf_counter() - start
    message = str(err.value)
    assert seconds < 2, f"refused after {seconds:.1f} s"
    assert f"文件「{path.name}」" in message, message
    for text in expected:
        assert text in message, message
    return message


# ---------------------------------------------------------------- zip bombs
@pytest.mark.parametrize(("part", "sheet"), [(INSTRUCTIONS, "填表说明"), (SPENDING, "一般公共预算支出表"), (STRINGS, "")])
def test_a_highly_compressed_part_is_refused_from_the_zip_directory(tmp_path, part, sheet):
    bomb = b"<worksheet>" + b" " * (4 * MB) + b"</worksheet>"  # ~4 KB compressed: ratio ~1000:1
    message = refused(rebuilt(tmp_path, {part: bomb}), part, "压缩比", "100:1（上限", "JUESUAN_MAX_RATIO", "压缩炸弹")
    assert (f"工作表「{sheet}」" in message) == bool(sheet)


def test_a_part_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("JUESUAN_MAX_PART_MB", "1")
    picture = os.urandom(2 * MB)  # incompressible, so only the size limit can stop it
    refused(rebuilt(tmp_path, {"xl/media/image1.png": picture}), "xl/media/image1.png", "超过 1 MB（上限",
            "JUESUAN_MAX_PART_MB")


def test_the_whole_package_over_the_total_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("JUESUAN_MAX_UNZIPPED_MB", "0.25")  # the sample inflates to 0.35 MB
    refused(rebuilt(tmp_path, {}), "解压后超过 0.25 MB（上限", "JUESUAN_MAX_UNZIPPED_MB")


def test_a_part_that_inflates_past_its_declared_size_is_stopped(tmp_path):
    """The zip directory says 100 bytes; the data inflates to 8 MB. Reading stops at the declared size."""
    path = rebuilt(tmp_path, {STRINGS: b"<sst>" + b" " * (8 * MB) + b"</sst>"})
    raw = bytearray(path.read_bytes())
    name = STRINGS.encode()
    central = raw.rfind(b"PK\x01\x02", 0, raw.rfind(name))
    local = raw.find(name) - 30
    struct.pack_into("<L", raw, central + 24, 100)  # uncompressed size in the central directory
    struct.pack_into("<L", raw, local + 22, 100)  # and in the local header
    path.write_bytes(bytes(raw))
    refused(path, "已损坏", STRINGS)


def test_a_small_part_may_compress_well(tmp_path):
    """Below 1 MB a part cannot hurt, so its ratio is not held against it."""
    path = rebuilt(tmp_path, {"docProps/custom.xml": b"<Properties>" + b" " * (900 * 1024) + b"</Properties>"})
    assert read_workbook(path).table("gp").by_key.keys() == read_workbook(LIZHOU).table("gp").by_key.keys()


def test_real_workbooks_pass_a_quarter_of_every_limit(tmp_path, monkeypatch):
    """The defaults leave room: the samples and a synthetic benchmark unit pass even limits four times lower."""
    from bench.synth import make

    for key, value in {"UNZIPPED_MB": 25, "PART_MB": 12.5, "RATIO": 25, "SHEET_CELLS": 125_000, "ROWS": 25_000,
                       "COLUMNS": 32, "STYLES": 12_500}.items():
        monkeypatch.setenv(f"JUESUAN_MAX_{key}", str(value))
    for book in [*sorted((ROOT / "data_samples").rglob("*.xlsx")), *make(tmp_path, 1)]:
        assert read_workbook(book).info("name")


def test_an_oversized_zip_directory(monkeypatch, tmp_path):
    monkeypatch.setattr(limits, "MAX_DIRECTORY_BYTES", 1000)  # the sample's directory is about 4.5 KB
    refused(rebuilt(tmp_path, {}), "zip 目录", "已拒绝读取")


def test_a_zip_encrypted_part(tmp_path):
    path = rebuilt(tmp_path, {})
    raw = bytearray(path.read_bytes())
    name = INFO.encode()
    central = raw.rfind(b"PK\x01\x02", 0, raw.rfind(name))
    raw[central + 8] |= 0x1  # general purpose flag, bit 0: encrypted
    path.write_bytes(bytes(raw))
    refused(path, INFO, "zip 密码加密")


# ---------------------------------------------------------------- too many cells, rows, columns
@pytest.mark.parametrize(("compression", "expected"), [(zipfile.ZIP_STORED, "超过 500,000 个单元格（上限"),
                                                       (zipfile.ZIP_DEFLATED, "压缩比")])
def test_millions_of_cells_in_a_sheet_the_tool_does_not_read(tmp_path, compression, expected):
    row = b"<row>" + b"<c/>" * 1000 + b"</row>"
    sheet = f'<worksheet xmlns="{NS}"><sheetData>'.encode() + row * 5000 + b"</sheetData></worksheet>"  # 5 million
    refused(rebuilt(tmp_path, {INSTRUCTIONS: sheet}, compression=compression), "工作表「填表说明」", INSTRUCTIONS, expected)


def test_the_cell_limit_can_be_lowered(tmp_path, monkeypatch):
    monkeypatch.setenv("JUESUAN_MAX_SHEET_CELLS", "200")
    refused(rebuilt(tmp_path, {}), "超过 200 个单元格（上限", "JUESUAN_MAX_SHEET_CELLS")


def test_style_bloat_is_bounded(tmp_path, monkeypatch):
    """openpyxl builds an object for every style record (~3 KB each), so their number is bounded too."""
    monkeypatch.setenv("JUESUAN_MAX_STYLES", "20")  # the sample has 29
    refused(rebuilt(tmp_path, {}), "xl/styles.xml", "超过 20 条格式记录（上限", "JUESUAN_MAX_STYLES", "65,490")


def test_a_row_past_the_bound_in_a_sheet_the_tool_reads(tmp_path):
    far = b'<row r="200000"><c r="A200000" t="inlineStr"><is><t>x</t></is></c></row>'
    refused(rebuilt(tmp_path, {SPENDING: with_rows(sample_part(SPENDING), far)}),
            "工作表「一般公共预算支出表」", "超过 100,000 行（上限", "JUESUAN_MAX_ROWS")


def test_a_column_past_the_bound_in_a_sheet_the_tool_reads(tmp_path):
    wide = b'<row r="300"><c r="XFD300" t="inlineStr"><is><t>x</t></is></c></row>'
    refused(rebuilt(tmp_path, {SPENDING: with_rows(sample_part(SPENDING), wide)}),
            "工作表「一般公共预算支出表」", "超过 128 列（上限", "JUESUAN_MAX_COLUMNS")


def test_cells_without_addresses_are_still_bounded_while_reading(tmp_path):
    """Cells without an r attribute escape the quick count; the row-by-row check still refuses them."""
    wide = b'<row r="300">' + b"<c><v>1</v></c>" * 200 + b"</row>"
    refused(rebuilt(tmp_path, {SPENDING: with_rows(sample_part(SPENDING), wide)}),
            "工作表「一般公共预算支出表」", "超过 128 列（上限")


def test_the_row_bound_can_be_lowered(tmp_path, monkeypatch):
    monkeypatch.setenv("JUESUAN_MAX_ROWS", "20")
    refused(rebuilt(tmp_path, {}), "超过 20 行（上限")


def test_a_declared_dimension_is_not_trusted(tmp_path):
    """<dimension ref="A1:XFD1048576"/> would make openpyxl pad every row to 16,384 columns and a million rows."""
    xml = sample_part(SPENDING)
    start = xml.index(b"<dimension ")
    xml = xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + xml[xml.index(b">", start) + 1:]
    started = time.perf_counter()
    data = read_workbook(rebuilt(tmp_path, {SPENDING: xml}))
    assert time.perf_counter() - started < 2
    assert data.table("gp").by_key["2010302"].where("budget").sheet == "一般公共预算支出表"
    assert data.table("gp").by_key.keys() == read_workbook(LIZHOU).table("gp").by_key.keys()


def test_a_title_merged_across_the_whole_row_is_read(tmp_path):
    xml = sample_part(SPENDING).replace(b'<mergeCell ref="A1:H1"/>', b'<mergeCell ref="A1:XFD1"/>')
    assert b"A1:XFD1" in xml
    data = read_workbook(rebuilt(tmp_path, {SPENDING: xml}))
    assert data.table("gp").by_key.keys() == read_workbook(LIZHOU).table("gp").by_key.keys()


def test_a_merge_covering_millions_of_cells_is_refused(tmp_path):
    xml = sample_part(SPENDING).replace(b'<mergeCell ref="A1:H1"/>', b'<mergeCell ref="A1:XFD1048576"/>')
    refused(rebuilt(tmp_path, {SPENDING: xml}), "工作表「一般公共预算支出表」", "合并单元格共覆盖", "JUESUAN_MAX_SHEET_CELLS")


def test_bad_limit_in_the_environment_is_named(monkeypatch):
    monkeypatch.setenv("JUESUAN_MAX_ROWS", "many")
    with pytest.raises(JuesuanError, match="环境变量 JUESUAN_MAX_ROWS 应为正数"):
        inspect(LIZHOU)


# ---------------------------------------------------------------- XML attacks
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode() for i in range(1, 10))
          + b"]>")
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def _with_prolog(xml: bytes, prolog: bytes, entity: bytes) -> bytes:
    body = xml[xml.index(b"?>") + 2:] if xml.startswith(b"<?xml") else xml
    return prolog + body.replace(b"</sheetData>", b'<row r="900"><c r="A900" t="inlineStr"><is><t>' + entity
                                 + b"</t></is></c></row></sheetData>")


@pytest.mark.parametrize(("prolog", "entity"), [(LAUGHS, b"&lol9;"), (XXE, b"&secret;")], ids=["billion-laughs", "xxe"])
def test_entities_in_a_sheet_are_refused(tmp_path, prolog, entity):
    refused(rebuilt(tmp_path, {INFO: _with_prolog(sample_part(INFO), prolog, entity)}), "工作表「基本信息」", INFO, "DTD")


@pytest.mark.parametrize(("prolog", "entity"), [(LAUGHS, b"&lol9;"), (XXE, b"&secret;")], ids=["billion-laughs", "xxe"])
def test_entities_in_shared_strings_are_refused(tmp_path, prolog, entity):
    strings = prolog + f'<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>'.encode() + entity + b"</t></si></sst>"
    refused(rebuilt(tmp_path, {STRINGS: strings}), STRINGS, "DTD")


def test_a_utf16_part_cannot_hide_a_dtd(tmp_path):
    xml = _with_prolog(sample_part(INFO), XXE, b"&secret;").decode().replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>')
    refused(rebuilt(tmp_path, {INFO: xml.encode("utf-16")}), INFO, "UTF-16")


# ---------------------------------------------------------------- files that are not workbooks
def ole_file(stream: str) -> bytes:
    """A minimal OLE compound file (version 3: one FAT sector, one directory sector) holding one empty stream."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD

    def entry(name: str, kind: int, child: int = free) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB3L", len(encoded), kind, 1, free, free, child)
                + b"\0" * 36 + struct.pack("<LQ", end if name else 0, 0))

    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<9L", 0, 1, 1, 0, 4096, end, 0, end, 0) + struct.pack("<109L", 0, *[free] * 108))
    fat = struct.pack("<128L", fat_sector, end, *[free] * 126)
    directory = entry("Root Entry", 5, child=1) + entry(stream, 2) + entry("", 0) + entry("", 0)
    return header + fat + directory


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("加密.xlsx", ole_file("EncryptedPackage"), "设置了打开密码"),
    ("旧版.xlsx", ole_file("Workbook"), "旧版 .xls 工作簿"),
    ("网页.xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页"),
    ("扫描件.xlsx", b"%PDF-1.4\n%\xe2\xe3\n", "PDF"),
    ("乱码.xlsx", b"\x00\x01 this is not a workbook", "不是 zip 格式"),
])
def test_files_that_are_not_xlsx_get_their_own_message(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    message = refused(path, expected)
    assert ("设置了打开密码" in message) == (expected == "设置了打开密码")


def test_a_folder_is_not_called_damaged(tmp_path):
    folder = tmp_path / "单位.xlsx"
    folder.mkdir()
    message = refused(folder, "文件夹", "juesuan batch")
    assert "损坏" not in message and "密码" not in message


def test_a_missing_file(tmp_path):
    message = refused(tmp_path / "没有这个文件.xlsx", "找不到文件")
    assert "损坏" not in message and "密码" not in message


# ---------------------------------------------------------------- nothing is written
def test_generate_document_writes_nothing_for_a_bomb(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    bomb = rebuilt(tmp_path, {INSTRUCTIONS: b"<worksheet>" + b" " * (4 * MB) + b"</worksheet>"})
    with pytest.raises(InputError, match="压缩炸弹"):
        generate_document(bomb, output_dir=out)
    assert not list(out.iterdir())


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT)


def test_the_command_line_refuses_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    far = b'<row r="200000"><c r="A200000" t="inlineStr"><is><t>x</t></is></c></row>'
    book = rebuilt(tmp_path, {SPENDING: with_rows(sample_part(SPENDING), far)}, name="超长.xlsx")
    result = _cli("generate", str(book), "--output", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "错误：" in result.stderr and "超长.xlsx" in result.stderr and "100,000 行（上限" in result.stderr
    assert not out.exists() or not list(out.iterdir())


def test_a_lowered_limit_reaches_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("JUESUAN_MAX_ROWS", "20")
    assert main(["generate", str(LIZHOU), "--output", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "20 行（上限" in err and LIZHOU.name in err
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------- memory
# VmHWM, the process's own peak (ru_maxrss would carry over the parent's peak from before the fork)
CHILD = """
import re, sys
from pathlib import Path
from generator.errors import InputError
from generator.workbook.reader import read_workbook
try:
    read_workbook(sys.argv[1])
except InputError as exc:
    print(exc)
print(re.search(r"VmHWM:\\s*(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
"""


@pytest.fixture(autouse=False)
def linux_proc():
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc (Linux)")


def _read_in_a_process(book: Path) -> tuple[str, int]:
    """What a fresh process printed (an InputError, if any) and its peak resident memory in KiB."""
    result = subprocess.run([sys.executable, "-c", CHILD, str(book)], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    *printed, peak = result.stdout.splitlines()
    return "\n".join(printed), int(peak)


def test_reading_a_sample_stays_under_200_mb(linux_proc):
    printed, peak = _read_in_a_process(LIZHOU)
    assert printed == "" and peak < 200 * 1024


def test_refusing_millions_of_cells_stays_under_200_mb(tmp_path, linux_proc):
    row = b"<row>" + b"<c/>" * 1000 + b"</row>"
    sheet = f'<worksheet xmlns="{NS}"><sheetData>'.encode() + row * 5000 + b"</sheetData></worksheet>"
    printed, peak = _read_in_a_process(rebuilt(tmp_path, {INSTRUCTIONS: sheet}, compression=zipfile.ZIP_STORED))
    assert "500,000 个单元格" in printed and peak < 200 * 1024
