"""The Jinja environment templates render in: Jinja's immutable sandbox, narrowed to what a template needs, with limits.

Templates are untrusted input. What a template may reach is the context (dicts, lists and strings), `loop`, a
bounded `range`, the `chart` function and the filters in `generator.wording.filters.FILTERS` plus Jinja's own
harmless ones. Python objects expose no attributes besides a short list of string, dict and list methods; every
value a template builds is bounded in size; rendering stops at a wall-clock deadline.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext, markup_join, str_join
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from generator.errors import TemplateError
from generator.wording.filters import FILTERS

MAX_VALUE = 1_000_000  # characters (or items) in any one value a template builds: a paragraph is far smaller
OUTPUT_VARIABLE = "JUESUAN_MAX_PART_CHARS"


def _output_limit() -> int:
    raw = os.environ.get(OUTPUT_VARIABLE, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else 20_000_000


# Characters of one rendered document part (read when the tool starts): a unit's body is about 0.5 million; the
# 部门汇总 of a department of 300 units with 300 projects about 5 million, with 1,500 projects (each with its 绩效
# table in the Sichuan layout's 附件) more than 20 million: such a department raises it with the variable.
MAX_OUTPUT = _output_limit()
MAX_INT_BITS = 100_000  # size of an integer a template may compute (about 30 000 digits)
DEFAULT_SECONDS = 60.0
SECONDS_VARIABLE = "JUESUAN_RENDER_SECONDS"

# The only attributes a template may read besides dict keys: methods that cannot build large values.
STR_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha", "isascii", "isdecimal",
    "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "lower", "lstrip", "partition",
    "removeprefix", "removesuffix", "rfind", "rindex", "rpartition", "rsplit", "rstrip", "split", "splitlines",
    "startswith", "strip", "swapcase", "title", "upper", "striptags", "unescape",
})
ATTRIBUTES: tuple[tuple[type, frozenset[str]], ...] = (
    (str, STR_METHODS),
    (dict, frozenset({"get", "items", "keys", "values"})),
    (list, frozenset({"count", "index"})),
    (tuple, frozenset({"count", "index"})),
)

# Jinja filters a template cannot use: they pad or repeat text by a number the template chooses, format with
# printf specs, print Python reprs, or make the output differ between runs.
REMOVED_FILTERS = frozenset({"format", "indent", "wordwrap", "pprint", "random"})
# Filters whose integer arguments are sizes (widths, counts): bounded like every other value.
SIZED_FILTERS = frozenset({"center", "batch", "slice", "truncate"})

# Tags a template cannot use: template inheritance and inclusion (there is no loader), and macros (recursion).
REFUSED_TAGS: dict[type[nodes.Node], str] = {
    nodes.Macro: "{% macro %}", nodes.CallBlock: "{% call %}", nodes.Import: "{% import %}",
    nodes.FromImport: "{% from … import %}", nodes.Include: "{% include %}", nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
}
# Filters and tests whose string argument names an attribute (`attr('x')`, `map(attribute='x')`).
ATTRIBUTE_ARGUMENT = frozenset({"attr", "selectattr", "rejectattr", "groupby"})


class LimitExceeded(jinja2.exceptions.SecurityError):
    """A template went past one of the rendering limits; `reason` says which, in Chinese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RenderTimeout(LimitExceeded):
    def __init__(self, seconds: float):
        super().__init__(f"渲染超过 {seconds:g} 秒")
        self.seconds = seconds


# ---------------------------------------------------------------- the deadline
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("juesuan_render_deadline", default=None)


