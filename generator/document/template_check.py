"""`juesuan check-template`: find what would break or mislead in a user's .docx template before any data is used.

Reports unknown names, tags split across Word runs, curly quotes inside tags and unbalanced blocks, each with the
paragraph it is in.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from lxml import etree

from generator.errors import TemplateError
from generator.wording.filters import FILTERS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
CURLY = "“”‘’"
_PREFIX = re.compile(r"^(\{[{%])\s*(?:p|tr|tc|r)\s+")
_BLOCK = re.compile(r"^\{%-?\s*(\w+)")
OPENERS, CLOSERS = {"for": "endfor", "if": "endif"}, {"endfor": "for", "endif": "if"}
from generator.vocabulary import ERROR, WARNING, Severity  # noqa: E402


@dataclass(frozen=True)
class Problem:
    severity: Severity
    message: str
    part: str
    paragraph: str

    def __str__(self) -> str:
        text = self.paragraph if len(self.paragraph) <= 60 else self.paragraph[:57] + "…"
        return f"{self.severity.label}　{self.part}：{self.message}\n　　所在段落：{text}"


@dataclass(frozen=True)
class _Tag:
    text: str
    part: str
    paragraph: str
    runs: int  # how many Word runs the tag's characters come from


def _paragraph_tags(p, part: str) -> list[_Tag]:
    pieces: list[tuple[int, str]] = []
    for i, run in enumerate(p.iter(f"{W}r")):
        for t in run.iter(f"{W}t"):
            pieces += [(i, ch) for ch in (t.text or "")]
    text = "".join(ch for _, ch in pieces)
    return [_Tag(m.group(), part, text, len({pieces[k][0] for k in range(m.start(), m.end())}))
            for m in TAG.finditer(text)]


def _parts(path: Path) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
            return [(n.removeprefix("word/").removesuffix(".xml"), z.read(n)) for n in sorted(names)]
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(f"无法读取模板 {path}：不是有效的 .docx 文件（{exc}）") from None


def tags(path: Path) -> list[_Tag]:
    """Every template tag in document order (body, then headers and footers), with its paragraph."""
    out: list[_Tag] = []
    labels = {"document": "正文"}
    for name, xml in _parts(path):
        root = etree.fromstring(xml)
        part = labels.get(name, "页眉" if name.startswith("header") else "页脚")
        for p in root.iter(f"{W}p"):
            out += _paragraph_tags(p, part)
    return out


def _expression_source(tag: str) -> str:
    """A docxtpl tag as plain Jinja ({%p if x %} → {% if x %}; {% vmerge x %} → {{ x }})."""
    tag = _PREFIX.sub(r"\1 ", tag)
    m = re.fullmatch(r"\{%-?\s*vmerge\s+(.*?)-?%\}", tag, re.DOTALL)
    return "{{ " + m.group(1) + " }}" if m else tag


class _Resolver:
    """Walks a template's Jinja tree, following loop variables, and reports names the context does not have."""

    def __init__(self, context: dict[str, Any], report):
        self.context, self.report = context, report

    def walk(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            item = self.resolve(node.iter, scope)
            inner = dict(scope)
            shape = item[0] if isinstance(item, list) and item else None
            for target in (node.target.items if isinstance(node.target, nodes.Tuple) else [node.target]):
                inner[target.name] = shape
            inner["loop"] = {"index": "1", "index0": "0", "first": "", "last": "", "length": "1", "revindex": "1"}
            for child in node.body:
                self.walk(child, inner)
            for child in node.else_:
                self.walk(child, scope)
            if node.test is not None:
                self.walk(node.test, inner)
            return
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.walk(child, scope)

    def resolve(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        """The shape a name stands for; None (after reporting) when the context does not have it."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.context:
                return self.context[node.name]
            self.report(node.lineno, f"未知的名称“{node.name}”")
            return None
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            base = self.resolve(node.node, scope)
            if base is None:
                return None
            key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            if isinstance(base, list) and isinstance(key, int):
                return base[0]
            if isinstance(base, dict) and isinstance(key, str):
                if key in base:
                    return base[key]
                self.report(node.lineno, f"未知的名称“{_dotted(node)}”（可用：{'、'.join(list(base)[:12])}{'…' if len(base) > 12 else ''}）")
                return None
            if isinstance(node, nodes.Getitem):
                self.walk(node.arg, scope)
            return ""  # methods and items of strings are left to Jinja
        self.walk(node, scope)
        return ""


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_dotted(node.node)}[{getattr(node.arg, 'value', '…')}]"
    return "…"


def _balance(found: list[_Tag], report) -> bool:
    stack: list[tuple[str, _Tag]] = []
    ok = True
    for tag in found:
        m = _BLOCK.match(_expression_source(tag.text))
        word = m.group(1) if m else ""
        if word in OPENERS:
            stack.append((word, tag))
        elif word in CLOSERS:
            if not stack or stack[-1][0] != CLOSERS[word]:
                opened = f"，而最近打开的是“{stack[-1][1].text}”" if stack else ""
                report(ERROR, f"“{tag.text}”没有对应的 {{% {CLOSERS[word]} %}}{opened}", tag)
                ok = False
            else:
                stack.pop()
        elif word in ("else", "elif") and (not stack or stack[-1][0] != "if"):
            report(ERROR, f"“{tag.text}”不在 {{% if %}} 块中", tag)
            ok = False
    for word, tag in stack:
        report(ERROR, f"“{tag.text}”没有结束标签 {{% {OPENERS[word]} %}}", tag)
        ok = False
    return ok


def check_template(path: str | Path, context: dict[str, Any] | None = None) -> list[Problem]:
    """Every problem found in a template, in document order."""
    from generator.document.context_names import context_shape

    path = Path(path)
    if not path.exists():
        raise TemplateError(f"找不到模板文件：{path}")
    found = tags(path)
    problems: list[Problem] = []

    def report(severity: Severity, message: str, tag: _Tag) -> None:
        problems.append(Problem(severity, message, tag.part, tag.paragraph))

    for tag in found:
        if tag.runs > 1:
            report(WARNING, f"标签“{tag.text}”被拆分在 {tag.runs} 个文字块中（格式不一致，例如部分文字改过字体或被拼写检查标记）；"
                            "请删除后一次输入整个标签", tag)
        quotes = [c for c in tag.text if c in CURLY]
        if quotes:
            report(ERROR, f"标签“{tag.text}”中有中文（弯）引号 {''.join(quotes)}；标签内只能用英文直引号 ' 或 \"", tag)
    if not _balance(found, report):
        return problems
    straight = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})  # docxtpl straightens them too
    source = "\n".join(_expression_source(t.text).replace("\n", " ").translate(straight) for t in found)
    env = jinja2.Environment()
    env.filters.update(FILTERS)
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        tag = found[min(max(exc.lineno, 1), len(found)) - 1]
        report(ERROR, f"标签语法错误：{exc.message}", tag)
        return problems

    def unknown(lineno: int, message: str) -> None:
        tag = found[min(max(lineno, 1), len(found)) - 1]
        report(ERROR, f"{message}：“{tag.text}”", tag)

    _Resolver(context or context_shape(), unknown).walk(tree, {})
    return problems
