"""Case tables for the 绩效 scores and grades of rules.md."""

from decimal import Decimal as D

import pytest

from generator.figures import scores
from generator.wording.numbers import half_up


@pytest.mark.parametrize(("spent", "budget", "weight", "expected"), [
    ("35.33", "42", "10", "8.41"),     # seed 002: 执行率 84.12% of 10 points
    ("42", "42", "10", "10.00"),
    ("50", "42", "10", "10.00"),       # over budget: capped at 分值
    ("1247.79", "1302.99", "10", "9.58"),
    ("0", "0", "10", "10.00"),
    ("5", "0", "20", "0.00"),
    ("18", "20", "20", "18.00"),
])
def test_execution_score_capped_at_its_weight(spent, budget, weight, expected):
    assert half_up(scores.execution_score(D(spent), D(budget), D(weight)), 2) == D(expected)


@pytest.mark.parametrize(("direction", "target", "actual", "weight", "expected"), [
    ("≥", "100", "201", "20", "20.00"),   # more than the target: capped
    ("≥", "200", "150", "20", "15.00"),
    ("≤", "10", "8", "10", "10.00"),
    ("≤", "10", "12.5", "10", "8.00"),
    ("=", "100", "100", "5", "5.00"),
    ("=", "100", "99", "5", "0.00"),
    ("≥", "0", "3", "5", "5.00"),
])
def test_quantitative_indicator_scores(direction, target, actual, weight, expected):
    assert half_up(scores.indicator_score(direction, D(target), D(actual), D(weight)), 2) == D(expected)


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="指标方向"):
        scores.indicator_score("约", D(1), D(1), D(1))


@pytest.mark.parametrize(("score", "grade", "word"), [
    ("100", "优", "优秀"), ("90", "优", "优秀"), ("89.99", "良", "良好"), ("80", "良", "良好"),
    ("79.99", "中", "合格"), ("60", "中", "合格"), ("59.99", "差", "不合格"), ("0", "差", "不合格"),
])
def test_grades_at_their_boundaries(score, grade, word):
    result = scores.total(D(score), [])
    assert (result.grade, result.grade_word) == (grade, word)


def test_total_adds_up_and_never_exceeds_the_points_available():
    assert scores.total(D("8.4"), [D(20), D(20), D(10), D(10), D(10), D(10), D(5), D(5)]).score == D("98.4")  # seed 002
    with pytest.raises(ValueError, match="超过了各项分值之和"):
        scores.total(D(10), [D(50), D(41)])


@pytest.mark.parametrize(("amount", "people", "expected"), [
    ("73900", "753", "98.14"),   # seed 002 prints 98.11; computed from its own totals it is 98.14
    ("44000", "1", "44000.00"),
])
def test_per_head_figures_are_computed(amount, people, expected):
    assert half_up(scores.per_head(D(amount), D(people)), 2) == D(expected)


def test_nothing_to_divide_by():
    assert scores.per_head(D(100), D(0)) is None
    assert scores.control_rate(D(37), D(0)) is None
    assert half_up(scores.control_rate(D(37), D(42)) * 100, 2) == D("88.10")


# ---------------------------------------------------------------- indicators and grouping (performance.py)
from generator.figures.evaluation import computed_score, first_number, groups  # noqa: E402


@pytest.mark.parametrize(("text", "expected"), [
    ("≥100宗", D(100)), ("=99.5%", D("99.5")), ("1,234件", D(1234)), ("达标", None), ("", None), ("15万人", D(15)),
])
def test_first_number_of_an_indicator_value(text, expected):
    assert first_number(text) == expected


@pytest.mark.parametrize(("direction", "target", "actual", "weight", "expected"), [
    ("≥", "≥1500件", "1843件", "20", "20"),        # above target: full marks
    ("≥", "≥60个", "58个", "20", "19.33"),          # 58/60 × 20
    ("≥", "≥95%", "98.5%", "10", "10"),
    ("≤", "≤3天", "4天", "12", "9"),                # 3/4 × 12
    ("=", "=100%", "100%", "20", "20"),
    ("=", "=100%", "99%", "20", "0"),
    ("定性", "明显提升", "明显提升", "15", None),    # qualitative: must be scored by hand
    ("≥", "达标", "达标", "10", None),              # no number to compute from
])
def test_computed_indicator_scores(direction, target, actual, weight, expected):
    score = computed_score(direction, target, actual, D(weight))
    assert (None if score is None else half_up(score, 2).normalize()) == (None if expected is None else D(expected).normalize())


@pytest.mark.parametrize(("levels", "expected"), [
    ([("产出", "数量"), ("产出", "数量"), ("产出", "质量"), ("效益", "社会")],
     [(False, False), (True, True), (True, False), (False, False)]),
    ([("A", "x"), ("B", "x")], [(False, False), (False, False)]),   # 二级 never merges across 一级
    ([("", ""), ("", "")], [(False, False), (False, False)]),       # blanks are not merged
    ([], []),
])
def test_merge_flags_follow_the_groups(levels, expected):
    assert groups(levels) == expected
