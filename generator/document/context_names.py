"""Every name a template can use: the shape of the context, taken from the code run on the bundled samples.

The shape is a tree: a dict maps keys to shapes, a one-item list holds the shape of its items, a string is an
example value. docs/templates.md and `juesuan check-template` both read it, so neither can drift from the code.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from generator.bundled import sample_dir

SAMPLES = sample_dir()
EXAMPLE = "广元市利州区行政审批局_2020.xlsx"

# What each group of names holds (the leaves are listed with an example value from the sample above).
GROUPS = {
    "unit": "单位：名称、简称、性质、编码、联系方式、公开日期、下属单位数；scope 为“（部门汇总）”或空",
    "year": "决算年度；last_year 为上一年度",
    "last_year": "上一年度",
    "functions": "主要职能（文字材料，每行一条）",
    "key_work": "重点工作（文字材料，每行一条）",
    "organisation": "机构设置说明（每行一条）",
    "texts": "文字材料的每一项（键名见 data-format.md），每项为行的列表",
    "income": "本年收入合计：金额、与上年比较、原因；parts 为各收入来源及占比；structure 为“，其中：…”句",
    "expense": "本年支出合计：同上，按基本支出、项目支出等",
    "grand": "收入总计、支出总计",
    "fiscal": "财政拨款收入总计、支出总计",
    "gp": "一般公共预算财政拨款支出：总额、占比、完成预算、按类结构、逐项（项级）说明 lines",
    "basic": "基本支出：人员经费、公用经费及其包括的经济分类科目",
    "three": "“三公”经费：合计及各项的金额、完成预算、与上年比较、原因，实物量",
    "fund": "政府性基金预算财政拨款支出（any 为是否有）",
    "soe": "国有资本经营预算财政拨款支出（any 为是否有）",
    "fiscal_funds_any": "是否有政府性基金或国有资本经营预算财政拨款",
    "running": "机关运行经费",
    "procurement": "政府采购：总额、货物/工程/服务、授予中小企业和小微企业及占比",
    "assets": "国有资产：车辆（按用途）、大型设备",
    "projects": "预算绩效管理：开展事前评估/绩效目标/监控/自评的项目数及每个项目的完成情况（决算公开第十节用）",
    "performance_summary": "绩效评价综述（每行一段）",
    "glossary": "名词解释：默认名词 + 本单位使用的项级科目 + 工作簿补充的名词",
    "tables": "公开01–09表的行（t01 … t09），每行为已格式化的单元格",
    "charts": "每幅图的 drawn（是否绘制）、caption（图N：标题）、title、empty_text（不绘制时的说明句）",
    "closing_balance": "年末结转和结余的一句话（为零时说“年末无结转和结余”）",
    "by_nature": "按收入性质（一般公共预算/政府性基金/其他）和支出性质（基本/项目）的金额",
    "cq": "重庆样式用：较上年决算数、较年初预算数的表述，按类比较，人均接待费、车均购置费、车均运行维护费，会议费、培训费",
    "chart": "函数 chart(name, width_cm)，见“函数与特殊标记”",
    "perf": "绩效：每个项目（list）的资金、指标、得分、等级；部门整体（dept）、评分表（grid）、综合得分（dept_score）、"
            "评价人员、人员情况（staff）、机构汇总表（institutions）、基础数据表（basic_data）",
}

# Functions and tags a template can use besides the names.
FUNCTIONS = {
    "chart(name, width_cm=15)": "在段落中放置一幅图（name 为 CHART_TITLES 中的名称）",
    "{% vmerge 条件 %}": "写在表格单元格开头：条件为真时与上方单元格纵向合并（如 row.merge.level1）",
    "loop.index / loop.first": "Jinja 循环变量",
}


def shape(value: Any) -> Any:
    """The shape of a context value (lists merged over all their items)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list | tuple):
        merged: Any = None
        for item in value:
            merged = merge(merged, shape(item))
        return [merged]
    return "" if value is None else str(value) if not callable(value) else "<函数>"


def merge(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if isinstance(a, dict) and isinstance(b, dict):
        return {**a, **{k: merge(a.get(k), v) for k, v in b.items()}}
    if isinstance(a, list) and isinstance(b, list):
        return [merge(a[0], b[0])]
    return a if a not in ("", None) else b


@lru_cache(maxsize=1)
def context_shape() -> dict[str, Any]:
    """The shape of the context over every bundled sample and every shipped template's display settings."""
    from generator.document.context import build_context
    from generator.document.templates import find
    from generator.figures.report import build_report
    from generator.workbook.reader import read_workbook

    display = find(None).display
    books = [SAMPLES / EXAMPLE] + sorted(p for p in SAMPLES.rglob("*.xlsx") if p.name != EXAMPLE)
    out: Any = None
    for book in books:
        out = merge(out, shape(build_context(build_report(read_workbook(book)), display)))
    out["chart"] = "<函数>"
    return out


def leaves(tree: Any, prefix: str = "") -> list[tuple[str, str]]:
    """(dotted name, example) for every leaf; list items are written NAME[]."""
    if isinstance(tree, dict):
        return [x for k, v in tree.items() for x in leaves(v, f"{prefix}.{k}" if prefix else k)]
    if isinstance(tree, list):
        return leaves(tree[0], prefix + "[]") if tree[0] is not None else [(prefix + "[]", "")]
    return [(prefix, tree)]
