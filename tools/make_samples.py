"""Build the sample workbooks in data_samples/ from the figures below (published figures of the seeds,
made consistent where the published documents contradict themselves).

Run: python tools/make_samples.py   (rewrites data_samples/*.xlsx)
类 and 款 rows are summed from the 项 rows here, so the tables agree with each other by construction.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from generator.workbook.blank import write_workbook

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
    "212": "城乡社区支出", "21208": "国有土地使用权出让收入安排的支出",
    "2120899": "其他国有土地使用权出让收入安排的支出",
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


# ---------------------------------------------------------------- 绩效: indicators, scoring grid, evaluators
def indicators(project: str, rows: list[tuple]) -> list[dict]:
    """rows: (一级, 二级, 三级, 方向, 年度指标值, 实际完成值, 分值, 得分 or None, 偏差原因); blank levels continue."""
    return [{"project": project, "level1": l1, "level2": l2, "level3": l3, "direction": d, "target": t, "actual": a,
             "weight": D(w), "score": None if sc is None else D(sc), "reason": why}
            for l1, l2, l3, d, t, a, w, sc, why in rows]


def standard_project(project: str, count: tuple[str, str, str, str], quality: str, people: str, satisfaction: str,
                     late: str = "") -> list[dict]:
    """Seven indicators worth 90 points (budget execution brings the other 10), the quantitative ones scored from
    their values. count: (三级指标, 目标数, 完成数, 计量单位)."""
    name, goal, done, unit = count
    short = D(done) < D(goal)
    return indicators(project, [
        ("产出指标", "数量指标", name, "≥", f"≥{goal}{unit}", f"{done}{unit}", "20", None, "部分工作受疫情影响延后" if short else ""),
        ("", "质量指标", quality, "=", "=100%", "100%", "20", None, ""),
        ("", "时效指标", "按计划时间完成", "定性", "按时完成", "基本按时完成" if late else "按时完成", "10",
         "9" if late else "10", late),
        ("", "成本指标", "项目支出控制在预算内", "定性", "不超预算", "未超预算", "10", "10", ""),
        ("效益指标", "社会效益指标", people, "定性", "明显提升", "明显提升", "15", "15", ""),
        ("", "可持续影响指标", "长效服务机制运行", "定性", "持续运行", "持续运行", "5", "5", ""),
        ("满意度指标", "服务对象满意度指标", satisfaction, "≥", "≥95%", "98.5%", "10", None, ""),
    ])


def department_indicators(rows: list[tuple]) -> list[dict]:
    return indicators("部门整体", rows)


GRID_STANDARD = [
    ("投入", "预算配置", "财政供养人员控制率", "在职人员控制率≤100%得满分，每超过一个百分点扣0.5分", "5"),
    ("", "", "“三公经费”变动率", "“三公经费”变动率≤0得满分，每增加一个百分点扣0.5分", "5"),
    ("", "", "重点支出安排率", "≥90%得满分；80%（含）-90%得4分；70%（含）-80%得3分；低于70%不得分", "5"),
    ("过程", "预算执行", "预算调整率", "预算调整率为0得满分；每增加10个百分点扣1分", "3"),
    ("", "", "支付进度", "按进度下达和支付资金得满分；每出现一项未按进度扣0.5分", "3"),
    ("", "", "资金结余", "无结余得满分；结余不超过上年结转得2分；超过不得分", "3"),
    ("", "", "“三公经费”控制率", "控制率≤100%得满分；每超过一个百分点扣1分", "6"),
    ("", "预算管理", "管理制度健全性", "制度健全、合规并有效执行各得1分", "3"),
    ("", "", "资金使用合规性", "每出现一例不合规扣1分", "3"),
    ("", "", "预决算信息公开性和完善性", "按规定内容、时限公开，数据真实完整准确", "3"),
    ("", "", "政府采购执行率", "执行率100%得满分；每减少一个百分点扣0.2分", "3"),
    ("", "", "公务卡刷卡率", "刷卡率达到规定比例得满分；每减少一个百分点扣0.2分", "3"),
    ("", "资产管理", "管理制度健全性", "制度健全合规得2分，有效执行得1分", "3"),
    ("", "", "资产管理安全性", "资产完整、配置合理、处置规范、账实相符，每出现一例不符扣1分", "4"),
    ("", "", "固定资产利用率", "每低于100%一个百分点扣0.1分", "3"),
    ("产出", "职责履行", "年度工作目标完成情况", "按年度目标任务完成程度计分", "10"),
    ("", "", "重点工作任务完成情况", "按重点工作完成程度计分", "10"),
    ("", "", "其他工作实绩", "按其他工作实绩完成情况计分", "5"),
    ("效果", "履职效益", "经济效益", "结合部门职能评价履职带来的经济效益", "5"),
    ("", "", "社会效益", "结合部门职能评价履职带来的社会效益", "5"),
    ("", "", "生态效益", "结合部门职能评价履职带来的生态效益", "5"),
    ("", "", "社会公众或服务对象满意度", "95%（含）以上得满分；85%（含）-95%得3分；75%（含）-85%得1分", "5"),
]


def grid(deductions: dict[str, tuple[str, str]]) -> list[dict]:
    """The scoring grid with full marks except where a deduction (三级指标 → (得分, 原因)) is given."""
    out = []
    for l1, l2, l3, standard, weight in GRID_STANDARD:
        score, why = deductions.get(l3, (weight, ""))
        out.append({"level1": l1, "level2": l2, "level3": l3, "standard": standard, "weight": D(weight),
                    "score": D(score), "reason": why})
    return out


def evaluators(unit: str, people: list[tuple[str, str]]) -> list[dict]:
    return [{"name": n, "title": t, "unit": unit} for n, t in people]


def assessment_texts(short: str, year: int, work: str) -> dict[str, str]:
    """The narrative a self-assessment needs, in the sample's own words."""
    return {
        "dept_target": "\n".join([f"保障{short}机构正常运转和各项职能履行", f"完成{year}年度{work}等重点工作", "预算执行率达到90%以上"]),
        "dept_achieved": "\n".join([f"{short}各项工作有序运转，人员和公用经费足额保障", f"{work}等重点工作按计划完成",
                                     "预算执行进度符合要求，资金使用规范"]),
        "spending_use": "整体支出主要用于保障人员工资福利、机关日常运转和政务服务专项工作。",
        "project_funds": "专项资金实行专款专用、分项核算，按工作进度和合同约定支付，未发现挤占挪用。",
        "budget_management": "成立预算绩效管理工作小组，年初分解绩效目标，执行中开展绩效监控，严格按批复预算支出。",
        "fulfilment": f"{year}年，{short}围绕年度目标履职尽责，{work}等工作取得实效，部门整体支出绩效目标基本实现。",
        "result_use": "自评结果在单位内部通报，并作为下一年度预算编制和项目安排的依据，按规定向社会公开。",
        "conclusion": f"{short}{year}年度部门整体支出管理规范，预算执行较好，绩效目标基本完成。",
        "problems": "\n".join(["项目预算编制的精准性有待提高，年中追加调整较多", "部分绩效指标量化程度不够"]),
        "suggestions": "\n".join(["提高预算编制的科学性，结合上年执行情况合理测算", "细化量化绩效指标，加强绩效监控结果运用"]),
        "special_organisation": f"{short}成立专项资金管理工作小组，专项资金的安排和大额支出经领导班子集体研究，分管领导审核、主要负责人审批。",
        "special_management": "各专项明确资金责任人，实行专款专用、分项核算，财务部门对资金使用全程监督，按季度通报执行进度。",
        "frugality": "\n".join(["严格执行中央八项规定及实施细则精神，从严控制“三公”经费、会议费和培训费",
                                 "全面推行公务卡结算，大额支出集体决策，政府采购依法依规实施"]),
    }


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
        "unit_kind": "行政单位", "year": 2020, "money_unit": "元", "contact": "财务股",
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
        "year": 2020, "money_unit": "万元", "contact": "综合科", "phone": "023-77820755", "address": "重庆市武隆区",
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
        "year": 2020, "money_unit": "万元", "contact": "人事（财务）科",
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

