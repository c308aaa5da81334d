"""Sentence frames: the words of a document's computed sentences live in the template, not in Python.

The shipped phrase book is `templates/phrases.toml`; a template's own `.toml` may override any entry in a
`[phrases]` table. The code only chooses which frame applies and fills in the figures.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from generator.bundled import template_dir
from generator.errors import TemplateError

# key → the names a frame may use (empty: a plain word or separator), and what it is for.
FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "yoy_flat": (("last",), "与上年（或预算）持平"),
    "yoy_up": (("lead", "last", "amount", "rate"), "比上年增加"),
    "yoy_down": (("lead", "last", "amount", "rate"), "比上年减少"),
    "yoy_up_slight": (("lead", "last", "amount", "min_rate"), "比上年增加，增长率按所印位数为零"),
    "yoy_down_slight": (("lead", "last", "amount", "min_rate"), "比上年减少，下降率按所印位数为零"),
    "yoy_new": (("lead", "last", "amount"), "上年为零、本年有支出"),
    "yoy_missing": (("last",), "上年数未填写（只在草稿中出现）"),
    "compare_lead": ((), "与上年比较的引导词（四川样式）"),
    "against_lead": ((), "与上年决算数、与年初预算数比较的引导词（重庆样式）"),
    "against_last": ((), "重庆样式中“上年”的说法"),
    "budget_last": ((), "与预算比较时“预算”的说法"),
    "budget_unbudgeted_spent": (("amount",), "与预算比较：年初未安排预算却有支出"),
    "completion": (("rate",), "完成预算百分比"),
    "completion_unbudgeted": ((), "年初未安排预算而有支出"),
    "completion_none": ((), "既无预算也无支出"),
    "budget_equal": ((), "决算数等于预算数"),
    "budget_over": ((), "决算数大于预算数"),
    "budget_under": ((), "决算数小于预算数"),
    "budget_compare": (("head", "compare"), "完成预算句加比较（无原因）"),
    "budget_compare_reason": (("head", "compare", "reason"), "完成预算句加比较和原因"),
    "budget_unbudgeted_reason": (("head", "reason"), "无预算时的原因"),
    "reason": (("reason",), "变动原因句"),
    "shortfall": (("reason",), "项目执行数小于预算数的原因句"),
    "reception_content": (("text",), "公务接待的具体内容"),
    "reception_use": (("text",), "公务接待费的用途"),
    "project_achieved": (("text",), "项目实施效果"),
    "project_problems": (("text",), "项目发现的问题"),
    "project_measures": (("text",), "项目下一步改进措施"),
    "part": (("name", "amount", "share"), "构成中的一项"),
    "parts_separator": ((), "构成各项之间的分隔符"),
    "parts_lead": (("items",), "“其中”构成（接在总额之后）"),
    "parts_sentence": (("items",), "“其中”构成，单独成句"),
    "gp_structure": (("items",), "一般公共预算财政拨款支出按类构成"),
    "fund_structure": (("items",), "政府性基金、国有资本经营预算支出构成"),
    "three_structure": (("items",), "“三公”经费构成"),
    "basic_items": (("items",), "人员经费、公用经费包括的经济科目"),
    "list_separator": ((), "并列名称之间的分隔符"),
    "closing_some": (("amount",), "有年末结转和结余"),
    "closing_none": ((), "无年末结转和结余"),
    "procurement_part": (("name", "amount"), "政府采购货物/工程/服务支出"),
    "car_kind": (("name", "count"), "各类车辆数"),
    "project_amount": (("name", "amount"), "项目清单中的一项（项目名称和金额）"),
    "project_separator": ((), "项目清单各项之间的分隔符"),
    "projects_done": (("count", "step"), "开展某项绩效管理工作的项目数"),
    **{f"{state}_{k}": ((), f"项目绩效管理工作：{v}（{when}）")
       for state, when in (("step", "有项目开展时"), ("none", "无项目开展时"))
       for k, v in (("pre_assessed", "事前绩效评估"), ("has_targets", "绩效目标"), ("monitored", "绩效监控"),
                    ("self_assessed", "自评"))},
}


def _check(key: str, frame: Any, where: str) -> str:
    """A frame may use only its own documented names, with no attribute, index or format spec."""
    if key not in FIELDS:
        raise TemplateError(f"{where} 的 [phrases] 中有未知的项“{key}”；可用的项见 docs/templates.md“措辞”一节")
    if not isinstance(frame, str):
        raise TemplateError(f"{where} 的 [phrases] 中“{key}”应为带引号的文字")
    allowed = FIELDS[key][0]
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(frame) if name is not None]
    except ValueError as exc:
        raise TemplateError(f"{where} 的 [phrases] 中“{key}”的花括号不成对：{exc}") from None
    for name, spec, conv in fields:
        if name not in allowed or spec or conv:
            names = "、".join("{" + n + "}" for n in allowed) or "（不能用花括号）"
            raise TemplateError(f"{where} 的 [phrases] 中“{key}”用了“{{{name}}}”；这一项只能用：{names}")
    return frame


class Phrases(Mapping[str, str]):
    """The frames one template uses: the shipped phrase book with the template's own overrides."""

    __slots__ = ("_frames",)

    def __init__(self, frames: Mapping[str, str]):
        self._frames = dict(frames)

    def __getitem__(self, key: str) -> str:
        return self._frames[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._frames.items())))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrases) and self._frames == other._frames

    def __repr__(self) -> str:
        return f"Phrases({len(self._frames)} frames)"

    def __getstate__(self) -> dict:
        return self._frames

    def __setstate__(self, state: dict) -> None:
        self._frames = state

    def say(self, key: str, **values: str) -> str:
        """The frame `key` with its names filled in."""
        return self._frames[key].format_map(values)

    def with_overrides(self, overrides: Mapping[str, Any], where: str) -> Phrases:
        return Phrases({**self._frames, **{k: _check(k, v, where) for k, v in overrides.items()}})


@cache
def default_phrases() -> Phrases:
    """The shipped phrase book (templates/phrases.toml)."""
    path = template_dir() / "phrases.toml"
    try:
        book = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"无法读取措辞文件 {path}：{exc}") from None
    missing = [k for k in FIELDS if k not in book]
    if missing:
        raise TemplateError(f"措辞文件 {path} 缺少：{'、'.join(missing)}")
    return Phrases({k: _check(k, v, str(path)) for k, v in book.items()})
