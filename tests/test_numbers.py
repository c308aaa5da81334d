"""Case tables for the pure formatting layer: rounding, shares, year-on-year and budget phrases."""

from decimal import Decimal as D

import pytest

from generator.wording import numbers as n
from generator.wording.numbers import Display

ONE_DECIMAL = Display(amount_decimals=2, pct_decimals=1)
DROP_ZEROS = Display(amount_decimals=2, pct_decimals=2, keep_zeros=False)


@pytest.mark.parametrize(("value", "places", "expected"), [
    ("2.675", 2, "2.68"),    # round(2.675, 2) gives 2.67
    ("0.125", 2, "0.13"),    # round(0.125, 2) gives 0.12
    ("0.5", 0, "1"),         # round(0.5) gives 0
    ("2.5", 0, "3"),         # round(2.5) gives 2
    ("1.005", 2, "1.01"),
    ("-1.005", 2, "-1.01"),
    ("98.965", 2, "98.97"),
])
def test_half_up_where_round_is_wrong(value, places, expected):
    assert str(n.half_up(D(value), places)) == expected


@pytest.mark.parametrize(("yuan", "display", "expected"), [
    (D("9020500"), Display(), "902.05"),
    (D("26750"), Display(), "2.68"),
    (D("1250"), Display(), "0.13"),
    (D("0"), Display(), "0.00"),
    (D("0"), DROP_ZEROS, "0"),
    (D("1235000"), DROP_ZEROS, "123.5"),
    (D("12345678900"), Display(), "1234567.89"),
    (D("-0.4"), Display(), "0.00"),
])
def test_amount_in_wan(yuan, display, expected):
    assert n.amount(yuan, display) == expected


def test_amount_thousands_in_tables():
    assert n.amount(D("12345678900"), thousands=True) == "1,234,567.89"


@pytest.mark.parametrize(("parts", "places", "expected"), [
    (["147.43", "359.25"], 1, ["29.1", "70.9"]),            # plain rounding would print 29.1 + 71.0
    (["1", "1", "1"], 2, ["33.34", "33.33", "33.33"]),
    (["482.75", "11.27", "4.87", "7.79"], 2, ["95.28", "2.22", "0.96", "1.54"]),
    (["5", "0", "0"], 2, ["100.00", "0.00", "0.00"]),
    (["0.01", "99.99"], 0, ["0", "100"]),
])
def test_largest_remainder_adds_to_100(parts, places, expected):
    shares = n.largest_remainder([D(p) for p in parts], places)
    assert [f"{s:.{places}f}" for s in shares] == expected
    assert sum(shares) == 100


def test_share_of_zero_whole_is_not_a_number():
    assert n.largest_remainder([D(0), D(0)], 2) is None
    assert n.shares([D(0)]) is None
    assert n.share(D(0), D(0)) is None


@pytest.mark.parametrize(("current", "previous", "display", "expected"), [
    ("9020500", "4533700", Display(), "比2019年增加448.68万元，增长98.97%"),
    ("117900", "200000", Display(), "比2019年减少8.21万元，下降41.05%"),
    ("117900", "200000", ONE_DECIMAL, "比2019年减少8.21万元，下降41.1%"),
    ("10200", "10200", Display(), "与2019年持平"),
    ("10200", "10240", Display(), "与2019年持平"),            # 0.004万元 prints as 0.00: 持平, no 0%
    ("10200", "10300", Display(), "比2019年减少0.01万元，下降0.97%"),
    ("50000", "0", Display(), "比2019年增加5.00万元（2019年无此项收支）"),
    ("0", "23800", Display(), "比2019年减少2.38万元，下降100.00%"),
    ("0", "0", Display(), "与2019年持平"),
])
def test_year_on_year_phrase(current, previous, display, expected):
    assert n.yoy(D(current), D(previous), "2019年", display) == expected


@pytest.mark.parametrize(("actual", "budget", "reason", "expected"), [
    ("10200", "10405", "厉行节约", "完成预算98.03%，决算数小于预算数，主要原因是厉行节约"),
    ("3514000", "7416600", "部分项目未招标。", "完成预算47.38%，决算数小于预算数，主要原因是部分项目未招标"),
    ("1235000", "1235000", "", "完成预算100.00%，决算数等于预算数"),
    ("1060000", "1000000", "追加预算", "完成预算106.00%，决算数大于预算数，主要原因是追加预算"),
    ("50000", "0", "年中新增任务", "年初未安排预算，主要原因是年中新增任务"),
    ("50000", "0", "", "年初未安排预算"),
    ("0", "0", "", "年初未安排预算，本年无此项支出"),
    ("0", "20000", "", "完成预算0.00%，决算数小于预算数"),
])
def test_budget_phrase(actual, budget, reason, expected):
    assert n.budget_phrase(D(actual), D(budget), reason) == expected


@pytest.mark.parametrize(("reason", "expected"), [
    ("人员调动", "主要原因是人员调动。"),
    ("人员调动。", "主要原因是人员调动。"),
    ("  ", ""),
    ("", ""),
])
def test_reason_sentence_is_never_empty(reason, expected):
    assert n.reason_sentence(reason) == expected


@pytest.mark.parametrize(("number", "expected"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一")])
def test_chinese_numerals(number, expected):
    assert n.cn_number(number) == expected


@pytest.mark.parametrize(("spent", "budget", "reason", "expected"), [
    ("24.62", "25.80", "网络费未结算。", "执行数小于预算数的主要原因是网络费未结算。"),
    ("25.80", "25.80", "网络费未结算", ""),            # spent it all: no shortfall sentence
    ("25.801", "25.80", "x", ""),                      # above budget is not a shortfall
    ("25.799", "25.80", "x", ""),                      # equal at the printed precision
    ("20", "25.80", "", ""),                           # no reason given: nothing, never an empty clause
])
def test_shortfall_sentence(spent, budget, reason, expected):
    assert n.shortfall_sentence(D(spent) * n.WAN, D(budget) * n.WAN, reason) == expected