def render_seconds(seconds: float | None = None) -> float:
    """The wall-clock limit of one document: the argument, else JUESUAN_RENDER_SECONDS, else 60 seconds."""
    if seconds is not None:
        return seconds
    raw = os.environ.get(SECONDS_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise TemplateError(f"环境变量 {SECONDS_VARIABLE} 应为正数（秒），读到的是“{raw}”")
    return value


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Rendering inside the block stops with RenderTimeout once `seconds` have passed."""
    token = _DEADLINE.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def tick() -> None:
    """Stop if the current render is past its deadline (called on every loop step, call and attribute access)."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise RenderTimeout(deadline[1])


# ---------------------------------------------------------------- sizes
def weight(value: Any, budget: int = MAX_VALUE) -> int:
    """How many characters `value` can become when written out (containers count their items); stops past budget."""
    if isinstance(value, str):  # what nearly every printed value is (the loop below would say the same)
        return len(value)
    total, stack = 0, [value]
    while stack and total <= budget:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, bool):
            total += 1
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, dict):
            total += 1
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset | type({}.items()) | type({}.keys()) | type({}.values())):
            total += 1
            stack.extend(item)
        elif isinstance(item, range):
            total += len(item) * 7  # up to six digits and a separator each
        else:
            total += 1
    return total


def bounded(value: Any) -> Any:
    """`value`, unless it is larger than a template may build."""
    if weight(value) > MAX_VALUE:
        raise LimitExceeded(f"生成的文字或列表超过 {MAX_VALUE} 个字符")
    return value


def allowance(*given: Any) -> int:
    """What a call may return: what it is given plus MAX_VALUE. Checked before the call: no single argument may be
    larger than a document part (a list literal that repeats one long text many times counts each time)."""
    total = 0
    for value in given:
        size = weight(value, MAX_OUTPUT)
        if size > MAX_OUTPUT:
            raise LimitExceeded(f"交给函数或过滤器的文字或列表超过 {MAX_OUTPUT} 个字符")
        total += size
    return total + MAX_VALUE


def within(result: Any, allowed: int) -> Any:
    """`result` of a call, unless it is larger than its `allowance`.

    What a call is given may be large: a 300-unit department's 部门汇总 hands the template 1,500 projects, and a
    filter that sorts or selects them returns as much. A template may not *build* more than MAX_VALUE."""
    if weight(result, allowed) > allowed:
        raise LimitExceeded(f"生成的文字或列表超过 {MAX_VALUE} 个字符")
    return result


