"""The input workbook, declared once: sheets, columns and fixed rows (init, reader and docs use it)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of value a cell may hold.
TEXT, AMOUNT, COUNT, CODE, CHOICE, YEAR, FLAG = "text", "amount", "count", "code", "choice", "year", "flag"
SCORE = "score"
KIND_LABELS = {
    TEXT: "文字",
    AMOUNT: "金额",
    SCORE: "分数（不填则自动计算或视为未评分）",
    COUNT: "整数",
    CODE: "科目编码",
    CHOICE: "下拉选择",
    YEAR: "年度（四位数字）",
    FLAG: "是/否",
}


@dataclass(frozen=True)
class Field:
    """A column of a table, or a fixed row of a key/value or item sheet."""

    key: str
    label: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""
    width: int = 14
    aliases: tuple[str, ...] = ()
    may_omit: bool = False  # an amount column added later: workbooks made before it still read (as zero)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook.

    layout: 'keyvalue' (fixed keys in column A, values beside them), 'items' (fixed rows named in
    column A, value columns), 'coded' (rows keyed by a subject code), 'list' (free rows).
    """

    key: str
    name: str
    layout: str
    columns: tuple[Field, ...]
    rows: tuple[Field, ...] = ()
    note: str = ""
    required: bool = True
    code_levels: tuple[int, ...] = ()
    aliases: tuple[str, ...] = field(default=())

    def column(self, key: str) -> Field:
        return next(c for c in self.columns if c.key == key)

    def cell_field(self, row: Field, column: Field) -> Field:
        """How a cell of a fixed-row sheet is read: a count row holds counts in the amount columns."""
        if row.kind == COUNT and column.kind == AMOUNT:
            return Field(column.key, column.label, COUNT)
        return column


UNIT_KINDS = ("行政单位", "参照公务员法管理的事业单位", "其他事业单位")
MONEY_UNITS = ("元", "万元")
YES_NO = ("是", "否")
FUNCTIONAL_LEVELS = (3, 5, 7)
ECONOMIC_LEVELS = (3, 5)

INFO = Sheet(
    "info", "基本信息", "keyvalue",
    (Field("key", "项目", width=26), Field("value", "内容", width=46), Field("hint", "填写说明", width=50)),
    rows=(
        Field("name", "单位名称", required=True, note="全称，如：广元市利州区行政审批局"),
        Field("short_name", "单位简称", note="文中称呼，如：区行审局；不填则用全称"),
        Field("code", "单位编码", required=True, note="预算单位编码"),
        Field("parent_code", "上级单位编码", note="一级部门不填"),
        Field("unit_kind", "单位性质", CHOICE, required=True, choices=UNIT_KINDS),
        Field("year", "年度", YEAR, required=True, note="决算年度，如 2020"),
        Field("money_unit", "金额单位", CHOICE, required=True, choices=MONEY_UNITS, note="本工作簿所有金额的单位"),
        Field("contact", "联系人"),
        Field("phone", "联系电话"),
        Field("address", "单位地址"),
        Field("staff_quota", "编制数", COUNT),
        Field("staff_actual", "实有人数", COUNT, note="年末实际在职人数（控制率 = 实有人数 / 编制数）"),
        Field("staff_civil_servants", "其中：公务员（含参公）人数", COUNT),
        Field("staff_institution", "其中：事业人员人数", COUNT),
        Field("staff_workers", "其中：工勤人员人数", COUNT),
        Field("staff_retired", "退休人员数", COUNT),
        Field("sub_admin", "下属行政单位数", COUNT),
        Field("sub_civil", "下属参照公务员法管理的事业单位数", COUNT),
        Field("sub_other", "下属其他事业单位数", COUNT),
        Field("sub_budget_units", "纳入决算编制范围的二级预算单位数", COUNT),
        Field("publish_date", "公开日期", note="如：2021年9月"),
        Field("evaluation_date", "自评报告日期", note="绩效自评报告落款日期，如：2021年3月26日"),
        Field("institutions", "下属机构名称", note="汇总表中“二级机构”行的名称，多个用顿号分隔；不填则用单位简称"),
    ),
    note="每行一项，在“内容”列填写。",
)

