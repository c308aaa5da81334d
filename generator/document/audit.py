"""The document audits itself: what it prints must add up and agree with itself (rules.md, consistency rule 17).

After rendering, the document's body is read back (straight from its XML, as `render.paragraph_text` does) into
paragraphs and tables, and four things are checked:

1. 合计: an enumeration of amounts (…合计X万元，其中：A…万元；B…万元 / 主要用于 / 主要包括 / 分别为…合计 /
   X中，…) adds up to its stated total, within what rounding the printed figures can explain (see `allowed`).
2. 占比: the shares listed side by side in one enumeration (占X%) add up to exactly 100% (largest remainder).
3. 表文一致: a figure named in the text equals the same figure in the 附表 / form row (`TABLE_ANCHORS`).
4. 前后一致: the same named figure is not printed with two values, and what the year-on-year phrases imply about
   last year (增加/减少/持平/上年无此项) does not disagree between sentences, nor between a part and its whole
   (机关运行经费 is part of 公用经费).

Findings are `checks.rules.Finding`s of severity ERROR: a failed audit stops the document like a leftover tag.
Each names the paragraph (its number and a shortened quote) or the table (its title and row).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from generator.checks.rules import Finding, Involved
from generator.document import body_text
from generator.errors import ChecksFailed, JuesuanError, Location
from generator.vocabulary import ERROR

RULE_SUM, RULE_SHARES, RULE_TABLE, RULE_SAME = "文档-合计", "文档-占比", "文档-表文一致", "文档-前后一致"

_P, _TBL, _TR, _TC, _SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
_T = qn("w:t")
_SPAN, _VAL = f"{qn('w:tcPr')}/{qn('w:gridSpan')}", qn("w:val")

ZERO, HUNDRED = Decimal(0), Decimal(100)


# ---------------------------------------------------------------- reading the document back
@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based among the body's paragraphs (table cells not counted)
    text: str


class Grid:
    """A table as rows of cell texts, a merged cell repeated over the grid columns it spans.

    Read from the XML only when asked for: most tables (project forms) are never anchored to the text.
    """

    def __init__(self, number: int, title: str, rows: Sequence[Sequence[str]] | None = None, element=None,
                 read: body_text.Table | None = None):
        self.number = number  # 1-based among the body's tables
        self.title = title
        self._rows = None if rows is None else tuple(tuple(r) for r in rows)
        self._element = element
        self._read = read  # the table as body_text read it, else its element is read
        self._first: str | None = None
        self._labels: tuple[tuple[str, ...], ...] | None = None

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        if self._rows is None:
            if self._read is not None:
                self._rows = tuple(tuple(x for cell in row for x in [_read_cell_text(cell)] * cell.span)
                                   for row in self._read.rows)
            else:
                self._rows = tuple(_row(tr) for tr in self._element.iter(_TR))
        return self._rows

    def first_cell(self) -> str:
        if self._first is None:
            if self._rows is not None:
                self._first = self._rows[0][0] if self._rows and self._rows[0] else ""
            elif self._read is not None:
                first = next((row[0] for row in self._read.rows if row), None)
                self._first = "" if first is None else _read_cell_text(first)
            else:
                tc = next(self._element.iter(_TC), None)
                self._first = "" if tc is None else _cell_text(tc)
        return self._first

    def labels(self) -> tuple[tuple[str, ...], ...]:
        """Each cell's text as a row label: without numbering (一、) and spaces."""
        if self._labels is None:
            self._labels = tuple(tuple(_cell_label(c) for c in row) for row in self.rows)
        return self._labels


Block = Paragraph | Grid


def _text(p) -> str:
    """A paragraph's text (w:t runs only: tabs and breaks separate nothing the audit reads)."""
    return "".join(p.itertext(_T))


def _cell_text(tc) -> str:
    return " ".join(t for t in (_text(p).strip() for p in tc.iter(_P)) if t)


def _read_cell_text(cell: body_text.Cell) -> str:
    return " ".join(t for t in (line.words.strip() for line in cell.lines) if t)


def _row(tr) -> tuple[str, ...]:
    out: list[str] = []
    for tc in tr.iterchildren(_TC):
        span = tc.find(_SPAN)
        out += [_cell_text(tc)] * (int(span.get(_VAL)) if span is not None else 1)
    return tuple(out)


_NOT_TITLE = re.compile(r"编制单位|金额单位|^\s*$")


def _children(body) -> Iterator:
    for child in body:
        if child.tag == _SDT:  # a content control wraps paragraphs and tables of the body
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _children(content)
        else:
            yield child


def read_blocks(body, read: body_text.BodyText | None = None) -> list[Block]:
    """The body's paragraphs and tables in order; a table's title is the nearest paragraph above it that names it.
    `read`: the body's text already read (body_text.read_body), else it is read here (tables when asked for)."""
    blocks: list[Block] = []
    paragraphs = tables = 0
    title = ""
    for item in (read.blocks if read is not None else _elements(body)):
        if isinstance(item, body_text.Line):
            paragraphs += 1
            blocks.append(Paragraph(paragraphs, item.words))
            if not _NOT_TITLE.search(item.words):
                title = item.words.strip()
        elif isinstance(item, body_text.Table):
            tables += 1
            blocks.append(Grid(tables, title, read=item))
        else:
            tables += 1
            blocks.append(Grid(tables, title, element=item))
    return blocks


