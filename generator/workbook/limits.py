"""How big a workbook may be, checked before openpyxl inflates or parses anything in it.

An .xlsx is a zip of XML parts: a 1 MB file can inflate to gigabytes (a zip bomb), a sheet can hold
millions of cells, an XML part can carry a DTD (billion laughs, external entities). `inspect(path)` looks
at the file, then at the zip directory (declared sizes and compression ratios), then reads every part
through a bounded stream (it stops as soon as more bytes come out than declared or than the limit) and
counts what openpyxl would build: cells, rows, columns, shared strings. Only then may openpyxl open it.

Limits (module constants; each can be changed with the environment variable named beside it):

    JUESUAN_MAX_UNZIPPED_MB   100        all parts together, uncompressed
    JUESUAN_MAX_PART_MB       50         any one part, uncompressed
    JUESUAN_MAX_RATIO         100        compression ratio of a part larger than 1 MB
    JUESUAN_MAX_SHEET_CELLS   500000     cells in any one worksheet (read or not); also shared strings
                                         and merged ranges
    JUESUAN_MAX_ROWS          100000     rows of a worksheet the tool reads
    JUESUAN_MAX_COLUMNS       128        columns (up to DX) of a worksheet the tool reads
    JUESUAN_MAX_STYLES        50000      style records in xl/styles.xml (cell formats, named styles, fonts,
                                         fills, borders, number formats); openpyxl builds every one, ~3 KB each

Real workbooks are far inside them: the samples and the benchmark's synthetic units inflate to about
0.4 MB, their largest part is 51 KB, their highest ratio 13:1, their largest sheet has 68 rows and 27
columns, their styles 29 records (Excel itself allows at most 65,490 cell formats).
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from generator.errors import InputError, JuesuanError, Location

MB = 1024 * 1024

MAX_UNZIPPED_MB = 100
MAX_PART_MB = 50
MAX_RATIO = 100
MAX_SHEET_CELLS = 500_000
MAX_ROWS = 100_000
MAX_COLUMNS = 128
MAX_STYLES = 50_000

RATIO_FLOOR = 1 * MB  # a part smaller than this cannot hurt, whatever its ratio
MAX_DIRECTORY_BYTES = 4 * MB  # the zip's central directory: ~40,000 parts (a real workbook has ~60)
_CHUNK = 1 * MB

ENV = {
    "unzipped": ("JUESUAN_MAX_UNZIPPED_MB", MAX_UNZIPPED_MB),
    "part": ("JUESUAN_MAX_PART_MB", MAX_PART_MB),
    "ratio": ("JUESUAN_MAX_RATIO", MAX_RATIO),
    "cells": ("JUESUAN_MAX_SHEET_CELLS", MAX_SHEET_CELLS),
    "rows": ("JUESUAN_MAX_ROWS", MAX_ROWS),
    "columns": ("JUESUAN_MAX_COLUMNS", MAX_COLUMNS),
    "styles": ("JUESUAN_MAX_STYLES", MAX_STYLES),
}


@dataclass(frozen=True)
class Limits:
    unzipped: int  # bytes
    part: int  # bytes
    ratio: float
    cells: int
    rows: int
    columns: int
    styles: int


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if not value > 0:
        raise JuesuanError(f"环境变量 {name} 应为正数，现在是“{raw}”")
    return value


def current() -> Limits:
    """The limits in force: the constants above, or the environment's overrides (read at each call)."""
    n = {key: _env_number(name, default) for key, (name, default) in ENV.items()}
    return Limits(unzipped=int(n["unzipped"] * MB), part=int(n["part"] * MB), ratio=n["ratio"],
                  cells=int(n["cells"]), rows=int(n["rows"]), columns=int(n["columns"]), styles=int(n["styles"]))


def _mb(size: float) -> str:
    return f"{size / MB:,.4g} MB"


def _limit(key: str, shown: str) -> str:
    return f"{shown}（上限，可用环境变量 {ENV[key][0]} 调整）"


