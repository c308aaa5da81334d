"""The template filters: each case is what a reader sees in the document."""

from __future__ import annotations

import pytest

from generator.wording.filters import FILTERS, joined, say, sentences


@pytest.mark.parametrize(("value", "lead", "end", "expected"), [
    ("0737-4222222", "联系电话：", "。", "联系电话：0737-4222222。"),
    ("", "联系电话：", "。", ""),
    (None, "联系电话：", "。", ""),
    ("  ", "联系电话：", "。", ""),
    ("加强管理。", "下一步", "。", "下一步加强管理。"),
    ("原因；", "主要原因是", "。", "主要原因是原因。"),
])
def test_say(value, lead, end, expected):
    assert say(value, lead, end) == expected


@pytest.mark.parametrize(("items", "separator", "expected"), [
    (["负责审批。", "负责服务；", "负责监管"], "；", "负责审批；负责服务；负责监管。"),
    (["一", "", "  ", "二。"], "；", "一；二。"),
    ([], "；", ""),
    (["甲。", "乙。"], "，", "甲，乙。"),
])
def test_joined_never_doubles_punctuation(items, separator, expected):
    text = joined(items, separator)
    assert text == expected
    for pair in ("。；", "。。", "；。", "，。", "：。", "；；"):
        assert pair not in text


def test_sentences_end_once():
    assert sentences(["问题一", "问题二。", "", "问题三；"]) == ["问题一。", "问题二。", "问题三。"]


def test_registry_names_every_filter():
    assert FILTERS == {"say": say, "joined": joined, "sentences": sentences}


def test_every_filter_is_documented():
    from generator.wording.filters import FILTER_DOCS

    assert set(FILTER_DOCS) == set(FILTERS)
