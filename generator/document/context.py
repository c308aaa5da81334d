"""Report → the template context: every value formatted once, with the template's display choices."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.document.evaluation_context import performance_context
from generator.document.public_tables import PublicTable, public_tables
from generator.figures.report import Figure, Part, Report, Subject, ThreePublicItem, by_class, top_sum
from generator.vocabulary import CHART_TITLES
from generator.wording import numbers as n
from generator.wording.glossary import DEFAULT_TERMS, subject_text
from generator.wording.numbers import Display

ZERO = Decimal(0)


@dataclass(frozen=True)
class ChartView:
    """One chart, resolved: geometry values and the printed labels the text also uses.

    bars: categories along the axis, one series per year; pie: the non-zero parts with their shares.
    """

    name: str
    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    labels: tuple[tuple[str, ...], ...]
    shares: tuple[str, ...] = ()
    empty_text: str = ""

    @property
    def drawn(self) -> bool:
        return any(v != 0 for series in self.values for v in series)




class Formatter:
    """The display choices of one template, applied to the report's Decimals."""

    def __init__(self, display: Display, last_label: str, this_label: str):
        self.d, self.last, self.this = display, last_label, this_label

    def amt(self, yuan: Decimal | None) -> str:
        return n.amount(yuan, self.d)

    def cell(self, yuan: Decimal) -> str:
        """An amount in a table cell: thousands separators, blank for zero is not used (0.00 shown)."""
        return n.amount(yuan, Display(2, self.d.pct_decimals, True), thousands=True)

    def pct(self, part: Decimal, whole: Decimal) -> str:
        return n.share(part, whole, self.d) or "0"

    def yoy(self, fig: Figure) -> str:
        return n.yoy(fig.current, fig.previous, self.last, self.d)

    def reason(self, fig: Figure) -> str:
        """The reason sentence, only where there is a change to explain (or the data explains no change)."""
        return n.reason_sentence(fig.reason, self.d)

    def figure(self, fig: Figure) -> dict[str, str]:
        return {"amount": self.amt(fig.current), "previous": self.amt(fig.previous),
                "yoy": self.yoy(fig), "reason": self.reason(fig)}

    def parts(self, parts: tuple[Part, ...] | list[Part]) -> list[dict[str, str]]:
        """Parts with shares that add up to exactly 100% (largest remainder); shares are None for a zero whole."""
        shares = n.shares([p.amount for p in parts], self.d)
        return [{"name": p.name, "amount": self.amt(p.amount), "share": shares[i] if shares else None}
                for i, p in enumerate(parts)]


def _bars(f: Formatter, name: str, pairs: list[tuple[str, Figure]], empty: str) -> ChartView:
    values = (tuple(float(n.wan(fig.previous or ZERO)) for _, fig in pairs),
              tuple(float(n.wan(fig.current)) for _, fig in pairs))
    labels = (tuple(f.amt(fig.previous) for _, fig in pairs), tuple(f.amt(fig.current) for _, fig in pairs))
    return ChartView(name, "bars", CHART_TITLES[name], tuple(c for c, _ in pairs), (f.last, f.this), values, labels,
                     empty_text=empty)


def _pie(f: Formatter, name: str, parts: list[Part] | tuple[Part, ...], empty: str) -> ChartView:
    """A structure pie: zero parts left out, shares from the same largest-remainder rounding as the text."""
    shown = [p for p in parts if p.amount != 0]
    printed = f.parts(parts)
    by_name = {p["name"]: p for p in printed}
    return ChartView(name, "pie", CHART_TITLES[name], tuple(p.name for p in shown), ("",),
                     (tuple(float(n.wan(p.amount)) for p in shown),), (tuple(by_name[p.name]["amount"] for p in shown),),
                     tuple(by_name[p.name]["share"] for p in shown), empty_text=empty)


def chart_views(f: Formatter, r: Report) -> dict[str, ChartView]:
    """Every chart the layouts may place, from the same figures and formatting as the text."""
    views = [
        _bars(f, "totals", [("收入总计", r.income_grand_total), ("支出总计", r.expense_grand_total)],
              "本年度与上年度均无收支，不绘制收支总计变动情况图。"),
        _pie(f, "income_structure", r.income_sources, "本年度无收入，不绘制收入结构图。"),
        _pie(f, "expense_structure", r.expense_parts, "本年度无支出，不绘制支出结构图。"),
        _bars(f, "fiscal_totals", [("财政拨款收入总计", r.fiscal_income_total), ("财政拨款支出总计", r.fiscal_expense_total)],
              "本年度与上年度均无财政拨款收支，不绘制变动情况图。"),
        _bars(f, "gp_change", [("一般公共预算财政拨款支出", r.gp_total)],
              "本年度与上年度均无一般公共预算财政拨款支出，不绘制变动情况图。"),
        _pie(f, "gp_structure", r.gp_by_class, "本年度无一般公共预算财政拨款支出，不绘制结构图。"),
        _pie(f, "three_public_structure", r.three_public_parts, "本年度未发生“三公”经费财政拨款支出，不绘制结构图。"),
    ]
    return {v.name: v for v in views}


