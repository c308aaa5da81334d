"""The 绩效 part of the template context: project forms, indicator grids, scores, the Hunan institution tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.figures import scores
from generator.figures.evaluation import Funds, Indicator, Performance, ProjectPerformance, Scored, groups
from generator.figures.report import Report
from generator.wording import numbers as n

ZERO = Decimal(0)
DASH = "—"


def pts(score: Decimal | None) -> str:
    """A score as forms print it: at most two decimals, no trailing zeros (8.4, 100, 99.96)."""
    if score is None:
        return ""
    text = f"{n.half_up(score, 2):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def score_pts(score: Decimal | None) -> str:
    """A score (得分, 总分) as every layout prints it: whole, or with two decimals (98, 99.70, 98.41), so that the
    scores of one document never mix one and two decimals (99.7 beside 98.41)."""
    if score is None:
        return ""
    rounded = n.half_up(score, 2)
    return f"{rounded:.0f}" if rounded == rounded.to_integral_value() else f"{rounded:.2f}"


def _sentence(text: str) -> str:
    """A text from the data as a sentence of its own: ending in 。 unless it ends in other closing punctuation."""
    text = text.strip()
    return text if not text or text.endswith(("。", "！", "？", "…")) else text.rstrip("；;，,.") + "。"


class PerfFormatter:
    """Amounts, rates and scores with one template's display choices."""

    def __init__(self, display: n.Display):
        self.d = display

    def amt(self, yuan: Decimal | None) -> str:
        return DASH if yuan is None else n.amount(yuan, self.d)

    def rate(self, ratio: Decimal | None) -> str:
        return DASH if ratio is None else n.pct(ratio, self.d) + "%"

    def funds(self, f: Funds, weight: Decimal | None = None, score: Decimal | None = None) -> dict[str, str]:
        empty = f.budget == 0 and f.spent == 0 and f.initial is None
        return {
            "name": f.name,
            "initial": self.amt(f.initial),
            "budget": DASH if empty else self.amt(f.budget),
            "spent": DASH if empty else self.amt(f.spent),
            "rate": DASH if empty else self.rate(f.rate),
            "weight": DASH if weight is None else pts(weight),
            "score": DASH if score is None else score_pts(score),
        }

    def indicators(self, items: tuple[Indicator, ...]) -> list[dict[str, Any]]:
        """Indicator rows with the flags that merge 一级/二级 cells over their rows ({% vmerge %}), and the level
        names with the 分值 of their group ('投入（15分）')."""
        merges = groups([(i.level1, i.level2) for i in items])
        weights: dict[tuple[str, ...], Decimal] = {}
        for i in items:
            for key in ((i.level1,), (i.level1, i.level2)):
                weights[key] = weights.get(key, ZERO) + i.weight

        def weighted(name: str, key: tuple[str, ...]) -> str:
            return f"{name}（{pts(weights[key])}分）" if name and weights[key] else name

        def points(name: str, key: tuple[str, ...]) -> str:
            """The group's 分值 alone ('（15分）'), for a form that prints it on a line under the name."""
            return f"（{pts(weights[key])}分）" if name and weights[key] else ""

        return [{
            "level1": i.level1, "level2": i.level2, "level3": i.level3,
            "level1_weighted": weighted(i.level1, (i.level1,)),
            "level2_weighted": weighted(i.level2, (i.level1, i.level2)),
            "level1_points": points(i.level1, (i.level1,)), "level2_points": points(i.level2, (i.level1, i.level2)),
            "direction": i.direction, "target": i.target, "actual": i.actual, "standard": i.standard,
            "weight": pts(i.weight), "score": score_pts(i.score),
            "coefficient": self.rate(i.coefficient), "computed": i.computed,
            "reason": i.reason,
            "merge": {"level1": m[0], "level2": m[1]},
        } for i, m in zip(items, merges, strict=True)]

    def scored(self, s: Scored) -> dict[str, Any]:
        total = s.total
        return {
            "indicators": self.indicators(s.indicators),
            "has_indicators": bool(s.indicators),
            "exec_weight": pts(s.exec_weight), "exec_score": score_pts(s.exec_score),
            "possible": pts(s.possible),
            "scored": total is not None,
            "score": score_pts(total.score) if total else "",
            "grade": total.grade if total else "",
            "grade_word": total.grade_word if total else "",
            "by_level1": self.by_level1(s),
        }

    def by_level1(self, s: Scored) -> list[dict[str, str]]:
        """The 项目评价得分表: budget execution, then each 一级指标 with its score out of its 分值, then 合计."""
        rows: list[dict[str, str]] = []
        if s.exec_weight:
            rows.append({"name": "预算执行率", "weight": pts(s.exec_weight), "score": score_pts(s.exec_score)})
        totals: dict[str, tuple[Decimal, Decimal]] = {}
        for i in s.indicators:
            w, sc = totals.get(i.level1 or "其他指标", (ZERO, ZERO))
            totals[i.level1 or "其他指标"] = (w + i.weight, sc + i.score)
        rows += [{"name": k, "weight": pts(w), "score": score_pts(sc)} for k, (w, sc) in totals.items()]
        return rows


