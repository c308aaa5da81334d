"""Finding the workbooks below a folder and what each one's 基本信息 says.

Every file that looks like a workbook is accounted for: read, or reported with the reason it could not be.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
import unicodedata
from collections.abc import Callable
from pathlib import Path

from generator.batch.model import UNREADABLE, UnitFile, Workbook
from generator.errors import JuesuanError
from generator.workbook.unit_cache import file_digest

SUMMARY_NAME = "批量生成汇总.xlsx"  # the batch's own summary: never a unit's workbook
WORKBOOK_SUFFIXES = (".xlsx",)
# Reading a workbook's 基本信息 takes ≈ 5 ms; from this many on, they are read by several processes (forked: a
# process that must start Python again would cost more than it saves).
PARALLEL_FROM = 32
_CHUNK = 16


def normalise_code(text: object) -> str:
    """A unit code as typed: full-width digits made half-width (NFKC), spaces and invisible marks removed."""
    text = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc"))


def _display(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


def find_workbooks(folder: Path, exclude: Path | None = None) -> tuple[list[Path], list[Workbook]]:
    """Every .xlsx file below `folder` (sorted), and the entries that could not be looked at, with why.

    Skipped on purpose: Excel's lock files (~$…), hidden files and folders (.juesuan is the tool's own), the
    folder `exclude` (resolved: the output folder, when it lies inside) and the tool's own 批量生成汇总.xlsx.
    """
    found: list[Path] = []
    problems: list[Workbook] = []

    def unreadable_folder(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        problems.append(Workbook(_display(where, folder), UNREADABLE, f"无法打开文件夹：{exc.strerror or exc}"))

    for root, dirs, files in os.walk(folder, onerror=unreadable_folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (exclude is None or (here / d).resolve() != exclude))
        for d in [d for d in dirs if (here / d).is_symlink()]:  # not followed (it could loop), but said
            problems.append(Workbook(_display(here / d, folder), UNREADABLE,
                                     "是指向其他文件夹的快捷方式（链接），没有进入；请把工作簿直接放在文件夹中"))
        for name in sorted(files):
            if not name.lower().endswith(WORKBOOK_SUFFIXES) or name.startswith(("~$", ".")) or name == SUMMARY_NAME:
                continue
            path = here / name
            if path.is_file():
                found.append(path)
            elif path.is_symlink() and not path.exists():
                problems.append(Workbook(_display(path, folder), UNREADABLE, "快捷方式（链接）指向的文件不存在"))
            else:
                problems.append(Workbook(_display(path, folder), UNREADABLE, "不是普通文件"))
    return found, problems


def _fields(path: Path) -> list:
    from generator.workbook.reader import read_info

    info = read_info(path)
    return [info.get(k).text("value") for k in ("code", "parent_code", "year", "name")]


def read_unit(path: Path, folder: Path, known: dict[str, list], digest: str | None = None) -> Workbook:
    """One workbook's row: its unit when 基本信息 can be read, otherwise the reason it cannot (never raises).

    `known` (content hash → fields) spares reading workbooks whose content was seen in an earlier run; `digest`:
    the file's content hash, when already taken."""
    row = Workbook(_display(path, folder))
    try:
        digest = digest or file_digest(path)
        if digest not in known:
            known[digest] = _fields(path)
        code, parent, year, name = known[digest]
        code, parent = normalise_code(code), normalise_code(parent)
        if not code:
            raise JuesuanError("基本信息中的单位编码为空")
        row.unit = UnitFile(str(path), code, parent, int(year), str(name).strip(), digest)
    except JuesuanError as exc:
        row.status, row.note = UNREADABLE, str(exc)
    except OSError as exc:
        row.status, row.note = UNREADABLE, f"无法读取文件：{exc.strerror or exc}"
    except MemoryError:
        row.status, row.note = UNREADABLE, "内存不足，无法读取该工作簿"
    except Exception as exc:  # a workbook is untrusted input: any failure to parse it is that file's problem
        row.status, row.note = UNREADABLE, f"无法读取工作簿（{exc.__class__.__name__}），请确认它是 Excel 保存的 .xlsx 文件"
        row.trace = traceback.format_exc()
    return row


def discover(folder: Path, exclude: Path | None, known: dict[str, list], workers: int = 1,
             meanwhile: Callable[[], None] | None = None) -> list[Workbook]:
    """A row for every workbook below `folder`: readable ones carry their unit.

    Workbooks not in `known` are read in `workers` processes when there are many of them; `meanwhile`, if given,
    is called while they read (only then: a run that finds many new workbooks has many documents to make)."""
    paths, problems = find_workbooks(folder, exclude)
    digests = {p: _digest(p) for p in paths}
    unread = [p for p in paths if digests[p] not in known]
    rows: list[Workbook] | None = None
    if workers > 1 and len(unread) >= PARALLEL_FROM and multiprocessing.get_start_method() == "fork":
        rows = _read_in_processes([(p, digests[p]) for p in unread], folder, known, workers, meanwhile or (lambda: None))
        if rows is not None:
            done = set(unread)
            rows += [read_unit(p, folder, known, digests[p]) for p in paths if p not in done]
    if rows is None:
        rows = [read_unit(p, folder, known, digests[p]) for p in paths]
    return sorted(rows + problems, key=lambda r: r.path)


def _digest(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None  # read_unit tries again and says why


def _read_in_processes(paths: list[tuple[Path, str | None]], folder: Path, known: dict[str, list], workers: int,
                       meanwhile: Callable[[], None]) -> list[Workbook] | None:
    """`read_unit` of each (path, digest) in `workers` processes; what they read is added to `known`. None when the
    processes fail (a workbook that crashes its reader): the caller then reads every workbook itself, one by one."""
    from generator.batch.worker import worker_pool

    chunks = [paths[i:i + _CHUNK] for i in range(0, len(paths), _CHUNK)]
    try:
        with worker_pool(workers) as pool:
            read = pool.map(_read_units, chunks, [folder] * len(chunks))
            meanwhile()
            results = [pair for chunk in read for pair in chunk]
    except Exception:  # noqa: BLE001 - a broken pool: reading here reports each workbook's own error
        return None
    for row, fields in results:
        if row.unit is not None and fields is not None:
            known[row.unit.digest] = fields
    return [row for row, _ in results]


def _read_units(paths: list[tuple[Path, str | None]], folder: Path) -> list[tuple[Workbook, list | None]]:
    """Each workbook's row and the fields it read (what `known` keeps)."""
    out = []
    for path, digest in paths:
        read: dict[str, list] = {}
        row = read_unit(path, folder, read, digest)
        out.append((row, next(iter(read.values()), None)))
    return out
