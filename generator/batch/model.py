"""What a batch works with: the workbooks found, the documents to make, and what became of each."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from generator.checks.rules import Finding

# What became of a document.
OK, UNCHANGED, FAILED = "已生成", "未变化", "失败"
# What became of a workbook found in the folder.
USED, PREVIOUS, SKIPPED, UNREADABLE, DUPLICATE, COPY = "本年数据", "上年数据", "未处理", "无法读取", "重复", "相同副本"
# Workbook outcomes that mean some document was not made (the run then ends with a non-zero exit code).
NOT_MADE = frozenset({SKIPPED, UNREADABLE, DUPLICATE})
CONSOLIDATED = "部门汇总"


@dataclass(frozen=True)
class UnitFile:
    """One readable workbook, with what its 基本信息 says (codes normalised)."""

    path: str
    code: str
    parent: str
    year: int
    name: str
    digest: str


@dataclass
class Workbook:
    """One .xlsx file found below the folder and what was done with it."""

    path: str  # relative to the folder, as the user sees it
    status: str = ""
    note: str = ""
    unit: UnitFile | None = None
    trace: str = ""  # details of an unexpected exception while reading it, for the log file


@dataclass(frozen=True)
class Job:
    """One document to make: a unit's own, or a department's consolidation (members after the first).

    `file_name` is decided when planning, so that no two documents share a name; `blocked` says why a
    job cannot be made at all (it then becomes a failed row without running)."""

    key: str
    template: str
    members: tuple[UnitFile, ...]
    previous: UnitFile | None
    consolidated: bool
    input_hash: str
    file_name: str
    blocked: str = ""
    note: str = ""
    chart_format: str | None = None  # "native" or "picture"; None: as the template says
    tables_xlsx: bool = False  # also the nine 公开表 as one .xlsx beside the document (--tables-xlsx)

    @property
    def label(self) -> str:
        """The unit as the results table names it: 部门汇总 rows say so."""
        return self.members[0].name + (f"（{CONSOLIDATED}）" if self.consolidated else "")


@dataclass
class Result:
    key: str
    unit: str
    code: str
    template: str
    status: str
    errors: int = 0
    warnings: int = 0
    output: str = ""  # the document's path (the manifest keeps only its name: the folder may move)
    seconds: float = 0.0
    note: str = ""
    input_hash: str = ""
    output_hash: str = ""
    changes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @classmethod
    def failed(cls, job: Job, note: str) -> Result:
        return cls(job.key, job.label, job.members[0].code, job.template, FAILED, note=note, input_hash=job.input_hash)

    def entry(self) -> dict:
        """What the manifest keeps of a result (not its change list or findings)."""
        entry = {k: v for k, v in asdict(self).items() if k not in ("changes", "findings")}
        return {**entry, "output": Path(self.output).name if self.output else ""}

    @classmethod
    def from_entry(cls, entry: dict) -> Result:
        known = {f.name for f in fields(cls)} - {"changes", "findings"}
        return cls(**{k: v for k, v in entry.items() if k in known})
