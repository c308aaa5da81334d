"""One exception tree; every error carries the place it comes from and a Chinese message."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class JuesuanError(Exception):
    """Base of every error the toolkit raises on purpose; `str()` is the user's message."""


@dataclass(frozen=True, slots=True)  # one per cell read: a 300-unit 部门汇总 holds some 750,000
class Location:
    """Where a value was read: file, sheet and cell (any part may be unknown)."""

    file: str = ""
    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"文件「{Path(self.file).name}」")
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        return "，".join(parts)


class InputError(JuesuanError):
    """The workbook cannot be read as the format says."""

    def __init__(self, problem: str, where: Location | None = None, value: object = None):
        self.problem = problem
        self.where = where or Location()
        self.value = value
        text = f"{self.where}：{problem}" if str(self.where) else problem
        if value is not None and value != "":
            text += f"（读到的值：{value!r}）"
        super().__init__(text)


class TemplateError(JuesuanError):
    """A template cannot be found, opened or rendered."""


class OutputError(JuesuanError):
    """The document cannot be written where asked."""


class ChecksFailed(JuesuanError):
    """The data has errors that the consistency checks found; nothing was generated."""

    def __init__(self, source: str, findings: tuple):
        self.findings = findings
        errors = sum(1 for f in findings if f.severity == "error")
        super().__init__(f"文件「{Path(source).name}」的数据有 {errors} 项错误，未生成文档（如需生成草稿供核对，请加 --force）")