def _bounded_int(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE:
        raise LimitExceeded(f"使用了过大的数值 {value}（上限 {MAX_VALUE}）")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse, before computing, what would be too large: repetition, powers, products and concatenations."""
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "**" and ints and right > 0 and abs(left) > 1:
        if right * abs(left).bit_length() > MAX_INT_BITS:
            raise LimitExceeded(f"乘方 {left} ** {right} 的结果过大")
    elif operator == "*" and ints:
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise LimitExceeded("乘积过大")
    elif operator == "*":
        count, seq = (right, left) if isinstance(right, int) else (left, right)
        if isinstance(count, int) and isinstance(seq, str | list | tuple) and count > 0:
            if weight(seq) * count > MAX_VALUE:
                raise LimitExceeded(f"重复生成的文字或列表超过 {MAX_VALUE} 个字符")
    elif operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        if weight(left) + weight(right) > MAX_VALUE:
            raise LimitExceeded(f"拼接生成的文字或列表超过 {MAX_VALUE} 个字符")
    elif operator == "%" and isinstance(left, str):
        raise jinja2.exceptions.SecurityError("模板中不能用 % 格式化文字（数字在渲染前已格式化好）")


def _bounded_range(*args: int) -> range:
    made = range(*args)
    try:
        too_long = len(made) > MAX_RANGE
    except OverflowError:  # longer than the platform can count
        too_long = True
    if too_long:
        raise LimitExceeded(f"range 的长度超过 {MAX_RANGE}")
    return made


# ---------------------------------------------------------------- filters
def _bounded_filter(func: Callable[..., Any], sized: bool) -> Callable[..., Any]:
    """A Jinja filter that refuses results much larger than its arguments (Jinja's pass_* markers are kept by wraps)."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        tick()
        if sized:
            for arg in (*args, *kwargs.values()):
                _bounded_int(arg)
        allowed = allowance(*args, *kwargs.values())
        return within(func(*args, **kwargs), allowed)

    return run


def _join(join: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(join)
    def run(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        items = value if isinstance(value, str | jinja2.Undefined) else list(value)
        if not isinstance(items, str | jinja2.Undefined):
            size = max(len(items) - 1, 0) * weight(d)  # what the join adds to the items it was given
            if size > MAX_VALUE:
                raise LimitExceeded(f"join 生成的文字超过 {MAX_VALUE} 个字符")
        return join(eval_ctx, items, d, attribute)

    return run


def _replace(replace: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(replace)
    def run(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> Any:
        text, old_text, new_text = str(s), str(old), str(new)
        times = text.count(old_text) if old_text else len(text) + 1
        if count is not None:
            times = min(times, max(count, 0))
        if len(text) + times * (len(new_text) - len(old_text)) > MAX_VALUE:
            raise LimitExceeded(f"replace 生成的文字超过 {MAX_VALUE} 个字符")
        return replace(eval_ctx, s, old, new, count)

    return run


def template_filters(builtin: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Jinja's filters a template may use, each bounded."""
    special = {"join": _join, "replace": _replace}
    out = {}
    for name, func in builtin.items():
        if name in REMOVED_FILTERS:
            continue
        inner = special[name](func) if name in special else func
        out[name] = _bounded_filter(inner, name in SIZED_FILTERS)
    return out


# ---------------------------------------------------------------- what a template's tree may hold
def _attribute_path(value: Any) -> bool:
    return isinstance(value, str) and any(part.startswith("_") for part in value.split("."))


def refusals(tree: nodes.Node) -> list[tuple[int, str]]:
    """(line, Chinese reason) for everything in a parsed template the sandbox does not allow, in source order.

    Constant expressions past a limit (`range(10**9)`, `'x' * 10**10`) are refused here, before anything runs.
    """
    found: list[tuple[int, str]] = []
    for node in tree.find_all(nodes.Node):
        reason = _refusal(node) or _constant_limit(node)
        if reason and (node.lineno, reason) not in found:
            found.append((node.lineno, reason))
    return sorted(found, key=lambda x: x[0])


class _NotConstant(Exception):
    pass


_FOLDED = {"*": lambda a, b: a * b, "**": lambda a, b: a ** b, "+": lambda a, b: a + b, "-": lambda a, b: a - b}


def _constant(node: nodes.Node) -> Any:
    """The value of a constant expression, computed under the same limits as at render time."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.List | nodes.Tuple):
        return [_constant(item) for item in node.items]
    if isinstance(node, nodes.Neg):
        return -_constant(node.node)
    if isinstance(node, nodes.BinExpr) and node.operator in _FOLDED:
        left, right = _constant(node.left), _constant(node.right)
        _check_binop(node.operator, left, right)
        try:
            return bounded(_FOLDED[node.operator](left, right))
        except (TypeError, ValueError, ArithmeticError):
            raise _NotConstant from None
    raise _NotConstant


def _constant_limit(node: nodes.Node) -> str | None:
    try:
        if isinstance(node, nodes.BinExpr):
            _constant(node)
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "range":
            _bounded_range(*(_constant(arg) for arg in node.args))
    except LimitExceeded as exc:
        return exc.reason
    except (_NotConstant, TypeError, ValueError):
        pass
    return None


def _refusal(node: nodes.Node) -> str | None:
    for kind, tag in REFUSED_TAGS.items():
        if isinstance(node, kind):
            return f"模板中不能使用 {tag}"
    if isinstance(node, nodes.For) and node.recursive:
        return "模板中不能使用递归循环（for … recursive）"
    if isinstance(node, nodes.Name) and (node.name.startswith("_") or node.name == "self"):
        return f"不允许使用名称“{node.name}”"
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return f"不允许访问以 _ 开头的属性“{node.attr}”"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and _attribute_path(node.arg.value):
        return f"不允许访问以 _ 开头的属性“{node.arg.value}”"
    if isinstance(node, nodes.Filter | nodes.Test):
        named = [kw.value for kw in node.kwargs if kw.key == "attribute"]
        if node.name in ATTRIBUTE_ARGUMENT and node.args:
            named.append(node.args[0])
        if node.name == "map" and node.args[:1] and getattr(node.args[0], "value", None) == "attr":
            named.extend(node.args[1:2])  # map('attr', 'x') reads attribute x of each item
        for arg in named:
            if not isinstance(arg, nodes.Const):
                return f"过滤器 {node.name} 的属性名须直接写成带引号的文字"
            if _attribute_path(arg.value):
                return f"不允许访问以 _ 开头的属性“{arg.value}”"
    return None


def _environment_call(name: str, args: list[nodes.Expr], lineno: int) -> nodes.Call:
    """A call of one of the environment's own methods, inserted into a template's tree."""
    return nodes.Call(nodes.EnvironmentAttribute(name, lineno=lineno), list(args), [], None, None, lineno=lineno)


class _Instrument(NodeTransformer):
    """Loops check the deadline at every step; `~` joins are size-checked (Jinja compiles them to plain joins)."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _environment_call("bounded_loop", [node.iter], node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _environment_call("bounded_join", node.nodes, node.lineno)


# ---------------------------------------------------------------- the environment
class TemplateEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox templates render in (and `check-template` parses with), compiling each source once.

    docxtpl hands every part of the document to `from_string`; the source is the same for every unit rendered
    with the same template, so batch work compiles it once instead of once per document.
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, checking: bool = False) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True, finalize=bounded)
        self.checking = checking
        self.globals.clear()
        self.globals["range"] = _bounded_range
        self.filters = template_filters(self.filters)
        self.filters.update(FILTERS)
        self._compiled: dict[str, jinja2.Template] = {}

    # -- compiling
    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's own signature
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = super().from_string(source)
        return compiled

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        if self.checking:
            return tree
        for lineno, reason in refusals(tree)[:1]:
            raise jinja2.TemplateSyntaxError(reason, lineno, name, filename)
        tree = _Instrument().visit(tree)
        tree.set_environment(self)
        return tree

    # -- what a template may reach
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, LoopContext):
            return True
        return any(isinstance(obj, kind) and attr in allowed for kind, allowed in ATTRIBUTES)

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        return self.undefined(f"不允许访问“{type(obj).__name__}”对象的属性“{attribute}”", name=attribute, obj=obj,
                              exc=jinja2.exceptions.SecurityError)

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is not offered at all (its format specs pad to any width)

    # -- limits
    def getattr(self, obj: Any, attribute: str) -> Any:
        tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        tick()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's names
        tick()
        if __obj is __self.bounded_loop or __obj is __self.bounded_join:  # inserted by _Instrument; bound themselves
            return __context.call(__obj, *args, **kwargs)
        allowed = allowance(getattr(__obj, "__self__", None), *args, *kwargs.values())
        return within(super().call(__context, __obj, *args, **kwargs), allowed)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        tick()
        _check_binop(operator, left, right)
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
            raise LimitExceeded("计算结果过大")
        return bounded(result)

    def concat(self, chunks: Iterable[str]) -> str:
        """Jinja's "".join of rendered pieces (root output and every buffer), stopping past MAX_OUTPUT."""
        parts, size = [], 0
        for i, chunk in enumerate(chunks):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise LimitExceeded(f"生成的内容超过 {MAX_OUTPUT} 个字符（上限，项目很多的部门汇总可用环境变量 "
                                    f"{OUTPUT_VARIABLE} 调高）")
            parts.append(chunk)
            if i % 64 == 0:
                tick()
        return "".join(parts)

    @staticmethod
    def bounded_loop(items: Any) -> Iterator[Any]:
        for item in items:
            tick()
            yield item

    @staticmethod
    @jinja2.pass_eval_context
    def bounded_join(eval_ctx: Any, *parts: Any) -> str:
        if sum(weight(p) for p in parts) > MAX_VALUE:
            raise LimitExceeded(f"用 ~ 拼接的文字超过 {MAX_VALUE} 个字符")
        return (markup_join if eval_ctx.autoescape else str_join)(parts)


@functools.lru_cache(maxsize=1)
def rendering_environment() -> TemplateEnvironment:
    """The one environment of this process (its compile cache is what makes batch work fast)."""
    return TemplateEnvironment()


@functools.lru_cache(maxsize=1)
def checking_environment() -> TemplateEnvironment:
    """The same names, filters and tests, parsing without refusing (check-template reports every refusal)."""
    return TemplateEnvironment(checking=True)