def dept_rows(work: str, satisfaction: str = "99%") -> list[dict]:
    """部门整体 indicators worth 90 points (the 自评表 adds 10 for budget execution)."""
    return department_indicators([
        ("产出指标", "数量指标", "年度重点工作任务完成数", "≥", "≥6项", "6项", "15", None, ""),
        ("", "质量指标", "服务事项按时办结率", "=", "=100%", "100%", "15", None, ""),
        ("", "时效指标", f"{work}按期完成", "定性", "按期完成", "按期完成", "10", "10", ""),
        ("", "成本指标", "部门支出控制在预算内", "定性", "不超预算", "未超预算", "10", "10", ""),
        ("效益指标", "经济效益指标", "企业和群众办事成本", "定性", "明显降低", "明显降低", "10", "10", ""),
        ("", "社会效益指标", "政务服务便利度", "定性", "明显提升", "明显提升", "10", "10", ""),
        ("", "生态效益指标", "无纸化办理比例", "≥", "≥60%", "57%", "10", None, "部分事项仍需提交纸质材料"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", "≥95%", satisfaction, "10", None, ""),
    ])


def with_assessment(unit: dict, work: str, people: list[tuple[str, str]], deductions: dict, composition: str,
                    budget: tuple[str, str], project_rows: list[dict], staff: dict, extra_texts: dict | None = None) -> dict:
    """A sample unit given everything the 绩效 layouts read: texts, indicators, scoring grid, evaluators."""
    info = unit["info"]
    short = info.get("short_name") or info["name"]
    unit["info"] = {**info, **staff, "evaluation_date": info.get("evaluation_date", f"{info['year'] + 1}年3月26日")}
    unit["texts"] = {**unit["texts"], **assessment_texts(short, info["year"], work), "composition": composition,
                     "reform": f"{short}本年度未涉及机构改革，机构设置和人员编制保持稳定。", **(extra_texts or {})}
    unit["indicators"] = project_rows + dept_rows(work)
    unit["grid"] = grid(deductions)
    unit["evaluators"] = evaluators(short, people)
    unit["other"] = {**unit["other"], "dept_initial_budget": {"current": D(budget[0])}, "dept_budget": {"current": D(budget[1])}}
    for p in unit["projects"]:
        p.setdefault("summary", f"{p['name']}经批准列入{info['year']}年部门预算，由{p.get('implementer') or short}组织实施。")
        p.setdefault("decision", "项目立项依据充分，绩效目标明确，资金分配与年度工作任务相匹配。")
        p.setdefault("management", "项目资金专款专用，支付程序规范，无挤占、挪用。")
    return unit


_GRID_FULL: dict = {}
with_assessment(
    LIZHOU, "政务服务“一网通办”", [("何建", "局长"), ("刘芳", "副局长"), ("赵磊", "财务股股长")],
    {"公务卡刷卡率": ("2", "公务卡使用范围尚未全面覆盖"), "资金结余": ("2", "部分项目资金结转下年使用")},
    "广元市利州区行政审批局为区政府工作部门，内设办公室、审批服务股、政务服务股等股室，下属区政务服务和公共资源交易中心1个事业单位。",
    ("8969400", "9020500"),  # in 元, like the rest of this workbook; 年初 = the 05 预算数
    standard_project("政务大厅和乡镇便民服务中心一体化平台网络费", ("联网乡镇（街道）", "12", "12", "个"), "网络运行正常率",
                     "群众办事便利度", "群众满意度", late="12月网络费次年初结算")
    + standard_project("“一窗进出”并联审批服务", ("综合窗口受理件", "300", "326", "件"), "受理事项办结率", "企业办事便利度", "企业满意度")
    + standard_project("全省一体化政务服务平台延伸到村（社区）专项", ("覆盖村（社区）", "60", "58", "个"), "平台联通率",
                       "基层办事便利度", "群众满意度")
    + standard_project("政务大厅和乡镇便民服务中心网络费", ("保障网络线路", "20", "20", "条"), "网络畅通率", "网上办事便利度",
                       "群众满意度", late="第四季度网络费次年初结算"),
    {"staff_civil_servants": 9, "staff_workers": 1, "staff_retired": 1},
)
LIZHOU["other"].update({"assets_in_use": {"current": D("1860000")}, "office_cost": {"current": D("42000"), "previous": D("39000")},
                        "utilities_travel": {"current": D("39000"), "previous": D("35500")}})

with_assessment(
    WULONG, "公共资源交易和“一窗综办”", [("陈伟", "主任"), ("周敏", "副主任"), ("吴强", "综合科科长")],
    {"政府采购执行率": ("2", "部分小额采购未纳入政府采购计划"), "社会公众或服务对象满意度": ("4", "个别办事群众对等候时间不满意")},
    "区政务服务管理办公室为正处级行政单位，区行政服务中心、区公共资源综合交易中心纳入其管理。",
    ("590.38", "606.04"),
    [row for n, b, sp, _ in _WULONG_PROJECTS for row in standard_project(
        n, ("完成服务事项", "100", "120", "件"), "服务事项合规率", "营商环境改善", "服务对象满意度")],
    {"staff_civil_servants": 12, "staff_institution": 15},
    {"reform": "根据区级机构改革方案，区政务服务管理办公室为新组建的正处级行政单位，区行政服务中心、区公共资源综合交易中心由其管理，"
               "3个单位现有职工27人。"},
)
for p in WULONG["projects"]:
    p["target"] = f"保障{p['name'].removesuffix('费用').removesuffix('经费')}工作正常开展，服务质量和效率持续提升。"

with_assessment(
    YIYANG, "“一件事一次办”跨域通办", [("杨帆", "局长"), ("郭静", "副局长"), ("邓超", "人事（财务）科科长")],
    {"预算调整率": ("2", "年中追加专项工作经费，预算调整较大")},
    "益阳市行政审批服务局机关内设7个科室，下辖政务大厅服务中心、市智慧城市和大数据中心、市政务服务热线中心3个二级事业单位。",
    ("990.50", "1100.00"),  # 年初预算数 = the 05 预算数
    standard_project("政务大厅综合窗口服务外包", ("综合窗口受理业务", "5", "5.1", "万笔"), "无差别受理事项覆盖率", "群众办事便利度",
                     "群众满意度")
    + standard_project("税务窗口工作人员经费", ("窗口工作人员", "10", "10", "人"), "窗口服务规范率", "纳税人办事便利度", "纳税人满意度"),
    {"staff_civil_servants": 30, "staff_institution": 5, "staff_workers": 2, "staff_retired": 4},
    {"other_notes": "12月30日收到的“一件事一次办”专项经费处于关账期，未能支付，结转下年使用。"},
)
for unit, work in ((HALL, "大厅延时服务"), (DATA_CENTER, "智慧城市平台运维"), (HOTLINE, "热线诉求办理")):
    short = unit["info"]["short_name"]
    with_assessment(unit, work, [("孙丽", "主任"), ("马骏", "副主任")], {},
                    f"{unit['info']['name']}为益阳市行政审批服务局所属事业单位。",
                    (str(sum(r["budget"] for r in unit["gp"] if len(r["code"]) == 3)),  # 年初 = the 05 预算数
                     str(unit["summary"]["income_total"]["current"])),
                    [row for p in unit["projects"] for row in standard_project(
                        p["name"], ("完成服务任务", "100", "100", "%"), "服务质量达标率", "群众办事便利度", "群众满意度")],
                    {"staff_quota": 8, "staff_actual": 8, "staff_institution": 8})

# ---------------------------------------------------------------- 岳阳市君山区行政审批服务局 2020 (seed 001), in 万元
JUNSHAN_GP = [
    ("2010301", "108.00", "108.00", "108.00", "0", "100.50", ""),
    ("2010302", "330.00", "290.40", "0", "290.40", "240.00", "新大厅智能化设备尚未全部验收付款"),
    ("2010399", "100.00", "100.00", "0", "100.00", "90.00", ""),
    ("2080505", "12.00", "12.00", "12.00", "0", "11.20", ""),
    ("2101101", "6.36", "6.36", "6.36", "0", "6.00", ""),
    ("2210201", "9.00", "9.00", "9.00", "0", "8.80", ""),
]
JUNSHAN_FUND = [("2120899", "797.60", "600.00", "0", "600.00", "524.00", "新大厅建设工程尚未完工，余款结转下年")]
JUNSHAN = {
    "info": {
        "name": "岳阳市君山区行政审批服务局", "short_name": "区行政审批服务局", "code": "430611101", "unit_kind": "行政单位",
        "year": 2020, "money_unit": "万元", "contact": "刘为", "phone": "0730-8177768", "staff_quota": 18, "staff_actual": 38,
        "sub_other": 2, "sub_budget_units": 0, "publish_date": "2021年5月", "evaluation_date": "2021年4月20日",
    },
    "texts": {
        "functions": "\n".join([
            "承担全区行政审批制度改革的组织协调和指导工作。",
            "负责全区政务公开、政务服务和电子政务、政府门户网站的管理。",
            "负责“12345”热线和市（区）长信箱的办理工作。",
            "指导镇（街道）便民服务中心、村（社区）便民服务平台建设。",
            "组织协调行政审批的现场勘查工作。",
        ]),
        "key_work": "\n".join([
            "推进“三集中、三到位”改革，16家单位启用行政审批专用章。",
            "优化政务服务，设立工改、公用报装、复工复产等综合窗口。",
            "实现基层公共服务（一门式）全覆盖。",
            "提升政务公开水平，全年主动公开政府信息23709条。",
            "12345热线工单办结率100%，按期办结率99.95%。",
            "优化营商环境，推行“好差评”制度。",
        ]),
        "organisation": "内设办公室、优化办、行政审批制度改革股、政务公开股、政务服务股、电子政务办、热线办7个股室。",
        "reception_use": "接待上级部门检查指导和外地单位考察学习",
        "basic_adjustment": "年中未追加或调减基本支出预算，基本支出按年初预算执行。",
        "building_control": "本年无完工的楼堂馆所项目；新政务大厅建设工程尚未完工，投资控制在批复概算以内。",
        "key_evaluation": "区财政局对新政务大厅建设项目开展了重点绩效评价，提出的合同管理问题已整改到位。",
        "self_report": "“12345”热线工单办理案例：通过“接诉即办、限时回访”机制，全年工单按期办结率99.95%。",
    },
    "summary": {
        "gp_income": fig("797.73", "720.00"), "fund_income": fig("797.60", "600.00"),
        "income_total": fig("1595.33", "1320.00", "新大厅建设安排政府性基金预算资金"),
        "expense_total": fig("1125.76", "980.50", "新大厅建设工程和政务服务专项支出增加"),
        "closing_balance": fig("469.57", "339.50", ""),  # last year: 1320.00 received, 980.50 spent
    },
    "income": rollup({**{c: {"total": D(t), "fiscal": D(t)} for c, t in (
        ("2010301", "108.00"), ("2010302", "562.37"), ("2010399", "100.00"), ("2080505", "12.00"), ("2101101", "6.36"),
        ("2210201", "9.00"))}, "2120899": {"total": D("797.60"), "fiscal": D("797.60")}}),
    "expense": expense_rows(JUNSHAN_GP + JUNSHAN_FUND),
    "fiscal": {
        "income": {"gp": D("797.73"), "fund": D("797.60"), "previous": D("1320.00"), "reason": "新大厅建设安排政府性基金预算资金"},
        "expense": {"gp": D("525.76"), "fund": D("600.00"), "previous": D("980.50"), "reason": "新大厅建设工程和政务服务专项支出增加"},
        "closing": {"gp": D("271.97"), "fund": D("197.60"), "previous": D("339.50")},
    },
    "gp": gp_rows(JUNSHAN_GP),
    "fund": gp_rows(JUNSHAN_FUND),
    "basic": basic_rows({
        "30101": ("40.00", "0"), "30102": ("30.00", "0"), "30107": ("15.17", "0"), "30108": ("12.00", "0"),
        "30110": ("6.36", "0"), "30113": ("9.00", "0"), "30201": ("0", "5.00"), "30206": ("0", "3.00"),
        "30211": ("0", "2.18"), "30228": ("0", "4.00"), "30231": ("0", "8.65"),
    }),
    "three_public": {
        "total": {"budget_reason": "严格控制公务接待和公务用车支出", "reason": "严格执行中央八项规定精神"},
        "abroad": {"budget": D(0), "actual": D(0), "previous": D(0)},
        "car_purchase": {"budget": D(0), "actual": D(0), "previous": D(0)},
        "car_running": {"budget": D("9.00"), "actual": D("8.65"), "previous": D("9.20"), "budget_reason": "严格控制车辆使用"},
        "car": {"budget_reason": "严格控制车辆使用"},
        "reception": {"budget": D("10.00"), "actual": D("8.00"), "previous": D("12.50"), "reason": "严格控制接待范围和标准",
                      "budget_reason": "严格控制接待范围和标准"},
        "foreign_reception": {"budget": D(0), "actual": D(0), "previous": D(0)},
    },
    "other": {
        "running_cost": {"current": D("20.50"), "previous": D("19.80")},
        "proc_goods": {"current": D("48.00")}, "proc_works": {"current": D("600.00")},
        "proc_sme": {"current": D("600.00")}, "proc_micro": {"current": D("48.00")},
        "cars_held": {"current": 1}, "car_other": {"current": 1},
        "reception_batches": {"current": 40}, "reception_people": {"current": 320, "note": "外地单位来区考察政务服务改革"},
        "assets_in_use": {"current": D("482.02")},
        "office_cost": {"current": D("5.00"), "previous": D("4.60")},
        "utilities_travel": {"current": D("5.18"), "previous": D("5.00")},
    },
    "projects": [
        {"name": "政务服务中心新大厅建设", "department": "岳阳市君山区行政审批服务局", "implementer": "区政务中心",
         "budget": D("797.60"), "spent": D("600.00"), "fiscal_budget": D("797.60"), "fiscal_spent": D("600.00"),
         "previous": D("524.00"), "has_targets": "是", "monitored": "是", "self_assessed": "是",
         "target": "完成新政务大厅主体装修和智能化建设。", "achieved": "新大厅主体装修完成，智能化设备陆续安装",
         "shortfall_reason": "工程尚未完工，余款结转下年支付", "problems": "工程进度受疫情影响", "measures": "加快工程结算和验收"},
        {"name": "政府门户网站和电子政务外网运行", "department": "岳阳市君山区行政审批服务局", "implementer": "电子政务办",
         "budget": D("120.00"), "spent": D("118.40"), "previous": D("110.00"), "has_targets": "是", "monitored": "是",
         "self_assessed": "是", "target": "保障门户网站和电子政务外网安全稳定运行。", "achieved": "网站和外网全年安全运行",
         "shortfall_reason": "部分运维费用按合同次年结算", "problems": "网络安全防护能力有待加强", "measures": "加强网络安全等级保护"},
        {"name": "政务服务专项经费", "department": "岳阳市君山区行政审批服务局", "implementer": "区政务中心",
         "budget": D("180.00"), "spent": D("172.00"), "previous": D("150.00"), "has_targets": "是", "monitored": "是",
         "self_assessed": "是", "target": "推进“一窗受理、集成服务”，实现基层公共服务全覆盖。", "achieved": "无差别受理审批业务1843件",
         "shortfall_reason": "评价器采购价格低于预算", "problems": "镇村窗口人员业务能力参差不齐", "measures": "加强镇村窗口人员培训"},
        {"name": "二级机构工作经费", "department": "岳阳市君山区行政审批服务局", "implementer": "区政务中心、现场勘查中心",
         "budget": D("100.00"), "spent": D("100.00"), "previous": D("96.00"), "has_targets": "是", "monitored": "是",
         "self_assessed": "是", "target": "保障二级机构正常运转。", "achieved": "二级机构工作正常开展",
         "problems": "经费标准偏低", "measures": "按实际工作量合理核定经费"},
    ],
}
with_assessment(
    JUNSHAN, "“三集中、三到位”改革", [("朱立", "局长"), ("杨芳", "副局长"), ("张森", "政务中心副主任"), ("李进", "政务中心主任")],
    {"政府采购执行率": ("2", "政府采购暂未全面覆盖"), "公务卡刷卡率": ("2", "公务卡刷卡率未达到规定比例"),
     "资产管理安全性": ("3", "资产清查不够全面")},
    "区行政审批服务局成立于2019年3月，为区人民政府组成部门，下设区政务中心和现场勘查中心2个副科级事业单位，内设7个股室。",
    ("1362.96", "1595.33"),  # 年初预算数 = the 05 and 08 预算数
    standard_project("政务服务中心新大厅建设", ("完成装修面积", "3000", "2600", "平方米"), "工程质量验收合格率", "群众办事环境",
                     "群众满意度", late="工程受疫情影响延期")
    + standard_project("政府门户网站和电子政务外网运行", ("网站信息发布", "20000", "23709", "条"), "网络安全事件发生率为零的月份占比",
                       "政务公开水平", "网站用户满意度")
    + standard_project("政务服务专项经费", ("无差别受理审批业务", "1500", "1843", "件"), "审批事项办结率", "企业群众办事效率",
                       "服务对象满意度")
    + standard_project("二级机构工作经费", ("保障二级机构", "2", "2", "个"), "机构运转保障率", "机构履职能力", "干部职工满意度"),
    {"staff_civil_servants": 12, "staff_institution": 20, "staff_workers": 6},
    {"dept_target": "\n".join(["持续提升政务公开水平", "12345热线工作创先争优", "优化营商环境稳居一流"]),
     "dept_achieved": "\n".join(["全年主动公开政府信息23709条", "热线工单办结率100%，按期办结率99.95%",
                                  "全年收到服务评价34874条，满意率99.97%"])},
)

# ---------------------------------------------------------------- 乐山市金口河区行政审批局 2024 (seed 003), in 万元
_JKH_PROJECTS = [
    ("政务大厅运行保障", "10.00", "9.80", "部分水电费次年初结算"), ("公共资源交易平台运维", "6.00", "6.00", ""),
    ("一体化政务服务平台运维", "5.00", "4.95", "运维服务按合同结算有结余"), ("“高效办成一件事”推进", "4.00", "4.00", ""),
    ("惠企政策专窗建设", "3.00", "2.90", "设备采购价格低于预算"), ("乡镇便民服务中心业务指导", "3.00", "3.00", ""),
    ("政务服务宣传", "4.00", "3.90", "宣传品印制费用节约"),
]
JINKOUHE_GP = [
    ("2010301", "300.00", "300.00", "300.00", "0", "292.00", ""),
    ("2010302", "35.00", "34.55", "0", "34.55", "36.00", "部分项目按合同结算有结余"),
    ("2010350", "75.00", "75.00", "75.00", "0", "72.00", ""),
    ("2080505", "32.00", "32.00", "32.00", "0", "31.00", ""),
    ("2080506", "6.00", "6.00", "6.00", "0", "5.80", ""),
    ("2101101", "9.10", "9.10", "9.10", "0", "8.50", ""),
    ("2210201", "11.00", "11.00", "11.00", "0", "7.00", ""),
]
JINKOUHE = {
    "info": {
        "name": "乐山市金口河区行政审批局", "short_name": "区行政审批局", "code": "511113101", "unit_kind": "行政单位",
        "year": 2024, "money_unit": "万元", "contact": "办公室", "staff_quota": 22, "staff_actual": 20,
        "sub_other": 2, "sub_budget_units": 0, "publish_date": "2025年9月", "evaluation_date": "2025年3月26日",
    },
    "texts": {
        "functions": "\n".join([
            "贯彻落实行政审批制度改革决策部署，健全完善相关工作机制。",
            "拟订优化行政审批便民服务的政策措施并组织实施。",
            "组织受理、办理行政审批事项和其他政务服务事项，开展重大投资项目代办和并联审批。",
            "负责一体化政务服务平台的日常管理和电子监察。",
            "为公共资源交易活动提供场所、设施和服务，承担交易信息发布和现场管理。",
        ]),
        "key_work": "\n".join([
            "推进“高效办成一件事”，13个事项线上线下共办理84112件。",
            "推动惠企政策“直达快享”，认领发布事项164个。",
            "推进“一网通办”，网上可办事项占比98.81%。",
            "规范公共资源交易，政府采购项目全部实行全流程电子化。",
            "推动政务服务“掌上办”“指尖办”。",
        ]),
        "organisation": "内设办公室、行政审批股、公共资源交易中心股。",
        "reception_use": "接待上级部门检查指导",
    },
    "summary": {
        "gp_income": fig("467.65", "452.30"), "income_total": fig("467.65", "452.30", ""),
        "expense_total": fig("467.65", "452.30", ""),
    },
    "income": income_rows({c: t for c, _b, t, *_ in JINKOUHE_GP}),
    "expense": expense_rows(JINKOUHE_GP),
    "fiscal": {
        "income": {"gp": D("467.65"), "previous": D("452.30")},
        "expense": {"gp": D("467.65"), "previous": D("452.30")},
    },
    "gp": gp_rows(JINKOUHE_GP),
    "basic": basic_rows({
        "30101": ("120.00", "0"), "30102": ("95.00", "0"), "30103": ("30.00", "0"), "30107": ("60.00", "0"),
        "30108": ("32.00", "0"), "30109": ("6.00", "0"), "30110": ("9.10", "0"), "30113": ("11.00", "0"),
        "30199": ("10.00", "0"), "30201": ("0", "12.00"), "30205": ("0", "3.00"), "30206": ("0", "10.00"),
        "30207": ("0", "4.00"), "30211": ("0", "8.00"), "30217": ("0", "0.80"), "30228": ("0", "6.00"),
        "30229": ("0", "5.00"), "30231": ("0", "4.00"), "30299": ("0", "7.20"),
    }),
    "three_public": {
        "total": {"budget_reason": "严格执行中央八项规定精神"},
        "abroad": {"budget": D(0), "actual": D(0), "previous": D(0)},
        "car_purchase": {"budget": D(0), "actual": D(0), "previous": D(0)},
        "car_running": {"budget": D("5.00"), "actual": D("4.00"), "previous": D("4.50"), "budget_reason": "严格控制车辆使用",
                        "reason": "公务用车使用次数减少"},
        "car": {"budget_reason": "严格控制车辆使用", "reason": "公务用车使用次数减少"},
        "reception": {"budget": D("1.00"), "actual": D("0.80"), "previous": D("1.10"), "reason": "严格控制接待范围和标准",
                      "budget_reason": "严格控制接待范围和标准"},
        "foreign_reception": {"budget": D(0), "actual": D(0), "previous": D(0)},
    },
    "other": {
        "running_cost": {"current": D("60.00"), "previous": D("58.00")},
        "proc_goods": {"current": D("8.70")}, "proc_services": {"current": D("12.00")},
        "proc_sme": {"current": D("20.70")}, "proc_micro": {"current": D("8.70")},
        "cars_held": {"current": 1}, "car_emergency": {"current": 1},
        "reception_batches": {"current": 6}, "reception_people": {"current": 40, "note": "上级部门检查指导政务服务工作"},
        "assets_in_use": {"current": D("156.30")},
    },
    "projects": [
        {"name": n, "department": "乐山市金口河区行政审批局", "implementer": "区行政审批服务中心", "initial_budget": D(b),
         "budget": D(b), "spent": D(sp), "has_targets": "是", "monitored": "是", "self_assessed": "是", "shortfall_reason": why,
         "target": f"保障{n}工作按计划完成。", "achieved": f"{n}工作按计划完成", "problems": "绩效目标量化程度不高",
         "measures": "细化量化绩效目标"}
        for n, b, sp, why in _JKH_PROJECTS
    ],
}
with_assessment(
    JINKOUHE, "“高效办成一件事”", [("罗军", "局长"), ("冯丽", "副局长"), ("韩雪", "办公室主任")],
    {"资金结余": ("2", "项目资金有少量结余"), "预算调整率": ("2", "年中预算有调整"), "重点支出安排率": ("4", "重点支出安排比例略低"),
     "公务卡刷卡率": ("1", "公务卡刷卡率未达到规定比例")},
    "区行政审批局内设办公室、行政审批股和公共资源交易中心股，下属区行政审批服务中心和区公共资源交易服务中心两个公益一类事业单位。",
    ("468.10", "468.10"),  # 年初预算数 = the 05 预算数
    [row for n, *_ in _JKH_PROJECTS for row in standard_project(
        n, ("完成服务事项", "100", "100", "%"), "服务事项办结率", "企业群众办事便利度", "服务对象满意度")],
    {"staff_civil_servants": 5, "staff_institution": 13, "staff_workers": 2},
)

# Last year's 06 figures by 经济分类 类 (人员经费 = 301 + 303, 公用经费 = the other 类). Seed 002 gives 武隆's
# (人员经费 +26.12万元, 公用经费 +15.85万元); the others are illustrative, in each workbook's money unit.
BASIC_PREVIOUS = {
    "WULONG": {"301": "354.94", "302": "102.35"},
    "LIZHOU": {"301": "1190000", "302": "167210", "303": "52000"},
    "JUNSHAN": {"301": "108.60", "302": "21.95"},
    "JINKOUHE": {"301": "360.20", "302": "58.40"},
    "YIYANG": {"301": "470.00", "302": "395.20", "303": "20.00"},
    "HALL": {"301": "66.00", "302": "11.50"},
    "DATA_CENTER": {"301": "104.00", "302": "24.10"},
    "HOTLINE": {"301": "33.00", "302": "5.80"},
}
for _name, _previous in BASIC_PREVIOUS.items():
    for _row in globals()[_name]["basic"]:
        if _row["code"] in _previous:
            _row["previous"] = D(_previous[_row["code"]])

SAMPLES = {
    "广元市利州区行政审批局_2020.xlsx": LIZHOU,
    "重庆市武隆区政务服务管理办公室_2020.xlsx": WULONG,
    "岳阳市君山区行政审批服务局_2020.xlsx": JUNSHAN,
    "乐山市金口河区行政审批局_2024.xlsx": JINKOUHE,
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