TEXTS = Sheet(
    "texts", "文字材料", "keyvalue",
    (Field("key", "项目", width=22), Field("value", "内容", width=90), Field("hint", "填写说明", width=40)),
    rows=(
        Field("functions", "主要职能", required=True, note="每条职能占一行（单元格内换行 Alt+Enter）"),
        Field("key_work", "重点工作", required=True, note="每项重点工作占一行"),
        Field("organisation", "机构设置说明", note="可选：内设机构及下属单位情况"),
        Field("reception_use", "公务接待费用途", note="如：执行公务、开展业务活动开支的交通费、住宿费、用餐费等"),
        Field("performance_summary", "绩效评价综述", note="部门整体支出绩效自评的结论"),
        Field("reform", "机构改革情况", note="重庆样式：机构改革情况、单位构成"),
        Field("composition", "机构组成", note="绩效自评报告：内设机构和下属单位"),
        Field("dept_target", "部门整体年度目标", note="部门整体支出的年度总体目标，每条一行"),
        Field("dept_achieved", "部门整体实际完成", note="年度目标的实际完成情况，每条一行"),
        Field("spending_use", "支出使用方向", note="整体支出规模、使用方向和主要内容"),
        Field("project_funds", "专项资金管理情况", note="专项资金安排、使用、管理情况"),
        Field("budget_management", "预算管理情况", note="部门预算管理、财务管理、资产管理情况"),
        Field("fulfilment", "履职绩效分析", note="部门整体绩效目标完成和履职情况分析"),
        Field("result_use", "结果应用情况", note="自评结果的内部应用、公开、问题整改情况"),
        Field("conclusion", "评价结论"),
        Field("problems", "存在问题", note="每条一行"),
        Field("suggestions", "改进建议", note="改进措施和有关建议，每条一行"),
        Field("other_notes", "其他需要说明的情况"),
        Field("special_organisation", "专项组织情况", note="湖南自评表：专项资金使用的组织领导、审批程序"),
        Field("special_management", "专项管理情况", note="湖南自评表：专项资金的管理制度、责任分工和监督"),
        Field("self_report", "绩效自评报告或案例", note="重庆样式：单独公开的绩效自评报告或典型案例；没有时不填，文中写“无”"),
        Field("key_evaluation", "重点绩效评价结果", note="重庆样式：财政或主管部门组织的重点绩效评价结果；没有时不填，文中写“无”"),
        Field("basic_adjustment", "部门基本支出预算调整", note="湖南基础数据表：年度中基本支出预算的追加、调减；没有调整时不填，表中写“无”"),
        Field("building_control", "楼堂馆所控制情况", note="湖南基础数据表：本年完工楼堂馆所项目的批复和实际规模、投资；没有时不填，表中写“无”"),
        Field("frugality", "厉行节约保障措施", note="湖南基础数据表：厉行节约的制度和措施，每条一行"),
    ),
    note="文字较长时可在单元格内换行，每行一段。",
)

_ITEM_COLS = (
    Field("item", "项目", width=30),
    Field("current", "本年数", AMOUNT, width=16),
    Field("previous", "上年数", AMOUNT, width=16),
    Field("reason", "变动原因", width=50, note="与上年相比变动的主要原因"),
)

SUMMARY = Sheet(
    "summary", "收支总表", "items", _ITEM_COLS,
    rows=(
        Field("gp_income", "一般公共预算财政拨款收入"),
        Field("fund_income", "政府性基金预算财政拨款收入"),
        Field("soe_income", "国有资本经营预算财政拨款收入"),
        Field("superior_grant", "上级补助收入"),
        Field("business_income", "事业收入"),
        Field("operating_income", "经营收入"),
        Field("affiliate_income", "附属单位上缴收入"),
        Field("other_income", "其他收入"),
        Field("income_total", "本年收入合计"),
        Field("use_nonfiscal_balance", "使用非财政拨款结余"),
        Field("opening_balance", "年初结转和结余"),
        Field("income_grand_total", "收入总计"),
        Field("expense_total", "本年支出合计"),
        Field("surplus_distribution", "结余分配"),
        Field("closing_balance", "年末结转和结余"),
        Field("expense_grand_total", "支出总计"),
    ),
    note="公开01表。按项目名称填写本年数与上年数；支出按功能分类的各类数据取自“支出决算表”。",
)

_INCOME_COLS = (
    ("total", "本年收入合计"), ("fiscal", "财政拨款收入"), ("superior", "上级补助收入"),
    ("business", "事业收入"), ("operating", "经营收入"), ("affiliate", "附属单位上缴收入"), ("other", "其他收入"),
)
INCOME = Sheet(
    "income", "收入决算表", "coded",
    (Field("code", "科目编码", CODE, required=True, width=12, aliases=("科目代码",)),
     Field("name", "科目名称", required=True, width=36))
    + tuple(Field(k, label, AMOUNT, width=14) for k, label in _INCOME_COLS),
    note="公开02表。按功能分类类、款、项逐行填写（编码3/5/7位）。",
    code_levels=FUNCTIONAL_LEVELS,
)