def _elements(body) -> Iterator:
    """The body's paragraphs as lines (their w:t text) and its table elements, content controls unwrapped."""
    for child in _children(body):
        if child.tag == _P:
            yield body_text.Line("", _text(child))
        elif child.tag == _TBL:
            yield child


def read_docx(path: Path) -> list[Block]:
    """A written .docx read back (for tests and tools; the renderer passes its document body directly)."""
    with zipfile.ZipFile(path) as z:
        return read_blocks(etree.fromstring(z.read("word/document.xml")).find(qn("w:body")))


def blocks_from(paragraphs: Iterable[str | Sequence[Sequence[str]]]) -> list[Block]:
    """Hand-written blocks: strings are paragraphs, lists of rows are tables (titled by the paragraph before)."""
    blocks: list[Block] = []
    title, tables = "", 0
    for item in paragraphs:
        if isinstance(item, str):
            blocks.append(Paragraph(len([b for b in blocks if isinstance(b, Paragraph)]) + 1, item))
            if not _NOT_TITLE.search(item):
                title = item.strip()
        else:
            tables += 1
            blocks.append(Grid(tables, title, item))
    return blocks


# ---------------------------------------------------------------- figures in the text
AMOUNT = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_AMOUNT = re.compile(r"(?<![\d.])" + AMOUNT + r"万元")
_NUMBER = re.compile(r"-?" + AMOUNT)
# A share listed with its part (…万元，占12.34%); 占…的12.34% is a share of another whole, not of the list.
_SHARE = re.compile(r"^[，,]?占(\d+(?:\.\d+)?)%")
_CHANGE_BEFORE = re.compile(r"(增加|减少|增长|下降|相差|节约|超支|比上年|较上年)$")
_NOT_MONEY_BEFORE = re.compile(r"单价$")
_NOT_MONEY_AFTER = re.compile(r"^（含）|^以上|^以下")
_SENTENCE_END = "。！？"
_CLAUSE = re.compile(r"[，。；：、,;:！？\n\t]")
_YEAR = re.compile(r"(\d{4})年")


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _places(text: str) -> int:
    return len(text.partition(".")[2])


@dataclass(frozen=True)
class Amount:
    value: Decimal
    places: int
    start: int  # where the number starts in the paragraph
    end: int  # just after 万元
    label: str  # the text of its clause before the number
    change: bool  # an amount of change (增加12.00万元), not a figure
    share: Decimal | None  # 占X% printed right after it
    share_places: int


@lru_cache(maxsize=4096)
def amounts(text: str) -> tuple[Amount, ...]:
    """Every 万元 amount of a paragraph with its clause label; thresholds (单价50万元以上) are left out."""
    out: list[Amount] = []
    for m in _AMOUNT.finditer(text):
        before, after = text[:m.start()], text[m.end():]
        if _NOT_MONEY_BEFORE.search(before) or _NOT_MONEY_AFTER.match(after):
            continue
        clause = _CLAUSE.split(before)[-1]
        share = _SHARE.match(after)
        out.append(Amount(_dec(m.group(1)), _places(m.group(1)), m.start(), m.end(), clause,
                          bool(_CHANGE_BEFORE.search(clause)), _dec(share.group(1)) if share else None,
                          _places(share.group(1)) if share else 0))
    return tuple(out)


def _normal_label(label: str) -> str:
    """A clause label as a name: without numbering, the year, 其中, and a trailing 为/共计/决算数为."""
    label = re.sub(r"^(?:[（(]?\d+[）).、]|[一二三四五六七八九十]+、|其中[：:]?)+", "", label.strip())
    label = re.split(r"\d{4}年度?", label)[-1]
    return re.sub(r"(?:决算数为|决算为|决算数|决算|共计|总额为|为)$", "", label).strip()


def excerpt(text: str, start: int, end: int, room: int = 24) -> str:
    """The part of a paragraph around [start, end), shortened with … on the cut sides."""
    a, b = max(0, start - room), min(len(text), end + room)
    cut = max(text.rfind(c, a, start) for c in "，。；：")
    a = cut + 1 if a and cut != -1 else a  # start at a clause, not inside a number
    return ("…" if a else "") + text[a:b].replace("\n", " ").replace("\t", " ") + ("…" if b < len(text) else "")


# ---------------------------------------------------------------- findings
@dataclass
class Audit:
    """Collects the findings of one document."""

    source: str = ""  # the document's file name, for the findings' locations
    findings: list[Finding] = field(default_factory=list)
    checked: Counter[str] = field(default_factory=Counter)  # how many comparisons each rule made

    def at_paragraph(self, p: Paragraph, start: int, end: int, label: str, value: str = "") -> Involved:
        return Involved(Location(self.source, "正文", f"第{p.number}段"), f"{label}：「{excerpt(p.text, start, end)}」",
                        value)

    def at_row(self, g: Grid, row: int, label: str, value: str) -> Involved:
        title = f"表{g.number}" + (f"「{g.title}」" if g.title else "")
        return Involved(Location(self.source, title, f"第{row + 1}行"), label, value)

    def report(self, rule: str, message: str, where: Iterable[Involved]) -> None:
        self.findings.append(Finding(rule, ERROR, message, tuple(where)))


