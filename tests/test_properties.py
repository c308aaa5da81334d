"""Properties of the pure figures, for any amounts: shares add to 100, change words follow the sign,
四舍五入 is never banker's rounding, and a department's consolidation is the sum of its units.

The case tables in test_numbers.py pin the phrases; these tests check the rules over generated inputs,
against oracles computed independently (exact fractions, integer rounding), not against the code's own steps.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator.errors import Location
from generator.vocabulary import DEPARTMENT
from generator.wording import numbers as n
from generator.wording.numbers import Display
from generator.workbook import schema
from generator.workbook.consolidate import consolidate
from generator.workbook.model import Cell, Frozen, Row, Table, UnitData

# Amounts as the reader gives them: non-negative 元 with cents, up to 1000亿元.
money = st.decimals(min_value=0, max_value=Decimal("1e11"), places=2, allow_nan=False, allow_infinity=False)
displays = st.builds(Display, amount_decimals=st.integers(0, 4), pct_decimals=st.integers(0, 4),
                     keep_zeros=st.booleans())
CHANGE_WORDS = ("增加", "增长", "减少", "下降", "持平")


def _number(text: str) -> Decimal:
    """A printed number read back ('1,234.50' → Decimal('1234.50'))."""
    return Decimal(text.replace(",", ""))


def _half_up_oracle(value: Fraction, places: int) -> Fraction:
    """四舍五入 with integers only: halves go away from zero."""
    scale = 10**places
    magnitude = Fraction(math.floor(abs(value) * scale + Fraction(1, 2)), scale)
    return magnitude if value >= 0 else -magnitude


# ---------------------------------------------------------------- 四舍五入
@given(value=st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False),
       places=st.integers(0, 6))
def test_half_up_matches_integer_rounding_and_decimal_round_half_up(value, places):
    rounded = n.half_up(value, places)
    assert Fraction(rounded) == _half_up_oracle(Fraction(value), places)
    assert rounded == value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert rounded.as_tuple().exponent == -places


@given(whole=st.integers(0, 10**9), places=st.integers(0, 4), negative=st.booleans())
def test_halves_go_away_from_zero_never_to_even(whole, places, negative):
    sign = -1 if negative else 1
    tie = sign * (Decimal(whole) + Decimal("0.5")).scaleb(-places)  # whole.5 at the last kept place
    unit = Decimal(1).scaleb(-places)
    assert n.half_up(tie, places) == sign * (whole + 1) * unit
    if whole % 2 == 0:  # banker's rounding would go down to the even `whole` here
        assert n.half_up(tie, places) != tie.quantize(unit, rounding=ROUND_HALF_EVEN)


@given(yuan=money, display=displays, thousands=st.booleans())
def test_printed_amounts_are_the_half_up_value_in_wan_never_minus_zero(yuan, display, thousands):
    for value in (yuan, -yuan):
        text = n.amount(value, display, thousands=thousands)
        assert _number(text) == n.half_up(value / n.WAN, display.amount_decimals)
        assert not re.fullmatch(r"-[0,.]*", text), text
        if display.keep_zeros:
            assert len(text.rpartition(".")[2] if "." in text else "") == display.amount_decimals


# ---------------------------------------------------------------- shares of one whole
@given(parts=st.lists(money, min_size=1, max_size=12), places=st.integers(0, 4))
@example(parts=[Decimal(1), Decimal(1), Decimal(1)], places=0)
def test_largest_remainder_adds_to_exactly_100_and_each_is_within_one_unit(parts, places):
    shares = n.largest_remainder(parts, places)
    total = sum(parts, Decimal(0))
    if total == 0:
        assert shares is None
        return
    unit = Fraction(1, 10**places)
    assert sum(shares) == 100
    for share, part in zip(shares, parts, strict=True):
        exact = Fraction(part) * 100 / Fraction(total)
        assert Fraction(share) % unit == 0, "at the printed precision"
        assert abs(Fraction(share) - exact) < unit, (share, exact)


@given(parts=st.lists(money, min_size=1, max_size=12), display=displays)
def test_printed_shares_add_to_exactly_100(parts, display):
    printed = n.shares(parts, display)
    if sum(parts, Decimal(0)) == 0:
        assert printed is None
        return
    assert sum(_number(s) for s in printed) == 100
    assert all(not s.startswith("-") for s in printed)


# ---------------------------------------------------------------- change phrases
def _words(text: str) -> set[str]:
    return {w for w in CHANGE_WORDS if w in text}


@given(current=money, previous=money, display=displays)
def test_year_on_year_words_follow_the_sign_of_the_printed_change(current, previous, display):
    text = n.yoy(current, previous, "2019年", display)
    change = n.half_up(n.wan(current - previous), display.amount_decimals)
    if change == 0:
        assert text == "与2019年持平"
    elif change > 0:
        assert _words(text) == ({"增加"} if previous == 0 else {"增加", "增长"}), text
        assert f"增加{n.amount(current - previous, display)}万元" in text
    else:
        assert _words(text) == {"减少", "下降"}, text
        assert f"减少{n.amount(previous - current, display)}万元" in text


@given(current=money, previous=money, display=displays)
def test_a_stated_rate_is_the_half_up_percentage(current, previous, display):
    text = n.yoy(current, previous, "2019年", display)
    rate = re.search(r"(?:增长|下降)([0-9.]+)%", text)
    if rate:
        exact = abs(Fraction(current - previous)) / Fraction(previous) * 100
        assert Fraction(_number(rate.group(1))) == _half_up_oracle(exact, display.pct_decimals)


@given(current=money, previous=money, display=displays)
@example(current=Decimal("10000100"), previous=Decimal("10000000"), display=Display())
def test_a_stated_rate_of_change_is_never_zero(current, previous, display):
    text = n.yoy(current, previous, "2019年", display)
    assert not re.search(r"(增长|下降)0(\.0+)?%", text), text


PHRASES = {  # each phrase as (words for more, for less, for equal) of its two figures
    "yoy": (lambda a, b, d: n.yoy(a, b, "2019年", d), ("增加",), ("减少",), ("持平",)),
    "against_budget": (n.against_budget, ("增加", "年初未安排预算"), ("减少",), ("持平",)),
    "budget_phrase": (lambda a, b, d: n.budget_phrase(a, b, "", d), ("大于", "年初未安排预算"), ("小于",),
                      ("等于", "本年无此项支出")),
}


@pytest.mark.xfail(strict=True, reason="the words follow the rounded difference, not the two printed figures: "
                   "1234.5649万元 against 1234.5550万元 both print 1234.56 yet the phrase says 增加0.01万元 / 大于; "
                   "0.0050万元 against 0.0049万元 print 0.01 and 0.00 yet the phrase says 持平 / 等于")
@pytest.mark.parametrize("phrase", PHRASES)
@given(current=money, previous=money, display=displays)
@example(current=Decimal("12345649"), previous=Decimal("12345550"), display=Display())
@example(current=Decimal("50"), previous=Decimal("49"), display=Display())
def test_change_words_agree_with_the_two_printed_figures(phrase, current, previous, display):
    make, more, less, equal = PHRASES[phrase]
    text = make(current, previous, display)
    printed_current, printed_previous = (_number(n.amount(x, display)) for x in (current, previous))
    expected = more if printed_current > printed_previous else less if printed_current < printed_previous else equal
    assert any(w in text for w in expected), (n.amount(current, display), n.amount(previous, display), text)


@given(actual=money, budget=money, display=displays)
def test_against_budget_words_follow_the_sign_and_say_when_there_was_no_budget(actual, budget, display):
    text = n.against_budget(actual, budget, display)
    change = n.half_up(n.wan(actual - budget), display.amount_decimals)
    if change == 0:
        assert text == "与年初预算数持平"
    elif budget == 0:
        assert text == f"年初未安排预算，实际支出{n.amount(actual, display)}万元"
    elif change > 0:
        assert text.startswith("较年初预算数增加") and _words(text) == {"增加", "增长"}, text
    else:
        assert text.startswith("较年初预算数减少") and _words(text) == {"减少", "下降"}, text


@given(actual=money, budget=money, reason=st.sampled_from(["", "追加预算。", "  厉行节约；"]), display=displays)
def test_budget_phrase_compares_by_the_printed_difference_and_names_one_side(actual, budget, reason, display):
    text = n.budget_phrase(actual, budget, reason, display)
    sides = {w for w in ("大于", "小于", "等于") if w in text}
    change = n.half_up(n.wan(actual - budget), display.amount_decimals)
    if budget == 0:
        assert text.startswith("年初未安排预算") and not sides
    else:
        assert text.startswith(f"完成预算{n.pct(actual / budget, display)}%")
        assert sides == ({"等于"} if change == 0 else {"大于"} if change > 0 else {"小于"}), text
    assert not re.search(r"主要原因是($|[。；，;,])", text), "never an empty reason"
    assert not re.search(r"[。；，;,]{2}", text), "never doubled punctuation"


# ---------------------------------------------------------------- 部门汇总 = the sum of its units
# These sheets describe or assess the department itself: the consolidation takes its own workbook's.
OWN_ONLY = {"info", "texts", "grid", "evaluators"}
SUMMED = [s for s in schema.SHEETS if s.key not in OWN_ONLY and s.layout != "list"]
LISTED = [s for s in schema.SHEETS if s.key not in OWN_ONLY and s.layout == "list"]
CODES = {schema.FUNCTIONAL_LEVELS: ("201", "20103", "2010301", "2010350", "208", "20805", "2080505"),
         schema.ECONOMIC_LEVELS: ("301", "30101", "30102", "302", "30201")}
HERE = Location("成员.xlsx", "表", "B3")
texts = st.sampled_from(["", "人员增加", "项目结转", "部门整体"])


def _row_keys(sheet: schema.Sheet) -> tuple[str, ...]:
    return CODES[sheet.code_levels] if sheet.layout == "coded" else tuple(f.key for f in sheet.rows)


def _kind(sheet: schema.Sheet, key: str, column: schema.Field) -> str:
    """The kind of one cell as the reader types it (a count row holds counts in the amount columns)."""
    if sheet.layout == "coded":
        return column.kind
    return sheet.cell_field(next(f for f in sheet.rows if f.key == key), column).kind


def _value(sheet: schema.Sheet, key: str, column: schema.Field) -> st.SearchStrategy:
    kind = _kind(sheet, key, column)
    if kind == schema.AMOUNT:
        return money
    if kind == schema.COUNT:
        return st.integers(0, 10**5).map(Decimal)
    if kind == schema.CODE:
        return st.just(key)
    return texts


@st.composite
def keyed_table(draw, sheet: schema.Sheet) -> Table:
    """A fixed-row or coded sheet as the reader builds it, with some of its rows."""
    columns = sheet.columns if sheet.layout == "coded" else sheet.columns[1:]  # items: column A is the label
    keys = draw(st.lists(st.sampled_from(_row_keys(sheet)), unique=True, max_size=5))
    rows = {k: Row(Frozen({c.key: Cell(draw(_value(sheet, k, c)), HERE) for c in columns})) for k in keys}
    return Table(sheet.name, tuple(rows.values()), Frozen(rows))


@st.composite
def listed_table(draw, sheet: schema.Sheet) -> Table:
    def row(_: object) -> Row:
        return Row(Frozen({c.key: Cell(draw(_list_value(sheet, c)), HERE) for c in sheet.columns}))

    return Table(sheet.name, tuple(row(i) for i in range(draw(st.integers(0, 4)))))


def _list_value(sheet: schema.Sheet, column: schema.Field) -> st.SearchStrategy:
    if column.kind == schema.AMOUNT:
        return money
    if column.kind == schema.SCORE:
        return st.none() | st.decimals(0, 100, places=1)
    if sheet.key == "indicators" and column.key == "project":
        return st.sampled_from([DEPARTMENT, "政务大厅运行", "信息化建设"])
    return texts


def _unit(number: int, table: Table, sheet: schema.Sheet) -> UnitData:
    """A unit whose workbook fills `sheet` with `table` and leaves every other sheet empty."""
    name = Row(Frozen({"value": Cell(f"单位{number}", HERE)}))
    tables = {s.key: Table(s.name) for s in schema.SHEETS}
    tables["info"] = Table("基本信息", (name,), Frozen({"name": name}))
    tables[sheet.key] = table
    return UnitData(f"单位{number}.xlsx", Frozen(tables))


@pytest.mark.parametrize("sheet", SUMMED, ids=lambda s: s.key)
@given(data=st.data())
def test_consolidated_amounts_and_counts_are_the_sums_of_the_members(sheet, data):
    members = [_unit(i, data.draw(keyed_table(sheet), label=f"单位{i}"), sheet) for i in range(data.draw(st.integers(1, 4)))]
    summed = consolidate(members[0], members[1:])
    table = summed.table(sheet.key)
    assert summed.scope == "部门汇总" and summed.members == tuple(members)
    assert all(summed.table(k) is members[0].table(k) for k in OWN_ONLY)
    tables = [m.table(sheet.key) for m in members]
    assert set(table.by_key) == {k for t in tables for k in t.by_key}, "every row any member has"
    for key, row in table.by_key.items():
        given_rows = [t.by_key[key] for t in tables if key in t.by_key]
        for column, cell in row.cells.items():
            if _kind(sheet, key, sheet.column(column)) in (schema.AMOUNT, schema.COUNT):
                assert cell.value == sum((r.cells[column].value for r in given_rows), Decimal(0)), (key, column)
        assert set(row.cells) == {c for r in given_rows for c in r.cells}


@pytest.mark.parametrize("sheet", LISTED, ids=lambda s: s.key)
@given(data=st.data())
def test_consolidated_lists_hold_every_members_rows_in_order(sheet, data):
    members = [_unit(i, data.draw(listed_table(sheet), label=f"单位{i}"), sheet) for i in range(data.draw(st.integers(1, 4)))]
    rows = consolidate(members[0], members[1:]).table(sheet.key).rows
    own, *below = [m.table(sheet.key).rows for m in members]
    # The units' own 部门整体 indicators assess those units, not the department.
    kept = [r for rs in below for r in rs if sheet.key != "indicators" or r.text("project") != DEPARTMENT]
    # A project name two members share names two projects: each becomes “名称（单位）” in the 部门汇总.
    column = {"projects": "name", "indicators": "project"}.get(sheet.key)
    uses = [name for m in members for name in {r.text("name") for r in m.table("projects").rows}]
    shared = {n for n in uses if uses.count(n) > 1 and n != DEPARTMENT}
    owner = {id(r): m.info("name") for m in members for r in m.table(sheet.key).rows}
    expected = [(r.text(column) + f"（{owner[id(r)]}）" if column and r.text(column) in shared else r.text(column or "name"))
                for r in [*own, *kept]]
    assert [r.text(column or "name") for r in rows] == expected
    assert [{k: c.value for k, c in r.cells.items() if k != column} for r in rows] == \
           [{k: c.value for k, c in r.cells.items() if k != column} for r in [*own, *kept]]
