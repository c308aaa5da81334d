"""Jinja filters a template may use to word values: registered once here, documented in docs/templates.md.

Each takes the template's own words as arguments, so a sentence's frame stays in the template text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_CLOSERS = "。；;，,、：:"


def bare(text: Any) -> str:
    """A value as text without surrounding blanks or closing punctuation; '' for None."""
    return "" if text is None else str(text).strip().rstrip(_CLOSERS)


def say(value: Any, lead: str = "", end: str = "。") -> str:
    """`lead` + value + `end`, or nothing at all when the value is blank: no “联系电话：。”.

    {{ unit.phone|say("联系电话：") }} → 联系电话：0737-4222222。 (or nothing)
    """
    text = bare(value)
    return f"{lead}{text}{end}" if text else ""


def joined(items: Iterable[Any], separator: str = "；", end: str = "。") -> str:
    """List items joined into one sentence without doubled punctuation (no “。；” or “。。”); '' when empty.

    {{ functions|joined }} → 负责……；负责……；负责……。
    """
    parts = [bare(i) for i in items]
    parts = [p for p in parts if p]
    return separator.join(parts) + end if parts else ""


def sentences(items: Iterable[Any], end: str = "。") -> list[str]:
    """Each item as a sentence ending in exactly one `end`, blanks dropped (for one paragraph per item).

    {%p for line in texts.problems|sentences %}…{{ line }}…{%p endfor %}
    """
    return [bare(i) + end for i in items if bare(i)]


# name → function; the rendering and template-check environments both register every entry.
FILTERS: dict[str, Callable[..., Any]] = {"say": say, "joined": joined, "sentences": sentences}

# name → (what it does, an example as a template author writes it, what the reader sees), for docs/templates.md.
FILTER_DOCS: dict[str, tuple[str, str, str]] = {
    "say": ("在值前加引导词、后加结尾标点；值为空时什么也不输出",
            '{{ unit.phone|say("联系电话：") }}', "联系电话：0737-4222222。（未填电话时整句不出现）"),
    "joined": ("把列表各项连成一句，去掉各项自带的句末标点，不会出现“。；”“。。”；列表为空时什么也不输出",
               '{{ functions|joined("；") }}', "负责……；负责……；负责……。"),
    "sentences": ("列表中每项各成一句，恰好以一个“。”结尾，空项去掉；用于每项一段",
                  "{%p for line in perf.dept.target|sentences %} … {{ line }} … {%p endfor %}", "每段以一个句号结尾"),
}