def _captions(views: dict[str, ChartView], order: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """图N captions numbered in the template's order, counting only charts that are drawn."""
    out: dict[str, dict[str, Any]] = {}
    number = 0
    for name in (*order, *(v for v in views if v not in order)):
        view = views[name]
        if view.drawn and name in order:
            number += 1
        caption = f"图{number}：{view.title}" if view.drawn and name in order else view.title
        out[name] = {"drawn": view.drawn, "caption": caption, "title": view.title, "empty_text": view.empty_text}
    return out


def _parts_sentence(f: Formatter, parts: list[dict[str, str]], frame: str = "parts_lead") -> str:
    """'，其中：A 1.00万元，占10.00%；B …' — empty when the whole is zero (the sentence then ends at the total)."""
    if not parts or parts[0]["share"] is None:
        return ""
    words = f.d.words
    items = words["parts_separator"].join(words.say("part", name=p["name"], amount=p["amount"], share=p["share"])
                                          for p in parts)
    return words.say(frame, items=items)


def _main_parts(f: Formatter, parts: list[dict[str, str]]) -> dict[str, str]:
    """The parts that are not zero, as '，其中：…' (main_structure) and as a sentence '其中：…。' (main_sentence);
    the shares stay those of all the parts."""
    shown = [p for p in parts if p["amount"] != f.amt(ZERO)]
    return {"main_structure": _parts_sentence(f, shown), "main_sentence": _parts_sentence(f, shown, "parts_sentence")}


def _three_item(f: Formatter, item: ThreePublicItem) -> dict[str, str]:
    fig = Figure(item.actual, item.previous, item.reason)
    return {
        "name": item.name, "amount": f.amt(item.actual), "budget": f.amt(item.budget),
        "budget_text": n.budget_phrase(item.actual, item.budget, item.budget_reason, f.d),
        "yoy": f.yoy(fig), "reason": f.reason(fig),
    }


def _three_public(f: Formatter, r: Report) -> dict[str, Any]:
    whole = r.three("total")
    reception, foreign = r.three("reception"), r.three("foreign_reception")
    count = lambda key: str(int(r.other(key)))  # noqa: E731
    return {
        "total": _three_item(f, whole),
        "structure": _parts_sentence(f, f.parts(r.three_public_parts), "three_structure"),
        "has_spending": whole.actual != 0,
        "abroad": _three_item(f, r.three("abroad")),
        "car": _three_item(f, r.three("car")),
        "car_purchase": _three_item(f, r.three("car_purchase")),
        "car_running": _three_item(f, r.three("car_running")),
        "reception": _three_item(f, reception),
        "domestic_amount": f.amt(r.domestic_reception),
        "foreign_amount": f.amt(foreign.actual),
        "abroad_groups": count("abroad_groups"), "abroad_people": count("abroad_people"),
        "cars_bought": count("cars_bought"), "cars_held": count("cars_held"),
        "reception_batches": count("reception_batches"), "reception_people": count("reception_people"),
        "foreign_batches": count("foreign_batches"), "foreign_people": count("foreign_people"),
        "reception_content": n.sentence("reception_content", r.other_rows["reception_people"].reason, f.d),
        "reception_use": n.sentence("reception_use", r.texts["reception_use"], f.d),
    }


def _gp(f: Formatter, r: Report) -> dict[str, Any]:
    lines = []
    for i, line in enumerate(r.gp_lines, 1):
        lines.append({
            "no": str(i), "name": line.name, "amount": f.amt(line.actual),
            "budget_text": n.budget_phrase(line.actual, line.budget, line.reason, f.d),
        })
    classes = f.parts(r.gp_by_class)
    return {
        **f.figure(r.gp_total),
        "share_of_expense": f.pct(r.gp_total.current, r.expense_total.current),
        "budget": f.amt(r.gp_budget),
        "completion": n.completion(r.gp_total.current, r.gp_budget, f.d),
        "structure": _parts_sentence(f, classes, "gp_structure"),
        "lines": lines,
    }


def _procurement(f: Formatter, r: Report) -> dict[str, Any]:
    whole = r.procurement_total
    return {
        "total": f.amt(whole), "any": whole != 0,
        "parts": f.d.words["list_separator"].join(f.d.words.say("procurement_part", name=p.name, amount=f.amt(p.amount))
                                                  for p in r.procurement),
        "sme": f.amt(r.procurement_sme), "sme_share": f.pct(r.procurement_sme, whole),
        "micro": f.amt(r.procurement_micro), "micro_share": f.pct(r.procurement_micro, whole),
    }


_CAR_KINDS = (("car_leader", "主要领导干部用车"), ("car_confidential", "机要通信用车"), ("car_emergency", "应急保障用车"),
              ("car_enforcement", "执法执勤用车"), ("car_special", "特种专业技术用车"), ("car_retired", "离退休干部用车"),
              ("car_other", "其他用车"))


def _assets(f: Formatter, r: Report) -> dict[str, Any]:
    cars = [(name, int(r.other(key))) for key, name in _CAR_KINDS]
    words = f.d.words
    return {
        "cars": str(sum(c for _, c in cars)),
        "car_kinds": words["list_separator"].join(words.say("car_kind", name=name, count=str(c)) for name, c in cars),
        "general_equipment": str(int(r.other("general_equipment"))),
        "special_equipment": str(int(r.other("special_equipment"))),
    }


def quoted(name: str) -> str:
    """A name in Chinese quotes; quotes inside it become single quotes (“行政服务中心‘快递跑’经费”)."""
    return "“" + name.replace("“", "‘").replace("”", "’") + "”"


# The flag columns of 项目绩效; the phrase book words each as step_KEY (done for some projects) or none_KEY.
_PERFORMANCE_STEPS = ("pre_assessed", "has_targets", "monitored", "self_assessed")


def _projects(f: Formatter, r: Report) -> dict[str, Any]:
    flags = {}
    words = f.d.words
    for key in _PERFORMANCE_STEPS:
        count = r.projects_with(key)
        flags[key] = words.say("projects_done", count=str(count), step=words[f"step_{key}"]) if count else words[f"none_{key}"]
    items = []
    for i, p in enumerate(r.projects, 1):
        items.append({
            "no": str(i), "name": p.name, "budget": f.amt(p.budget), "spent": f.amt(p.spent),
            "completion": n.completion(p.spent, p.budget, f.d),
            "shortfall": n.shortfall_sentence(p.spent, p.budget, p.text("shortfall_reason"), f.d),
            "achieved": n.sentence("project_achieved", p.text("achieved"), f.d),
            "problems": n.sentence("project_problems", p.text("problems"), f.d),
            "measures": n.sentence("project_measures", p.text("measures"), f.d),
        })
    names = "、".join(quoted(p.name) for p in r.projects)
    return {"count": str(len(r.projects)), "names": names, "entries": items, **flags}


def _glossary(r: Report) -> list[dict[str, str]]:
    own = dict(r.glossary_own)
    terms = [(t, own.pop(t, text)) for t, text in DEFAULT_TERMS]
    used: dict[str, Subject] = {}
    for s in (*r.gp_subjects, *r.expense_subjects):
        if s.level == 3 and s.code not in used:
            used[s.code] = s
    for s in sorted(used.values(), key=lambda s: s.code):
        terms.append((s.path, own.pop(s.path, None) or own.pop(s.code, None) or subject_text(s.code, s.name)))
    terms += list(own.items())
    return [{"no": str(i), "term": t, "text": text.rstrip("。") + "。"} for i, (t, text) in enumerate(terms, 1)]


def _compared(f: Formatter, fig: Figure, budget: Decimal | None = None) -> dict[str, str]:
    """Chongqing wording: '较上年决算数增加…' and, when a budget is given, '较年初预算数增加…'."""
    out = {"amount": f.amt(fig.current),
           "none": fig.current == 0 and fig.previous == 0 and not budget,  # did not occur: zero, zero, no budget
           "yoy": n.yoy(fig.current, fig.previous, f.d.words["against_last"], f.d, lead=f.d.words["against_lead"]),
           "reason": f.reason(fig)}
    if budget is not None:
        out["vs_budget"] = n.against_budget(fig.current, budget, f.d)
    return out


def _per(value: Decimal | None, scale: Decimal) -> str:
    """A per-capita (元, scale 1) or per-vehicle (万元, scale 10000) figure; 0.00 when there is nothing to divide by."""
    return f"{n.half_up(ZERO if value is None else value / scale, 2):f}"


def _chongqing_figures(f: Formatter, r: Report) -> dict[str, Any]:
    """The figures only the Chongqing layout prints: budgets of 类, per-capita figures, 会议费 and 培训费."""
    classes = [sub for sub in r.gp_subjects if sub.level == 1]
    shares = n.shares([c.num("total") for c in classes], f.d) or ["0"] * len(classes)
    lines = []
    for i, c in enumerate(classes):
        reason = next((ln.reason for ln in r.gp_lines if ln.code.startswith(c.code) and ln.reason), "")
        changed = not n.is_flat(c.num("total"), c.num("budget"), f.d)
        lines.append({"no": str(i + 1), "name": c.name, "amount": f.amt(c.num("total")), "share": shares[i],
                      "vs_budget": n.against_budget(c.num("total"), c.num("budget"), f.d),
                      "reason": n.reason_sentence(reason, f.d) if changed else ""})
    three = {k: r.three(k) for k in ("total", "abroad", "car_purchase", "car_running", "reception")}
    return {
        "grand": _compared(f, r.income_grand_total),
        "income": _compared(f, r.income_total), "expense": _compared(f, r.expense_total),
        "closing": _compared(f, r.summary_rows["closing_balance"]),
        "gp_income": _compared(f, r.summary_rows["gp_income"], r.gp_budget),
        "gp_expense": _compared(f, r.gp_total, r.gp_budget),
        "gp_closing": f.amt(r.fiscal_rows["closing"].gp),  # the 一般公共预算 part of 年末财政拨款结转和结余
        "classes": lines,
        "personnel": _compared(f, Figure(r.basic_personnel, r.basic_personnel_previous, "")),
        "public": _compared(f, Figure(r.basic_public, r.basic_public_previous, r.running_cost.reason)),
        "three": {k: {**_compared(f, Figure(i.actual, i.previous, i.reason), i.budget),
                      "budget_reason": n.reason_sentence(i.budget_reason, f.d) if not n.is_flat(i.actual, i.budget, f.d) else ""}
                  for k, i in three.items()},
        "reception_per_head": _per(r.reception_per_head, Decimal(1)),
        "purchase_per_car": _per(r.purchase_per_car, n.WAN),
        "running_per_car": _per(r.running_per_car, n.WAN),
        "meeting": _compared(f, r.other_rows["meeting"]),
        "training": _compared(f, r.other_rows["training"]),
        "running": _compared(f, r.running_cost),
    }


def _closing(f: Formatter, r: Report) -> str:
    """年末结转和结余 as one clause: the amount, or that there is none."""
    closing = r.summary_rows["closing_balance"].current
    return f.d.words.say("closing_some", amount=f.amt(closing)) if closing else f.d.words["closing_none"]


def _by_nature(f: Formatter, r: Report) -> dict[str, str]:
    """本年收入 by nature (一般公共预算 / 政府性基金 / 其他) and 本年支出 by nature (基本 / 项目), as the Hunan form lists them."""
    gp, fund = r.income_sources[0].amount, r.income_sources[1].amount
    expense = dict((p.name, p.amount) for p in r.expense_parts)
    return {"gp": f.amt(gp), "fund": f.amt(fund), "other": f.amt(r.income_other),
            "basic": f.amt(expense["基本支出"]), "project": f.amt(expense["项目支出"]),
            "gp_basic": f.amt(top_sum(r.gp_subjects, "basic")), "gp_project": f.amt(top_sum(r.gp_subjects, "project")),
            # whether the projects' 执行数 make up exactly the 一般公共预算 项目支出, so they can be listed as its parts
            "gp_project_is_projects": r.projects_spent == top_sum(r.gp_subjects, "project")}


def build_context(r: Report, display: Display, chart_order: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every value the templates place, formatted once (chart views under the key '_chart_views')."""
    unit = r.unit
    last = f"{r.year - 1}年"
    f = Formatter(display, last, f"{r.year}年")
    counts = {k: unit.counts[k] for k in ("sub_admin", "sub_civil", "sub_other", "sub_budget_units")}
    income_parts = f.parts(r.income_sources)
    expense_parts = f.parts(r.expense_parts)
    fiscal_funds = r.fund_total + r.soe_total
    views = chart_views(f, r)
    return {
        "_chart_views": views,
        "charts": _captions(views, chart_order),
        "unit": {
            "name": unit.name, "short": unit.short, "kind": unit.kind, "code": unit.code,
            "scope": f"（{unit.scope}）" if unit.scope else "",
            "contact": unit.contact, "phone": unit.phone, "address": unit.address,
            "publish_date": unit.publish_date, "evaluation_date": unit.evaluation_date,
            "subunits": str(sum(counts[k] for k in ("sub_admin", "sub_civil", "sub_other"))),
            **{k: str(v) for k, v in counts.items()},
        },
        "year": str(r.year), "last_year": str(r.year - 1),
        "functions": n.text_lines(r.texts["functions"]),
        "key_work": n.text_lines(r.texts["key_work"]),
        "organisation": n.text_lines(r.texts["organisation"]),
        "income": {**f.figure(r.income_total), "parts": income_parts,
                   "structure": _parts_sentence(f, income_parts), **_main_parts(f, income_parts)},
        "expense": {**f.figure(r.expense_total), "parts": expense_parts,
                    "structure": _parts_sentence(f, expense_parts), **_main_parts(f, expense_parts)},
        "closing_balance": _closing(f, r),
        "by_nature": _by_nature(f, r),
        "grand": {"income": f.figure(r.income_grand_total), "expense": f.figure(r.expense_grand_total)},
        "fiscal": {"income": f.figure(r.fiscal_income_total), "expense": f.figure(r.fiscal_expense_total)},
        "gp": _gp(f, r),
        "basic": {
            "amount": f.amt(r.basic_personnel + r.basic_public),
            "personnel": f.amt(r.basic_personnel), "public": f.amt(r.basic_public),
            "personnel_items": n.sentence("basic_items", f.d.words["list_separator"].join(r.personnel_items), f.d, "items"),
            "public_items": n.sentence("basic_items", f.d.words["list_separator"].join(r.public_items), f.d, "items"),
            "personnel_list": "、".join(r.personnel_items), "public_list": "、".join(r.public_items),
        },
        "three": _three_public(f, r),
        "fund": {"amount": f.amt(r.fund_total), "any": r.fund_total != 0,
                 "structure": _parts_sentence(f, f.parts(by_class(r.fund_subjects)), "fund_structure")},
        "soe": {"amount": f.amt(r.soe_total), "any": r.soe_total != 0,
                "structure": _parts_sentence(f, f.parts(by_class(r.soe_subjects)), "fund_structure")},
        "fiscal_funds_any": fiscal_funds != 0,
        "running": f.figure(r.running_cost),
        "procurement": _procurement(f, r),
        "assets": _assets(f, r),
        "projects": _projects(f, r),
        "performance_summary": n.text_lines(r.texts["performance_summary"]),
        "glossary": _glossary(r),
        "tables": _tables(f, r),
        "perf": performance_context(r, display),
        "cq": _chongqing_figures(f, r),
        "texts": {key: n.text_lines(text) for key, text in r.texts.items()},
    }


def _printed(f: Formatter, table: PublicTable) -> list[list[str]]:
    """A table's rows with every amount printed as a table cell ('' for an empty cell)."""
    return [[c if isinstance(c, str) else "" if c is None else f.cell(c) for c in row] for row in table.rows]


def _coded(f: Formatter, table: PublicTable) -> list[dict[str, Any]]:
    """Rows of a table keyed by subject code: code, name, printed amounts, bold for 合计 and 类 rows."""
    return [{"code": row[0], "name": row[1], "cells": row[2:], "bold": i in table.bold}
            for i, row in enumerate(_printed(f, table))]


def _tables(f: Formatter, r: Report) -> dict[str, Any]:
    """The nine 公开 tables as rows of printed cells (the same rows as the .xlsx of --tables-xlsx)."""
    t = {table.no: table for table in public_tables(r)}
    t07 = _printed(f, t["07"])
    return {
        "t01": _printed(f, t["01"]),
        "t02": _coded(f, t["02"]),
        "t03": _coded(f, t["03"]),
        "t04": _printed(f, t["04"]),
        "t05": _coded(f, t["05"]),
        "t06": _coded(f, t["06"]),
        "t07": {"budget": t07[0][1:], "actual": t07[1][1:]},
        "t08": _coded(f, t["08"]),
        "t09": _coded(f, t["09"]),
        "notes": {f"t{no}": table.empty_note for no, table in t.items()},  # “注：…本表无数据。” of an empty table, or ""
    }