def _project(f: PerfFormatter, no: int, p: ProjectPerformance, unit_name: str,
             fiscal_initial: Decimal | None = None) -> dict[str, Any]:
    whole, fiscal, carry, other = p.funds
    scored = f.scored(p.scored)
    shortfall = n.shortfall_sentence(whole.spent, whole.budget, p.text("shortfall_reason"), f.d)
    fiscal_row = {**f.funds(fiscal), "initial": f.amt(fiscal_initial)}
    return {
        "no": str(no), "name": p.name,
        "department": p.text("department") or unit_name, "implementer": p.text("implementer") or unit_name,
        "funds": [f.funds(whole, p.scored.exec_weight, p.scored.exec_score), fiscal_row, f.funds(carry), f.funds(other)],
        "initial": f.amt(whole.initial), "budget": f.amt(whole.budget), "spent": f.amt(whole.spent),
        "rate": f.rate(whole.rate), "completion": n.completion(whole.spent, whole.budget, f.d),
        "fiscal_budget": f.amt(fiscal.budget), "fiscal_spent": f.amt(fiscal.spent),
        "other_budget": f.amt(whole.budget - fiscal.budget), "other_spent": f.amt(whole.spent - fiscal.spent),
        "target": n.text_lines(p.text("target")), "achieved": n.text_lines(p.text("achieved")),
        "target_text": p.text("target").strip(), "achieved_text": p.text("achieved").strip(),
        "summary": n.text_lines(p.text("summary")), "decision": n.text_lines(p.text("decision")),
        "management": n.text_lines(p.text("management")), "effect": n.text_lines(p.text("effect") or p.text("achieved")),
        "problems": n.text_lines(p.text("problems")), "measures": n.text_lines(p.text("measures")),
        # 说明: why the project spent less than its budget, then the workbook's own note; 无 when there is neither
        "note": (shortfall + _sentence(p.text("note"))) or "无",
        "shortfall": shortfall,
        **scored,
    }


def _staff(r: Report) -> dict[str, str]:
    count = lambda key: r.unit.counts[key]  # noqa: E731
    kinds = [(name, count(key)) for key, name in (("staff_civil_servants", "公务员（含参公）"),
                                                  ("staff_institution", "事业人员"), ("staff_workers", "工勤人员"))]
    listed = "、".join(f"{name}{c}人" for name, c in kinds if c)
    quota, actual = count("staff_quota"), count("staff_actual")
    rate = scores.control_rate(Decimal(actual), Decimal(quota))
    return {
        "quota": str(quota), "actual": str(actual), "retired": str(count("staff_retired")),
        "kinds": f"，其中{listed}" if listed else "",
        "control_rate": DASH if rate is None else n.pct(rate, n.Display(2, 0, False)) + "%",
    }


def institutions(r: Report, display: n.Display) -> list[dict[str, Any]]:
    """局机关及二级机构汇总 (the sum of the rows below it), then one row per institution, printed."""
    members = r.institutions
    names = ["局机关" if len(members) > 1 else members[0].name] + [m.name for m in members[1:]]
    rows = [{"name": f"{i}、{name}", "income": m.income, "expense": m.expense, "three": m.three, "assets": m.assets}
            for i, (name, m) in enumerate(zip(names, members, strict=True), 1)]
    total = {"name": "局机关及二级机构汇总",
             **{k: [sum((r[k][i] for r in rows), ZERO) for i in range(len(rows[0][k]))]
                for k in ("income", "expense", "three", "assets")}}
    cell = lambda v: "" if v == 0 else n.amount(v, display)  # noqa: E731 - the form leaves zero cells blank
    return [{"name": r["name"], "bold": r is total, **{k: [cell(v) for v in r[k]] for k in ("income", "expense", "three", "assets")}}
            for r in (total, *rows)]


