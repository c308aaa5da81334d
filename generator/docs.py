"""Documentation generated from the declarations in code (the workbook format)."""

from __future__ import annotations

from generator.workbook import schema
from generator.workbook.schema import KIND_LABELS

_LAYOUTS = {
    "keyvalue": "每行一项：A 列为项目名称（不要改动），B 列填写内容。",
    "items": "固定行：A 列为项目名称（不要改动），其余各列按表头填写。",
    "coded": "按科目编码逐行填写，类、款、项各占一行；可含“栏次”行、“合计”行和表下注释。",
    "list": "每行一条，行数不限。",
}

_INTRO = """# 填报工作簿格式

> 本文件由 `python -m generator.docs > docs/data-format.md` 从代码中的声明（`generator/workbook/schema.py`）生成，
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
    from generator.checks.rules import RULES
    from generator.vocabulary import SEVERITY_LABELS

    out = ["# 勾稽检查规则", "",
           "> 本文件由 `python -m generator.docs checks > docs/checks.md` 从规则注册表（`generator/checks/rules.py`）生成，请勿手工修改。", "",
           "`juesuan check` 和 `juesuan generate` 逐条运行下列规则。“错误”阻止生成文档（可加 `--force` 生成带“草稿”标记的文档），",
           "“警告”和“提示”只列出、不阻止。金额以元填写时要求精确相等；以万元填写时，相差不超过“0.01万元×参与相加的项数”",
           "视为四舍五入误差，列为提示。每条结果都列出涉及的工作表、单元格和其中的值。", "",
           "| 规则 | 级别 | 内容 |", "|---|---|---|"]
    out += [f"| {r.id} | {SEVERITY_LABELS[r.severity]} | {r.title} |" for r in RULES]
    return "\n".join(out) + "\n"


_CHARTS = """## 图表

在模板中用 `{{ chart('名称') }}` 放置图表（单独占一段），可给出宽度（厘米）：`{{ chart('gp_structure', 12) }}`，默认 15 厘米。
图表数值全为零时不绘制；此时应改放 `charts.名称.empty_text` 中的一句说明。推荐写法：

```
{%p if charts.gp_structure.drawn %}
{{ chart('gp_structure') }}
{{ charts.gp_structure.caption }}
{%p else %}
{{ charts.gp_structure.empty_text }}
{%p endif %}
```

`charts.名称.caption` 是“图N：标题”，N 按 `.toml` 文件中 `charts = [...]` 列出的顺序编号，只给实际绘制的图表编号，
所以请按图表在文档中出现的顺序列出。图表中的金额和占比与正文使用同一套数字（同样的四舍五入与最大余数法）。

| 名称 | 标题 | 类型 | 数据 |
|---|---|---|---|
| `totals` | 收、支决算总计变动情况 | 柱状图（上年、本年） | 收入总计、支出总计 |
| `income_structure` | 收入决算结构 | 饼图 | 本年收入合计的各项来源（为零的项不画） |
| `expense_structure` | 支出决算结构 | 饼图 | 基本支出、项目支出、上缴上级支出、经营支出、对附属单位补助支出 |
| `fiscal_totals` | 财政拨款收、支决算总计变动情况 | 柱状图（上年、本年） | 财政拨款收入总计、支出总计 |
| `gp_change` | 一般公共预算财政拨款支出决算变动情况 | 柱状图（上年、本年） | 一般公共预算财政拨款支出 |
| `gp_structure` | 一般公共预算财政拨款支出决算结构 | 饼图 | 按功能分类“类”的一般公共预算财政拨款支出 |
| `three_public_structure` | “三公”经费财政拨款支出结构 | 饼图 | 因公出国（境）费、公务用车购置及运行维护费、公务接待费 |

图表形式由 `.toml` 中的 `chart_format` 决定（生成时 `--charts native|picture` 可临时改用另一种）：`"native"`（自带模板的设置，
未写时也是它）为 Word 图表，附带图表数据，可在 Word/WPS 中点击修改；`"picture"` 为 PNG 图片，220 dpi。两种都由同一组数字
绘制，同样的数据总是生成完全相同的图表。中文字体见 README。
"""

_TEMPLATES_INTRO = """# 编写和修改模板