def _show(value: Decimal, places: int) -> str:
    return f"{value:,.{places}f}".replace(",", "")


# ---------------------------------------------------------------- 1, 2: enumerations
# What opens an enumeration of parts; the total stands before it (or, for 分别为, after it as 合计X万元).
_MARKER = re.compile(r"其中[：:]?|主要用于(?:以下方面)?[：:]|主要包括[：:]|分别为[：:]|(?<=[^，。；：、\s])中，")
_NESTED = re.compile(r"其中")
_FIRST_ITEM = re.compile(r"[^，；。,;]*")
_ITEM_START = re.compile(r"^\s*(?:\d+[.、．]|[（(]\d+[）)])")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)")


@dataclass(frozen=True)
class Part:
    amount: Amount
    paragraph: Paragraph
    name: str = ""  # what the part is called, when not its clause label (an item paragraph's heading)

    def called(self) -> str:
        return self.name or _normal_label(self.amount.label)


@dataclass(frozen=True)
class Total:
    amount: Amount
    paragraph: Paragraph


def allowed(parts: int, places: int) -> Decimal:
    """How far the printed parts may add up away from the printed total by rounding alone.

    Each printed figure is within half a unit of the last printed digit of its exact value (四舍五入), and the
    exact parts add up to the exact total: so the printed difference is less than (parts + 1) half-units, and, a
    whole number of units, at most ⌊parts / 2⌋ units (0.01 万元 for 2 or 3 parts at 2 decimals; none for one part).
    """
    return Decimal(parts // 2) * Decimal(1).scaleb(-places)


class Enumerations:
    """Finds enumerations in the paragraphs and checks their sums and shares."""

    def __init__(self, audit: Audit, paragraphs: Sequence[Paragraph], places: int):
        self.audit = audit
        self.paragraphs = paragraphs
        self.places = places  # decimals of the printed amounts (98万元 may be 98.00 with its zeros dropped)
        self.named: dict[str, list[tuple[int, Total]]] = {}  # normal label → (paragraph index, amount) in order

    def run(self) -> None:
        for i, p in enumerate(self.paragraphs):
            for a in amounts(p.text):
                if not a.change:
                    self.named.setdefault(_normal_label(a.label), []).append((i, Total(a, p)))
        for i, p in enumerate(self.paragraphs):
            self._paragraph(i, p)

    def _paragraph(self, i: int, p: Paragraph) -> None:
        text = p.text
        found = amounts(text)
        for m in _MARKER.finditer(text):
            rest = text[m.end():].strip()
            total = self._total_before(i, text, m.start(), m.group(0))
            if not rest:  # the parts are the item paragraphs that follow
                parts = self._item_parts(i)
                if parts:
                    self._check(total, [parts], (p, m.start(), m.end()))
                continue
            if not _AMOUNT.search(_FIRST_ITEM.match(rest).group(0)):
                continue  # an enumeration of names (主要包括：基本工资、津贴补贴…), not of amounts
            groups = self._sentence_groups(p, found, m.end())
            if not groups or not groups[0]:
                continue
            stated = next((q for q in groups[0] if q.amount.label.strip().startswith("合计")), None)
            if stated is not None:  # 分别为：A…，B…，合计X万元
                rest_parts = [q for q in groups[0] if q is not stated]
                self._check(Total(stated.amount, p), [rest_parts], (p, m.start(), m.end()))
            else:
                self._check(total, groups, (p, m.start(), m.end()))

    # -- where the total is
    def _total_before(self, i: int, text: str, at: int, marker: str) -> Total | None:
        """The figure an enumeration details: named before 中，/主要包括 when it has no amount, else the first
        figure of the nearest sentence before the marker (in the paragraph before, if the marker opens it)."""
        head = _CLAUSE.split(text[:at])[-1]
        if marker.endswith("中，") or (head and not _AMOUNT.search(head) and marker.startswith("主要")):
            return self._named_before(i, _normal_label(head))
        before = [a for a in amounts(text) if a.end <= at and not a.change]
        if before:
            last_sentence = max(_sentence_start(text, a.start) for a in before)
            return Total(next(a for a in before if _sentence_start(text, a.start) == last_sentence), self.paragraphs[i])
        if text[:at].strip() == "" and i > 0:
            prev = self.paragraphs[i - 1]
            figures = [a for a in amounts(prev.text) if not a.change]
            if figures:
                last_sentence = max(_sentence_start(prev.text, a.start) for a in figures)
                return Total(next(a for a in figures if _sentence_start(prev.text, a.start) == last_sentence), prev)
        return None

    def _named_before(self, i: int, name: str) -> Total | None:
        if len(name) < 2:
            return None
        earlier = [t for j, t in self.named.get(name, []) if j <= i]
        return earlier[-1] if earlier else None

    # -- where the parts are
    def _sentence_groups(self, p: Paragraph, found: list[Amount], start: int) -> list[list[Part]]:
        """The parts after a marker: those of its sentence, then of each following sentence of the paragraph that
        begins with a named amount (人员经费…。公用经费…。), until the next marker or a sentence that does not."""
        text = p.text
        nxt = _NESTED.search(text, start)  # a further 其中 details one of these parts, not the total
        stop = nxt.start() if nxt else len(text)
        groups: list[list[Part]] = []
        sentence_start = start
        while sentence_start < stop:
            end = _sentence_end(text, sentence_start, stop)
            parts = [Part(a, p) for a in found if sentence_start <= a.start < end and not a.change]
            if groups:
                if not parts or not _begins_with_amount(text[sentence_start:end]):
                    if parts or not _is_reason(text[sentence_start:end]):
                        break
                    sentence_start = end
                    continue
            groups.append(parts)
            sentence_start = end
        return groups

    def _item_parts(self, i: int) -> list[Part]:
        """The first figure of each item paragraph after a paragraph ending in a marker (1.…，（1）…，人员经费…)."""
        parts: list[Part] = []
        for p in self.paragraphs[i + 1:]:
            text = p.text.strip()
            if not text or _HEADING.match(text):
                break
            if not (_ITEM_START.match(text) or _begins_with_amount(text)):
                break
            figures = [a for a in amounts(p.text) if not a.change]
            if not figures:
                break
            head = _normal_label(p.text[:figures[0].start].split("：")[0])
            parts.append(Part(figures[0], p, head if len(head) <= 16 else "…" + head[-15:]))
        return parts

    # -- the checks
    def _check(self, total: Total | None, groups: list[list[Part]], marker: tuple[Paragraph, int, int]) -> None:
        first = groups[0]
        self._shares(first, marker)
        if total is None or not first:
            return
        value = total.amount.value
        share = first[0].amount.share
        if len(first) == 1 and share != HUNDRED:
            # one 其中 names a part of the total, not all of it (授予中小企业…，其中：授予小微企业…), unless the
            # sentences after it go on listing parts (其中：人员经费…。公用经费…。)
            extended = [q for g in groups for q in g]
            if len(extended) > 1 and not self._adds_up(value, extended):
                self._sum_finding(total, extended)
                return
            self.audit.checked[RULE_SUM] += 1
            if first[0].amount.value > value:
                self._part_finding(total, first[0])
            return
        running: list[Part] = []
        for g in groups:
            running = running + g
            if self._adds_up(value, running):
                return
        self._sum_finding(total, first)

    def _adds_up(self, total: Decimal, parts: list[Part]) -> bool:
        self.audit.checked[RULE_SUM] += 1
        return abs(sum((q.amount.value for q in parts), ZERO) - total) <= allowed(len(parts), self.places)

    def _where(self, total: Total, parts: list[Part]) -> list[Involved]:
        t, places = total.amount, self.places
        where = [self.audit.at_paragraph(total.paragraph, t.start, t.end, "合计", _show(t.value, places))]
        shown = {total.paragraph.number}
        for q in parts:
            if q.paragraph.number not in shown:
                shown.add(q.paragraph.number)
                where.append(self.audit.at_paragraph(q.paragraph, q.amount.start, q.amount.end, "分项",
                                                     _show(q.amount.value, places)))
        return where

    def _sum_finding(self, total: Total, parts: list[Part]) -> None:
        added = sum((q.amount.value for q in parts), ZERO)
        places, t = self.places, total.amount
        names = "＋".join(f"{q.called()}{_show(q.amount.value, places)}" for q in parts)
        self.audit.report(RULE_SUM, f"所列各项之和与合计不符：{_normal_label(t.label) or '合计'}{_show(t.value, places)}万元，"
                          f"而 {names} = {_show(added, places)}万元，相差{_show(abs(added - t.value), places)}万元"
                          f"（{len(parts)}项四舍五入最多可差{_show(allowed(len(parts), places), places)}万元）",
                          self._where(total, parts))

    def _part_finding(self, total: Total, part: Part) -> None:
        places, t, q = self.places, total.amount, part.amount
        self.audit.report(RULE_SUM, f"其中一项大于它所属的合计：{_normal_label(t.label) or '合计'}{_show(t.value, places)}万元，"
                          f"其中{part.called()}却为{_show(q.value, places)}万元",
                          self._where(total, [part]))

    def _shares(self, parts: list[Part], marker: tuple[Paragraph, int, int]) -> None:
        shares = [q.amount.share for q in parts]
        if len(parts) < 2 or any(s is None for s in shares):
            return  # a single part may be one share of a larger whole
        added = sum(shares, ZERO)  # type: ignore[arg-type]
        self.audit.checked[RULE_SHARES] += 1
        if added != HUNDRED:
            places = max(q.amount.share_places for q in parts)
            p, start, _ = marker
            end = parts[-1].amount.end + 12 if parts[-1].paragraph is p else len(p.text)
            listed = "＋".join(f"{_show(s, places)}%" for s in shares)  # type: ignore[arg-type]
            where = [self.audit.at_paragraph(p, start, min(end, len(p.text)), "占比", f"{_show(added, places)}%")]
            where += [self.audit.at_paragraph(q.paragraph, q.amount.start, q.amount.end + 10, "分项",
                                              f"{_show(q.amount.share, places)}%")  # type: ignore[arg-type]
                      for q in parts if q.paragraph is not p]
            self.audit.report(RULE_SHARES, f"同一列举中的占比相加不等于100%：{listed} = {_show(added, places)}%", where)


def _sentence_start(text: str, at: int) -> int:
    return max(text.rfind(c, 0, at) for c in _SENTENCE_END) + 1


def _sentence_end(text: str, start: int, stop: int) -> int:
    ends = [e for e in (text.find(c, start) for c in _SENTENCE_END) if e != -1]
    return min(min(ends) + 1 if ends else stop, stop)


_NAMED_AMOUNT = re.compile(r"^\s*(?:[（(]?\d+[）).、．])?[^，。；：、\d]{2,30}?" + AMOUNT + "万元")


def _begins_with_amount(sentence: str) -> bool:
    m = _NAMED_AMOUNT.match(sentence)
    return bool(m) and not _CHANGE_BEFORE.search(sentence[:m.start(1)])


def _is_reason(sentence: str) -> bool:
    return sentence.strip().startswith(("主要原因", "原因"))


# ---------------------------------------------------------------- 3, 4: named figures
# The figures the documents name, each with the label forms it is printed under. Only these are compared: a name
# outside this list (a 类 of expenditure, a project) may stand for different figures in different places.
_SUFFIX = r"(?:支出)?(?:决算数为|决算数|决算为|决算|共计|总额为|为)?"
FIGURES = {
    "收入总计": r"(?<!拨款)收入总计",
    "支出总计": r"(?<!拨款)支出总计",
    "本年收入合计": r"本年收入合计",
    "本年支出合计": r"本年支出合计",
    "财政拨款收入总计": r"(?<!公共预算)财政拨款收入总计",
    "财政拨款支出总计": r"(?<!公共预算)财政拨款支出总计",
    "一般公共预算财政拨款收入": r"一般公共预算财政拨款收入",
    "一般公共预算财政拨款支出": r"一般公共预算财政拨款支出",
    "一般公共预算财政拨款基本支出": r"一般公共预算财政拨款基本支出",
    "基本支出": r"(?<![拨款])基本支出",
    "项目支出": r"(?<![拨款])项目支出",
    "人员经费": r"(?<!工作)人员经费",
    "公用经费": r"公用经费",
    "机关运行经费": r"机关运行经费",
    "“三公”经费": r"“三公”经费(?:财政拨款)?",
    "因公出国（境）费": r"因公出国（境）费",
    "公务用车购置及运行维护费": r"公务用车购置及运行维护费",
    "公务用车购置费": r"公务用车购置费",
    "公务用车运行维护费": r"公务用车运行维护费",
    "公务接待费": r"(?<!国内)(?<!外事)公务接待费",
    "年末结转和结余": r"(?<!财政拨款)年末结转和结余",
    "政府采购支出总额": r"政府采购支出",
    "会议费": r"会议费",
    "培训费": r"培训费",
}
_FIGURE = re.compile("(?:" + "|".join(f"(?P<f{i}>{pattern})" for i, pattern in enumerate(FIGURES.values()))
                     + ")" + _SUFFIX + "$")
_FIGURE_NAMES = list(FIGURES)
_NAME_ONLY = re.compile("|".join(f"(?P<f{i}>{pattern})" for i, pattern in enumerate(FIGURES.values())))
# 基本支出 and 项目支出 of all funds and of 一般公共预算 alone are different figures.
_BY_FUND = {"基本支出", "项目支出"}
# A part cannot exceed its whole, this year or last (机关运行经费 is the 公用经费 of administrative units).
PART_OF = [("机关运行经费", "公用经费")]

_BASE = r"(上年决算数?|上年|年初预算数?|预算数?|\d{4}年)"
_CHANGE = re.compile(r"(?:较|比)" + _BASE + r"(增加|减少)" + AMOUNT + "万元")
_FLAT = re.compile(r"与" + _BASE + r"持平")
_NONE_BEFORE = re.compile(r"上年(?:决算数)?无此项")
# Words before a figure's name that do not name a unit.
_OWNER_NOISE = re.compile(r"^(?:本年度|本年|全年|当年|其中|合计|部门|单位)+")
_NONE_NOW = re.compile(r"本年(?:未发生|无此项)")


@dataclass(frozen=True)
class Said:
    """What the text says a named figure is: this year's value as printed, or last year's (预算's) as implied."""

    key: str
    base: str  # 本年, 上年 or 预算
    value: Decimal
    said: str  # the words that say it
    exact: bool  # printed, or 上年无此项 (zero); not derived from two rounded figures
    owner: str  # the unit named before the figure (区政务办机关运行经费…), "" when none
    paragraph: Paragraph
    start: int
    end: int


def _which(m: re.Match) -> str:
    """The figure a FIGURES alternation matched."""
    return _FIGURE_NAMES[int(next(k for k, v in m.groupdict().items() if v is not None)[1:])]


def _figure_key(m: re.Match, text: str, start: int) -> str:
    name = _which(m)
    if name in _BY_FUND and "财政拨款" in text[_sentence_start(text, start):start]:
        return f"{name}（一般公共预算财政拨款）"
    return name


def _other_year(prefix: str, year: int | None) -> bool:
    """The clause speaks of another year's figure (上年…, 2019年…)."""
    return "上年" in prefix or any(year is not None and int(y) != year for y in _YEAR.findall(prefix))


def _base(said: str, year: int | None) -> str | None:
    if said.startswith("上年") or (year is not None and said == f"{year - 1}年"):
        return "上年"
    if "预算" in said:
        return "预算"
    return None


class Figures:
    """The named figures of the text and what the year-on-year phrases imply about them."""

    def __init__(self, audit: Audit, paragraphs: Sequence[Paragraph], year: int | None, places: int):
        self.audit, self.year, self.places = audit, year, places
        self.facts: list[Said] = []
        self.implied: list[Said] = []
        for p in paragraphs:
            self._paragraph(p)

    def _paragraph(self, p: Paragraph) -> None:
        text = p.text
        if "万元" not in text and "持平" not in text:
            return
        facts: list[Said] = []
        figures = [a for a in amounts(text) if not a.change]
        for a in figures:
            m = _FIGURE.search(a.label)
            if m is None or _other_year(a.label[:m.start()], self.year):
                continue
            start = a.start - len(a.label) + m.start()
            owner = _OWNER_NOISE.sub("", _normal_label(a.label[:m.start()]))
            facts.append(Said(_figure_key(m, text, start), "本年", a.value, text[start:a.end], True, owner, p, start, a.end))
        self.facts += facts
        for m in _CHANGE.finditer(text):
            fact = self._bound(p, facts, figures, m.start())
            base = _base(m.group(1), self.year)
            if fact and base:
                d = _dec(m.group(3))
                value = fact.value - d if m.group(2) == "增加" else fact.value + d
                self.implied.append(Said(fact.key, base, value, m.group(0), False, fact.owner, p, m.start(), m.end()))
        for m in _FLAT.finditer(text):
            fact = self._bound(p, facts, figures, m.start())
            base = _base(m.group(1), self.year)
            if fact and base:
                self.implied.append(Said(fact.key, base, fact.value, m.group(0), False, fact.owner, p, m.start(), m.end()))
        for m in _NONE_BEFORE.finditer(text):
            fact = self._bound(p, facts, figures, m.start())
            if fact:
                self.implied.append(Said(fact.key, "上年", ZERO, m.group(0), True, fact.owner, p, m.start(), m.end()))
        for m in _NONE_NOW.finditer(text):
            fact = self._bound(p, facts, figures, m.start())
            if fact and fact.value != 0:
                self.audit.report(RULE_SAME, f"{fact.key}{_show(fact.value, self.places)}万元，同一处却说“{m.group(0)}”",
                                  [self.audit.at_paragraph(p, fact.start, m.end(), fact.key, _show(fact.value, self.places))])

    def _bound(self, p: Paragraph, facts: list[Said], figures: list[Amount], at: int) -> Said | None:
        """The figure a phrase speaks of: the one it names (“三公”经费支出比2019年…), else the paragraph's last
        figure before it, when that is a named figure (a 类 of expenditure is not)."""
        clause = _CLAUSE.split(p.text[:at])[-1]
        named = _NAME_ONLY.search(clause)
        if named:
            key = _which(named)
            earlier = [f for f in self.facts if f.key == key and (f.paragraph.number, f.start) <= (p.number, at)]
            return earlier[-1] if earlier else None
        before = [a for a in figures if a.end <= at]
        if not before:
            return None
        last = before[-1]
        return next((f for f in facts if f.end == last.end), None)

    # -- 4: the same figure, two values
    def check(self) -> None:
        groups: dict[tuple[str, str], list[Said]] = {}
        for x in self.facts + self.implied:
            groups.setdefault((x.key, x.base), []).append(x)
        for said in groups.values():
            for entity in _entities(said):
                self._agree(entity)
        for part, whole in PART_OF:
            for base in ("本年", "上年"):
                both = [x for x in self.facts + self.implied if x.base == base and x.key in (part, whole)]
                for entity in _entities(both):
                    self._within([x for x in entity if x.key == part], [x for x in entity if x.key == whole])

    def _slack(self, a: Said, b: Said) -> Decimal:
        """A value derived from two rounded figures (cur − 增加d) is within one unit of the truth; a printed one is it."""
        return Decimal(int(not a.exact) + int(not b.exact)).scaleb(-self.places)

    def _agree(self, said: list[Said]) -> None:
        first = said[0]
        for other in said[1:]:
            self.audit.checked[RULE_SAME] += 1
            if abs(first.value - other.value) <= self._slack(first, other):
                continue
            where = [self.audit.at_paragraph(x.paragraph, x.start, x.end, x.key, _show(x.value, self.places))
                     for x in (first, other)]
            if first.base == "本年" and first.exact and other.exact:
                message = (f"同一数字在文中有两个数值：{first.key}"
                           f"“{first.said}”与“{other.said}”")
            else:
                what = "上年数" if first.base == "上年" else "预算数" if first.base == "预算" else "数值"
                message = (f"关于{first.key}的{what}，两处说法矛盾：“{first.said}”意味着{what}为"
                           f"{_show(first.value, self.places)}万元，“{other.said}”意味着{_show(other.value, self.places)}万元")
            self.audit.report(RULE_SAME, message, where)
            return

    def _within(self, parts: list[Said], wholes: list[Said]) -> None:
        if not parts or not wholes:
            return
        self.audit.checked[RULE_SAME] += 1
        p, w = max(parts, key=lambda x: x.value), min(wholes, key=lambda x: x.value)
        if p.value - w.value <= self._slack(p, w):
            return
        base = "上年" if p.base == "上年" else ""
        self.audit.report(RULE_SAME, f"{p.key}是{w.key}的一部分，但文中{base}{p.key}为{_show(p.value, self.places)}万元"
                          + ("" if p.exact else f"（据“{p.said}”）")
                          + f"，大于{base}{w.key}{_show(w.value, self.places)}万元" + ("" if w.exact and w.base == "本年" else f"（据“{w.said}”）"),
                          [self.audit.at_paragraph(x.paragraph, x.start, x.end, x.key, _show(x.value, self.places))
                           for x in (p, w)])


def _entities(said: list[Said]) -> list[list[Said]]:
    """Statements about one unit: all of them when the text names at most one unit before these figures; else
    those of each named unit apart (a 部门汇总 listing its members), the unnamed ones compared with none."""
    owners = {x.owner for x in said if x.owner}
    if len(owners) <= 1:
        return [said]
    return [[x for x in said if x.owner == o] for o in sorted(owners)]


# ---------------------------------------------------------------- 3: text against tables
@dataclass(frozen=True)
class Anchor:
    """A figure of the text and the table cell that prints the same figure.

    `table` is the table's title without its 公开NN表 code and （YYYY年度） (or the first cell of its first row);
    `row` the row's label (None: the first row under the header), `nth` which occurrence of it (01's 总计 twice);
    `column` the column's headings joined by / ({year} is the document's year; None: the cell right of the label).
    """

    figure: str
    table: str
    row: str | None
    column: str | None = None
    nth: int = 1


TABLE_ANCHORS = (
    Anchor("本年收入合计", "收入支出决算总表", "本年收入合计"),
    Anchor("本年支出合计", "收入支出决算总表", "本年支出合计"),
    Anchor("收入总计", "收入支出决算总表", "总计", nth=1),
    Anchor("支出总计", "收入支出决算总表", "总计", nth=2),
    Anchor("一般公共预算财政拨款收入", "收入支出决算总表", "一般公共预算财政拨款收入"),
    Anchor("本年支出合计", "支出决算表", "合计", "本年支出合计"),
    Anchor("基本支出", "支出决算表", "合计", "基本支出"),
    Anchor("项目支出", "支出决算表", "合计", "项目支出"),
    Anchor("一般公共预算财政拨款支出", "一般公共预算财政拨款支出决算表", "合计", "决算数/合计"),
    Anchor("基本支出（一般公共预算财政拨款）", "一般公共预算财政拨款支出决算表", "合计", "决算数/基本支出"),
    Anchor("项目支出（一般公共预算财政拨款）", "一般公共预算财政拨款支出决算表", "合计", "决算数/项目支出"),
    Anchor("一般公共预算财政拨款基本支出", "一般公共预算财政拨款基本支出决算表", "合计", "合计"),
    Anchor("人员经费", "一般公共预算财政拨款基本支出决算表", "合计", "人员经费"),
    Anchor("公用经费", "一般公共预算财政拨款基本支出决算表", "合计", "公用经费"),
    Anchor("“三公”经费", "一般公共预算财政拨款“三公”经费支出决算表", "决算数", "合计"),
    Anchor("因公出国（境）费", "一般公共预算财政拨款“三公”经费支出决算表", "决算数", "因公出国（境）费"),
    Anchor("公务用车购置及运行维护费", "一般公共预算财政拨款“三公”经费支出决算表", "决算数", "公务用车购置及运行维护费/小计"),
    Anchor("公务用车购置费", "一般公共预算财政拨款“三公”经费支出决算表", "决算数", "公务用车购置及运行维护费/公务用车购置费"),
    Anchor("公务用车运行维护费", "一般公共预算财政拨款“三公”经费支出决算表", "决算数", "公务用车购置及运行维护费/公务用车运行维护费"),
    Anchor("公务接待费", "一般公共预算财政拨款“三公”经费支出决算表", "决算数", "公务接待费"),
    # 绩效自评 forms
    Anchor("本年收入合计", "年度收入情况（万元）", None, "收入合计"),
    Anchor("本年支出合计", "年度支出和结余情况（万元）", None, "支出合计"),
    Anchor("基本支出", "年度支出和结余情况（万元）", None, "基本支出/小计"),
    Anchor("人员经费", "年度支出和结余情况（万元）", None, "基本支出/人员支出"),
    Anchor("公用经费", "年度支出和结余情况（万元）", None, "基本支出/公用支出"),
    Anchor("项目支出", "年度支出和结余情况（万元）", None, "项目支出"),
    Anchor("“三公”经费", "经费控制情况（万元）", "“三公”经费", "{year}年决算数"),
    Anchor("公用经费", "经费控制情况（万元）", "公用经费", "{year}年决算数"),
)

_TITLE_CODE = re.compile(r"^\s*(?:公开)?\d*表?[\s　]*|[（(]\d{4}年度?[）)]\s*$")
_LABEL_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.、．])|[\s　]")


