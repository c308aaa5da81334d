"""The shared vocabulary every layer uses: severities, chart names, template requirements. Imports nothing."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How serious a finding is, for data checks, template checks and the document audit alike."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "note": "提示"}[self.value]

    @property
    def order(self) -> int:
        return ("error", "warning", "note").index(self.value)


ERROR, WARNING, NOTE = Severity.ERROR, Severity.WARNING, Severity.NOTE
SEVERITY_LABELS = {s: s.label for s in Severity}
SEVERITY_ORDER = {s: s.order for s in Severity}

# The project name under which the 绩效指标 sheet lists the department's own (整体) indicators.
DEPARTMENT = "部门整体"

# Chart names a template can place, with their titles (the caption is 图N：title).
CHART_TITLES = {
    "totals": "收、支决算总计变动情况",
    "income_structure": "收入决算结构",
    "expense_structure": "支出决算结构",
    "fiscal_totals": "财政拨款收、支决算总计变动情况",
    "gp_change": "一般公共预算财政拨款支出决算变动情况",
    "gp_structure": "一般公共预算财政拨款支出决算结构",
    "three_public_structure": "“三公”经费财政拨款支出结构",
}

# What a template may declare in its .toml `requires`, beyond the 决算 tables every layout needs.
REQUIREMENTS = {
    "projects": "“项目绩效”表至少有一个项目",
    "indicators": "每个项目在“绩效指标”表中有指标",
    "department_indicators": f"“绩效指标”表中有项目名称为“{DEPARTMENT}”的指标",
    "grid": "“整体绩效评分”表已填写",
    "evaluators": "“评价人员”表已填写",
    "texts.KEY": "“文字材料”中该项已填写（KEY 为 docs/data-format.md 中的键名）",
    "projects.COLUMN": "每个项目的该列已填写",
    "previous.TABLE": "与上年比较要用的表中，本年有数的行都填了上年数（空白不等于0；TABLE 为 summary、fiscal、gp、basic、"
                      "three_public、other 之一）",
    "previous.TABLE.ROW": "同上，只要求该表的这一行（如 previous.other.running_cost）",
}
