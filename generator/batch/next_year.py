"""Next year's workbooks for a whole folder: `init --from` (generator/workbook/carry_over.py) for every unit.

A bureau starts the year with last year's folder of all its units and sends each unit its new workbook, with last
year's figures as 上年数 and the texts to review marked. Every workbook found is accounted for: carried, skipped
(another year's, or not a unit's workbook) or failed with the reason; one unit's failure never stops the others,
and nothing already in the new folder is overwritten unless asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.batch.discover import discover
from generator.batch.model import UNREADABLE
from generator.errors import InputError, JuesuanError, Location
from generator.workbook.carry_over import Carried, carry_over

CARRIED, NOT_CARRIED, FAILED = "已生成", "未处理", "失败"


@dataclass
class Row:
    source: str  # relative to the old folder, as the user sees it
    status: str
    note: str = ""
    target: str = ""  # relative to the new folder
    carried: Carried | None = None


@dataclass
class NextYear:
    year: int | None
    rows: list[Row] = field(default_factory=list)

    @property
    def failed(self) -> list[Row]:
        return [r for r in self.rows if r.status == FAILED]


def _target_name(relative: Path, year: int) -> Path:
    """The file's name with last year's number changed to the new one (益阳_2020.xlsx → 益阳_2021.xlsx), if it has it."""
    name = re.sub(rf"(?<!\d){year - 1}(?!\d)", str(year), relative.name)
    return relative.with_name(name)


def carry_over_folder(source: str | Path, target: str | Path, overwrite: bool = False,
                      progress: Callable[[Row], None] | None = None) -> NextYear:
    """Write next year's workbook of every unit of the latest year found below `source` into `target`,
    keeping sub-folders and file names (the year in a name follows)."""
    source, target = Path(source), Path(target)
    if not source.is_dir():
        raise InputError("上年工作簿所在的文件夹不存在", Location(str(source)))
    src, dst = source.resolve(), target.resolve()
    if dst == src or src in dst.parents:
        raise InputError(f"新年度的文件夹不能是上年文件夹本身或在它里面：{target}", Location(str(source)))
    found = discover(source, None, {})
    years = [w.unit.year for w in found if w.unit]
    latest = max(years) if years else None
    result = NextYear(latest + 1 if latest else None)

    def add(row: Row) -> None:
        result.rows.append(row)
        if progress:
            progress(row)

    for book in found:
        if book.unit is None:
            add(Row(book.path, FAILED if book.status == UNREADABLE else NOT_CARRIED, book.note))
        elif book.unit.year != latest:
            add(Row(book.path, NOT_CARRIED, f"{book.unit.year} 年度的工作簿（只处理最新的 {latest} 年度）"))
        else:
            relative = _target_name(Path(book.path), latest + 1)
            try:
                carried = carry_over(source / book.path, target / relative, overwrite=overwrite)
            except JuesuanError as exc:
                add(Row(book.path, FAILED, str(exc)))
            except Exception as exc:  # noqa: BLE001 - an untrusted workbook: its failure is its own row
                add(Row(book.path, FAILED, f"程序内部错误（{exc.__class__.__name__}: {exc}），不是数据的问题"))
            else:
                marks = len(carried.marks)
                add(Row(book.path, CARRIED, f"{book.unit.name}：橙色标出 {marks} 处待改写、核对或填写", relative.as_posix(),
                        carried))
    return result