def _title_core(title: str) -> str:
    return _TITLE_CODE.sub("", title).strip()


def _cell_label(text: str) -> str:
    return _LABEL_NUMBERING.sub("", text)


def _cell_number(text: str) -> Decimal | None:
    m = _NUMBER.fullmatch(text.strip())
    return _dec(m.group(0)) if m else None


def _header_rows(g: Grid) -> int:
    for r, row in enumerate(g.rows):
        if any(_cell_number(c) is not None for c in row[1:]):
            return r
    return len(g.rows)


def _column(g: Grid, header_rows: int, path: str) -> int | None:
    width = max(len(r) for r in g.rows)
    for j in range(width):
        names = list(dict.fromkeys(r[j] for r in g.rows[:header_rows] if j < len(r) and r[j]))
        if "/".join(names).endswith(path) and (len(names) == 0 or names[-1] == path.split("/")[-1]):
            return j
    return None


def _anchor_cell(g: Grid, a: Anchor, year: int | None) -> tuple[int, str, Decimal | None] | None:
    """(row index, printed text, value) of the anchor's cell in this table, or None when the table lacks it."""
    head = _header_rows(g)
    if a.row is None:
        rows = [head] if head < len(g.rows) else []
        label_at = {head: 0}
    else:
        found = [(r, c) for r, row in enumerate(g.labels()) for c, text in enumerate(row)
                 if r >= head and text == a.row and (c == 0 or row[c - 1] != text)]
        if len(found) < a.nth:
            return None
        r, c = found[a.nth - 1]
        rows, label_at = [r], {r: c}
    if not rows:
        return None
    r = rows[0]
    row = g.rows[r]
    if a.column is None:
        for text in row[label_at[r] + 1:]:
            if text.strip():
                return r, text, _cell_number(text)
        return None
    j = _column(g, head, a.column.replace("{year}", str(year)))
    if j is None or j >= len(row):
        return None
    return r, row[j], _cell_number(row[j])