def _basic_data(f: PerfFormatter, r: Report) -> dict[str, Any]:
    """附件1 部门整体支出绩效评价基础数据表: 上年决算 / 本年预算 / 本年决算."""
    t = {k: r.three(k) for k in ("total", "car", "car_purchase", "car_running", "abroad", "reception")}
    row = lambda name, prev, budget, actual: {"name": name, "cells": [f.amt(prev), f.amt(budget), f.amt(actual)]}  # noqa: E731
    return {
        "three": [row(name, t[k].previous, t[k].budget, t[k].actual) for k, name in (
            ("total", "“三公”经费"), ("car", "1.公务用车购置和运行维护费"), ("car_purchase", "其中：公车购置"),
            ("car_running", "公车运行维护"), ("abroad", "2.出国经费"), ("reception", "3.公务接待"))],
        "projects": [row(f"{i}.{p.name}", p.previous, p.whole.budget, p.whole.spent)
                     for i, p in enumerate(r.performance.projects, 1)],
        "procurement": row("政府采购金额", r.procurement_figure.previous, None, r.procurement_figure.current),
        # texts of the last rows; 无 where the workbook leaves the item blank (its note says so)
        "adjustment": n.text_lines(r.texts["basic_adjustment"]) or ["无"],
        "buildings": n.text_lines(r.texts["building_control"]) or ["无"],
        "frugality": n.text_lines(r.texts["frugality"]),
        "public": [row("公用经费", r.basic_public_previous, None, r.basic_public),
                   row("其中：办公经费", r.office_cost.previous, None, r.office_cost.current),
                   row("水费、电费、差旅费", r.utilities_travel.previous, None, r.utilities_travel.current),
                   row("会议费、培训费", r.meeting_and_training.previous, None, r.meeting_and_training.current)],
    }


def _listing(display: n.Display, projects: list[dict[str, Any]], column: str) -> str:
    """'项目A 100.00万元，项目B 46.00万元' with each project's 全年预算数 (budget) or 执行数 (spent)."""
    words = display.words
    return words["project_separator"].join(words.say("project_amount", name=p["name"], amount=p[column]) for p in projects)


def performance_context(r: Report, display: n.Display) -> dict[str, Any]:
    """Everything the 绩效 layouts place."""
    f = PerfFormatter(display)
    perf: Performance = r.performance
    unit_name = r.unit.name
    projects = [_project(f, i, p, unit_name, r.fiscal_initial(p)) for i, p in enumerate(perf.projects, 1)]
    budget = sum((p.whole.budget for p in perf.projects), ZERO)
    spent = sum((p.whole.spent for p in perf.projects), ZERO)
    dept = perf.department
    dept_total = perf.dept_score
    grid = f.scored(perf.grid)
    scored_projects = [p for p in projects if p["scored"]]
    return {
        "list": projects,
        "count": str(len(projects)),
        "scored_count": str(len(scored_projects)),
        "listing": _listing(display, projects, "budget"),
        "spent_listing": _listing(display, projects, "spent"),
        "budget": f.amt(budget), "spent": f.amt(spent), "completion": n.completion(spent, budget, display),
        "scores": "；".join(f"{p['name']}{p['score']}分（{p['grade_word']}）" for p in scored_projects),
        # the same with the one-character grade (优/良/中/差), for layouts whose forms print that
        "scores_grade": "；".join(f"{p['name']}{p['score']}分（{p['grade']}）" for p in scored_projects),
        # 50万元以上项目 (Sichuan report), in the order and with the numbers of the project list
        "large": [{k: projects[i][k] for k in ("no", "name", "budget", "spent", "completion", "achieved")}
                  for i, p in enumerate(perf.projects) if any(p is q for q in r.large_projects)],
        "dept": {
            **f.scored(dept),
            "funds": f.funds(perf.dept_funds, dept.exec_weight, dept.exec_score),
            "target": n.text_lines(r.texts["dept_target"]), "achieved": n.text_lines(r.texts["dept_achieved"]),
            "target_text": r.texts["dept_target"].strip(), "achieved_text": r.texts["dept_achieved"].strip(),
        },
        "grid": grid,
        "dept_score": {"scored": dept_total is not None, "score": pts(dept_total.score) if dept_total else "",
                       "grade": dept_total.grade if dept_total else "",
                       "grade_word": dept_total.grade_word if dept_total else ""},
        "evaluators": [{"name": e.name, "title": e.title, "unit": e.unit} for e in r.evaluators],
        "staff": _staff(r),
        "institutions": institutions(r, display),
        "basic_data": _basic_data(f, r),
    }