_EXPENSE_COLS = (
    ("total", "本年支出合计"), ("basic", "基本支出"), ("project", "项目支出"), ("remit", "上缴上级支出"),
    ("operating", "经营支出"), ("subsidy", "对附属单位补助支出"),
)
EXPENSE = Sheet(
    "expense", "支出决算表", "coded",
    (Field("code", "科目编码", CODE, required=True, width=12, aliases=("科目代码",)),
     Field("name", "科目名称", required=True, width=36))
    + tuple(Field(k, label, AMOUNT, width=14) for k, label in _EXPENSE_COLS),
    note="公开03表。按功能分类类、款、项逐行填写。",
    code_levels=FUNCTIONAL_LEVELS,
)

FISCAL = Sheet(
    "fiscal", "财政拨款收支总表", "items",
    (Field("item", "项目", width=30),
     Field("gp", "一般公共预算", AMOUNT, width=16),
     Field("fund", "政府性基金预算", AMOUNT, width=16),
     Field("soe", "国有资本经营预算", AMOUNT, width=16),
     Field("previous", "上年数", AMOUNT, width=16, note="三项合计的上年数"),
     Field("reason", "变动原因", width=50)),
    rows=(
        Field("income", "本年财政拨款收入"),
        Field("opening", "年初财政拨款结转和结余"),
        Field("income_total", "财政拨款收入总计"),
        Field("expense", "本年财政拨款支出"),
        Field("closing", "年末财政拨款结转和结余"),
        Field("expense_total", "财政拨款支出总计"),
    ),
    note="公开04表。支出按功能分类的各类数据取自“一般公共预算支出表”等。",
)


def _budget_table(key: str, name: str, note: str, required: bool = True) -> Sheet:
    return Sheet(
        key, name, "coded",
        (Field("code", "科目编码", CODE, required=True, width=12, aliases=("科目代码",)),
         Field("name", "科目名称", required=True, width=36),
         Field("budget", "预算数", AMOUNT, width=14, note="年初预算数"),
         Field("total", "合计", AMOUNT, width=14, aliases=("决算数",)),
         Field("basic", "基本支出", AMOUNT, width=14),
         Field("project", "项目支出", AMOUNT, width=14),
         Field("previous", "上年数", AMOUNT, width=14),
         Field("reason", "差异原因", width=40, note="决算数与预算数不同时的主要原因")),
        note=note, required=required, code_levels=FUNCTIONAL_LEVELS,
    )


GP = _budget_table("gp", "一般公共预算支出表", "公开05表。按类、款、项填写预算数与决算数；差异原因写在项级行。")
FUND = _budget_table("fund", "政府性基金表", "公开08表。无此项收支时保留空表。", required=False)
SOE = _budget_table("soe", "国有资本经营表", "公开09表。无此项支出时保留空表。", required=False)

BASIC = Sheet(
    "basic", "基本支出表", "coded",
    (Field("code", "经济分类编码", CODE, required=True, width=14, aliases=("科目编码",)),
     Field("name", "科目名称", required=True, width=30),
     Field("personnel", "人员经费", AMOUNT, width=14),
     Field("public", "公用经费", AMOUNT, width=14),
     Field("previous", "上年数", AMOUNT, width=14)),
    note="公开06表。按经济分类类（3位）和款（5位）填写。",
    code_levels=ECONOMIC_LEVELS,
)

THREE_PUBLIC = Sheet(
    "three_public", "三公经费表", "items",
    (Field("item", "项目", width=26),
     Field("budget", "预算数", AMOUNT, width=14),
     Field("actual", "决算数", AMOUNT, width=14),
     Field("previous", "上年决算数", AMOUNT, width=14),
     Field("budget_reason", "差异原因", width=36, note="决算数与预算数不同的原因"),
     Field("reason", "变动原因", width=36, note="与上年相比变动的原因")),
    rows=(
        Field("total", "合计", note="金额可不填（自动合计），原因写在此行"),
        Field("abroad", "因公出国(境)费"),
        Field("car_purchase", "公务用车购置费"),
        Field("car_running", "公务用车运行费"),
        Field("car", "公务用车购置及运行费", note="金额可不填，原因写在此行"),
        Field("reception", "公务接待费"),
        Field("foreign_reception", "其中：外事接待费"),
    ),
    note="公开07表。",
)

