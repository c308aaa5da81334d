"""Documentation generated from the declarations in code (the workbook format)."""

from __future__ import annotations

from generator import schema
from generator.schema import KIND_LABELS

_LAYOUTS = {
    "keyvalue": "每行一项：A 列为项目名称（不要改动），B 列填写内容。",
    "items": "固定行：A 列为项目名称（不要改动），其余各列按表头填写。",
    "coded": "按科目编码逐行填写，类、款、项各占一行；可含“栏次”行、“合计”行和表下注释。",
    "list": "每行一条，行数不限。",
}

_INTRO = """# 填报工作簿格式

> 本文件由 `python -m generator.docs > docs/data-format.md` 从代码中的声明（`generator/schema.py`）生成，
> 测试会检查两者一致。请勿手工修改。

每个单位每个年度一本 .xlsx 工作簿；用 `juesuan init 文件名.xlsx --year 年度` 生成空白工作簿。

## 通用规则

- 工作表按名称识别，顺序不限；各表第2行为表头（程序在前15行内查找表头，可有合并的标题行和两级表头）。
- 金额单位由“基本信息”中的“金额单位”决定（元或万元），全部金额按此单位填写；文档中一律以万元显示。
  程序内部按元精确计算（十进制），仅在显示时四舍五入。
- 金额可以是数字，也可以是文本形式的数字（“1,234.50”“ 12.3 ”、全角数字）；空白、“-”“—”“－”“/”“无”视为 0；
  负数和其他文字会报错，提示文件、工作表、单元格和读到的值。
- 科目编码可以是数字（含 2010301.0 这类以小数存储的编码）或文本，前后空格忽略；功能分类为3/5/7位，经济分类为3/5位。
  同一表中编码不能重复。
- 编码表中的“栏次”行、没有编码的“合计”行会被跳过；以“注”“说明”“备注”开头的行及其以下内容视为表下注释。
- 公式单元格读取其已保存的计算结果（请在 Excel/WPS 中保存后再生成）。
"""


def data_format_markdown() -> str:
    out = [_INTRO]
    for sheet in schema.SHEETS:
        need = "必需" if sheet.required else "可选（缺少时按空表处理）"
        out.append(f"## {sheet.name}\n\n{sheet.note}\n\n- 工作表：{need}\n- 填法：{_LAYOUTS[sheet.layout]}\n")
        if sheet.layout != "keyvalue":
            out.append("| 列 | 类型 | 说明 |\n|---|---|---|")
            for f in sheet.columns:
                note = "；".join(x for x in (f.note, "必填" if f.required else "", f"也可写作：{'、'.join(f.aliases)}" if f.aliases else "") if x)
                out.append(f"| {f.label} | {KIND_LABELS[f.kind]} | {note} |")
            out.append("")
        if sheet.rows:
            out.append("| 行（项目） | 类型 | 说明 |\n|---|---|---|")
            for f in sheet.rows:
                kind = KIND_LABELS[f.kind] if sheet.layout == "keyvalue" or f.kind != "text" else "金额"
                note = "；".join(x for x in ("必填" if f.required else "", f"可选值：{'、'.join(f.choices)}" if f.choices else "", f.note) if x)
                out.append(f"| {f.label} | {kind} | {note} |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def checks_markdown() -> str:
    """The rule registry as a table, for finance staff reading `juesuan check` output."""
    from generator.checks import RULES, SEVERITY_LABELS

    out = ["# 勾稽检查规则", "",
           "> 本文件由 `python -m generator.docs checks > docs/checks.md` 从规则注册表（`generator/checks.py`）生成，请勿手工修改。", "",
           "`juesuan check` 和 `juesuan generate` 逐条运行下列规则。“错误”阻止生成文档（可加 `--force` 生成带“草稿”标记的文档），",
           "“警告”和“提示”只列出、不阻止。金额以元填写时要求精确相等；以万元填写时，相差不超过“0.01万元×参与相加的项数”",
           "视为四舍五入误差，列为提示。每条结果都列出涉及的工作表、单元格和其中的值。", "",
           "| 规则 | 级别 | 内容 |", "|---|---|---|"]
    out += [f"| {r.id} | {SEVERITY_LABELS[r.severity]} | {r.title} |" for r in RULES]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    print(checks_markdown() if sys.argv[1:] == ["checks"] else data_format_markdown(), end="")