# ---------------------------------------------------------------- what the file is
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: old .xls, or an .xlsx with an open password


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _cfb_streams(path: Path) -> set[str]:
    """Which telling stream names an OLE file holds (directory entries store names in UTF-16LE)."""
    wanted = {"EncryptedPackage": _utf16("EncryptedPackage"), "Workbook": _utf16("Workbook"), "Book": _utf16("Book\0")}
    found: set[str] = set()
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            window = tail + chunk
            found |= {name for name, pattern in wanted.items() if pattern in window}
            tail = window[-64:]
    return found


def _not_a_zip(path: Path, head: bytes) -> InputError:
    where = Location(str(path))
    if head.startswith(_CFB):
        streams = _cfb_streams(path)
        if "EncryptedPackage" in streams:
            return InputError("工作簿设置了打开密码（已加密），无法读取；请在 Excel/WPS 中取消密码后另存为 .xlsx", where)
        if streams & {"Workbook", "Book"}:
            return InputError("这是旧版 .xls 工作簿，只是扩展名改成了 .xlsx；请在 Excel/WPS 中打开后另存为 .xlsx 格式", where)
        return InputError("这是 OLE 复合文档而不是 .xlsx：可能设置了打开密码，或是旧版 .xls；"
                          "请在 Excel/WPS 中取消密码并另存为 .xlsx", where)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"%PDF"):
        return InputError("这是 PDF 文件，不是 .xlsx 工作簿", where)
    if text.startswith(b"<"):
        return InputError("这是网页或 XML 文本（有的系统导出的“Excel 文件”其实是网页），不是 .xlsx；"
                          "请在 Excel/WPS 中打开后另存为 .xlsx 格式", where)
    return InputError("文件已损坏，或不是 Excel 保存的 .xlsx 工作簿（不是 zip 格式）", where)


def check_file(path: Path, limits: Limits) -> None:
    """A file (not a folder) that exists, is named .xlsx, is not empty or huge and is a zip."""
    where = Location(str(path))
    if path.is_dir():
        raise InputError("这是一个文件夹，不是工作簿；请给出 .xlsx 文件（整个文件夹请用 juesuan batch）", where)
    if not path.exists():
        raise InputError("找不到文件（请检查路径和文件名）", where)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError("不是 .xlsx 工作簿（请在 Excel/WPS 中另存为 .xlsx 格式）", where)
    size = path.stat().st_size
    if size == 0:
        raise InputError("文件为空（0 字节），可能没有保存完整；请重新保存或重新复制", where)
    if size > limits.unzipped:
        raise InputError(f"文件有 {_mb(size)}，超过 {_limit('unzipped', _mb(limits.unzipped))}，已拒绝读取", where)
    try:
        with path.open("rb") as f:
            head = f.read(512)
    except OSError as exc:
        raise InputError(f"无法打开文件（{exc.strerror or exc.__class__.__name__}；可能没有读取权限，或正被其他程序独占）",
                         where) from None
    if not zipfile.is_zipfile(path):
        raise _not_a_zip(path, head)


def _directory_size(path: Path) -> int | None:
    """Bytes in the zip's central directory, from its end record (None if not found: zipfile will say).

    zipfile reads and keeps the whole central directory in memory, so its size is checked first.
    The end record is found the way zipfile finds it: at the very end, else the last one in the tail.
    """
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - 65536 - 22))
        tail = f.read()
    at = len(tail) - 22 if tail[-22:-18] == b"PK\x05\x06" else tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    directory = struct.unpack("<L", tail[at + 12:at + 16])[0]
    if directory == 0xFFFFFFFF:  # zip64: the real size is in the zip64 end record before the locator
        z64 = tail.rfind(b"PK\x06\x06", 0, at)
        if z64 < 0 or at - z64 < 56:
            return None
        directory = struct.unpack("<Q", tail[z64 + 40:z64 + 48])[0]
    return directory