> 本文件由 `python -m generator.docs templates > docs/templates.md` 从代码生成（模板清单、名称清单取自模板设置和
> 在自带示例数据上实际计算出的上下文），测试会检查两者一致。请勿手工修改。

模板是普通的 Word 文档（.docx），其中用 [docxtpl](https://docxtpl.readthedocs.io/) 的 Jinja2 标记放置数据。
每个模板旁边有一个同名的 `.toml` 设置文件（标题、输出文件名、显示精度、文中图表的顺序、所需数据）。
自带模板在 `templates/` 目录，由 `tools/build_templates.py` 生成；也可以复制一份在 Word/WPS 中修改，用
`juesuan generate 工作簿 --template 模板路径.docx` 使用。改完先运行 `juesuan check-template 模板路径.docx`。

## 基本写法

- 放置一个值：`{{ income.amount }}`。所有值都已计算并按模板的 `[display]` 设置格式化好，模板里不做运算。
- 整段重复或条件：标记单独占一段，如 `{%p for line in functions %}` …… `{%p endfor %}`、`{%p if fund.any %}` …… `{%p endif %}`。
- 表格行重复：标记单独占一行的第一个单元格，如 `{%tr for row in tables.t05 %}` …… `{%tr endfor %}`。
- 单元格里也可以放整段循环（如一个单元格内逐行列出目标：`{%p for line in p.target %}`）。
- 一个标记必须完整地在同一段、同一格式中；在 Word 里改动标记中间的格式会把它拆开（`check-template` 会指出）。
- 标记里的引号必须是英文直引号；Word 的“自动更正”常把它们改成中文弯引号（`check-template` 会指出）。

## 金额、百分比和表述

数字在渲染前已按规则算好并格式化，模板里不做运算。显示精度在 `.toml` 的 `[display]` 中设置：

- `amount_decimals`：金额（万元）小数位；`pct_decimals`：百分比小数位；`keep_zeros`：是否保留末尾的 0（0.00万元 / 0万元）。
- 金额四舍五入（ROUND_HALF_UP），同一整体的各部分占比用最大余数法，保证并列印出的占比之和恰为 100%。
- 现成的表述：`yoy`（比上年增加/减少……增长/下降……%，或与上年持平、上年无此项）、`cq.*.yoy`（较上年决算数……）、
  `vs_budget`（较年初预算数……，或年初未安排预算）、`budget_text`（完成预算 x%，决算数大于/等于/小于预算数及原因）、
  `completion`（完成预算 x%）、`structure` / `main_structure`（“，其中：A……万元，占……%；B……”）、`reason`（“主要原因是……。”或空）。
  这些表述从不同时出现两种说法，也不会留下空的原因。
- 分值最多两位小数、不带末尾 0（10、7.5）；得分、总分为整数或两位小数（98、99.70、98.41），同一文档中不会一处一位小数、一处两位小数；执行率、得分系数带 %。
- 上面这些现成表述的**措辞**（句式）不在程序里，而在模板中：见下面“措辞”一节。

## 表格与合并单元格

- 表头和固定行直接在 Word 中画好，固定的合并单元格也直接在 Word 中合并。
- 需要跨页重复的表头行：在 Word“表格属性 → 行”中勾选“在各页顶端以标题行形式重复出现”（自带模板均已设置）。
- 行数随数据变化、又要纵向合并的列（如指标表的一级、二级指标）：在单元格开头写 `{% vmerge 条件 %}`，
  条件为真时该格与上方单元格合并、其文字不再显示。指标行带有现成的条件：`{% vmerge row.merge.level1 %}{{ row.level1 }}`、
  `{% vmerge row.merge.level2 %}{{ row.level2 }}`（二级只在同一一级内合并）。`{% vmerge True %}` 可让循环中的每一行
  都并入表头的同列单元格（如“绩效指标完成情况”这一竖排标题）。
- 行数由数据决定：项目数、指标数、机构数、科目数多少，表格就有多少行，合并始终正确。

## 模板所需数据（requires）

`.toml` 中的 `requires = [...]` 列出模板在决算报表之外还需要的数据；缺少时 `generate` 报错并指出工作表和单元格
（加 `--force` 可生成草稿）。可用的项：

"""


_PHRASES_INTRO = """## 措辞（句式）

程序只决定用哪一种说法（增加还是减少、大于还是小于、有没有原因）并填入数字，句子本身的文字由模板决定。
自带模板共用 `templates/phrases.toml` 中的默认句式；要改某个模板的措辞，在它的 `.toml` 里加一个 `[phrases]` 表，
只写要改的项，例如把“主要原因是”改成“原因是”：

```toml
[phrases]
reason = "原因是{reason}。"
budget_compare_reason = "{head}，{compare}，原因是{reason}"
```

花括号里只能用该项列出的名称（不能写 `{reason.xxx}`、`{reason!r}` 或格式说明），写错时程序报错并指出文件和项。
全部句式："""

_FILTERS_INTRO = """## 过滤器

在模板中自己组织句子时可用的过滤器；引导词和结尾标点写在模板里，值为空时整句不出现，不会出现“联系电话：。”或“。；”："""


def _phrases_markdown() -> list[str]:
    from generator.wording.phrases import FIELDS, default_phrases

    book = default_phrases()
    out = [_PHRASES_INTRO, "", "| 项 | 用途 | 可用名称 | 默认句式 |", "|---|---|---|---|"]
    out += [f"| `{key}` | {what} | {'、'.join(f'`{{{n}}}`' for n in names) or '—'} | {_cell(book[key])} |"
            for key, (names, what) in FIELDS.items()]
    return out + [""]


def _filters_markdown() -> list[str]:
    from generator.wording.filters import FILTER_DOCS, FILTERS

    out = [_FILTERS_INTRO, "", "| 过滤器 | 作用 | 写法 | 结果 |", "|---|---|---|---|"]
    out += [f"| `{name}` | {FILTER_DOCS[name][0]} | `{FILTER_DOCS[name][1].replace('|', chr(92) + '|')}` | {FILTER_DOCS[name][2]} |"
            for name in FILTERS]
    return out + [""]


def templates_markdown() -> str:
    """docs/templates.md: the shipped templates, how to write one, and every name a template can use."""
    from generator.document.context_names import FUNCTIONS, GROUPS, context_shape, leaves
    from generator.document.templates import shipped
    from generator.vocabulary import REQUIREMENTS

    out = [_TEMPLATES_INTRO.rstrip(), ""]
    out += ["| 项 | 含义 |", "|---|---|"] + [f"| `{k}` | {v} |" for k, v in REQUIREMENTS.items()] + [""]
    out += ["## 自带模板", "", "| 名称 | 标题 | 内容 | 所需数据 |", "|---|---|---|---|"]
    for spec in shipped():
        out.append(f"| `{spec.name}` | {spec.title} | {spec.description} | {'、'.join(f'`{r}`' for r in spec.requires) or '—'} |")
    out += ["", *_phrases_markdown(), *_filters_markdown()]
    out += [_CHARTS.rstrip(), "", "## 函数与特殊标记", "", "| 写法 | 作用 |", "|---|---|"]
    out += [f"| `{k}` | {v} |" for k, v in FUNCTIONS.items()]
    out += ["", "## 全部名称", "",
            "下表列出模板可以使用的每个名称，示例值取自自带示例数据（广元市利州区行政审批局 2020 年度）在四川样式显示设置下的结果；",
            "`名称[]` 表示列表中的每一项（在 `for` 循环中使用，如 `{%p for p in perf.list %}` 后写 `p.name`）。", ""]
    tree = context_shape()
    for group, items in _by_group(leaves(tree)).items():
        out += [f"### `{group}`", "", GROUPS.get(group, ""), "", "| 名称 | 示例 |", "|---|---|"]
        out += [f"| `{name}` | {_cell(example)} |" for name, example in items]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _by_group(items: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, example in items:
        groups.setdefault(name.split(".")[0].split("[")[0], []).append((name, example))
    return groups


def _cell(text: str) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "…"


if __name__ == "__main__":
    import sys

    command = sys.argv[1:]
    print(checks_markdown() if command == ["checks"] else templates_markdown() if command == ["templates"]
          else data_format_markdown(), end="")
