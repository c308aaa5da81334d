"""Build the sample workbooks in data_samples/ from the figures below (published figures of the seeds,
made consistent where the published documents contradict themselves).

Run: python tools/make_samples.py   (rewrites data_samples/*.xlsx)
类 and 款 rows are summed from the 项 rows here, so the tables agree with each other by construction.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from generator.workbook import write_workbook

ROOT = Path(__file__).resolve().parent.parent / "data_samples"

NAMES = {
    "201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行",
    "2010302": "一般行政管理事务", "2010399": "其他政府办公厅（室）及相关机构事务支出",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出", "20899": "其他社会保障和就业支出", "2089999": "其他社会保障和就业支出",
    "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费",
    "30113": "住房公积金", "30199": "其他工资福利支出",
    "302": "商品和服务支出", "30201": "办公费", "30202": "印刷费", "30205": "水费", "30206": "电费", "30207": "邮电费",
    "30209": "物业管理费", "30211": "差旅费", "30215": "会议费", "30216": "培训费", "30217": "公务接待费",
    "30226": "劳务费", "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费", "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助", "30302": "退休费", "30305": "生活补助",
    "2010350": "事业运行", "2101102": "事业单位医疗",
}


def rollup(leaves: dict[str, dict[str, D]], levels=(3, 5), extra=()) -> list[dict]:
    """Rows for every 类/款 above the given leaf rows, each summing its leaves, in code order."""
    rows: dict[str, dict] = {}
    for code, values in leaves.items():
        for n in (*levels, len(code)):
            key = code[:n]
            row = rows.setdefault(key, {"code": key, "name": NAMES[key]})
            for col, v in values.items():
                if isinstance(v, D):
                    row[col] = row.get(col, D(0)) + v if n != len(code) or key == code else row.get(col)
                elif key == code:
                    row[col] = v
    return [rows[k] for k in sorted(rows)]


def gp_rows(items: list[tuple]) -> list[dict]:
    """items: (code, budget, total, basic, project, previous, reason)."""
    leaves = {c: {"budget": D(b), "total": D(t), "basic": D(ba), "project": D(p), "previous": D(pr), "reason": r}
              for c, b, t, ba, p, pr, r in items}
    return rollup(leaves)


def expense_rows(items: list[tuple]) -> list[dict]:
    leaves = {c: {"total": D(t), "basic": D(ba), "project": D(p)} for c, _b, t, ba, p, _pr, _r in items}
    return rollup(leaves)


def income_rows(amounts: dict[str, str]) -> list[dict]:
    return rollup({c: {"total": D(v), "fiscal": D(v)} for c, v in amounts.items()})


def basic_rows(items: dict[str, tuple[str, str]]) -> list[dict]:
    return rollup({c: {"personnel": D(p), "public": D(q)} for c, (p, q) in items.items()}, levels=(3,))


def fig(cur, prev="0", reason=""):
    return {"current": D(cur), "previous": D(prev), "reason": reason}


# ---------------------------------------------------------------- 广元市利州区行政审批局 2020 (seed 000), in 元
LIZHOU_GP = [
    ("2010301", "1235000", "1235000", "1235000", "0", "1150000", ""),
    ("2010302", "7416600", "3514000", "0", "3514000", "2450000", "部分项目尚未完成招标采购，资金结转下年使用"),
    ("2010399", "78500", "78500", "0", "78500", "0", ""),
    ("2080505", "108800", "108800", "108800", "0", "100000", ""),
    ("2089999", "3900", "3900", "3900", "0", "3600", ""),
    ("2101101", "48700", "48700", "48700", "0", "40000", ""),
    ("2210201", "77900", "77900", "77900", "0", "63000", ""),
]
LIZHOU = {
    "info": {
        "name": "广元市利州区行政审批局", "short_name": "区行政审批局", "code": "510802101", "parent_code": "",
        "unit_kind": "行政单位", "year": 2020, "money_unit": "元", "contact": "财务股", "phone": "0839-0000000",
        "staff_quota": 12, "staff_actual": 10, "sub_admin": 0, "sub_civil": 0, "sub_other": 1, "sub_budget_units": 0,
        "publish_date": "2021年9月",
    },
    "texts": {
        "functions": "\n".join([
            "贯彻落实行政审批制度改革的决策部署，建立健全行政审批工作机制、监管机制和服务体系。",
            "配合有关部门推进简政放权，清理和规范行政审批事项。",
            "依法受理区级部门划转的行政审批事项，作出审批决定并送达，承担相应法律责任。",
            "制定和优化审批服务流程，健全审批与监管的协调和信息反馈机制，提高审批效能。",
            "统筹协调全区政务服务管理，推进审批服务便民化。",
            "管理进驻区政务服务大厅的审批和服务事项，对进驻人员进行管理考核。",
            "指导乡镇（街道）、村（社区）便民服务工作。",
            "指导、协调和管理全区公共资源交易工作。",
            "完成区委、区政府交办的其他任务。",
        ]),
        "key_work": "\n".join([
            "加强党的建设。落实全面从严治党主体责任，严格执行中央八项规定精神，规范财务管理。",
            "深化行政审批制度改革。依申请服务事项全部进驻大厅集中办理，在医保、人社等窗口试行综合柜员制。",
            "推进“互联网+政务服务”。建成区、乡两级政务服务“好差评”系统，在大厅和乡镇便民服务中心安装评价设备。",
            "优化营商环境。工程建设项目审批时限压缩至50个工作日以内，投资项目实行“一窗进出”。",
            "规范公共资源交易。实行流程化、分段式交易管理，全程电子化监控，交易信息全部公开。",
            "做好政务大厅疫情防控，保障大厅安全有序运行。",
        ]),
        "reception_use": "执行公务、开展业务活动开支的交通费、住宿费、用餐费等",
        "performance_summary": "部门整体支出绩效完成较好，预决算基本一致，保障了各项重点工作有序开展。",
    },
    "summary": {
        "gp_income": fig("9020500", "4533700"), "income_total": fig("9020500", "4533700", "新增一体化政务服务平台建设及大厅综合窗口改造项目"),
        "opening_balance": fig("727100", "0"),
        "expense_total": fig("5066800", "3806600", "本年支出包含上年结转资金，且新增项目陆续实施"),
        "closing_balance": fig("4680800", "727100"),
    },
    "income": income_rows({"2010301": "1235000", "2010302": "7467700", "2010399": "78500", "2080505": "108800",
                           "2089999": "3900", "2101101": "48700", "2210201": "77900"}),
    "expense": expense_rows(LIZHOU_GP),
    "fiscal": {
        "income": {"gp": D("9020500"), "previous": D("4533700"), "reason": "新增一体化政务服务平台建设及大厅综合窗口改造项目"},
        "opening": {"gp": D("727100"), "previous": D("0")},
        "expense": {"gp": D("5066800"), "previous": D("3806600"), "reason": "本年支出包含上年结转资金，且新增项目陆续实施"},
        "closing": {"gp": D("4680800"), "previous": D("727100")},
    },
    "gp": gp_rows(LIZHOU_GP),
    "basic": basic_rows({
        "30101": ("420000", "0"), "30102": ("380000", "0"), "30103": ("60000", "0"), "30107": ("120000", "0"),
        "30108": ("108800", "0"), "30110": ("48700", "0"), "30113": ("77900", "0"), "30199": ("30000", "0"),
        "30201": ("0", "42000"), "30205": ("0", "6000"), "30206": ("0", "18000"), "30207": ("0", "12000"),
        "30211": ("0", "15000"), "30216": ("0", "5000"), "30217": ("0", "10200"), "30228": ("0", "16000"),
        "30229": ("0", "12000"), "30299": ("0", "39000"), "30302": ("49800", "0"), "30305": ("3900", "0"),
    }),
    "three_public": {
        "total": {"budget_reason": "厉行节约，压缩公务接待支出"},
        "abroad": {"budget": D(0), "actual": D(0), "previous": D(0)},
        "car_purchase": {"budget": D(0), "actual": D(0), "previous": D(0)},
        "car_running": {"budget": D(0), "actual": D(0), "previous": D(0)},
        "reception": {"budget": D("10405"), "actual": D("10200"), "previous": D("10200"),
                      "budget_reason": "严格执行接待标准，压缩接待开支"},
        "foreign_reception": {"budget": D(0), "actual": D(0), "previous": D(0)},
    },
    "other": {
        "running_cost": {"current": D("175200"), "previous": D("167210"), "note": "人员调动使日常办公支出增加"},
        "proc_goods": {"current": D("13000")}, "proc_services": {"current": D("78500")},
        "reception_batches": {"current": 25}, "reception_people": {"current": 128, "note": "外地市县来区考察学习政务服务标准化建设"},
    },
    "projects": [
        {"name": "政务大厅和乡镇便民服务中心一体化平台网络费", "department": "广元市利州区行政审批局", "implementer": "广元市利州区行政审批局",
         "initial_budget": D("258000"), "budget": D("258000"), "spent": D("246200"), "fiscal_budget": D("258000"), "fiscal_spent": D("246200"),
         "pre_assessed": "是", "has_targets": "是", "monitored": "是", "self_assessed": "是",
         "target": "保障区、乡、村三级一体化平台网络畅通，深化一体化平台“网上办”。", "achieved": "实现区、乡镇（街道）、村（社区）三级网络全覆盖",
         "shortfall_reason": "12月部分乡镇一体化平台网络费尚未结算", "problems": "个别乡镇一体化平台使用率偏低", "measures": "加强对乡镇录入工作的指导和督促"},
        {"name": "“一窗进出”并联审批服务", "department": "广元市利州区行政审批局", "implementer": "广元市利州区行政审批局",
         "initial_budget": D("70000"), "budget": D("70000"), "spent": D("70000"), "fiscal_budget": D("70000"), "fiscal_spent": D("70000"),
         "pre_assessed": "是", "has_targets": "是", "monitored": "是", "self_assessed": "是",
         "target": "设立综合窗口，企业只到一个窗口即可办成事。", "achieved": "投资项目申报企业只需到一个窗口即可办结审批",
         "problems": "办事流程仍可进一步精简", "measures": "搭建更优化的并联审批服务平台"},
        {"name": "全省一体化政务服务平台延伸到村（社区）专项", "department": "广元市利州区行政审批局", "implementer": "广元市利州区行政审批局",
         "initial_budget": D("50000"), "budget": D("50000"), "spent": D("50000"), "fiscal_budget": D("50000"), "fiscal_spent": D("50000"),
         "pre_assessed": "是", "has_targets": "是", "monitored": "是", "self_assessed": "是",
         "target": "一体化平台延伸至村（社区），实现三级联网。", "achieved": "区、乡、村三级网上政务服务平台全覆盖",
         "problems": "延伸到村（社区）的执行力度不够", "measures": "加强对村（社区）代办员的培训"},
        {"name": "政务大厅和乡镇便民服务中心网络费", "department": "广元市利州区行政审批局", "implementer": "广元市利州区行政审批局",
         "initial_budget": D("242800"), "budget": D("242800"), "spent": D("180600"), "fiscal_budget": D("242800"), "fiscal_spent": D("180600"),
         "pre_assessed": "是", "has_targets": "是", "monitored": "是", "self_assessed": "是",
         "target": "保障政务大厅网络畅通，提升“网上办”功能。", "achieved": "群众可通过微信公众号网上查询、申请和预约",
         "shortfall_reason": "第四季度网络费尚未结算", "problems": "网络维护技术有待完善", "measures": "进一步规范网络维护"},
    ],
}

# ---------------------------------------------------------------- 重庆市武隆区政务服务管理办公室 2020 (seed 002), in 万元
WULONG_GP = [
    ("2010301", "386.76", "400.91", "400.91", "0", "360.00", "年中新增3名工作人员，工资福利支出相应增加"),
    ("2010302", "106.78", "106.78", "0", "106.78", "141.27", ""),
    ("2080505", "35.20", "36.50", "36.50", "0", "33.00", "新增人员的养老保险缴费"),
    ("2080506", "12.54", "12.76", "12.76", "0", "11.80", "新增人员的职业年金缴费"),
    ("2101101", "25.52", "25.52", "25.52", "0", "29.00", ""),
    ("2210201", "23.57", "23.57", "23.57", "0", "23.50", ""),
]
_WULONG_PROJECTS = [
    ("采购、工程、交易费用", "42", "35.33", "部分交易系统维护费用按实际发生结算"),
    ("电子招投标系统配置经费", "7.2", "7.2", ""), ("行政服务中心“快递跑”业务经费", "5", "5", ""),
    ("行政服务中心大厅日常运行费用", "25", "24.25", "大厅日常运行节约开支"),
    ("阳光政务114热线网络运行费用", "31", "30", "网络运行费用按合同结算有结余"), ("优化营商环境经费", "5", "5", ""),
]
WULONG = {
    "info": {
        "name": "重庆市武隆区政务服务管理办公室", "short_name": "区政务办", "code": "500156001", "unit_kind": "行政单位",
        "year": 2020, "money_unit": "万元", "contact": "综合科", "phone": "023-00000000", "address": "重庆市武隆区",
        "staff_quota": 30, "staff_actual": 27, "sub_other": 2, "sub_budget_units": 0, "publish_date": "2021年9月",
    },
    "texts": {
        "functions": "\n".join([
            "贯彻执行行政审批、政务服务和工程项目招标投标监督管理的法律法规和政策。",
            "推进简政放权、放管结合、优化服务改革，指导审批权限向基层下放。",
            "推进三级政务服务体系建设，负责区行政服务中心工作人员的日常管理和考核。",
            "负责全区“互联网+政务服务”建设和网上审批平台的运行管理。",
            "负责全区公共资源交易市场建设，监督工程项目招标投标活动。",
        ]),
        "key_work": "\n".join([
            "全年完成各类公共资源交易项目201宗，交易总额32.53亿元。",
            "在工程建设领域全面实施全流程电子招投标。",
            "推进“一窗综办”改革，新建无差别受理综合窗口12个。",
        ]),
        "organisation": "内设综合科、政策法规科、行政审批制度改革科、电子政务科、招投标监督科、督查科。",
        "reception_use": "接待过程中发生的用餐费、住宿费和交通费等",
        "performance_summary": "项目资金使用规范，绩效目标基本完成。",
    },
    "summary": {
        "gp_income": fig("606.04", "598.57"),
        "income_total": fig("606.04", "598.57", "年中新增3名工作人员，工资福利支出增加，部分项目支出减少"),
        "expense_total": fig("606.04", "598.57", "年中新增3名工作人员，工资福利支出增加，部分项目支出减少"),
    },
    "income": income_rows({c: t for c, _b, t, *_ in WULONG_GP}),
    "expense": expense_rows(WULONG_GP),
    "fiscal": {
        "income": {"gp": D("606.04"), "previous": D("598.57"), "reason": "新增工作人员的工资福利支出"},
        "expense": {"gp": D("606.04"), "previous": D("598.57"), "reason": "新增工作人员的工资福利支出"},
    },
    "gp": gp_rows(WULONG_GP),
    "basic": basic_rows({
        "30101": ("120.00", "0"), "30102": ("132.71", "0"), "30103": ("30.00", "0"), "30108": ("36.50", "0"),
        "30109": ("12.76", "0"), "30110": ("25.52", "0"), "30113": ("23.57", "0"),
        "30201": ("0", "20.00"), "30202": ("0", "3.00"), "30205": ("0", "2.50"), "30206": ("0", "12.00"),
        "30207": ("0", "15.00"), "30209": ("0", "25.00"), "30211": ("0", "8.00"), "30215": ("0", "0.26"),
        "30216": ("0", "2.12"), "30217": ("0", "7.39"), "30226": ("0", "10.00"), "30231": ("0", "4.40"),
        "30299": ("0", "8.53"),
    }),
    "three_public": {
        "total": {"budget_reason": "落实中央八项规定精神，严格控制“三公”经费", "reason": "落实中央八项规定精神，严格控制“三公”经费"},
        "abroad": {"budget": D(0), "actual": D(0), "previous": D("2.38"), "reason": "本年度未安排因公出国（境）"},
        "car_purchase": {"budget": D(0), "actual": D(0), "previous": D(0)},
        "car_running": {"budget": D("4.50"), "actual": D("4.40"), "previous": D("2.62"), "reason": "外出考察学习和下乡扶贫次数增加",
                        "budget_reason": "严格控制车辆使用"},
        "car": {"reason": "外出考察学习和下乡扶贫次数增加", "budget_reason": "严格控制车辆使用"},
        "reception": {"budget": D("15.00"), "actual": D("7.39"), "previous": D("15.00"), "reason": "严格控制接待范围和标准",
                      "budget_reason": "严格控制接待范围和标准"},
        "foreign_reception": {"budget": D(0), "actual": D(0), "previous": D(0)},
    },
    "other": {
        "running_cost": {"current": D("118.20"), "previous": D("102.35"), "note": "新增3名工作人员，公用经费相应增加"},
        "meeting": {"current": D("0.26"), "previous": D("0.35"), "note": "减少了部分会议"},
        "training": {"current": D("2.12"), "previous": D("2.31"), "note": "减少了部分培训"},
        "proc_goods": {"current": D("41.97")}, "proc_sme": {"current": D("41.97")}, "proc_micro": {"current": D("20.50")},
        "cars_held": {"current": 1}, "car_emergency": {"current": 1},
        "reception_batches": {"current": 89}, "reception_people": {"current": 753, "note": "外地单位来区学习调研政务服务和公共资源交易"},
    },
    "projects": [
        {"name": n, "department": "区政务办", "implementer": "区行政服务中心", "initial_budget": D(b), "budget": D(b),
         "spent": D(s), "fiscal_budget": D(b), "fiscal_spent": D(s), "has_targets": "是", "monitored": "是",
         "self_assessed": "是", "shortfall_reason": why, "achieved": "项目绩效目标基本完成",
         "problems": "绩效目标设定还不够细化", "measures": "进一步细化量化绩效指标"}
        for n, b, s, why in _WULONG_PROJECTS
    ],
}

# ---------------------------------------------------------------- 益阳市行政审批服务局 2020 (seed 004, 局机关), in 万元
YIYANG_GP = [
    ("2010301", "800.00", "820.00", "820.00", "0", "760.00", "年中增人增资，人员和运转经费相应增加"),
    ("2010302", "100.00", "144.00", "0", "144.00", "130.00", "年中追加大厅综合窗口服务外包等专项工作经费"),
    ("2080505", "60.20", "60.20", "60.20", "0", "56.00", ""),
    ("2101101", "12.30", "12.30", "12.30", "0", "12.00", ""),
    ("2210201", "18.00", "18.00", "18.00", "0", "22.30", ""),
]
YIYANG = {
    "info": {
        "name": "益阳市行政审批服务局", "short_name": "市行政审批服务局", "code": "430900101", "unit_kind": "行政单位",
        "year": 2020, "money_unit": "万元", "contact": "人事（财务）科", "phone": "0737-0000000",
        "staff_quota": 42, "staff_actual": 37, "sub_other": 2, "sub_budget_units": 1, "publish_date": "2021年4月",
    },
    "texts": {
        "functions": "\n".join([
            "组织开展行政审批制度改革、政务管理服务、智慧城市建设和数据资源管理方面的调查研究，拟订政策措施。",
            "统筹推进全市行政审批制度改革，健全权责清单和公共服务事项清单制度。",
            "推进全市政务管理服务体系建设和“互联网+政务服务”工作。",
            "承担市本级政务服务大厅的运行管理。",
            "统筹全市智慧城市建设和大数据发展应用，管理政务数据资源。",
        ]),
        "key_work": "\n".join([
            "“放管服”改革纵深推进，全市办件承诺提速率达69.36%。",
            "推进198个“一件事一次办”事项跨域通办。",
            "基层政务服务“一门式”全覆盖，群众在家门口就近申办10.5万件。",
            "网上政务服务能力不断提升，全程网办业务量超过40万件。",
        ]),
        "organisation": "机关内设7个科室，下辖政务大厅服务中心、市智慧城市和大数据中心、市政务服务热线中心3个二级事业单位。",
        "reception_use": "接待上级部门检查指导和外地单位考察学习",
        "performance_summary": "部门整体支出绩效自评结果为优秀。",
    },
    "summary": {
        "gp_income": fig("1054.50", "980.30"),
        "income_total": fig("1054.50", "980.30", "年中追加“一件事一次办”等专项工作经费"),
        "expense_total": fig("1054.50", "980.30", "年中追加“一件事一次办”等专项工作经费"),
    },
    "income": income_rows({c: t for c, _b, t, *_ in YIYANG_GP}),
    "expense": expense_rows(YIYANG_GP),
    "fiscal": {
        "income": {"gp": D("1054.50"), "previous": D("980.30"), "reason": "年中追加专项工作经费"},
        "expense": {"gp": D("1054.50"), "previous": D("980.30"), "reason": "年中追加专项工作经费"},
    },
    "gp": gp_rows(YIYANG_GP),
    "basic": basic_rows({
        "30101": ("180.00", "0"), "30102": ("150.00", "0"), "30103": ("40.00", "0"), "30108": ("60.20", "0"),
        "30110": ("12.30", "0"), "30113": ("18.00", "0"), "30199": ("20.16", "0"), "30302": ("20.00", "0"),
        "30201": ("0", "15.41"), "30205": ("0", "8.00"), "30206": ("0", "35.00"), "30209": ("0", "180.00"),
        "30211": ("0", "15.26"), "30215": ("0", "0.20"), "30216": ("0", "0.30"), "30217": ("0", "0.30"),
        "30226": ("0", "80.00"), "30228": ("0", "8.00"), "30229": ("0", "12.00"), "30231": ("0", "9.96"),
        "30299": ("0", "45.41"),
    }),
    "three_public": {
        "total": {"budget_reason": "严格执行中央八项规定精神，压缩“三公”经费", "reason": "公务用车下乡指导基层政务服务次数增加"},
        "abroad": {"budget": D(0), "actual": D(0), "previous": D(0)},
        "car_purchase": {"budget": D(0), "actual": D(0), "previous": D(0)},
        "car_running": {"budget": D("14.00"), "actual": D("9.96"), "previous": D("7.58"), "reason": "下乡指导基层政务服务次数增加",
                        "budget_reason": "严格控制车辆使用"},
        "car": {"reason": "下乡指导基层政务服务次数增加", "budget_reason": "严格控制车辆使用"},
        "reception": {"budget": D("7.09"), "actual": D("0.30"), "previous": D("0.11"), "reason": "上级部门检查指导批次增加",
                      "budget_reason": "严格控制接待范围和标准"},
        "foreign_reception": {"budget": D(0), "actual": D(0), "previous": D(0)},
    },
    "other": {
        "running_cost": {"current": D("380.00"), "previous": D("350.00"), "note": "政务大厅运行保障支出增加"},
        "meeting": {"current": D("0.20"), "previous": D("19.85"), "note": "疫情期间会议改为视频方式"},
        "training": {"current": D("0.30"), "previous": D("20.00"), "note": "疫情期间集中培训减少"},
        "proc_goods": {"current": D("35.60")}, "proc_services": {"current": D("98.00")},
        "proc_sme": {"current": D("98.00")}, "proc_micro": {"current": D("60.00")},
        "cars_held": {"current": 2}, "car_other": {"current": 2},
        "reception_batches": {"current": 3}, "reception_people": {"current": 24, "note": "上级部门检查指导政务服务工作"},
    },
    "projects": [
        {"name": "政务大厅综合窗口服务外包", "department": "益阳市行政审批服务局", "implementer": "政务大厅服务中心",
         "initial_budget": D("60"), "budget": D("100"), "spent": D("98"), "fiscal_budget": D("100"), "fiscal_spent": D("98"),
         "has_targets": "是", "monitored": "是", "self_assessed": "是", "shortfall_reason": "12月服务费按合同次年初结算",
         "achieved": "综合窗口无差别受理全面运行", "problems": "年初预算安排不足，需追加预算", "measures": "科学合理编制年初预算"},
        {"name": "税务窗口工作人员经费", "department": "益阳市行政审批服务局", "implementer": "益阳市行政审批服务局",
         "initial_budget": D("40"), "budget": D("46"), "spent": D("46"), "fiscal_budget": D("46"), "fiscal_spent": D("46"),
         "has_targets": "是", "monitored": "是", "self_assessed": "是", "achieved": "保障税务窗口正常运转",
         "problems": "经费标准有待明确", "measures": "按实际工作量核定经费"},
    ],
}

YIYANG["info"].update({"sub_other": 3, "sub_budget_units": 3})


def small_unit(name: str, code: str, gp: list[tuple], basic: dict, prev_reason: str, three: dict, other: dict,
               projects: list[dict], texts: dict) -> dict:
    """A subordinate unit in 万元 whose income is all 一般公共预算 and has no balances: tables built from its 05 rows."""
    total = sum(D(t) for _c, _b, t, *_ in gp)
    previous = sum(D(p) for *_, p, _r in gp)
    return {
        "info": {"name": name, "short_name": name.removeprefix("益阳市"), "code": code, "parent_code": "430900101",
                 "unit_kind": "其他事业单位", "year": 2020, "money_unit": "万元", "publish_date": "2021年4月"},
        "texts": texts,
        "summary": {"gp_income": fig(total, previous), "income_total": fig(total, previous, prev_reason),
                    "expense_total": fig(total, previous, prev_reason)},
        "income": income_rows({c: t for c, _b, t, *_ in gp}),
        "expense": expense_rows(gp),
        "fiscal": {"income": {"gp": total, "previous": previous, "reason": prev_reason},
                   "expense": {"gp": total, "previous": previous, "reason": prev_reason}},
        "gp": gp_rows(gp),
        "basic": basic_rows(basic),
        "three_public": three,
        "other": other,
        "projects": projects,
    }


def _project(name: str, budget: str, spent: str, implementer: str, why: str = "") -> dict:
    return {"name": name, "department": "益阳市行政审批服务局", "implementer": implementer, "initial_budget": D(budget),
            "budget": D(budget), "spent": D(spent), "fiscal_budget": D(budget), "fiscal_spent": D(spent),
            "has_targets": "是", "monitored": "是", "self_assessed": "是", "shortfall_reason": why,
            "achieved": "项目绩效目标基本完成", "problems": "绩效指标量化程度不高", "measures": "细化量化绩效指标"}


_NO_THREE = {k: {"budget": D(0), "actual": D(0), "previous": D(0)}
             for k in ("abroad", "car_purchase", "car_running", "reception", "foreign_reception")}

HALL = small_unit(
    "益阳市政务大厅服务中心", "430900102",
    [("2010350", "62.00", "62.00", "62.00", "0", "58.00", ""), ("2010399", "30.00", "30.00", "0", "30.00", "25.00", ""),
     ("2080505", "9.00", "9.00", "9.00", "0", "8.50", ""), ("2101102", "3.00", "3.00", "3.00", "0", "2.80", ""),
     ("2210201", "6.00", "6.00", "6.00", "0", "5.70", "")],
    {"30101": ("30.00", "0"), "30102": ("20.00", "0"), "30108": ("9.00", "0"), "30110": ("3.00", "0"),
     "30113": ("6.00", "0"), "30201": ("0", "4.00"), "30206": ("0", "6.00"), "30299": ("0", "2.00")},
    "大厅窗口延时服务增加运行保障支出", _NO_THREE, {"proc_services": {"current": D("12.00")}},
    [_project("政务大厅日常运行保障", "30", "30", "益阳市政务大厅服务中心")],
    {"functions": "承担市本级政务服务大厅的日常运行和窗口服务保障。\n负责进驻大厅工作人员的日常考勤和服务评价。",
     "key_work": "推行周末和节假日延时服务。\n完成大厅综合窗口改造。"},
)
DATA_CENTER = small_unit(
    "益阳市智慧城市和大数据中心", "430900103",
    [("2010350", "105.00", "105.00", "105.00", "0", "100.00", ""),
     ("2010399", "65.00", "60.61", "0", "60.61", "54.00", "部分平台运维服务按进度结算"),
     ("2080505", "14.50", "14.50", "14.50", "0", "13.80", ""), ("2101102", "5.18", "5.18", "5.18", "0", "5.00", ""),
     ("2210201", "8.00", "8.00", "8.00", "0", "7.40", "")],
    {"30101": ("45.00", "0"), "30102": ("25.00", "0"), "30107": ("10.00", "0"), "30108": ("14.50", "0"),
     "30110": ("5.18", "0"), "30113": ("8.00", "0"), "30201": ("0", "5.00"), "30209": ("0", "12.00"),
     "30211": ("0", "3.00"), "30299": ("0", "5.00")},
    "智慧城市平台运维支出增加",
    {**_NO_THREE, "reception": {"budget": D("0.50"), "actual": D("0.20"), "previous": D("0.30"),
                                "reason": "严格控制接待范围和标准", "budget_reason": "严格控制接待范围和标准"},
     "total": {"budget_reason": "严格控制接待范围和标准", "reason": "严格控制接待范围和标准"}},
    {"proc_services": {"current": D("40.00")}, "proc_sme": {"current": D("40.00")}, "proc_micro": {"current": D("20.00")},
     "reception_batches": {"current": 2}, "reception_people": {"current": 11, "note": "外地单位考察智慧城市建设"}},
    [_project("智慧城市平台运行维护", "65", "60.61", "益阳市智慧城市和大数据中心", "部分平台运维服务按进度结算")],
    {"functions": "承担全市智慧城市和大数据平台的建设与运行维护。\n承担政务数据资源的汇聚、共享和开放。",
     "key_work": "建成政务信息资源共享交换平台。\n完成智慧城市运行平台运维。"},
)
HOTLINE = small_unit(
    "益阳市政务服务热线中心", "430900104",
    [("2010350", "31.00", "31.00", "31.00", "0", "29.00", ""), ("2010399", "15.00", "15.00", "0", "15.00", "14.50", ""),
     ("2080505", "4.50", "4.50", "4.50", "0", "4.20", ""), ("2101102", "1.50", "1.50", "1.50", "0", "1.40", ""),
     ("2210201", "3.00", "3.00", "3.00", "0", "2.90", "")],
    {"30101": ("15.00", "0"), "30102": ("10.00", "0"), "30108": ("4.50", "0"), "30110": ("1.50", "0"),
     "30113": ("3.00", "0"), "30201": ("0", "2.00"), "30207": ("0", "3.00"), "30299": ("0", "1.00")},
    "热线坐席服务量增加", _NO_THREE, {},
    [_project("12345热线坐席服务", "15", "15", "益阳市政务服务热线中心")],
    {"functions": "承担12345政务服务便民热线的受理、转办和回访。", "key_work": "全年受理群众来电诉求并按时办结。"},
)

SAMPLES = {
    "广元市利州区行政审批局_2020.xlsx": LIZHOU,
    "重庆市武隆区政务服务管理办公室_2020.xlsx": WULONG,
}
DEPARTMENT = ("益阳市行政审批服务局（部门）", {
    "本级_益阳市行政审批服务局_2020.xlsx": YIYANG,
    "益阳市政务大厅服务中心_2020.xlsx": HALL,
    "益阳市智慧城市和大数据中心_2020.xlsx": DATA_CENTER,
    "益阳市政务服务热线中心_2020.xlsx": HOTLINE,
})


def main() -> None:
    for name, values in SAMPLES.items():
        print(write_workbook(ROOT / name, values=values, overwrite=True))
    folder, books = DEPARTMENT
    for name, values in books.items():
        print(write_workbook(ROOT / folder / name, values=values, overwrite=True))


if __name__ == "__main__":
    main()