# ---------------------------------------------------------------- what the parts hold
_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"  # a tag, with or without a namespace prefix
_CELL = re.compile(_PREFIX + rb"c(?=[\s/>])(?:[^<>]*?\sr\s*=\s*[\"']\$?([A-Za-z]+))?")
_ROW = re.compile(_PREFIX + rb"row(?=[\s/>])(?:[^<>]*?\sr\s*=\s*[\"'](\d+))?")
_FORMULA = re.compile(_PREFIX + rb"f(?=[\s/>])")
_FORMULA_HINTS = (b"f>", b"f ", b"f/")  # the ends of <f>, <f ...>, <f/> (and of prefixed x:f)
_MERGE = re.compile(_PREFIX + rb"mergeCell(?=[\s/>])[^<>]*?\sref\s*=\s*[\"']([^\"']*)")
_STRING = re.compile(_PREFIX + rb"si(?=[\s/>])")
_STYLE = re.compile(_PREFIX + rb"(?:xf|font|fill|border|numFmt|dxf|cellStyle)(?=[\s/>])")
STYLES_PART = "xl/styles.xml"  # where openpyxl always looks for them
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_ROOT = re.compile(rb"<[A-Za-z_]")
_UTF16 = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")


# Cell addresses, done here rather than with openpyxl's helpers: importing any part of openpyxl costs ≈ 0.17 s,
# a sixth of a cold `juesuan generate`, and generating a document needs no other part of it.
_MAX_COLUMN = 16384  # XFD
_ADDRESS = re.compile(r"\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})")


def _column_index(letters: str) -> int:
    """A → 1, XFD → 16384; anything past XFD (no real sheet has it) is 10**6."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index if 0 < index <= _MAX_COLUMN and letters.isalpha() and letters.isascii() else 10**6


@functools.lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """1 → A, 28 → AB."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """"B2:D4" → (2, 2, 4, 4) as (min_row, min_col, max_row, max_col); "B2" is one cell; None if not a range."""
    ends = [_ADDRESS.fullmatch(part.strip().upper()) for part in ref.split(":")]
    if not 1 <= len(ends) <= 2 or not all(ends):
        return None
    (r1, c1), (r2, c2) = [(int(m.group(2)), _column_index(m.group(1))) for m in (ends[0], ends[-1])]
    if max(c1, c2) > _MAX_COLUMN:
        return None
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


@dataclass
class PartStats:
    """What one part holds, counted from its bytes (an upper bound of what openpyxl will build)."""

    name: str
    size: int = 0
    cells: int = 0
    rows: int = 0
    last_row: int = 0
    last_column: int = 0
    formulas: bool = False
    strings: int = 0
    styles: int = 0
    merges: list[str] = field(default_factory=list)
    rooted: bool = False  # the root element has begun

    def count(self, text: bytes) -> None:
        letters = _CELL.findall(text)
        self.cells += len(letters)
        columns = {c.decode("ascii").upper() for c in set(letters) if c}
        if columns:
            widest = max(columns, key=lambda c: (len(c), c))
            self.last_column = max(self.last_column, _column_index(widest))
        numbers = _ROW.findall(text)
        self.rows += len(numbers)
        self.last_row = max(self.last_row, self.rows, *(int(n) for n in numbers if n))
        # the rarer tags: a quick substring test first spares a regex pass over every chunk
        if not self.formulas and any(s in text for s in _FORMULA_HINTS):
            self.formulas = _FORMULA.search(text) is not None
        if b"si" in text:
            self.strings += len(_STRING.findall(text))
        if self.name == STYLES_PART:
            self.styles += len(_STYLE.findall(text))
        if b"mergeCell" in text:
            self.merges += [m.decode("ascii", "replace") for m in _MERGE.findall(text)]


@dataclass(frozen=True)
class Package:
    """A workbook that passed `inspect`: its limits, and what each part holds."""

    path: Path
    limits: Limits
    parts: Mapping[str, PartStats]
    sheets: Mapping[str, str] = field(default_factory=dict)  # sheet title → its part (best effort)

    def sheet_stats(self, title: str) -> PartStats | None:
        return self.parts.get(self.sheets.get(title, ""))

    def check_sheet(self, title: str) -> None:
        """Refuse, before it is read, a sheet the tool reads that has too many rows or columns."""
        stats = self.sheet_stats(title)
        if stats is not None:
            check_bounds(self.path, title, stats.last_row, stats.last_column, self.limits)