OTHER = Sheet(
    "other", "其他事项", "items",
    (Field("item", "项目", width=30),
     Field("current", "本年数", AMOUNT, width=16),
     Field("previous", "上年数", AMOUNT, width=16),
     Field("note", "说明", width=60, note="变动原因或具体内容")),
    rows=(
        Field("running_cost", "机关运行经费", AMOUNT),
        Field("meeting", "会议费", AMOUNT),
        Field("training", "培训费", AMOUNT),
        Field("proc_goods", "政府采购货物支出", AMOUNT),
        Field("proc_works", "政府采购工程支出", AMOUNT),
        Field("proc_services", "政府采购服务支出", AMOUNT),
        Field("proc_sme", "授予中小企业合同金额", AMOUNT),
        Field("proc_micro", "其中：授予小微企业合同金额", AMOUNT),
        Field("abroad_groups", "因公出国(境)团组数", COUNT),
        Field("abroad_people", "因公出国(境)人次", COUNT),
        Field("cars_bought", "公务用车购置数", COUNT),
        Field("cars_held", "公务用车保有量", COUNT),
        Field("reception_batches", "国内公务接待批次", COUNT),
        Field("reception_people", "国内公务接待人次", COUNT, note="说明列填写接待的具体内容"),
        Field("foreign_batches", "外事接待批次", COUNT),
        Field("foreign_people", "外事接待人次", COUNT),
        Field("car_leader", "主要领导干部用车", COUNT),
        Field("car_confidential", "机要通信用车", COUNT),
        Field("car_emergency", "应急保障用车", COUNT),
        Field("car_enforcement", "执法执勤用车", COUNT),
        Field("car_special", "特种专业技术用车", COUNT),
        Field("car_retired", "离退休干部用车", COUNT),
        Field("car_other", "其他用车", COUNT),
        Field("general_equipment", "单价50万元以上通用设备", COUNT, note="台（套）"),
        Field("special_equipment", "单价100万元以上专用设备", COUNT, note="台（套）"),
        Field("assets_in_use", "在用固定资产", AMOUNT, note="年末固定资产账面数"),
        Field("assets_leased", "出租固定资产", AMOUNT),
        Field("assets_other", "其他固定资产", AMOUNT),
        Field("special_nontax", "纳入专户管理的非税收入拨款", AMOUNT, note="湖南自评表收入列；含在“其他收入”中时不必重复填"),
        Field("office_cost", "办公经费", AMOUNT, note="绩效基础数据表：公用经费中的办公经费"),
        Field("utilities_travel", "水费、电费、差旅费", AMOUNT),
        Field("dept_initial_budget", "部门年初预算数", AMOUNT, note="部门整体支出绩效自评表：年初预算数"),
        Field("dept_budget", "部门全年预算数", AMOUNT, note="年初预算加调整后的全年预算数；执行数取本年支出合计"),
    ),
    note="金额行填金额；数量行在“本年数”列填数量。",
)

PROJECTS = Sheet(
    "projects", "项目绩效", "list",
    (Field("name", "项目名称", required=True, width=30),
     Field("department", "主管部门", width=18),
     Field("implementer", "实施单位", width=18),
     Field("initial_budget", "年初预算数", AMOUNT, width=13),
     Field("budget", "全年预算数", AMOUNT, required=True, width=13),
     Field("spent", "全年执行数", AMOUNT, required=True, width=13),
     Field("fiscal_budget", "其中财政拨款预算数", AMOUNT, width=13),
     Field("fiscal_spent", "其中财政拨款执行数", AMOUNT, width=13),
     Field("carry_budget", "其中上年结转预算数", AMOUNT, width=13, may_omit=True),
     Field("carry_spent", "其中上年结转执行数", AMOUNT, width=13, may_omit=True),
     Field("previous", "上年执行数", AMOUNT, width=13, may_omit=True),
     Field("pre_assessed", "开展事前评估", FLAG, choices=YES_NO, width=10),
     Field("has_targets", "编制绩效目标", FLAG, choices=YES_NO, width=10),
     Field("monitored", "开展绩效监控", FLAG, choices=YES_NO, width=10),
     Field("self_assessed", "开展绩效自评", FLAG, choices=YES_NO, width=10),
     Field("target", "年度目标", width=40),
     Field("achieved", "实际完成", width=40),
     Field("shortfall_reason", "执行差异原因", width=30, note="执行数与预算数不同时填写原因", aliases=("未完成原因",)),
     Field("problems", "存在问题", width=30),
     Field("measures", "改进措施", width=30),
     Field("summary", "项目概况", width=40, note="项目绩效评价报告：立项依据、内容"),
     Field("decision", "项目决策", width=30),
     Field("management", "项目管理", width=30),
     Field("effect", "项目绩效", width=30, note="项目实施的效果"),
     Field("note", "说明", width=30, note="自评表“说明”栏，如：节约资金已收回"),
     Field("exec_weight", "执行率分值", SCORE, width=10, note="预算执行率的分值，不填为10分"),
     Field("self_score", "自评得分", SCORE, width=10, note="有绩效指标时自动计算，不必填写")),
    note="每个项目一行。执行数、预算数的财政拨款和上年结转部分之外为其他资金。",
    required=False,
)

