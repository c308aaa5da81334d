"""A reproducible synthetic data set: N consistent unit workbooks of realistic size (seeded).

Each unit: 30 功能分类 项 rows (with their 类 and 款), 25 经济分类 rows, 5 projects, “三公” spending so that all
seven charts are drawn. The figures obey every consistency rule, so every unit generates.
"""

from __future__ import annotations

import random
from decimal import Decimal as D
from pathlib import Path

from generator.workbook.blank import write_workbook

CLASSES = [("201", "一般公共服务支出"), ("205", "教育支出"), ("208", "社会保障和就业支出"),
           ("210", "卫生健康支出"), ("213", "农林水支出"), ("221", "住房保障支出")]
ECONOMIC = ([("301", f"301{i:02d}", f"工资福利项目{i}") for i in range(1, 11)]
            + [("302", f"302{i:02d}", f"商品和服务项目{i}") for i in range(1, 14)]
            + [("303", f"303{i:02d}", f"对个人和家庭的补助项目{i}") for i in range(1, 3)])


def _money(rng: random.Random, low: int, high: int) -> D:
    return D(rng.randint(low * 100, high * 100)) / 100  # 万元, two decimals


def unit_values(index: int, rng: random.Random) -> dict:
    leaves = []
    for cls, cls_name in CLASSES:
        for k in range(1, 6):  # 6 类 × 5 款 × 1 项 = 30 项
            code = f"{cls}{k:02d}01"
            basic = _money(rng, 5, 120) if k % 2 else D(0)
            project = _money(rng, 3, 90) if not k % 2 or k == 5 else D(0)
            total = basic + project
            budget = total if rng.random() < 0.6 else total + _money(rng, 1, 20)
            leaves.append((code, f"{cls_name[:-2]}第{k}款项目", budget, total, basic, project, total * D("0.9")))
    rows: dict[str, dict] = {}
    for code, name, budget, total, basic, project, previous in leaves:
        for n, label in ((3, dict(CLASSES)[code[:3]]), (5, f"{name[:-2]}款"), (7, name)):
            key = code[:n]
            row = rows.setdefault(key, {"code": key, "name": label, "budget": D(0), "total": D(0), "basic": D(0),
                                        "project": D(0), "previous": D(0)})
            for col, v in (("budget", budget), ("total", total), ("basic", basic), ("project", project), ("previous", previous)):
                row[col] += v
            if n == 7 and budget != total:
                row["reason"] = "部分项目按进度结算"
    gp = [rows[k] for k in sorted(rows)]
    income_total = sum((r["total"] for r in gp if len(r["code"]) == 3), D(0))
    previous_total = sum((r["previous"] for r in gp if len(r["code"]) == 3), D(0))
    basic_total = sum((r["basic"] for r in gp if len(r["code"]) == 3), D(0))
    # 经济分类: 基本支出 split over 25 items, 人员经费 in 301/303, 公用经费 in 302
    public = (basic_total * D("0.3")).quantize(D("0.01"))
    personnel = basic_total - public
    econ: dict[str, dict] = {}
    people_items = [e for e in ECONOMIC if e[0] != "302"]
    public_items = [e for e in ECONOMIC if e[0] == "302"]
    for items, amount, col in ((people_items, personnel, "personnel"), (public_items, public, "public")):
        share = (amount / len(items)).quantize(D("0.01"))
        for i, (cls, code, name) in enumerate(items):
            value = share if i < len(items) - 1 else amount - share * (len(items) - 1)
            econ[code] = {"code": code, "name": name, col: value}
            head = econ.setdefault(cls, {"code": cls, "name": {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助"}[cls]})
            head[col] = head.get(col, D(0)) + value
    reception = min(_money(rng, 1, 8), public / 4)
    running = min(_money(rng, 1, 6), public / 4)
    projects = [{"name": f"第{index}单位专项{p}", "budget": D(40), "spent": D(36), "fiscal_budget": D(40), "fiscal_spent": D(36),
                 "has_targets": "是", "self_assessed": "是", "shortfall_reason": "按合同进度支付", "achieved": "完成年度目标",
                 "problems": "绩效指标量化不足", "measures": "细化绩效指标"}
                for p in range(1, 6)]
    indicators = [{"project": p["name"], "level1": l1, "level2": l2, "level3": l3, "direction": d, "target": t,
                   "actual": a, "weight": D(w), "score": None if sc is None else D(sc)}
                  for p in projects for l1, l2, l3, d, t, a, w, sc in (
                      ("产出指标", "数量指标", "完成事项", "≥", "≥100件", f"{90 + rng.randint(0, 20)}件", 30, None),
                      ("", "质量指标", "合格率", "=", "=100%", "100%", 20, None),
                      ("", "时效指标", "按时完成", "定性", "按时", "按时", 10, 10),
                      ("效益指标", "社会效益指标", "服务便利度", "定性", "提升", "提升", 20, 20),
                      ("满意度指标", "服务对象满意度指标", "满意度", "≥", "≥95%", "97%", 10, None))]
    expense = [{"code": r["code"], "name": r["name"], "total": r["total"], "basic": r["basic"], "project": r["project"]} for r in gp]
    income = [{"code": r["code"], "name": r["name"], "total": r["total"], "fiscal": r["total"]} for r in gp]
    reason = "业务量变化"
    return {
        "info": {"name": f"合成测试单位{index:04d}", "code": f"9{index:08d}", "unit_kind": "行政单位", "year": 2020,
                 "money_unit": "万元", "sub_other": 0},
        "texts": {"functions": "承担本单位职能。\n完成上级交办的其他任务。", "key_work": "完成年度重点工作。",
                  "budget_management": "按批复预算执行。", "result_use": "自评结果用于下年预算安排。",
                  "conclusion": "绩效目标基本完成。", "problems": "预算编制精准性不足。", "suggestions": "提高预算编制质量。"},
        "summary": {"gp_income": {"current": income_total, "previous": previous_total},
                    "income_total": {"current": income_total, "previous": previous_total, "reason": reason},
                    "expense_total": {"current": income_total, "previous": previous_total, "reason": reason}},
        "income": income, "expense": expense,
        "fiscal": {"income": {"gp": income_total, "previous": previous_total, "reason": reason},
                   "expense": {"gp": income_total, "previous": previous_total, "reason": reason}},
        "gp": gp,
        "basic": [econ[k] for k in sorted(econ)],
        "three_public": {
            "total": {"budget_reason": "厉行节约", "reason": reason},
            "car_running": {"budget": running + 1, "actual": running, "previous": running, "budget_reason": "厉行节约"},
            "car": {"budget_reason": "厉行节约"},
            "reception": {"budget": reception + 1, "actual": reception, "previous": reception, "budget_reason": "厉行节约"},
        },
        "other": {"running_cost": {"current": public / 2, "previous": public / 2},
                  "reception_batches": {"current": 10}, "reception_people": {"current": 50},
                  "cars_held": {"current": 1}, "car_other": {"current": 1}},
        "projects": projects,
        "indicators": indicators,
    }


def make(folder: Path, n: int, seed: int = 2020, department: bool = False) -> list[Path]:
    """Write N unit workbooks into `folder` (same seed, same workbooks). With `department`, unit 1 is the
    department (本级) and the other N - 1 units are below it with one project each, so a batch also makes the
    department's 部门汇总."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    books = []
    for i in range(1, n + 1):
        values = unit_values(i, rng)
        if department and i > 1:  # a unit below the department: one project (its 部门汇总 lists every unit's)
            values["info"]["parent_code"] = unit_values(1, random.Random(0))["info"]["code"]
            kept = values["projects"][0]["name"]
            values["projects"] = values["projects"][:1]
            values["indicators"] = [x for x in values["indicators"] if x["project"] == kept]
        books.append(write_workbook(folder / f"unit_{i:04d}.xlsx", values=values, overwrite=True))
    return books


if __name__ == "__main__":
    import sys

    print(len(make(Path(sys.argv[1]), int(sys.argv[2]))))