def check_bounds(path: Path, title: str, rows: int, columns: int, limits: Limits) -> None:
    """The row and column bound of a sheet the tool reads."""
    where = Location(str(path), title)
    if rows > limits.rows:
        raise InputError(f"超过 {_limit('rows', f'{limits.rows:,} 行')}，已拒绝读取", where)
    if columns > limits.columns:
        raise InputError(f"超过 {_limit('columns', f'{limits.columns:,} 列')}，已拒绝读取", where)


class _Refused(Exception):
    """A part broke a limit; turned into an InputError naming the sheet when its title is known."""

    def __init__(self, part: str, problem: str):
        super().__init__(problem)
        self.part, self.problem = part, problem


def _refuse(part: str, problem: str) -> _Refused:
    return _Refused(part, f"其中的「{part}」{problem}")


def _check_directory(z: zipfile.ZipFile, limits: Limits) -> None:
    """Declared sizes and compression ratios, before a byte is inflated."""
    total = 0
    for info in z.infolist():
        if info.file_size > limits.part:
            raise _refuse(info.filename, f"解压后有 {_mb(info.file_size)}，超过 {_limit('part', _mb(limits.part))}，"
                                         "疑似压缩炸弹，已拒绝读取")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.ratio:
            raise _refuse(info.filename, f"压缩比为 {ratio:,.0f}:1，超过 {_limit('ratio', f'{limits.ratio:g}:1')}，"
                                         "疑似压缩炸弹，已拒绝读取")
        total += info.file_size
        if total > limits.unzipped:
            raise _Refused("", f"解压后超过 {_limit('unzipped', _mb(limits.unzipped))}，疑似压缩炸弹，已拒绝读取")


def _check_counts(stats: PartStats, limits: Limits) -> None:
    for count, what in ((stats.cells, "个单元格"), (stats.strings, "个共享字符串"), (len(stats.merges), "个合并区域")):
        if count > limits.cells:
            raise _refuse(stats.name, f"有超过 {_limit('cells', f'{limits.cells:,} {what}')}，已拒绝读取")
    if stats.styles > limits.styles:
        raise _refuse(stats.name, f"有超过 {_limit('styles', f'{limits.styles:,} 条格式记录')}（Excel 本身最多 65,490 种单元格格式；"
                                  "多半是多年复制粘贴积累的无用格式，请清理后另存），已拒绝读取")


def _scan(z: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: int) -> PartStats:
    """Read one part through a bounded stream, counting as it goes; stop at the first limit broken."""
    name = info.filename
    stats = PartStats(name)
    cap = min(info.file_size, limits.part, budget)
    carry = b""
    with z.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            if stats.size == 0 and chunk.startswith(_UTF16):
                raise _refuse(name, "使用 UTF-16 编码（Excel 不会这样保存），已拒绝读取")
            stats.size += len(chunk)
            if stats.size > cap:
                raise _too_big(name, stats.size, info.file_size, limits, budget)
            # count whole tags only: cut after the last '>' and keep the rest for the next chunk
            text = carry + chunk
            cut = text.rfind(b">") + 1
            text, carry = text[:cut], text[cut:]
            _inspect_text(stats, text, limits)
    _inspect_text(stats, carry, limits)
    return stats


def _inspect_text(stats: PartStats, text: bytes, limits: Limits) -> None:
    if not text:
        return
    if not stats.rooted:  # a DTD may only stand before the root element
        if _DTD.search(text):
            raise _refuse(stats.name, "含有 DTD 或实体声明（Excel 不会这样保存；可用于“实体膨胀”或读取本机文件的攻击），"
                                      "已拒绝读取")
        stats.rooted = _ROOT.search(text) is not None
    stats.count(text)
    _check_counts(stats, limits)


def _too_big(name: str, size: int, declared: int, limits: Limits, budget: int) -> _Refused:
    if size > limits.part:
        return _refuse(name, f"解压后超过 {_limit('part', _mb(limits.part))}，疑似压缩炸弹，已拒绝读取")
    if size > budget:
        return _Refused("", f"解压后超过 {_limit('unzipped', _mb(limits.unzipped))}，疑似压缩炸弹，已拒绝读取")
    return _refuse(name, f"解压后比 zip 目录中声明的 {declared:,} 字节更大，文件已损坏或被篡改，已拒绝读取")