DIRECTIONS = ("≥", "≤", "=", "定性")
from generator.vocabulary import DEPARTMENT  # noqa: E402  (re-exported for the sheet declarations)

INDICATORS = Sheet(
    "indicators", "绩效指标", "list",
    (Field("project", "项目名称", required=True, width=28, note=f"与“项目绩效”表的项目名称一致；部门整体支出的指标填“{DEPARTMENT}”"),
     Field("level1", "一级指标", width=12, note="与上一行相同时可不填"),
     Field("level2", "二级指标", width=12, note="与上一行相同时可不填"),
     Field("level3", "三级指标", required=True, width=28),
     Field("direction", "指标方向", CHOICE, choices=DIRECTIONS, width=9, note="定量指标填 ≥、≤、=，得分可自动计算"),
     Field("target", "年度指标值", width=16),
     Field("actual", "实际完成值", width=16),
     Field("weight", "分值", SCORE, width=8),
     Field("score", "得分", SCORE, width=8, note="定量指标不填时按完成值自动计算"),
     Field("reason", "偏差原因", width=30, note="未满分时写明原因和改进措施")),
    note="每个指标一行；同一项目的指标连续填写。",
    required=False,
)

GRID = Sheet(
    "grid", "整体绩效评分", "list",
    (Field("level1", "一级指标", width=10, note="与上一行相同时可不填"),
     Field("level2", "二级指标", width=12, note="与上一行相同时可不填"),
     Field("level3", "三级指标", required=True, width=20),
     Field("standard", "评分标准", width=50),
     Field("weight", "分值", SCORE, width=8),
     Field("score", "自评得分", SCORE, width=10),
     Field("reason", "扣分原因", width=30, note="自评得分低于分值时写明原因")),
    note="部门整体支出绩效评价评分表，每个三级指标一行，分值合计 100。",
    required=False,
)

EVALUATORS = Sheet(
    "evaluators", "评价人员", "list",
    (Field("name", "姓名", required=True, width=12), Field("title", "职务/职称", width=20),
     Field("unit", "单位", width=30)),
    note="绩效自评表的评价人员，每人一行。",
    required=False,
)

GLOSSARY = Sheet(
    "glossary", "名词解释", "list",
    (Field("term", "名词", required=True, width=30), Field("text", "解释", required=True, width=90)),
    note="可选：本单位补充的名词解释；与默认名词同名时替换默认解释。",
    required=False,
)

SHEETS: tuple[Sheet, ...] = (INFO, TEXTS, SUMMARY, INCOME, EXPENSE, FISCAL, GP, BASIC, THREE_PUBLIC, FUND, SOE,
                             OTHER, PROJECTS, INDICATORS, GRID, EVALUATORS, GLOSSARY)
INSTRUCTIONS_SHEET = "填表说明"

# The nine 公开表 as published (公开01表 … 公开09表): the Word 附表, the .xlsx export and `import` use these titles.
PUBLIC_TABLE_TITLES = {
    "01": "收入支出决算总表", "02": "收入决算表", "03": "支出决算表", "04": "财政拨款收入支出决算总表",
    "05": "一般公共预算财政拨款支出决算表", "06": "一般公共预算财政拨款基本支出决算表",
    "07": "一般公共预算财政拨款“三公”经费支出决算表", "08": "政府性基金预算财政拨款收入支出决算表",
    "09": "国有资本经营预算财政拨款支出决算表",
}


def sheet(key: str) -> Sheet:
    """The declaration of a sheet by its key ('gp', 'summary', …)."""
    return next(s for s in SHEETS if s.key == key)
