"""`juesuan check-template`: find what would break or mislead in a user's .docx template before any data is used.

Reports unknown names, filters and tests, what the sandbox refuses (names and attributes starting with _, macros…),
tags split across Word runs, curly quotes inside tags and unbalanced blocks, each with the paragraph it is in. Each
tag is checked on its own, so a missing {% endfor %} does not hide an unknown name elsewhere.
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

from generator.document.environment import checking_environment, refusals
from generator.errors import TemplateError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
CURLY = "“”‘’"
_PREFIX = re.compile(r"^(\{[{%])\s*(?:p|tr|tc|r)\s+")
_BLOCK = re.compile(r"^\{%-?\s*(\w+)")
OPENERS, CLOSERS = {"for": "endfor", "if": "endif"}, {"endfor": "for", "endif": "if"}
from generator.vocabulary import CHART_TITLES, ERROR, WARNING, Severity  # noqa: E402


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


_CORE = "{http://purl.org/dc/elements/1.1/}"
# The document properties docxtpl renders as templates (author, comments, identifier, language, subject, title).
_RENDERED_PROPERTIES = {f"{_CORE}{n}" for n in ("creator", "description", "identifier", "language", "subject", "title")}
_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml|docProps/core\.xml")
_SAFE_XML = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def _parts(path: Path) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if _PART.fullmatch(n)]
            return [(n, z.read(n)) for n in sorted(names, key=lambda n: (n.startswith("docProps"), n))]
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(f"无法读取模板 {path}：不是有效的 .docx 文件（{exc}）") from None


def _part_label(name: str) -> str:
    stem = name.removeprefix("word/").removesuffix(".xml")
    for prefix, label in (("document", "正文"), ("header", "页眉"), ("footer", "页脚"), ("footnotes", "脚注")):
        if stem.startswith(prefix):
            return label
    return "文档属性"


def tags(path: Path) -> list[_Tag]:
    """Every template tag in document order (body, headers, footers, footnotes, then document properties)."""
    out: list[_Tag] = []
    for name, xml in _parts(path):
        root = etree.fromstring(xml, _SAFE_XML)
        part = _part_label(name)
        if name.startswith("docProps"):
            for prop in root:
                if prop.tag in _RENDERED_PROPERTIES:
                    out += [_Tag(m.group(), part, prop.text, 1) for m in TAG.finditer(prop.text or "")]
            continue
        for p in root.iter(f"{W}p"):
            out += _paragraph_tags(p, part)
    return out


def _expression_source(tag: str) -> str:
    """A docxtpl tag as plain Jinja ({%p if x %} → {% if x %}; {% vmerge x %} → {{ x }})."""
    tag = _PREFIX.sub(r"\1 ", tag)
    m = re.fullmatch(r"\{%-?\s*vmerge\s+(.*?)-?%\}", tag, re.DOTALL)
    return "{{ " + m.group(1) + " }}" if m else tag


_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})  # docxtpl straightens them too
# Block tags checked one at a time get their end tag, so each parses alone.
_ENDS = {w: "end" + w for w in ("for", "if", "with", "filter", "macro", "call", "block", "autoescape")}
FUNCTION, RESULT = "<函数>", "<函数结果>"


def _source(tag: _Tag) -> str:
    return _expression_source(tag.text).replace("\n", " ").translate(_STRAIGHT)


def _word(source: str) -> str:
    m = _BLOCK.match(source)
    return m.group(1) if m else ""


def _alone(source: str) -> str | None:
    """The tag as a template of its own (None for tags with nothing to check: else, end tags, comments)."""
    word = _word(source)
    if source.startswith("{#") or word == "else" or word.startswith("end"):
        return None
    if word == "elif":
        return _BLOCK.sub(lambda m: m.group(0)[:-4] + "if", source, count=1) + "{% endif %}"
    if word == "set" and "=" not in source.split("%}")[0]:
        return source + "{% endset %}"
    return source + ("{% " + _ENDS[word] + " %}" if word in _ENDS else "")


class _Resolver:
    """Resolves the names of one tag after another, keeping the loop variables of the blocks still open."""

    def __init__(self, context: dict[str, Any], env: jinja2.Environment, report):
        self.context, self.env, self.report = context, env, report
        self.frames: list[tuple[str, dict[str, Any]]] = [("", {})]

    def lookup(self, name: str) -> tuple[bool, Any]:
        for _, frame in reversed(self.frames):
            if name in frame:
                return True, frame[name]
        if name in self.context:
            return True, self.context[name]
        if name in self.env.globals:
            return True, FUNCTION
        return False, None

    def close(self, word: str) -> None:
        """An end tag: leave the innermost frame opened by the matching block, if any."""
        opener = word.removeprefix("end")
        for i in range(len(self.frames) - 1, 0, -1):
            if self.frames[i][0] == opener:
                del self.frames[i:]
                return

    def tag(self, tree: nodes.Template) -> None:
        for node in tree.body:
            self.statement(node)

    def statement(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.For):
            self.loop(node)
        elif isinstance(node, nodes.Assign | nodes.AssignBlock):
            value = self.resolve(node.node) if isinstance(node, nodes.Assign) else ""
            for target in _targets(node.target):
                self.frames[-1][1][target] = value
        elif isinstance(node, nodes.With):
            self.frames.append(("with", {}))
            for target, value in zip(node.targets, node.values, strict=False):
                for name in _targets(target):
                    self.frames[-1][1][name] = self.resolve(value)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            names = [a.name for a in getattr(node, "args", [])] + ["caller", "varargs", "kwargs"]
            self.frames.append(("macro" if isinstance(node, nodes.Macro) else "call", dict.fromkeys(names, "")))
        else:
            self.walk(node)

    def loop(self, node: nodes.For) -> None:
        item = self.resolve(node.iter)
        shape = item[0] if isinstance(item, list) and item else None
        frame = dict.fromkeys(_targets(node.target), shape)
        frame["loop"] = {"index": "1", "index0": "0", "first": "", "last": "", "length": "1", "revindex": "1",
                         "revindex0": "0", "cycle": FUNCTION, "changed": FUNCTION, "depth": "1", "depth0": "0",
                         "previtem": shape, "nextitem": shape}
        self.frames.append(("for", frame))
        if node.test is not None:
            self.walk(node.test)

    def walk(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem | nodes.Call):
            self.resolve(node)
            return
        if isinstance(node, nodes.Filter | nodes.Test):
            known = self.env.filters if isinstance(node, nodes.Filter) else self.env.tests
            if node.name not in known:
                kind = "过滤器" if isinstance(node, nodes.Filter) else "测试"
                self.report(f"未知的{kind}“{node.name}”")
        for child in node.iter_child_nodes():
            self.walk(child)

    def resolve(self, node: nodes.Node) -> Any:
        """The shape a name stands for; None (after reporting) when the context does not have it."""
        if isinstance(node, nodes.Name):
            if node.name.startswith("_") or node.name == "self":
                return None  # reported as refused
            found, shape = self.lookup(node.name)
            if not found:
                self.report(f"未知的名称“{node.name}”")
            return shape
        if isinstance(node, nodes.Call):
            callee = self.resolve(node.node)
            chart = node.args[0] if isinstance(node.node, nodes.Name) and node.node.name == "chart" and node.args else None
            if isinstance(chart, nodes.Const) and chart.value not in CHART_TITLES:
                self.report(f"未知的图表“{chart.value}”（可用：{'、'.join(CHART_TITLES)}）")
            for child in (*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs):
                if child is not None:
                    self.walk(child)
            return RESULT if callee == FUNCTION else "" if callee is not None else None
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            return self.member(node)
        self.walk(node)
        return ""

    def member(self, node: nodes.Getattr | nodes.Getitem) -> Any:
        base = self.resolve(node.node)
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(node, nodes.Getitem):
            self.walk(node.arg)
        if base is None or (isinstance(key, str) and key.startswith("_")):
            return None
        if base in (FUNCTION, RESULT):
            self.report(f"函数和图片没有可用的属性：“{_dotted(node)}”")
            return None
        if isinstance(base, list) and isinstance(key, int):
            return base[0]
        if isinstance(base, dict) and isinstance(key, str):
            if key in base:
                return base[key]
            self.report(f"未知的名称“{_dotted(node)}”（可用：{'、'.join(list(base)[:12])}{'…' if len(base) > 12 else ''}）")
            return None
        return ""  # methods and items of strings are left to Jinja


def _targets(node: nodes.Node) -> list[str]:
    if isinstance(node, nodes.Name):
        return [node.name]
    if isinstance(node, nodes.Tuple):
        return [n for item in node.items for n in _targets(item)]
    return []


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_dotted(node.node)}[{getattr(node.arg, 'value', '…')}]"
    if isinstance(node, nodes.Call):
        return f"{_dotted(node.node)}(…)"
    return "…"


def _balance(found: list[_Tag], report) -> bool:
    stack: list[tuple[str, _Tag]] = []
    ok = True
    for tag in found:
        word = _word(_expression_source(tag.text))
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
    """Every problem found in a template, in document order (one tag's fault never hides another's)."""
    from generator.document.context_names import context_shape
    from generator.document.templates import verify_package

    path = Path(path)
    if not path.exists():
        raise TemplateError(f"找不到模板文件：{path}")
    try:
        verify_package(path)
    except TemplateError as exc:
        return [Problem(ERROR, str(exc), "模板文件", "")]
    found = tags(path)
    position = {id(tag): i for i, tag in enumerate(found)}
    problems: list[tuple[int, Problem]] = []

    def report(severity: Severity, message: str, tag: _Tag) -> None:
        problems.append((position[id(tag)], Problem(severity, message, tag.part, tag.paragraph)))

    for tag in found:
        if tag.runs > 1:
            report(WARNING, f"标签“{tag.text}”被拆分在 {tag.runs} 个文字块中（格式不一致，例如部分文字改过字体或被拼写检查标记）；"
                            "请删除后一次输入整个标签", tag)
        quotes = [c for c in tag.text if c in CURLY]
        if quotes:
            report(ERROR, f"标签“{tag.text}”中有中文（弯）引号 {''.join(quotes)}；标签内只能用英文直引号 ' 或 \"", tag)
    tags_ok = _check_tags(found, context or context_shape(), report)
    if _balance(found, report) and tags_ok:
        _check_whole(found, report)
    return [p for _, p in sorted(problems, key=lambda x: x[0])]


def _check_tags(found: list[_Tag], context: dict[str, Any], report) -> bool:
    """Each tag alone: syntax, what the sandbox refuses and names the context lacks. False if one did not parse."""
    env = checking_environment()
    ok = True
    current: list[_Tag] = []
    resolver = _Resolver(context, env, lambda message: report(ERROR, f"{message}：“{current[0].text}”", current[0]))
    for tag in found:
        current[:] = [tag]
        source = _source(tag)
        alone = _alone(source)
        if alone is None:
            if _word(source).startswith("end"):
                resolver.close(_word(source))
            continue
        try:
            tree = env.parse(alone)
        except jinja2.TemplateSyntaxError as exc:
            report(ERROR, f"标签语法错误：{exc.message}", tag)
            ok = False
            continue
        reasons = dict.fromkeys(reason for _, reason in refusals(tree))
        if reasons:
            report(ERROR, f"{'；'.join(reasons)}：“{tag.text}”", tag)
        resolver.tag(tree)
    return ok


def _check_whole(found: list[_Tag], report) -> None:
    """The tags together, as Jinja will compile them: what only shows across tags (an else after a for's end…)."""
    try:
        checking_environment().parse("\n".join(_source(t) for t in found))
    except jinja2.TemplateSyntaxError as exc:
        tag = found[min(max(exc.lineno or 1, 1), len(found)) - 1]
        report(ERROR, f"标签语法错误：{exc.message}", tag)