_ANCHOR_TABLES = {a.table for a in TABLE_ANCHORS}


def _tables_match(audit: Audit, grids: Sequence[Grid], figures: Figures, year: int | None) -> None:
    first: dict[str, Said] = {}
    for f in figures.facts:
        first.setdefault(f.key, f)
    for g in grids:
        core = _title_core(g.title)
        table = core if core in _ANCHOR_TABLES else g.first_cell()
        for a in TABLE_ANCHORS:
            fact = first.get(a.figure)
            if a.table != table or fact is None:
                continue
            cell = _anchor_cell(g, a, year)
            if cell is None:
                continue
            r, printed, value = cell
            audit.checked[RULE_TABLE] += 1
            if value != fact.value:
                audit.report(RULE_TABLE, f"{a.figure}：正文为{_show(fact.value, figures.places)}万元，"
                             f"表中为{printed.strip() or '（空）'}",
                             [audit.at_paragraph(fact.paragraph, fact.start, fact.end, a.figure,
                                                 _show(fact.value, figures.places)),
                              audit.at_row(g, r, f"{a.row or g.rows[r][0]}｜{a.column or '金额'}", printed.strip())])


# ---------------------------------------------------------------- the audit
def _year(paragraphs: Sequence[Paragraph]) -> int | None:
    """The document's year: the first year its opening paragraphs name (…2020年度部门决算)."""
    for p in paragraphs[:40]:
        m = _YEAR.search(p.text)
        if m:
            return int(m.group(1))
    return None