# ---------------------------------------------------------------- naming the sheet behind a part
def _xml(z: zipfile.ZipFile, name: str, limits: Limits) -> ElementTree.Element | None:
    """A small structural part, parsed only after it passed the scan (no DTD, bounded)."""
    try:
        info = z.getinfo(name)
        _scan(z, info, limits, limits.unzipped)
        return ElementTree.fromstring(z.read(info))
    except (KeyError, ElementTree.ParseError, _Refused, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError,
            NotImplementedError, OSError):
        return None


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships(z: zipfile.ZipFile, part: str, limits: Limits) -> dict[str, tuple[str, str]]:
    rels = _xml(z, posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"), limits)
    if rels is None:
        return {}
    return {r.get("Id", ""): (r.get("Type", ""), _target(part, r.get("Target", "")))
            for r in rels.iterfind(".//{*}Relationship")}


def sheet_titles(z: zipfile.ZipFile, limits: Limits) -> dict[str, str]:
    """Part name → sheet title, from the workbook part and its relationships (best effort: {} if odd)."""
    workbook = next((target for kind, target in _relationships(z, "", limits).values()
                     if kind.endswith("/officeDocument")), "xl/workbook.xml")
    root = _xml(z, workbook, limits)
    if root is None:
        return {}
    rels = _relationships(z, workbook, limits)
    titles = {}
    for sheet in root.iterfind(".//{*}sheet"):
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
        if rid in rels:
            titles[rels[rid][1]] = sheet.get("name", "")
    return titles


def _as_input_error(path: Path, z: zipfile.ZipFile, refused: _Refused, limits: Limits) -> InputError:
    title = sheet_titles(z, limits).get(refused.part, "") if refused.part else ""
    return InputError(refused.problem, Location(str(path), title))


# ---------------------------------------------------------------- the check
def inspect(path: str | Path, limits: Limits | None = None, sheets: Callable[[str], bool] | None = None) -> Package:
    """Check a workbook file against the limits, reading nothing unbounded; raise InputError if it breaks one.

    `sheets`: which worksheets (by title) will be read; the others are not scanned, as no reader will parse them
    (reading only 基本信息 to find a folder's units scans a fifth of the file). The zip directory is checked whole."""
    path = Path(path)
    limits = limits or current()
    where = Location(str(path))
    check_file(path, limits)
    directory = _directory_size(path)
    if directory is not None and directory > MAX_DIRECTORY_BYTES:
        raise InputError(f"zip 目录有 {_mb(directory)}（超过 {_mb(MAX_DIRECTORY_BYTES)}，"
                         "正常工作簿不到 0.01 MB），文件已损坏或被篡改，已拒绝读取", where)
    try:
        with zipfile.ZipFile(path) as z:
            try:
                _check_directory(z, limits)
                titles = sheet_titles(z, limits)
                skipped = {part for part, title in titles.items() if sheets is not None and not sheets(title)}
                parts = _scan_all(z, limits, where, skipped)
                return Package(path, limits, parts, {title: part for part, title in titles.items()})
            except _Refused as refused:  # named while the zip is still open, to find the sheet's title
                raise _as_input_error(path, z, refused, limits) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise InputError(f"文件已损坏，无法解压（{exc.__class__.__name__}: {exc}）", where) from None


def _scan_all(z: zipfile.ZipFile, limits: Limits, where: Location, skipped: set[str]) -> dict[str, PartStats]:
    parts: dict[str, PartStats] = {}
    budget = limits.unzipped
    for info in z.infolist():
        if info.flag_bits & 0x1:
            raise InputError(f"其中的「{info.filename}」用 zip 密码加密，不是 Excel 保存的 .xlsx", where)
        if info.filename in skipped:
            continue
        stats = _scan(z, info, limits, budget)
        budget -= stats.size
        parts[info.filename] = stats
    return parts