def _precision(paragraphs: Sequence[Paragraph]) -> int:
    return max((a.places for p in paragraphs if "万元" in p.text for a in amounts(p.text)), default=2)


def run(blocks: Sequence[Block], source: str = "", amount_places: int | None = None) -> Audit:
    """The four checks over a document's paragraphs and tables: the findings, and how many comparisons were made.

    `amount_places` is the template's decimals for amounts (a template that drops trailing zeros prints 98万元 for
    98.00); unknown, it is the finest precision printed, and at least 2 (the project's default).
    """
    audit = Audit(source)
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    grids = [b for b in blocks if isinstance(b, Grid)]
    year = _year(paragraphs)
    places = amount_places if amount_places is not None else max(2, _precision(paragraphs))
    Enumerations(audit, paragraphs, places).run()
    figures = Figures(audit, paragraphs, year, places)
    figures.check()
    _tables_match(audit, grids, figures, year)
    return audit


def audit_blocks(blocks: Sequence[Block], source: str = "", amount_places: int | None = None) -> list[Finding]:
    """Every finding of the audit of a document's paragraphs and tables."""
    return run(blocks, source, amount_places).findings


def audit_body(body, source: str = "", amount_places: int | None = None,
               read: body_text.BodyText | None = None) -> list[Finding]:
    """The audit of a rendered document's body element (python-docx: `document.element.body`); `read`: its text
    already read (body_text.read_body)."""
    return audit_blocks(read_blocks(body, read), source, amount_places)


class AuditFailed(ChecksFailed):
    """The generated document did not pass its audit: nothing is written (unless a draft was asked for)."""

    def __init__(self, document: str, findings: Sequence[Finding]):
        self.findings = tuple(findings)
        errors = sum(1 for f in findings if f.severity == ERROR)
        JuesuanError.__init__(self, f"生成的文档「{document}」未通过自检，有 {errors} 处数字前后不一致，文档未写出"
                                    "（如需生成草稿供核对，请加 --force）")
